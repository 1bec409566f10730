// The shipped default rule set (rules/default) on the development corpus
// (data/labelled/dev.jsonl, 5,328 findings), against the cost of scanning
// the same texts once:
//   BM_DefaultClassify  Matcher::Classify, one thread: the whole engine
//   BM_DefaultScan      the engine's own single pass (FastOracle::Reset: one
//                       Aho-Corasick run over every term and regex atom)
//   BM_DefaultRE2Set    one RE2::Set over every term and regex of the set,
//                       one Match per text: "one RE2 multi-pattern scan"
//                       taken literally (first 300 findings, once)
// Throughput is bytes of finding text per second; the ratios the speed
// target is stated in (classify ÷ scan) are printed at the end from the same
// run.

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "compile/plan.h"
#include "match/scratch.h"
#include "re2/re2.h"
#include "re2/set.h"
#include "xuncha/compiler.h"
#include "xuncha/engine.h"
#include "xuncha/finding_io.h"
#include "xuncha/v1/classification.pb.h"

namespace xuncha::bench {
namespace {

// RE2::Set over the whole set's ~13,500 patterns thrashes its DFA cache
// (~13 ms a finding): it is timed on the first findings only, once.
constexpr size_t kRE2SetFindings = 300;

struct Setup {
  std::shared_ptr<const Engine> engine;
  std::vector<v1::Finding> findings;
  std::unique_ptr<RE2::Set> re2_set;
  size_t patterns = 0;
};

Setup& Get() {
  static Setup* s = [] {
    auto* s = new Setup;
    Compiler compiler;
    if (!compiler.AddPath(XUNCHA_SOURCE_DIR "/rules/default").ok()) std::abort();
    auto result = compiler.Finish();
    if (!result.ok() || result->engine == nullptr) {
      std::fprintf(stderr, "default rules do not compile\n");
      std::abort();
    }
    s->engine = result->engine;

    auto reader = MessageReader::Open(XUNCHA_SOURCE_DIR "/data/labelled/dev.jsonl");
    if (!reader.ok()) std::abort();
    v1::LabelledFinding item;
    while ((*reader)->Next(&item)) s->findings.push_back(item.finding());
    if (!(*reader)->status().ok() || s->findings.empty()) std::abort();

    RE2::Options opt;
    opt.set_max_mem(int64_t{1} << 30);
    opt.set_log_errors(false);
    s->re2_set = std::make_unique<RE2::Set>(opt, RE2::UNANCHORED);
    const auto& plan = s->engine->plan();
    for (size_t t = 0; t < plan.terms->size(); ++t) {
      s->re2_set->Add(RE2::QuoteMeta(plan.terms->term(static_cast<uint32_t>(t))), nullptr);
      ++s->patterns;
    }
    for (size_t r = 0; r < plan.predicates->regex_count(); ++r) {
      s->re2_set->Add(plan.predicates->regex(static_cast<uint32_t>(r)).pattern(), nullptr);
      ++s->patterns;
    }
    if (!s->re2_set->Compile()) std::abort();
    return s;
  }();
  return *s;
}

// Runs `fn` over the first `limit` findings (all when 0) per iteration.
template <typename Fn>
void RunAll(benchmark::State& state, Fn fn, size_t limit = 0) {
  Setup& s = Get();
  const size_t n = limit == 0 ? s.findings.size() : std::min(limit, s.findings.size());
  size_t bytes = 0, items = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < n; ++i) {
      fn(s.findings[i]);
      bytes += s.findings[i].text().size();
    }
    items += n;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(items));
}

std::map<std::string, double>& NanosPerFinding() {
  static auto* m = new std::map<std::string, double>();
  return *m;
}

void BM_DefaultClassify(benchmark::State& state) {
  Setup& s = Get();
  Matcher m(s.engine);
  v1::Classification c;
  RunAll(state, [&](const v1::Finding& f) { benchmark::DoNotOptimize(m.Classify(f, &c)); });
  state.counters["rules"] = static_cast<double>(s.engine->rule_count());
}

void BM_DefaultScan(benchmark::State& state) {
  Setup& s = Get();
  const auto& plan = s.engine->plan();
  match_internal::FastOracle oracle(&plan);
  std::vector<compile::AhoCorasick::Match> buffer;
  uint32_t epoch = 0;
  RunAll(state, [&](const v1::Finding& f) {
    oracle.Reset(f.text(), ++epoch, &buffer);
    benchmark::DoNotOptimize(oracle.terms_hit().size());
  });
}

void BM_DefaultRE2Set(benchmark::State& state) {
  Setup& s = Get();
  std::vector<int> v;
  RunAll(state, [&](const v1::Finding& f) {
    v.clear();
    s.re2_set->Match(f.text(), &v);
    benchmark::DoNotOptimize(v);
  }, kRE2SetFindings);
  state.counters["patterns"] = static_cast<double>(s.patterns);
}

BENCHMARK(BM_DefaultClassify)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DefaultScan)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DefaultRE2Set)->Iterations(1)->Unit(benchmark::kMillisecond);

// Prints each benchmark's time per finding and the ratios to the scans.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.iterations == 0) continue;
      const std::string& name = r.run_name.function_name;
      const double items = name == "BM_DefaultRE2Set"
                               ? std::min(kRE2SetFindings, Get().findings.size())
                               : Get().findings.size();
      NanosPerFinding()[name] = r.GetAdjustedRealTime() * 1e6 / items;  // ms/iteration → ns/finding
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    auto& m = NanosPerFinding();
    auto get = [&](const char* k) { return m.count(k) ? m[k] : 0.0; };
    const double classify = get("BM_DefaultClassify"), scan = get("BM_DefaultScan"),
                 set = get("BM_DefaultRE2Set");
    std::printf("\nper finding: classify %.1f µs, engine scan %.1f µs, RE2::Set scan %.1f µs\n",
                classify / 1e3, scan / 1e3, set / 1e3);
    if (scan > 0) std::printf("classify ÷ engine scan   %.2f×\n", classify / scan);
    if (set > 0) std::printf("classify ÷ RE2::Set scan %.2f×\n", classify / set);
  }
};

}  // namespace
}  // namespace xuncha::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  xuncha::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
