// Internal: from fired rules to a Classification — ranking, refinement by
// later stages, secondary categories, evidence spans. The public door is
// include/xuncha/engine.h.
//
// Design note: who decides what.
//   Rules are ranked by (later stage first; then priority, higher first;
//   then score, higher first; then rule order, earlier first). The primary
//   category comes from the best-ranked fired rule that draws a category, so a
//   later stage that draws a category refines (replaces) an earlier one, whose
//   category is then kept as secondary. Every other conclusion field
//   (discipline, nature, disposition with its target and deadline, basis) is
//   taken from the best-ranked fired rule that draws it, except that within
//   the stage of the primary rule the primary rule itself goes first: a
//   classification rule's discipline beats another classification rule's,
//   while a disposition stage overrides the disposition. All of it is a pure
//   function of the fired set, so output is deterministic.

#ifndef XUNCHA_MATCH_CONCLUDE_H_
#define XUNCHA_MATCH_CONCLUDE_H_

#include <vector>

#include "compile/plan.h"
#include "expr/expr.h"
#include "match/scratch.h"
#include "xuncha/v1/classification.pb.h"

namespace xuncha::match_internal {

// One evaluated candidate, for Explain.
struct RuleTrace {
  uint32_t rule = 0;
  expr::EvalOutcome outcome;
  std::vector<expr::TraceStep> steps;
};

// Classifies one finding with the scratch; with `trace`, records every
// candidate's evaluation. `naive`: no prefilter — every rule is evaluated,
// with predicates answered by plain string search (expr::NaiveOracle); the
// reference the engine is tested against.
Status RunFinding(Scratch& s, const v1::Finding& finding, const ClassifyOptions& options,
                  v1::Classification* out, std::vector<RuleTrace>* trace, bool naive = false);

// The naive engine: RunFinding(..., naive=true) with a fresh scratch.
Status ClassifyNaive(const Engine& engine, const v1::Finding& finding, v1::Classification* out);

// The conclusions so far, as `result.*` for the next stage.
void UpdateStageResult(const Plan& plan, const std::vector<uint32_t>& fired,
                       expr::StageResult* result);

// Fills the conclusion fields and hits of `out` from the fired rules.
void Conclude(const Plan& plan, const std::vector<uint32_t>& fired, v1::Classification* out);

// Adds evidence spans to the hits of `out` (fired rules only).
void AddEvidence(const Plan& plan, Scratch& s, expr::TextOracle& oracle, v1::Classification* out);

// Rule indices of `fired` in rank order (best first).
std::vector<uint32_t> RankFired(const Plan& plan, const std::vector<uint32_t>& fired);

}  // namespace xuncha::match_internal

#endif  // XUNCHA_MATCH_CONCLUDE_H_
