// The engine against the scanning limit, in one binary and one run:
//   BM_Classify      the engine (Matcher::Classify), one thread
//   BM_Hyperscan     hs_compile_multi (UTF-8, single-match) + one hs_scan per
//                    text, then the same rule logic — the fastest multi-regex
//                    matcher there is
//   BM_RE2Set        a bare RE2::Set over every regex, one Match per text
//   BM_Naive         each rule's regexes tried in turn with RE2
//   BM_Batch         ClassifyBatch on 1 and 2 threads
//   BM_Compile       compiling the rule set
// over generated workloads of 50, 200 and 1,000 rules (bench/workload.h).
// Throughput is bytes of finding text per second; at the end the ratios the
// targets are stated in are printed from the same run.
//
// Before measuring, every baseline is checked to fire exactly the same rules
// as the engine on a sample of findings.

#include <hs/hs.h>
#include <sys/resource.h>

#include <cstdio>
#include <map>
#include <memory>

#include <benchmark/benchmark.h>

#include "re2/re2.h"
#include "re2/set.h"
#include "workload.h"
#include "xuncha/compiler.h"
#include "xuncha/engine.h"

namespace xuncha::bench {
namespace {

constexpr int kFindings = 100000;

struct Setup {
  Workload w;
  std::string rule_file;
  std::shared_ptr<const Engine> engine;
  // Components flattened: ids [0, n) → (rule, positive?, index)
  struct Ref {
    int rule;
    bool positive;
    int index;
  };
  std::vector<Ref> refs;
  std::vector<std::string> regexes;
  hs_database_t* hs_db = nullptr;
  double hs_compile_seconds = 0;
  std::unique_ptr<RE2::Set> re2_set;
  std::vector<std::unique_ptr<RE2>> re2s;
};

std::map<int, std::unique_ptr<Setup>>& Setups() {
  static auto* m = new std::map<int, std::unique_ptr<Setup>>();
  return *m;
}

std::vector<std::string> FiredByLogic(const Setup& s, const std::vector<bool>& comp_matched,
                                      const v1::Finding& f) {
  std::vector<std::string> fired;
  std::vector<std::vector<bool>> pos(s.w.rules.size()), neg(s.w.rules.size());
  for (size_t r = 0; r < s.w.rules.size(); ++r) {
    pos[r].assign(s.w.rules[r].positive.size(), false);
    neg[r].assign(s.w.rules[r].negative.size(), false);
  }
  for (size_t i = 0; i < s.refs.size(); ++i) {
    if (!comp_matched[i]) continue;
    const auto& ref = s.refs[i];
    (ref.positive ? pos : neg)[ref.rule][ref.index] = true;
  }
  for (size_t r = 0; r < s.w.rules.size(); ++r) {
    if (RuleFires(s.w.rules[r], pos[r], neg[r], f)) fired.push_back(s.w.rules[r].id);
  }
  return fired;
}

int OnMatch(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  (*static_cast<std::vector<bool>*>(ctx))[id] = true;
  return 0;
}

Setup& Get(int rules) {
  auto& slot = Setups()[rules];
  if (slot) return *slot;
  slot = std::make_unique<Setup>();
  Setup& s = *slot;
  s.w = MakeWorkload(rules, kFindings);
  s.rule_file = s.w.RuleFile();
  Compiler compiler;
  if (!compiler.AddSource("bench.textproto", s.rule_file).ok()) std::abort();
  auto result = compiler.Finish();
  if (!result.ok() || result->engine == nullptr) {
    std::fprintf(stderr, "bench rules do not compile\n");
    if (result.ok()) {
      for (auto& d : result->diagnostics) std::fprintf(stderr, "%s\n", d.ToString().c_str());
    }
    std::abort();
  }
  s.engine = result->engine;

  for (size_t r = 0; r < s.w.rules.size(); ++r) {
    for (size_t i = 0; i < s.w.rules[r].positive.size(); ++i) {
      s.refs.push_back({static_cast<int>(r), true, static_cast<int>(i)});
      s.regexes.push_back(s.w.rules[r].positive[i].Regex());
    }
    for (size_t i = 0; i < s.w.rules[r].negative.size(); ++i) {
      s.refs.push_back({static_cast<int>(r), false, static_cast<int>(i)});
      s.regexes.push_back(s.w.rules[r].negative[i].Regex());
    }
  }

  // Hyperscan.
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < s.regexes.size(); ++i) {
    exprs.push_back(s.regexes[i].c_str());
    flags.push_back(HS_FLAG_UTF8 | HS_FLAG_SINGLEMATCH);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* err = nullptr;
  auto t0 = std::chrono::steady_clock::now();
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                       HS_MODE_BLOCK, nullptr, &s.hs_db, &err) != HS_SUCCESS) {
    std::fprintf(stderr, "hs_compile_multi: %s\n", err ? err->message : "?");
    std::abort();
  }
  s.hs_compile_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // RE2.
  RE2::Options opt;
  opt.set_max_mem(64 << 20);
  s.re2_set = std::make_unique<RE2::Set>(opt, RE2::UNANCHORED);
  for (const auto& rx : s.regexes) {
    if (s.re2_set->Add(rx, nullptr) < 0) std::abort();
    s.re2s.push_back(std::make_unique<RE2>(rx, opt));
  }
  if (!s.re2_set->Compile()) std::abort();

  // Agreement check on a sample: the engine, Hyperscan and the naive logic
  // fire the same rules.
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(s.hs_db, &scratch);
  Matcher m(s.engine);
  size_t fired_total = 0;
  const size_t sample = 2000;
  for (size_t i = 0; i < sample; ++i) {
    const auto& f = s.w.findings[i];
    std::vector<bool> matched(s.regexes.size(), false);
    hs_scan(s.hs_db, f.text().data(), static_cast<unsigned>(f.text().size()), 0, scratch, OnMatch, &matched);
    std::vector<std::string> hs_fired = FiredByLogic(s, matched, f);
    std::vector<bool> naive(s.regexes.size(), false);
    for (size_t k = 0; k < s.regexes.size(); ++k) naive[k] = RE2::PartialMatch(f.text(), *s.re2s[k]);
    std::vector<std::string> naive_fired = FiredByLogic(s, naive, f);
    v1::Classification c;
    if (!m.Classify(f, &c).ok()) std::abort();
    std::vector<std::string> engine_fired;
    for (const auto& h : c.hits()) engine_fired.push_back(h.rule_id());
    if (engine_fired != hs_fired || engine_fired != naive_fired) {
      std::fprintf(stderr, "disagreement on %s (%zu engine, %zu hyperscan, %zu naive)\n",
                   f.id().c_str(), engine_fired.size(), hs_fired.size(), naive_fired.size());
      std::abort();
    }
    fired_total += engine_fired.size();
  }
  hs_free_scratch(scratch);
  std::fprintf(stderr,
               "workload rules=%d: %zu findings, %.1f MB text, %.2f rules fire per finding; "
               "hyperscan compile %.2f s\n",
               rules, s.w.findings.size(), s.w.text_bytes() / 1e6,
               static_cast<double>(fired_total) / sample, s.hs_compile_seconds);
  return s;
}

// Each iteration processes a window of findings; windows rotate through the
// corpus so caches are not flattered.
template <typename Fn>
void RunWindows(benchmark::State& state, Setup& s, size_t window, Fn fn) {
  size_t pos = 0, bytes = 0, items = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < window; ++i) {
      const auto& f = s.w.findings[pos];
      fn(f);
      bytes += f.text().size();
      ++items;
      pos = (pos + 1) % s.w.findings.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(items));
}

void BM_Classify(benchmark::State& state) {
  Setup& s = Get(static_cast<int>(state.range(0)));
  Matcher m(s.engine);
  v1::Classification c;
  RunWindows(state, s, 10000, [&](const v1::Finding& f) {
    benchmark::DoNotOptimize(m.Classify(f, &c));
  });
}

void BM_Hyperscan(benchmark::State& state) {
  Setup& s = Get(static_cast<int>(state.range(0)));
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(s.hs_db, &scratch);
  std::vector<bool> matched;
  RunWindows(state, s, 10000, [&](const v1::Finding& f) {
    matched.assign(s.regexes.size(), false);
    hs_scan(s.hs_db, f.text().data(), static_cast<unsigned>(f.text().size()), 0, scratch, OnMatch, &matched);
    benchmark::DoNotOptimize(FiredByLogic(s, matched, f));
  });
  hs_free_scratch(scratch);
  state.counters["compile_s"] = s.hs_compile_seconds;
}

void BM_RE2Set(benchmark::State& state) {
  Setup& s = Get(static_cast<int>(state.range(0)));
  std::vector<int> v;
  int64_t oom = 0;
  RunWindows(state, s, 200, [&](const v1::Finding& f) {
    v.clear();
    RE2::Set::ErrorInfo info;
    if (!s.re2_set->Match(f.text(), &v, &info) && info.kind == RE2::Set::kOutOfMemory) ++oom;
    benchmark::DoNotOptimize(v);
  });
  state.counters["out_of_memory"] = static_cast<double>(oom);
}

void BM_Naive(benchmark::State& state) {
  Setup& s = Get(static_cast<int>(state.range(0)));
  RunWindows(state, s, 200, [&](const v1::Finding& f) {
    // Each rule's regexes in turn, stopping at the first that fails.
    size_t k = 0, fired = 0;
    for (size_t r = 0; r < s.w.rules.size(); ++r) {
      const GenRule& rule = s.w.rules[r];
      bool ok = true;
      for (size_t i = 0; i < rule.positive.size(); ++i, ++k) {
        if (ok && !RE2::PartialMatch(f.text(), *s.re2s[k])) ok = false;
      }
      for (size_t i = 0; i < rule.negative.size(); ++i, ++k) {
        if (ok && RE2::PartialMatch(f.text(), *s.re2s[k])) ok = false;
      }
      if (ok && rule.min_amount_fen && f.amount().fen() < *rule.min_amount_fen) ok = false;
      fired += ok;
    }
    benchmark::DoNotOptimize(fired);
  });
}

void BM_Batch(benchmark::State& state) {
  Setup& s = Get(static_cast<int>(state.range(0)));
  BatchOptions opt;
  opt.threads = static_cast<int>(state.range(1));
  size_t bytes = 0, items = 0;
  const size_t window = 40000;
  for (auto _ : state) {
    size_t i = 0;
    auto next = [&](v1::Finding* f) -> StatusOr<bool> {
      if (i >= window) return false;
      *f = s.w.findings[i++];
      return true;
    };
    auto emit = [&](v1::Finding&& f, v1::Classification&& c) -> Status {
      bytes += f.text().size();
      ++items;
      benchmark::DoNotOptimize(c);
      return Status::OK();
    };
    if (!ClassifyBatch(s.engine, next, emit, opt, nullptr).ok()) std::abort();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(items));
}

void BM_Compile(benchmark::State& state) {
  // Rule files only: no findings, no baselines to build.
  static auto* files = new std::map<int64_t, std::string>();
  std::string& file = (*files)[state.range(0)];
  if (file.empty()) file = MakeWorkload(static_cast<int>(state.range(0)), 0).RuleFile();
  for (auto _ : state) {
    Compiler c;
    if (!c.AddSource("bench.textproto", file).ok()) std::abort();
    auto r = c.Finish();
    if (!r.ok() || r->engine == nullptr) std::abort();
    benchmark::DoNotOptimize(r);
  }
}

// Streaming memory: classify N findings generated on the fly and report the
// growth of the peak RSS; flat means it does not depend on N.
void BM_StreamMemory(benchmark::State& state) {
  Setup& s = Get(200);
  const int64_t n = state.range(0);
  double growth_mb = 0;
  for (auto _ : state) {
    struct rusage before;
    getrusage(RUSAGE_SELF, &before);
    int64_t i = 0;
    auto next = [&](v1::Finding* f) -> StatusOr<bool> {
      if (i >= n) return false;
      *f = s.w.findings[i % s.w.findings.size()];
      f->set_id("S" + std::to_string(i++));
      return true;
    };
    auto emit = [&](v1::Finding&&, v1::Classification&&) -> Status { return Status::OK(); };
    BatchOptions opt;
    opt.threads = 2;
    if (!ClassifyBatch(s.engine, next, emit, opt, nullptr).ok()) std::abort();
    struct rusage after;
    getrusage(RUSAGE_SELF, &after);
    growth_mb = (after.ru_maxrss - before.ru_maxrss) / 1024.0;
  }
  state.counters["peak_rss_growth_MB"] = growth_mb;
  state.SetItemsProcessed(n * state.iterations());
}

BENCHMARK(BM_Compile)->ArgName("rules")->Arg(50)->Arg(200)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Classify)->ArgName("rules")->Arg(50)->Arg(200)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Hyperscan)->ArgName("rules")->Arg(50)->Arg(200)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RE2Set)->ArgName("rules")->Arg(50)->Arg(200)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Naive)->ArgName("rules")->Arg(50)->Arg(200)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Batch)->ArgNames({"rules", "threads"})->Args({200, 1})->Args({200, 2})->Args({1000, 1})->Args({1000, 2})
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_StreamMemory)->ArgName("findings")->Arg(20000)->Arg(200000)->Iterations(1)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// Collects bytes/s of every run and prints the ratios the targets use.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      auto it = r.counters.find("bytes_per_second");
      if (it != r.counters.end()) rate_[r.benchmark_name()] = it->second.value;
      if (r.benchmark_name().rfind("BM_Compile", 0) == 0) {
        compile_ms_[r.benchmark_name()] = r.GetAdjustedCPUTime();
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    auto ratio = [&](const std::string& a, const std::string& b) -> double {
      if (!rate_.count(a) || !rate_.count(b) || rate_[b] == 0) return 0;
      return rate_[a] / rate_[b];
    };
    std::printf("\nratios (same run):\n");
    for (int n : {50, 200, 1000}) {
      std::string k = "/rules:" + std::to_string(n);
      std::printf("  rules=%-5d engine/hyperscan %.2fx  engine/naive %.1fx  engine/re2set %.1fx  engine %.1f MB/s\n", n,
                  ratio("BM_Classify" + k, "BM_Hyperscan" + k), ratio("BM_Classify" + k, "BM_Naive" + k),
                  ratio("BM_Classify" + k, "BM_RE2Set" + k), rate_["BM_Classify" + k] / 1e6);
    }
    for (int n : {200, 1000}) {
      std::string base = "BM_Batch/rules:" + std::to_string(n) + "/threads:";
      std::printf("  rules=%-5d batch 2 threads / 1 thread %.2fx\n", n,
                  ratio(base + "2/real_time", base + "1/real_time"));
    }
    for (auto& [name, ms] : compile_ms_) std::printf("  %s: %.1f ms CPU\n", name.c_str(), ms);
  }

 private:
  std::map<std::string, double> rate_;
  std::map<std::string, double> compile_ms_;
};

}  // namespace
}  // namespace xuncha::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  xuncha::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
