// The compiler driver: rule files → checked → conditions compiled → the
// prefilter built → an immutable Engine.
//
// The only entry point of this folder is Compiler::Finish() (and
// CompileRules()).
//
// Design note: choosing what makes a rule a candidate.
//   Each condition's Requirement (expr.h) is a necessary condition over text
//   predicates. From it we choose a set of trigger keys — terms, or regexes
//   (which FilteredRE2 admits only when their own atoms occurred) — such that
//   the rule can be true only if one of its keys hit: an OR takes the union of
//   its children's sets, an AND the most selective child's set (longest
//   shortest term, then fewest keys). At run time one Aho-Corasick pass finds
//   the terms that hit, the trigger index maps them to candidate rules, and
//   only those are evaluated. Rules whose condition puts no requirement on
//   the text (a disposition stage that reads `result.*` and `amount`) are
//   always candidates.

#include "xuncha/compiler.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "base/sha256.h"
#include "base/utf8.h"
#include "expr/expr.h"
#include "expr/text_model.h"
#include "compile/plan.h"
#include "compile/regex_window.h"
#include "rules/rule_source.h"
#include "xuncha/engine.h"

namespace xuncha {

struct Compiler::Rep {
  CompileOptions options;
  std::vector<std::string> paths;
  std::vector<std::pair<std::string, std::string>> sources;
  bool finished = false;
};

Compiler::Compiler(CompileOptions options) : rep_(std::make_unique<Rep>()) {
  rep_->options = options;
}

Compiler::~Compiler() = default;

Status Compiler::AddPath(std::string_view path) {
  if (rep_->finished) return FailedPreconditionError("Compiler::AddPath after Finish");
  rep_->paths.emplace_back(path);
  return Status::OK();
}

Status Compiler::AddSource(std::string_view path, std::string_view content) {
  if (rep_->finished) return FailedPreconditionError("Compiler::AddSource after Finish");
  rep_->sources.emplace_back(std::string(path), std::string(content));
  return Status::OK();
}

namespace {

using match_internal::CompiledRule;
using match_internal::Plan;

// A trigger set: keys (term ids, or num_terms + regex id), and how selective
// it is. nullopt = no requirement (always a candidate).
struct Triggers {
  std::set<uint32_t> keys;
  size_t min_term_bytes = 0;  // the shortest term's length (regexes count 3)
};

bool MoreSelective(const Triggers& a, const Triggers& b) {
  if (a.min_term_bytes != b.min_term_bytes) return a.min_term_bytes > b.min_term_bytes;
  return a.keys.size() < b.keys.size();
}

class TriggerBuilder {
 public:
  explicit TriggerBuilder(const Plan& plan)
      : table_(*plan.predicates), num_terms_(plan.num_terms), plan_(plan) {}

  std::optional<Triggers> Build(const expr::Requirement& r) const {
    switch (r.kind) {
      case expr::Requirement::kAll:
        return std::nullopt;
      case expr::Requirement::kPredicate:
        return ForPredicate(r.predicate_id);
      case expr::Requirement::kAnd: {
        std::optional<Triggers> best;
        for (const auto& c : r.children) {
          auto t = Build(c);
          if (t && (!best || MoreSelective(*t, *best))) best = std::move(t);
        }
        return best;
      }
      case expr::Requirement::kOr: {
        Triggers all;
        all.min_term_bytes = SIZE_MAX;
        for (const auto& c : r.children) {
          auto t = Build(c);
          if (!t) return std::nullopt;
          all.keys.insert(t->keys.begin(), t->keys.end());
          all.min_term_bytes = std::min(all.min_term_bytes, t->min_term_bytes);
        }
        if (all.keys.empty()) return std::nullopt;
        return all;
      }
    }
    return std::nullopt;
  }

 private:
  Triggers FromTerms(const std::vector<uint32_t>& ids) const {
    Triggers t;
    t.min_term_bytes = SIZE_MAX;
    for (uint32_t id : ids) {
      t.keys.insert(id);
      t.min_term_bytes = std::min(t.min_term_bytes, table_.terms().term(id).size());
    }
    return t;
  }

  std::optional<Triggers> ForPredicate(uint32_t pid) const {
    const expr::TextPredicate& p = table_.predicate(pid);
    switch (p.kind) {
      case expr::PredicateKind::kMatches: {
        switch (plan_.regex_filter[p.regex_id]) {
          case Plan::RegexFilter::kLiterals:
            return FromTerms(plan_.regex_windows[p.regex_id].terms);
          case Plan::RegexFilter::kNone:
            return std::nullopt;
          case Plan::RegexFilter::kFilteredRE2:
            break;
        }
        Triggers t;
        t.keys.insert(num_terms_ + p.regex_id);
        t.min_term_bytes = 3;
        return t;
      }
      case expr::PredicateKind::kNear: {
        if (p.terms.empty() || p.terms_b.empty()) return std::nullopt;
        Triggers a = FromTerms(p.terms), b = FromTerms(p.terms_b);
        return MoreSelective(a, b) ? a : b;
      }
      default:
        if (p.terms.empty()) return std::nullopt;
        return FromTerms(p.terms);
    }
  }

  const expr::PredicateTable& table_;
  uint32_t num_terms_;
  const Plan& plan_;
};

// Which `result.*` fields a rule draws when it fires.
std::set<std::string> FieldsDrawn(const v1::Rule& r) {
  std::set<std::string> f = {"rules", "classified", "score"};
  if (!r.category().empty()) f.insert("category");
  if (!r.category().empty()) f.insert("priority");
  if (!r.subcategory().empty()) f.insert("subcategory");
  if (!r.discipline().empty()) f.insert("discipline");
  if (!r.nature().empty()) f.insert("nature");
  if (!r.disposition().empty()) f.insert("disposition");
  if (r.secondary_size() > 0 || !r.category().empty()) f.insert("secondary");
  if (r.tags_size() > 0) f.insert("tags");
  return f;
}

std::string CanonicalHashInput(const v1::RuleSet& set, const CompileOptions& o) {
  std::string out = "xuncha-engine-v1\n";
  std::string wire;
  {
    google::protobuf::io::StringOutputStream raw(&wire);
    google::protobuf::io::CodedOutputStream coded(&raw);
    coded.SetSerializationDeterministic(true);
    set.SerializeToCodedStream(&coded);
  }
  out += wire;
  out += "\nregex_max_mem=" + std::to_string(o.regex_max_mem);
  return out;
}

// Removes the warnings a rule accepts (Rule.allow_warnings), and warns about
// an accepted code that silenced nothing.
void DropAllowedWarnings(const rules::LoadedRuleSet& loaded, std::vector<Diagnostic>* diags) {
  std::map<std::string, int, std::less<>> rule_index;  // id → first rule with it
  bool any = false;
  for (int i = 0; i < loaded.set.rule_size(); ++i) {
    rule_index.emplace(loaded.set.rule(i).id(), i);
    any = any || loaded.set.rule(i).allow_warnings_size() > 0;
  }
  if (!any) return;
  std::set<std::pair<int, std::string>> used;
  auto allowed = [&](const Diagnostic& d) {
    if (d.severity != Severity::kWarning || d.rule_id.empty()) return false;
    auto it = rule_index.find(d.rule_id);
    if (it == rule_index.end()) return false;
    for (const std::string& code : loaded.set.rule(it->second).allow_warnings()) {
      if (code == d.code) {
        used.emplace(it->second, code);
        return true;
      }
    }
    return false;
  };
  diags->erase(std::remove_if(diags->begin(), diags->end(), allowed), diags->end());
  for (int i = 0; i < loaded.set.rule_size(); ++i) {
    const v1::Rule& r = loaded.set.rule(i);
    for (int k = 0; k < r.allow_warnings_size(); ++k) {
      if (used.count({i, r.allow_warnings(k)}) != 0) continue;
      const rules::RuleSource& src = loaded.rules[i];
      const std::string key = "allow_warnings[" + std::to_string(k) + "]";
      auto at = src.field_offsets.find(key);
      Diagnostic d = loaded.At(src.file, at != src.field_offsets.end() ? at->second : src.rule_offset,
                               Severity::kWarning,
                               "rule accepts warning \"" + r.allow_warnings(k) +
                                   "\" but has none; remove it from allow_warnings",
                               "unused-allow-warnings");
      d.rule_id = r.id();
      diags->push_back(std::move(d));
    }
  }
}

}  // namespace

StatusOr<CompileResult> Compiler::Finish() {
  if (rep_->finished) return FailedPreconditionError("Compiler::Finish called twice");
  rep_->finished = true;
  const CompileOptions& opt = rep_->options;

  CompileResult result;
  std::vector<Diagnostic>& diags = result.diagnostics;
  rules::LoadOptions load_options;
  load_options.max_file_bytes = opt.max_file_bytes;
  load_options.max_rules = opt.max_rules;

  rules::LoadedRuleSet loaded;
  if (!rep_->sources.empty() && !rep_->paths.empty()) {
    return InvalidArgumentError("a Compiler takes either paths or in-memory sources, not both");
  }
  if (rep_->sources.size() > 1) {
    return InvalidArgumentError("a Compiler takes at most one in-memory source");
  }
  if (rep_->sources.empty() && rep_->paths.empty()) {
    return InvalidArgumentError("no rule files given");
  }
  if (!rep_->sources.empty()) {
    XUNCHA_RETURN_IF_ERROR(rules::LoadRuleSetFromString(
        rep_->sources[0].first, rep_->sources[0].second, load_options, &loaded, &diags));
  } else {
    XUNCHA_RETURN_IF_ERROR(rules::LoadRuleSet(rep_->paths, load_options, &loaded, &diags));
  }
  check::CheckRuleSet(loaded, &diags);

  auto plan = std::make_unique<Plan>();
  const v1::RuleSet& set = loaded.set;
  plan->name = set.name();
  plan->version = set.version();
  plan->terms = std::make_unique<expr::TermTable>();
  plan->predicates = std::make_unique<expr::PredicateTable>(plan->terms.get());

  // Negation cues: each list the rule set's own, else the built-in one.
  std::vector<std::string> before(set.negation_cue().begin(), set.negation_cue().end());
  std::vector<std::string> after(set.negation_cue_after().begin(), set.negation_cue_after().end());
  plan->predicates->SetNegationCues(before.empty() ? expr::DefaultNegationCuesBefore() : before,
                                    after.empty() ? expr::DefaultNegationCuesAfter() : after);

  std::map<std::string, std::vector<std::string>, std::less<>> lexicons;
  for (const v1::Lexicon& lex : set.lexicon()) {
    auto& terms = lexicons[lex.name()];
    terms.insert(terms.end(), lex.terms().begin(), lex.terms().end());
  }

  // Text models: each name once (a repeated name is diagnosed by the checker).
  plan->models = std::make_unique<expr::ModelTable>();
  for (const v1::TextModel& m : set.model()) {
    if (!plan->models->Find(m.name())) plan->models->Add(expr::TextModel::Build(m));
  }

  // Stages in declared order; rules without a stage go to the first one.
  std::map<std::string, uint32_t, std::less<>> stage_index;
  for (const v1::Stage& st : set.stage()) {
    if (stage_index.count(st.name()) == 0) {
      stage_index.emplace(st.name(), static_cast<uint32_t>(plan->stage_names.size()));
      plan->stage_names.push_back(st.name());
    }
  }
  if (plan->stage_names.empty()) {
    plan->stage_names.push_back("classify");
    stage_index.emplace("classify", 0);
  }

  expr::Environment env;
  env.lexicons = &lexicons;
  env.predicates = plan->predicates.get();
  env.models = plan->models.get();
  env.limits.max_source_bytes = opt.max_expression_bytes;
  env.limits.max_depth = opt.max_expression_depth;
  env.limits.max_nodes = opt.max_expression_nodes;
  env.limits.regex_max_mem = opt.regex_max_mem;
  env.limits.regex_max_program_size = opt.regex_max_program_size;

  if (static_cast<uint32_t>(set.rule_size()) > opt.max_rules) {
    diags.push_back(loaded.At(loaded.header_file, 0, Severity::kError,
                              "rule set has " + std::to_string(set.rule_size()) +
                                  " rules, more than the limit of " + std::to_string(opt.max_rules),
                              "limit-rules"));
  }

  // Order: stage, then load order.
  std::vector<std::pair<uint32_t, int>> order;
  for (int i = 0; i < set.rule_size(); ++i) {
    const v1::Rule& r = set.rule(i);
    uint32_t s = 0;
    if (!r.stage().empty()) {
      auto it = stage_index.find(r.stage());
      if (it == stage_index.end()) continue;  // unknown-stage, diagnosed by the checker
      s = it->second;
    }
    order.emplace_back(s, i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  std::vector<std::set<std::string>> drawn_by_stage(plan->stage_names.size());
  for (auto [s, i] : order) {
    for (const std::string& f : FieldsDrawn(set.rule(i))) drawn_by_stage[s].insert(f);
  }

  plan->rules.reserve(order.size());
  for (auto [s, i] : order) {
    const v1::Rule& r = set.rule(i);
    const rules::RuleSource& src = loaded.rules[i];
    CompiledRule cr;
    cr.index = static_cast<uint32_t>(plan->rules.size());
    cr.stage = s;
    cr.id = r.id();
    cr.title = r.title();
    env.result_available = s > 0;
    std::vector<expr::ExprDiagnostic> expr_diags;
    if (!r.when().empty()) {
      cr.program = expr::CompileExpression(r.when(), env, &expr_diags);
    }
    for (const expr::ExprDiagnostic& d : expr_diags) {
      uint32_t file_offset = src.when_map.empty() ? src.rule_offset : src.when_map.FileOffset(d.begin);
      uint32_t len = static_cast<uint32_t>(std::max<size_t>(
          1, utf8::CountChars(std::string_view(r.when()).substr(
                 std::min<size_t>(d.begin, r.when().size()),
                 d.end > d.begin ? d.end - d.begin : 1))));
      Diagnostic diag = loaded.At(src.file, file_offset, d.severity, d.message, d.code, len);
      diag.rule_id = r.id();
      diags.push_back(std::move(diag));
    }
    if (cr.program != nullptr) {
      // A later stage may read only what an earlier stage draws.
      for (const std::string& field : cr.program->result_fields_read()) {
        bool drawn = false;
        for (uint32_t e = 0; e < s && !drawn; ++e) drawn = drawn_by_stage[e].count(field) > 0;
        if (!drawn) {
          auto it = src.field_offsets.find("when");
          Diagnostic diag = loaded.At(
              src.file, it != src.field_offsets.end() ? it->second : src.rule_offset,
              Severity::kError,
              "condition reads result." + field + ", which no earlier stage concludes",
              "result-not-drawn");
          diag.rule_id = r.id();
          diags.push_back(std::move(diag));
        }
      }
    }
    cr.category = r.category();
    cr.subcategory = r.subcategory();
    cr.discipline = r.discipline();
    cr.nature = r.nature();
    cr.disposition = r.disposition();
    cr.transfer_target = r.transfer_target();
    cr.deadline_days = r.deadline_days();
    cr.basis.assign(r.basis().begin(), r.basis().end());
    cr.secondary.assign(r.secondary().begin(), r.secondary().end());
    cr.score = r.score();
    cr.priority = r.priority();
    cr.tags.assign(r.tags().begin(), r.tags().end());
    cr.confidence = r.confidence();
    cr.needs_review = r.needs_review();
    plan->rules.push_back(std::move(cr));
  }

  plan->stage_begin.assign(plan->stage_names.size() + 1, 0);
  {
    uint32_t k = 0;
    for (uint32_t st = 0; st < plan->stage_names.size(); ++st) {
      plan->stage_begin[st] = k;
      while (k < plan->rules.size() && plan->rules[k].stage == st) ++k;
    }
    plan->stage_begin[plan->stage_names.size()] = k;
  }

  DropAllowedWarnings(loaded, &diags);
  SortDiagnostics(&diags);
  bool failed = HasErrors(diags) ||
                (opt.warnings_as_errors &&
                 std::any_of(diags.begin(), diags.end(),
                             [](const Diagnostic& d) { return d.severity == Severity::kWarning; }));
  if (failed) return result;

  // --- The prefilter -------------------------------------------------------
  expr::PredicateTable& table = *plan->predicates;
  // Regex windows: their literals become terms, found by the same scan.
  plan->regex_windows.resize(table.regex_count());
  for (size_t r = 0; r < table.regex_count(); ++r) {
    const RE2& re = table.regex(r);
    if (!re.options().case_sensitive() || re.options().literal()) continue;
    if (auto w = compile::AnalyzeRegexWindow(re.pattern())) {
      auto& pw = plan->regex_windows[r];
      pw.bounded = w->bounded;
      pw.max_chars = w->max_chars;
      pw.prefix = w->anchor == compile::RegexWindow::Anchor::kPrefix;
      pw.suffix = w->anchor == compile::RegexWindow::Anchor::kSuffix;
      for (const std::string& lit : w->literals) pw.terms.push_back(plan->terms->Intern(lit));
    }
  }
  plan->num_terms = static_cast<uint32_t>(plan->terms->size());
  for (uint32_t t = 0; t < plan->num_terms; ++t) {
    const std::string& term = plan->terms->term(t);
    // An empty term matches everywhere; the automaton cannot hold it, so a
    // rule that uses one is evaluated always (it has no selective trigger).
    plan->automaton.Add(term.empty() ? std::string("\x01\x02\x03") : term, true);
  }
  // Regex prefilters: the analysed literals where there are some (they are
  // terms already); FilteredRE2's atoms for the rest; none = always run.
  plan->regex_filter.assign(table.regex_count(), Plan::RegexFilter::kLiterals);
  for (size_t r = 0; r < table.regex_count(); ++r) {
    if (!plan->regex_windows[r].terms.empty()) continue;
    if (plan->filtered == nullptr) plan->filtered = std::make_unique<re2::FilteredRE2>(/*min_atom_len=*/3);
    int id = -1;
    RE2::ErrorCode code = plan->filtered->Add(table.regex(r).pattern(), table.regex(r).options(), &id);
    if (code != RE2::NoError || id != static_cast<int>(plan->filtered_regex.size())) {
      return InternalError("FilteredRE2 rejected a regex the compiler accepted: " +
                           table.regex(r).pattern());
    }
    plan->filtered_regex.push_back(static_cast<uint32_t>(r));
    plan->regex_filter[r] = Plan::RegexFilter::kFilteredRE2;
  }
  if (plan->filtered != nullptr) {
    std::vector<std::string> atoms;
    plan->filtered->Compile(&atoms);
    plan->num_atoms = static_cast<uint32_t>(atoms.size());
    for (const std::string& a : atoms) plan->automaton.Add(a, /*case_sensitive=*/false);
    // A regex is prefilter-free when it passes with no atom matched at all.
    std::vector<int> none, potentials;
    plan->filtered->AllPotentials(none, &potentials);
    for (int f : potentials) {
      uint32_t r = plan->filtered_regex[f];
      plan->regex_filter[r] = Plan::RegexFilter::kNone;
      plan->regex_prefilter_free.push_back(static_cast<int32_t>(r));
    }
  }
  plan->first_money_marker = static_cast<uint32_t>(plan->automaton.pattern_count());
  for (const char* marker : {"元", "万", "亿"}) plan->automaton.Add(marker, true);
  plan->automaton.Build();

  plan->term_rules.assign(plan->num_terms, {});
  plan->regex_rules.assign(table.regex_count(), {});
  TriggerBuilder triggers(*plan);
  for (CompiledRule& cr : plan->rules) {
    std::optional<Triggers> t;
    if (cr.program != nullptr) t = triggers.Build(cr.program->requirement());
    bool uses_empty_term = false;
    if (t) {
      for (uint32_t k : t->keys) {
        if (k < plan->num_terms && plan->terms->term(k).empty()) uses_empty_term = true;
      }
    }
    if (!t || uses_empty_term) {
      cr.always_candidate = true;
      plan->always_rules.push_back(cr.index);
      continue;
    }
    for (uint32_t k : t->keys) {
      if (k < plan->num_terms) {
        plan->term_rules[k].push_back(cr.index);
      } else {
        plan->regex_rules[k - plan->num_terms].push_back(cr.index);
      }
    }
  }

  plan->hash = "sha256:" + Sha256::Hex(CanonicalHashInput(set, opt));
  // The rule set as written goes to the plan without a copy: with text
  // models it holds hundreds of thousands of features.
  plan->rule_set.Swap(&loaded.set);
  result.engine = match_internal::EngineFactory::Make(std::move(plan));
  return result;
}

StatusOr<CompileResult> CompileRules(const std::vector<std::string>& paths,
                                     const CompileOptions& options) {
  Compiler compiler(options);
  for (const std::string& p : paths) XUNCHA_RETURN_IF_ERROR(compiler.AddPath(p));
  return compiler.Finish();
}

}  // namespace xuncha
