// The evaluator against CEL's documented semantics: one big table.

#include <string>
#include <vector>

#include "expr/expr_test_util.h"
#include "gtest/gtest.h"

namespace xuncha::expr::testing {
namespace {

struct Case {
  const char* src;
  const char* want;
};

v1::Finding SampleFinding() {
  v1::Finding f;
  f.set_id("F-1");
  f.set_round("2024-R1");
  f.set_text("A公司检修分部将厂区道路修补拆成三份合同交同一施工队，合计约520万元，均未招标。");
  f.mutable_amount()->set_fen(520000000);
  f.set_occurred_on("2023-05-01");
  f.set_found_on("2024-03-02");
  f.set_source(v1::SOURCE_KIND_DOCUMENT_REVIEW);
  f.set_inspector_team("第三巡察组");
  v1::Unit* u = f.mutable_unit();
  u->set_id("U-7");
  u->set_name("A公司检修分部");
  u->set_kind("branch");
  u->set_headcount(120);
  auto* c1 = f.add_counterparties();
  c1->set_name("某某劳务有限公司");
  c1->set_kind(v1::COUNTERPARTY_KIND_CONTRACTOR);
  auto* c2 = f.add_counterparties();
  c2->set_name("某某建材公司");
  c2->set_kind(v1::COUNTERPARTY_KIND_SUPPLIER);
  auto* e = f.add_evidence();
  e->set_id("凭证2023-08-117");
  e->set_kind("voucher");
  f.add_tags("工程");
  f.add_tags("招投标");
  (*f.mutable_attrs())["合同类型"] = "施工";
  (*f.mutable_attrs())["kind"] = "repair";
  return f;
}

void RunTable(const std::vector<Case>& cases, const v1::Finding& f = v1::Finding()) {
  TestEnv env;
  for (const Case& c : cases) EXPECT_EQ(env.Eval(c.src, f), c.want) << c.src;
}

TEST(ExprEvalTest, Arithmetic) {
  RunTable({
      {"1 + 2 * 3", "7 : int"},
      {"(1 + 2) * 3", "9 : int"},
      {"7 / 2", "3 : int"},
      {"-7 / 2", "-3 : int"},
      {"7 % 3", "1 : int"},
      {"-7 % 3", "-1 : int"},
      {"7u / 2u", "3u : uint"},
      {"7u % 4u", "3u : uint"},
      {"1.5 + 2.25", "3.75 : double"},
      {"1.0 / 0.0", "+Inf : double"},
      {"-1.0 / 0.0", "-Inf : double"},
      {"0x1F + 1", "32 : int"},
      {"-(-3)", "3 : int"},
      {"- -3", "3 : int"},
      {"-9223372036854775808", "-9223372036854775808 : int"},
      {"\"ab\" + \"招标\"", "\"ab招标\" : string"},
      {"b\"a\" + b\"\\x00\"", "b\"a\\x00\" : bytes"},
      {"[1] + [2, 3]", "[1, 2, 3] : list(int)"},
      {"[] + []", "[] : list(dyn)"},
  });
}

TEST(ExprEvalTest, OverflowAndDivision) {
  // Operands come through dyn() so that constant folding does not hide the
  // run-time behaviour.
  RunTable({
      {"dyn(9223372036854775807) + 1", "error: integer overflow"},
      {"dyn(-9223372036854775808) - 1", "error: integer overflow"},
      {"dyn(4611686018427387904) * 2", "error: integer overflow"},
      {"-dyn(-9223372036854775808)", "error: integer overflow"},
      {"dyn(-9223372036854775808) / -1", "error: integer overflow"},
      {"dyn(-9223372036854775808) % -1", "error: integer overflow"},
      {"dyn(18446744073709551615u) + 1u", "error: unsigned integer overflow"},
      {"dyn(0u) - 1u", "error: unsigned integer overflow"},
      {"dyn(4294967296u) * 4294967296u", "error: unsigned integer overflow"},
      {"dyn(1) / 0", "error: division by zero"},
      {"dyn(1) % 0", "error: modulus by zero"},
      {"dyn(1u) / 0u", "error: division by zero"},
      {"dyn(1u) % 0u", "error: modulus by zero"},
      {"9223372036854775807 + 0", "9223372036854775807 : int"},
      // Constant expressions that fail are errors at run time too.
      {"1 / 0", "error: division by zero"},
      {"9223372036854775807 + 1", "error: integer overflow"},
  });
}

TEST(ExprEvalTest, LogicAbsorbsErrorsInEveryOrder) {
  RunTable({
      {"false && dyn(1/0 == 1)", "false"},
      {"dyn(1/0 == 1) && false", "false"},
      {"true && dyn(1/0 == 1)", "error: division by zero"},
      {"dyn(1/0 == 1) && true", "error: division by zero"},
      {"true || dyn(1/0 == 1)", "true"},
      {"dyn(1/0 == 1) || true", "true"},
      {"false || dyn(1/0 == 1)", "error: division by zero"},
      {"dyn(1/0 == 1) || false", "error: division by zero"},
      {"dyn(1/0 == 1) && dyn(1 % 0 == 1)", "error: division by zero"},
      {"!dyn(1/0 == 1)", "error: division by zero"},
      {"dyn(1/0 == 1) ? 1 : 2", "error: division by zero"},
      {"true ? 1 : dyn(1/0)", "1 : int"},
      {"false ? dyn(1/0) : 2", "2 : int"},
      {"dyn(1) && true", "error: no such overload: _&&_(int)"},
      {"false && dyn(1)", "false"},
      {"dyn(1) || true", "true"},
      {"!dyn(1)", "error: no such overload: !_(int)"},
      {"dyn(1) ? 1 : 2", "error: no such overload: _?_:_(int)"},
      {"true && true && true", "true"},
      {"false || false || true", "true"},
      {"dyn(true) && dyn(false) && dyn(1/0 == 1)", "false"},
  });
}

TEST(ExprEvalTest, HeterogeneousEqualityAndOrdering) {
  RunTable({
      {"1 == 1u", "true"},
      {"1 == 1.0", "true"},
      {"1u == 1.0", "true"},
      {"dyn(1) == dyn(1u)", "true"},
      {"-1 == 18446744073709551615u", "false"},
      {"-1 < 0u", "true"},
      {"1 < 1.5", "true"},
      {"2u > 1.5", "true"},
      {"9223372036854775807 < 9223372036854775808.0", "true"},
      {"9223372036854775807 == 9223372036854775807.0", "false"},
      {"18446744073709551615u < 18446744073709551616.0", "true"},
      {"1.0/0.0 > 9223372036854775807", "true"},
      {"dyn(0.0/0.0) == dyn(0.0/0.0)", "false"},
      {"dyn(0.0/0.0) != dyn(0.0/0.0)", "true"},
      {"dyn(0.0/0.0) < 1", "false"},
      {"dyn(0.0/0.0) >= 1", "false"},
      {"1 == dyn(0.0/0.0)", "false"},
      {"dyn(1) == dyn(\"1\")", "false"},
      {"dyn(1) != dyn(\"1\")", "true"},
      {"dyn(null) == null", "true"},
      {"dyn([1, 2]) == [1.0, 2u]", "true"},
      {"[1, [2, 3]] == [1, [2, 3]]", "true"},
      {"[1, 2] == [2, 1]", "false"},
      {"{\"a\": 1, \"b\": 2} == {\"b\": 2, \"a\": 1}", "true"},
      {"{\"a\": 1} == {\"a\": 2}", "false"},
      {"dyn({1: \"x\"}) == {1u: \"x\"}", "true"},
      {"dyn(1) < dyn(\"a\")", "error: no such overload: _<_(int, string)"},
      {"true > false", "true"},
      {"b\"a\" < b\"b\"", "true"},
      {"type(1) == int", "true"},
      {"type(\"a\") == string", "true"},
      {"type([1]) == list", "true"},
      {"type(1u) != int", "true"},
  });
}

TEST(ExprEvalTest, Strings) {
  RunTable({
      {"\"abc\" < \"abd\"", "true"},
      {"\"a\" < \"招\"", "true"},
      {"\"\\uFFFF\" < \"\\U00010000\"", "true"},  // bytewise UTF-8 = code point order
      {"size(\"招标投标\")", "4 : int"},
      {"\"招标投标\".size()", "4 : int"},
      {"size(b\"\\xe6\\x8b\\x9b\")", "3 : int"},
      {"\"招标投标\".contains(\"标投\")", "true"},
      {"\"招标投标\".startsWith(\"招标\")", "true"},
      {"\"招标投标\".endsWith(\"招标\")", "false"},
      {"\"abc\".matches(\"b\")", "true"},
      {"\"abc\".matches(\"^b\")", "false"},
      {"\"项目金额520万元\".matches(\"[0-9]+万元\")", "true"},
      {"matches(\"abc\", \"c$\")", "true"},
      {"dyn(\"abc\").matches(dyn(\"(\"))", "error: invalid regex \"(\": missing ): ("},
      {"\"劳务派遣\".containsAny([\"派遣\", \"外包\"])", "true"},
      {"\"劳务派遣\".containsAny([])", "false"},
      {"\"a\\\"b\"", "\"a\\\"b\" : string"},
      {"'''x\ny'''", "\"x\\ny\" : string"},
      {"r\"\\d\"", "\"\\\\d\" : string"},
  });
}

TEST(ExprEvalTest, ListsMapsAndIn) {
  RunTable({
      {"[1, 2, 3][1]", "2 : int"},
      {"[1, 2, 3][1u]", "2 : int"},
      {"dyn([1, 2, 3])[3]", "error: index out of range: 3 (size 3)"},
      {"dyn([1, 2, 3])[-1]", "error: index out of range: -1 (size 3)"},
      {"{\"a\": 1}[\"a\"]", "1 : int"},
      {"dyn({\"a\": 1})[\"b\"]", "error: no such key: \"b\""},
      {"{\"a\": 1}.a", "1 : int"},
      {"dyn({\"a\": 1}).b", "error: no such key: \"b\""},
      {"{1: \"x\"}[1u]", "\"x\" : string"},
      {"{true: 1, false: 0}[true]", "1 : int"},
      {"2 in [1, 2, 3]", "true"},
      {"2.0 in [1, 2, 3]", "true"},
      {"4 in [1, 2, 3]", "false"},
      {"\"a\" in {\"a\": 1}", "true"},
      {"\"b\" in {\"a\": 1}", "false"},
      {"1u in {1: 2}", "true"},
      {"size([1, 2])", "2 : int"},
      {"size({\"a\": 1})", "1 : int"},
      {"[1, \"a\"]", "[1, \"a\"] : list(dyn)"},
      {"{\"a\": [1]}", "{\"a\": [1]} : map(string, list(int))"},
      {"{dyn(\"a\"): 1, dyn(\"a\"): 2}", "error: repeated key in map literal: \"a\""},
      {"[dyn(1/0)]", "error: division by zero"},
  });
}

TEST(ExprEvalTest, Macros) {
  RunTable({
      {"[1, 2, 3].all(x, x > 0)", "true"},
      {"[1, 2, 3].all(x, x > 1)", "false"},
      {"[].all(x, x > 1)", "true"},
      {"[1, 2, 3].exists(x, x > 2)", "true"},
      {"[1, 2, 3].exists(x, x > 3)", "false"},
      {"[].exists(x, x > 1)", "false"},
      {"[1, 2, 3].exists_one(x, x > 1)", "false"},
      {"[1, 2, 3].exists_one(x, x > 2)", "true"},
      {"[1, 2, 3].map(x, x * 2)", "[2, 4, 6] : list(int)"},
      {"[1, 2, 3].map(x, x > 1, x * 10)", "[20, 30] : list(int)"},
      {"[1, 2, 3].filter(x, x % 2 == 1)", "[1, 3] : list(int)"},
      {"{\"a\": 1, \"b\": 2}.all(k, k.size() == 1)", "true"},
      {"{\"a\": 1, \"b\": 2}.map(k, k + \"!\")", "[\"a!\", \"b!\"] : list(string)"},
      // Errors: all/exists absorb them like && / ||.
      {"[0, -1].all(x, 1 / x > 0)", "false"},
      {"[0, 1].all(x, 1 / x > 0)", "error: division by zero"},
      {"[1, 0].all(x, 1 / x > 0)", "error: division by zero"},
      {"[0, 1].exists(x, 1 / x > 0)", "true"},
      {"[0, 2].exists(x, 1 / x > 0)", "error: division by zero"},
      {"[0, 1].exists_one(x, 1 / x > 0)", "error: division by zero"},
      {"[0].map(x, 1 / x)", "error: division by zero"},
      {"[0].filter(x, 1 / x > 0)", "error: division by zero"},
      // Nested macros, shadowing.
      {"[[1, 2], [3]].exists(x, x.exists(x, x == 3))", "true"},
      {"[1, 2].all(x, [3, 4].all(y, x < y))", "true"},
      {"[1, 2].map(x, [10, 20].map(y, x + y))", "[[11, 21], [12, 22]] : list(list(int))"},
      {"dyn(1).all(x, true)", "error: no such overload: all(int)"},
  });
}

TEST(ExprEvalTest, Conversions) {
  RunTable({
      {"int(\"42\")", "42 : int"},
      {"int(\" -7 \")", "-7 : int"},
      {"dyn(int(\"4x\"))", "error: cannot convert \"4x\" to int"},
      {"int(3.9)", "3 : int"},
      {"int(-3.9)", "-3 : int"},
      {"int(42u)", "42 : int"},
      {"dyn(int(18446744073709551615u))", "error: int() out of range: 18446744073709551615u"},
      {"dyn(int(1e19))", "error: int() out of range: 1e+19"},
      {"uint(42)", "42u : uint"},
      {"dyn(uint(-1))", "error: uint() out of range: -1"},
      {"uint(\"7\")", "7u : uint"},
      {"double(1)", "1 : double"},
      {"double(\"1.5\")", "1.5 : double"},
      {"double(18446744073709551615u)", "18446744073709551616 : double"},
      {"string(12)", "\"12\" : string"},
      {"string(12u)", "\"12\" : string"},
      {"string(1.5)", "\"1.5\" : string"},
      {"string(true)", "\"true\" : string"},
      {"string(b\"abc\")", "\"abc\" : string"},
      {"dyn(string(b\"\\xff\"))", "error: bytes are not valid UTF-8"},
      {"bytes(\"招\")", "b\"\\xE6\\x8B\\x9B\" : bytes"},
      {"bool(\"true\")", "true"},
      {"type(int)", "type : type"},
      {"type(dyn([1]))", "list : type"},
  });
}

TEST(ExprEvalTest, FindingVariables) {
  v1::Finding f = SampleFinding();
  RunTable(
      {
          {"id", "\"F-1\" : string"},
          {"round == \"2024-R1\"", "true"},
          {"amount", "520000000 : int"},
          {"amount >= wan(400)", "true"},
          {"amount == finding.amount", "true"},
          {"text_amounts", "[520000000] : list(int)"},
          {"source", "\"document_review\" : string"},
          {"inspector_team", "\"第三巡察组\" : string"},
          {"occurred_on < found_on", "true"},
          {"unit.name", "\"A公司检修分部\" : string"},
          {"unit.headcount > 100", "true"},
          {"unit.kind == \"branch\"", "true"},
          {"counterparties.size()", "2 : int"},
          {"counterparties[0].kind", "\"contractor\" : string"},
          {"counterparties.exists(c, c.name.contains(\"劳务\"))", "true"},
          {"counterparties.exists(c, c.kind == \"agent\")", "false"},
          {"counterparties.map(c, c.kind)", "[\"contractor\", \"supplier\"] : list(string)"},
          {"counterparties.filter(c, c.kind == \"supplier\").size() == 1", "true"},
          {"evidence[0].id", "\"凭证2023-08-117\" : string"},
          {"\"工程\" in tags", "true"},
          {"tags", "[\"工程\", \"招投标\"] : list(string)"},
          {"\"合同类型\" in attrs", "true"},
          {"attrs[\"合同类型\"] == \"施工\"", "true"},
          {"attrs.kind", "\"repair\" : string"},
          {"attrs", "{\"kind\": \"repair\", \"合同类型\": \"施工\"} : map(string, string)"},
          {"finding.unit.id", "\"U-7\" : string"},
          {"finding.text.size() > 10", "true"},
          {"unit.name.matches(\"分部$\")", "true"},
          {"has(unit.name)", "true"},
          {"has(unit.parent_id)", "false"},
          {"has(finding.amount)", "true"},
          {"has(finding.unit)", "true"},
          {"has(attrs.kind)", "true"},
          {"has(attrs.other)", "false"},
          {"has(counterparties[0].id)", "false"},
          {"dyn(attrs)[\"其他\"]", "error: no such key: \"其他\""},
      },
      f);
  // An empty finding: defaults, amount reads 0, has() is false.
  RunTable({
      {"amount", "0 : int"},
      {"has(finding.amount)", "false"},
      {"has(finding.unit)", "false"},
      {"unit.name == \"\"", "true"},
      {"source", "\"\" : string"},
      {"text_amounts", "[] : list(int)"},
      {"counterparties.all(c, false)", "true"},
  });
}

TEST(ExprEvalTest, ResultVariable) {
  TestEnv env(/*require_bool=*/false, /*result_available=*/true);
  StageResult r;
  r.category = "bidding";
  r.subcategory = "split_to_evade";
  r.secondary = {"finance/slush_fund"};
  r.rules = {"B-001"};
  r.score = 0.75;
  r.classified = true;
  v1::Finding f;
  EXPECT_EQ(env.Eval("result.category == \"bidding\"", f, &r), "true");
  EXPECT_EQ(env.Eval("\"B-001\" in result.rules", f, &r), "true");
  EXPECT_EQ(env.Eval("result.score > 0.5 && result.classified", f, &r), "true");
  EXPECT_EQ(env.Eval("result.secondary.exists(s, s.startsWith(\"finance\"))", f, &r), "true");
  EXPECT_EQ(env.Eval("has(result.nature)", f, &r), "false");
  // No result yet (first evaluation of a later stage): reads as empty.
  EXPECT_EQ(env.Eval("result.category == \"\"", f, nullptr), "true");
  std::vector<ExprDiagnostic> diags;
  auto p = env.Compile("result.category == \"bidding\" && has(result.disposition) || result.score > 1.0", &diags);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->result_fields_read(), (std::vector<std::string>{"category", "disposition", "score"}));
}

TEST(ExprEvalTest, RequireBool) {
  TestEnv env(/*require_bool=*/true);
  EXPECT_EQ(env.Eval("1 + 1"), "diag: not-bool@0-5");
  EXPECT_EQ(env.Eval("dyn(1)"), "error: condition is not a bool: got int");
  EXPECT_EQ(env.Eval("dyn(true)"), "true");
}

TEST(ExprEvalTest, ValuesPrintAsCel) {
  RunTable({
      {"null", "null : null_type"},
      {"1.5", "1.5 : double"},
      {"1e3", "1000 : double"},
      {"1u", "1u : uint"},
      {"\"s\"", "\"s\" : string"},
      {"[1, 2]", "[1, 2] : list(int)"},
      {"{\"a\": 1}", "{\"a\": 1} : map(string, int)"},
      {"[\"招标\", 'x']", "[\"招标\", \"x\"] : list(string)"},
  });
}

TEST(ExprEvalTest, Trace) {
  TestEnv env;
  std::vector<ExprDiagnostic> diags;
  std::string src = "text.contains(\"招标\") && amount >= wan(400)";
  auto p = env.Compile(src, &diags);
  ASSERT_NE(p, nullptr);
  v1::Finding f = TextFinding("未招标直接发包");
  f.mutable_amount()->set_fen(100);
  NaiveOracle oracle(&env.table(), f.text());
  Activation act;
  act.finding = &f;
  act.oracle = &oracle;
  act.amount_fen = 100;
  std::vector<TraceStep> trace;
  EvalOutcome out = p->EvaluateTraced(act, &trace);
  EXPECT_EQ(out.kind, EvalOutcome::kBool);
  EXPECT_FALSE(out.value);
  std::vector<std::string> got;
  for (const TraceStep& s : trace) got.push_back(std::to_string(s.depth) + " " + s.source + " = " + s.value);
  EXPECT_EQ(got, (std::vector<std::string>{
                     "0 " + src + " = false",
                     "1 text.contains(\"招标\") = true",
                     "1 amount >= wan(400) = false",
                     "2 amount = 100",
                     "2 wan(400) = 400000000",
                 }));
}

}  // namespace
}  // namespace xuncha::expr::testing
