// Helpers for the condition-language tests: an environment with a few
// lexicons, evaluation of a source string against a finding, and compact
// renderings of outcomes and diagnostics that table tests compare.

#ifndef XUNCHA_TESTS_EXPR_EXPR_TEST_UTIL_H_
#define XUNCHA_TESTS_EXPR_EXPR_TEST_UTIL_H_

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "expr/expr.h"

namespace xuncha::expr::testing {

class TestEnv {
 public:
  explicit TestEnv(bool require_bool = false, bool result_available = false) : table_(&terms_) {
    lexicons_["围标"] = {"围标", "串标", "陪标"};
    lexicons_["违规发包"] = {"直接发包", "肢解发包", "未招标"};
    lexicons_["短词"] = {"贿", "回扣"};
    lexicons_["空"] = {};
    table_.SetNegationCues(DefaultNegationCuesBefore(), DefaultNegationCuesAfter());
    env_.lexicons = &lexicons_;
    env_.predicates = &table_;
    env_.require_bool = require_bool;
    env_.result_available = result_available;
  }

  Environment& env() { return env_; }
  PredicateTable& table() { return table_; }
  TermTable& terms() { return terms_; }

  std::unique_ptr<Program> Compile(std::string_view src, std::vector<ExprDiagnostic>* diags) {
    return CompileExpression(src, env_, diags);
  }

  // Evaluates and renders: "true", "false", "error: msg", "VALUE : TYPE",
  // or "diag: code@begin-end, …" when it does not compile.
  std::string Eval(std::string_view src, const v1::Finding& finding = v1::Finding(),
                   const StageResult* result = nullptr) {
    std::vector<ExprDiagnostic> diags;
    std::unique_ptr<Program> p = Compile(src, &diags);
    if (p == nullptr) return "diag: " + Render(diags);
    std::vector<int64_t> amounts;
    for (const TextAmount& a : ExtractAmounts(finding.text())) amounts.push_back(a.fen);
    NaiveOracle oracle(&table_, finding.text());
    Activation act;
    act.finding = &finding;
    act.oracle = &oracle;
    act.result = result;
    act.text_amounts = &amounts;
    if (finding.has_amount()) act.amount_fen = finding.amount().fen();
    std::vector<int8_t> cache(table_.size(), -1);
    act.predicate_cache = cache.data();
    EvalOutcome out = p->Evaluate(act);
    switch (out.kind) {
      case EvalOutcome::kBool: return out.value ? "true" : "false";
      case EvalOutcome::kError: return "error: " + out.error;
      case EvalOutcome::kOther: return out.display + " : " + out.type_name;
    }
    return "?";
  }

  // Codes of all diagnostics ("code@begin-end", warnings as "w:code@…").
  std::string Diagnose(std::string_view src) {
    std::vector<ExprDiagnostic> diags;
    Compile(src, &diags);
    return Render(diags);
  }

  static std::string Render(const std::vector<ExprDiagnostic>& diags) {
    std::string out;
    for (const ExprDiagnostic& d : diags) {
      if (!out.empty()) out += ", ";
      if (d.severity == Severity::kWarning) out += "w:";
      out += d.code + "@" + std::to_string(d.begin) + "-" + std::to_string(d.end);
    }
    return out;
  }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> lexicons_;
  TermTable terms_;
  PredicateTable table_;
  Environment env_;
};

inline v1::Finding TextFinding(std::string text) {
  v1::Finding f;
  f.set_text(std::move(text));
  return f;
}

}  // namespace xuncha::expr::testing

#endif  // XUNCHA_TESTS_EXPR_EXPR_TEST_UTIL_H_
