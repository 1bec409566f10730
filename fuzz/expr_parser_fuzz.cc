// Fuzzes the condition language: compiles the input as an expression in a
// small environment (a few lexicons, result available), and when it
// compiles, evaluates it against a fixed finding with the naive oracle,
// traced and untraced. Must never crash, hang or leak.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "expr/expr.h"

namespace {

struct World {
  World() : table(&terms) {
    table.SetNegationCues(xuncha::expr::DefaultNegationCuesBefore(),
                          xuncha::expr::DefaultNegationCuesAfter());
    lexicons["围标"] = {"围标", "串标", "陪标"};
    lexicons["违规发包"] = {"直接发包", "肢解发包", "未招标"};
    lexicons["短"] = {"贿"};
    finding.set_text("抽查N公司12个采购项目，均已按规定询比价，未发现违规。合计约520万元，其中3.2万元已追回。");
    finding.mutable_unit()->set_name("A公司检修分部");
    finding.mutable_unit()->set_headcount(120);
    finding.add_counterparties()->set_name("某某劳务有限公司");
    finding.add_tags("工程");
    (*finding.mutable_attrs())["合同类型"] = "施工";
    for (const auto& a : xuncha::expr::ExtractAmounts(finding.text())) amounts.push_back(a.fen);
    result.category = "bidding";
    result.rules = {"B-001"};
  }
  xuncha::expr::TermTable terms;
  xuncha::expr::PredicateTable table;
  std::map<std::string, std::vector<std::string>, std::less<>> lexicons;
  xuncha::v1::Finding finding;
  std::vector<int64_t> amounts;
  xuncha::expr::StageResult result;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World();
  std::string_view source(reinterpret_cast<const char*>(data), size);
  // A fresh table per input keeps memory bounded; the lexicons are shared.
  xuncha::expr::TermTable terms;
  xuncha::expr::PredicateTable table(&terms);
  table.SetNegationCues(xuncha::expr::DefaultNegationCuesBefore(),
                        xuncha::expr::DefaultNegationCuesAfter());
  xuncha::expr::Environment env;
  env.lexicons = &world->lexicons;
  env.predicates = &table;
  env.result_available = true;
  env.require_bool = (size % 2) == 0;
  env.limits.max_list_size = 1000;
  env.limits.max_string_bytes = 1 << 16;
  std::vector<xuncha::expr::ExprDiagnostic> diags;
  auto program = xuncha::expr::CompileExpression(source, env, &diags);
  for (const auto& d : diags) {
    if (d.begin > d.end || d.end > source.size() + 1) __builtin_trap();
  }
  if (program == nullptr) return 0;
  xuncha::expr::NaiveOracle oracle(&table, world->finding.text());
  std::vector<int8_t> cache(table.size(), -1);
  xuncha::expr::Activation act;
  act.finding = &world->finding;
  act.result = &world->result;
  act.oracle = &oracle;
  act.predicate_cache = cache.data();
  act.amount_fen = 520000000;
  act.text_amounts = &world->amounts;
  xuncha::expr::EvalOutcome a = program->Evaluate(act);
  std::vector<xuncha::expr::TraceStep> trace;
  xuncha::expr::EvalOutcome b = program->EvaluateTraced(act, &trace);
  // Tracing must not change the outcome.
  if (a.kind != b.kind || a.value != b.value || a.error != b.error || a.display != b.display) {
    __builtin_trap();
  }
  for (uint32_t id : program->predicates()) {
    (void)xuncha::expr::PredicateSpans(table, id, oracle);
  }
  return 0;
}
