// Pattern detection at the scale of a large round: 1,000,000 synthetic
// classified findings over 2,000 units, one thread.
//
//   BM_Add/findings:N            building the accumulator (Add only; the
//                                findings are generated outside the timing)
//   BM_FinishAllKinds/findings:N Finish() with every kind (the default
//                                definitions plus line/per-contract/amount/
//                                per-head ones), max_member_ids 1000
//   BM_NearDuplicate/findings:N  Finish() with the near-duplicate def only;
//                                compare 100,000 with 1,000,000 (target
//                                ratio <= 15, i.e. sub-quadratic)
//   BM_BuildShards/shards:64     Add of the 1,000,000 findings into 64 shards
//   BM_MergeShards/shards:64     merging those 64 shards into one, as a
//                                coordinator merges shards as they arrive:
//                                each consumed (Merge(PatternAccumulator&&))
//                                and freed (target < 5% of building them)
// Times are CPU seconds of the one thread (wall_s: wall time).
// Each reports peak_rss_MiB (getrusage ru_maxrss of the process so far) and
// state_MiB (PatternAccumulator::MemoryUsage). BM_BuildShards first resets
// the peak (Linux clear_refs; peak_reset=1 when that worked), so the peak of
// the two sharded benchmarks is their own, though it still counts what the
// earlier benchmarks left resident (the 100,000-finding state, heap the
// allocator kept). Run with
//   ./build/bench/patterns_bench --benchmark_min_time=0.01
// (every benchmark is one iteration; min_time does not matter).

// Figures of 2026-11-28 on the shared 2-core build machine (load ~3, other
// builds running; CPU seconds of the one thread; memory-bound parts vary
// run to run, by 10% and more):
//   Add 100k 0.44 s, 1M 4.05 s; FinishAllKinds 100k 0.62 s, 1M 6.44 s
//   (112,726 patterns); peak RSS after one-pass Finish 1005 MiB (956 MiB
//   when the 1M benchmarks run alone), state 577 MiB; NearDuplicate 100k
//   0.177 s, 1M 2.27 s (x12.8);
//   BuildShards/64 5.03 s, MergeShards/64 0.094 s (1.9%), peak RSS 815 MiB
//   over both (the merge did not raise it; shards ~520 MiB, merged state
//   553 MiB).
// Before the consuming merge, chunked signatures and the block-allocated
// pool, the same run gave MergeShards/64 0.82 s against BuildShards/64
// 9.75 s (8.4%; 0.57 s, 10% on a quieter machine), and 1069 MiB peak while
// all 64 shards and the merged copy coexisted.

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "xuncha/patterns.h"
#include "xuncha/taxonomy.h"

namespace xuncha {
namespace {

constexpr int kUnits = 2000;
constexpr int64_t kBig = 1000000;

// Times are this thread's CPU time: the bench machine is shared, and wall
// time there measures the neighbours. Wall time is reported as wall_s.
struct Timer {
  static double Cpu() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
  }
  static double Wall() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
  double cpu0 = Cpu(), wall0 = Wall();
  double cpu() const { return Cpu() - cpu0; }
  double wall() const { return Wall() - wall0; }
};

double PeakRssMiB() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // KiB on Linux
}

// Starts a new peak: Linux's clear_refs "5" resets the high-water mark that
// ru_maxrss reads, so peak_rss_MiB counts from here. Returns false where
// that is not possible (peak_rss_MiB then stays the process's).
bool ResetPeakRss() {
  FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (f == nullptr) return false;
  bool ok = std::fputs("5", f) >= 0;
  ok = std::fclose(f) == 0 && ok;
  return ok;
}

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Deterministic synthetic findings: finding i is a pure function of i.
class Generator {
 public:
  Generator() {
    for (const CategoryInfo& c : Taxonomy()) {
      for (const TaxonomyEntry& s : c.subcategories) {
        subs_.push_back({std::string(c.id), std::string(s.id), std::string(s.name)});
      }
    }
    const char* phrases[] = {
        "未按规定", "执行不严格", "审批手续不全", "资料缺失", "存在廉洁风险", "未经集体决策",
        "超标准", "超范围", "事后补签", "监督不到位", "台账记录不完整", "制度执行流于形式",
        "未及时整改", "责任落实不到位", "费用报销不规范", "合同管理松散", "验收把关不严",
        "价格明显偏高", "程序倒置", "长期挂账", "未公开招标", "比价资料雷同", "以会代管",
        "未履行报备程序", "违规列支", "变相发放", "账实不符", "未建立台账", "流程不闭环"};
    const char* subjects[] = {"采购", "合同", "财务", "工程", "人事", "党建", "车辆", "接待",
                              "资产", "薪酬", "招标", "档案", "审计", "物资", "项目", "会议"};
    // Composed texts draw from subject x phrase (464 phrases), so unrelated
    // findings share words but seldom a near-identical wording.
    for (const char* sub : subjects) {
      for (const char* p : phrases) phrases_.push_back(std::string(sub) + p);
    }
    const char* items[] = {"劳保用品", "办公用品", "电缆", "钢材", "水泥", "车辆配件", "计算机",
                           "检测仪器", "变压器", "绝缘材料", "防护服", "食材", "印刷品"};
    for (const char* it : items) items_.push_back(it);
  }

  v1::ClassifiedFinding Make(int64_t i) const {
    v1::ClassifiedFinding cf;
    uint64_t r = Mix(static_cast<uint64_t>(i) * 7919 + 17);
    auto next = [&r] { return r = Mix(r); };
    v1::Finding* f = cf.mutable_finding();
    f->set_id("F" + std::to_string(10000000 + i));
    // Units: skewed so that some hold many findings.
    int unit = static_cast<int>((next() % kUnits) * (next() % 100 < 70 ? 1 : 0) + (next() % 200));
    unit %= kUnits;
    v1::Unit* u = f->mutable_unit();
    u->set_id("U" + std::to_string(1000 + unit));
    u->set_name("第" + std::to_string(unit) + "单位");
    static const char* kinds[] = {"subsidiary", "branch", "department", "project"};
    u->set_kind(kinds[unit % 4]);
    static const char* lines[] = {"电力", "物流", "金融", "建设", "贸易", "科技"};
    u->set_business_line(lines[unit % 6]);
    u->set_headcount(50 + (unit * 37) % 1950);
    f->set_round("2024-R1");
    // Category: a skewed choice over the taxonomy.
    if (next() % 100 < 95) {
      size_t s = (next() % subs_.size()) * (next() % 100 < 50 ? 1 : 0) + next() % 12;
      s %= subs_.size();
      cf.mutable_classification()->set_classified(true);
      cf.mutable_classification()->set_category(subs_[s].cat);
      cf.mutable_classification()->set_subcategory(subs_[s].sub);
      cf.mutable_classification()->set_finding_id(f->id());
    }
    // Text: a quarter templated (shared across units), the rest composed.
    std::string text = u->name();
    if (next() % 100 < 25) {
      size_t t = next() % 400;
      text += "存在" + subs_[t % subs_.size()].name + "问题，" + phrases_[t % phrases_.size()] +
              "，" + phrases_[(t * 7) % phrases_.size()] + "，" + phrases_[(t * 13) % phrases_.size()] +
              "，涉及金额" + std::to_string(t) + "万元";
    } else {
      int words = 5 + static_cast<int>(next() % 6);
      for (int w = 0; w < words; ++w) text += phrases_[next() % phrases_.size()];
      text += "，编号" + std::to_string(next() % 100000);
    }
    f->set_text(text);
    if (next() % 100 < 70) f->mutable_amount()->set_fen(static_cast<int64_t>(next() % 500000000));
    if (next() % 100 < 30) {
      uint64_t s = next() % 5000;
      static const char* forms[] = {"有限公司", "有限责任公司", "（集团）有限公司", "股份有限公司"};
      f->add_counterparties()->set_name("供应商" + std::to_string(s) + forms[next() % 4]);
    }
    if (next() % 100 < 20) {
      auto& attrs = *f->mutable_attrs();
      attrs["物资类别"] = items_[next() % items_.size()];
      static const char* methods[] = {"询价", "单一来源", "竞争性谈判", "公开招标"};
      attrs["采购方式"] = methods[next() % 4];
      attrs["合同编号"] = "HT" + std::to_string(next() % 200000);
    }
    f->set_occurred_on(std::to_string(2022 + static_cast<int>(next() % 3)) + "-0" +
                       std::to_string(1 + next() % 9) + "-15");
    return cf;
  }

 private:
  struct Sub {
    std::string cat, sub, name;
  };
  std::vector<Sub> subs_;
  std::vector<std::string> phrases_;
  std::vector<std::string> items_;
};

const Generator& Gen() {
  static const Generator* g = new Generator();
  return *g;
}

std::vector<v1::PatternDef> AllDefs() {
  std::vector<v1::PatternDef> defs = DefaultPatternDefs();
  v1::PatternDef d;
  d.set_id("line");
  d.set_kind(v1::PATTERN_KIND_CONCENTRATED);
  d.set_group_by("business_line");
  d.set_by_subcategory(true);
  defs.push_back(d);
  d = v1::PatternDef();
  d.set_id("per_contract");
  d.set_kind(v1::PATTERN_KIND_OUTLIER_UNIT);
  d.set_measure("per_contract");
  defs.push_back(d);
  d.set_id("amount");
  d.set_measure("amount");
  defs.push_back(d);
  d.set_id("per_head");
  d.set_measure("per_head");
  defs.push_back(d);
  return defs;
}

std::vector<PreviousRecord> Previous() {
  std::vector<PreviousRecord> prev;
  const auto& g = Gen();
  for (int64_t i = 0; i < 20000; ++i) {
    v1::ClassifiedFinding cf = g.Make(50000000 + i);
    if (!cf.classification().classified()) continue;
    prev.push_back({cf.finding().unit().id(), cf.classification().category(),
                    cf.classification().subcategory(), "2023-R1", "P" + std::to_string(i), i % 3 == 0});
  }
  return prev;
}

// Adds findings [begin, end) to acc (or round-robin to shards), timing Add only.
// Returns CPU seconds; adds wall seconds to *wall.
double AddRange(int64_t begin, int64_t end, std::vector<PatternAccumulator*> accs, double* wall) {
  constexpr int64_t kBatch = 8192;
  std::vector<v1::ClassifiedFinding> batch;
  double seconds = 0;
  for (int64_t at = begin; at < end; at += kBatch) {
    batch.clear();
    for (int64_t i = at; i < std::min(end, at + kBatch); ++i) batch.push_back(Gen().Make(i));
    Timer t;
    for (size_t j = 0; j < batch.size(); ++j) {
      accs[static_cast<size_t>(at + static_cast<int64_t>(j)) % accs.size()]->Add(batch[j]);
    }
    seconds += t.cpu();
    *wall += t.wall();
  }
  return seconds;
}

std::unique_ptr<PatternAccumulator>& Built(int64_t n) {
  static std::unique_ptr<PatternAccumulator> big, small;
  return n == kBig ? big : small;
}

AccumulatorOptions Options() { return *AccumulatorOptions::ForDefs(AllDefs()); }

void Report(benchmark::State& state, const PatternAccumulator* acc) {
  state.counters["peak_rss_MiB"] = PeakRssMiB();
  if (acc != nullptr) state.counters["state_MiB"] = static_cast<double>(acc->MemoryUsage()) / (1 << 20);
}

void BM_Add(benchmark::State& state) {
  const int64_t n = state.range(0);
  double wall = 0;
  for (auto _ : state) {
    auto acc = std::make_unique<PatternAccumulator>(Options());
    state.SetIterationTime(AddRange(0, n, {acc.get()}, &wall));
    Built(n) = std::move(acc);
  }
  state.counters["wall_s"] = wall;
  state.SetItemsProcessed(state.iterations() * n);
  Report(state, Built(n).get());
}

void BM_FinishAllKinds(benchmark::State& state) {
  const int64_t n = state.range(0);
  if (!Built(n)) {
    state.SkipWithError("BM_Add must run first");
    return;
  }
  std::vector<PreviousRecord> previous = Previous();
  std::vector<v1::PatternDef> defs = AllDefs();
  size_t patterns = 0;
  for (auto _ : state) {
    Timer t;
    FinishOptions options;
    options.max_member_ids = 1000;  // see FinishOptions: the full report repeats every id
    StatusOr<v1::PatternReport> r = Built(n)->Finish(defs, previous, options);
    state.SetIterationTime(t.cpu());
    state.counters["wall_s"] = t.wall();
    if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
    patterns = r.ok() ? r->patterns_size() : 0;
  }
  state.counters["patterns"] = static_cast<double>(patterns);
  Report(state, Built(n).get());
}

// Each definition alone (the canonical order is computed again by each
// near-duplicate run only); counters are CPU seconds per def.
void BM_FinishEachKind(benchmark::State& state) {
  const int64_t n = state.range(0);
  if (!Built(n)) {
    state.SkipWithError("BM_Add must run first");
    return;
  }
  std::vector<PreviousRecord> previous = Previous();
  FinishOptions options;
  options.max_member_ids = 1000;
  for (auto _ : state) {
    double total = 0;
    for (const v1::PatternDef& def : AllDefs()) {
      Timer t;
      StatusOr<v1::PatternReport> r = Built(n)->Finish({def}, previous, options);
      double cpu = t.cpu();
      total += cpu;
      state.counters[def.id()] = cpu;
      if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
    }
    state.SetIterationTime(total);
  }
  Report(state, Built(n).get());
}

void BM_NearDuplicate(benchmark::State& state) {
  const int64_t n = state.range(0);
  if (!Built(n)) {
    state.SkipWithError("BM_Add must run first");
    return;
  }
  v1::PatternDef def;
  def.set_id("dup");
  def.set_kind(v1::PATTERN_KIND_NEAR_DUPLICATE);
  size_t patterns = 0;
  for (auto _ : state) {
    Timer t;
    StatusOr<v1::PatternReport> r = Built(n)->Finish({def});
    state.SetIterationTime(t.cpu());
    state.counters["wall_s"] = t.wall();
    patterns = r.ok() ? r->patterns_size() : 0;
  }
  state.counters["clusters"] = static_cast<double>(patterns);
  Report(state, Built(n).get());
}

// Shards live between the two benchmarks below.
std::vector<std::unique_ptr<PatternAccumulator>>& Shards() {
  static std::vector<std::unique_ptr<PatternAccumulator>> shards;
  return shards;
}

void BM_BuildShards(benchmark::State& state) {
  const int shards = static_cast<int>(state.range(0));
  Built(kBig).reset();  // make room: the shards hold the same findings
  // From here peak_rss_MiB is the peak of the sharded run alone (the
  // one-pass peak is BM_FinishAllKinds/1000000's).
  state.counters["peak_reset"] = ResetPeakRss() ? 1 : 0;
  for (auto _ : state) {
    Shards().clear();
    std::vector<PatternAccumulator*> ptrs;
    for (int i = 0; i < shards; ++i) {
      Shards().push_back(std::make_unique<PatternAccumulator>(Options()));
      ptrs.push_back(Shards().back().get());
    }
    double wall = 0;
    state.SetIterationTime(AddRange(0, kBig, ptrs, &wall));
    state.counters["wall_s"] = wall;
  }
  Report(state, nullptr);
}

void BM_MergeShards(benchmark::State& state) {
  if (Shards().empty()) {
    state.SkipWithError("BM_BuildShards must run first");
    return;
  }
  std::unique_ptr<PatternAccumulator> merged;
  for (auto _ : state) {
    // As a coordinator merges shards as they arrive: each is consumed
    // (moved in and freed), so shards and result never hold a finding twice.
    Timer t;
    merged = std::make_unique<PatternAccumulator>(Options());
    for (auto& shard : Shards()) {
      if (!merged->Merge(std::move(*shard)).ok()) state.SkipWithError("merge failed");
      shard.reset();
    }
    state.SetIterationTime(t.cpu());
    state.counters["wall_s"] = t.wall();
  }
  Shards().clear();
  state.counters["findings"] = static_cast<double>(merged->size());
  Report(state, merged.get());
}

BENCHMARK(BM_Add)->Arg(100000)->Arg(kBig)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FinishAllKinds)->Arg(100000)->Arg(kBig)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FinishEachKind)->Arg(100000)->Arg(kBig)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NearDuplicate)->Arg(100000)->Arg(kBig)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BuildShards)->Arg(64)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MergeShards)->Arg(64)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace xuncha

BENCHMARK_MAIN();
