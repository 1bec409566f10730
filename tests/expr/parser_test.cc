#include <string>
#include <vector>

#include "expr/ast.h"
#include "gtest/gtest.h"

namespace xuncha::expr::internal {
namespace {

// ---------------------------------------------------------------------------
// Lexer

std::vector<Token> LexAll(std::string_view src) {
  Lexer lexer(src);
  std::vector<Token> out;
  while (true) {
    Token t = lexer.Next();
    if (t.kind == Tok::kEof) break;
    out.push_back(t);
  }
  return out;
}

TEST(ExprLexerTest, OperatorsAndPositions) {
  auto toks = LexAll("a.b[0] && !c || d <= 1 != e >= 2 ? f : g % h");
  std::vector<Tok> kinds;
  for (const Token& t : toks) kinds.push_back(t.kind);
  std::vector<Tok> want = {Tok::kIdent, Tok::kDot, Tok::kIdent, Tok::kLBracket, Tok::kInt,
                           Tok::kRBracket, Tok::kAnd, Tok::kNot, Tok::kIdent, Tok::kOr,
                           Tok::kIdent, Tok::kLe, Tok::kInt, Tok::kNe, Tok::kIdent, Tok::kGe,
                           Tok::kInt, Tok::kQuestion, Tok::kIdent, Tok::kColon, Tok::kIdent,
                           Tok::kPercent, Tok::kIdent};
  EXPECT_EQ(kinds, want);
  EXPECT_EQ(toks[6].begin, 7u);
  EXPECT_EQ(toks[6].end, 9u);
}

struct NumberCase {
  const char* src;
  Tok kind;
  int64_t i;
  uint64_t u;
  double d;
};

TEST(ExprLexerTest, Numbers) {
  const NumberCase cases[] = {
      {"12", Tok::kInt, 12, 0, 0},
      {"0x1F", Tok::kInt, 31, 0, 0},
      {"0X1f", Tok::kInt, 31, 0, 0},
      {"12u", Tok::kUint, 0, 12, 0},
      {"0x10U", Tok::kUint, 0, 16, 0},
      {"1.5", Tok::kDouble, 0, 0, 1.5},
      {"1e3", Tok::kDouble, 0, 0, 1000},
      {"2.5E-1", Tok::kDouble, 0, 0, 0.25},
      {".5", Tok::kDouble, 0, 0, 0.5},
      {"9223372036854775807", Tok::kInt, INT64_MAX, 0, 0},
      {"18446744073709551615u", Tok::kUint, 0, UINT64_MAX, 0},
  };
  for (const NumberCase& c : cases) {
    auto toks = LexAll(c.src);
    ASSERT_EQ(toks.size(), 1u) << c.src;
    EXPECT_EQ(toks[0].kind, c.kind) << c.src;
    if (c.kind == Tok::kInt) {
      EXPECT_EQ(toks[0].int_value, c.i) << c.src;
    } else if (c.kind == Tok::kUint) {
      EXPECT_EQ(toks[0].uint_value, c.u) << c.src;
    } else {
      EXPECT_DOUBLE_EQ(toks[0].double_value, c.d) << c.src;
    }
  }
  auto big = LexAll("9223372036854775808");
  ASSERT_EQ(big.size(), 1u);
  EXPECT_TRUE(big[0].int_overflow);
  EXPECT_EQ(LexAll("18446744073709551616u")[0].kind, Tok::kError);
  EXPECT_EQ(LexAll("12abc")[0].kind, Tok::kError);
  EXPECT_EQ(LexAll("1e")[0].kind, Tok::kError);
  EXPECT_EQ(LexAll("0x")[0].kind, Tok::kError);
}

struct StringCase {
  const char* src;
  Tok kind;
  std::string value;
};

TEST(ExprLexerTest, Strings) {
  const StringCase cases[] = {
      {R"('abc')", Tok::kString, "abc"},
      {R"("abc")", Tok::kString, "abc"},
      {R"("a\nb\tc\\d\"e\'f")", Tok::kString, "a\nb\tc\\d\"e'f"},
      {R"("\x41\u4E2D\U0001F600\101")", Tok::kString, "A中😀A"},
      {R"("\xFF")", Tok::kString, "\xC3\xBF"},  // U+00FF in a string
      {R"(b"\xFF")", Tok::kBytes, "\xFF"},        // the byte in bytes
      {R"(b'\101')", Tok::kBytes, "A"},
      {R"(r"a\nb")", Tok::kString, "a\\nb"},
      {R"(R'\d+')", Tok::kString, "\\d+"},
      {R"(rb"\x")", Tok::kBytes, "\\x"},
      {R"(BR"\x")", Tok::kBytes, "\\x"},
      {"'''a\n'b'\n'''", Tok::kString, "a\n'b'\n"},
      {R"("""x"y""")", Tok::kString, "x\"y"},
      {R"("招标")", Tok::kString, "招标"},
      {R"("")", Tok::kString, ""},
  };
  for (const StringCase& c : cases) {
    auto toks = LexAll(c.src);
    ASSERT_EQ(toks.size(), 1u) << c.src;
    EXPECT_EQ(toks[0].kind, c.kind) << c.src << ": " << toks[0].text;
    EXPECT_EQ(toks[0].text, c.value) << c.src;
    EXPECT_EQ(toks[0].end, std::string_view(c.src).size()) << c.src;
  }
}

TEST(ExprLexerTest, StringErrors) {
  const char* bad[] = {R"("abc)", "\"a\nb\"", R"("\q")", R"("\x4")", R"("\uD800")",
                       R"(b"\u0041")", R"("\08")"};
  for (const char* src : bad) {
    auto toks = LexAll(src);
    ASSERT_FALSE(toks.empty()) << src;
    EXPECT_EQ(toks[0].kind, Tok::kError) << src;
  }
  // The error points at the escape, not the whole literal.
  auto toks = LexAll(R"("ab\qc")");
  EXPECT_EQ(toks[0].error_begin, 3u);
  EXPECT_EQ(toks[0].error_end, 5u);
}

TEST(ExprLexerTest, KeywordsCommentsAndReserved) {
  auto toks = LexAll("true false null in // comment\n x");
  ASSERT_EQ(toks.size(), 5u);
  EXPECT_EQ(toks[0].kind, Tok::kTrue);
  EXPECT_EQ(toks[1].kind, Tok::kFalse);
  EXPECT_EQ(toks[2].kind, Tok::kNull);
  EXPECT_EQ(toks[3].kind, Tok::kIn);
  EXPECT_EQ(toks[4].kind, Tok::kIdent);
  EXPECT_EQ(LexAll("while")[0].kind, Tok::kError);
  EXPECT_EQ(LexAll("=")[0].kind, Tok::kError);
  EXPECT_EQ(LexAll("&")[0].kind, Tok::kError);
  // A run of Han characters outside quotes is one error token.
  auto han = LexAll("合同类型 x");
  ASSERT_EQ(han.size(), 2u);
  EXPECT_EQ(han[0].kind, Tok::kError);
  EXPECT_EQ(han[0].end, 12u);
  auto paren = LexAll("（");
  EXPECT_NE(paren[0].text.find("ASCII '('"), std::string::npos) << paren[0].text;
}

// ---------------------------------------------------------------------------
// Parser

std::string ParseToString(std::string_view src, std::vector<ExprDiagnostic>* diags = nullptr) {
  Ast ast;
  std::vector<ExprDiagnostic> local;
  Node* root = Parse(src, ExprLimits(), &ast, diags ? diags : &local);
  return DebugString(root);
}

struct PrecedenceCase {
  const char* src;
  const char* tree;
};

TEST(ExprParserTest, Precedence) {
  const PrecedenceCase cases[] = {
      {"1 + 2 * 3", "_+_(1, _*_(2, 3))"},
      {"(1 + 2) * 3", "_*_(_+_(1, 2), 3)"},
      {"1 - 2 - 3", "_-_(_-_(1, 2), 3)"},
      {"8 / 4 % 3", "_%_(_/_(8, 4), 3)"},
      {"a || b && c", "_||_(a, _&&_(b, c))"},
      {"a && b || c && d", "_||_(_&&_(a, b), _&&_(c, d))"},
      {"a || b || c || d", "_||_(a, b, c, d)"},
      {"a && b && c", "_&&_(a, b, c)"},
      {"!a && b", "_&&_(!_(a), b)"},
      {"!!a", "!_(!_(a))"},
      {"-x * 2", "_*_(-_(x), 2)"},
      {"-3", "-3"},
      {"- 3", "-_(3)"},
      {"-9223372036854775808", "-9223372036854775808"},
      {"-1.5", "-1.5"},
      {"a < b == c", "_==_(_<_(a, b), c)"},
      {"x in [1, 2] && y", "_&&_(@in(x, [1, 2]), y)"},
      {"a + b in c", "@in(_+_(a, b), c)"},
      {"a ? b : c ? d : e", "_?_:_(a, b, _?_:_(c, d, e))"},
      {"a || b ? c : d", "_?_:_(_||_(a, b), c, d)"},
      {"a.b.c", "a.b.c"},
      {"a.b(c).d[0]", "_[_](a.b(c).d, 0)"},
      {"f(x, y)", "f(x, y)"},
      {"text.contains(\"招标\")", "text.contains(\"招标\")"},
      {"[1, 2,]", "[1, 2]"},
      {"{\"a\": 1, 2: b,}", "{\"a\": 1, 2: b}"},
      {"[]", "[]"},
      {"{}", "{}"},
      {"has(unit.name)", "has(unit.name)"},
      {"c.exists(x, x > 1u)", "c.exists(x, _>_(x, 1u))"},
      {"-x.y", "-_(x.y)"},
      {"!a.b()", "!_(a.b())"},
      {"1 <= 2 && 3 >= 4 || 5 != 6", "_||_(_&&_(_<=_(1, 2), _>=_(3, 4)), _!=_(5, 6))"},
  };
  for (const PrecedenceCase& c : cases) {
    std::vector<ExprDiagnostic> diags;
    EXPECT_EQ(ParseToString(c.src, &diags), c.tree) << c.src;
    EXPECT_TRUE(diags.empty()) << c.src << ": " << diags[0].message;
  }
}

TEST(ExprParserTest, Positions) {
  Ast ast;
  std::vector<ExprDiagnostic> diags;
  std::string src = "text.contains(\"招标\") && amount >= wan(400)";
  Node* root = Parse(src, ExprLimits(), &ast, &diags);
  ASSERT_NE(root, nullptr);
  ASSERT_EQ(root->kind, NodeKind::kAnd);
  EXPECT_EQ(root->begin, 0u);
  EXPECT_EQ(root->end, src.size());
  const Node* call = root->args[0];
  EXPECT_EQ(call->begin, 0u);
  EXPECT_EQ(call->end, 23u);  // text.contains("招标") is 23 bytes
  EXPECT_EQ(call->name_begin, 5u);
  EXPECT_EQ(call->name_end, 13u);
  EXPECT_EQ(call->target->begin, 0u);
  EXPECT_EQ(call->target->end, 4u);
  EXPECT_EQ(call->args[0]->begin, 14u);
  EXPECT_EQ(call->args[0]->end, 22u);
  const Node* cmp = root->args[1];
  EXPECT_EQ(cmp->text, "_>=_");
  EXPECT_EQ(cmp->begin, 27u);
  EXPECT_EQ(cmp->name_begin, 34u);
  const Node* wan = cmp->args[1];
  EXPECT_EQ(wan->begin, 37u);
  EXPECT_EQ(wan->end, src.size());
  // Parentheses are not nodes but widen nothing: the inner node keeps its range.
  Ast ast2;
  Node* paren = Parse("( a + b )", ExprLimits(), &ast2, &diags);
  EXPECT_EQ(paren->begin, 2u);
  EXPECT_EQ(paren->end, 7u);
}

struct SyntaxErrorCase {
  const char* src;
  std::vector<std::pair<uint32_t, uint32_t>> errors;  // [begin, end) of each
};

TEST(ExprParserTest, SyntaxErrorsWithExactOffsets) {
  const SyntaxErrorCase cases[] = {
      {"1 +", {{3, 3}}},
      {"(1 + 2", {{6, 6}}},
      {"a b", {{2, 3}}},
      {"a = b", {{2, 3}}},
      {"a & b", {{2, 3}}},
      {"f(1 2)", {{4, 5}}},
      {"a.", {{2, 2}}},
      {"a ? b", {{5, 5}}},
      {"[1, 2", {{5, 5}}},
      {"{1: 2", {{5, 5}}},
      {"{1 2}", {{3, 4}}},
      {"x && && y", {{5, 7}}},
      // Recovery at && / || / ',' reports every broken operand.
      {"a = 1 && b == && c @ d", {{2, 3}, {14, 16}, {19, 20}}},
      {"f(1 +, 2 *)", {{5, 6}, {10, 11}}},
      {"1 + 2 3 || 4 5", {{6, 7}, {13, 14}}},
      {"attrs.合同类型", {{6, 18}}},
      {"9223372036854775808", {{0, 19}}},
      {"while", {{0, 5}}},
      {"\"abc", {{0, 4}}},
  };
  for (const SyntaxErrorCase& c : cases) {
    std::vector<ExprDiagnostic> diags;
    Ast ast;
    Parse(c.src, ExprLimits(), &ast, &diags);
    std::vector<std::pair<uint32_t, uint32_t>> got;
    for (const ExprDiagnostic& d : diags) {
      EXPECT_EQ(d.code, "syntax") << c.src;
      // An error at the end of input is an empty range there.
      got.push_back({d.begin, d.begin == std::string_view(c.src).size() ? d.begin : d.end});
    }
    EXPECT_EQ(got, c.errors) << c.src << " first: " << (diags.empty() ? "" : diags[0].message);
  }
}

TEST(ExprParserTest, InvalidUtf8) {
  std::vector<ExprDiagnostic> diags;
  Ast ast;
  EXPECT_EQ(Parse("\"a\xFF\"", ExprLimits(), &ast, &diags), nullptr);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].code, "syntax");
  EXPECT_EQ(diags[0].begin, 2u);
}

TEST(ExprParserTest, LimitSource) {
  ExprLimits limits;
  limits.max_source_bytes = 10;
  std::vector<ExprDiagnostic> diags;
  Ast ast;
  EXPECT_EQ(Parse("1 + 2 + 3 + 4", limits, &ast, &diags), nullptr);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].code, "limit-source");
  diags.clear();
  EXPECT_NE(Parse("1 + 2 + 3", limits, &ast, &diags), nullptr);
  EXPECT_TRUE(diags.empty());
}

TEST(ExprParserTest, LimitDepthParentheses) {
  ExprLimits limits;
  limits.max_source_bytes = 1 << 20;
  // 100k nested parentheses: diagnosed, no stack overflow.
  std::string deep(100000, '(');
  deep += "1";
  deep += std::string(100000, ')');
  std::vector<ExprDiagnostic> diags;
  Ast ast;
  EXPECT_EQ(Parse(deep, limits, &ast, &diags), nullptr);
  ASSERT_FALSE(diags.empty());
  EXPECT_EQ(diags[0].code, "limit-depth");
  EXPECT_EQ(diags.size(), 1u);
}

TEST(ExprParserTest, LimitDepthOtherNestings) {
  ExprLimits limits;
  limits.max_source_bytes = 1 << 20;
  for (const char* unit : {"!", "-", "[", "f(", "{1:", "a[", "x ? y : "}) {
    std::string deep;
    for (int i = 0; i < 50000; ++i) deep += unit;
    deep += "1";
    std::vector<ExprDiagnostic> diags;
    Ast ast;
    EXPECT_EQ(Parse(deep, limits, &ast, &diags), nullptr) << unit;
    bool found = false;
    for (const ExprDiagnostic& d : diags) found |= d.code == "limit-depth";
    EXPECT_TRUE(found) << unit;
  }
  // A long chain of + is a deep left-leaning tree: limited too.
  std::string chain = "1";
  for (int i = 0; i < 100; ++i) chain += " + 1";
  std::vector<ExprDiagnostic> diags;
  Ast ast;
  EXPECT_EQ(Parse(chain, limits, &ast, &diags), nullptr);
  ASSERT_FALSE(diags.empty());
  EXPECT_EQ(diags[0].code, "limit-depth");
  // But a long chain of || is flat.
  std::string ors = "a";
  for (int i = 0; i < 500; ++i) ors += " || a";
  diags.clear();
  Ast ast2;
  EXPECT_NE(Parse(ors, limits, &ast2, &diags), nullptr);
  EXPECT_TRUE(diags.empty());
  // At the limit itself: 64 levels are fine, 65 are not.
  limits.max_depth = 5;
  diags.clear();
  Ast ast3;
  EXPECT_NE(Parse("((((1))))", limits, &ast3, &diags), nullptr);  // 5 ParseExpr levels
  EXPECT_TRUE(diags.empty());
  Ast ast4;
  EXPECT_EQ(Parse("(((((1)))))", limits, &ast4, &diags), nullptr);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].code, "limit-depth");
}

TEST(ExprParserTest, LimitNodes) {
  ExprLimits limits;
  limits.max_nodes = 10;
  std::vector<ExprDiagnostic> diags;
  Ast ast;
  EXPECT_EQ(Parse("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", limits, &ast, &diags), nullptr);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].code, "limit-nodes");
  diags.clear();
  Ast ast2;
  EXPECT_NE(Parse("[1, 2, 3, 4, 5, 6, 7, 8]", limits, &ast2, &diags), nullptr);
  EXPECT_TRUE(diags.empty());
}

}  // namespace
}  // namespace xuncha::expr::internal
