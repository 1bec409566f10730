// The CEL lexer and a recursive-descent parser with error recovery.
//
// Grammar (cel-spec, without message construction and leading-dot names):
//   Expr     = Or ["?" Or ":" Expr]
//   Or       = And {"||" And}
//   And      = Relation {"&&" Relation}
//   Relation = Addition {("<"|"<="|">="|">"|"=="|"!="|"in") Addition}
//   Addition = Mult {("+"|"-") Mult}
//   Mult     = Unary {("*"|"/"|"%") Unary}
//   Unary    = Member | "!" {"!"} Member | "-" {"-"} Member
//   Member   = Primary {"." IDENT ["(" [Exprs] ")"] | "[" Expr "]"}
//   Primary  = IDENT ["(" [Exprs] ")"] | "(" Expr ")" | "[" [Exprs] [","] "]"
//            | "{" [Key ":" Expr {"," Key ":" Expr}] [","] "}" | ["-"] LITERAL
//
// Limits: the parser counts its own recursion (each "(", "[", "{", call,
// unary operator and ternary branch nests once) and the height of every node
// it builds; either passing ExprLimits::max_depth (never more than
// kHardMaxDepth) stops the parse with [limit-depth], so no input can exhaust
// the stack, here or in the checker and evaluator that recurse over the tree.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/utf8.h"
#include "expr/ast.h"

namespace xuncha::expr::internal {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int HexVal(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}
bool IsIdentStart(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

bool IsReserved(std::string_view w) {
  static const char* const kReserved[] = {
      "as",     "break",   "const",  "continue", "else", "for",       "function",
      "if",     "import",  "let",    "loop",     "package", "namespace", "return",
      "var",    "void",    "while"};
  for (const char* r : kReserved) {
    if (w == r) return true;
  }
  return false;
}

Token ErrorToken(uint32_t begin, uint32_t end, std::string message) {
  Token t;
  t.kind = Tok::kError;
  t.begin = begin;
  t.end = end;
  t.error_begin = begin;
  t.error_end = end;
  t.text = std::move(message);
  return t;
}

// A hint for a non-ASCII character outside a string literal.
std::string ForeignCharMessage(char32_t cp, std::string_view ch) {
  std::string m = "unexpected " + std::string(utf8::CountChars(ch) > 1 ? "text" : "character") +
                  " '" + std::string(ch) + "'";
  struct Hint {
    char32_t cp;
    const char* ascii;
  };
  static const Hint kFullWidth[] = {
      {U'（', "("}, {U'）', ")"}, {U'，', ","}, {U'：', ":"}, {U'？', "?"},
      {U'！', "!"}, {U'“', "\""}, {U'”', "\""}, {U'‘', "'"},  {U'’', "'"},
      {U'【', "["}, {U'】', "]"}, {U'＝', "="}, {U'＜', "<"}, {U'＞', ">"},
      {U'　', " "}, {U'＆', "&"}, {U'｜', "|"}, {U'．', "."}, {U'；', ";"}};
  for (const Hint& h : kFullWidth) {
    if (h.cp == cp) return m + "; write the ASCII '" + h.ascii + "' outside string literals";
  }
  if (utf8::IsHan(cp)) {
    return m + "; names are ASCII: put Chinese text in quotes, and read a map key as "
               "attrs[\"…\"] or test it with \"…\" in attrs";
  }
  return m;
}

}  // namespace

std::string_view TokName(Tok t) {
  switch (t) {
    case Tok::kEof: return "end of expression";
    case Tok::kInt: return "integer";
    case Tok::kUint: return "unsigned integer";
    case Tok::kDouble: return "double";
    case Tok::kString: return "string";
    case Tok::kBytes: return "bytes";
    case Tok::kIdent: return "identifier";
    case Tok::kTrue: return "'true'";
    case Tok::kFalse: return "'false'";
    case Tok::kNull: return "'null'";
    case Tok::kIn: return "'in'";
    case Tok::kLParen: return "'('";
    case Tok::kRParen: return "')'";
    case Tok::kLBracket: return "'['";
    case Tok::kRBracket: return "']'";
    case Tok::kLBrace: return "'{'";
    case Tok::kRBrace: return "'}'";
    case Tok::kDot: return "'.'";
    case Tok::kComma: return "','";
    case Tok::kColon: return "':'";
    case Tok::kQuestion: return "'?'";
    case Tok::kPlus: return "'+'";
    case Tok::kMinus: return "'-'";
    case Tok::kStar: return "'*'";
    case Tok::kSlash: return "'/'";
    case Tok::kPercent: return "'%'";
    case Tok::kNot: return "'!'";
    case Tok::kAnd: return "'&&'";
    case Tok::kOr: return "'||'";
    case Tok::kEq: return "'=='";
    case Tok::kNe: return "'!='";
    case Tok::kLt: return "'<'";
    case Tok::kLe: return "'<='";
    case Tok::kGt: return "'>'";
    case Tok::kGe: return "'>='";
    case Tok::kError: return "invalid token";
  }
  return "token";
}

// ---------------------------------------------------------------------------
// Lexer

Token Lexer::Next() {
  // Whitespace and // comments.
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '/') {
      while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
    } else {
      break;
    }
  }
  Token t;
  t.begin = t.end = static_cast<uint32_t>(pos_);
  if (pos_ >= src_.size()) return t;
  const size_t start = pos_;
  const char c = src_[pos_];
  auto peek = [&](size_t k) -> char { return pos_ + k < src_.size() ? src_[pos_ + k] : '\0'; };
  auto op = [&](Tok kind, size_t len) {
    pos_ += len;
    t.kind = kind;
    t.end = static_cast<uint32_t>(pos_);
    return t;
  };
  if (IsDigit(c) || (c == '.' && IsDigit(peek(1)))) return LexNumber();
  if (c == '"' || c == '\'') return LexString(start, start, false, false);
  if (IsIdentStart(c)) {
    // String prefixes: r, b, rb, br in any case, directly before a quote.
    size_t k = 0;
    bool raw = false, bytes = false;
    while (k < 2) {
      char p = peek(k);
      if ((p == 'r' || p == 'R') && !raw) {
        raw = true;
      } else if ((p == 'b' || p == 'B') && !bytes) {
        bytes = true;
      } else {
        break;
      }
      ++k;
    }
    while (k > 0) {
      char q = peek(k);
      if (q == '"' || q == '\'') return LexString(start, start + k, raw, bytes);
      // "rb" with no quote after: maybe "r" + quote? Only the full prefix
      // counts; otherwise it is an identifier.
      break;
    }
    return LexIdent();
  }
  switch (c) {
    case '(': return op(Tok::kLParen, 1);
    case ')': return op(Tok::kRParen, 1);
    case '[': return op(Tok::kLBracket, 1);
    case ']': return op(Tok::kRBracket, 1);
    case '{': return op(Tok::kLBrace, 1);
    case '}': return op(Tok::kRBrace, 1);
    case '.': return op(Tok::kDot, 1);
    case ',': return op(Tok::kComma, 1);
    case ':': return op(Tok::kColon, 1);
    case '?': return op(Tok::kQuestion, 1);
    case '+': return op(Tok::kPlus, 1);
    case '-': return op(Tok::kMinus, 1);
    case '*': return op(Tok::kStar, 1);
    case '/': return op(Tok::kSlash, 1);
    case '%': return op(Tok::kPercent, 1);
    case '!': return peek(1) == '=' ? op(Tok::kNe, 2) : op(Tok::kNot, 1);
    case '<': return peek(1) == '=' ? op(Tok::kLe, 2) : op(Tok::kLt, 1);
    case '>': return peek(1) == '=' ? op(Tok::kGe, 2) : op(Tok::kGt, 1);
    case '=':
      if (peek(1) == '=') return op(Tok::kEq, 2);
      pos_ += 1;
      return ErrorToken(start, start + 1, "unexpected '='; compare with '=='");
    case '&':
      if (peek(1) == '&') return op(Tok::kAnd, 2);
      pos_ += 1;
      return ErrorToken(start, start + 1, "unexpected '&'; logical and is '&&'");
    case '|':
      if (peek(1) == '|') return op(Tok::kOr, 2);
      pos_ += 1;
      return ErrorToken(start, start + 1, "unexpected '|'; logical or is '||'");
    default:
      break;
  }
  // Anything else: one (possibly multi-byte) character; a run of Han
  // characters (a Chinese name used as an identifier) is one error.
  size_t i = pos_;
  char32_t cp = utf8::Decode(src_, &i);
  if (utf8::IsHan(cp)) {
    for (size_t j = i; j < src_.size();) {
      size_t k = j;
      if (!utf8::IsHan(utf8::Decode(src_, &k))) break;
      j = i = k;
    }
  }
  pos_ = i;
  std::string_view ch = src_.substr(start, i - start);
  // "amount > 400万": a money unit written after a number.
  if (start > 0 && IsDigit(src_[start - 1]) &&
      (cp == U'万' || cp == U'亿' || cp == U'元' || cp == U'千')) {
    size_t num = start;
    while (num > 0 && (IsDigit(src_[num - 1]) || src_[num - 1] == '.')) --num;
    std::string n(src_.substr(num, start - num));
    std::string unit(ch);
    std::string fn = cp == U'亿' ? "yi" : cp == U'元' ? "yuan" : "wan";
    return ErrorToken(start, i,
                      "unexpected '" + unit + "' after a number; write " + fn + "(" + n +
                          ") or money(\"" + n + unit + (unit.ends_with("元") ? "" : "元") + "\")");
  }
  if (static_cast<unsigned char>(c) < 0x80) {
    return ErrorToken(start, i, "unexpected character '" + std::string(ch) + "'");
  }
  return ErrorToken(start, i, ForeignCharMessage(cp, ch));
}

Token Lexer::LexNumber() {
  const size_t start = pos_;
  Token t;
  t.begin = static_cast<uint32_t>(start);
  auto at = [&](size_t p) -> char { return p < src_.size() ? src_[p] : '\0'; };
  auto finish = [&](Tok kind) {
    t.kind = kind;
    t.end = static_cast<uint32_t>(pos_);
    return t;
  };
  auto bad = [&](std::string m) {
    // Swallow the rest of an alphanumeric run so that "12abc" is one error.
    while (pos_ < src_.size() && (IsIdentChar(src_[pos_]) || src_[pos_] == '.')) ++pos_;
    return ErrorToken(static_cast<uint32_t>(start), static_cast<uint32_t>(pos_), std::move(m));
  };
  // Hex.
  if (at(pos_) == '0' && (at(pos_ + 1) == 'x' || at(pos_ + 1) == 'X')) {
    pos_ += 2;
    size_t digits = pos_;
    uint64_t v = 0;
    bool overflow = false;
    while (IsHex(at(pos_))) {
      if (v > (UINT64_MAX >> 4)) overflow = true;
      v = (v << 4) | static_cast<uint64_t>(HexVal(at(pos_)));
      ++pos_;
    }
    if (pos_ == digits) return bad("hex literal needs digits after 0x");
    if (overflow) return bad("integer literal out of range");
    if (at(pos_) == 'u' || at(pos_) == 'U') {
      ++pos_;
      if (IsIdentChar(at(pos_))) return bad("malformed number");
      t.uint_value = v;
      return finish(Tok::kUint);
    }
    if (IsIdentChar(at(pos_))) return bad("malformed number");
    t.magnitude = v;
    if (v > static_cast<uint64_t>(INT64_MAX)) {
      t.int_overflow = true;
    } else {
      t.int_value = static_cast<int64_t>(v);
    }
    return finish(Tok::kInt);
  }
  while (IsDigit(at(pos_))) ++pos_;
  bool is_double = false;
  if (at(pos_) == '.' && IsDigit(at(pos_ + 1))) {
    is_double = true;
    ++pos_;
    while (IsDigit(at(pos_))) ++pos_;
  }
  if (at(pos_) == 'e' || at(pos_) == 'E') {
    size_t p = pos_ + 1;
    if (at(p) == '+' || at(p) == '-') ++p;
    if (!IsDigit(at(p))) return bad("malformed exponent");
    while (IsDigit(at(p))) ++p;
    pos_ = p;
    is_double = true;
  }
  std::string digits(src_.substr(start, pos_ - start));
  if (is_double) {
    if (IsIdentChar(at(pos_))) return bad("malformed number");
    t.double_value = std::strtod(digits.c_str(), nullptr);
    return finish(Tok::kDouble);
  }
  uint64_t v = 0;
  bool overflow = false;
  for (char d : digits) {
    uint64_t nv;
    if (__builtin_mul_overflow(v, 10, &nv) || __builtin_add_overflow(nv, d - '0', &nv)) overflow = true;
    v = nv;
  }
  if (at(pos_) == 'u' || at(pos_) == 'U') {
    ++pos_;
    if (IsIdentChar(at(pos_))) return bad("malformed number");
    if (overflow) return bad("unsigned integer literal out of range");
    t.uint_value = v;
    return finish(Tok::kUint);
  }
  if (IsIdentChar(at(pos_))) return bad("malformed number");
  if (overflow) return bad("integer literal out of range");
  t.magnitude = v;
  if (v > static_cast<uint64_t>(INT64_MAX)) {
    t.int_overflow = true;
  } else {
    t.int_value = static_cast<int64_t>(v);
  }
  return finish(Tok::kInt);
}

Token Lexer::LexString(size_t start, size_t quote_pos, bool raw, bool bytes) {
  const char q = src_[quote_pos];
  const bool triple = quote_pos + 2 < src_.size() && src_[quote_pos + 1] == q &&
                      src_[quote_pos + 2] == q;
  size_t p = quote_pos + (triple ? 3 : 1);
  std::string out;
  Token err;  // first escape error, reported after the literal is skipped
  bool has_err = false;
  auto set_err = [&](size_t b, size_t e, std::string m) {
    if (has_err) return;
    has_err = true;
    err = ErrorToken(static_cast<uint32_t>(start), 0, std::move(m));
    err.error_begin = static_cast<uint32_t>(b);
    err.error_end = static_cast<uint32_t>(e);
  };
  auto append_cp = [&](char32_t cp, size_t b, size_t e) {
    if (bytes) {
      out.push_back(static_cast<char>(cp));
    } else if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      set_err(b, e, "escape is not a valid code point");
    } else {
      utf8::Append(cp, &out);
    }
  };
  while (true) {
    if (p >= src_.size()) {
      pos_ = src_.size();
      return ErrorToken(static_cast<uint32_t>(start), static_cast<uint32_t>(pos_),
                        "unterminated string literal");
    }
    char c = src_[p];
    if (triple) {
      if (c == q && p + 2 < src_.size() && src_[p + 1] == q && src_[p + 2] == q) {
        p += 3;
        break;
      }
    } else {
      if (c == q) {
        ++p;
        break;
      }
      if (c == '\n' || c == '\r') {
        pos_ = p;
        return ErrorToken(static_cast<uint32_t>(start), static_cast<uint32_t>(p),
                          "newline in string literal (use a triple-quoted string or \\n)");
      }
    }
    if (c != '\\' || raw) {
      out.push_back(c);
      ++p;
      continue;
    }
    // Escape.
    size_t esc = p;
    if (p + 1 >= src_.size()) {
      ++p;
      continue;  // the unterminated check above reports it
    }
    char e = src_[p + 1];
    p += 2;
    switch (e) {
      case 'a': out.push_back('\a'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'v': out.push_back('\v'); break;
      case '\\': out.push_back('\\'); break;
      case '\'': out.push_back('\''); break;
      case '"': out.push_back('"'); break;
      case '`': out.push_back('`'); break;
      case '?': out.push_back('?'); break;
      case 'x':
      case 'X':
      case 'u':
      case 'U': {
        int n = (e == 'x' || e == 'X') ? 2 : (e == 'u' ? 4 : 8);
        if (bytes && (e == 'u' || e == 'U')) {
          set_err(esc, p, "\\u and \\U escapes are not allowed in bytes literals");
          break;
        }
        uint32_t v = 0;
        int i = 0;
        for (; i < n && p < src_.size() && IsHex(src_[p]); ++i, ++p) v = v * 16 + HexVal(src_[p]);
        if (i < n) {
          set_err(esc, p, "escape \\" + std::string(1, e) + " needs " + std::to_string(n) +
                              " hex digits");
          break;
        }
        append_cp(v, esc, p);
        break;
      }
      case '0': case '1': case '2': case '3': {
        uint32_t v = static_cast<uint32_t>(e - '0');
        int i = 0;
        for (; i < 2 && p < src_.size() && src_[p] >= '0' && src_[p] <= '7'; ++i, ++p) {
          v = v * 8 + static_cast<uint32_t>(src_[p] - '0');
        }
        if (i < 2) {
          set_err(esc, p, "octal escape needs three digits");
          break;
        }
        append_cp(v, esc, p);
        break;
      }
      default: {
        size_t ce = esc + 1;
        utf8::Decode(src_, &ce);
        set_err(esc, ce, "unknown escape sequence '" + std::string(src_.substr(esc, ce - esc)) + "'");
        p = ce;
        break;
      }
    }
  }
  pos_ = p;
  if (has_err) {
    err.end = static_cast<uint32_t>(p);
    return err;
  }
  Token t;
  t.kind = bytes ? Tok::kBytes : Tok::kString;
  t.begin = static_cast<uint32_t>(start);
  t.end = static_cast<uint32_t>(p);
  t.text = std::move(out);
  return t;
}

Token Lexer::LexIdent() {
  size_t start = pos_;
  while (pos_ < src_.size() && IsIdentChar(src_[pos_])) ++pos_;
  Token t;
  t.begin = static_cast<uint32_t>(start);
  t.end = static_cast<uint32_t>(pos_);
  std::string_view w = src_.substr(start, pos_ - start);
  if (w == "true") {
    t.kind = Tok::kTrue;
  } else if (w == "false") {
    t.kind = Tok::kFalse;
  } else if (w == "null") {
    t.kind = Tok::kNull;
  } else if (w == "in") {
    t.kind = Tok::kIn;
  } else if (IsReserved(w)) {
    return ErrorToken(t.begin, t.end, "'" + std::string(w) + "' is a reserved word");
  } else {
    t.kind = Tok::kIdent;
  }
  t.text = std::string(w);
  return t;
}

// ---------------------------------------------------------------------------
// Parser

namespace {

class Parser {
 public:
  Parser(std::string_view src, const ExprLimits& limits, Ast* ast,
         std::vector<ExprDiagnostic>* diags)
      : lexer_(src), limits_(limits), ast_(ast), diags_(diags) {
    max_depth_ = limits.max_depth < kHardMaxDepth ? limits.max_depth : kHardMaxDepth;
    Advance();
  }

  Node* ParseAll() {
    Node* root = ParseExpr();
    while (!stopped_ && tok_.kind != Tok::kEof) {
      SyntaxError(tok_.begin, tok_.end, "unexpected " + Describe(tok_) + " after the expression");
      if (!SkipToSync()) Advance();
      if (tok_.kind == Tok::kAnd || tok_.kind == Tok::kOr) {
        Advance();
        ParseExpr();
      }
    }
    return stopped_ ? nullptr : root;
  }

 private:
  // -- tokens --
  void Advance() {
    tok_ = lexer_.Next();
    after_lex_error_ = false;
    while (tok_.kind == Tok::kError) {
      SyntaxError(tok_.error_begin, tok_.error_end, tok_.text);
      after_lex_error_ = true;
      tok_ = lexer_.Next();
    }
  }
  std::string Describe(const Token& t) {
    if (t.kind == Tok::kEof) return "end of expression";
    return "'" + std::string(lexer_.source().substr(t.begin, t.end - t.begin)) + "'";
  }

  void SyntaxError(uint32_t begin, uint32_t end, std::string message) {
    if (stopped_) return;
    // No cascades: nothing at or right after the previous error.
    if (have_error_ && begin <= last_error_end_) return;
    if (end <= begin) end = begin + (begin < lexer_.source().size() ? 1 : 0);
    have_error_ = true;
    last_error_end_ = end;
    diags_->push_back({Severity::kError, begin, end, std::move(message), "syntax"});
  }
  void Stop(uint32_t begin, uint32_t end, std::string message, const char* code) {
    if (stopped_) return;
    stopped_ = true;
    diags_->push_back({Severity::kError, begin, end, std::move(message), code});
  }

  // Skips tokens to the next &&, ||, comma, colon, question mark or closing
  // bracket at this nesting level. Returns true if it skipped anything.
  bool SkipToSync() {
    int nesting = 0;
    bool skipped = false;
    while (tok_.kind != Tok::kEof) {
      Tok k = tok_.kind;
      if (nesting == 0 && (k == Tok::kAnd || k == Tok::kOr || k == Tok::kComma ||
                           k == Tok::kColon || k == Tok::kQuestion || k == Tok::kRParen ||
                           k == Tok::kRBracket || k == Tok::kRBrace)) {
        break;
      }
      if (k == Tok::kLParen || k == Tok::kLBracket || k == Tok::kLBrace) ++nesting;
      if (k == Tok::kRParen || k == Tok::kRBracket || k == Tok::kRBrace) --nesting;
      Advance();
      skipped = true;
    }
    return skipped;
  }

  // -- nodes --
  Node* New(NodeKind kind, uint32_t begin, uint32_t end) {
    if (ast_->size() >= limits_.max_nodes) {
      Stop(begin, end > begin ? end : begin + 1,
           "expression has more than " + std::to_string(limits_.max_nodes) + " nodes",
           "limit-nodes");
    }
    return ast_->New(kind, begin, end);
  }
  Node* ErrorNode(uint32_t begin, uint32_t end) { return New(NodeKind::kError, begin, end); }
  // Sets the height from the children; diagnoses the depth limit.
  Node* Seal(Node* n) {
    int h = 0;
    for (Node* a : n->args) h = std::max(h, a->height);
    if (n->target != nullptr) h = std::max(h, n->target->height);
    n->height = h + 1;
    if (static_cast<uint32_t>(n->height) > max_depth_) {
      Stop(n->begin, n->end,
           "expression nests deeper than " + std::to_string(max_depth_) + " levels",
           "limit-depth");
    }
    return n;
  }
  Node* Call(std::string name, uint32_t begin, uint32_t end, std::vector<Node*> args,
             uint32_t op_begin, uint32_t op_end) {
    Node* n = New(NodeKind::kCall, begin, end);
    n->text = std::move(name);
    n->args = std::move(args);
    n->name_begin = op_begin;
    n->name_end = op_end;
    return Seal(n);
  }

  // Recursion guard: every nested production enters through Enter().
  bool Enter(uint32_t at) {
    if (stopped_) return false;
    if (++depth_ > max_depth_) {
      Stop(at, at + 1, "expression nests deeper than " + std::to_string(max_depth_) + " levels",
           "limit-depth");
      return false;
    }
    return true;
  }
  void Leave() { --depth_; }

  // -- productions --
  Node* ParseExpr() {
    uint32_t at = tok_.begin;
    if (!Enter(at)) return ErrorNode(at, at);
    Node* cond = ParseOr();
    if (tok_.kind == Tok::kQuestion && !stopped_) {
      uint32_t qb = tok_.begin, qe = tok_.end;
      Advance();
      Node* a = ParseOr();
      Node* b;
      if (tok_.kind != Tok::kColon) {
        SyntaxError(tok_.begin, tok_.end, "expected ':' of the conditional, found " + Describe(tok_));
        SkipToSync();
        b = ErrorNode(tok_.begin, tok_.begin);
      } else {
        Advance();
        b = ParseExpr();
      }
      cond = Call("_?_:_", cond->begin, b->end, {cond, a, b}, qb, qe);
    }
    Leave();
    return cond;
  }

  Node* ParseOr() { return ParseChain(Tok::kOr, NodeKind::kOr, &Parser::ParseAnd); }
  Node* ParseAnd() { return ParseChain(Tok::kAnd, NodeKind::kAnd, &Parser::ParseRelationRecovering); }

  // operand (op operand)*: one n-ary node (&& and || are flat), or the
  // operand itself when no operator follows.
  Node* ParseChain(Tok op, NodeKind kind, Node* (Parser::*operand)()) {
    Node* first = (this->*operand)();
    if (tok_.kind != op) return first;
    Node* n = New(kind, first->begin, first->end);
    n->args.push_back(first);
    n->name_begin = tok_.begin;
    n->name_end = tok_.end;
    while (tok_.kind == op && !stopped_) {
      Advance();
      Node* next = (this->*operand)();
      n->args.push_back(next);
      n->end = next->end;
    }
    return Seal(n);
  }

  static bool StartsExpression(Tok k) {
    switch (k) {
      case Tok::kInt: case Tok::kUint: case Tok::kDouble: case Tok::kString:
      case Tok::kBytes: case Tok::kIdent: case Tok::kTrue: case Tok::kFalse:
      case Tok::kNull: case Tok::kLParen: case Tok::kLBrace:
      case Tok::kNot:
        return true;
      default:
        return false;
    }
  }

  // A relation; junk after it (two operands with no operator between them)
  // is reported and skipped up to the next && / || / , / closer.
  Node* ParseRelationRecovering() {
    Node* n = ParseRelation();
    if (!stopped_ && StartsExpression(tok_.kind)) {
      // After a bad character ("a = b") the missing operator is that
      // character, already reported.
      if (!after_lex_error_) {
        std::string hint;
        if (tok_.kind == Tok::kIdent) {
          if (tok_.text == "and" || tok_.text == "AND") hint = " (logical and is '&&')";
          if (tok_.text == "or" || tok_.text == "OR") hint = " (logical or is '||')";
          if (tok_.text == "not" || tok_.text == "NOT") hint = " (negation is '!')";
        }
        SyntaxError(tok_.begin, tok_.end,
                    "unexpected " + Describe(tok_) + "; an operator is missing before it" + hint);
      }
      SkipToSync();
    }
    return n;
  }

  Node* ParseRelation() {
    Node* left = ParseAddition();
    while (!stopped_) {
      const char* name = nullptr;
      switch (tok_.kind) {
        case Tok::kLt: name = "_<_"; break;
        case Tok::kLe: name = "_<=_"; break;
        case Tok::kGt: name = "_>_"; break;
        case Tok::kGe: name = "_>=_"; break;
        case Tok::kEq: name = "_==_"; break;
        case Tok::kNe: name = "_!=_"; break;
        case Tok::kIn: name = "@in"; break;
        default: break;
      }
      if (name == nullptr) break;
      uint32_t ob = tok_.begin, oe = tok_.end;
      Advance();
      Node* right = ParseAddition();
      left = Call(name, left->begin, right->end, {left, right}, ob, oe);
    }
    return left;
  }

  Node* ParseAddition() {
    Node* left = ParseMultiplication();
    while (!stopped_ && (tok_.kind == Tok::kPlus || tok_.kind == Tok::kMinus)) {
      const char* name = tok_.kind == Tok::kPlus ? "_+_" : "_-_";
      uint32_t ob = tok_.begin, oe = tok_.end;
      Advance();
      Node* right = ParseMultiplication();
      left = Call(name, left->begin, right->end, {left, right}, ob, oe);
    }
    return left;
  }

  Node* ParseMultiplication() {
    Node* left = ParseUnary();
    while (!stopped_ && (tok_.kind == Tok::kStar || tok_.kind == Tok::kSlash ||
                         tok_.kind == Tok::kPercent)) {
      const char* name = tok_.kind == Tok::kStar ? "_*_" : tok_.kind == Tok::kSlash ? "_/_" : "_%_";
      uint32_t ob = tok_.begin, oe = tok_.end;
      Advance();
      Node* right = ParseUnary();
      left = Call(name, left->begin, right->end, {left, right}, ob, oe);
    }
    return left;
  }

  Node* ParseUnary() {
    if (tok_.kind == Tok::kNot || tok_.kind == Tok::kMinus) {
      Token op = tok_;
      if (op.kind == Tok::kMinus) {
        // A negative numeric literal is one literal (so that
        // -9223372036854775808 is a valid int).
        Lexer probe = lexer_;
        Token next = probe.Next();
        if (next.begin == op.end && (next.kind == Tok::kInt || next.kind == Tok::kDouble)) {
          Advance();
          Node* lit = NumberLiteral(/*negative=*/true, op.begin);
          return ParseMemberSuffix(lit);
        }
      }
      if (!Enter(op.begin)) return ErrorNode(op.begin, op.end);
      Advance();
      Node* operand = ParseUnary();
      Leave();
      return Call(op.kind == Tok::kNot ? "!_" : "-_", op.begin, operand->end, {operand},
                  op.begin, op.end);
    }
    return ParseMemberSuffix(ParsePrimary());
  }

  // Consumes the current int/double token as a literal.
  Node* NumberLiteral(bool negative, uint32_t begin) {
    Token t = tok_;
    Advance();
    if (t.kind == Tok::kDouble) {
      Node* n = New(NodeKind::kDouble, begin, t.end);
      n->double_value = negative ? -t.double_value : t.double_value;
      return n;
    }
    Node* n = New(NodeKind::kInt, begin, t.end);
    if (negative) {
      if (t.magnitude > static_cast<uint64_t>(INT64_MAX) + 1) {
        SyntaxError(begin, t.end, "integer literal out of range");
        n->kind = NodeKind::kError;
      } else {
        n->int_value = static_cast<int64_t>(0 - t.magnitude);
      }
    } else if (t.int_overflow) {
      SyntaxError(begin, t.end, "integer literal out of range (use a uint: 18446744073709551615u)");
      n->kind = NodeKind::kError;
    } else {
      n->int_value = t.int_value;
    }
    return n;
  }

  Node* ParseMemberSuffix(Node* operand) {
    while (!stopped_) {
      if (tok_.kind == Tok::kDot) {
        uint32_t dot = tok_.begin;
        Advance();
        if (tok_.kind != Tok::kIdent) {
          SyntaxError(tok_.begin, tok_.end, "expected a field or method name after '.', found " +
                                                Describe(tok_));
          SkipToSync();
          return ErrorNode(operand->begin, dot + 1);
        }
        Token name = tok_;
        Advance();
        if (tok_.kind == Tok::kLParen) {
          Node* call = New(NodeKind::kCall, operand->begin, name.end);
          call->text = name.text;
          call->name_begin = name.begin;
          call->name_end = name.end;
          call->target = operand;
          if (!ParseArgs(call, Tok::kRParen)) return call;
          operand = Seal(call);
        } else {
          Node* sel = New(NodeKind::kSelect, operand->begin, name.end);
          sel->text = name.text;
          sel->name_begin = name.begin;
          sel->name_end = name.end;
          sel->args.push_back(operand);
          operand = Seal(sel);
        }
      } else if (tok_.kind == Tok::kLBracket) {
        uint32_t ob = tok_.begin;
        Advance();
        Node* index = ParseExpr();
        uint32_t end = tok_.end;
        if (tok_.kind != Tok::kRBracket) {
          SyntaxError(tok_.begin, tok_.end, "expected ']', found " + Describe(tok_));
          SkipToSync();
          if (tok_.kind == Tok::kRBracket) {
            end = tok_.end;
            Advance();
          }
        } else {
          Advance();
        }
        operand = Call("_[_]", operand->begin, end, {operand, index}, ob, ob + 1);
      } else {
        break;
      }
    }
    return operand;
  }

  // Parses "(" args ")" (the current token is the opener) into n->args, or
  // "[" … "]" for lists. Sets n->end. Returns false when the limit stopped it.
  bool ParseArgs(Node* n, Tok closer) {
    Advance();  // the opener; each argument's ParseExpr counts the nesting
    while (!stopped_ && tok_.kind != closer && tok_.kind != Tok::kEof) {
      n->args.push_back(ParseExpr());
      if (tok_.kind == Tok::kComma) {
        Advance();
        continue;
      }
      if (tok_.kind != closer) {
        SyntaxError(tok_.begin, tok_.end,
                    "expected ',' or " + std::string(TokName(closer)) + ", found " + Describe(tok_));
        SkipToSync();
        if (tok_.kind == Tok::kComma) {
          Advance();
          continue;
        }
        break;
      }
    }
    if (tok_.kind == closer) {
      n->end = tok_.end;
      Advance();
    } else if (!stopped_) {
      SyntaxError(tok_.begin, tok_.end,
                  "expected " + std::string(TokName(closer)) + ", found " + Describe(tok_));
      n->end = tok_.begin;
    }
    return !stopped_;
  }

  Node* ParsePrimary() {
    Token t = tok_;
    switch (t.kind) {
      case Tok::kInt:
      case Tok::kDouble:
        return NumberLiteral(false, t.begin);
      case Tok::kUint: {
        Advance();
        Node* n = New(NodeKind::kUint, t.begin, t.end);
        n->uint_value = t.uint_value;
        return n;
      }
      case Tok::kString:
      case Tok::kBytes: {
        Advance();
        Node* n = New(t.kind == Tok::kString ? NodeKind::kString : NodeKind::kBytes, t.begin, t.end);
        n->text = std::move(t.text);
        return n;
      }
      case Tok::kTrue:
      case Tok::kFalse: {
        Advance();
        Node* n = New(NodeKind::kBool, t.begin, t.end);
        n->bool_value = t.kind == Tok::kTrue;
        return n;
      }
      case Tok::kNull:
        Advance();
        return New(NodeKind::kNull, t.begin, t.end);
      case Tok::kIdent: {
        Advance();
        if (tok_.kind == Tok::kLParen) {
          Node* call = New(NodeKind::kCall, t.begin, t.end);
          call->text = t.text;
          call->name_begin = t.begin;
          call->name_end = t.end;
          ParseArgs(call, Tok::kRParen);
          return Seal(call);
        }
        Node* n = New(NodeKind::kIdent, t.begin, t.end);
        n->text = t.text;
        n->name_begin = t.begin;
        n->name_end = t.end;
        return n;
      }
      case Tok::kLParen: {
        Advance();
        Node* inner = ParseExpr();  // ParseExpr counts the nesting
        if (tok_.kind != Tok::kRParen) {
          SyntaxError(tok_.begin, tok_.end, "expected ')', found " + Describe(tok_));
          SkipToSync();
          if (tok_.kind == Tok::kRParen) Advance();
        } else {
          Advance();
        }
        return inner;
      }
      case Tok::kLBracket: {
        Node* list = New(NodeKind::kList, t.begin, t.end);
        ParseArgs(list, Tok::kRBracket);
        return Seal(list);
      }
      case Tok::kLBrace:
        return ParseMap();
      default:
        break;
    }
    SyntaxError(t.begin, t.end, "expected an operand, found " + Describe(t));
    if (!SkipToSync() && t.kind != Tok::kEof && t.kind != Tok::kAnd && t.kind != Tok::kOr &&
        t.kind != Tok::kComma && t.kind != Tok::kColon && t.kind != Tok::kQuestion &&
        t.kind != Tok::kRParen && t.kind != Tok::kRBracket && t.kind != Tok::kRBrace) {
      Advance();
    }
    return ErrorNode(t.begin, t.end);
  }

  Node* ParseMap() {
    Token open = tok_;
    Node* map = New(NodeKind::kMap, open.begin, open.end);
    Advance();
    while (!stopped_ && tok_.kind != Tok::kRBrace && tok_.kind != Tok::kEof) {
      Node* key = ParseExpr();
      Node* value;
      if (tok_.kind != Tok::kColon) {
        SyntaxError(tok_.begin, tok_.end, "expected ':' after a map key, found " + Describe(tok_));
        SkipToSync();
        value = ErrorNode(tok_.begin, tok_.begin);
        if (tok_.kind == Tok::kColon) {
          Advance();
          value = ParseExpr();
        }
      } else {
        Advance();
        value = ParseExpr();
      }
      map->args.push_back(key);
      map->args.push_back(value);
      if (tok_.kind == Tok::kComma) {
        Advance();
        continue;
      }
      if (tok_.kind != Tok::kRBrace) {
        SyntaxError(tok_.begin, tok_.end, "expected ',' or '}', found " + Describe(tok_));
        SkipToSync();
        if (tok_.kind == Tok::kComma) {
          Advance();
          continue;
        }
        break;
      }
    }
    if (tok_.kind == Tok::kRBrace) {
      map->end = tok_.end;
      Advance();
    } else if (!stopped_) {
      SyntaxError(tok_.begin, tok_.end, "expected '}', found " + Describe(tok_));
      map->end = tok_.begin;
    }
    return Seal(map);
  }

  Lexer lexer_;
  const ExprLimits& limits_;
  Ast* ast_;
  std::vector<ExprDiagnostic>* diags_;
  Token tok_;
  uint32_t max_depth_;
  uint32_t depth_ = 0;
  bool stopped_ = false;
  bool after_lex_error_ = false;  // the current token follows a bad one
  bool have_error_ = false;
  uint32_t last_error_end_ = 0;
};

}  // namespace

Node* Parse(std::string_view source, const ExprLimits& limits, Ast* ast,
            std::vector<ExprDiagnostic>* diagnostics) {
  if (source.size() > limits.max_source_bytes) {
    diagnostics->push_back({Severity::kError, limits.max_source_bytes,
                            static_cast<uint32_t>(source.size()),
                            "expression is " + std::to_string(source.size()) +
                                " bytes long; the limit is " +
                                std::to_string(limits.max_source_bytes),
                            "limit-source"});
    return nullptr;
  }
  if (size_t bad = utf8::FindInvalid(source); bad != std::string_view::npos) {
    diagnostics->push_back({Severity::kError, static_cast<uint32_t>(bad),
                            static_cast<uint32_t>(bad + 1), "invalid UTF-8 in the expression",
                            "syntax"});
    return nullptr;
  }
  Parser parser(source, limits, ast, diagnostics);
  return parser.ParseAll();
}

std::string DebugString(const Node* n) {
  if (n == nullptr) return "<null>";
  auto join = [](const std::vector<Node*>& args, size_t from = 0) {
    std::string out;
    for (size_t i = from; i < args.size(); ++i) {
      if (i > from) out += ", ";
      out += DebugString(args[i]);
    }
    return out;
  };
  switch (n->kind) {
    case NodeKind::kError: return "<error>";
    case NodeKind::kNull: return "null";
    case NodeKind::kBool: return n->bool_value ? "true" : "false";
    case NodeKind::kInt: return std::to_string(n->int_value);
    case NodeKind::kUint: return std::to_string(n->uint_value) + "u";
    case NodeKind::kDouble: {
      char buf[64];
      snprintf(buf, sizeof buf, "%g", n->double_value);
      std::string s = buf;
      if (s.find_first_of(".en") == std::string::npos) s += ".0";
      return s;
    }
    case NodeKind::kString: return "\"" + n->text + "\"";
    case NodeKind::kBytes: return "b\"" + n->text + "\"";
    case NodeKind::kIdent: return n->text;
    case NodeKind::kSelect: return DebugString(n->args[0]) + "." + n->text;
    case NodeKind::kCall:
      if (n->target != nullptr) return DebugString(n->target) + "." + n->text + "(" + join(n->args) + ")";
      return n->text + "(" + join(n->args) + ")";
    case NodeKind::kList: return "[" + join(n->args) + "]";
    case NodeKind::kMap: {
      std::string out = "{";
      for (size_t i = 0; i + 1 < n->args.size(); i += 2) {
        if (i > 0) out += ", ";
        out += DebugString(n->args[i]) + ": " + DebugString(n->args[i + 1]);
      }
      return out + "}";
    }
    case NodeKind::kAnd: return "_&&_(" + join(n->args) + ")";
    case NodeKind::kOr: return "_||_(" + join(n->args) + ")";
  }
  return "?";
}

}  // namespace xuncha::expr::internal
