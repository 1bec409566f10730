// Internal: "did you mean" for identifiers and taxonomy ids.

#ifndef XUNCHA_BASE_SPELLING_H_
#define XUNCHA_BASE_SPELLING_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace xuncha::spelling {

// Levenshtein distance in bytes.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` within a distance that scales with its
// length (at most max(2, size/3)), or "" when none is that close. Ties go to
// the earlier candidate.
std::string Closest(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace xuncha::spelling

#endif  // XUNCHA_BASE_SPELLING_H_
