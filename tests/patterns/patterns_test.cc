#include "xuncha/patterns.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "patterns/text.h"
#include "patterns/test_util.h"

namespace xuncha {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::F;

v1::PatternDef Def(v1::PatternKind kind, std::string id = "t") {
  v1::PatternDef d;
  d.set_id(std::move(id));
  d.set_kind(kind);
  d.set_by_subcategory(true);
  return d;
}

v1::PatternReport Detect(const std::vector<v1::ClassifiedFinding>& findings, const v1::PatternDef& def,
                      const std::vector<PreviousRecord>& previous = {},
                      const FinishOptions& options = {}) {
  StatusOr<v1::PatternReport> report = DetectPatterns(findings, {def}, previous, options);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : v1::PatternReport();
}

std::vector<std::string> ManyUnits(int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) ids.push_back("U" + std::to_string(100 + i));
  return ids;
}

// --- widespread ---------------------------------------------------------------

std::vector<v1::ClassifiedFinding> VehicleInUnits(int units) {
  std::vector<v1::ClassifiedFinding> out;
  for (int i = 0; i < units; ++i) {
    out.push_back(F("V" + std::to_string(i), "U" + std::to_string(100 + i))
                      .Category("eight_point", "vehicle")
                      .Yuan(1000 * (i + 1)));
  }
  // Noise in another subcategory.
  out.push_back(F("X1", "U100").Category("eight_point", "gifts"));
  return out;
}

TEST(WidespreadTest, ExactlyNUnitsFiresNMinusOneDoesNot) {
  FinishOptions wide;
  wide.inspected_unit_ids = ManyUnits(100);  // 20% of 100 = 20 units: share never fires
  v1::PatternReport three = Detect(VehicleInUnits(3), Def(v1::PATTERN_KIND_WIDESPREAD), {}, wide);
  ASSERT_EQ(three.patterns_size(), 1);
  const v1::Pattern& p = three.patterns(0);
  EXPECT_EQ(p.category(), "eight_point");
  EXPECT_EQ(p.subcategory(), "vehicle");
  EXPECT_THAT(p.unit_ids(), ElementsAre("U100", "U101", "U102"));
  EXPECT_THAT(p.finding_ids(), ElementsAre("V0", "V1", "V2"));
  EXPECT_EQ(p.stats().at("units"), 3);
  EXPECT_EQ(p.stats().at("sum_fen"), 600000);
  EXPECT_EQ(p.summary(), "3个单位存在违规用车/公车私用问题（共3项，涉及金额6,000.00元，占受检单位的3.0%）");
  EXPECT_EQ(three.units_inspected(), 100);

  v1::PatternReport two = Detect(VehicleInUnits(2), Def(v1::PATTERN_KIND_WIDESPREAD), {}, wide);
  EXPECT_EQ(two.patterns_size(), 0);
}

TEST(WidespreadTest, ShareOfInspectedUnits) {
  v1::PatternDef def = Def(v1::PATTERN_KIND_WIDESPREAD);
  def.set_min_units(5);
  def.set_min_unit_share(0.2);
  FinishOptions ten;
  ten.inspected_unit_ids = ManyUnits(10);
  // 2 of 10 = 20%: fires; 1 of 5 would be 20% too but one unit is never
  // widespread.
  EXPECT_EQ(Detect(VehicleInUnits(2), def, {}, ten).patterns_size(), 1);
  FinishOptions eleven;
  eleven.inspected_unit_ids = ManyUnits(11);  // needs ceil(2.2) = 3
  EXPECT_EQ(Detect(VehicleInUnits(2), def, {}, eleven).patterns_size(), 0);
  FinishOptions five;
  five.inspected_unit_ids = ManyUnits(5);
  EXPECT_EQ(Detect(VehicleInUnits(1), def, {}, five).patterns_size(), 0);
  // Without a list, the units in the input are the inspected ones: 2 of 2.
  EXPECT_EQ(Detect(VehicleInUnits(2), def).patterns(0).stats().at("share"), 1.0);
}

TEST(WidespreadTest, ByCategoryGroupsSubcategories) {
  v1::PatternDef def = Def(v1::PATTERN_KIND_WIDESPREAD);
  def.set_by_subcategory(false);
  std::vector<v1::ClassifiedFinding> in = {
      F("a", "U1").Category("eight_point", "vehicle"),
      F("b", "U2").Category("eight_point", "gifts"),
      F("c", "U3").Category("eight_point", "travel"),
  };
  FinishOptions wide;
  wide.inspected_unit_ids = ManyUnits(100);
  v1::PatternReport r = Detect(in, def, {}, wide);
  ASSERT_EQ(r.patterns_size(), 1);
  EXPECT_EQ(r.patterns(0).subcategory(), "");
  EXPECT_THAT(r.patterns(0).summary(), HasSubstr("3个单位存在中央八项规定精神/四风方面问题"));
}

TEST(WidespreadTest, MemberIdsCanBeCapped) {
  FinishOptions capped;
  capped.max_member_ids = 2;
  v1::PatternReport r = Detect(VehicleInUnits(4), Def(v1::PATTERN_KIND_WIDESPREAD), {}, capped);
  ASSERT_EQ(r.patterns_size(), 1);
  EXPECT_THAT(r.patterns(0).finding_ids(), ElementsAre("V0", "V1"));
  EXPECT_TRUE(r.patterns(0).finding_ids_truncated());
  EXPECT_EQ(r.patterns(0).stats().at("count"), 4);
  EXPECT_EQ(r.common_problems(0).count(), 4);
}

TEST(WidespreadTest, CommonProblemsListCarriesAmountAndFix) {
  v1::PatternDef def = Def(v1::PATTERN_KIND_WIDESPREAD);
  def.set_suggested_fix("建立派车单制度");
  std::vector<v1::ClassifiedFinding> in = VehicleInUnits(4);
  in.push_back(F("V9", "U100").Category("eight_point", "vehicle").Fen(1));
  v1::PatternReport r = Detect(in, def);
  ASSERT_EQ(r.common_problems_size(), 1);
  const v1::CommonProblem& c = r.common_problems(0);
  EXPECT_EQ(c.subcategory(), "vehicle");
  EXPECT_EQ(c.count(), 5);
  EXPECT_EQ(c.unit_ids_size(), 4);
  EXPECT_EQ(c.amount().fen(), 1000000 + 1);  // 1000+2000+3000+4000 元 + 1 分
  EXPECT_EQ(c.suggested_fix(), "建立派车单制度");
  // A def without a fix gets the category's default.
  def.clear_suggested_fix();
  EXPECT_THAT(Detect(in, def).common_problems(0).suggested_fix(), HasSubstr("八项规定"));
}

// --- concentrated -------------------------------------------------------------

TEST(ConcentratedTest, KFindingsInOneUnitFiresKMinusOneDoesNot) {
  std::vector<v1::ClassifiedFinding> base;
  // Dilution so that a unit with 2 never holds half the cases.
  for (int i = 0; i < 4; ++i) {
    base.push_back(F("o" + std::to_string(i), "U" + std::to_string(i)).Category("finance", "slush_fund"));
  }
  auto with = [&](int n) {
    std::vector<v1::ClassifiedFinding> in = base;
    for (int i = 0; i < n; ++i) {
      in.push_back(F("a" + std::to_string(i), "UA").UnitName("A公司").Category("finance", "slush_fund"));
    }
    return in;
  };
  v1::PatternReport three = Detect(with(3), Def(v1::PATTERN_KIND_CONCENTRATED));
  ASSERT_EQ(three.patterns_size(), 1);
  EXPECT_THAT(three.patterns(0).unit_ids(), ElementsAre("UA"));
  EXPECT_EQ(three.patterns(0).stats().at("count"), 3);
  EXPECT_EQ(three.patterns(0).summary(), "A公司存在小金库问题3项，占同类问题7项的42.9%，问题较为集中");
  EXPECT_EQ(Detect(with(2), Def(v1::PATTERN_KIND_CONCENTRATED)).patterns_size(), 0);
}

TEST(ConcentratedTest, LineHoldingHalfTheCases) {
  v1::PatternDef def = Def(v1::PATTERN_KIND_CONCENTRATED);
  def.set_group_by("business_line");
  def.set_min_findings(10);  // only the share can fire
  std::vector<v1::ClassifiedFinding> in = {
      F("1", "U1").Line("电力").Category("procurement", "weak_acceptance"),
      F("2", "U2").Line("电力").Category("procurement", "weak_acceptance"),
      F("3", "U3").Line("物流").Category("procurement", "weak_acceptance"),
      F("4", "U4").Line("物流").Category("procurement", "weak_acceptance"),
  };
  // 2 of 4 but total 4 < K=10: no.
  EXPECT_EQ(Detect(in, def).patterns_size(), 0);
  def.set_min_findings(4);
  v1::PatternReport r = Detect(in, def);  // each line holds exactly 50%
  ASSERT_EQ(r.patterns_size(), 2);
  EXPECT_EQ(r.patterns(0).group(), "物流");  // sorted by group
  EXPECT_EQ(r.patterns(1).group(), "电力");
  EXPECT_THAT(r.patterns(1).summary(), HasSubstr("电力板块存在验收不严问题2项，占同类问题4项的50.0%"));
  in.push_back(F("5", "U5").Line("物流").Category("procurement", "weak_acceptance"));
  r = Detect(in, def);  // 电力 2/5 = 40%: only 物流 (3/5, and 3 < 4)
  ASSERT_EQ(r.patterns_size(), 1);
  EXPECT_EQ(r.patterns(0).group(), "物流");
}

TEST(ConcentratedTest, RejectsUnknownGroupBy) {
  v1::PatternDef def = Def(v1::PATTERN_KIND_CONCENTRATED);
  def.set_group_by("department");
  StatusOr<v1::PatternReport> r = DetectPatterns({F("1", "U1").Category("finance", "slush_fund")}, {def});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

// --- recurring ----------------------------------------------------------------

TEST(RecurringTest, EarlierRoundSameUnitAndSubcategory) {
  std::vector<v1::ClassifiedFinding> now = {
      F("n1", "US").UnitName("S公司").Round("2024-R2").Category("eight_point", "vehicle"),
      F("n2", "UT").Round("2024-R2").Category("eight_point", "vehicle"),
  };
  std::vector<PreviousRecord> prev = {
      {"US", "eight_point", "vehicle", "2023-R1", "p1", false},
      {"US", "eight_point", "gifts", "2023-R1", "p2", true},  // other subcategory
      {"UX", "eight_point", "vehicle", "2023-R1", "p3", true},  // other unit
  };
  v1::PatternReport r = Detect(now, Def(v1::PATTERN_KIND_RECURRING), prev);
  ASSERT_EQ(r.patterns_size(), 1);
  const v1::Pattern& p = r.patterns(0);
  EXPECT_THAT(p.unit_ids(), ElementsAre("US"));
  EXPECT_THAT(p.finding_ids(), ElementsAre("n1"));
  EXPECT_THAT(p.previous_finding_ids(), ElementsAre("p1"));
  EXPECT_EQ(p.previous_round(), "2023-R1");
  EXPECT_FALSE(p.previously_rectified());
  EXPECT_EQ(p.severity(), "medium");
  EXPECT_EQ(p.summary(), "S公司违规用车/公车私用问题在2023-R1巡察中已被指出，本轮再次发现，屡查屡犯");

  // Rectified before: worse.
  prev.push_back({"US", "eight_point", "vehicle", "2023-R2", "p4", true});
  r = Detect(now, Def(v1::PATTERN_KIND_RECURRING), prev);
  ASSERT_EQ(r.patterns_size(), 1);
  EXPECT_TRUE(r.patterns(0).previously_rectified());
  EXPECT_EQ(r.patterns(0).severity(), "high");
  EXPECT_EQ(r.patterns(0).previous_round(), "2023-R2");
  EXPECT_THAT(r.patterns(0).summary(), HasSubstr("整改不到位"));
  EXPECT_EQ(r.patterns(0).stats().at("rectified_count"), 1);
}

TEST(RecurringTest, SameFindingOrSameRoundIsNotRecurrence) {
  std::vector<v1::ClassifiedFinding> now = {
      F("n1", "US").Round("2024-R2").Category("eight_point", "vehicle")};
  std::vector<PreviousRecord> prev = {
      {"US", "eight_point", "vehicle", "2023-R1", "n1", false},  // itself
      {"US", "eight_point", "vehicle", "2024-R2", "n0", false},  // same round
  };
  EXPECT_EQ(Detect(now, Def(v1::PATTERN_KIND_RECURRING), prev).patterns_size(), 0);
}

TEST(RecurringTest, PreviousRecordsFromClassifiedOutput) {
  std::vector<v1::ClassifiedFinding> old = {
      F("p1", "US").Round("2023-R1").Category("eight_point", "vehicle").Attr("整改状态", "已整改"),
      F("p2", "US").Round("2023-R1").Category("finance", "slush_fund"),
      F("p3", "US").Round("2023-R1"),  // unclassified: skipped
  };
  std::vector<PreviousRecord> recs = PreviousRecordsFromClassified(old, {"p2"});
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_TRUE(recs[0].rectified);
  EXPECT_TRUE(recs[1].rectified);
  EXPECT_FALSE(PreviousRecordsFromClassified({old[1]})[0].rectified);
}

// --- shared counterparty ------------------------------------------------------

TEST(CounterpartyNameTest, NormalisationTable) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"华信建设有限公司", "华信建设"},
      {"华信建设有限责任公司", "华信建设"},
      {"华信建设股份有限公司", "华信建设"},
      {"华信建设（集团）有限公司", "华信建设"},
      {"华信建设(集团)有限公司", "华信建设"},
      {"华信建设集团有限公司", "华信建设"},
      {" 华信 建设 有限公司 ", "华信建设"},
      {"华信建设有限公司第一分公司", "华信建设有限公司第一分公司"},
      {"ＡＢＣ科技有限公司", "abc科技"},
      {"ABC Technology Co., Ltd.", "abctechnology"},
      {"abc technology co.,ltd", "abctechnology"},
      {"张　三", "张三"},
      {"张·三", "张三"},
      {"“鑫源”商贸有限公司", "鑫源商贸"},
      {"有限公司", "有限公司"},  // nothing but a suffix: kept
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(NormalizeCounterpartyName(c.in), c.out) << c.in;
}

TEST(SharedCounterpartyTest, SameSupplierAcrossUnits) {
  std::vector<v1::ClassifiedFinding> in = {
      F("1", "U1").Counterparty("华信建设有限公司").Category("bidding", "bid_rigging").Yuan(100),
      F("2", "U2").Counterparty("华信建设（集团）有限公司").Category("bidding", "bid_rigging"),
      F("3", "U2").Counterparty("华信建设有限公司").Counterparty("华信建设有限责任公司"),
      F("4", "U3").Counterparty("鑫源商贸有限公司"),
  };
  v1::PatternReport r = Detect(in, Def(v1::PATTERN_KIND_SHARED_COUNTERPARTY));
  ASSERT_EQ(r.patterns_size(), 1);
  const v1::Pattern& p = r.patterns(0);
  EXPECT_EQ(p.counterparty(), "华信建设");
  EXPECT_THAT(p.unit_ids(), ElementsAre("U1", "U2"));
  EXPECT_THAT(p.finding_ids(), ElementsAre("1", "2", "3"));
  EXPECT_EQ(p.summary(), "华信建设有限公司与2个单位的3项问题相关，涉及金额100.00元");
  EXPECT_EQ(p.category(), "");  // finding 3 is unclassified

  v1::PatternDef strict = Def(v1::PATTERN_KIND_SHARED_COUNTERPARTY);
  strict.set_min_units(3);
  strict.set_min_findings(4);
  EXPECT_EQ(Detect(in, strict).patterns_size(), 0);
  strict.set_min_findings(3);
  EXPECT_EQ(Detect(in, strict).patterns_size(), 1);
}

// --- near duplicate -----------------------------------------------------------

TEST(NearDuplicateTest, TemplatedTextsAcrossUnits) {
  const std::string t = "公务用车未执行派车单制度，车辆使用登记不全，存在公车私用风险，油料费用报销审核不严格";
  std::vector<v1::ClassifiedFinding> in = {
      F("a", "U1").Text("A公司" + t).Category("eight_point", "vehicle"),
      F("b", "U2").Text("B公司" + t).Category("eight_point", "vehicle"),
      F("c", "U3").Text("C分公司" + t + "。").Category("eight_point", "vehicle"),
      F("d", "U4").Text("D公司食堂采购未经询价比价，单价明显高于市场价格"),
      F("e", "U5").Text("E公司党委会议记录不完整，部分议题缺少表决情况"),
      // A same-unit pair only: not reported.
      F("f", "U6").Text("F公司工程结算审核不严，多计工程量造成损失约十万元"),
      F("g", "U6").Text("F公司工程结算审核不严，多计工程量造成损失约十万元。"),
  };
  v1::PatternReport r = Detect(in, Def(v1::PATTERN_KIND_NEAR_DUPLICATE));
  ASSERT_EQ(r.patterns_size(), 1);
  const v1::Pattern& p = r.patterns(0);
  EXPECT_THAT(p.finding_ids(), ElementsAre("a", "b", "c"));
  EXPECT_THAT(p.unit_ids(), ElementsAre("U1", "U2", "U3"));
  EXPECT_EQ(p.category(), "eight_point");
  EXPECT_GE(p.stats().at("similarity"), 0.8);
  EXPECT_THAT(p.summary(), HasSubstr("3个单位的3项问题表述高度雷同"));
}

TEST(NearDuplicateTest, ThresholdIsExactJaccard) {
  const std::string x = "某公司违规发放津补贴，发放范围和标准均无依据，涉及全体机关人员";
  const std::string y = "某公司违规发放津补贴，发放范围和标准均无依据，涉及部分机关人员";
  std::vector<uint32_t> a, b;
  AccumulatorOptions o;
  patterns_internal::ShingleHashes(x, 3, o.hash_seed, &a);
  patterns_internal::ShingleHashes(y, 3, o.hash_seed, &b);
  double j = patterns_internal::Jaccard(a.data(), a.size(), b.data(), b.size());
  ASSERT_GT(j, 0.6);
  ASSERT_LT(j, 1.0);
  std::vector<v1::ClassifiedFinding> in = {F("x", "U1").Text(x), F("y", "U2").Text(y)};
  v1::PatternDef def = Def(v1::PATTERN_KIND_NEAR_DUPLICATE);
  def.set_similarity(j);  // equal: joins
  ASSERT_EQ(Detect(in, def).patterns_size(), 1);
  EXPECT_DOUBLE_EQ(Detect(in, def).patterns(0).stats().at("similarity"), j);
  def.set_similarity(j + 1e-6);  // just above: does not
  EXPECT_EQ(Detect(in, def).patterns_size(), 0);
}

TEST(MinHashTest, AgreementEstimatesJaccard) {
  // One permutation hashing with densification: per bin, Pr[agree] = J.
  patterns_internal::MinHasher hasher(32, 12345);
  for (double target : {0.2, 0.5, 0.8}) {
    double agree = 0, jaccard = 0;
    const int pairs = 400;
    for (int p = 0; p < pairs; ++p) {
      // |A| = |B| = 40 with c common: J = c / (80 - c).
      int common = static_cast<int>(std::lround(80 * target / (1 + target)));
      std::vector<uint32_t> a, b;
      uint64_t base = patterns_internal::SplitMix64(p * 1000 + static_cast<int>(target * 10));
      for (int i = 0; i < common; ++i) {
        uint32_t x = static_cast<uint32_t>(patterns_internal::SplitMix64(base + i));
        a.push_back(x);
        b.push_back(x);
      }
      for (int i = common; i < 40; ++i) {
        a.push_back(static_cast<uint32_t>(patterns_internal::SplitMix64(base + 100 + i)));
        b.push_back(static_cast<uint32_t>(patterns_internal::SplitMix64(base + 200 + i)));
      }
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      jaccard += patterns_internal::Jaccard(a.data(), a.size(), b.data(), b.size());
      uint32_t sa[32], sb[32];
      hasher.Sign(a.data(), a.size(), sa);
      hasher.Sign(b.data(), b.size(), sb);
      for (int i = 0; i < 32; ++i) agree += sa[i] == sb[i];
    }
    EXPECT_NEAR(agree / (32.0 * pairs), jaccard / pairs, 0.03) << target;
  }
  // Short texts (few shingles, mostly densified bins) still sign equal sets
  // equally and never leave a bin empty.
  std::vector<uint32_t> tiny = {7, 9};
  uint32_t s1[32], s2[32];
  hasher.Sign(tiny.data(), tiny.size(), s1);
  hasher.Sign(tiny.data(), tiny.size(), s2);
  for (int i = 0; i < 32; ++i) {
    EXPECT_EQ(s1[i], s2[i]);
    EXPECT_NE(s1[i], 0xffffffffu);
  }
}

TEST(NearDuplicateTest, ShingleSizeMustMatchTheAccumulator) {
  PatternAccumulator acc;  // 3-character shingles
  acc.Add(F("x", "U1").Text("测试文本"));
  v1::PatternDef def = Def(v1::PATTERN_KIND_NEAR_DUPLICATE);
  def.set_shingle_chars(2);
  EXPECT_EQ(acc.Finish({def}).status().code(), StatusCode::kInvalidArgument);
  def.set_shingle_chars(4);
  std::vector<v1::PatternDef> defs = {def, Def(v1::PATTERN_KIND_NEAR_DUPLICATE)};
  EXPECT_FALSE(AccumulatorOptions::ForDefs(defs).ok());
}

// --- outliers -----------------------------------------------------------------

TEST(QuantileTest, Type7) {
  std::vector<double> v = {1, 1, 2, 2, 2, 10};
  EXPECT_DOUBLE_EQ(patterns_internal::Quantile7(v, 0.25), 1.25);
  EXPECT_DOUBLE_EQ(patterns_internal::Quantile7(v, 0.5), 2.0);
  EXPECT_DOUBLE_EQ(patterns_internal::Quantile7(v, 0.75), 2.0);
  EXPECT_DOUBLE_EQ(patterns_internal::Quantile7({7}, 0.25), 7.0);
  EXPECT_DOUBLE_EQ(patterns_internal::Quantile7({1, 2, 3, 4}, 0.25), 1.75);
}

std::vector<v1::ClassifiedFinding> Peers(const std::vector<int>& counts, const std::string& kind) {
  std::vector<v1::ClassifiedFinding> in;
  for (size_t u = 0; u < counts.size(); ++u) {
    std::string unit = kind + std::to_string(u);
    // Every unit appears, even with no finding in the category.
    in.push_back(F(unit + "-x", unit).Kind(kind).Headcount(100).Category("other", "work_style"));
    for (int i = 0; i < counts[u]; ++i) {
      in.push_back(F(unit + "-" + std::to_string(i), unit)
                       .Kind(kind)
                       .Headcount(100)
                       .Category("eight_point", "vehicle"));
    }
  }
  return in;
}

TEST(OutlierTest, TukeyFencesWithinPeerGroup) {
  v1::PatternDef def = Def(v1::PATTERN_KIND_OUTLIER_UNIT);
  def.set_category("eight_point");
  v1::PatternReport r = Detect(Peers({1, 1, 2, 2, 2, 10}, "subsidiary"), def);
  ASSERT_EQ(r.patterns_size(), 1);
  const v1::Pattern& p = r.patterns(0);
  EXPECT_THAT(p.unit_ids(), ElementsAre("subsidiary5"));
  EXPECT_EQ(p.finding_ids_size(), 10);
  EXPECT_EQ(p.group(), "subsidiary");
  EXPECT_DOUBLE_EQ(p.stats().at("q1"), 1.25);
  EXPECT_DOUBLE_EQ(p.stats().at("q3"), 2.0);
  EXPECT_DOUBLE_EQ(p.stats().at("upper_fence"), 2.0 + 1.5 * 0.75);
  EXPECT_DOUBLE_EQ(p.stats().at("value"), 10);
  EXPECT_EQ(p.severity(), "high");  // > Q3 + 3 IQR
  EXPECT_EQ(p.summary(),
            "subsidiary5违规用车/公车私用问题数量为10，明显高于同类（subsidiary）单位（6家，上限3.13）");
  // A value exactly on the fence is not an outlier: 3.125 needs counts; use
  // k so the fence is 10.
  def.set_iqr_k(32.0 / 3.0);  // 2 + (32/3)*0.75 = 10
  EXPECT_EQ(Detect(Peers({1, 1, 2, 2, 2, 10}, "subsidiary"), def).patterns_size(), 0);
}

TEST(OutlierTest, PeerGroupsAreByKindAndNeedMinimumSize) {
  v1::PatternDef def = Def(v1::PATTERN_KIND_OUTLIER_UNIT);
  def.set_category("eight_point");
  std::vector<v1::ClassifiedFinding> in = Peers({1, 1, 2, 2, 2, 10}, "subsidiary");
  for (auto& f : Peers({9, 10, 10, 11}, "branch")) in.push_back(f);  // 4 < 5 peers
  v1::PatternReport r = Detect(in, def);
  ASSERT_EQ(r.patterns_size(), 1);
  def.set_min_peer_group(7);
  EXPECT_EQ(Detect(in, def).patterns_size(), 0);
}

TEST(OutlierTest, PerHeadAndAmount) {
  v1::PatternDef def = Def(v1::PATTERN_KIND_OUTLIER_UNIT);
  def.set_category("eight_point");
  def.set_measure("per_head");
  std::vector<v1::ClassifiedFinding> in = Peers({2, 2, 2, 2, 2, 2}, "s");
  // Unit s5 has the same count but a tenth of the staff.
  for (auto& f : in) {
    if (f.finding().unit().id() == "s5") f.mutable_finding()->mutable_unit()->set_headcount(10);
  }
  v1::PatternReport r = Detect(in, def);
  ASSERT_EQ(r.patterns_size(), 1);
  EXPECT_THAT(r.patterns(0).unit_ids(), ElementsAre("s5"));
  EXPECT_DOUBLE_EQ(r.patterns(0).stats().at("value"), 0.2);
  def.set_measure("median");
  EXPECT_FALSE(DetectPatterns(in, {def}).ok());
}

// --- split purchases ----------------------------------------------------------

std::vector<v1::ClassifiedFinding> Purchases(const std::vector<int64_t>& fen,
                                             const std::string& method = "询价") {
  std::vector<v1::ClassifiedFinding> in;
  for (size_t i = 0; i < fen.size(); ++i) {
    in.push_back(F("P" + std::to_string(i), "UA")
                     .UnitName("A公司")
                     .Fen(fen[i])
                     .OccurredOn("2024-0" + std::to_string(i + 1) + "-10")
                     .Attr("物资类别", "劳保用品")
                     .Attr("采购方式", method));
  }
  return in;
}

TEST(SplitPurchaseTest, SumEqualToThresholdFiresOneFenLessDoesNot) {
  v1::PatternDef def = Def(v1::PATTERN_KIND_SPLIT_PURCHASE);
  const int64_t wan = 1000000;  // 1万元 in fen
  v1::PatternReport r = Detect(Purchases({100 * wan, 50 * wan, 50 * wan}), def);
  ASSERT_EQ(r.patterns_size(), 1);
  const v1::Pattern& p = r.patterns(0);
  EXPECT_EQ(p.category(), "procurement");
  EXPECT_EQ(p.subcategory(), "split_to_evade");
  EXPECT_EQ(p.group(), "劳保用品/2024");
  EXPECT_EQ(p.stats().at("sum_fen"), 200 * wan);
  EXPECT_EQ(p.summary(),
            "A公司2024年度以非公开方式采购劳保用品3次，单笔均低于200.00万元，合计200.00万元，"
            "涉嫌化整为零规避公开招标");
  EXPECT_EQ(Detect(Purchases({100 * wan, 50 * wan, 50 * wan - 1}), def).patterns_size(), 0);
  // Open tenders do not count; nor does one purchase at the threshold.
  EXPECT_EQ(Detect(Purchases({100 * wan, 100 * wan}, "公开招标"), def).patterns_size(), 0);
  EXPECT_EQ(Detect(Purchases({200 * wan, 1 * wan}), def).patterns_size(), 0);
  // Custom threshold and open methods.
  def.set_threshold_fen(150 * wan);
  def.add_open_methods("询价");
  EXPECT_EQ(Detect(Purchases({100 * wan, 60 * wan}), def).patterns_size(), 0);
  def.clear_open_methods();
  EXPECT_EQ(Detect(Purchases({100 * wan, 60 * wan}), def).patterns_size(), 1);
}

TEST(SplitPurchaseTest, FiscalYearsAreSeparate) {
  const int64_t wan = 1000000;
  std::vector<v1::ClassifiedFinding> in = Purchases({150 * wan, 100 * wan});
  in[1].mutable_finding()->set_occurred_on("2025-01-03");
  EXPECT_EQ(Detect(in, Def(v1::PATTERN_KIND_SPLIT_PURCHASE)).patterns_size(), 0);
  in[1].mutable_finding()->clear_occurred_on();
  in[1].mutable_finding()->set_found_on("2024-11-03");  // falls back to found_on
  EXPECT_EQ(Detect(in, Def(v1::PATTERN_KIND_SPLIT_PURCHASE)).patterns_size(), 1);
}

// --- formats, defaults, state -------------------------------------------------

TEST(PatternFormatTest, Money) {
  using patterns_internal::FormatMoney;
  EXPECT_EQ(FormatMoney(0), "0.00元");
  EXPECT_EQ(FormatMoney(320000), "3,200.00元");
  EXPECT_EQ(FormatMoney(520000000), "520.00万元");
  EXPECT_EQ(FormatMoney(1864999), "1.86万元");
  EXPECT_EQ(FormatMoney(1865000), "1.87万元");
  EXPECT_EQ(FormatMoney(12500000000), "1.25亿元");
}

TEST(PatternDefaultsTest, EveryKindHasADefault) {
  std::vector<v1::PatternDef> defs = DefaultPatternDefs();
  std::set<int> kinds;
  for (const auto& d : defs) kinds.insert(d.kind());
  EXPECT_EQ(kinds.size(), 7u);
  // Empty defs = defaults; runs every kind on an empty accumulator.
  PatternAccumulator acc;
  StatusOr<v1::PatternReport> r = acc.Finish({});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->patterns_size(), 0);
}

TEST(PatternStateTest, RoundTripAndMergeChecks) {
  PatternAccumulator acc;
  acc.Add(F("1", "U1").UnitName("甲").Kind("branch").Text("测试文本一二三").Counterparty("华信建设有限公司")
              .Category("bidding", "bid_rigging").Attr("物资类别", "钢材").Yuan(5));
  acc.Add(F("2", "U2").Text(""));
  v1::PatternState state = acc.Serialize();
  ASSERT_EQ(state.findings_size(), 2);
  EXPECT_EQ(state.findings(0).minhash_size(), 32);
  EXPECT_EQ(state.findings(1).minhash_size(), 0);  // no text, no signature
  EXPECT_EQ(state.units(0).kind(), "branch");
  StatusOr<PatternAccumulator> back = PatternAccumulator::Parse(state);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(testing::DeterministicBytes(back->Serialize()), testing::DeterministicBytes(state));
  EXPECT_EQ(back->size(), 2);

  v1::PatternState bad = state;
  bad.set_format_version(9);
  EXPECT_EQ(PatternAccumulator::Parse(bad).status().code(), StatusCode::kInvalidArgument);
  bad = state;
  bad.mutable_findings(0)->mutable_minhash()->RemoveLast();
  EXPECT_EQ(PatternAccumulator::Parse(bad).status().code(), StatusCode::kDataLoss);

  AccumulatorOptions other;
  other.shingle_chars = 2;
  PatternAccumulator different(other);
  EXPECT_EQ(acc.Merge(different).code(), StatusCode::kInvalidArgument);
  // Merging with itself doubles.
  PatternAccumulator twice = acc;
  ASSERT_TRUE(twice.Merge(twice).ok());
  EXPECT_EQ(twice.size(), 4);
}

}  // namespace
}  // namespace xuncha
