// CoverageCounter: hits per rule, rules that never fire, findings no rule
// classifies, rules that fire together, and which taxonomy subcategories the
// rules reach.
//
// Overlaps are found from co-occurrence counts (for each finding, every pair
// of rules that fired on it), so the cost is the sum over findings of
// (rules fired)², not rules² × findings.

#include <algorithm>
#include <sstream>

#include "base/utf8.h"
#include "tools/format.h"
#include "tools/json_writer.h"
#include "xuncha/taxonomy.h"
#include "xuncha/tools.h"

namespace xuncha {
namespace {

using tools_internal::Fixed;
using tools_internal::JsonWriter;
using tools_internal::WriteRuleSet;
using tools_internal::PadLeft;
using tools_internal::TextPrefix;


}  // namespace

CoverageCounter::CoverageCounter(const v1::RuleSet& rules) {
  for (const v1::Rule& r : rules.rule()) {
    if (rule_index_.count(r.id()) != 0) continue;
    size_t i = rules_.size();
    rule_index_[r.id()] = i;
    rules_.push_back({r.id(), r.category(), r.subcategory(), 0});
    std::set<std::pair<std::string, std::string>> concluded;
    if (!r.category().empty()) concluded.insert({r.category(), r.subcategory()});
    for (const v1::CategoryRef& s : r.secondary()) concluded.insert({s.category(), s.subcategory()});
    for (const auto& key : concluded) {
      if (!key.second.empty()) by_subcategory_[key].push_back(i);
    }
  }
  hit_sets_.resize(rules_.size());
}

void CoverageCounter::Add(const v1::Finding& finding, const v1::Classification& c) {
  int64_t n = findings_++;
  if (c.classified()) {
    ++classified_;
  } else {
    unclassified_.push_back({finding.id(), finding.text()});
  }
  for (const v1::RuleHit& h : c.hits()) {
    auto it = rule_index_.find(h.rule_id());
    if (it == rule_index_.end()) {  // not in the set given: count it anyway
      it = rule_index_.emplace(h.rule_id(), rules_.size()).first;
      rules_.push_back({h.rule_id(), h.category().category(), h.category().subcategory(), 0});
      hit_sets_.emplace_back();
    }
    std::vector<int64_t>& hits = hit_sets_[it->second];
    if (hits.empty() || hits.back() != n) hits.push_back(n);
  }
}

CoverageReport CoverageCounter::Finish() const {
  CoverageReport r;
  r.findings = findings_;
  r.classified = classified_;
  r.unclassified = unclassified_;
  for (size_t i = 0; i < rules_.size(); ++i) {
    RuleCoverage rc = rules_[i];
    rc.hits = static_cast<int64_t>(hit_sets_[i].size());
    if (rc.hits == 0) r.never_fired.push_back(rc.rule_id);
    r.rules.push_back(std::move(rc));
  }
  std::stable_sort(r.rules.begin(), r.rules.end(), [](const RuleCoverage& a, const RuleCoverage& b) {
    if (a.hits != b.hits) return a.hits > b.hits;
    return a.rule_id < b.rule_id;
  });

  // Co-occurrence: per finding, the rules that fired on it.
  std::vector<std::vector<size_t>> fired(static_cast<size_t>(findings_));
  for (size_t i = 0; i < hit_sets_.size(); ++i) {
    for (int64_t f : hit_sets_[i]) fired[static_cast<size_t>(f)].push_back(i);
  }
  std::map<std::pair<size_t, size_t>, int64_t> both;
  for (const auto& rs : fired) {
    for (size_t x = 0; x < rs.size(); ++x) {
      for (size_t y = x + 1; y < rs.size(); ++y) ++both[{rs[x], rs[y]}];
    }
  }
  for (const auto& [pair, n] : both) {
    int64_t a = static_cast<int64_t>(hit_sets_[pair.first].size());
    int64_t b = static_cast<int64_t>(hit_sets_[pair.second].size());
    double jaccard = static_cast<double>(n) / static_cast<double>(a + b - n);
    bool identical = n == a && n == b;
    if (!identical && !(jaccard >= kOverlapJaccard && std::min(a, b) >= kOverlapMinHits)) continue;
    RuleOverlap o;
    o.a = rules_[pair.first].rule_id;
    o.b = rules_[pair.second].rule_id;
    o.hits_a = a;
    o.hits_b = b;
    if (o.b < o.a) {
      std::swap(o.a, o.b);
      std::swap(o.hits_a, o.hits_b);
    }
    o.both = n;
    o.jaccard = jaccard;
    o.identical = identical;
    r.overlaps.push_back(std::move(o));
  }
  std::sort(r.overlaps.begin(), r.overlaps.end(), [](const RuleOverlap& x, const RuleOverlap& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });

  for (const CategoryInfo& cat : Taxonomy()) {
    for (const TaxonomyEntry& sub : cat.subcategories) {
      SubcategoryCoverage sc;
      sc.category = std::string(cat.id);
      sc.subcategory = std::string(sub.id);
      auto it = by_subcategory_.find({sc.category, sc.subcategory});
      if (it != by_subcategory_.end()) {
        sc.rules = static_cast<int>(it->second.size());
        std::set<int64_t> findings;
        for (size_t i : it->second) findings.insert(hit_sets_[i].begin(), hit_sets_[i].end());
        sc.hits = static_cast<int64_t>(findings.size());
      }
      r.taxonomy.push_back(std::move(sc));
    }
  }
  return r;
}

std::string FormatCoverageReport(const CoverageReport& r, size_t max_unclassified) {
  std::ostringstream os;
  os << r.findings << " findings, " << r.classified << " classified, " << r.unclassified.size()
     << " unclassified; " << r.rules.size() << " rules, " << r.never_fired.size()
     << " never fire\n";
  os << "\nhits per rule:\n";
  size_t width = 4;
  for (const RuleCoverage& rc : r.rules) width = std::max(width, utf8::DisplayWidth(rc.rule_id));
  for (const RuleCoverage& rc : r.rules) {
    std::string concl = rc.category.empty() ? "-" : rc.category;
    if (!rc.subcategory.empty()) concl += "/" + rc.subcategory;
    os << "  " << utf8::PadRight(rc.rule_id, width) << PadLeft(std::to_string(rc.hits), 7) << "  "
       << concl << "\n";
  }
  os << "\nrules that never fire: " << r.never_fired.size() << "\n";
  for (const std::string& id : r.never_fired) os << "  " << id << "\n";

  size_t shown = std::min(max_unclassified, r.unclassified.size());
  os << "\nfindings no rule classifies: " << r.unclassified.size() << " (showing " << shown << ")\n";
  for (size_t i = 0; i < shown; ++i) {
    const UnclassifiedFinding& u = r.unclassified[i];
    os << "  " << (u.finding_id.empty() ? "(no id)" : u.finding_id) << "  " << TextPrefix(u.text, 60)
       << "\n";
  }

  os << "\nrules that fire together (identical hit sets, or Jaccard ≥ "
     << Fixed(CoverageCounter::kOverlapJaccard, 2) << " with ≥ " << CoverageCounter::kOverlapMinHits
     << " hits each): " << r.overlaps.size() << "\n";
  for (const RuleOverlap& o : r.overlaps) {
    os << "  " << o.a << " & " << o.b << ": " << o.both << " together of " << o.hits_a << " / "
       << o.hits_b << (o.identical ? " (identical)" : " (Jaccard " + Fixed(o.jaccard) + ")") << "\n";
  }

  size_t no_rule = 0, no_hit = 0;
  for (const SubcategoryCoverage& s : r.taxonomy) {
    if (s.rules == 0) ++no_rule;
    else if (s.hits == 0) ++no_hit;
  }
  os << "\ntaxonomy: " << r.taxonomy.size() << " subcategories, " << (r.taxonomy.size() - no_rule)
     << " with rules, " << no_rule << " without any rule, " << no_hit << " with rules but no hit\n";
  // One line per category: the subcategories without a rule, then those
  // whose rules never fired.
  auto listing = [&](std::string_view title, bool (*pick)(const SubcategoryCoverage&)) {
    os << "  " << title << ":\n";
    std::string current;
    std::vector<std::string> ids;
    auto flush = [&] {
      if (!ids.empty()) {
        os << "    " << current << " " << CategoryName(current) << ": "
           << tools_internal::Join(ids) << "\n";
      }
      ids.clear();
    };
    bool any = false;
    for (const SubcategoryCoverage& s : r.taxonomy) {
      if (!pick(s)) continue;
      any = true;
      if (s.category != current) {
        flush();
        current = s.category;
      }
      ids.push_back(s.subcategory);
    }
    flush();
    if (!any) os << "    (none)\n";
  };
  listing("without any rule", [](const SubcategoryCoverage& s) { return s.rules == 0; });
  listing("with rules but no hit",
          [](const SubcategoryCoverage& s) { return s.rules > 0 && s.hits == 0; });
  return os.str();
}

std::string CoverageReportToJson(const CoverageReport& r) {
  JsonWriter j;
  j.BeginObject();
  WriteRuleSet(j, "rule_set", r.rule_set);
  j.Key("findings").Int(r.findings);
  j.Key("classified").Int(r.classified);
  j.Key("rules").BeginArray();
  for (const RuleCoverage& rc : r.rules) {
    j.BeginObject();
    j.Key("rule_id").String(rc.rule_id);
    j.Key("category").String(rc.category);
    j.Key("subcategory").String(rc.subcategory);
    j.Key("hits").Int(rc.hits);
    j.EndObject();
  }
  j.EndArray();
  j.Key("never_fired").StringArray(r.never_fired);
  j.Key("unclassified").BeginArray();
  for (const UnclassifiedFinding& u : r.unclassified) {
    j.BeginObject();
    j.Key("finding_id").String(u.finding_id);
    j.Key("text").String(u.text);
    j.EndObject();
  }
  j.EndArray();
  j.Key("overlap_rule").String("identical non-empty hit sets, or jaccard >= 0.95 with >= 5 hits each");
  j.Key("overlaps").BeginArray();
  for (const RuleOverlap& o : r.overlaps) {
    j.BeginObject();
    j.Key("a").String(o.a);
    j.Key("b").String(o.b);
    j.Key("hits_a").Int(o.hits_a);
    j.Key("hits_b").Int(o.hits_b);
    j.Key("both").Int(o.both);
    j.Key("jaccard").Double(o.jaccard);
    j.Key("identical").Bool(o.identical);
    j.EndObject();
  }
  j.EndArray();
  j.Key("taxonomy").BeginArray();
  for (const SubcategoryCoverage& s : r.taxonomy) {
    j.BeginObject();
    j.Key("category").String(s.category);
    j.Key("subcategory").String(s.subcategory);
    j.Key("rules").Int(s.rules);
    j.Key("hits").Int(s.hits);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.Finish();
}

}  // namespace xuncha
