// RuleSetDiffer: how the conclusions on a corpus change from one rule set to
// another, and how each rule's hit count moves.

#include <algorithm>
#include <iterator>
#include <sstream>

#include "base/utf8.h"
#include "tools/format.h"
#include "tools/json_writer.h"
#include "xuncha/tools.h"

namespace xuncha {
namespace {

using tools_internal::Join;
using tools_internal::JsonWriter;
using tools_internal::WriteRuleSet;
using tools_internal::PadLeft;
using tools_internal::TextPrefix;

constexpr const char* kFields[] = {"category", "subcategory", "disposition", "discipline", "nature"};

std::string Field(const v1::Classification& c, size_t i) {
  switch (i) {
    case 0: return c.classified() ? c.category() : "(unclassified)";
    case 1: return c.subcategory();
    case 2: return c.disposition();
    case 3: return c.discipline();
    default: return c.nature();
  }
}

std::string Shown(const std::string& s) { return s.empty() ? "-" : s; }


}  // namespace

RuleSetDiffer::RuleSetDiffer(const v1::RuleSet& old_rules, const v1::RuleSet& new_rules) {
  for (const v1::Rule& r : old_rules.rule()) {
    RuleHitDelta& d = rules_[r.id()];
    d.rule_id = r.id();
    d.in_old = true;
  }
  for (const v1::Rule& r : new_rules.rule()) {
    RuleHitDelta& d = rules_[r.id()];
    d.rule_id = r.id();
    d.in_new = true;
  }
}

void RuleSetDiffer::Add(const v1::Finding& finding, const v1::Classification& before,
                        const v1::Classification& after) {
  ++report_.findings;
  for (const v1::RuleHit& h : before.hits()) {
    RuleHitDelta& d = rules_[h.rule_id()];
    d.rule_id = h.rule_id();
    ++d.before;
  }
  for (const v1::RuleHit& h : after.hits()) {
    RuleHitDelta& d = rules_[h.rule_id()];
    d.rule_id = h.rule_id();
    ++d.after;
  }
  FindingChange change;
  for (size_t i = 0; i < std::size(kFields); ++i) {
    std::string b = Field(before, i), a = Field(after, i);
    if (a == b) continue;
    change.changes.push_back({kFields[i], b, a});
    ++report_.changed_by_field[kFields[i]];
  }
  if (change.changes.empty()) return;
  ++report_.changed;
  change.finding_id = finding.id();
  change.text = finding.text();
  change.primary_before = before.primary_rule_id();
  change.primary_after = after.primary_rule_id();
  for (const v1::RuleHit& h : before.hits()) change.rules_before.push_back(h.rule_id());
  for (const v1::RuleHit& h : after.hits()) change.rules_after.push_back(h.rule_id());
  report_.changes.push_back(std::move(change));
}

DiffReport RuleSetDiffer::Finish() const {
  DiffReport r = report_;
  for (const auto& [id, d] : rules_) {
    if (d.in_old && !d.in_new) ++r.rules_removed;
    if (!d.in_old && d.in_new) ++r.rules_added;
    if (d.in_old && d.in_new && d.before != d.after) ++r.rules_changed;
    if (d.in_old != d.in_new || d.before != d.after) r.rules.push_back(d);
  }
  return r;
}

std::string FormatDiffReport(const DiffReport& r, size_t max_changes) {
  std::ostringstream os;
  size_t shown = std::min(max_changes, r.changes.size());
  os << "changed conclusions: " << r.changes.size() << " findings (showing " << shown << ")\n";
  for (size_t i = 0; i < shown; ++i) {
    const FindingChange& c = r.changes[i];
    os << "  " << (c.finding_id.empty() ? "(no id)" : c.finding_id) << "  "
       << TextPrefix(c.text, 60) << "\n";
    for (const ConclusionChange& f : c.changes) {
      os << "    " << utf8::PadRight(f.field + ":", 13) << Shown(f.before) << " → " << Shown(f.after)
         << "\n";
    }
    os << "    " << utf8::PadRight("rules:", 13) << "old [" << Join(c.rules_before) << "]"
       << (c.primary_before.empty() ? "" : " primary " + c.primary_before) << "\n"
       << "    " << utf8::PadRight("", 13) << "new [" << Join(c.rules_after) << "]"
       << (c.primary_after.empty() ? "" : " primary " + c.primary_after) << "\n";
  }
  os << "\nrule hit counts (" << r.rules_added << " added, " << r.rules_removed << " removed, "
     << r.rules_changed << " changed):\n";
  size_t width = 4;
  for (const RuleHitDelta& d : r.rules) width = std::max(width, utf8::DisplayWidth(d.rule_id));
  for (const RuleHitDelta& d : r.rules) {
    std::string note = !d.in_old ? "  (added)" : !d.in_new ? "  (removed)" : "";
    int64_t delta = d.after - d.before;
    os << "  " << utf8::PadRight(d.rule_id, width) << PadLeft(std::to_string(d.before), 7) << " → "
       << PadLeft(std::to_string(d.after), 7) << PadLeft((delta > 0 ? "+" : "") + std::to_string(delta), 8)
       << note << "\n";
  }
  os << "\nsummary: " << r.findings << " findings, " << r.changed << " changed";
  for (const char* f : kFields) {
    auto it = r.changed_by_field.find(f);
    if (it != r.changed_by_field.end()) os << "; " << f << " " << it->second;
  }
  os << "\n";
  return os.str();
}

std::string DiffReportToJson(const DiffReport& r) {
  JsonWriter j;
  j.BeginObject();
  WriteRuleSet(j, "old_rules", r.old_rules);
  WriteRuleSet(j, "new_rules", r.new_rules);
  j.Key("findings").Int(r.findings);
  j.Key("changed").Int(r.changed);
  j.Key("changed_by_field").BeginObject();
  for (const auto& [f, n] : r.changed_by_field) j.Key(f).Int(n);
  j.EndObject();
  j.Key("rules_added").Int(r.rules_added);
  j.Key("rules_removed").Int(r.rules_removed);
  j.Key("rules_changed").Int(r.rules_changed);
  j.Key("rules").BeginArray();
  for (const RuleHitDelta& d : r.rules) {
    j.BeginObject();
    j.Key("rule_id").String(d.rule_id);
    j.Key("in_old").Bool(d.in_old);
    j.Key("in_new").Bool(d.in_new);
    j.Key("before").Int(d.before);
    j.Key("after").Int(d.after);
    j.EndObject();
  }
  j.EndArray();
  j.Key("changes").BeginArray();
  for (const FindingChange& c : r.changes) {
    j.BeginObject();
    j.Key("finding_id").String(c.finding_id);
    j.Key("changes").BeginArray();
    for (const ConclusionChange& f : c.changes) {
      j.BeginObject();
      j.Key("field").String(f.field);
      j.Key("before").String(f.before);
      j.Key("after").String(f.after);
      j.EndObject();
    }
    j.EndArray();
    j.Key("primary_before").String(c.primary_before);
    j.Key("primary_after").String(c.primary_after);
    j.Key("rules_before").StringArray(c.rules_before);
    j.Key("rules_after").StringArray(c.rules_after);
    j.Key("text").String(c.text);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.Finish();
}

}  // namespace xuncha
