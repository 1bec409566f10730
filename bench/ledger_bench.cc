// Ledger throughput: import of classified findings into SQLite (batched
// transactions) and export of the ledger to .xlsx and CSV.
//
//   XUNCHA_BENCH_ROWS=1000000 ./build/bench/ledger_bench
//
// Rows default to 200000. Each benchmark runs once (a full import or export
// is the unit); rows/s is reported as items_per_second.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "xuncha/ledger.h"
#include "xuncha/ledger_export.h"
#include "xuncha/taxonomy.h"

namespace xuncha {
namespace {

int64_t Rows() {
  const char* env = std::getenv("XUNCHA_BENCH_ROWS");
  int64_t n = env != nullptr ? std::atoll(env) : 200000;
  return n > 0 ? n : 200000;
}

const std::string& Dir() {
  static const std::string* dir = [] {
    std::string templ = (std::filesystem::temp_directory_path() / "xuncha_benchXXXXXX").string();
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    auto* d = new std::string(mkdtemp(buf.data()));
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(Dir(), ec);
    });
    return d;
  }();
  return *dir;
}

// Synthetic classified findings shaped like real ones: 200 units, the
// taxonomy's subcategories in turn, Chinese text of ~60 characters.
const std::vector<v1::ClassifiedFinding>& Findings() {
  static const auto* v = [] {
    auto* out = new std::vector<v1::ClassifiedFinding>;
    int64_t n = Rows();
    out->reserve(static_cast<size_t>(n));
    std::vector<std::pair<std::string, std::string>> subs;
    for (const CategoryInfo& c : Taxonomy()) {
      for (const TaxonomyEntry& s : c.subcategories) subs.emplace_back(c.id, s.id);
    }
    char id[32];
    for (int64_t i = 0; i < n; ++i) {
      v1::ClassifiedFinding cf;
      v1::Finding* f = cf.mutable_finding();
      std::snprintf(id, sizeof id, "B%08lld", static_cast<long long>(i));
      f->set_id(id);
      f->mutable_unit()->set_id("U" + std::to_string(i % 200));
      f->mutable_unit()->set_name("第" + std::to_string(i % 200) + "分公司");
      f->set_round(i % 3 == 0 ? "2023-R2" : "2024-R1");
      f->set_text("（虚构）该单位将厂区道路修补工程拆分为三份合同交由同一施工队实施，合计约" +
                  std::to_string(100 + i % 900) + "万元，均未履行招标程序。");
      f->mutable_amount()->set_fen((100 + i % 900) * 1000000);
      v1::Classification* c = cf.mutable_classification();
      const auto& [cat, sub] = subs[static_cast<size_t>(i) % subs.size()];
      c->set_finding_id(id);
      c->set_classified(true);
      c->set_category(cat);
      c->set_subcategory(sub);
      c->set_discipline("work");
      c->set_nature("general");
      c->set_disposition(i % 10 == 0 ? "rectify_now" : "rectify_by_deadline");
      c->set_confidence(0.9);
      out->push_back(std::move(cf));
    }
    return out;
  }();
  return *v;
}

void RemoveDb(const std::string& path) {
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
}

// The ledger the export benches read, imported once.
Ledger& Imported() {
  static Ledger* ledger = [] {
    std::string path = Dir() + "/export.db";
    RemoveDb(path);
    auto l = Ledger::Open(path);
    if (!l.ok() || !(*l)->Import(Findings()).ok()) std::abort();
    return std::move(l).value().release();
  }();
  return *ledger;
}

void BM_LedgerImport(benchmark::State& state) {
  const auto& findings = Findings();
  const int batch = static_cast<int>(state.range(0));
  std::string path = Dir() + "/import.db";
  for (auto _ : state) {
    state.PauseTiming();
    RemoveDb(path);
    auto l = Ledger::Open(path);
    if (!l.ok()) state.SkipWithError(l.status().ToString().c_str());
    state.ResumeTiming();
    ImportOptions o;
    o.batch_size = batch;
    auto stats = (*l)->Import(findings, o);
    if (!stats.ok()) state.SkipWithError(stats.status().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(findings.size()));
  state.counters["rows"] = static_cast<double>(findings.size());
}
BENCHMARK(BM_LedgerImport)->ArgName("batch")->Arg(1000)->Arg(10000)->Iterations(1)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LedgerExport(benchmark::State& state, const char* format, bool constant_memory) {
  Ledger& ledger = Imported();
  std::string out = Dir() + "/out." + format;
  ExportOptions o;
  o.xlsx_constant_memory = constant_memory;
  int64_t rows = 0;
  for (auto _ : state) {
    auto n = ExportLedger(ledger, format, out, o);
    if (!n.ok()) state.SkipWithError(n.status().ToString().c_str());
    else rows = *n;
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["MB"] = static_cast<double>(std::filesystem::file_size(out)) / 1e6;
}
BENCHMARK_CAPTURE(BM_LedgerExport, xlsx, "xlsx", false)->Iterations(1)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_LedgerExport, xlsx_constant_memory, "xlsx", true)->Iterations(1)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_LedgerExport, csv, "csv", false)->Iterations(1)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace xuncha

BENCHMARK_MAIN();
