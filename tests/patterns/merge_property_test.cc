// The accumulator's merge is associative and commutative: any sharding of a
// round, merged in any tree, through serialization or not, gives a report
// byte-identical to one pass.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "patterns/test_util.h"
#include "xuncha/patterns.h"

namespace xuncha {
namespace {

using testing::DeterministicBytes;
using testing::F;

std::vector<v1::ClassifiedFinding> RandomRound(std::mt19937_64& rng, int n) {
  const char* subs[][2] = {{"eight_point", "vehicle"},     {"eight_point", "gifts"},
                           {"procurement", "split_to_evade"}, {"finance", "slush_fund"},
                           {"payroll", "allowance_irregular"}, {"bidding", "bid_rigging"}};
  const char* templates[] = {
      "公务用车未执行派车单制度，车辆使用登记不全，油料费用报销审核不严格",
      "食堂采购未经询价比价，单价明显高于市场价格，验收记录事后补签",
      "违规发放津补贴，发放范围和标准均无依据，涉及全体机关人员",
      "工程结算审核不严，多计工程量，造成国有资产损失",
  };
  const char* suppliers[] = {"华信建设有限公司", "华信建设（集团）有限公司", "鑫源商贸有限公司",
                             "张三", "ABC Co., Ltd."};
  const char* kinds[] = {"subsidiary", "branch"};
  const char* lines[] = {"电力", "物流", "金融"};
  const char* items[] = {"劳保用品", "办公用品", "钢材"};
  std::uniform_int_distribution<int> pct(0, 99);
  std::vector<v1::ClassifiedFinding> out;
  for (int i = 0; i < n; ++i) {
    int unit = static_cast<int>(rng() % 14);
    std::string uid = "U" + std::to_string(unit);
    auto b = F("F" + std::to_string(1000 + static_cast<int>(rng() % (n * 2))), uid)  // ids may repeat
                 .UnitName(uid + "公司")
                 .Kind(kinds[unit % 2])
                 .Line(lines[unit % 3])
                 .Headcount(50 + unit * 10)
                 .Round(pct(rng) < 90 ? "2024-R1" : "2024-R2");
    if (pct(rng) < 85) {
      auto& s = subs[rng() % 6];
      b.Category(s[0], s[1]);
    }
    std::string text = templates[rng() % 4];
    if (pct(rng) < 50) text = uid + "存在" + text + std::to_string(rng() % 3);
    if (pct(rng) < 20) text = "第" + std::to_string(rng() % 1000) + "号问题，情况各异" + std::to_string(rng());
    b.Text(text);
    if (pct(rng) < 70) b.Fen(static_cast<int64_t>(rng() % 150) * 1000000);
    if (pct(rng) < 40) b.Counterparty(suppliers[rng() % 5]);
    if (pct(rng) < 15) b.Counterparty(suppliers[rng() % 5]);
    if (pct(rng) < 50) {
      b.Attr("物资类别", items[rng() % 3]).Attr("采购方式", pct(rng) < 80 ? "询价" : "公开招标");
    }
    if (pct(rng) < 30) b.Attr("合同编号", "HT-" + std::to_string(rng() % 40));
    b.OccurredOn(pct(rng) < 50 ? "2024-03-01" : "2023-11-30");
    out.push_back(b);
  }
  return out;
}

std::vector<v1::PatternDef> AllKinds() {
  std::vector<v1::PatternDef> defs = DefaultPatternDefs();
  v1::PatternDef line;
  line.set_id("line");
  line.set_kind(v1::PATTERN_KIND_CONCENTRATED);
  line.set_group_by("business_line");
  defs.push_back(line);
  v1::PatternDef contract;
  contract.set_id("contract");
  contract.set_kind(v1::PATTERN_KIND_OUTLIER_UNIT);
  contract.set_measure("per_contract");
  contract.set_min_peer_group(3);
  defs.push_back(contract);
  v1::PatternDef amount = contract;
  amount.set_id("amount");
  amount.set_measure("amount");
  amount.set_iqr_k(0.5);
  defs.push_back(amount);
  v1::PatternDef low_split;
  low_split.set_id("split-low");
  low_split.set_kind(v1::PATTERN_KIND_SPLIT_PURCHASE);
  low_split.set_threshold_fen(100000000);
  defs.push_back(low_split);
  v1::PatternDef dup;
  dup.set_id("dup-loose");
  dup.set_kind(v1::PATTERN_KIND_NEAR_DUPLICATE);
  dup.set_similarity(0.5);
  defs.push_back(dup);
  return defs;
}

TEST(PatternMergePropertyTest, AnyShardingAndMergeTreeGivesTheOnePassReport) {
  std::mt19937_64 rng(20261127);
  const std::vector<v1::PatternDef> defs = AllKinds();
  std::vector<PreviousRecord> previous = {
      {"U1", "eight_point", "vehicle", "2023-R2", "old1", true},
      {"U2", "finance", "slush_fund", "2023-R2", "old2", false},
      {"U3", "eight_point", "gifts", "2022-R1", "old3", false},
  };
  FinishOptions small_buckets;  // exercise the windowed LSH path too
  small_buckets.lsh_full_bucket = 4;
  small_buckets.lsh_window = 3;
  int nonempty_reports = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const int n = 20 + static_cast<int>(rng() % 300);
    std::vector<v1::ClassifiedFinding> round = RandomRound(rng, n);
    FinishOptions capped;
    capped.max_member_ids = 3;
    const FinishOptions& fo = trial % 3 == 0 ? small_buckets : trial % 3 == 1 ? capped : FinishOptions();

    PatternAccumulator one;
    for (const auto& f : round) one.Add(f);
    StatusOr<v1::PatternReport> expected = one.Finish(defs, previous, fo);
    ASSERT_TRUE(expected.ok()) << expected.status();
    if (expected->patterns_size() > 0) ++nonempty_reports;
    const std::string expected_bytes = DeterministicBytes(*expected);

    // Random shards, findings in random order.
    const int shards = 1 + static_cast<int>(rng() % 12);
    std::vector<PatternAccumulator> parts(shards);
    std::vector<size_t> perm(round.size());
    for (size_t i = 0; i < perm.size(); ++i) perm[i] = i;
    std::shuffle(perm.begin(), perm.end(), rng);
    for (size_t i : perm) parts[rng() % shards].Add(round[i]);

    // A random merge tree: repeatedly merge two random survivors, sometimes
    // through the wire format.
    while (parts.size() > 1) {
      size_t a = rng() % parts.size();
      size_t b = rng() % (parts.size() - 1);
      if (b >= a) ++b;
      if (rng() % 3 == 0) {
        StatusOr<PatternAccumulator> shipped = PatternAccumulator::Parse(parts[b].Serialize());
        ASSERT_TRUE(shipped.ok()) << shipped.status();
        parts[b] = std::move(*shipped);
      }
      if (rng() % 2 == 0) {
        ASSERT_TRUE(parts[a].Merge(parts[b]).ok());
      } else {
        ASSERT_TRUE(parts[a].Merge(std::move(parts[b])).ok());
        ASSERT_EQ(parts[b].size(), 0);  // consumed
      }
      parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(b));
    }
    ASSERT_EQ(parts[0].size(), static_cast<int64_t>(round.size()));
    if (trial % 5 == 0) {
      // MergeAll of fresh shards gives the same state.
      std::vector<PatternAccumulator> again(3);
      for (size_t i = 0; i < round.size(); ++i) again[i % 3].Add(round[i]);
      PatternAccumulator all;
      ASSERT_TRUE(all.MergeAll({&again[2], &again[0], &again[1]}).ok());
      EXPECT_EQ(DeterministicBytes(all.Serialize()), DeterministicBytes(one.Serialize()));
    }
    EXPECT_EQ(DeterministicBytes(parts[0].Serialize()), DeterministicBytes(one.Serialize()))
        << "trial " << trial;
    StatusOr<v1::PatternReport> got = parts[0].Finish(defs, previous, fo);
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(DeterministicBytes(*got), expected_bytes)
        << "trial " << trial << " shards " << shards << "\nexpected:\n"
        << expected->DebugString() << "\ngot:\n"
        << got->DebugString();
  }
  // The property is only worth something if reports have content.
  EXPECT_GE(nonempty_reports, 50);
}

// Shards large enough that a merge adopts their signature chunks instead of
// appending them (patterns_internal::kSpliceValues), merged every way.
TEST(PatternMergePropertyTest, LargeShardsMergedAnyWayGiveTheOnePassState) {
  std::mt19937_64 rng(20261128);
  std::vector<v1::ClassifiedFinding> round = RandomRound(rng, 6000);
  const std::vector<v1::PatternDef> defs = AllKinds();
  PatternAccumulator one;
  for (const auto& f : round) one.Add(f);
  const std::string want_state = DeterministicBytes(one.Serialize());
  StatusOr<v1::PatternReport> want = one.Finish(defs);
  ASSERT_TRUE(want.ok()) << want.status();
  const std::string want_report = DeterministicBytes(*want);
  auto check = [&](const PatternAccumulator& got, const std::string& how) {
    EXPECT_EQ(got.size(), one.size()) << how;
    EXPECT_EQ(DeterministicBytes(got.Serialize()), want_state) << how;
    StatusOr<v1::PatternReport> report = got.Finish(defs);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(DeterministicBytes(*report), want_report) << how;
  };
  // Shards of 2000, 2000, 1500 and 500 findings.
  auto shards = [&] {
    std::vector<PatternAccumulator> parts(4);
    for (size_t i = 0; i < round.size(); ++i) {
      parts[i < 2000 ? 0 : i < 4000 ? 1 : i < 5500 ? 2 : 3].Add(round[i]);
    }
    return parts;
  };

  {  // Copying merges.
    std::vector<PatternAccumulator> parts = shards();
    PatternAccumulator merged = parts[3];
    for (int i : {1, 0, 2}) ASSERT_TRUE(merged.Merge(parts[i]).ok());
    check(merged, "copying");
    // The shards are unchanged: merging them again gives the same state.
    PatternAccumulator again = parts[0];
    ASSERT_TRUE(again.MergeAll({&parts[1], &parts[2], &parts[3]}).ok());
    check(again, "copying again");
  }
  {  // Consuming merges, the smaller into the larger and the other way.
    std::vector<PatternAccumulator> parts = shards();
    PatternAccumulator merged;
    for (int i : {3, 0, 2, 1}) {
      ASSERT_TRUE(merged.Merge(std::move(parts[i])).ok());
      EXPECT_EQ(parts[i].size(), 0);
      EXPECT_EQ(parts[i].options().minhash_size, merged.options().minhash_size);
    }
    check(merged, "consuming");
  }
  {  // Serialized shards, as a coordinator receives them, consumed in turn.
    std::vector<PatternAccumulator> parts = shards();
    std::vector<v1::PatternState> wire;
    for (const PatternAccumulator& p : parts) wire.push_back(p.Serialize());
    PatternAccumulator merged;
    for (int i : {2, 3, 1, 0}) {
      StatusOr<PatternAccumulator> shard = PatternAccumulator::Parse(wire[i]);
      ASSERT_TRUE(shard.ok()) << shard.status();
      ASSERT_TRUE(merged.Merge(std::move(*shard)).ok());
    }
    check(merged, "serialized");
  }
  {  // A consumed accumulator is empty and can be used again.
    std::vector<PatternAccumulator> parts = shards();
    PatternAccumulator small;
    for (size_t i = 5500; i < 5600; ++i) small.Add(round[i]);
    PatternAccumulator rest;
    for (size_t i = 5600; i < round.size(); ++i) rest.Add(round[i]);
    ASSERT_TRUE(parts[0].Merge(std::move(parts[1])).ok());  // 4000, adopting
    ASSERT_TRUE(parts[1].Merge(std::move(small)).ok());     // into the emptied one
    ASSERT_TRUE(parts[1].Merge(rest).ok());
    ASSERT_EQ(parts[1].size(), 500);
    ASSERT_TRUE(parts[0].Merge(std::move(parts[1])).ok());
    ASSERT_TRUE(parts[2].Merge(std::move(parts[0])).ok());  // 1500 takes 4500
    check(parts[2], "reused");
  }
}

TEST(PatternMergePropertyTest, ConsumingMergeOfDifferentOptionsChangesNothing) {
  PatternAccumulator a;
  a.Add(F("1", "U1").Text("公务用车未执行派车单制度"));
  AccumulatorOptions other;
  other.minhash_size = 16;
  PatternAccumulator b(other);
  b.Add(F("2", "U2").Text("公务用车未执行派车单制度"));
  b.Add(F("3", "U2").Text("食堂采购未经询价比价"));
  const std::string a_bytes = DeterministicBytes(a.Serialize());
  const std::string b_bytes = DeterministicBytes(b.Serialize());
  EXPECT_EQ(a.Merge(std::move(b)).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DeterministicBytes(a.Serialize()), a_bytes);
  EXPECT_EQ(DeterministicBytes(b.Serialize()), b_bytes);  // NOLINT: not consumed on error
  // Consuming itself doubles, as the copying merge does.
  ASSERT_TRUE(b.Merge(std::move(b)).ok());
  EXPECT_EQ(b.size(), 4);
}

// Long texts fill more than one chunk of signatures and shingles in Add
// (patterns_internal::kChunkValues), and then in Parse and in merges.
TEST(PatternMergePropertyTest, StateSpanningManyChunksMergesAndRoundTrips) {
  std::mt19937_64 rng(11);
  // 600 characters from a 3000-character alphabet: ~600 distinct shingles.
  auto text = [&](uint64_t seed) {
    std::mt19937_64 r(seed);
    std::string t;
    for (int i = 0; i < 600; ++i) {
      const uint32_t cp = 0x4e00 + static_cast<uint32_t>(r() % 3000);
      t += static_cast<char>(0xe0 | (cp >> 12));
      t += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      t += static_cast<char>(0x80 | (cp & 0x3f));
    }
    return t;
  };
  std::vector<v1::ClassifiedFinding> round;
  for (int i = 0; i < 8000; ++i) {
    // Every 50th text is repeated in another unit: near duplicates to find.
    const uint64_t seed = i % 50 == 1 ? static_cast<uint64_t>(i - 1) : static_cast<uint64_t>(i);
    round.push_back(F("F" + std::to_string(i), "U" + std::to_string(i % 7))
                        .Category("finance", "slush_fund")
                        .Text(text(seed)));
  }
  std::shuffle(round.begin(), round.end(), rng);
  PatternAccumulator one;
  for (const auto& f : round) one.Add(f);
  const std::string want_state = DeterministicBytes(one.Serialize());
  v1::PatternDef dup;
  dup.set_id("dup");
  dup.set_kind(v1::PATTERN_KIND_NEAR_DUPLICATE);
  StatusOr<v1::PatternReport> want = one.Finish({dup});
  ASSERT_TRUE(want.ok()) << want.status();
  EXPECT_EQ(want->patterns_size(), 160);

  StatusOr<PatternAccumulator> back = PatternAccumulator::Parse(one.Serialize());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(DeterministicBytes(back->Serialize()), want_state);

  std::vector<PatternAccumulator> parts(3);
  for (size_t i = 0; i < round.size(); ++i) parts[i % 3].Add(round[i]);
  PatternAccumulator copied = parts[0];
  ASSERT_TRUE(copied.MergeAll({&parts[1], &parts[2]}).ok());
  EXPECT_EQ(DeterministicBytes(copied.Serialize()), want_state);
  ASSERT_TRUE(parts[1].Merge(std::move(parts[0])).ok());
  ASSERT_TRUE(parts[2].Merge(std::move(parts[1])).ok());
  EXPECT_EQ(DeterministicBytes(parts[2].Serialize()), want_state);
  StatusOr<v1::PatternReport> got = parts[2].Finish({dup});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(DeterministicBytes(*got), DeterministicBytes(*want));
}

TEST(PatternMergePropertyTest, ReportCoversEveryKind) {
  std::mt19937_64 rng(7);
  std::vector<v1::ClassifiedFinding> round = RandomRound(rng, 400);
  PatternAccumulator acc;
  for (const auto& f : round) acc.Add(f);
  std::vector<PreviousRecord> previous = {{"U1", "eight_point", "vehicle", "2023-R2", "old1", true}};
  StatusOr<v1::PatternReport> r = acc.Finish(AllKinds(), previous);
  ASSERT_TRUE(r.ok()) << r.status();
  std::set<int> kinds;
  for (const auto& p : r->patterns()) kinds.insert(p.kind());
  EXPECT_EQ(kinds.size(), 7u) << r->DebugString();
}

}  // namespace
}  // namespace xuncha
