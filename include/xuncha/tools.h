// The rule author's tools: embedded rule tests (`xuncha test`), quality
// against a labelled corpus (`xuncha eval`), the effect of a rule change on a
// corpus (`xuncha diff`) and what a rule set covers (`xuncha coverage`).
//
//   auto compiled = xuncha::CompileRules({"rules/default"});
//   auto tests = xuncha::RunRuleTests(compiled->engine, {"rules/default"});
//   std::cout << xuncha::FormatRuleTestReport(*tests);
//
//   xuncha::Evaluator eval(compiled->engine->rule_set());
//   xuncha::Matcher matcher(compiled->engine);
//   for (const v1::LabelledFinding& item : corpus) {
//     v1::Classification c;
//     matcher.Classify(item.finding(), &c);   // a failure is kept in c.errors
//     eval.Add(item, c);
//   }
//   xuncha::EvalReport report = eval.Finish();
//   if (report.category_macro_f1 < 0.8) ...
//
// Every accumulator here (Evaluator, RuleSetDiffer, CoverageCounter) is
// thread-compatible, takes items in input order and produces reports whose
// order does not depend on anything but the input: the same input gives
// byte-identical text and JSON.
//
// Definitions used by the evaluation (see docs/tools.md):
//  * The true class of a labelled finding is label.category when
//    label.is_problem, else "none" (a statement of compliance, a negation).
//  * The predicted class is classification.category when the finding is
//    classified and its disposition is not "none", else "none": a rule set
//    that qualifies a cleared report (经核实…予以了结 → personnel, disposition
//    none) has not called it a problem.
//  * Per class: precision = tp / predicted, recall = tp / support, F1 their
//    harmonic mean; each is 0 when its denominator is 0.
//  * Macro-F1 is the mean F1 over the taxonomy classes that occur as truth or
//    as prediction, "none" excluded. "none" still counts: a problem predicted
//    "none" lowers its category's recall, a compliance statement predicted as
//    a category lowers that category's precision. "none" is reported on its
//    own row, and accuracy (micro) counts every item, "none" included.

#ifndef XUNCHA_TOOLS_H_
#define XUNCHA_TOOLS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xuncha/diagnostic.h"
#include "xuncha/engine.h"
#include "xuncha/export.h"
#include "xuncha/status.h"
#include "xuncha/v1/classification.pb.h"
#include "xuncha/v1/finding.pb.h"
#include "xuncha/v1/rules.pb.h"

namespace xuncha {

// The class of findings that are not problems.
inline constexpr std::string_view kNoneClass = "none";

// ---------------------------------------------------------------------------
// Metrics

struct ClassMetrics {
  std::string id;          // class id ("bidding", "bidding/split_to_evade", "none")
  int64_t support = 0;     // items whose truth is this class (tp + fn)
  int64_t predicted = 0;   // items predicted as this class (tp + fp)
  int64_t tp = 0;
  double precision = 0;    // 0 when predicted == 0
  double recall = 0;       // 0 when support == 0
  double f1 = 0;           // 0 when precision + recall == 0
};

// Counts of (truth, predicted) pairs over string class ids. Thread-compatible.
class XUNCHA_EXPORT ConfusionMatrix {
 public:
  void Add(std::string_view truth, std::string_view predicted, int64_t n = 1);

  int64_t count(std::string_view truth, std::string_view predicted) const;
  int64_t total() const { return total_; }
  int64_t correct() const { return correct_; }
  // correct / total; 0 when empty.
  double Accuracy() const;
  // Every class seen as truth or prediction, sorted.
  std::vector<std::string> Classes() const;
  ClassMetrics Metrics(std::string_view cls) const;
  // Mean F1 over Classes() minus `excluded`; 0 when no class is left.
  double MacroF1(const std::set<std::string, std::less<>>& excluded = {}) const;

 private:
  std::map<std::pair<std::string, std::string>, int64_t> cells_;
  std::map<std::string, int64_t, std::less<>> truth_totals_;
  std::map<std::string, int64_t, std::less<>> predicted_totals_;
  int64_t total_ = 0;
  int64_t correct_ = 0;
};

// ---------------------------------------------------------------------------
// xuncha test: the examples and near-misses written in the rules

struct RuleTestOptions {
  // Run only this rule's examples; "" = every rule. NotFound if unknown.
  std::string rule_id;
};

struct RuleTestResult {
  std::string rule_id;
  bool near_miss = false;  // near_misses[index], else examples[index]
  int index = 0;
  std::string file;        // the rule file ("" when its source is unknown)
  bool passed = false;
  // The location of the example's text (for every result); for a failure
  // also the error there, with
  // code example-no-fire, example-wrong-conclusion, near-miss-fires or
  // example-error (the example could not be built or classified).
  Diagnostic diagnostic;
  // For a failure: what happened instead, one line each ("fired: …",
  // "category: expected bidding, got procurement").
  std::vector<std::string> notes;

  // "examples[0]" / "near_misses[2]".
  std::string name() const;
};

struct RuleTestReport {
  std::vector<RuleTestResult> results;  // rule order, examples before near-misses
  size_t passed = 0;
  size_t failed = 0;
};

// Runs every example (must fire, and the primary conclusions of the whole
// rule set must equal the expect_* fields that are set) and every near-miss
// (must not fire) of the rules of `engine`. An example's finding is its
// finding_json (protobuf JSON of Finding) with id "example" and its text.
// Expected "none" matches an empty conclusion (unclassified, no discipline,
// no disposition).
//
// The engine keeps no sources, so `rule_paths` (those it was compiled from)
// are loaded once more to place failures at the example's text in the file:
// one extra parse of the rule files, no compilation.
// Errors: NotFound for an unknown options.rule_id; I/O failures reading
// rule_paths. REQUIRES: engine != nullptr.
XUNCHA_EXPORT StatusOr<RuleTestReport> RunRuleTests(const std::shared_ptr<const Engine>& engine,
                                                    const std::vector<std::string>& rule_paths,
                                                    const RuleTestOptions& options = {});

// Every failure compiler-style (diagnostic with source line and caret, then
// its notes indented), then the line "N passed, M failed".
XUNCHA_EXPORT std::string FormatRuleTestReport(const RuleTestReport& report);
// JUnit XML: one <testsuite> per rule file, one <testcase> per example
// (classname = rule id, name = examples[i]), <failure> for failures.
XUNCHA_EXPORT std::string RuleTestJUnitXml(const RuleTestReport& report);

// ---------------------------------------------------------------------------
// xuncha eval: quality against labelled findings

struct FieldAccuracy {
  int64_t total = 0;
  int64_t correct = 0;
  double accuracy() const { return total == 0 ? 0 : static_cast<double>(correct) / total; }
};

// Precision of one rule: a hit is correct when the rule's category equals
// the label's category or one of its secondary categories.
struct RulePrecision {
  std::string rule_id;
  std::string category;  // what the rule concludes ("" = no category: not judged)
  int64_t hits = 0;
  int64_t correct = 0;
  int64_t wrong = 0;  // false positives
  double precision() const { return hits == 0 ? 0 : static_cast<double>(correct) / hits; }
};

// One misclassified finding (predicted category or subcategory ≠ truth).
struct EvalMiss {
  std::string finding_id;
  std::string text;
  std::string truth;      // "bidding/split_to_evade" or "none"
  std::string predicted;  // likewise
  std::vector<std::string> rules;  // fired, evaluation order
  std::string error;      // the classification failed: why
};

// The rule set a report is about, for the JSON output; filled by the caller
// (e.g. from Engine::name(), version(), hash()); written when name is set.
struct RuleSetInfo {
  std::string name;
  std::string version;
  std::string hash;
};

struct EvalReport {
  RuleSetInfo rule_set;
  int64_t findings = 0;
  int64_t problems = 0;     // labelled is_problem
  int64_t compliance = 0;   // labelled not a problem
  // Could not be classified at all (an error without a rule id; counted as
  // "none").
  int64_t failed = 0;
  ConfusionMatrix category;     // truth class × predicted class
  ConfusionMatrix subcategory;  // "category/subcategory" × likewise
  // Taxonomy order, then "none" last; only classes seen.
  std::vector<ClassMetrics> categories;
  std::vector<ClassMetrics> subcategories;
  double category_macro_f1 = 0;
  double subcategory_macro_f1 = 0;
  double accuracy = 0;              // category, micro: correct / findings
  double subcategory_accuracy = 0;  // likewise for subcategories
  // On labelled problems whose label sets the field; an empty prediction
  // counts as "none".
  FieldAccuracy discipline;
  FieldAccuracy nature;
  FieldAccuracy disposition;             // problems
  FieldAccuracy compliance_disposition;  // compliance statements: predicted "none"
  FieldAccuracy disposition_overall;     // the two above together
  // Compliance statements predicted as problems (should be zero).
  int64_t compliance_false_positives = 0;
  std::vector<RulePrecision> rules;  // every rule of the set, rule order
  std::vector<EvalMiss> misses;      // input order
};

// Accumulates labelled findings and their classifications. Thread-compatible.
class XUNCHA_EXPORT Evaluator {
 public:
  // `rules`: the set classified with (for per-rule precision of every rule,
  // including those that never fire).
  explicit Evaluator(const v1::RuleSet& rules);
  void Add(const v1::LabelledFinding& item, const v1::Classification& classification);
  EvalReport Finish() const;

 private:
  EvalReport report_;
  std::map<std::string, size_t, std::less<>> rule_index_;
};

// A readable report: summary, per-category and per-subcategory tables, the
// confusion matrix, field accuracies, rule precision (rules with hits, worst
// first) and the first `show_misses` misses.
XUNCHA_EXPORT std::string FormatEvalReport(const EvalReport& report, size_t show_misses);
// Everything, machine-readable (all misses).
XUNCHA_EXPORT std::string EvalReportToJson(const EvalReport& report);

// ---------------------------------------------------------------------------
// xuncha diff: the effect of a rule change

struct ConclusionChange {
  std::string field;  // category, subcategory, disposition, discipline, nature
  std::string before;
  std::string after;
};

struct FindingChange {
  std::string finding_id;
  std::string text;
  std::vector<ConclusionChange> changes;
  std::string primary_before, primary_after;  // primary rule ids
  std::vector<std::string> rules_before, rules_after;  // fired
};

struct RuleHitDelta {
  std::string rule_id;
  bool in_old = false;
  bool in_new = false;
  int64_t before = 0;
  int64_t after = 0;
};

struct DiffReport {
  RuleSetInfo old_rules, new_rules;
  int64_t findings = 0;
  int64_t changed = 0;  // findings with any changed conclusion
  std::map<std::string, int64_t> changed_by_field;
  std::vector<FindingChange> changes;  // input order
  std::vector<RuleHitDelta> rules;     // rules whose hits differ or that exist on one side; by id
  int64_t rules_added = 0;    // only in the new set
  int64_t rules_removed = 0;  // only in the old set
  int64_t rules_changed = 0;  // in both, hit count differs
};

// Compares classifications of the same findings by two rule sets.
// Thread-compatible.
class XUNCHA_EXPORT RuleSetDiffer {
 public:
  RuleSetDiffer(const v1::RuleSet& old_rules, const v1::RuleSet& new_rules);
  void Add(const v1::Finding& finding, const v1::Classification& before,
           const v1::Classification& after);
  DiffReport Finish() const;

 private:
  DiffReport report_;
  std::map<std::string, RuleHitDelta, std::less<>> rules_;
};

XUNCHA_EXPORT std::string FormatDiffReport(const DiffReport& report, size_t max_changes);
XUNCHA_EXPORT std::string DiffReportToJson(const DiffReport& report);

// ---------------------------------------------------------------------------
// xuncha coverage: what the rules reach

struct RuleCoverage {
  std::string rule_id;
  std::string category, subcategory;
  int64_t hits = 0;
};

struct UnclassifiedFinding {
  std::string finding_id;
  std::string text;
};

// Two rules that fire on (nearly) the same findings: identical non-empty hit
// sets, or Jaccard index |A∩B| / |A∪B| ≥ 0.95 with both hit sets of at least
// 5 findings.
struct RuleOverlap {
  std::string a, b;  // a < b
  int64_t hits_a = 0, hits_b = 0, both = 0;
  double jaccard = 0;
  bool identical = false;
};

struct SubcategoryCoverage {
  std::string category, subcategory;
  int rules = 0;      // rules concluding it (primary or secondary)
  int64_t hits = 0;   // findings where such a rule fired
};

struct CoverageReport {
  RuleSetInfo rule_set;
  int64_t findings = 0;
  int64_t classified = 0;
  std::vector<RuleCoverage> rules;           // hits descending, then id
  std::vector<std::string> never_fired;      // rule order
  std::vector<UnclassifiedFinding> unclassified;  // input order
  std::vector<RuleOverlap> overlaps;         // by a, b
  std::vector<SubcategoryCoverage> taxonomy; // taxonomy order, every subcategory
};

// Thread-compatible.
class XUNCHA_EXPORT CoverageCounter {
 public:
  explicit CoverageCounter(const v1::RuleSet& rules);
  void Add(const v1::Finding& finding, const v1::Classification& classification);
  CoverageReport Finish() const;

  static constexpr double kOverlapJaccard = 0.95;
  static constexpr int64_t kOverlapMinHits = 5;

 private:
  std::vector<RuleCoverage> rules_;  // rule order, hits counted in hit_sets_
  std::map<std::string, size_t, std::less<>> rule_index_;
  // (category, subcategory) → rules concluding it.
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> by_subcategory_;
  std::vector<std::vector<int64_t>> hit_sets_;  // per rule: finding numbers
  int64_t findings_ = 0;
  int64_t classified_ = 0;
  std::vector<UnclassifiedFinding> unclassified_;
};

XUNCHA_EXPORT std::string FormatCoverageReport(const CoverageReport& report,
                                               size_t max_unclassified);
XUNCHA_EXPORT std::string CoverageReportToJson(const CoverageReport& report);

}  // namespace xuncha

#endif  // XUNCHA_TOOLS_H_
