// Internal: UTF-8 helpers shared by every stage: validation with the offset
// of the first bad byte, code-point counting, and terminal display width
// (East Asian wide characters take two columns) for tables people read.

#ifndef XUNCHA_BASE_UTF8_H_
#define XUNCHA_BASE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace xuncha::utf8 {

// Byte offset of the first byte that is not part of well-formed UTF-8
// (overlongs, surrogates and code points above U+10FFFF are ill-formed), or
// std::string_view::npos when `s` is valid.
size_t FindInvalid(std::string_view s);
inline bool IsValid(std::string_view s) { return FindInvalid(s) == std::string_view::npos; }

// Decodes one code point at s[*i], advancing *i. On ill-formed input returns
// U+FFFD and advances by one byte.
char32_t Decode(std::string_view s, size_t* i);
void Append(char32_t cp, std::string* out);

// Number of code points (ill-formed bytes count one each).
size_t CountChars(std::string_view s);

// Terminal columns a code point takes: 2 for East Asian wide and full-width
// forms, 0 for combining marks and controls, 1 otherwise.
int CharWidth(char32_t cp);
// Terminal columns of a string.
size_t DisplayWidth(std::string_view s);
// Pads with spaces on the right to `width` columns (never truncates).
std::string PadRight(std::string_view s, size_t width);
// Cuts to at most `width` columns, ending in "…" when cut.
std::string Truncate(std::string_view s, size_t width);

// Full-width ASCII variants (Ａ, ０, ，…) and the ideographic space to their
// half-width forms; everything else unchanged.
std::string FoldWidth(std::string_view s);
// True if `s` writes letters or digits in both full width (１２Ａ) and half
// width (12A). Full-width punctuation alone does not count.
bool MixesWidths(std::string_view s);
// True if the code point is a CJK unified ideograph (Han character).
bool IsHan(char32_t cp);

}  // namespace xuncha::utf8

#endif  // XUNCHA_BASE_UTF8_H_
