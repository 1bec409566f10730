// Cost of a text model per finding, next to a plain keyword predicate.
//
//   BM_ModelScore/labels:15/features:20000   TextModel::Score of a ~100-character
//                                            Chinese text (normalize, look up every
//                                            1..3-gram, sum, softmax)
//   BM_ModelCondition/...                    model_prob("category", "l3") >= 0.5
//                                            evaluated with a fresh per-finding
//                                            ModelCache (what a finding pays the
//                                            first time a condition asks)
//   BM_TextContains/naive                    text.contains("未招标") with a fresh
//                                            NaiveOracle (string search)
//   BM_TextContains/cached                   the same predicate already decided
//                                            (the engine's path after its scan)

#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "benchmark/benchmark.h"
#include "expr/expr.h"
#include "expr/text_model.h"

namespace xuncha::expr {
namespace {

constexpr char kText[] =
    "A公司检修分部将厂区道路修补拆成三份合同交同一施工队，合计约520万元，均未招标，"
    "部分工程违规直接发包给某某劳务有限公司，物资采购未经询价比价，合同签订滞后于实际履行，"
    "相关责任人未按规定履行审批程序。";

// 15 labels, 20,000 features: grams of 1..3 characters drawn from the text's
// own characters (one in ten: runs of the text) and 1,500 other Han
// characters; the text meets about a hundred of them (features_hit).
v1::TextModel MakeModel(int labels, int features) {
  std::vector<std::string> chars;
  const std::string text = NormalizeModelText(kText);
  for (size_t i = 0; i < text.size();) {
    size_t b = i;
    utf8::Decode(text, &i);
    chars.push_back(text.substr(b, i - b));
  }
  for (char32_t c = 0x4E00; c < 0x4E00 + 1500; ++c) {
    std::string s;
    utf8::Append(c, &s);
    chars.push_back(s);
  }
  std::mt19937 rng(42);
  std::normal_distribution<double> w(0, 1);
  v1::TextModel m;
  m.set_name("category");
  m.set_min_n(1);
  m.set_max_n(3);
  for (int l = 0; l < labels; ++l) {
    m.add_label("l" + std::to_string(l));
    m.add_bias(w(rng));
  }
  std::set<std::string> seen;
  while (m.feature_size() < features) {
    const int n = 1 + static_cast<int>(rng() % 3);
    std::string gram;
    // One gram in ten is an n-gram of the text itself.
    if (rng() % 10 == 0) {
      const size_t start = rng() % (chars.size() > 1500 ? chars.size() - 1500 - 3 : 1);
      for (int k = 0; k < n; ++k) gram += chars[start + static_cast<size_t>(k)];
    } else {
      for (int k = 0; k < n; ++k) gram += chars[rng() % chars.size()];
    }
    if (NormalizeModelText(gram) != gram || !seen.insert(gram).second) continue;
    auto* f = m.add_feature();
    f->set_gram(gram);
    for (int k = 0; k < 3; ++k) {  // a few labels per feature, as a pruned model has
      f->add_label_index(static_cast<int>(rng() % static_cast<unsigned>(labels)));
      f->add_weight(w(rng));
    }
  }
  return m;
}

void BM_ModelScore(benchmark::State& state) {
  auto model = TextModel::Build(MakeModel(static_cast<int>(state.range(0)), static_cast<int>(state.range(1))));
  ModelScore s;
  model->Score(kText, &s);
  state.counters["text_chars"] = static_cast<double>(utf8::CountChars(kText));
  state.counters["features_hit"] = static_cast<double>(s.hits.size());
  for (auto _ : state) {
    model->Score(kText, &s);
    benchmark::DoNotOptimize(s.top);
  }
}
BENCHMARK(BM_ModelScore)->ArgNames({"labels", "features"})->Args({15, 20000});

struct Fixture {
  Fixture() : table(&terms) {
    models.Add(TextModel::Build(MakeModel(15, 20000)));
    env.predicates = &table;
    env.models = &models;
    finding.set_text(kText);
  }
  TermTable terms;
  PredicateTable table;
  ModelTable models;
  Environment env;
  v1::Finding finding;
};

// The program of `source`, or null after marking the benchmark skipped.
std::unique_ptr<Program> CompileOrSkip(benchmark::State& state, std::string_view source,
                                       const Environment& env) {
  std::vector<ExprDiagnostic> diags;
  auto program = CompileExpression(source, env, &diags);
  if (program == nullptr) state.SkipWithError("does not compile");
  return program;
}

void BM_ModelCondition(benchmark::State& state) {
  Fixture fx;
  auto program = CompileOrSkip(state, "model_prob(\"category\", \"l3\") >= 0.5", fx.env);
  if (program == nullptr) return;
  NaiveOracle oracle(&fx.table, fx.finding.text());
  ModelCache cache(&fx.models);
  Activation act;
  act.finding = &fx.finding;
  act.oracle = &oracle;
  act.models = &cache;
  for (auto _ : state) {
    cache.Reset(fx.finding.text());
    EvalOutcome out = program->Evaluate(act);
    benchmark::DoNotOptimize(out.value);
  }
}
BENCHMARK(BM_ModelCondition)->Name("BM_ModelCondition/labels:15/features:20000");

void BM_TextContains(benchmark::State& state, bool cached) {
  Fixture fx;
  auto program = CompileOrSkip(state, "text.contains(\"未招标\")", fx.env);
  if (program == nullptr) return;
  Activation act;
  act.finding = &fx.finding;
  std::vector<int8_t> warm(fx.table.size(), 1);
  for (auto _ : state) {
    if (cached) {
      act.predicate_cache = warm.data();
      EvalOutcome out = program->Evaluate(act);
      benchmark::DoNotOptimize(out.value);
    } else {
      NaiveOracle oracle(&fx.table, fx.finding.text());
      std::vector<int8_t> fresh(fx.table.size(), -1);
      act.oracle = &oracle;
      act.predicate_cache = fresh.data();
      EvalOutcome out = program->Evaluate(act);
      benchmark::DoNotOptimize(out.value);
    }
  }
}
BENCHMARK_CAPTURE(BM_TextContains, naive, false);
BENCHMARK_CAPTURE(BM_TextContains, cached, true);

}  // namespace
}  // namespace xuncha::expr

BENCHMARK_MAIN();
