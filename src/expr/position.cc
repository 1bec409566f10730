#include "expr/position.h"

#include <algorithm>

namespace xuncha::expr {

namespace {

uint32_t CountCodePoints(std::string_view s) {
  uint32_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

SourcePosition LocateInSource(std::string_view source, uint32_t begin, uint32_t end) {
  SourcePosition p;
  size_t b = std::min<size_t>(begin, source.size());
  size_t e = std::clamp<size_t>(end, b, source.size());
  size_t line_start = 0;
  for (size_t i = 0; i < b; ++i) {
    if (source[i] == '\n') {
      ++p.line;
      line_start = i + 1;
    }
  }
  size_t line_end = source.find('\n', b);
  if (line_end == std::string_view::npos) line_end = source.size();
  p.column = 1 + CountCodePoints(source.substr(line_start, b - line_start));
  p.length = std::max<uint32_t>(1, CountCodePoints(source.substr(b, std::min(e, line_end) - b)));
  p.line_text = source.substr(line_start, line_end - line_start);
  return p;
}

}  // namespace xuncha::expr
