// Reconcile(): see include/xuncha/reconcile.h for the scoring and the
// assignment rule.

#include "xuncha/reconcile.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <unordered_set>

#include "base/utf8.h"
#include "patterns/text.h"
#include "xuncha/patterns.h"
#include "xuncha/taxonomy.h"

namespace xuncha {

namespace {

using patterns_internal::ContentChars;

// How a unit refers to itself in its own list, and how inspectors refer to it.
constexpr std::u32string_view kSelfReferences[] = {U"我公司", U"本公司", U"我单位", U"本单位",
                                                   U"该公司", U"该单位", U"我部", U"本部门"};

void EraseAll(std::u32string* s, std::u32string_view what) {
  if (what.empty()) return;
  for (size_t at = s->find(what); at != std::u32string::npos; at = s->find(what, at)) {
    s->erase(at, what.size());
  }
}

struct Side {
  const v1::ClassifiedFinding* cf;
  std::vector<uint64_t> grams;  // sorted distinct
  std::set<std::string> counterparties;
  int64_t amount = 0;
  bool classified = false;
};

Side Prepare(const v1::ClassifiedFinding& cf, int n) {
  Side s;
  s.cf = &cf;
  const v1::Finding& f = cf.finding();
  std::u32string chars = ContentChars(f.text());
  EraseAll(&chars, ContentChars(f.unit().name()));
  for (std::u32string_view self : kSelfReferences) EraseAll(&chars, self);
  if (n < 1) n = 1;
  if (!chars.empty()) {
    size_t width = std::min<size_t>(n, chars.size());
    for (size_t i = 0; i + width <= chars.size(); ++i) {
      uint64_t h = 0xcbf29ce484222325ULL;
      for (size_t j = 0; j < width; ++j) h = (h ^ chars[i + j]) * 0x100000001b3ULL;
      s.grams.push_back(h);
    }
    std::sort(s.grams.begin(), s.grams.end());
    s.grams.erase(std::unique(s.grams.begin(), s.grams.end()), s.grams.end());
  }
  for (const v1::Counterparty& c : f.counterparties()) {
    std::string key = NormalizeCounterpartyName(c.name());
    if (!key.empty()) s.counterparties.insert(key);
  }
  s.amount = cf.classification().amount().fen() != 0 ? cf.classification().amount().fen()
                                                      : f.amount().fen();
  s.classified = cf.classification().classified() && !cf.classification().category().empty();
  return s;
}

double Cosine(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty() || b.empty()) return 0.0;
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / std::sqrt(static_cast<double>(a.size()) * b.size());
}

struct Candidate {
  double score = 0;
  size_t a = 0, b = 0;  // indices into the two sides
  v1::ReconcileMatch match;
};

Candidate Score(const Side& x, const Side& y, const ReconcileOptions& o) {
  Candidate c;
  v1::ReconcileMatch& m = c.match;
  const double text = Cosine(x.grams, y.grams);
  double sum = o.text_weight * text, weight = o.text_weight;
  if (text >= 0.5) {
    m.add_reasons("text_similar 文字相近");
  } else if (text >= 0.25) {
    m.add_reasons("text_related 文字部分相近");
  }
  if (x.amount > 0 && y.amount > 0) {
    double ratio = static_cast<double>(std::min(x.amount, y.amount)) /
                   static_cast<double>(std::max(x.amount, y.amount));
    // Only nearly equal amounts are evidence: 0.95 -> 0.66, 0.75 -> 0.10.
    sum += o.amount_weight * std::pow(ratio, 8);
    weight += o.amount_weight;
    if (x.amount == y.amount) {
      m.add_reasons("same_amount 金额一致");
    } else if (ratio >= 0.8) {
      m.add_reasons("amount_close 金额相近");
    } else {
      m.add_reasons("amount_differs 金额不一致");
    }
  }
  const v1::Classification& cx = x.cf->classification();
  const v1::Classification& cy = y.cf->classification();
  if (x.classified && y.classified) {
    double agree = 0;
    if (cx.category() == cy.category()) {
      bool same_sub = cx.subcategory() == cy.subcategory();
      bool sub_conflict = !same_sub && !cx.subcategory().empty() && !cy.subcategory().empty();
      agree = same_sub ? 1.0 : 0.5;
      m.add_reasons(same_sub ? "same_subcategory 子类一致"
                             : (sub_conflict ? "subcategory_differs 子类不一致"
                                             : "same_category 类别一致"));
      m.set_category_disagrees(sub_conflict);
    } else {
      m.add_reasons("category_differs 类别不一致");
      m.set_category_disagrees(true);
    }
    // Agreement is evidence; disagreement is not counter-evidence, because
    // finding the facts the two sides qualify differently is the point of
    // the exercise: then the signal is left out of the mean.
    if (cx.category() == cy.category()) {
      sum += o.category_weight * agree;
      weight += o.category_weight;
    }
  }
  if (!x.counterparties.empty() && !y.counterparties.empty()) {
    bool shared = false;
    for (const std::string& n : x.counterparties) shared = shared || y.counterparties.count(n) > 0;
    sum += shared ? o.counterparty_weight : 0.0;
    weight += o.counterparty_weight;
    if (shared) m.add_reasons("shared_counterparty 涉及同一相对方");
  }
  c.score = weight > 0 ? sum / weight : 0.0;
  m.set_inspector_finding_id(x.cf->finding().id());
  m.set_unit_finding_id(y.cf->finding().id());
  m.set_unit_id(x.cf->finding().unit().id());
  m.set_confidence(std::round(c.score * 1e4) / 1e4);
  m.set_text_similarity(std::round(text * 1e4) / 1e4);
  if (x.classified) {
    m.mutable_inspector_category()->set_category(cx.category());
    m.mutable_inspector_category()->set_subcategory(cx.subcategory());
  }
  if (y.classified) {
    m.mutable_unit_category()->set_category(cy.category());
    m.mutable_unit_category()->set_subcategory(cy.subcategory());
  }
  return c;
}

Status CheckIds(const std::vector<v1::ClassifiedFinding>& list, const char* which) {
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string& id = list[i].finding().id();
    if (id.empty()) {
      return InvalidArgumentError(std::string(which) + " finding " + std::to_string(i + 1) +
                                  " has no id");
    }
    if (!seen.insert(id).second) {
      return InvalidArgumentError(std::string(which) + " finding id \"" + id + "\" repeats");
    }
  }
  return Status::OK();
}

std::string Excerpt(const v1::ClassifiedFinding& cf) {
  return utf8::Truncate(cf.finding().text(), 40);
}

std::string CategoryLabel(const v1::CategoryRef& c) {
  if (c.category().empty()) return "未定性";
  std::string out(CategoryName(c.category()));
  if (!c.subcategory().empty()) out += "/" + std::string(SubcategoryName(c.category(), c.subcategory()));
  return out;
}

}  // namespace

StatusOr<v1::Reconciliation> Reconcile(const std::vector<v1::ClassifiedFinding>& inspectors,
                                       const std::vector<v1::ClassifiedFinding>& unit,
                                       const ReconcileOptions& options) {
  XUNCHA_RETURN_IF_ERROR(CheckIds(inspectors, "inspectors'"));
  XUNCHA_RETURN_IF_ERROR(CheckIds(unit, "unit's"));
  std::vector<Side> xs, ys;
  for (const auto& cf : inspectors) xs.push_back(Prepare(cf, options.shingle_chars));
  for (const auto& cf : unit) ys.push_back(Prepare(cf, options.shingle_chars));

  std::map<std::string, std::vector<size_t>> unit_side;  // unit id -> ys
  for (size_t j = 0; j < ys.size(); ++j) unit_side[unit[j].finding().unit().id()].push_back(j);
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < xs.size(); ++i) {
    auto it = unit_side.find(inspectors[i].finding().unit().id());
    if (it == unit_side.end()) continue;
    for (size_t j : it->second) {
      Candidate c = Score(xs[i], ys[j], options);
      c.a = i;
      c.b = j;
      if (c.score >= options.threshold) candidates.push_back(std::move(c));
    }
  }
  std::sort(candidates.begin(), candidates.end(), [&](const Candidate& p, const Candidate& q) {
    if (p.score != q.score) return p.score > q.score;
    return std::tie(p.match.inspector_finding_id(), p.match.unit_finding_id()) <
           std::tie(q.match.inspector_finding_id(), q.match.unit_finding_id());
  });
  std::vector<bool> used_x(xs.size()), used_y(ys.size());
  std::vector<v1::ReconcileMatch> matches;
  for (Candidate& c : candidates) {
    if (used_x[c.a] || used_y[c.b]) continue;
    used_x[c.a] = used_y[c.b] = true;
    matches.push_back(std::move(c.match));
  }
  std::sort(matches.begin(), matches.end(), [](const auto& p, const auto& q) {
    return p.inspector_finding_id() < q.inspector_finding_id();
  });

  v1::Reconciliation out;
  out.set_inspector_findings(static_cast<int32_t>(xs.size()));
  out.set_unit_findings(static_cast<int32_t>(ys.size()));
  out.set_threshold(options.threshold);
  std::vector<v1::AgendaItem> agenda;
  for (const v1::ReconcileMatch& m : matches) {
    *out.add_matches() = m;
    if (m.category_disagrees()) {
      *out.add_category_disagreements() = m;
      v1::AgendaItem& a = agenda.emplace_back();
      a.set_kind("category_disagrees");
      a.set_unit_id(m.unit_id());
      a.set_inspector_finding_id(m.inspector_finding_id());
      a.set_unit_finding_id(m.unit_finding_id());
      a.set_note("定性不一致：巡察组认定为" + CategoryLabel(m.inspector_category()) + "，单位认定为" +
                 CategoryLabel(m.unit_category()));
    } else if (m.confidence() < options.low_confidence) {
      v1::AgendaItem& a = agenda.emplace_back();
      a.set_kind("low_confidence");
      a.set_unit_id(m.unit_id());
      a.set_inspector_finding_id(m.inspector_finding_id());
      a.set_unit_finding_id(m.unit_finding_id());
      a.set_note("对应关系存疑（匹配度" + patterns_internal::FormatNumber(m.confidence()) +
                 "），请双方核对是否为同一问题");
    }
  }
  std::vector<std::string> only_x, only_y;
  for (size_t i = 0; i < xs.size(); ++i) {
    if (used_x[i]) continue;
    only_x.push_back(inspectors[i].finding().id());
    v1::AgendaItem& a = agenda.emplace_back();
    a.set_kind("inspector_only");
    a.set_unit_id(inspectors[i].finding().unit().id());
    a.set_inspector_finding_id(inspectors[i].finding().id());
    a.set_note("巡察组提出、单位未列：" + Excerpt(inspectors[i]));
  }
  for (size_t j = 0; j < ys.size(); ++j) {
    if (used_y[j]) continue;
    only_y.push_back(unit[j].finding().id());
    v1::AgendaItem& a = agenda.emplace_back();
    a.set_kind("unit_only");
    a.set_unit_id(unit[j].finding().unit().id());
    a.set_unit_finding_id(unit[j].finding().id());
    a.set_note("单位自查提出、巡察组未列：" + Excerpt(unit[j]));
  }
  std::sort(only_x.begin(), only_x.end());
  std::sort(only_y.begin(), only_y.end());
  for (auto& id : only_x) out.add_inspector_only(id);
  for (auto& id : only_y) out.add_unit_only(id);
  static const std::map<std::string, int> kOrder = {
      {"inspector_only", 0}, {"unit_only", 1}, {"category_disagrees", 2}, {"low_confidence", 3}};
  std::sort(agenda.begin(), agenda.end(), [](const v1::AgendaItem& p, const v1::AgendaItem& q) {
    return std::make_tuple(p.unit_id(), kOrder.at(p.kind()), p.inspector_finding_id(),
                           p.unit_finding_id()) <
           std::make_tuple(q.unit_id(), kOrder.at(q.kind()), q.inspector_finding_id(),
                           q.unit_finding_id());
  });
  for (auto& a : agenda) *out.add_agenda() = std::move(a);
  return out;
}

}  // namespace xuncha
