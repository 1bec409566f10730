// Evaluation cost of typical conditions, per finding.
//
//   BM_Eval/<condition>/cached   predicates already decided (the engine's
//                                path: one scan fills the predicate cache)
//   BM_Eval/<condition>/naive    a fresh NaiveOracle and empty cache per
//                                evaluation (string search / RE2 included)
//   BM_Compile/<condition>       parse + check + lower
//
// The counter allocs_per_eval counts operator new calls during Evaluate()
// (this binary replaces the global operator new to count them).

#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "expr/expr.h"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<uint64_t> g_allocs{0};
}  // namespace

void* operator new(size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocs.fetch_add(1, std::memory_order_relaxed);
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace xuncha::expr {
namespace {

struct Condition {
  const char* name;
  const char* source;
};

const Condition kConditions[] = {
    {"keyword_and_amount", "text.contains(\"未招标\") && amount >= wan(400)"},
    {"lexicon_or_near", "(mentions(\"围标\") || near(\"违规\", \"发包\", 10)) && !negated(\"违规\")"},
    {"exists_counterparties", "counterparties.exists(c, c.name.contains(\"劳务\"))"},
    {"regex_predicate", "text.matches(\"(未|没有)[^，。]{0,10}(招标|比价)\")"},
    {"fields", "unit.kind == \"branch\" && source == \"document_review\" && \"合同类型\" in attrs"},
};

struct Fixture {
  Fixture() : table(&terms) {
    table.SetNegationCues(DefaultNegationCuesBefore(), DefaultNegationCuesAfter());
    lexicons["围标"] = {"围标", "串标", "陪标", "明招暗定"};
    env.lexicons = &lexicons;
    env.predicates = &table;
    finding.set_text(
        "A公司检修分部将厂区道路修补拆成三份合同交同一施工队，合计约520万元，均未招标，"
        "部分工程违规直接发包给某某劳务有限公司。");
    finding.mutable_unit()->set_kind("branch");
    finding.set_source(v1::SOURCE_KIND_DOCUMENT_REVIEW);
    (*finding.mutable_attrs())["合同类型"] = "施工";
    for (const char* name : {"某某建材公司", "某某设计院", "某某劳务有限公司"}) {
      finding.add_counterparties()->set_name(name);
    }
    for (const TextAmount& a : ExtractAmounts(finding.text())) amounts.push_back(a.fen);
  }
  TermTable terms;
  PredicateTable table;
  std::map<std::string, std::vector<std::string>, std::less<>> lexicons;
  Environment env;
  v1::Finding finding;
  std::vector<int64_t> amounts;
};

void BM_Eval(benchmark::State& state, const char* source, bool cached) {
  Fixture fx;
  std::vector<ExprDiagnostic> diags;
  std::unique_ptr<Program> program = CompileExpression(source, fx.env, &diags);
  if (program == nullptr) {
    state.SkipWithError("does not compile");
    return;
  }
  std::vector<int8_t> cache(fx.table.size(), -1);
  NaiveOracle warm(&fx.table, fx.finding.text());
  for (size_t i = 0; i < fx.table.size(); ++i) {
    StatusOr<bool> r = EvaluatePredicate(fx.table, static_cast<uint32_t>(i), warm);
    cache[i] = r.ok() ? (*r ? 1 : 0) : 2;
  }
  Activation act;
  act.finding = &fx.finding;
  act.text_amounts = &fx.amounts;
  act.amount_fen = 520000000;
  uint64_t evals = 0, allocs = 0;
  for (auto _ : state) {
    if (cached) {
      act.oracle = &warm;
      act.predicate_cache = cache.data();
      g_allocs = 0;
      g_counting = true;
      EvalOutcome out = program->Evaluate(act);
      g_counting = false;
      allocs += g_allocs;
      benchmark::DoNotOptimize(out.value);
    } else {
      NaiveOracle oracle(&fx.table, fx.finding.text());
      std::vector<int8_t> fresh(fx.table.size(), -1);
      act.oracle = &oracle;
      act.predicate_cache = fresh.data();
      EvalOutcome out = program->Evaluate(act);
      benchmark::DoNotOptimize(out.value);
    }
    ++evals;
  }
  if (cached) state.counters["allocs_per_eval"] = static_cast<double>(allocs) / static_cast<double>(evals);
}

void BM_Compile(benchmark::State& state, const char* source) {
  Fixture fx;
  for (auto _ : state) {
    std::vector<ExprDiagnostic> diags;
    std::unique_ptr<Program> program = CompileExpression(source, fx.env, &diags);
    benchmark::DoNotOptimize(program.get());
  }
}

int Register() {
  for (const Condition& c : kConditions) {
    benchmark::RegisterBenchmark((std::string("BM_Eval/") + c.name + "/cached").c_str(), BM_Eval,
                                 c.source, true);
    benchmark::RegisterBenchmark((std::string("BM_Eval/") + c.name + "/naive").c_str(), BM_Eval,
                                 c.source, false);
    benchmark::RegisterBenchmark((std::string("BM_Compile/") + c.name).c_str(), BM_Compile, c.source);
  }
  return 0;
}
const int kRegistered = Register();

}  // namespace
}  // namespace xuncha::expr

BENCHMARK_MAIN();
