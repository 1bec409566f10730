// Internal: bounds on where a regex can match, so the engine runs RE2 on a
// few short windows of the text instead of all of it.
//
// Design note. Rule authors write gap patterns — 未.{0,8}招标, A.{0,30}B,
// (采购|购置).{0,10}未验收 — whose matches are short and always contain one
// of a few literals. If every match of a regex contains an occurrence of
// some literal in a set S, and no match is longer than L code points, then
// the regex matches the text iff it matches inside one of the windows
// [occurrence − L, occurrence + L] around the occurrences of S — which the
// one Aho-Corasick pass has already found. A 450-byte finding then costs RE2
// a few dozen bytes per candidate regex instead of 450, with the DFA's memory
// touched accordingly less. Patterns this analysis does not understand
// (anchors, word boundaries, flags, unbounded repetition, unknown syntax)
// get no window and are searched in full: the analysis only ever narrows
// when it is sure.

#ifndef XUNCHA_COMPILE_REGEX_WINDOW_H_
#define XUNCHA_COMPILE_REGEX_WINDOW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xuncha::compile {

struct RegexWindow {
  // Every match contains one of these literals: the regex's prefilter.
  std::vector<std::string> literals;
  // No match is longer than max_chars code points; false = unbounded (the
  // literals still prefilter, but the whole text is searched).
  bool bounded = false;
  uint32_t max_chars = 0;
  // Where the literal stands in every match: kPrefix — every match starts
  // with one of the literals (search anchored at each occurrence); kSuffix —
  // every match ends with one (search only to its left); kInside — anywhere.
  enum class Anchor { kInside, kPrefix, kSuffix };
  Anchor anchor = Anchor::kInside;
};

// nullopt when no literal is required of every match, or the pattern has
// anchors, flags or syntax the analysis does not know.
std::optional<RegexWindow> AnalyzeRegexWindow(std::string_view pattern);

}  // namespace xuncha::compile

#endif  // XUNCHA_COMPILE_REGEX_WINDOW_H_
