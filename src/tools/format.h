// Internal: small text helpers shared by the tools' readable reports (see
// include/xuncha/tools.h).

#ifndef XUNCHA_TOOLS_FORMAT_H_
#define XUNCHA_TOOLS_FORMAT_H_

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.h"

namespace xuncha::tools_internal {

// "0.857" (three decimals).
inline std::string Fixed(double v, int decimals = 3) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// A one-line prefix of a finding's text for listings: newlines become
// spaces, cut to `width` display columns.
inline std::string TextPrefix(std::string_view text, size_t width) {
  std::string one_line;
  for (char c : text) one_line += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return utf8::Truncate(one_line, width);
}

// Joins with ", ".
inline std::string Join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

// Right-aligns `s` in `width` display columns.
inline std::string PadLeft(std::string_view s, size_t width) {
  size_t w = utf8::DisplayWidth(s);
  return std::string(w >= width ? 0 : width - w, ' ') + std::string(s);
}

}  // namespace xuncha::tools_internal

#endif  // XUNCHA_TOOLS_FORMAT_H_
