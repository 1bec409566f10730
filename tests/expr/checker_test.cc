// The checker: every diagnostic code, exact ranges, code-point columns, and
// that all diagnostics of an expression are reported.

#include <string>
#include <vector>

#include "expr/expr_test_util.h"
#include "expr/position.h"
#include "gtest/gtest.h"

namespace xuncha::expr::testing {
namespace {

struct DiagCase {
  const char* src;
  const char* want;  // TestEnv::Render of the diagnostics
};

TEST(ExprCheckerTest, EachCode) {
  const DiagCase cases[] = {
      {"1 +", "syntax@3-3"},
      {"txt.contains(\"招标\")", "unknown-variable@0-3"},
      {"unit.nmae == \"A\"", "unknown-field@5-9"},
      {"has(unit.nmae)", "unknown-field@9-13"},
      {"text.contians(\"招标\")", "unknown-function@5-13"},
      {"amount + 1.5 > 0.0", "type-mismatch@0-12"},
      {"1 + \"a\" == 2", "type-mismatch@0-7"},
      {"text.contains(1)", "type-mismatch@14-15"},
      {"size(1) > 0", "type-mismatch@5-6"},
      {"\"a\" && true", "type-mismatch@0-3"},
      {"amount ? true : false", "type-mismatch@0-6"},
      {"unit.name.size", "type-mismatch@10-14"},
      {"tags[\"a\"] == \"x\"", "type-mismatch@0-9"},
      {"1 in 2", "type-mismatch@0-6"},
      {"near(\"违规\", \"发包\")", "bad-arguments@0-24"},
      {"near(\"违规\", \"发包\", -1)", "bad-arguments@25-27"},
      {"near(\"违规\", unit.name, 3)", "bad-arguments@15-24"},
      {"near(\"\", \"发包\", 3)", "bad-arguments@5-7"},
      {"has(attrs)", "bad-arguments@4-9"},
      {"text.contains()", "bad-arguments@0-15"},
      {"counterparties.exists(\"c\", true)", "bad-arguments@22-25"},
      {"counterparties.exists(c)", "bad-arguments@0-24"},
      {"contains(text, \"a\")", "bad-arguments@0-19"},
      {"text.size(1) > 0", "bad-arguments@0-12"},
      {"negated(unit.name)", "bad-arguments@8-17"},
      {"mentions(unit.name)", "bad-arguments@9-18"},
      {"mentions(\"围标词\")", "unknown-lexicon@9-20"},
      {"text.containsAny(lexicon(\"无此词表\"))", "unknown-lexicon@25-39"},
      {"text.matches(\"(\")", "bad-regex@13-16"},
      {"unit.name.matches(\"[\")", "bad-regex@18-21"},
      {"amount > money(\"很多钱\")", "bad-money@15-26"},
      {"amount > yi(100000000000)", "bad-money@9-25"},
      {"result.category == \"bidding\"", "result-unavailable@0-6"},
  };
  TestEnv env(/*require_bool=*/true);
  for (const DiagCase& c : cases) EXPECT_EQ(env.Diagnose(c.src), c.want) << c.src;
}

TEST(ExprCheckerTest, NotBool) {
  TestEnv env(/*require_bool=*/true);
  EXPECT_EQ(env.Diagnose("amount"), "not-bool@0-6");
  EXPECT_EQ(env.Diagnose("unit.name + \"x\""), "not-bool@0-15");
  EXPECT_EQ(env.Diagnose("dyn(amount)"), "");  // dyn: checked at run time
  TestEnv cli(/*require_bool=*/false);
  EXPECT_EQ(cli.Diagnose("amount"), "");
}

TEST(ExprCheckerTest, Lints) {
  const DiagCase cases[] = {
      {"text.contains(\"贿\")", "w:short-keyword@14-19"},
      {"text.containsAny([\"回扣\", \"贿\"])", "w:short-keyword@28-33"},
      {"unit.name.contains(\"贿\")", "w:short-keyword@19-24"},
      {"mentions(\"短词\")", "w:short-keyword@9-17"},
      {"near(\"贿\", \"钱\", 5)", "w:short-keyword@5-10, w:short-keyword@12-17"},
      {"text.contains(\"ＡB公司\")", "w:mixed-width@14-26"},
      {"text.matches(\"１2\")", "w:mixed-width@13-19"},
      {"amount > 4000000", "w:amount-without-unit@9-16"},
      {"4000000.0 <= finding.amount", "w:amount-without-unit@0-9"},
      {"amount > 0", ""},
      {"amount > wan(400)", ""},
      {"text.matches(\".*\")", "w:regex-full-scan@13-17"},
      // A regex written twice is compiled and analysed once, and warned at both places.
      {"text.matches(\".*\") || text.matches(\".*\")", "w:regex-full-scan@13-17, w:regex-full-scan@35-39"},
      {"text.matches(\"招标.*未\")", ""},
      {"unit.name.matches(\".*\")", ""},  // only regexes on text are prefiltered
      {"false", "w:never-fires@0-5"},
      {"text.contains(\"招标\") && false", "w:never-fires@27-32"},
      {"text.contains(\"招标\") && 1 > 2", "w:never-fires@27-32"},
      {"true", ""},
  };
  TestEnv env(/*require_bool=*/true);
  for (const DiagCase& c : cases) EXPECT_EQ(env.Diagnose(c.src), c.want) << c.src;
  // Warnings do not stop compilation.
  std::vector<ExprDiagnostic> diags;
  EXPECT_NE(env.Compile("text.contains(\"贿\")", &diags), nullptr);
}

TEST(ExprCheckerTest, CollectsAllDiagnostics) {
  TestEnv env(/*require_bool=*/true);
  EXPECT_EQ(env.Diagnose("foo(1) || bar && 1 + \"a\""),
            "unknown-function@0-3, unknown-variable@10-13, type-mismatch@17-24");
  EXPECT_EQ(env.Diagnose("mentions(\"无\") && text.matches(\"(\") && amount > money(\"x\")"),
            "unknown-lexicon@9-14, bad-regex@32-35, bad-money@55-58");
  // Syntax errors and checker errors together.
  EXPECT_EQ(env.Diagnose("a = 1 && unit.nmae == \"\""), "unknown-variable@0-1, syntax@2-3, unknown-field@14-18");
}

TEST(ExprCheckerTest, Suggestions) {
  TestEnv env(/*require_bool=*/true);
  auto message = [&](const char* src) {
    std::vector<ExprDiagnostic> diags;
    env.Compile(src, &diags);
    return diags.empty() ? std::string() : diags[0].message;
  };
  EXPECT_EQ(message("txt.contains(\"x\")"), "unknown variable 'txt'; did you mean 'text'?");
  EXPECT_EQ(message("unit.nmae == \"\""),
            "type xuncha.v1.Unit has no field 'nmae'; did you mean 'name'?");
  EXPECT_EQ(message("text.contians(\"x\")"), "unknown function 'contians'; did you mean 'contains'?");
  EXPECT_EQ(message("conterparties.size() > 0"),
            "unknown variable 'conterparties'; did you mean 'counterparties'?");
  EXPECT_EQ(message("mentions(\"围标词\")"), "unknown lexicon \"围标词\"; did you mean \"围标\"?");
  EXPECT_EQ(message("zzz"), "unknown variable 'zzz'");
  auto message_of = [&](const char* src, const std::string& code) {
    std::vector<ExprDiagnostic> diags;
    env.Compile(src, &diags);
    for (const ExprDiagnostic& d : diags) {
      if (d.code == code) return d.message;
    }
    return std::string();
  };
  EXPECT_EQ(message_of("amount > 400万", "syntax"), "unexpected '万' after a number; write wan(400) or money(\"400万元\")");
  EXPECT_EQ(message_of("amount > 1.2亿元", "syntax"), "unexpected '亿元' after a number; write yi(1.2) or money(\"1.2亿元\")");
  EXPECT_EQ(message_of("a and b", "syntax"), "unexpected 'and'; an operator is missing before it (logical and is '&&')");
  EXPECT_EQ(message("tags.contains(\"工程\")"),
            "contains() is for strings; to test membership of a list write x in tags");
}

TEST(ExprCheckerTest, ChineseColumnsInCodePoints) {
  TestEnv env(/*require_bool=*/true);
  std::string src = "text.contains(\"串通投标\") && mentions(\"围标词\")";
  std::vector<ExprDiagnostic> diags;
  env.Compile(src, &diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].code, "unknown-lexicon");
  SourcePosition pos = LocateInSource(src, diags[0].begin, diags[0].end);
  // text.contains("串通投标") && mentions( is 34 code points; the literal
  // starts at column 35 and is 5 code points long ("围标词" with quotes).
  EXPECT_EQ(pos.line, 1u);
  EXPECT_EQ(pos.column, 35u);
  EXPECT_EQ(pos.length, 5u);
  EXPECT_EQ(diags[0].begin, 42u);  // bytes: 4 Han characters take 12

  std::string two_lines = "text.contains(\"招标\") &&\n  unit.名称 == \"x\"";
  diags.clear();
  env.Compile(two_lines, &diags);
  ASSERT_FALSE(diags.empty());
  pos = LocateInSource(two_lines, diags[0].begin, diags[0].end);
  EXPECT_EQ(pos.line, 2u);
  EXPECT_EQ(pos.column, 8u);
  EXPECT_EQ(pos.length, 2u);
  EXPECT_EQ(pos.line_text, "  unit.名称 == \"x\"");
}

TEST(ExprCheckerTest, Limits) {
  TestEnv env(/*require_bool=*/true);
  env.env().limits.max_source_bytes = 20;
  EXPECT_EQ(env.Diagnose("text.contains(\"招标\") && true"), "limit-source@20-31");
  env.env().limits.max_source_bytes = 1 << 20;
  env.env().limits.max_nodes = 5;
  EXPECT_EQ(env.Diagnose("[1, 2, 3, 4, 5, 6].size() > 0"), "limit-nodes@13-14");
  env.env().limits.max_nodes = 4096;
  env.env().limits.max_depth = 3;
  EXPECT_EQ(env.Diagnose("((((true))))"), "limit-depth@3-4");
  env.env().limits = ExprLimits();
  std::string deep(100000, '(');
  env.env().limits.max_source_bytes = 1 << 20;
  EXPECT_EQ(env.Diagnose(deep + "true" + std::string(100000, ')')), "limit-depth@64-65");
  // Run-time limits: strings and lists built by the program.
  env.env().limits = ExprLimits();
  env.env().limits.max_string_bytes = 8;
  env.env().limits.max_list_size = 3;
  EXPECT_EQ(env.Eval("size(dyn(\"12345\") + \"6789\") > 0"), "error: string longer than 8 bytes");
  EXPECT_EQ(env.Eval("size(dyn([1, 2]) + [3, 4]) > 0"), "error: list longer than 3 elements");
  // Nested macros multiply: an iteration budget stops them.
  env.env().limits = ExprLimits();
  env.env().limits.max_iterations = 1000;
  std::string l = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]";
  EXPECT_EQ(env.Eval(l + ".all(a, " + l + ".all(b, " + l + ".all(c, true)))"),
            "error: macro iteration limit of 1000 steps reached");
  EXPECT_EQ(env.Eval(l + ".all(a, " + l + ".all(b, " + l + ".exists(c, c == 9)))"),
            "error: macro iteration limit of 1000 steps reached");
  EXPECT_EQ(env.Eval(l + ".all(a, " + l + ".all(b, true))"), "true");
}

TEST(ExprCheckerTest, RegexLimits) {
  TestEnv env(/*require_bool=*/true);
  env.env().limits.regex_max_program_size = 50;
  EXPECT_EQ(env.Diagnose("text.matches(\"(招标|投标){10}\")"), "bad-regex@13-34");
  EXPECT_EQ(env.Diagnose("unit.name.matches(\"(招标|投标){10}\")"), "bad-regex@18-39");
}

}  // namespace
}  // namespace xuncha::expr::testing
