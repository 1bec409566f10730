// Internal to src/expr: the parse tree of one condition, and the parser that
// builds it. The public door of this folder is expr.h (CompileExpression).
//
// Design note: && and || are n-ary nodes, so that a long chain of
// alternatives ("a || b || c || …", common in rules) is a flat node of depth
// 1, not a left-leaning tree as deep as the chain is long. Every other
// operator is a call node named as cel-spec names it ("_+_", "!_", "_[_]",
// "@in", "_?_:_"), so the checker treats operators and functions alike.

#ifndef XUNCHA_EXPR_AST_H_
#define XUNCHA_EXPR_AST_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "expr/expr.h"

namespace xuncha::expr::internal {

enum class NodeKind {
  kError,   // a fragment that did not parse; already diagnosed
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kIdent,   // name
  kSelect,  // args[0].name; test_only for has(args[0].name)
  kCall,    // [target.]name(args…); operators too
  kList,    // [args…]
  kMap,     // {args[0]: args[1], args[2]: args[3], …}
  kAnd,     // args[0] && args[1] && …
  kOr,      // args[0] || args[1] || …
};

struct Node {
  NodeKind kind = NodeKind::kError;
  uint32_t begin = 0, end = 0;            // byte range in the source
  uint32_t name_begin = 0, name_end = 0;  // of the identifier / function / field name
  int height = 1;                         // 1 + max height of the children
  bool bool_value = false;
  int64_t int_value = 0;
  uint64_t uint_value = 0;
  double double_value = 0;
  std::string text;  // string/bytes value, identifier, field or function name
  Node* target = nullptr;  // receiver of a method call
  bool test_only = false;  // has(x.f)
  std::vector<Node*> args;
};

// Owns the nodes of one parse.
class Ast {
 public:
  Node* New(NodeKind kind, uint32_t begin, uint32_t end) {
    nodes_.emplace_back();
    Node* n = &nodes_.back();
    n->kind = kind;
    n->begin = begin;
    n->end = end;
    return n;
  }
  size_t size() const { return nodes_.size(); }

 private:
  std::deque<Node> nodes_;
};

// ---------------------------------------------------------------------------
// Tokens.

enum class Tok {
  kEof,
  kInt,     // int_value
  kUint,    // uint_value
  kDouble,  // double_value
  kString,  // text (decoded)
  kBytes,   // text (decoded)
  kIdent,
  kTrue,
  kFalse,
  kNull,
  kIn,
  kLParen, kRParen, kLBracket, kRBracket, kLBrace, kRBrace,
  kDot, kComma, kColon, kQuestion,
  kPlus, kMinus, kStar, kSlash, kPercent,
  kNot, kAnd, kOr,
  kEq, kNe, kLt, kLe, kGt, kGe,
  kError,   // error message in text
};

struct Token {
  Tok kind = Tok::kEof;
  uint32_t begin = 0, end = 0;
  std::string text;
  // An integer literal too large for int64 (only valid after a unary minus
  // as -9223372036854775808): the magnitude, with int_overflow set.
  uint64_t magnitude = 0;
  bool int_overflow = false;
  int64_t int_value = 0;
  uint64_t uint_value = 0;
  double double_value = 0;
  // For kError: where the problem is, when narrower than the token.
  uint32_t error_begin = 0, error_end = 0;
};

// Splits CEL source into tokens. Thread-compatible.
class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}
  // The next token; kEof at the end (repeatedly). Errors come back as kError
  // tokens and lexing continues after them.
  Token Next();
  std::string_view source() const { return src_; }

 private:
  Token LexNumber();
  Token LexString(size_t start, size_t quote_pos, bool raw, bool bytes);
  Token LexIdent();

  std::string_view src_;
  size_t pos_ = 0;
};

// Human name of a token kind, for "expected ')'" messages.
std::string_view TokName(Tok t);

// Parses `source` into `ast`. Diagnostics (syntax errors, limits) are
// appended; parsing recovers at &&, ||, commas and closing brackets so that
// several errors of one expression are all reported. Returns the root, or
// null when a limit stopped the parse.
Node* Parse(std::string_view source, const ExprLimits& limits, Ast* ast,
            std::vector<ExprDiagnostic>* diagnostics);

// A compact rendering of a tree for tests: operators as cel-spec names them,
// "_+_(1, _*_(2, 3))", "a.b", "x.f(y)", "_&&_(a, b, c)", "[1, 2]", "{k: v}".
std::string DebugString(const Node* n);

// The depth the parser never exceeds, whatever ExprLimits::max_depth says:
// parser recursion is bounded so that no input can overflow the stack.
inline constexpr uint32_t kHardMaxDepth = 1000;

}  // namespace xuncha::expr::internal

#endif  // XUNCHA_EXPR_AST_H_
