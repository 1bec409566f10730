// Internal to src/expr: turns byte offsets into the expression source into
// 1-based lines and code-point columns, for diagnostics people read. The
// public door of this folder is expr.h.

#ifndef XUNCHA_EXPR_POSITION_H_
#define XUNCHA_EXPR_POSITION_H_

#include <cstdint>
#include <string_view>

namespace xuncha::expr {

struct SourcePosition {
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, in code points
  uint32_t length = 1;  // code points of [begin, end) on that line, at least 1
  std::string_view line_text;  // the whole source line
};

// REQUIRES: begin <= end (clamped to the source otherwise).
SourcePosition LocateInSource(std::string_view source, uint32_t begin, uint32_t end);

}  // namespace xuncha::expr

#endif  // XUNCHA_EXPR_POSITION_H_
