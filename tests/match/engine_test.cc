// Engine semantics: stages, ranking, secondary categories, negation,
// unclassified findings, runtime errors, evidence, hashes, batch order and
// determinism, hot reload — and the engine against the naive engine.

#include <atomic>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "match/batch_test_util.h"
#include "match/conclude.h"
#include "workload.h"
#include "xuncha/compiler.h"
#include "xuncha/engine.h"

namespace xuncha {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::shared_ptr<const Engine> MustCompile(const std::string& rules) {
  Compiler c;
  EXPECT_TRUE(c.AddSource("test.textproto", rules).ok());
  auto r = c.Finish();
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return nullptr;
  for (const auto& d : r->diagnostics) {
    if (d.severity == Severity::kError) ADD_FAILURE() << d.ToString();
  }
  return r->engine;
}

v1::Finding F(const std::string& id, const std::string& text, int64_t fen = -1) {
  v1::Finding f;
  f.set_id(id);
  f.set_text(text);
  if (fen >= 0) f.mutable_amount()->set_fen(fen);
  return f;
}

v1::Classification ClassifyOne(const std::shared_ptr<const Engine>& e, const v1::Finding& f) {
  Matcher m(e);
  v1::Classification c;
  Status s = m.Classify(f, &c);
  EXPECT_TRUE(s.ok()) << s;
  return c;
}

std::vector<std::string> HitIds(const v1::Classification& c) {
  std::vector<std::string> ids;
  for (const auto& h : c.hits()) ids.push_back(h.rule_id());
  return ids;
}

constexpr char kRules[] = R"pb(
name: "t" version: "1"
stage { name: "classify" }
stage { name: "dispose" }
lexicon { name: "招标词" terms: ["未招标", "未公开招标", "直接发包"] }
rule {
  id: "bid.no_tender" title: "应招未招" stage: "classify"
  when: 'mentions("招标词")'
  category: "bidding" subcategory: "should_tender_not_tendered"
  discipline: "work" nature: "general" priority: 50 score: 0.7
  basis { regulation: "中华人民共和国招标投标法" article: "第四条" }
}
rule {
  id: "bid.split" title: "化整为零" stage: "classify"
  when: 'text.contains("拆分") && mentions("招标词")'
  category: "bidding" subcategory: "split_to_evade"
  discipline: "work" nature: "general" priority: 60 score: 0.8
}
rule {
  id: "fin.slush" title: "小金库" stage: "classify"
  when: 'text.contains("账外资金") || text.contains("小金库")'
  category: "finance" subcategory: "slush_fund"
  discipline: "integrity" priority: 40 score: 0.9
}
rule {
  id: "pay.welfare" title: "违规福利" stage: "classify"
  when: 'affirmed("购物卡")'
  category: "payroll" subcategory: "welfare_irregular"
  discipline: "integrity" priority: 40 score: 0.9
}
rule {
  id: "broken" title: "运行时错误" stage: "classify"
  when: 'text.contains("除零") && 1 / (size(text) - size(text)) == 1'
  category: "other" subcategory: "work_style"
}
rule {
  id: "dispose.big" title: "大额移交" stage: "dispose"
  when: 'result.category == "bidding" && amount >= wan(400)'
  disposition: "transfer_lead" transfer_target: "discipline" nature: "lead"
}
rule {
  id: "dispose.default" title: "限期整改" stage: "dispose"
  when: 'result.classified && !("dispose.big" in result.rules)'
  disposition: "rectify_by_deadline" deadline_days: 60
}
)pb";

TEST(EngineTest, PriorityDecidesPrimaryAndOthersAreSecondary) {
  auto e = MustCompile(kRules);
  ASSERT_NE(e, nullptr);
  auto c = ClassifyOne(e, F("1", "将道路修补拆分成三份合同，均未招标，资金来自账外资金。"));
  EXPECT_TRUE(c.classified());
  EXPECT_EQ(c.category(), "bidding");
  EXPECT_EQ(c.subcategory(), "split_to_evade");  // priority 60 beats 50
  EXPECT_EQ(c.primary_rule_id(), "bid.split");
  ASSERT_EQ(c.secondary_size(), 2);
  EXPECT_EQ(c.secondary(0).subcategory(), "should_tender_not_tendered");  // same category, other sub
  EXPECT_EQ(c.secondary(1).category(), "finance");
  EXPECT_EQ(c.discipline(), "work");
  EXPECT_EQ(c.disposition(), "rectify_by_deadline");
  EXPECT_EQ(c.deadline_days(), 60);
  EXPECT_THAT(HitIds(c), ElementsAre("bid.no_tender", "bid.split", "fin.slush", "dispose.default"));
}

TEST(EngineTest, LaterStageReadsEarlierConclusionsAndAmount) {
  auto e = MustCompile(kRules);
  auto big = ClassifyOne(e, F("2", "某项目未招标直接施工", 5'000'000'00));
  EXPECT_EQ(big.disposition(), "transfer_lead");
  EXPECT_EQ(big.transfer_target(), "discipline");
  EXPECT_EQ(big.nature(), "lead");  // the disposition stage refines the nature
  auto small = ClassifyOne(e, F("3", "某项目未招标直接施工", 50'000'00));
  EXPECT_EQ(small.disposition(), "rectify_by_deadline");
  EXPECT_EQ(small.nature(), "general");
}

// result.priority is the priority of the rule whose category won so far.
TEST(EngineTest, LaterStageReadsThePrimaryRulesPriority) {
  auto e = MustCompile(R"pb(
name: "p" version: "1"
stage { name: "classify" }
stage { name: "review" }
rule { id: "generic" stage: "classify" category: "procurement" priority: 10 when: 'text.contains("采购")' }
rule { id: "specific" stage: "classify" category: "bidding" priority: 60 when: 'text.contains("围标")' }
rule { id: "weak" stage: "review" tags: "generic-won" when: 'result.classified && result.priority < 50' }
rule { id: "none" stage: "review" tags: "unclassified" when: 'result.priority == 0' }
)pb");
  ASSERT_NE(e, nullptr);
  auto tags = [&](const std::string& text) {
    auto c = ClassifyOne(e, F("1", text, 0));
    return std::vector<std::string>(c.tags().begin(), c.tags().end());
  };
  EXPECT_EQ(tags("办公用品采购"), std::vector<std::string>{"generic-won"});
  EXPECT_EQ(tags("采购项目存在围标"), std::vector<std::string>{});
  EXPECT_EQ(tags("天气晴朗"), std::vector<std::string>{"unclassified"});
}

TEST(EngineTest, AmountWrittenInTextIsUsedWhenFieldIsAbsent) {
  auto e = MustCompile(kRules);
  auto c = ClassifyOne(e, F("4", "某项目未招标，合同金额3850万元"));
  ASSERT_TRUE(c.has_amount());
  EXPECT_EQ(c.amount().fen(), 38'500'000'00);
  EXPECT_EQ(c.disposition(), "transfer_lead");
}

TEST(EngineTest, NegatedMentionDoesNotClassify) {
  auto e = MustCompile(kRules);
  EXPECT_FALSE(ClassifyOne(e, F("5", "经核实，未发现违规发放购物卡问题。")).classified());
  EXPECT_EQ(ClassifyOne(e, F("6", "中秋节向职工发放购物卡每人1000元。")).subcategory(), "welfare_irregular");
}

TEST(EngineTest, RuleSetsOwnAfterCuesReplaceTheBuiltInOnes) {
  constexpr char kCues[] = R"pb(
    name: "cues" version: "1"
    negation_cue_after: ["举报失实", "情况不实"]
    rule { id: "gift" when: 'affirmed("购物卡")' category: "payroll" subcategory: "welfare_irregular" }
  )pb";
  auto e = MustCompile(kCues);
  // The set's own after-cues close the scope…
  EXPECT_FALSE(ClassifyOne(e, F("1", "群众来信称某公司发放购物卡，经查举报失实。")).classified());
  EXPECT_FALSE(ClassifyOne(e, F("2", "反映某公司发放购物卡一事，情况不实。")).classified());
  // …and replace the built-in list: 不属实 is no longer a cue.
  EXPECT_TRUE(ClassifyOne(e, F("3", "反映某公司发放购物卡，经核实不属实。")).classified());
  // A sentence end still bounds the scope.
  EXPECT_TRUE(ClassifyOne(e, F("4", "某公司发放购物卡。另一反映举报失实。")).classified());
  // Without the field, the built-in after-cues hold.
  auto builtin = MustCompile(R"pb(
    name: "b" version: "1"
    rule { id: "gift" when: 'affirmed("购物卡")' category: "payroll" subcategory: "welfare_irregular" }
  )pb");
  EXPECT_FALSE(ClassifyOne(builtin, F("5", "反映某公司发放购物卡，经核实不属实。")).classified());
  EXPECT_TRUE(ClassifyOne(builtin, F("6", "群众来信称某公司发放购物卡，经查举报失实。")).classified());
}

TEST(EngineTest, UnclassifiedIsKeptAndMarked) {
  auto e = MustCompile(kRules);
  auto c = ClassifyOne(e, F("7", "食堂卫生状况良好。"));
  EXPECT_FALSE(c.classified());
  EXPECT_EQ(c.finding_id(), "7");
  EXPECT_EQ(c.category(), "");
  EXPECT_EQ(c.rule_set().name(), "t");
  EXPECT_THAT(c.rule_set().hash(), HasSubstr("sha256:"));
}

TEST(EngineTest, RuntimeErrorIsReportedAndRuleDoesNotFire) {
  auto e = MustCompile(kRules);
  auto c = ClassifyOne(e, F("8", "除零测试"));
  EXPECT_FALSE(c.classified());
  ASSERT_EQ(c.errors_size(), 1);
  EXPECT_EQ(c.errors(0).rule_id(), "broken");
  EXPECT_THAT(c.errors(0).message(), HasSubstr("division by zero"));
}

TEST(EngineTest, EvidenceSpansHaveByteAndCharOffsets) {
  auto e = MustCompile(kRules);
  auto c = ClassifyOne(e, F("9", "该公司小金库问题"));
  ASSERT_EQ(c.hits_size(), 2);  // fin.slush + dispose.default
  ASSERT_EQ(c.hits(0).spans_size(), 1);
  const auto& sp = c.hits(0).spans(0);
  EXPECT_EQ(sp.text(), "小金库");
  EXPECT_EQ(sp.byte_begin(), 9u);
  EXPECT_EQ(sp.byte_end(), 18u);
  EXPECT_EQ(sp.char_begin(), 3u);
  EXPECT_EQ(sp.char_end(), 6u);
}

TEST(EngineTest, HashIsStableAndTracksRules) {
  auto a = MustCompile(kRules), b = MustCompile(kRules);
  EXPECT_EQ(a->hash(), b->hash());
  std::string changed = kRules;
  changed.replace(changed.find("priority: 60"), 12, "priority: 61");
  EXPECT_NE(MustCompile(changed)->hash(), a->hash());
}

TEST(EngineTest, TooLongTextIsAnErrorNotATruncation) {
  auto e = MustCompile(kRules);
  ClassifyOptions o;
  o.max_text_bytes = 10;
  Matcher m(e, o);
  v1::Classification c;
  Status s = m.Classify(F("10", "这是一段超过十个字节的文本"), &c);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(c.finding_id(), "10");
  EXPECT_EQ(c.errors_size(), 1);
}

TEST(EngineTest, ProfileCountsOnlyCandidates) {
  auto e = MustCompile(kRules);
  ClassifyOptions o;
  o.profile = true;
  Matcher m(e, o);
  v1::Classification c;
  ASSERT_TRUE(m.Classify(F("11", "食堂卫生状况良好"), &c).ok());
  for (const RuleProfile& p : m.profile()) {
    if (p.rule_id.rfind("dispose.", 0) == 0) {
      EXPECT_EQ(p.evaluations, 1u) << p.rule_id;  // no text requirement: always evaluated
    } else {
      EXPECT_EQ(p.evaluations, 0u) << p.rule_id << " evaluated although its terms did not occur";
    }
  }
}

TEST(EngineTest, ExplainSaysWhyTheWinnerWonAndWhyARuleDidNotFire) {
  auto e = MustCompile(kRules);
  Matcher m(e);
  auto text = m.Explain(F("12", "将合同拆分，均未招标"), "fin.slush");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr("bid.split"));
  EXPECT_THAT(*text, HasSubstr("higher priority (60 > 50)"));
  EXPECT_THAT(*text, HasSubstr("not evaluated"));
  auto near = m.Explain(F("13", "资金来自帐外资金"), "fin.slush");
  ASSERT_TRUE(near.ok());
  EXPECT_THAT(*near, HasSubstr("帐外资金"));  // nearest text to 账外资金
  EXPECT_EQ(m.Explain(F("14", "x"), "no.such.rule").status().code(), StatusCode::kNotFound);
}

TEST(EngineTest, BatchPreservesOrderAndIsByteIdenticalAtAnyThreadCount) {
  bench::Workload w = bench::MakeWorkload(60, 3000, 3);
  auto e = MustCompile(w.RuleFile());
  ASSERT_NE(e, nullptr);
  std::string one = testing::SerializeAll(e, w.findings, 1);
  EXPECT_EQ(testing::SerializeAll(e, w.findings, 2), one);
  EXPECT_EQ(testing::SerializeAll(e, w.findings, 4), one);
}

TEST(EngineTest, EngineAgreesWithNaiveEngineOnGeneratedCorpus) {
  for (int rules : {50, 300}) {
    bench::Workload w = bench::MakeWorkload(rules, 2000, 11);
    auto e = MustCompile(w.RuleFile());
    ASSERT_NE(e, nullptr);
    Matcher m(e);
    size_t fired = 0;
    for (const auto& f : w.findings) {
      v1::Classification fast, naive;
      ASSERT_TRUE(m.Classify(f, &fast).ok());
      ASSERT_TRUE(match_internal::ClassifyNaive(*e, f, &naive).ok());
      ASSERT_EQ(fast.SerializeAsString(), naive.SerializeAsString()) << f.id() << " " << f.text();
      fired += fast.hits_size();
    }
    // The workload is meant to fire 2–5 rules per finding on average.
    double mean = static_cast<double>(fired) / w.findings.size();
    EXPECT_GE(mean, 1.5) << rules;
    EXPECT_LE(mean, 6.0) << rules;
  }
}

TEST(EngineHandleTest, ReloadKeepsOldOnErrorsAndSwapsWhileClassifying) {
  auto first = MustCompile(kRules);
  EngineHandle handle(first);
  std::string dir = ::testing::TempDir();
  std::string bad = dir + "/bad.textproto", good = dir + "/good.textproto";
  {
    FILE* f = std::fopen(bad.c_str(), "w");
    std::fputs("name: \"t\" version: \"2\" rule { id: \"x\" when: 'text.contains(' }", f);
    std::fclose(f);
    std::string v3 = kRules;
    v3.replace(v3.find("version: \"1\""), 12, "version: \"3\"");
    f = std::fopen(good.c_str(), "w");
    std::fputs(v3.c_str(), f);
    std::fclose(f);
  }
  std::atomic<bool> stop{false};
  std::atomic<int> classified{0};
  std::thread worker([&] {
    while (!stop.load()) {
      auto e = handle.Get();
      auto c = ClassifyOne(e, F("w", "均未招标"));
      EXPECT_TRUE(c.rule_set().version() == "1" || c.rule_set().version() == "3");
      ++classified;
    }
  });
  std::vector<Diagnostic> diags;
  EXPECT_EQ(handle.Reload({bad}, {}, &diags).code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(diags.empty());
  EXPECT_EQ(handle.Get()->version(), "1");
  EXPECT_EQ(handle.generation(), 0u);
  EXPECT_TRUE(handle.Reload({good}, {}, &diags).ok());
  EXPECT_EQ(handle.Get()->version(), "3");
  EXPECT_EQ(handle.generation(), 1u);
  while (classified.load() < 50) std::this_thread::yield();
  stop = true;
  worker.join();
}

// A rule may accept warnings of given codes (Rule.allow_warnings): its own
// are dropped, other rules' stay, and an accepted code that silences nothing
// is a warning at that entry.
TEST(EngineTest, AllowWarningsDropsTheRulesOwnWarningsOfThoseCodes) {
  auto compile = [](const std::string& rules) {
    Compiler c;
    EXPECT_TRUE(c.AddSource("w.textproto", rules).ok());
    auto r = c.Finish();
    EXPECT_TRUE(r.ok());
    std::vector<std::string> out;
    for (const Diagnostic& d : r->diagnostics) {
      out.push_back(d.code + " " + d.rule_id + " " + std::to_string(d.location.line) + ":" +
                    std::to_string(d.location.column));
    }
    return out;
  };
  const std::string head = "name: \"w\" version: \"1\"\nstage { name: \"s\" }\n";
  const std::string broad =
      "rule { id: \"broad\" stage: \"s\" category: \"bidding\" when: 'text.containsAny([\"未\", \"没有\"])'";
  // Without an allowance: the lint.
  EXPECT_EQ(compile(head + broad + " }\n"),
            (std::vector<std::string>{"short-keyword broad 3:76"}));
  // Accepted by the rule itself; another rule's same warning stays.
  EXPECT_EQ(compile(head + broad + " allow_warnings: \"short-keyword\" }\n" +
                    "rule { id: \"other\" stage: \"s\" category: \"bidding\" when: 'text.contains(\"标\")' }\n"),
            (std::vector<std::string>{"short-keyword other 4:72"}));
  // An allowance that silences nothing is reported where it is written.
  EXPECT_EQ(compile(head + broad + " allow_warnings: [\"short-keyword\", \"regex-full-scan\"] }\n"),
            (std::vector<std::string>{"unused-allow-warnings broad 3:123"}));
}

}  // namespace
}  // namespace xuncha
