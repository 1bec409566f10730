// Text models in rule sets: loading and checking (each error at its
// position), limits, model_label/model_prob in real rules through the
// Compiler and Matcher, laziness, determinism across threads, explain, and
// the rule-set hash.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "expr/text_model.h"
#include "match/batch_test_util.h"
#include "match/conclude.h"
#include "rules/rule_source.h"
#include "xuncha/compiler.h"
#include "xuncha/engine.h"

namespace xuncha {
namespace {

using ::testing::HasSubstr;

CompileResult CompileText(const std::string& rules) {
  Compiler c;
  EXPECT_TRUE(c.AddSource("m.textproto", rules).ok());
  auto r = c.Finish();
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *std::move(r) : CompileResult{};
}

std::shared_ptr<const Engine> MustCompile(const std::string& rules) {
  CompileResult r = CompileText(rules);
  for (const auto& d : r.diagnostics) {
    if (d.severity == Severity::kError) ADD_FAILURE() << d.ToString();
  }
  return r.engine;
}

std::vector<Diagnostic> Errors(const std::string& rules) {
  std::vector<Diagnostic> out;
  for (const auto& d : CompileText(rules).diagnostics) {
    if (d.severity == Severity::kError) out.push_back(d);
  }
  return out;
}

v1::Finding F(const std::string& id, const std::string& text) {
  v1::Finding f;
  f.set_id(id);
  f.set_text(text);
  return f;
}

constexpr char kModel[] = R"pb(
model {
  name: "category" min_n: 1 max_n: 2
  label: ["bidding", "procurement", "none"]
  bias: [0, 0, 1]
  feature { gram: "招标" label_index: [0] weight: [4] }
  feature { gram: "采购" label_index: [1] weight: [3] }
  feature { gram: "询价" label_index: [1, 2] weight: [2, -1] }
  feature { gram: "0" label_index: [2] weight: [0.5] }
}
)pb";

// A keyword rule, and a fallback that concludes procurement from the model
// for a finding no keyword rule classified.
std::string Rules(const std::string& model = kModel) {
  return std::string(R"pb(
name: "t" version: "1"
stage { name: "classify" }
stage { name: "fallback" }
rule {
  id: "kw.bid" stage: "classify" when: 'text.contains("未招标")'
  category: "bidding" subcategory: "should_tender_not_tendered"
}
rule {
  id: "fallback.proc" stage: "fallback"
  when: '!result.classified && model_label("category") == "procurement" && model_prob("category", "procurement") >= 0.8 && model_prob("category") >= 0.8'
  category: "procurement" subcategory: "inquiry_comparison_irregular"
}
)pb") + model;
}

v1::Classification ClassifyOne(const std::shared_ptr<const Engine>& e, const std::string& text) {
  Matcher m(e);
  v1::Classification c;
  EXPECT_TRUE(m.Classify(F("1", text), &c).ok());
  return c;
}

// --- the functions in real rules -------------------------------------------

TEST(TextModelEngineTest, FallbackRuleFiresOnTheModelsLabel) {
  auto e = MustCompile(Rules());
  ASSERT_NE(e, nullptr);
  // 采购 +3, 询价 +2/−1: procurement 5, none 0, bidding 0 → p = e^5/(e^5+2).
  auto c = ClassifyOne(e, "物资采购未经询价");
  EXPECT_TRUE(c.classified());
  EXPECT_EQ(c.category(), "procurement");
  EXPECT_EQ(c.primary_rule_id(), "fallback.proc");
  // Probability 0.844 (3 against 1 and 0) still passes 0.8.
  EXPECT_EQ(ClassifyOne(e, "办公用品采购").primary_rule_id(), "fallback.proc");
  // The keyword rule classified it: the fallback stays quiet.
  EXPECT_EQ(ClassifyOne(e, "未招标直接采购").primary_rule_id(), "kw.bid");
  // "none" wins on the bias alone.
  EXPECT_FALSE(ClassifyOne(e, "会议纪要").classified());
}

TEST(TextModelEngineTest, ThresholdOnTheLabelsProbabilityDecides) {
  // 采购 and 招标 both present: bidding 4, procurement 3, none 1 → the model
  // says bidding, so the fallback does not conclude procurement.
  auto e = MustCompile(Rules());
  ASSERT_NE(e, nullptr);
  EXPECT_FALSE(ClassifyOne(e, "采购招标文件").classified());
}

TEST(TextModelEngineTest, ValuesAsConditionsSeeThem) {
  std::string rules = Rules() + R"pb(
rule {
  id: "probe" stage: "classify"
  when: 'text.contains("探针") && model_prob("category", "procurement") > 0.98 && model_prob("category", "procurement") < 0.99 && model_prob("category", "none") == model_prob("category", "bidding")'
  category: "other" subcategory: "work_style"
}
)pb";
  auto e = MustCompile(rules);
  ASSERT_NE(e, nullptr);
  // e^5 / (e^5 + 2) = 0.98670…
  EXPECT_EQ(ClassifyOne(e, "探针：采购询价").primary_rule_id(), "probe");
}

// model_prob("m", expr): the label is read at run time. A model that all
// but rules out the category an earlier stage drew overrules it.
TEST(TextModelEngineTest, LabelMayBeAnExpression) {
  std::string rules = std::string(R"pb(
name: "t" version: "1"
stage { name: "classify" }
stage { name: "model" }
rule {
  id: "kw.bid" stage: "classify" when: 'text.contains("标书")'
  category: "bidding" subcategory: "should_tender_not_tendered"
}
rule {
  id: "model.proc" stage: "model"
  when: 'result.classified && result.category != "procurement" && model_label("category") == "procurement" && model_prob("category", result.category) < 0.05'
  category: "procurement" subcategory: "inquiry_comparison_irregular"
}
rule {
  id: "probe" stage: "classify"
  when: 'text.contains("探针") && model_prob("category", text.contains("甲") ? "none" : "bidding") == model_prob("category", "none")'
  category: "other" subcategory: "work_style"
}
rule {
  id: "unknown" stage: "classify"
  when: 'text.contains("未知") && model_prob("category", "x" + "y") == 0.0'
  category: "other" subcategory: "safety"
}
)pb") + kModel;
  auto e = MustCompile(rules);
  ASSERT_NE(e, nullptr);
  // 采购 +3, 询价 +2/−1: bidding 0 → p(bidding) = 1/(e^5+2) ≈ 0.0066 < 0.05.
  auto c = ClassifyOne(e, "标书采购询价");
  EXPECT_EQ(c.primary_rule_id(), "model.proc");
  EXPECT_EQ(c.category(), "procurement");
  // 招标 +4 as well: bidding is no longer ruled out, the keyword rule stands.
  EXPECT_EQ(ClassifyOne(e, "标书招标采购询价").primary_rule_id(), "kw.bid");
  // The label expression is evaluated per finding: with 甲 it names "none"
  // (equal to itself); without, "bidding" (bias 0 against none's 1).
  EXPECT_EQ(ClassifyOne(e, "探针甲").primary_rule_id(), "probe");
  EXPECT_FALSE(ClassifyOne(e, "探针").classified());
  // A label the model does not have has probability 0.
  EXPECT_EQ(ClassifyOne(e, "未知").primary_rule_id(), "unknown");
}

TEST(TextModelEngineTest, StatsNameTheModels) {
  auto e = MustCompile(Rules());
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->DescribeStats(), HasSubstr("text models: category (3 labels, 4 features, n 1..2)\n"));
}

// --- laziness -----------------------------------------------------------------

// Runs findings through a scratch of `e`, returns how often a model was scored.
uint64_t Scorings(const std::shared_ptr<const Engine>& e, const std::vector<std::string>& texts) {
  match_internal::Scratch s(&e->plan());
  for (const std::string& t : texts) {
    v1::Classification c;
    EXPECT_TRUE(match_internal::RunFinding(s, F("x", t), ClassifyOptions{}, &c, nullptr).ok());
  }
  return s.models.scorings();
}

TEST(TextModelEngineTest, ScoresOnlyWhenAConditionAsks) {
  auto e = MustCompile(Rules());
  ASSERT_NE(e, nullptr);
  // Classified by the keyword: `!result.classified` (cheaper) is false first.
  EXPECT_EQ(Scorings(e, {"未招标直接采购"}), 0u);
  // Unclassified: the fallback reads the model three times, scored once.
  EXPECT_EQ(Scorings(e, {"物资采购未经询价"}), 1u);
  EXPECT_EQ(Scorings(e, {"物资采购未经询价", "会议纪要", "未招标"}), 2u);
}

TEST(TextModelEngineTest, ASetWhoseConditionsNeverReadAModelNeverScores) {
  std::string rules = std::string(R"pb(
name: "t" version: "1"
rule { id: "a" when: 'text.contains("采购")' category: "procurement" subcategory: "single_source_unjustified" }
rule { id: "b" when: 'amount >= 0' category: "other" subcategory: "work_style" }
)pb") + kModel;
  auto e = MustCompile(rules);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(Scorings(e, {"物资采购未经询价", "会议纪要", "招标"}), 0u);
}

// --- determinism --------------------------------------------------------------

TEST(TextModelEngineTest, BatchIsIdenticalAtOneAndTwoThreads) {
  auto e = MustCompile(Rules());
  ASSERT_NE(e, nullptr);
  const std::vector<std::string> parts = {"采购", "询价", "招标", "会议", "１２", "未招标", "物资", "，"};
  std::vector<v1::Finding> in;
  uint32_t x = 7;
  for (int i = 0; i < 400; ++i) {
    std::string text;
    for (int k = 0; k < 6; ++k) {
      x = x * 1103515245u + 12345u;
      text += parts[(x >> 16) % parts.size()];
    }
    in.push_back(F(std::to_string(i), text));
  }
  std::string one = testing::SerializeAll(e, in, 1);
  EXPECT_EQ(one, testing::SerializeAll(e, in, 2));
  EXPECT_THAT(one, HasSubstr("fallback.proc"));
}

// --- explain -------------------------------------------------------------------

TEST(TextModelEngineTest, ExplainShowsTheModelsARuleReads) {
  auto e = MustCompile(Rules());
  ASSERT_NE(e, nullptr);
  Matcher m(e);
  auto text = m.Explain(F("1", "物资采购未经询价"), "fallback.proc");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("model \"category\": procurement 0.987, bidding 0.007, none 0.007\n"));
  EXPECT_THAT(*text, HasSubstr("grams for procurement over bidding: 「采购」 +3.000, 「询价」 +2.000\n"));
  // A rule that reads no model shows none (the next line is the next rule).
  auto plain = m.Explain(F("1", "未招标"), "kw.bid");
  ASSERT_TRUE(plain.ok());
  EXPECT_THAT(*plain, HasSubstr("text.contains(\"未招标\")  →  true\n   [fallback]"));
}

// --- hash ---------------------------------------------------------------------

TEST(TextModelEngineTest, RuleSetHashChangesWithTheModel) {
  auto a = MustCompile(Rules());
  auto b = MustCompile(Rules());
  std::string changed = kModel;
  changed.replace(changed.find("weight: [3]"), 11, "weight: [3.5]");
  auto c = MustCompile(Rules(changed));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->hash(), b->hash());
  EXPECT_NE(a->hash(), c->hash());
  std::string relabelled = kModel;
  relabelled.replace(relabelled.find("\"none\""), 6, "\"other\"");
  EXPECT_NE(a->hash(), MustCompile(Rules(relabelled))->hash());
}

// --- errors in conditions -----------------------------------------------------

std::string WithRule(const std::string& when) {
  return std::string("name: \"t\" version: \"1\"\n") + kModel +
         "rule { id: \"r\" category: \"other\" subcategory: \"work_style\"\n  when: '" + when +
         "' }\n";
}
// The rule's `when` is on line 13; its text starts at column 10.
constexpr uint32_t kWhenLine = 13, kWhenColumn = 10;

// The one error `when` gives, with its code, on the `when` line at `column`
// code points after the condition's start.
Diagnostic OneError(const std::string& when, const std::string& code, uint32_t column) {
  std::vector<Diagnostic> d = Errors(WithRule(when));
  EXPECT_EQ(d.size(), 1u) << when;
  if (d.empty()) return Diagnostic{};
  EXPECT_EQ(d[0].code, code) << when;
  EXPECT_EQ(d[0].location.line, kWhenLine) << when;
  EXPECT_EQ(d[0].location.column, kWhenColumn + column) << when;
  return d[0];
}

TEST(TextModelEngineTest, UnknownModelIsAnErrorAtTheLiteral) {
  Diagnostic d = OneError("model_label(\"categroy\") == \"none\"", "unknown-model", 12);
  EXPECT_THAT(d.message, HasSubstr("unknown model \"categroy\"; did you mean 'category'?"));
}

TEST(TextModelEngineTest, UnknownLabelIsAnErrorAtTheLiteral) {
  Diagnostic d = OneError("model_prob(\"category\", \"procurment\") > 0.5", "unknown-label", 23);
  EXPECT_THAT(d.message, HasSubstr("model \"category\" has no label \"procurment\"; did you mean "
                                      "'procurement'? (its labels: \"bidding\", \"procurement\", \"none\")"));
}

TEST(TextModelEngineTest, ArgumentsMustBeStringLiterals) {
  OneError("model_label(text) == \"none\"", "bad-arguments", 12);
  EXPECT_EQ(Errors(WithRule("model_prob() > 0.5"))[0].code, "bad-arguments");
  EXPECT_EQ(Errors(WithRule("model_label(\"category\", \"none\") == \"none\""))[0].code,
            "bad-arguments");
  // Types: a label is a string, a probability a double.
  EXPECT_EQ(Errors(WithRule("model_label(\"category\") > 0.5"))[0].code, "type-mismatch");
  EXPECT_TRUE(Errors(WithRule("model_prob(\"category\") > 0.5")).empty());
  // A misspelt function name gets a suggestion.
  auto misspelt = Errors(WithRule("model_lable(\"category\") == \"none\""));
  ASSERT_FALSE(misspelt.empty());
  EXPECT_THAT(misspelt[0].message, HasSubstr("did you mean 'model_label'?"));
}

TEST(TextModelEngineTest, ALabelExpressionMustBeAString) {
  OneError("model_prob(\"category\", 1) > 0.5", "type-mismatch", 23);
  EXPECT_TRUE(Errors(WithRule("model_prob(\"category\", \"bid\" + \"ding\") > 0.5")).empty());
  // The model's name stays a literal.
  EXPECT_EQ(Errors(WithRule("model_prob(result.category, \"none\") > 0.5"))[0].code, "bad-arguments");
}

TEST(TextModelEngineTest, ASetWithoutModelsSaysSo) {
  auto d = Errors("name: \"t\" version: \"1\"\nrule { id: \"r\" category: \"other\" subcategory: "
                  "\"work_style\" when: 'model_prob(\"x\") > 0.5' }\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "unknown-model");
  EXPECT_THAT(d[0].message, HasSubstr("declares no model"));
}

// --- errors in the model ------------------------------------------------------

struct ModelCase {
  const char* name;
  std::string model;  // the text after the header line
  const char* code;
  uint32_t line, column;
};

std::string Valid(const std::string& replace_from = "", const std::string& replace_to = "") {
  std::string m = R"pb(model {
  name: "m" min_n: 1 max_n: 2
  label: ["a", "b"]
  bias: [0, 0]
  feature { gram: "招标" label_index: [0, 1] weight: [1, 2] }
}
)pb";
  if (!replace_from.empty()) m.replace(m.find(replace_from), replace_from.size(), replace_to);
  return m;
}

TEST(TextModelEngineTest, ModelErrorsAtTheirPositions) {
  // Line 1 is the header; the model starts on line 2.
  const std::vector<ModelCase> cases = {
      {"duplicate name", Valid() + Valid(), "duplicate-model", 9, 9},
      {"no name", Valid("name: \"m\" ", ""), "missing-model-name", 2, 1},
      {"no labels", Valid("label: [\"a\", \"b\"]\n  bias: [0, 0]", ""), "model-no-labels", 3, 9},
      {"duplicate label", Valid("[\"a\", \"b\"]", "[\"a\", \"a\"]"), "model-duplicate-label", 4, 16},
      {"empty label", Valid("[\"a\", \"b\"]", "[\"a\", \"\"]"), "model-empty-label", 4, 16},
      {"bias count", Valid("bias: [0, 0]", "bias: [0]"), "model-bad-bias", 5, 10},
      {"bias nan", Valid("bias: [0, 0]", "bias: [0, nan]"), "model-bad-bias", 5, 13},
      {"feature_bias count", Valid("bias: [0, 0]", "bias: [0, 0] feature_bias: [1]"), "model-bad-bias", 5, 31},
      {"feature_bias inf", Valid("bias: [0, 0]", "bias: [0, 0] feature_bias: [1, -inf]"),
       "model-bad-bias", 5, 34},
      {"min_n 0", Valid("min_n: 1", "min_n: 0"), "model-bad-n", 3, 20},
      {"max_n 5", Valid("max_n: 2", "max_n: 5"), "model-bad-n", 3, 29},
      {"min_n > max_n", Valid("min_n: 1", "min_n: 3"), "model-bad-n", 3, 29},
      {"gram too long", Valid("\"招标\"", "\"招标采购\""), "model-bad-gram", 6, 19},
      {"gram not normalized", Valid("\"招标\"", "\"ＡＢ\""), "model-bad-gram", 6, 19},
      {"digits not collapsed", Valid("\"招标\"", "\"12\""), "model-bad-gram", 6, 19},
      {"duplicate gram",
       Valid("  feature {", "  feature { gram: \"招标\" }\n  feature {"),
       "model-duplicate-gram", 7, 19},
      {"label index range", Valid("[0, 1]", "[0, 2]"), "model-bad-weight", 6, 41},
      {"length mismatch", Valid("[1, 2]", "[1]"), "model-bad-weight", 6, 3},
      {"weight inf", Valid("[1, 2]", "[1, inf]"), "model-bad-weight", 6, 56},
      // A model is read without positions unless a string in it is not
      // UTF-8: then it is read again with them, and the escape is reported.
      {"gram not UTF-8", Valid("\"招标\"", "\"\\xff\""), "invalid-utf8", 6, 20},
  };
  for (const ModelCase& c : cases) {
    SCOPED_TRACE(c.name);
    auto d = Errors("name: \"t\" version: \"1\"\n" + c.model);
    ASSERT_FALSE(d.empty());
    // The case's error (others may come first: a gram that is not UTF-8 is
    // not normalized either).
    auto it = std::find_if(d.begin(), d.end(), [&](const Diagnostic& x) { return x.code == c.code; });
    if (it != d.end()) std::rotate(d.begin(), it, it + 1);
    EXPECT_EQ(d[0].code, c.code) << d[0].ToString();
    EXPECT_EQ(d[0].location.path, "m.textproto");
    EXPECT_EQ(d[0].location.line, c.line) << d[0].ToString();
    EXPECT_EQ(d[0].location.column, c.column) << d[0].ToString();
    // The errors are the engine's: it is not built.
    EXPECT_EQ(CompileText("name: \"t\" version: \"1\"\n" + c.model).engine, nullptr);
  }
  EXPECT_TRUE(Errors("name: \"t\" version: \"1\"\n" + Valid()).empty());
}

TEST(TextModelEngineTest, ModelsInSeveralFilesMerge) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / "xuncha_text_model_merge";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto write = [&](const char* name, const std::string& content) {
    std::ofstream(dir / name, std::ios::binary) << content;
  };
  std::string rules = Rules("");
  write("a_set.textproto", rules);
  write("b_model.textproto", kModel);
  {
    Compiler c;
    ASSERT_TRUE(c.AddPath(dir.string()).ok());
    auto r = c.Finish();
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_NE(r->engine, nullptr) << (r->diagnostics.empty() ? "" : r->diagnostics[0].ToString());
    EXPECT_EQ(ClassifyOne(r->engine, "物资采购未经询价").primary_rule_id(), "fallback.proc");
  }
  // The same name in a third file: an error there, with a note at the first.
  write("c_again.textproto", kModel);
  Compiler c;
  ASSERT_TRUE(c.AddPath(dir.string()).ok());
  auto r = c.Finish();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->engine, nullptr);
  bool found = false;
  for (const Diagnostic& d : r->diagnostics) {
    if (d.code == "duplicate-model" && d.severity == Severity::kError) {
      found = true;
      EXPECT_THAT(d.location.path, HasSubstr("c_again.textproto"));
      EXPECT_EQ(d.location.line, 3u);
    }
  }
  EXPECT_TRUE(found);
  fs::remove_all(dir);
}

TEST(TextModelEngineTest, LabelLimit) {
  EXPECT_EQ(expr::kMaxModelLabels, 256u);
  std::string labels;
  for (int i = 0; i < 257; ++i) labels += (i ? ", \"l" : "\"l") + std::to_string(i) + "\"";
  std::string biases;
  for (int i = 0; i < 257; ++i) biases += i ? ", 0" : "0";
  std::string model = "model { name: \"m\" min_n: 1 max_n: 1\n  label: [" + labels +
                      "]\n  bias: [" + biases + "] }\n";
  auto d = Errors("name: \"t\" version: \"1\"\n" + model);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "limit-model-labels");
  EXPECT_EQ(d[0].location.line, 3u);
  EXPECT_THAT(d[0].message, HasSubstr("257 labels, more than the limit of 256"));
  // 256 are fine.
  std::string fits = model;
  fits.replace(fits.find(", \"l256\""), 8, "");
  fits.replace(fits.rfind(", 0"), 3, "");
  EXPECT_TRUE(Errors("name: \"t\" version: \"1\"\n" + fits).empty());
}

TEST(TextModelEngineTest, FeatureLimit) {
  EXPECT_EQ(expr::kMaxModelFeatures, 2000000u);
  rules::LoadedRuleSet loaded;
  std::vector<Diagnostic> diags;
  ASSERT_TRUE(rules::LoadRuleSetFromString("m.textproto", "name: \"t\" version: \"1\"\n" + Valid(),
                                           {}, &loaded, &diags)
                  .ok());
  v1::TextModel* m = loaded.set.mutable_model(0);
  m->mutable_feature()->Reserve(static_cast<int>(expr::kMaxModelFeatures) + 1);
  while (static_cast<uint32_t>(m->feature_size()) <= expr::kMaxModelFeatures) m->add_feature();
  check::CheckRuleSet(loaded, &diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].code, "limit-model-features");
  EXPECT_EQ(diags[0].location.line, 3u);
  EXPECT_THAT(diags[0].message, HasSubstr("2000001 features, more than the limit of 2000000"));
}

}  // namespace
}  // namespace xuncha
