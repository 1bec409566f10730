#include "match/conclude.h"

#include <algorithm>
#include <set>

namespace xuncha::match_internal {

namespace {

constexpr double kDefaultConfidence = 0.9;
constexpr double kReviewBelow = 0.6;

bool RanksBefore(const CompiledRule& a, const CompiledRule& b) {
  if (a.stage != b.stage) return a.stage > b.stage;
  if (a.priority != b.priority) return a.priority > b.priority;
  if (a.score != b.score) return a.score > b.score;
  return a.index < b.index;
}

// The primary rule: best-ranked fired rule drawing a category, or null.
const CompiledRule* Primary(const Plan& plan, const std::vector<uint32_t>& ranked) {
  for (uint32_t r : ranked) {
    if (!plan.rules[r].category.empty()) return &plan.rules[r];
  }
  return nullptr;
}

// Order in which rules supply the other conclusion fields: rank order, with
// the primary rule moved to the front of its own stage's group.
std::vector<const CompiledRule*> Suppliers(const Plan& plan, const std::vector<uint32_t>& ranked,
                                           const CompiledRule* primary) {
  std::vector<const CompiledRule*> out;
  out.reserve(ranked.size());
  for (uint32_t r : ranked) {
    const CompiledRule* rule = &plan.rules[r];
    if (rule == primary) continue;
    if (primary != nullptr && rule->stage == primary->stage &&
        std::find(out.begin(), out.end(), primary) == out.end()) {
      out.push_back(primary);
    }
    out.push_back(rule);
  }
  if (primary != nullptr && std::find(out.begin(), out.end(), primary) == out.end()) {
    // The primary's stage had no other rule: it goes after the later stages.
    auto pos = std::find_if(out.begin(), out.end(),
                            [&](const CompiledRule* r) { return r->stage < primary->stage; });
    out.insert(pos, primary);
  }
  return out;
}

template <typename Get>
const CompiledRule* FirstWith(const std::vector<const CompiledRule*>& suppliers, Get get) {
  for (const CompiledRule* r : suppliers) {
    if (get(*r)) return r;
  }
  return nullptr;
}

}  // namespace

std::vector<uint32_t> RankFired(const Plan& plan, const std::vector<uint32_t>& fired) {
  std::vector<uint32_t> ranked = fired;
  std::sort(ranked.begin(), ranked.end(), [&](uint32_t a, uint32_t b) {
    return RanksBefore(plan.rules[a], plan.rules[b]);
  });
  return ranked;
}

void UpdateStageResult(const Plan& plan, const std::vector<uint32_t>& fired,
                       expr::StageResult* result) {
  v1::Classification c;
  Conclude(plan, fired, &c);
  result->category = c.category();
  result->subcategory = c.subcategory();
  result->discipline = c.discipline();
  result->nature = c.nature();
  result->disposition = c.disposition();
  result->score = c.score();
  result->classified = c.classified();
  result->priority = 0;
  for (uint32_t r : fired) {
    if (plan.rules[r].id == c.primary_rule_id()) {
      result->priority = plan.rules[r].priority;
      break;
    }
  }
  result->secondary.clear();
  for (const auto& s : c.secondary()) {
    result->secondary.push_back(s.subcategory().empty() ? s.category()
                                                        : s.category() + "/" + s.subcategory());
  }
  result->rules.clear();
  for (uint32_t r : fired) result->rules.push_back(plan.rules[r].id);
  result->tags.assign(c.tags().begin(), c.tags().end());
}

void Conclude(const Plan& plan, const std::vector<uint32_t>& fired, v1::Classification* out) {
  std::vector<uint32_t> ranked = RankFired(plan, fired);
  const CompiledRule* primary = Primary(plan, ranked);
  std::vector<const CompiledRule*> suppliers = Suppliers(plan, ranked, primary);

  out->clear_hits();
  for (uint32_t r : fired) {  // hits in evaluation order (stage, then rule order)
    const CompiledRule& rule = plan.rules[r];
    auto* hit = out->add_hits();
    hit->set_rule_id(rule.id);
    hit->set_stage(plan.stage_names[rule.stage]);
    hit->set_priority(rule.priority);
    hit->set_score(rule.score);
    if (!rule.category.empty()) {
      hit->mutable_category()->set_category(rule.category);
      hit->mutable_category()->set_subcategory(rule.subcategory);
    }
  }

  out->set_classified(primary != nullptr);
  if (primary != nullptr) {
    out->set_category(primary->category);
    out->set_subcategory(primary->subcategory);
    out->set_primary_rule_id(primary->id);
    out->set_score(primary->score);
    double conf = primary->confidence > 0 ? primary->confidence : kDefaultConfidence;
    out->set_confidence(conf);
    out->set_needs_review(primary->needs_review || conf < kReviewBelow);
    // Secondary: other categories drawn by fired rules, in rank order, and
    // the secondary refs that fired rules name.
    // A handful of categories at most: a linear scan beats a set (and
    // allocates nothing).
    auto add_secondary = [&](const std::string& cat, const std::string& sub) {
      if (cat.empty()) return;
      if (cat == primary->category && (sub.empty() || sub == primary->subcategory)) return;
      for (const auto& s : out->secondary()) {
        if (s.category() == cat && s.subcategory() == sub) return;
      }
      auto* ref = out->add_secondary();
      ref->set_category(cat);
      ref->set_subcategory(sub);
    };
    for (uint32_t r : ranked) {
      const CompiledRule& rule = plan.rules[r];
      if (&rule != primary) add_secondary(rule.category, rule.subcategory);
    }
    for (const v1::CategoryRef& ref : primary->secondary) add_secondary(ref.category(), ref.subcategory());
    for (uint32_t r : ranked) {
      const CompiledRule& rule = plan.rules[r];
      if (&rule == primary) continue;
      for (const v1::CategoryRef& ref : rule.secondary) add_secondary(ref.category(), ref.subcategory());
    }
  }
  // A rule flagged needs_review (vague wording) flags the finding, whether or
  // not it decided the category.
  for (uint32_t r : fired) {
    if (plan.rules[r].needs_review) out->set_needs_review(true);
  }

  if (auto* r = FirstWith(suppliers, [](const CompiledRule& x) { return !x.discipline.empty(); })) {
    out->set_discipline(r->discipline);
  }
  if (auto* r = FirstWith(suppliers, [](const CompiledRule& x) { return !x.nature.empty(); })) {
    out->set_nature(r->nature);
  }
  if (auto* r = FirstWith(suppliers, [](const CompiledRule& x) { return !x.disposition.empty(); })) {
    out->set_disposition(r->disposition);
    out->set_transfer_target(r->transfer_target);
    if (r->deadline_days > 0) out->set_deadline_days(r->deadline_days);
  }
  if (out->deadline_days() == 0 && out->disposition() == "rectify_by_deadline") {
    if (auto* r = FirstWith(suppliers, [](const CompiledRule& x) { return x.deadline_days > 0; })) {
      out->set_deadline_days(r->deadline_days);
    }
  }
  const CompiledRule* basis_rule =
      (primary != nullptr && !primary->basis.empty())
          ? primary
          : FirstWith(suppliers, [](const CompiledRule& x) { return !x.basis.empty(); });
  if (basis_rule != nullptr) {
    for (const v1::Basis& b : basis_rule->basis) *out->add_basis() = b;
  }
  std::vector<const std::string*> tags;
  for (uint32_t r : fired) {
    for (const std::string& t : plan.rules[r].tags) tags.push_back(&t);
  }
  std::sort(tags.begin(), tags.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  for (size_t i = 0; i < tags.size(); ++i) {
    if (i == 0 || *tags[i] != *tags[i - 1]) out->add_tags(*tags[i]);
  }
}

void AddEvidence(const Plan& plan, Scratch& s, expr::TextOracle& oracle, v1::Classification* out) {
  std::string_view text = oracle.text();
  for (auto& hit : *out->mutable_hits()) {
    // Find the rule by id among fired rules (hits are in fired order).
    const CompiledRule* rule = nullptr;
    for (uint32_t r : s.fired) {
      if (plan.rules[r].id == hit.rule_id()) {
        rule = &plan.rules[r];
        break;
      }
    }
    if (rule == nullptr || rule->program == nullptr) continue;
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> spans;  // begin, end, predicate
    for (uint32_t pid : rule->program->predicates()) {
      if (s.predicate_cache[pid] != 1) continue;
      for (auto [b, e] : expr::PredicateSpans(*plan.predicates, pid, oracle)) {
        spans.emplace_back(b, e, pid);
      }
    }
    std::sort(spans.begin(), spans.end());
    spans.erase(std::unique(spans.begin(), spans.end(),
                            [](const auto& a, const auto& b) {
                              return std::get<0>(a) == std::get<0>(b) && std::get<1>(a) == std::get<1>(b);
                            }),
                spans.end());
    for (auto [b, e, pid] : spans) {
      auto* span = hit.add_spans();
      span->set_byte_begin(b);
      span->set_byte_end(e);
      span->set_char_begin(oracle.CharIndex(b));
      span->set_char_end(oracle.CharIndex(e));
      span->set_text(std::string(text.substr(b, e - b)));
      const expr::TextPredicate& p = plan.predicates->predicate(pid);
      span->set_atom(p.kind == expr::PredicateKind::kMatches ? plan.predicates->regex(p.regex_id).pattern()
                                                             : std::string(text.substr(b, e - b)));
    }
  }
}

}  // namespace xuncha::match_internal
