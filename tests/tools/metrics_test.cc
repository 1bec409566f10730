// ConfusionMatrix and Evaluator against hand-computed figures.

#include <gtest/gtest.h>

#include "xuncha/tools.h"

namespace xuncha {
namespace {

TEST(ConfusionMatrixTest, PrecisionRecallF1ByHand) {
  // truth a: 3 items, predicted a, a, b; truth b: 2 items, predicted b, a.
  ConfusionMatrix m;
  m.Add("a", "a", 2);
  m.Add("a", "b");
  m.Add("b", "b");
  m.Add("b", "a");
  EXPECT_EQ(m.total(), 5);
  EXPECT_EQ(m.correct(), 3);
  EXPECT_DOUBLE_EQ(m.Accuracy(), 0.6);
  ClassMetrics a = m.Metrics("a");
  EXPECT_EQ(a.support, 3);
  EXPECT_EQ(a.predicted, 3);
  EXPECT_EQ(a.tp, 2);
  EXPECT_DOUBLE_EQ(a.precision, 2.0 / 3);
  EXPECT_DOUBLE_EQ(a.recall, 2.0 / 3);
  EXPECT_DOUBLE_EQ(a.f1, 2.0 / 3);
  ClassMetrics b = m.Metrics("b");
  EXPECT_DOUBLE_EQ(b.precision, 0.5);
  EXPECT_DOUBLE_EQ(b.recall, 0.5);
  EXPECT_DOUBLE_EQ(b.f1, 0.5);
  EXPECT_DOUBLE_EQ(m.MacroF1(), (2.0 / 3 + 0.5) / 2);
  EXPECT_EQ(m.count("a", "b"), 1);
  EXPECT_EQ(m.count("b", "c"), 0);
}

TEST(ConfusionMatrixTest, EmptyClassesAreZeroNotNan) {
  // c is only ever predicted (precision 0/1, recall 0/0); d only ever true
  // (precision 0/0, recall 0/1).
  ConfusionMatrix m;
  m.Add("a", "a");
  m.Add("a", "c");
  m.Add("d", "a");
  ClassMetrics c = m.Metrics("c");
  EXPECT_EQ(c.support, 0);
  EXPECT_EQ(c.predicted, 1);
  EXPECT_EQ(c.precision, 0);
  EXPECT_EQ(c.recall, 0);
  EXPECT_EQ(c.f1, 0);
  ClassMetrics d = m.Metrics("d");
  EXPECT_EQ(d.precision, 0);
  EXPECT_EQ(d.recall, 0);
  EXPECT_EQ(d.f1, 0);
  // a: tp 1, predicted 2, support 2 → P = R = F1 = 0.5.
  EXPECT_DOUBLE_EQ(m.Metrics("a").f1, 0.5);
  // Classes seen: a, c, d; a class never seen ("e") is not in the mean.
  EXPECT_EQ(m.Classes(), (std::vector<std::string>{"a", "c", "d"}));
  EXPECT_DOUBLE_EQ(m.MacroF1(), 0.5 / 3);
  EXPECT_DOUBLE_EQ(m.MacroF1({"c"}), 0.5 / 2);
  ClassMetrics e = m.Metrics("e");
  EXPECT_EQ(e.support + e.predicted + e.tp, 0);
}

TEST(ConfusionMatrixTest, EmptyMatrix) {
  ConfusionMatrix m;
  EXPECT_EQ(m.Accuracy(), 0);
  EXPECT_EQ(m.MacroF1(), 0);
  EXPECT_TRUE(m.Classes().empty());
}

v1::LabelledFinding Item(const std::string& id, bool problem, const std::string& cat,
                         const std::string& sub, const std::string& disposition = "") {
  v1::LabelledFinding item;
  item.mutable_finding()->set_id(id);
  item.mutable_finding()->set_text("文本" + id);
  item.mutable_label()->set_is_problem(problem);
  item.mutable_label()->set_category(cat);
  item.mutable_label()->set_subcategory(sub);
  item.mutable_label()->set_disposition(disposition);
  return item;
}

v1::Classification Predicted(const std::string& cat, const std::string& sub,
                             const std::vector<std::pair<std::string, std::string>>& hits,
                             const std::string& disposition = "rectify_now") {
  v1::Classification c;
  c.set_classified(!cat.empty());
  c.set_category(cat);
  c.set_subcategory(sub);
  c.set_disposition(cat.empty() ? "" : disposition);
  for (const auto& [rule, rule_cat] : hits) {
    auto* h = c.add_hits();
    h->set_rule_id(rule);
    if (!rule_cat.empty()) h->mutable_category()->set_category(rule_cat);
  }
  return c;
}

TEST(EvaluatorTest, NoneIsAClassButNotInMacroF1) {
  v1::RuleSet rules;
  for (const char* id : {"r.bid", "r.fin", "r.never", "r.dispose"}) rules.add_rule()->set_id(id);
  rules.mutable_rule(0)->set_category("bidding");
  rules.mutable_rule(1)->set_category("finance");
  rules.mutable_rule(2)->set_category("payroll");
  Evaluator eval(rules);
  // 1: bidding → bidding.  2: finance → none (missed).  3: compliance →
  // finance (false positive).  4: compliance → finance but disposition none:
  // not called a problem.  5: compliance → none.
  eval.Add(Item("1", true, "bidding", "bid_rigging", "rectify_now"),
           Predicted("bidding", "bid_rigging", {{"r.bid", "bidding"}, {"r.dispose", ""}}));
  eval.Add(Item("2", true, "finance", "slush_fund", "rectify_now"), Predicted("", "", {}));
  eval.Add(Item("3", false, "", "", "none"), Predicted("finance", "slush_fund", {{"r.fin", "finance"}}));
  eval.Add(Item("4", false, "finance", "", "none"),
           Predicted("finance", "slush_fund", {{"r.fin", "finance"}}, "none"));
  eval.Add(Item("5", false, "", "", "none"), Predicted("", "", {}));
  EvalReport r = eval.Finish();
  EXPECT_EQ(r.findings, 5);
  EXPECT_EQ(r.problems, 2);
  EXPECT_EQ(r.compliance, 3);
  // Category: bidding P1 R1 F1 1; finance support 1 predicted 1 tp 0 → 0.
  EXPECT_DOUBLE_EQ(r.category_macro_f1, 0.5);
  EXPECT_DOUBLE_EQ(r.accuracy, 3.0 / 5);  // 1, 4, 5
  ASSERT_EQ(r.categories.size(), 3u);
  EXPECT_EQ(r.categories[0].id, "bidding");  // taxonomy order
  EXPECT_EQ(r.categories[1].id, "finance");
  EXPECT_EQ(r.categories[2].id, "none");     // last
  EXPECT_EQ(r.categories[2].support, 3);
  EXPECT_EQ(r.categories[2].predicted, 3);
  EXPECT_EQ(r.categories[2].tp, 2);
  EXPECT_EQ(r.compliance_false_positives, 1);
  EXPECT_EQ(r.compliance_disposition.total, 3);
  EXPECT_EQ(r.compliance_disposition.correct, 2);  // 4 (none) and 5 (empty = none)
  EXPECT_EQ(r.disposition.total, 2);
  EXPECT_EQ(r.disposition.correct, 1);
  EXPECT_EQ(r.disposition_overall.correct, 3);
  // Rules: r.fin fired twice; item 4's label names finance → one right.
  ASSERT_EQ(r.rules.size(), 4u);
  EXPECT_EQ(r.rules[1].rule_id, "r.fin");
  EXPECT_EQ(r.rules[1].hits, 2);
  EXPECT_EQ(r.rules[1].correct, 1);
  EXPECT_EQ(r.rules[1].wrong, 1);
  EXPECT_EQ(r.rules[2].hits, 0);
  EXPECT_EQ(r.rules[3].hits, 1);  // no category: counted, not judged
  EXPECT_EQ(r.rules[3].correct + r.rules[3].wrong, 0);
  // Misses in input order: 2 and 3.
  ASSERT_EQ(r.misses.size(), 2u);
  EXPECT_EQ(r.misses[0].finding_id, "2");
  EXPECT_EQ(r.misses[0].truth, "finance/slush_fund");
  EXPECT_EQ(r.misses[0].predicted, "none");
  EXPECT_EQ(r.misses[1].finding_id, "3");
  EXPECT_EQ(r.misses[1].rules, (std::vector<std::string>{"r.fin"}));
}

TEST(EvaluatorTest, SecondaryLabelMakesARuleHitRight) {
  v1::RuleSet rules;
  rules.add_rule()->set_id("r.fin");
  rules.mutable_rule(0)->set_category("finance");
  Evaluator eval(rules);
  v1::LabelledFinding item = Item("1", true, "payroll", "welfare_irregular");
  auto* s = item.mutable_label()->add_secondary();
  s->set_category("finance");
  eval.Add(item, Predicted("payroll", "welfare_irregular", {{"r.fin", "finance"}}));
  EvalReport r = eval.Finish();
  EXPECT_EQ(r.rules[0].correct, 1);
  EXPECT_EQ(r.rules[0].wrong, 0);
}

TEST(EvaluatorTest, FailedMeansAnErrorWithoutRuleId) {
  v1::RuleSet rules;
  Evaluator eval(rules);
  v1::Classification rule_error = Predicted("", "", {});
  rule_error.add_errors()->set_rule_id("r.broken");  // a condition errored
  eval.Add(Item("1", true, "bidding", "bid_rigging"), rule_error);
  v1::Classification whole = Predicted("", "", {});
  whole.add_errors()->set_message("text over max_text_bytes");
  eval.Add(Item("2", true, "bidding", "bid_rigging"), whole);
  EvalReport r = eval.Finish();
  EXPECT_EQ(r.failed, 1);
  ASSERT_EQ(r.misses.size(), 2u);
  EXPECT_EQ(r.misses[0].error, "");
  EXPECT_EQ(r.misses[1].error, "text over max_text_bytes");
}

TEST(EvaluatorTest, OutputIsDeterministic) {
  v1::RuleSet rules;
  auto run = [&] {
    Evaluator eval(rules);
    eval.Add(Item("1", true, "bidding", "bid_rigging"), Predicted("finance", "slush_fund", {{"x", "finance"}}));
    eval.Add(Item("2", false, "", ""), Predicted("", "", {}));
    EvalReport r = eval.Finish();
    return FormatEvalReport(r, 10) + EvalReportToJson(r);
  };
  std::string a = run();
  EXPECT_EQ(a, run());
  EXPECT_NE(a.find("\"category_macro_f1\": 0"), std::string::npos);
}

TEST(RuleSetDifferTest, ChangesAndHitDeltas) {
  v1::RuleSet before, after;
  before.add_rule()->set_id("a");
  before.add_rule()->set_id("gone");
  after.add_rule()->set_id("a");
  after.add_rule()->set_id("new");
  RuleSetDiffer differ(before, after);
  v1::Finding f;
  f.set_id("f1");
  differ.Add(f, Predicted("bidding", "bid_rigging", {{"a", "bidding"}, {"gone", ""}}),
             Predicted("bidding", "sham_tender", {{"new", "bidding"}}));
  f.set_id("f2");
  differ.Add(f, Predicted("", "", {}), Predicted("", "", {}));
  DiffReport r = differ.Finish();
  EXPECT_EQ(r.findings, 2);
  EXPECT_EQ(r.changed, 1);
  ASSERT_EQ(r.changes.size(), 1u);
  ASSERT_EQ(r.changes[0].changes.size(), 1u);
  EXPECT_EQ(r.changes[0].changes[0].field, "subcategory");
  EXPECT_EQ(r.changes[0].changes[0].before, "bid_rigging");
  EXPECT_EQ(r.changes[0].changes[0].after, "sham_tender");
  EXPECT_EQ(r.rules_added, 1);
  EXPECT_EQ(r.rules_removed, 1);
  EXPECT_EQ(r.rules_changed, 1);  // "a": 1 → 0
  ASSERT_EQ(r.rules.size(), 3u);   // a, gone, new (by id)
  EXPECT_EQ(r.rules[0].rule_id, "a");
  EXPECT_EQ(r.rules[0].before, 1);
  EXPECT_EQ(r.rules[0].after, 0);
}

TEST(CoverageCounterTest, HitsNeverFiredOverlapsTaxonomy) {
  v1::RuleSet rules;
  auto add = [&](const char* id, const char* cat, const char* sub) {
    auto* r = rules.add_rule();
    r->set_id(id);
    r->set_category(cat);
    r->set_subcategory(sub);
  };
  add("twin.a", "bidding", "bid_rigging");
  add("twin.b", "bidding", "bid_rigging");
  add("near.a", "finance", "slush_fund");
  add("near.b", "finance", "slush_fund");
  add("silent", "payroll", "ghost_pay");
  CoverageCounter counter(rules);
  v1::Finding f;
  // twin.a and twin.b fire together on 2 findings (identical sets);
  // near.a fires on 20, near.b on 19 of them (Jaccard 0.95).
  for (int i = 0; i < 22; ++i) {
    f.set_id("f" + std::to_string(i));
    std::vector<std::pair<std::string, std::string>> hits;
    if (i < 2) hits = {{"twin.a", "bidding"}, {"twin.b", "bidding"}};
    if (i >= 2) hits.push_back({"near.a", "finance"});
    if (i >= 3) hits.push_back({"near.b", "finance"});
    counter.Add(f, Predicted(i < 2 ? "bidding" : "finance", "", hits));
  }
  f.set_id("none");
  counter.Add(f, Predicted("", "", {}));
  CoverageReport r = counter.Finish();
  EXPECT_EQ(r.findings, 23);
  EXPECT_EQ(r.classified, 22);
  ASSERT_EQ(r.unclassified.size(), 1u);
  EXPECT_EQ(r.unclassified[0].finding_id, "none");
  EXPECT_EQ(r.rules[0].rule_id, "near.a");
  EXPECT_EQ(r.rules[0].hits, 20);
  EXPECT_EQ(r.never_fired, (std::vector<std::string>{"silent"}));
  ASSERT_EQ(r.overlaps.size(), 2u);
  EXPECT_EQ(r.overlaps[0].a, "near.a");
  EXPECT_FALSE(r.overlaps[0].identical);
  EXPECT_DOUBLE_EQ(r.overlaps[0].jaccard, 19.0 / 20);
  EXPECT_EQ(r.overlaps[1].a, "twin.a");
  EXPECT_TRUE(r.overlaps[1].identical);
  int with_rules = 0;
  for (const SubcategoryCoverage& s : r.taxonomy) {
    if (s.rules == 0) continue;
    ++with_rules;
    if (s.subcategory == "ghost_pay") {
      EXPECT_EQ(s.hits, 0);
    }
    if (s.subcategory == "slush_fund") {
      EXPECT_EQ(s.hits, 20);
    }
    if (s.subcategory == "bid_rigging") {
      EXPECT_EQ(s.rules, 2);
    }
  }
  EXPECT_EQ(with_rules, 3);
}

TEST(CoverageCounterTest, SmallOverlapsNeedIdenticalSets) {
  // 4 of 5 shared is Jaccard 0.8; and under 5 hits even 0.95 would not do.
  v1::RuleSet rules;
  rules.add_rule()->set_id("a");
  rules.add_rule()->set_id("b");
  CoverageCounter counter(rules);
  v1::Finding f;
  for (int i = 0; i < 5; ++i) {
    f.set_id(std::to_string(i));
    std::vector<std::pair<std::string, std::string>> hits = {{"a", ""}};
    if (i > 0) hits.push_back({"b", ""});
    counter.Add(f, Predicted("", "", hits));
  }
  EXPECT_TRUE(counter.Finish().overlaps.empty());
}

}  // namespace
}  // namespace xuncha
