// Domain functions: near, negated/affirmed, lexicons, money.

#include <string>
#include <vector>

#include "expr/expr_test_util.h"
#include "gtest/gtest.h"

namespace xuncha::expr::testing {
namespace {

struct TextCase {
  const char* text;
  const char* src;
  const char* want;
};

void RunTextTable(const std::vector<TextCase>& cases) {
  TestEnv env;
  for (const TextCase& c : cases) {
    EXPECT_EQ(env.Eval(c.src, TextFinding(c.text)), c.want) << c.src << " on " << c.text;
  }
}

TEST(ExprDomainTest, NearAtTheBoundary) {
  RunTextTable({
      // Distance = |start of one - start of the other| in code points.
      {"违规发包", "near(\"违规\", \"发包\", 2)", "true"},
      {"违规发包", "near(\"违规\", \"发包\", 1)", "false"},
      {"发包违规", "near(\"违规\", \"发包\", 2)", "true"},  // either order
      {"发包违规", "near(\"违规\", \"发包\", 1)", "false"},
      {"违规abc发包", "near(\"违规\", \"发包\", 5)", "true"},  // code points, not bytes
      {"违规abc发包", "near(\"违规\", \"发包\", 4)", "false"},
      {"违规，将工程直接发包给", "near(\"违规\", \"直接发包\", 6)", "true"},
      {"违规，将工程直接发包给", "near(\"违规\", \"直接发包\", 5)", "false"},
      {"违规。。。。违规发包", "near(\"违规\", \"发包\", 2)", "true"},  // the nearer pair counts
      {"发包", "near(\"违规\", \"发包\", 100)", "false"},
      {"违规发包", "near([\"违法\", \"违规\"], lexicon(\"违规发包\"), 2)", "false"},
      {"违规直接发包", "near([\"违法\", \"违规\"], lexicon(\"违规发包\"), 2)", "true"},
      {"违规直接发包", "near([\"违法\", \"违规\"], lexicon(\"违规发包\"), 1)", "false"},
      {"串标", "near(\"串标\", \"串标\", 0)", "true"},  // the same occurrence is 0 apart
  });
}

TEST(ExprDomainTest, NegationOnDomainExamples) {
  // DOMAIN.md §8 example 14: a negative finding.
  const char* ex14 = "抽查N公司12个采购项目，均已按规定询比价，未发现违规。";
  // §8 example 15: a lead written off.
  const char* ex15 = "反映O公司经理违规兼职取酬，经核实兼职已审批且未领报酬，予以了结。";
  RunTextTable({
      {ex14, "negated(\"违规\")", "true"},
      {ex14, "affirmed(\"违规\")", "false"},
      {ex14, "negated(\"询比价\")", "true"},
      {ex14, "text.contains(\"违规\") && !negated(\"违规\")", "false"},
      {ex15, "negated(\"兼职取酬\")", "true"},
      {ex15, "negated(\"兼职\")", "true"},  // both occurrences
      {ex15, "affirmed([\"违规\", \"兼职\"])", "false"},
      {ex15, "negated(\"未领报酬\")", "true"},
      {ex15, "negated(\"围标\")", "false"},  // no occurrence: neither
      {ex15, "affirmed(\"围标\")", "false"},
  });
}

TEST(ExprDomainTest, NegationCuesOfDomainSection9) {
  RunTextTable({
      // Cues before the term.
      {"经检查，未发现违规发放津补贴问题。", "negated(\"违规发放\")", "true"},
      {"经核实，不存在违规发放津补贴问题。", "negated(\"违规发放\")", "true"},
      {"12个项目均已按规定公开招标。", "negated(\"公开招标\")", "true"},
      {"经核实不属实的违规问题已答复。", "negated(\"违规\")", "true"},
      // Cues after the term.
      {"反映A公司违规招标问题，经核实不属实。", "negated(\"违规招标\")", "true"},
      {"反映的超标准接待问题，予以澄清。", "negated(\"超标准接待\")", "true"},
      {"公务用车管理总体良好。", "negated(\"公务用车\")", "true"},
      {"上轮指出的加油卡管理混乱问题已整改到位。", "negated(\"加油卡管理混乱\")", "true"},
      {"先实施后招标的做法已叫停。", "negated(\"先实施后招标\")", "true"},
      // The term inside a cue is negated ("存在" of "不存在").
      {"经核实，不存在违规。", "negated(\"存在\")", "true"},
  });
}

TEST(ExprDomainTest, NegationScopes) {
  RunTextTable({
      // A plain statement is affirmed.
      {"存在违规发包问题。", "affirmed(\"违规发包\")", "true"},
      {"存在违规发包问题。", "negated(\"违规发包\")", "false"},
      // Violations phrased with 未 are not negations.
      {"该项目未按规定公开招标。", "affirmed(\"公开招标\")", "true"},
      {"未见审批手续。", "affirmed(\"审批手续\")", "true"},
      // A contrast word ends a before-cue's scope.
      {"未发现违规，但存在围标串标问题。", "negated(\"违规\")", "true"},
      {"未发现违规，但存在围标串标问题。", "affirmed(\"围标\")", "true"},
      {"未发现违规，但存在围标串标问题。", "negated(\"围标\")", "false"},
      // Commas do not end it: an enumeration stays negated.
      {"未发现超标准接待，公车私用等问题。", "negated(\"公车私用\")", "true"},
      // A sentence end does.
      {"未发现违规。另存在违规发放津贴问题。", "negated(\"违规\")", "false"},
      {"未发现违规。另存在违规发放津贴问题。", "affirmed(\"违规\")", "true"},
      {"存在违规发包问题！经核实不属实", "negated(\"违规发包\")", "false"},
      // One negated and one affirmed occurrence: affirmed, not negated.
      {"A单位未发现违规；B单位存在违规。", "negated(\"违规\")", "false"},
      {"A单位未发现违规；B单位存在违规。", "affirmed(\"违规\")", "true"},
      // The before-cue window: 30 code points between cue and term.
      {"未发现一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十违规", "negated(\"违规\")", "true"},
      {"未发现一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一违规", "negated(\"违规\")", "false"},
  });
}

TEST(ExprDomainTest, CustomCues) {
  TestEnv env;
  env.table().SetNegationCues({"没有"}, {});
  EXPECT_EQ(env.Eval("negated(\"违规\")", TextFinding("没有违规")), "true");
  EXPECT_EQ(env.Eval("negated(\"违规\")", TextFinding("未发现违规")), "false");
  ASSERT_EQ(env.table().cues_before().size(), 1u);
  EXPECT_EQ(env.terms().term(env.table().cues_before()[0]), "没有");
}

TEST(ExprDomainTest, DefaultCuesInstalledWhenNone) {
  TermTable terms;
  PredicateTable table(&terms);
  Environment env;
  env.predicates = &table;
  std::vector<ExprDiagnostic> diags;
  ASSERT_NE(CompileExpression("negated(\"违规\")", env, &diags), nullptr);
  EXPECT_EQ(table.cues_before().size(), DefaultNegationCuesBefore().size());
  EXPECT_EQ(table.cues_after().size(), DefaultNegationCuesAfter().size());
}

TEST(ExprDomainTest, DefaultCuesAreNotTooBroad) {
  for (const std::string& c : DefaultNegationCuesBefore()) {
    EXPECT_NE(c, "无");
    EXPECT_NE(c, "未");
    EXPECT_NE(c, "没有");
    EXPECT_NE(c, "经查");
  }
  std::vector<std::string> section9 = {"未发现", "不存在", "均已按规定", "经核实不属实",
                                       "予以澄清", "总体良好", "已整改到位", "已叫停"};
  for (const std::string& cue : section9) {
    bool covered = false;
    for (const auto* list : {&DefaultNegationCuesBefore(), &DefaultNegationCuesAfter()}) {
      for (const std::string& c : *list) covered |= cue.find(c) != std::string::npos;
    }
    EXPECT_TRUE(covered) << cue;
  }
}

TEST(ExprDomainTest, LexiconsAndMentions) {
  TestEnv env;
  v1::Finding f = TextFinding("投标人之间存在串标行为");
  EXPECT_EQ(env.Eval("mentions(\"围标\")", f), "true");
  EXPECT_EQ(env.Eval("text.containsAny(lexicon(\"围标\"))", f), "true");
  EXPECT_EQ(env.Eval("mentions(\"违规发包\")", f), "false");
  EXPECT_EQ(env.Eval("lexicon(\"围标\")"), "[\"围标\", \"串标\", \"陪标\"] : list(string)");
  EXPECT_EQ(env.Eval("lexicon(\"围标\").exists(t, text.contains(t))", f), "true");
  EXPECT_EQ(env.Eval("mentions(\"空\")", f), "false");
  EXPECT_EQ(env.Eval("size(lexicon(\"空\"))"), "0 : int");
}

TEST(ExprDomainTest, MoneyFunctions) {
  TestEnv env;
  const TextCase cases[] = {
      {"", "yuan(1)", "100 : int"},
      {"", "wan(400)", "400000000 : int"},
      {"", "yi(1)", "10000000000 : int"},
      {"", "wan(52.3)", "52300000 : int"},
      {"", "yi(1.2)", "12000000000 : int"},
      {"", "yuan(0.005)", "1 : int"},     // half a fen rounds away from zero
      {"", "yuan(0.004)", "0 : int"},
      {"", "yuan(-0.005)", "-1 : int"},
      {"", "yuan(12.345)", "1235 : int"},
      {"", "wan(0.1) + wan(0.2) == wan(0.3)", "true"},  // exact, not binary floating point
      {"", "money(\"3850万元\")", "3850000000 : int"},
      {"", "money(\"6,800元\") == yuan(6800)", "true"},
      {"", "yi(amount + 1000000000)", "error: money overflow: amount too large for int fen"},
      {"", "yuan(double(amount) + 1e300)", "error: money overflow: amount too large for int fen"},
      {"", "money(dyn(\"多少\"))", "error: not an amount of money: \"多少\""},
      {"", "money(dyn(\"52.3万\"))", "52300000 : int"},
  };
  for (const TextCase& c : cases) EXPECT_EQ(env.Eval(c.src), c.want) << c.src;
}

struct MoneyCase {
  const char* text;
  int64_t fen;  // -1: not an amount
};

TEST(ExprMoneyTest, ParseMoneyTable) {
  const MoneyCase cases[] = {
      {"3850万元", 3850000000},
      {"1.2亿元", 12000000000},
      {"52.3万", 52300000},
      {"6,800元", 680000},
      {"1,234,567.89元", 123456789},
      {"６８００元", 680000},
      {"６，８００元", 680000},
      {"三千八百五十万元", 3850000000},
      {"两万元", 2000000},
      {"十二万", 12000000},
      {"一亿二千万元", 12000000000},
      {"壹万元", 1000000},
      {"一千零五元", 100500},
      {"5000余元", 500000},
      {"50余万元", 50000000},
      {"5千元", 500000},
      {"3千万元", 3000000000},
      {"约50万元", 50000000},
      {"共计18.6万元", 18600000},
      {"人民币100元整", 10000},
      {"近100万元左右", 100000000},
      {"6800", 680000},
      {"6800元", 680000},
      {"0.5万元", 500000},
      {"1.005元", 101},
      {"3.2万元", 3200000},
      {"  520万元 ", 520000000},
      {"abc", -1},
      {"", -1},
      {"万元", -1},
      {"12个", -1},
      {"1,23元", -1},
      {"一万多名", -1},
      {"99999999999亿元", -1},  // more than int64 fen
      {"5万元和6万元", -1},
  };
  for (const MoneyCase& c : cases) {
    std::optional<int64_t> got = ParseMoney(c.text);
    if (c.fen < 0) {
      EXPECT_FALSE(got.has_value()) << c.text << " -> " << *got;
    } else {
      ASSERT_TRUE(got.has_value()) << c.text;
      EXPECT_EQ(*got, c.fen) << c.text;
    }
  }
}

TEST(ExprMoneyTest, ExtractAmounts) {
  struct Case {
    const char* text;
    std::vector<int64_t> fen;
  };
  const Case cases[] = {
      {"合计约520万元，其中3.2万元已追回。", {520000000, 3200000}},
      {"本轮巡察12家子公司中7家公务用车未执行派车单制度。", {}},
      {"一万多名职工", {}},
      {"新建3万平方米厂房", {}},
      {"2023年5月支付6,800元", {680000}},
      {"发放十二万", {12000000}},
      {"问题共3个，涉及金额５０万元", {50000000}},
      {"按季向机关全员每人发2000元", {200000}},
      {"价款三千八百五十万元，另付5000余元", {3850000000, 500000}},
      {"1.2亿元", {12000000000}},
      {"第3批5千人", {}},
  };
  for (const Case& c : cases) {
    std::vector<int64_t> got;
    for (const TextAmount& a : ExtractAmounts(c.text)) got.push_back(a.fen);
    EXPECT_EQ(got, c.fen) << c.text;
  }
  std::string text = "合计约520万元，其中3.2万元";
  auto amounts = ExtractAmounts(text);
  ASSERT_EQ(amounts.size(), 2u);
  EXPECT_EQ(text.substr(amounts[0].byte_begin, amounts[0].byte_end - amounts[0].byte_begin), "520万元");
  EXPECT_EQ(text.substr(amounts[1].byte_begin, amounts[1].byte_end - amounts[1].byte_begin), "3.2万元");
}

}  // namespace
}  // namespace xuncha::expr::testing
