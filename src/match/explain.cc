// Matcher::Explain: a readable trace of one classification, for rule authors.

#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

#include "base/utf8.h"
#include "expr/text_model.h"
#include "match/conclude.h"
#include "xuncha/engine.h"
#include "xuncha/taxonomy.h"

namespace xuncha {

namespace {

using match_internal::CompiledRule;
using match_internal::Plan;
using match_internal::RuleTrace;

std::u32string ToU32(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) out.push_back(utf8::Decode(s, &i));
  return out;
}

std::string FromU32(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) utf8::Append(c, &out);
  return out;
}

size_t Levenshtein(std::u32string_view a, std::u32string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The substring of `text` closest to `term` by edit distance (lengths
// len-1..len+1), as "「…」 at char K (distance D)"; "" when nothing is within
// half the term's length, or nothing shares a character with it (any
// character is one edit from a one-character term).
std::string NearestText(std::string_view text, std::string_view term) {
  std::u32string t = ToU32(text), w = ToU32(term);
  if (w.empty() || t.empty()) return "";
  size_t best = SIZE_MAX, best_pos = 0, best_len = 0;
  for (size_t len = w.size() > 1 ? w.size() - 1 : 1; len <= w.size() + 1; ++len) {
    for (size_t pos = 0; pos + len <= t.size(); ++pos) {
      size_t d = Levenshtein(std::u32string_view(t).substr(pos, len), w);
      if (d < best) {
        best = d;
        best_pos = pos;
        best_len = len;
      }
    }
  }
  if (best == SIZE_MAX || best == 0 || best * 2 > w.size() + 1 || best >= w.size()) return "";
  return "「" + FromU32(std::u32string_view(t).substr(best_pos, best_len)) + "」 at char " +
         std::to_string(best_pos) + " (edit distance " + std::to_string(best) + ")";
}

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

void PrintSteps(std::ostringstream& os, const std::vector<expr::TraceStep>& steps,
                const std::string& indent) {
  for (const auto& step : steps) {
    os << indent << std::string(static_cast<size_t>(std::max(0, step.depth)) * 2, ' ') << step.source
       << "  →  " << step.value << "\n";
  }
}

std::string OutcomeText(const expr::EvalOutcome& o) {
  switch (o.kind) {
    case expr::EvalOutcome::kBool:
      return o.value ? "FIRED" : "not fired (false)";
    case expr::EvalOutcome::kError:
      return "error: " + o.error + " (does not fire)";
    case expr::EvalOutcome::kOther:
      return "not a bool: " + o.display;
  }
  return "";
}

// Terms a rule's predicates look for.
std::vector<uint32_t> RuleTerms(const Plan& plan, const CompiledRule& rule) {
  std::vector<uint32_t> out;
  if (rule.program == nullptr) return out;
  for (uint32_t pid : rule.program->predicates()) {
    const auto& p = plan.predicates->predicate(pid);
    out.insert(out.end(), p.terms.begin(), p.terms.end());
    out.insert(out.end(), p.terms_b.begin(), p.terms_b.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// For each text model the rule reads: its top 3 labels with probabilities,
// and the 5 grams of the text that add most to the top label's score.
// With `shown`, a model already shown for an earlier rule of the listing is
// named only ("as above"): the default set has a model rule per area.
void PrintModels(std::ostringstream& os, const Plan& plan, const CompiledRule& rule,
                 expr::ModelCache& cache, const std::string& indent,
                 std::set<uint32_t>* shown = nullptr) {
  if (rule.program == nullptr || plan.models == nullptr) return;
  for (uint32_t id : rule.program->models_read()) {
    const expr::TextModel& model = plan.models->model(id);
    if (shown != nullptr && !shown->insert(id).second) {
      os << indent << "model " << Quote(model.name()) << ": as above\n";
      continue;
    }
    const expr::ModelScore& score = cache.Get(id);
    if (score.prob.empty()) continue;
    std::vector<uint32_t> order(score.prob.size());
    for (uint32_t l = 0; l < order.size(); ++l) order[l] = l;
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return score.score[a] > score.score[b]; });
    os << indent << "model " << Quote(model.name()) << ":";
    char buf[64];
    for (size_t k = 0; k < order.size() && k < 3; ++k) {
      std::snprintf(buf, sizeof(buf), " %.3f", score.prob[order[k]]);
      os << (k ? "," : "") << " " << model.labels()[order[k]] << buf;
    }
    os << "\n";
    // The grams that set the top label apart from the runner-up: how much
    // more each adds to the top label's score than to the runner-up's
    // (what a gram adds to every label alike decides nothing).
    const uint32_t second = order.size() > 1 ? order[1] : score.top;
    std::vector<std::pair<double, uint32_t>> grams;  // (margin, feature)
    for (uint32_t f : score.hits) {
      double w = model.Contribution(f, score.top) - (second != score.top ? model.Contribution(f, second) : 0.0);
      if (w > 0) grams.emplace_back(w, f);
    }
    std::stable_sort(grams.begin(), grams.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    os << indent << "  grams for " << model.labels()[score.top];
    if (second != score.top) os << " over " << model.labels()[second];
    os << ":";
    if (grams.empty()) os << " (none; the bias decides)";
    for (size_t k = 0; k < grams.size() && k < 5; ++k) {
      std::snprintf(buf, sizeof(buf), " %+.3f", grams[k].first);
      os << (k ? "," : "") << " 「" << model.gram(grams[k].second) << "」" << buf;
    }
    os << "\n";
  }
}

std::string WhyWinner(const CompiledRule& w, const CompiledRule& o) {
  if (w.stage != o.stage) return "later stage";
  if (w.priority != o.priority)
    return "higher priority (" + std::to_string(w.priority) + " > " + std::to_string(o.priority) + ")";
  if (w.score != o.score) {
    std::ostringstream s;
    s << "higher score (" << w.score << " > " << o.score << ")";
    return s.str();
  }
  return "same priority and score, earlier in rule order";
}

}  // namespace

StatusOr<std::string> Matcher::Explain(const v1::Finding& finding, std::string_view rule_id) {
  const Plan& plan = engine_->plan();
  const CompiledRule* target = nullptr;
  if (!rule_id.empty()) {
    for (const auto& r : plan.rules) {
      if (r.id == rule_id) target = &r;
    }
    if (target == nullptr) return NotFoundError("no rule with id '" + std::string(rule_id) + "'");
  }

  match_internal::Scratch& s = *scratch_;
  std::vector<RuleTrace> trace;
  v1::Classification c;
  ClassifyOptions opts = options_;
  opts.evidence = true;
  opts.profile = false;
  Status st = match_internal::RunFinding(s, finding, opts, &c, &trace);

  std::ostringstream os;
  os << "finding " << finding.id() << " — rule set " << plan.name << " " << plan.version << " ("
     << plan.hash << ")\n";
  os << "text: " << finding.text() << "\n";
  if (c.has_amount()) {
    os << "amount: " << c.amount().fen() / 100 << "." << (c.amount().fen() % 100 < 10 ? "0" : "")
       << c.amount().fen() % 100 << " 元" << (finding.has_amount() ? "" : " (from the text)") << "\n";
  }
  if (!st.ok()) {
    os << "cannot classify: " << st.message() << "\n";
    return os.str();
  }

  os << "\n1. terms found in one pass:\n";
  if (s.oracle.terms_hit().empty()) os << "   (none)\n";
  for (uint32_t t : s.oracle.terms_hit()) {
    os << "   " << Quote(plan.terms->term(t)) << " at char";
    auto occ = s.oracle.Occurrences(t);
    for (size_t i = 0; i < occ.size(); ++i) os << (i ? ", " : " ") << s.oracle.CharIndex(occ[i]);
    os << "\n";
  }
  if (!s.oracle.regex_potentials().empty()) {
    os << "   regexes admitted by their atoms:";
    for (int r : s.oracle.regex_potentials()) os << " /" << plan.predicates->regex(r).pattern() << "/";
    os << "\n";
  }

  os << "\n2. candidate rules evaluated: " << trace.size() << " of " << plan.rules.size() << "\n";
  std::set<uint32_t> models_shown;
  for (const RuleTrace& rt : trace) {
    const CompiledRule& r = plan.rules[rt.rule];
    os << "   [" << plan.stage_names[r.stage] << "] " << r.id << " " << r.title << ": "
       << OutcomeText(rt.outcome) << "\n";
    PrintSteps(os, rt.steps, "       ");
    PrintModels(os, plan, r, s.models, "       ", &models_shown);
  }

  os << "\n3. conclusion: ";
  if (!c.classified()) {
    os << "unclassified (no rule drew a category)\n";
  } else {
    os << c.category() << "/" << c.subcategory() << " (" << CategoryName(c.category()) << " / "
       << SubcategoryName(c.category(), c.subcategory()) << ") by " << c.primary_rule_id() << "\n";
    std::vector<uint32_t> ranked = match_internal::RankFired(plan, s.fired);
    const CompiledRule* winner = nullptr;
    for (uint32_t r : ranked) {
      if (plan.rules[r].id == c.primary_rule_id()) winner = &plan.rules[r];
    }
    for (uint32_t r : ranked) {
      const CompiledRule& o = plan.rules[r];
      if (&o == winner || o.category.empty() || winner == nullptr) continue;
      os << "   over " << o.id << " (" << o.category << "/" << o.subcategory
         << "): " << WhyWinner(*winner, o) << "\n";
    }
    for (const auto& sec : c.secondary()) {
      os << "   secondary: " << sec.category() << "/" << sec.subcategory() << "\n";
    }
  }
  if (!c.discipline().empty()) os << "   discipline: " << c.discipline() << " (" << DisciplineName(c.discipline()) << ")\n";
  if (!c.nature().empty()) os << "   nature: " << c.nature() << " (" << NatureName(c.nature()) << ")\n";
  if (!c.disposition().empty()) {
    os << "   disposition: " << c.disposition() << " (" << DispositionName(c.disposition()) << ")";
    if (!c.transfer_target().empty()) os << " → " << TransferTargetName(c.transfer_target());
    if (c.deadline_days() > 0) os << ", deadline " << c.deadline_days() << " days";
    os << "\n";
  }
  for (const auto& b : c.basis()) {
    os << "   basis: " << b.regulation() << (b.article().empty() ? "" : " " + b.article()) << "\n";
  }
  for (const auto& e : c.errors()) os << "   error in " << e.rule_id() << ": " << e.message() << "\n";

  if (target != nullptr) {
    os << "\n4. rule " << target->id << " " << target->title << ":\n";
    const RuleTrace* rt = nullptr;
    for (const auto& t : trace) {
      if (t.rule == target->index) rt = &t;
    }
    bool fired = std::find(s.fired.begin(), s.fired.end(), target->index) != s.fired.end();
    if (fired) {
      os << "   fired; evidence:\n";
      for (const auto& hit : c.hits()) {
        if (hit.rule_id() != target->id) continue;
        for (const auto& sp : hit.spans()) {
          os << "     「" << sp.text() << "」 chars [" << sp.char_begin() << ", " << sp.char_end() << ")\n";
        }
      }
    } else if (rt == nullptr) {
      os << "   not evaluated: none of the terms it requires occurred in the text.\n";
      // Evaluate it anyway to show what it would see.
      expr::Activation act;
      act.finding = &finding;
      act.oracle = &s.oracle;
      act.predicate_cache = s.predicate_cache.data();
      if (c.has_amount()) act.amount_fen = c.amount().fen();
      act.text_amounts = &s.text_amounts;
      act.models = &s.models;
      expr::StageResult sr;
      std::vector<uint32_t> earlier;
      for (uint32_t r : s.fired) {
        if (plan.rules[r].stage < target->stage) earlier.push_back(r);
      }
      match_internal::UpdateStageResult(plan, earlier, &sr);
      if (target->stage > 0) act.result = &sr;
      std::vector<expr::TraceStep> steps;
      if (target->program != nullptr) {
        expr::EvalOutcome o = target->program->EvaluateTraced(act, &steps);
        os << "   evaluated for this explanation: " << OutcomeText(o) << "\n";
        PrintSteps(os, steps, "     ");
        PrintModels(os, plan, *target, s.models, "     ");
      }
    } else {
      os << "   evaluated: " << OutcomeText(rt->outcome) << "\n";
      // The first false sub-condition directly under the top level.
      int top = INT32_MAX;
      for (const auto& step : rt->steps) top = std::min(top, step.depth);
      for (size_t i = 0; i < rt->steps.size(); ++i) {
        const auto& step = rt->steps[i];
        if (step.depth == top + 1 && (step.value == "false" || step.value.rfind("error", 0) == 0)) {
          os << "   first condition that failed: " << step.source << "  →  " << step.value << "\n";
          for (size_t k = 0; k < rt->steps.size(); ++k) {
            const auto& sub = rt->steps[k];
            if (sub.depth > step.depth && sub.begin >= step.begin && sub.end <= step.end) {
              os << "     saw " << sub.source << " = " << sub.value << "\n";
            }
          }
          break;
        }
      }
    }
    if (!fired) {
      bool any = false;
      for (uint32_t t : RuleTerms(plan, *target)) {
        if (!s.oracle.Occurrences(t).empty()) continue;
        std::string near = NearestText(finding.text(), plan.terms->term(t));
        if (near.empty()) continue;
        if (!any) os << "   nearest text that almost matched:\n";
        any = true;
        os << "     " << Quote(plan.terms->term(t)) << " ≈ " << near << "\n";
      }
    }
  }
  return os.str();
}

}  // namespace xuncha
