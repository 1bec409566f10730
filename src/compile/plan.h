// Internal: the compiled form of a rule set that the engine executes. The
// public door is include/xuncha/engine.h. Built by src/compile (which is the
// only writer), read by src/match. Holds no rule syntax tree: conditions are
// compiled expr::Programs, literals live in one Aho-Corasick automaton, and
// regexes in one RE2 FilteredRE2 whose atoms are part of that automaton.

#ifndef XUNCHA_COMPILE_PLAN_H_
#define XUNCHA_COMPILE_PLAN_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compile/aho_corasick.h"
#include "expr/expr.h"
#include "expr/text_model.h"
#include "re2/filtered_re2.h"
#include "xuncha/engine.h"
#include "xuncha/v1/classification.pb.h"
#include "xuncha/v1/rules.pb.h"

namespace xuncha::match_internal {

// One rule, compiled. Immutable.
struct CompiledRule {
  uint32_t index = 0;        // position in Plan::rules (stage order, then file order)
  uint32_t stage = 0;
  std::string id;
  std::string title;
  std::unique_ptr<expr::Program> program;
  // Conclusions (empty = not drawn).
  std::string category, subcategory, discipline, nature, disposition, transfer_target;
  int32_t deadline_days = 0;
  std::vector<v1::Basis> basis;
  std::vector<v1::CategoryRef> secondary;
  double score = 0;
  int32_t priority = 0;
  std::vector<std::string> tags;
  double confidence = 0;     // 0 = default
  bool needs_review = false;
  // The prefilter: a rule with no text requirement is always a candidate.
  bool always_candidate = false;
};

// Keys of the trigger index: a term (id < num_terms) or a regex
// (num_terms + regex id).
struct Plan {
  std::string name, version, hash;
  v1::RuleSet rule_set;  // as written, for tools; never read on the hot path
  std::vector<std::string> stage_names;
  std::vector<uint32_t> stage_begin;  // rules of stage s: [stage_begin[s], stage_begin[s+1])
  std::vector<CompiledRule> rules;

  std::unique_ptr<expr::TermTable> terms;
  std::unique_ptr<expr::PredicateTable> predicates;
  // The set's text models (model_label, model_prob), by declaration order.
  std::unique_ptr<expr::ModelTable> models;

  // Automaton patterns: [0, num_terms) are terms; [num_terms,
  // num_terms + num_atoms) the FilteredRE2 atoms; then money-unit markers.
  compile::AhoCorasick automaton;
  uint32_t num_terms = 0;
  uint32_t num_atoms = 0;
  uint32_t first_money_marker = 0;
  // Regexes the literal analysis cannot prefilter go to FilteredRE2, whose
  // atoms are part of the automaton; filtered_regex maps its ids to ours.
  std::unique_ptr<re2::FilteredRE2> filtered;
  std::vector<uint32_t> filtered_regex;

  std::vector<std::vector<uint32_t>> term_rules;   // term id → rule indices
  std::vector<std::vector<uint32_t>> regex_rules;  // regex id → rule indices
  std::vector<uint32_t> always_rules;              // ascending
  std::vector<int32_t> regex_prefilter_free;       // regexes with no prefilter (always potential)
  enum class RegexFilter : uint8_t { kLiterals, kFilteredRE2, kNone };
  std::vector<RegexFilter> regex_filter;           // per regex

  // Per regex: the literals one of which every match contains (terms, so the
  // scan finds them), and where it can match (compile/regex_window.h);
  // unbounded = the whole text is searched.
  struct Window {
    bool bounded = false;
    uint32_t max_chars = 0;
    std::vector<uint32_t> terms;  // empty: no literal prefilter
    // The one literal starts (kPrefix) or ends (kSuffix) every match.
    bool prefix = false, suffix = false;
  };
  std::vector<Window> regex_windows;
};

struct EngineFactory {
  static std::shared_ptr<const Engine> Make(std::unique_ptr<Plan> plan);
};

}  // namespace xuncha::match_internal

#endif  // XUNCHA_COMPILE_PLAN_H_
