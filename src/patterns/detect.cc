// PatternAccumulator::Finish: the seven pattern kinds over the accumulated
// state, and the common-problems list.
//
// Design notes.
// * Every kind works on pool indices for speed but sorts its output by
//   strings (unit ids, finding ids, categories), so reports do not depend on
//   the order findings arrived in. Near-duplicate clustering is the one
//   order-sensitive step (union-find skips pairs already joined); it runs
//   over the canonical finding order (accumulator.h).
// * Unit-based kinds ignore findings without a unit id: they cannot be
//   attributed. Category-based kinds ignore unclassified findings.
// * Primary categories only; secondary categories do not form patterns.

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "patterns/accumulator.h"
#include "patterns/text.h"
#include "xuncha/taxonomy.h"

namespace xuncha {

using patterns_internal::FormatMoney;
using patterns_internal::FormatNumber;
using patterns_internal::FormatPercent;
using patterns_internal::Record;
using patterns_internal::UnitInfo;

namespace {

// Defaults of DOMAIN.md §6 and include/xuncha/patterns.h.
constexpr int kDefaultMinUnits = 3;
constexpr double kDefaultMinUnitShare = 0.2;
constexpr int kDefaultMinFindings = 3;
constexpr double kDefaultMinLineShare = 0.5;
constexpr int kDefaultCounterpartyMinUnits = 2;
constexpr double kDefaultSimilarity = 0.8;
constexpr int kDefaultShingleChars = 3;
constexpr int kDefaultMinPeerGroup = 5;
constexpr double kDefaultIqrK = 1.5;
constexpr int kDefaultOutlierMinFindings = 2;
constexpr double kSignatureSlack = 0.3;
constexpr int64_t kDefaultThresholdFen = 200000000;  // 200万元
constexpr const char* kDefaultItemAttr = "物资类别";
constexpr const char* kDefaultMethodAttr = "采购方式";
constexpr const char* kDefaultOpenMethod = "公开招标";
constexpr const char* kContractAttr = "合同编号";

template <typename T>
T Or(T value, T fallback) {
  return value > 0 ? value : fallback;
}

std::string DefaultFix(std::string_view category) {
  static const std::map<std::string_view, std::string_view> kFixes = {
      {"bidding", "健全招标管理制度，明确必须招标项目范围和标段划分规则，加强招标全过程监督和廉洁风险防控"},
      {"project_mgmt", "完善工程项目全过程管理制度，严格变更签证、结算审核和工程款支付审批"},
      {"procurement", "健全采购管理制度，落实集中采购和公开采购要求，强化需求、比价、验收等关键环节控制"},
      {"payroll", "规范薪酬和津补贴发放，严格执行工资总额管理，清理自设名目项目"},
      {"eight_point", "严格执行中央八项规定精神及实施细则，健全公务接待、公务用车、差旅等管理制度"},
      {"one_post_two_resp", "压实主体责任和一岗双责，建立责任清单，加强监督检查和问责"},
      {"personnel", "严格执行干部选拔任用和招聘工作程序，加强干部档案审核和日常监督"},
      {"political_leadership", "完善党委前置研究讨论重大事项清单，严格执行“三重一大”决策制度"},
      {"party_building", "规范基层党组织建设，严格落实“三会一课”等组织生活制度，杜绝形式主义"},
      {"finance", "健全财务管理和内部控制制度，严肃财经纪律，加强会计核算和报销审核"},
      {"assets", "健全国有资产管理和投资决策制度，严格资产处置评估和出租出借审批"},
      {"integrity", "加强廉洁风险防控，严格执行关联交易和利益冲突回避规定，开展警示教育"},
      {"rectification", "建立整改台账和销号管理制度，开展整改“回头看”，防止反弹回潮"},
      {"other", "建立健全相关制度，加强日常监督检查，举一反三抓好整改"},
  };
  auto it = kFixes.find(category);
  return std::string(it == kFixes.end() ? kFixes.at("other") : it->second);
}

// The Chinese name of a category key: the subcategory's name, or
// "<category>方面" when the key is a whole category.
std::string KeyName(std::string_view category, std::string_view subcategory) {
  if (!subcategory.empty()) return std::string(SubcategoryName(category, subcategory));
  return std::string(CategoryName(category)) + "方面";
}

struct SortablePattern {
  std::vector<std::string> key;
  v1::Pattern pattern;
};

class Detector {
 public:
  Detector(const PatternAccumulator::Rep& rep, const FinishOptions& options)
      : r_(rep), options_(options) {
    for (const auto& [id, info] : r_.units) {
      if (!S(id).empty()) inspected_.insert(S(id));
    }
    for (const std::string& id : options_.inspected_unit_ids) {
      if (!id.empty()) given_inspected_.insert(id);
    }
    // Display names of counterparties: the most frequent spelling.
    for (const auto& [key, count] : r_.spellings) {
      auto [it, inserted] = spelling_.try_emplace(key.first, std::make_pair(count, key.second));
      if (inserted) continue;
      auto& best = it->second;
      // Most frequent; then without spaces; then the smallest string.
      auto spaced = [&](int32_t i) { return Str(i).find(' ') != std::string::npos; };
      auto rank = [&](int64_t c, int32_t i) { return std::make_tuple(-c, spaced(i), Str(i)); };
      if (rank(count, key.second) < rank(best.first, best.second)) best = {count, key.second};
    }
  }

  int64_t UnitsInspected() const {
    return static_cast<int64_t>(given_inspected_.empty() ? inspected_.size()
                                                         : given_inspected_.size());
  }

  Status Run(const v1::PatternDef& def, std::vector<v1::Pattern>* out);

 private:
  std::string_view Str(int32_t i) const { return r_.pool.Get(i); }
  std::string S(int32_t i) const { return std::string(r_.pool.Get(i)); }
  std::string UnitLabel(int32_t unit) const {
    auto it = r_.units.find(unit);
    if (it != r_.units.end() && !S(it->second.name).empty()) return S(it->second.name);
    return S(unit);
  }
  const UnitInfo* Unit(int32_t unit) const {
    auto it = r_.units.find(unit);
    return it == r_.units.end() ? nullptr : &it->second;
  }

  // The category key of record i under `def`, or false when the record does
  // not take part (unclassified, or outside the def's restriction).
  bool CategoryKey(const v1::PatternDef& def, uint32_t i, std::pair<int32_t, int32_t>* key) const {
    const Record& rec = r_.records[i];
    if (!rec.classified) return false;
    if (!def.category().empty() && Str(rec.category) != def.category()) return false;
    if (!def.subcategory().empty() && Str(rec.subcategory) != def.subcategory()) return false;
    bool by_sub = def.by_subcategory() || !def.subcategory().empty();
    *key = {rec.category, by_sub ? rec.subcategory : 0};
    return true;
  }
  // Dense ids of the category keys of every record under `def` (-1: not
  // taking part), and the keys themselves. One pass, no per-record map.
  void DenseCategoryKeys(const v1::PatternDef& def, std::vector<int32_t>* of,
                         std::vector<std::pair<int32_t, int32_t>>* keys) const {
    const int32_t want_cat = def.category().empty() ? -2 : r_.pool.Find(def.category());
    const int32_t want_sub = def.subcategory().empty() ? -2 : r_.pool.Find(def.subcategory());
    const bool by_sub = def.by_subcategory() || !def.subcategory().empty();
    std::unordered_map<uint64_t, int32_t> dense;
    of->assign(r_.records.size(), -1);
    keys->clear();
    uint64_t last_key = ~0ULL;
    int32_t last_id = -1;
    for (size_t i = 0; i < r_.records.size(); ++i) {
      const Record& rec = r_.records[i];
      if (!rec.classified) continue;
      if (want_cat != -2 && rec.category != want_cat) continue;
      if (want_sub != -2 && rec.subcategory != want_sub) continue;
      const int32_t sub = by_sub ? rec.subcategory : 0;
      const uint64_t key = (static_cast<uint64_t>(rec.category) << 32) | static_cast<uint32_t>(sub);
      if (key != last_key) {
        auto [it, inserted] = dense.try_emplace(key, static_cast<int32_t>(keys->size()));
        if (inserted) keys->push_back({rec.category, sub});
        last_key = key;
        last_id = it->second;
      }
      (*of)[i] = last_id;
    }
  }
  // (dense key << 32 | value, record) for records taking part with a unit
  // and a nonzero value, sorted.
  template <typename ValueFn>
  std::vector<std::pair<uint64_t, uint32_t>> Keyed(const std::vector<int32_t>& of, ValueFn value) const {
    std::vector<std::pair<uint64_t, uint32_t>> out;
    for (uint32_t i = 0; i < of.size(); ++i) {
      if (of[i] < 0 || r_.records[i].unit == 0) continue;
      const int32_t v = value(i);
      if (v == 0) continue;
      out.push_back({(static_cast<uint64_t>(of[i]) << 32) | static_cast<uint32_t>(v), i});
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  // Calls fn(begin, end) for each run of equal keys under `mask`.
  template <typename Fn>
  static void Runs(const std::vector<std::pair<uint64_t, uint32_t>>& v, uint64_t mask, Fn fn) {
    for (size_t b = 0; b < v.size();) {
      size_t e = b + 1;
      while (e < v.size() && (v[e].first & mask) == (v[b].first & mask)) ++e;
      fn(b, e);
      b = e;
    }
  }
  static std::vector<uint32_t> Members(const std::vector<std::pair<uint64_t, uint32_t>>& v,
                                       size_t b, size_t e) {
    std::vector<uint32_t> out;
    out.reserve(e - b);
    for (size_t i = b; i < e; ++i) out.push_back(v[i].second);
    return out;
  }

  bool InScope(const v1::PatternDef& def, uint32_t i) const {
    if (def.category().empty() && def.subcategory().empty()) return true;
    std::pair<int32_t, int32_t> key;
    return CategoryKey(def, i, &key);
  }

  // Sorted distinct strings of pool indices.
  std::vector<std::string> SortedStrings(const std::vector<int32_t>& ids) const {
    std::vector<std::string> out;
    out.reserve(ids.size());
    for (int32_t id : ids) out.push_back(S(id));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  // Sorted finding ids of `members`, at most max_member_ids of them.
  std::vector<std::string> SortedFindingIds(const std::vector<uint32_t>& members,
                                            v1::Pattern* p) const {
    std::vector<std::string_view> ids;
    ids.reserve(members.size());
    for (uint32_t i : members) ids.push_back(r_.Id(i));
    const size_t cap = options_.max_member_ids > 0 ? static_cast<size_t>(options_.max_member_ids)
                                                   : ids.size();
    if (ids.size() > cap) {
      std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(cap), ids.end());
      ids.resize(cap);
      p->set_finding_ids_truncated(true);
    } else {
      std::sort(ids.begin(), ids.end());
    }
    return std::vector<std::string>(ids.begin(), ids.end());
  }
  // Fills unit_ids, finding_ids; returns the distinct unit count.
  void FillMembers(const std::vector<uint32_t>& members, v1::Pattern* p) const {
    std::vector<int32_t> units;
    for (uint32_t i : members) {
      if (r_.records[i].unit != 0) units.push_back(r_.records[i].unit);
    }
    // Distinct by index first: a group can hold a million members.
    std::sort(units.begin(), units.end());
    units.erase(std::unique(units.begin(), units.end()), units.end());
    for (std::string& u : SortedStrings(units)) p->add_unit_ids(std::move(u));
    for (std::string& f : SortedFindingIds(members, p)) p->add_finding_ids(std::move(f));
  }
  // Sets category / subcategory when every member shares them.
  void CommonCategory(const std::vector<uint32_t>& members, v1::Pattern* p) const {
    if (members.empty()) return;
    const Record& first = r_.records[members[0]];
    bool same_cat = first.classified, same_sub = first.classified;
    for (uint32_t i : members) {
      const Record& rec = r_.records[i];
      if (!rec.classified || rec.category != first.category) same_cat = same_sub = false;
      if (rec.subcategory != first.subcategory) same_sub = false;
    }
    if (same_cat) p->set_category(S(first.category));
    if (same_sub) p->set_subcategory(S(first.subcategory));
  }
  int64_t SumFen(const std::vector<uint32_t>& members) const {
    int64_t sum = 0;
    for (uint32_t i : members) sum += r_.records[i].amount_fen;
    return sum;
  }

  Status Widespread(const v1::PatternDef& def, std::vector<SortablePattern>* out);
  Status Concentrated(const v1::PatternDef& def, std::vector<SortablePattern>* out);
  Status Recurring(const v1::PatternDef& def, std::vector<SortablePattern>* out);
  Status SharedCounterparty(const v1::PatternDef& def, std::vector<SortablePattern>* out);
  Status NearDuplicate(const v1::PatternDef& def, std::vector<SortablePattern>* out);
  Status Outlier(const v1::PatternDef& def, std::vector<SortablePattern>* out);
  Status SplitPurchase(const v1::PatternDef& def, std::vector<SortablePattern>* out);

 public:
  const std::vector<PreviousRecord>* previous = nullptr;

 private:
  const PatternAccumulator::Rep& r_;
  const FinishOptions& options_;
  // The canonical order of records (accumulator.h); only near-duplicate
  // clustering depends on order, so it is computed on first use.
  const std::vector<uint32_t>& Order() {
    if (order_.empty() && !r_.records.empty()) order_ = r_.CanonicalOrder(r_.pool.Ranks());
    return order_;
  }
  std::vector<uint32_t> order_;
  std::set<std::string> inspected_;
  std::set<std::string> given_inspected_;
  std::unordered_map<int32_t, std::pair<int64_t, int32_t>> spelling_;
};

Status Detector::Run(const v1::PatternDef& def, std::vector<v1::Pattern>* out) {
  std::vector<SortablePattern> found;
  Status s;
  switch (def.kind()) {
    case v1::PATTERN_KIND_WIDESPREAD: s = Widespread(def, &found); break;
    case v1::PATTERN_KIND_CONCENTRATED: s = Concentrated(def, &found); break;
    case v1::PATTERN_KIND_RECURRING: s = Recurring(def, &found); break;
    case v1::PATTERN_KIND_SHARED_COUNTERPARTY: s = SharedCounterparty(def, &found); break;
    case v1::PATTERN_KIND_NEAR_DUPLICATE: s = NearDuplicate(def, &found); break;
    case v1::PATTERN_KIND_OUTLIER_UNIT: s = Outlier(def, &found); break;
    case v1::PATTERN_KIND_SPLIT_PURCHASE: s = SplitPurchase(def, &found); break;
    default:
      return InvalidArgumentError("pattern " + def.id() + ": unknown kind " +
                                  std::to_string(static_cast<int>(def.kind())));
  }
  XUNCHA_RETURN_IF_ERROR(s);
  std::sort(found.begin(), found.end(),
            [](const SortablePattern& a, const SortablePattern& b) { return a.key < b.key; });
  for (SortablePattern& p : found) {
    p.pattern.set_pattern_id(def.id());
    p.pattern.set_kind(def.kind());
    out->push_back(std::move(p.pattern));
  }
  return Status::OK();
}

// --- widespread ---------------------------------------------------------------

struct Group {
  std::vector<uint32_t> members;
  std::vector<int32_t> units;  // distinct after Finalize
  void Finalize() {
    std::sort(units.begin(), units.end());
    units.erase(std::unique(units.begin(), units.end()), units.end());
  }
};

Status Detector::Widespread(const v1::PatternDef& def, std::vector<SortablePattern>* out) {
  const int64_t min_units = Or(def.min_units(), kDefaultMinUnits);
  const double share = def.min_unit_share() == 0 ? kDefaultMinUnitShare : def.min_unit_share();
  const int64_t inspected = UnitsInspected();
  // Units the share asks for; 0 = share disabled (negative) or no units.
  int64_t share_units = 0;
  if (share > 0 && inspected > 0) {
    share_units = static_cast<int64_t>(std::ceil(share * static_cast<double>(inspected) - 1e-9));
  }
  std::vector<int32_t> of;
  std::vector<std::pair<int32_t, int32_t>> keys;
  DenseCategoryKeys(def, &of, &keys);
  auto keyed = Keyed(of, [&](uint32_t i) { return r_.records[i].unit; });
  std::vector<std::pair<std::pair<int32_t, int32_t>, Group>> groups;
  Runs(keyed, ~0ULL << 32, [&](size_t b, size_t e) {
    Group g;
    g.members = Members(keyed, b, e);
    for (size_t i = b; i < e; ++i) {
      if (i == b || keyed[i].first != keyed[i - 1].first) g.units.push_back(r_.records[keyed[i].second].unit);
    }
    groups.push_back({keys[keyed[b].first >> 32], std::move(g)});
  });
  for (auto& [key, g] : groups) {
    const int64_t units = static_cast<int64_t>(g.units.size());
    bool fires = units >= min_units || (share_units > 0 && units >= share_units);
    if (!fires || units < 2) continue;
    SortablePattern sp;
    v1::Pattern& p = sp.pattern;
    const std::string& cat = S(key.first);
    const std::string& sub = S(key.second);
    p.set_category(cat);
    p.set_subcategory(sub);
    FillMembers(g.members, &p);
    const int64_t sum = SumFen(g.members);
    const double unit_share = inspected > 0 ? static_cast<double>(units) / inspected : 0.0;
    auto& st = *p.mutable_stats();
    st["units"] = static_cast<double>(units);
    st["count"] = static_cast<double>(g.members.size());
    st["units_inspected"] = static_cast<double>(inspected);
    st["share"] = unit_share;
    st["sum_fen"] = static_cast<double>(sum);
    std::string summary = std::to_string(units) + "个单位存在" + KeyName(cat, sub) + "问题（共" +
                          std::to_string(g.members.size()) + "项";
    if (sum > 0) summary += "，涉及金额" + FormatMoney(sum);
    if (inspected > 0) summary += "，占受检单位的" + FormatPercent(unit_share);
    summary += "）";
    p.set_summary(summary);
    p.set_severity(units >= 2 * min_units || unit_share >= 0.5 ? "high" : "medium");
    sp.key = {cat, sub};
    out->push_back(std::move(sp));
  }
  return Status::OK();
}

// --- concentrated -------------------------------------------------------------

Status Detector::Concentrated(const v1::PatternDef& def, std::vector<SortablePattern>* out) {
  const std::string& group_by = def.group_by();
  if (!group_by.empty() && group_by != "unit" && group_by != "business_line" &&
      group_by != "unit_kind") {
    return InvalidArgumentError("pattern " + def.id() + ": group_by \"" + group_by +
                                "\" is not one of unit, business_line, unit_kind");
  }
  const int64_t k = Or(def.min_findings(), kDefaultMinFindings);
  const double line_share = def.min_line_share() == 0 ? kDefaultMinLineShare : def.min_line_share();
  enum { kUnit, kLine, kKind } by = group_by == "business_line" ? kLine
                                    : group_by == "unit_kind"   ? kKind
                                                                : kUnit;
  std::vector<int32_t> of;
  std::vector<std::pair<int32_t, int32_t>> keys;
  DenseCategoryKeys(def, &of, &keys);
  std::vector<int64_t> totals(keys.size(), 0);
  for (uint32_t i = 0; i < of.size(); ++i) {
    if (of[i] >= 0 && r_.records[i].unit != 0) ++totals[of[i]];
  }
  // A unit without a known line / kind is not attributable (value 0).
  auto keyed = Keyed(of, [&](uint32_t i) {
    const int32_t unit = r_.records[i].unit;
    if (by == kUnit) return unit;
    const UnitInfo* u = Unit(unit);
    return u == nullptr ? 0 : (by == kLine ? u->business_line : u->kind);
  });
  struct Found {
    int32_t dense, value;
    Group g;
  };
  std::vector<Found> groups;
  Runs(keyed, ~0ULL, [&](size_t b, size_t e) {
    Found f{static_cast<int32_t>(keyed[b].first >> 32), static_cast<int32_t>(keyed[b].first & 0xffffffffu), {}};
    f.g.members = Members(keyed, b, e);
    for (uint32_t i : f.g.members) f.g.units.push_back(r_.records[i].unit);
    groups.push_back(std::move(f));
  });
  for (auto& [dense, value, g] : groups) {
    g.Finalize();
    auto [cat_i, sub_i] = keys[dense];
    const int64_t count = static_cast<int64_t>(g.members.size());
    const int64_t total = totals[dense];
    const double share = static_cast<double>(count) / static_cast<double>(total);
    bool by_share = line_share > 0 && total >= k && count >= 2 && share >= line_share - 1e-12;
    if (count < k && !by_share) continue;
    SortablePattern sp;
    v1::Pattern& p = sp.pattern;
    const std::string& cat = S(cat_i);
    const std::string& sub = S(sub_i);
    p.set_category(cat);
    p.set_subcategory(sub);
    FillMembers(g.members, &p);
    if (by != kUnit) p.set_group(S(value));
    const int64_t sum = SumFen(g.members);
    auto& st = *p.mutable_stats();
    st["count"] = static_cast<double>(count);
    st["total"] = static_cast<double>(total);
    st["share"] = share;
    st["units"] = static_cast<double>(g.units.size());
    st["sum_fen"] = static_cast<double>(sum);
    std::string who = by == kUnit   ? UnitLabel(value)
                      : by == kLine ? S(value) + "板块"
                                    : S(value) + "类单位";
    std::string summary = who + "存在" + KeyName(cat, sub) + "问题" + std::to_string(count) + "项";
    if (total > count) summary += "，占同类问题" + std::to_string(total) + "项的" + FormatPercent(share);
    if (sum > 0) summary += "，涉及金额" + FormatMoney(sum);
    summary += "，问题较为集中";
    p.set_summary(summary);
    p.set_severity(count >= 2 * k || (total >= k && share >= 0.75) ? "high" : "medium");
    sp.key = {cat, sub, S(value)};
    out->push_back(std::move(sp));
  }
  return Status::OK();
}

// --- recurring ----------------------------------------------------------------

Status Detector::Recurring(const v1::PatternDef& def, std::vector<SortablePattern>* out) {
  if (previous == nullptr || previous->empty()) return Status::OK();
  const bool by_sub = def.by_subcategory() || !def.subcategory().empty();
  // Earlier records by (unit, category, subcategory) pool indices: a string
  // never interned cannot match a current group.
  auto key_of = [&](int32_t unit, int32_t cat, int32_t sub) {
    return std::make_tuple(unit, cat, by_sub ? sub : 0);
  };
  std::map<std::tuple<int32_t, int32_t, int32_t>, std::vector<const PreviousRecord*>> earlier;
  for (const PreviousRecord& pr : *previous) {
    if (pr.unit_id.empty() || pr.category.empty()) continue;
    if (!def.category().empty() && pr.category != def.category()) continue;
    if (!def.subcategory().empty() && pr.subcategory != def.subcategory()) continue;
    const int32_t unit = r_.pool.Find(pr.unit_id), cat = r_.pool.Find(pr.category);
    const int32_t sub = by_sub ? r_.pool.Find(pr.subcategory) : 0;
    if (unit < 0 || cat < 0 || sub < 0) continue;
    earlier[key_of(unit, cat, sub)].push_back(&pr);
  }
  if (earlier.empty()) return Status::OK();
  // Earlier records that are in fact findings of this input (the same id)
  // are not recurrences. Look the input's ids up in the (smaller) set of
  // earlier ids rather than the other way round.
  std::unordered_set<std::string_view> earlier_ids;
  for (const PreviousRecord& pr : *previous) {
    if (!pr.finding_id.empty()) earlier_ids.insert(pr.finding_id);
  }
  std::unordered_set<std::string_view> current_ids;
  for (size_t i = 0; i < r_.records.size(); ++i) {
    if (earlier_ids.count(r_.Id(i)) > 0) current_ids.insert(r_.Id(i));
  }

  std::vector<int32_t> of;
  std::vector<std::pair<int32_t, int32_t>> keys;
  DenseCategoryKeys(def, &of, &keys);
  auto keyed = Keyed(of, [&](uint32_t i) { return r_.records[i].unit; });
  // Only groups with an earlier record are materialised.
  std::vector<std::pair<std::tuple<int32_t, int32_t, int32_t>, std::vector<uint32_t>>> groups;
  Runs(keyed, ~0ULL, [&](size_t b, size_t e) {
    auto [cat_i, sub_i] = keys[keyed[b].first >> 32];
    const int32_t unit = static_cast<int32_t>(keyed[b].first & 0xffffffffu);
    if (earlier.count(key_of(unit, cat_i, sub_i)) == 0) return;
    groups.push_back({{unit, cat_i, sub_i}, Members(keyed, b, e)});
  });
  for (const auto& [gkey, members] : groups) {
    auto [unit, cat_i, sub_i] = gkey;
    auto it = earlier.find(key_of(unit, cat_i, sub_i));
    std::set<std::string> rounds_now;
    for (uint32_t i : members) rounds_now.insert(S(r_.records[i].round));
    std::vector<const PreviousRecord*> matched;
    for (const PreviousRecord* pr : it->second) {
      if (current_ids.count(pr->finding_id) > 0) continue;  // the same finding again
      if (!pr->round.empty() && rounds_now.count(pr->round) > 0) continue;  // not earlier
      matched.push_back(pr);
    }
    if (matched.empty()) continue;
    std::set<std::string> prev_ids, prev_rounds;
    int64_t rectified = 0;
    for (const PreviousRecord* pr : matched) {
      prev_ids.insert(pr->finding_id);
      prev_rounds.insert(pr->round);
      if (pr->rectified) ++rectified;
    }
    SortablePattern sp;
    v1::Pattern& p = sp.pattern;
    const std::string& cat = S(cat_i);
    const std::string& sub = S(sub_i);
    p.set_category(cat);
    p.set_subcategory(sub);
    FillMembers(members, &p);
    for (const std::string& id : prev_ids) {
      if (!id.empty()) p.add_previous_finding_ids(id);
    }
    const std::string& last_round = *prev_rounds.rbegin();
    p.set_previous_round(last_round);
    p.set_previously_rectified(rectified > 0);
    auto& st = *p.mutable_stats();
    st["count"] = static_cast<double>(members.size());
    st["previous_count"] = static_cast<double>(matched.size());
    st["previous_rounds"] = static_cast<double>(prev_rounds.size());
    st["rectified_count"] = static_cast<double>(rectified);
    std::string where = last_round.empty() ? "以往巡察" : last_round + "巡察";
    std::string summary = UnitLabel(unit) + KeyName(cat, sub) + "问题";
    if (rectified > 0) {
      summary += "在" + where + "中已被指出并报整改完成，本轮再次发现，整改不到位";
    } else {
      summary += "在" + where + "中已被指出，本轮再次发现，屡查屡犯";
    }
    p.set_summary(summary);
    p.set_severity(rectified > 0 ? "high" : "medium");
    sp.key = {S(unit), cat, sub};
    out->push_back(std::move(sp));
  }
  return Status::OK();
}

// --- shared counterparty ------------------------------------------------------

Status Detector::SharedCounterparty(const v1::PatternDef& def,
                                    std::vector<SortablePattern>* out) {
  const int64_t min_units = Or(def.min_units(), kDefaultCounterpartyMinUnits);
  const int64_t min_findings = Or(def.min_findings(), kDefaultMinFindings);
  std::unordered_map<int32_t, Group> groups;
  for (uint32_t i = 0; i < r_.records.size(); ++i) {
    const Record& rec = r_.records[i];
    if (rec.cp_count == 0 || !InScope(def, i)) continue;
    for (uint32_t j = 0; j < rec.cp_count; ++j) {
      Group& g = groups[r_.counterparties[rec.cp_begin + j]];
      g.members.push_back(i);
      if (!Str(rec.unit).empty()) g.units.push_back(rec.unit);
    }
  }
  for (auto& [cp, g] : groups) {
    g.Finalize();
    const int64_t units = static_cast<int64_t>(g.units.size());
    const int64_t count = static_cast<int64_t>(g.members.size());
    if (units < min_units && count < min_findings) continue;
    SortablePattern sp;
    v1::Pattern& p = sp.pattern;
    CommonCategory(g.members, &p);
    FillMembers(g.members, &p);
    p.set_counterparty(S(cp));
    auto sit = spelling_.find(cp);
    std::string display = sit == spelling_.end() ? S(cp) : S(sit->second.second);
    const int64_t sum = SumFen(g.members);
    auto& st = *p.mutable_stats();
    st["units"] = static_cast<double>(units);
    st["count"] = static_cast<double>(count);
    st["sum_fen"] = static_cast<double>(sum);
    std::string summary = display + "与" + std::to_string(units) + "个单位的" +
                          std::to_string(count) + "项问题相关";
    if (sum > 0) summary += "，涉及金额" + FormatMoney(sum);
    p.set_summary(summary);
    p.set_severity(units >= 3 ? "high" : "medium");
    sp.key = {S(cp)};
    out->push_back(std::move(sp));
  }
  return Status::OK();
}

// --- near duplicate -----------------------------------------------------------

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n), min_sim_(n, 2.0), max_sim_(n, 0.0) {
    std::iota(parent_.begin(), parent_.end(), 0u);
  }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  // Joins under the smaller root, so roots are canonical positions.
  void Union(uint32_t a, uint32_t b, double sim) {
    a = Find(a);
    b = Find(b);
    if (a > b) std::swap(a, b);
    parent_[b] = a;
    min_sim_[a] = std::min({min_sim_[a], min_sim_[b], sim});
    max_sim_[a] = std::max({max_sim_[a], max_sim_[b], sim});
  }
  double min_sim(uint32_t root) const { return min_sim_[root]; }
  double max_sim(uint32_t root) const { return max_sim_[root]; }

 private:
  std::vector<uint32_t> parent_;
  std::vector<double> min_sim_, max_sim_;
};

// LSH rows per band for signature size k and threshold t: the most rows
// (fewest false candidates) that still make a pair at similarity t a
// candidate with probability >= 0.98 (k = 32, t = 0.8: 4 rows x 8 bands;
// 0.985 at t, 0.997 at t + 0.05). Fewer rows would make pairs that merely
// share common phrases candidates far more often.
int RowsPerBand(int k, double t) {
  for (int rows = std::min(k, 8); rows > 1; --rows) {
    int bands = k / rows;
    double p = 1.0 - std::pow(1.0 - std::pow(t, rows), bands);
    if (p >= 0.98) return rows;
  }
  return 1;
}

Status Detector::NearDuplicate(const v1::PatternDef& def, std::vector<SortablePattern>* out) {
  const int n_chars = Or(def.shingle_chars(), kDefaultShingleChars);
  if (n_chars != r_.options.shingle_chars) {
    return InvalidArgumentError("pattern " + def.id() + ": shingle_chars " +
                                std::to_string(n_chars) + " but the accumulator keeps " +
                                std::to_string(r_.options.shingle_chars) +
                                "-character shingles (build it with AccumulatorOptions::ForDefs)");
  }
  const double t = def.similarity() == 0 ? kDefaultSimilarity : def.similarity();
  if (!(t > 0 && t <= 1)) {
    return InvalidArgumentError("pattern " + def.id() + ": similarity " + FormatNumber(t) +
                                " is not in (0, 1]");
  }
  const int k = r_.options.minhash_size;
  if (k == 0) return Status::OK();  // no signatures kept
  // Positions in canonical order of the findings that take part.
  std::vector<uint32_t> pos;  // position -> record
  for (uint32_t i : Order()) {
    if (r_.records[i].shingle_count > 0 && InScope(def, i)) pos.push_back(i);
  }
  const uint32_t n = static_cast<uint32_t>(pos.size());
  if (n < 2) return Status::OK();
  const int rows = RowsPerBand(k, t);
  const int bands = k / rows;
  UnionFind uf(n);
  // Compact per-position copies for the pair checks, so that rejecting a
  // candidate touches 20 bytes of small arrays instead of a 48-byte record
  // and a 128-byte signature scattered over the whole state (at a million
  // findings that was cache misses, not arithmetic): the shingle count, and
  // a 4-bit sketch of the first 32 signature values (b-bit minwise hashing,
  // Li & Koenig 2010).
  const int used = std::min(k, 32);
  std::vector<uint32_t> count(n);
  std::vector<uint64_t> sketch(2 * static_cast<size_t>(n), 0);
  for (uint32_t p = 0; p < n; ++p) {
    count[p] = r_.records[pos[p]].shingle_count;
    const uint32_t* sig = r_.Signature(pos[p]);
    for (int h = 0; h < used; ++h) {
      sketch[2 * p + h / 16] |= static_cast<uint64_t>(sig[h] & 0xf) << (4 * (h % 16));
    }
  }
  auto equal_nibbles = [](uint64_t x) {
    x |= x >> 1;
    x |= x >> 2;
    return 16 - __builtin_popcountll(x & 0x1111111111111111ULL);
  };
  auto verify = [&](uint32_t a, uint32_t b) {
    if (uf.Find(a) == uf.Find(b)) return;
    // Jaccard <= min/max of the set sizes: skip hopeless pairs cheaply.
    const double bound = static_cast<double>(std::min(count[a], count[b])) /
                         static_cast<double>(std::max(count[a], count[b]));
    if (bound < t - 1e-12) return;
    // Equal nibbles estimate E = J + (1 - J)/16, so J ~ (E - 1/16) * 16/15
    // with standard deviation ~0.075 at J = 0.8 over 32 values. A pair
    // estimated more than kSignatureSlack below t is not verified: a true
    // pair at t is lost with probability ~1e-4 (4 standard deviations), and
    // the exact merge of two shingle sets is kept for the pairs that matter.
    const int equal = equal_nibbles(sketch[2 * a] ^ sketch[2 * b]) +
                      equal_nibbles(sketch[2 * a + 1] ^ sketch[2 * b + 1]) - (32 - used);
    const double e = static_cast<double>(equal) / used;
    if ((e - 1.0 / 16) * 16.0 / 15.0 < t - kSignatureSlack) return;
    const double sim = patterns_internal::Jaccard(r_.Shingles(pos[a]), count[a],
                                                  r_.Shingles(pos[b]), count[b]);
    if (sim >= t - 1e-12) uf.Union(a, b, sim);
  };
  std::vector<std::pair<uint64_t, uint32_t>> bucket(n);
  const size_t full = static_cast<size_t>(std::max(2, options_.lsh_full_bucket));
  const size_t window = static_cast<size_t>(std::max(1, options_.lsh_window));
  for (int band = 0; band < bands; ++band) {
    for (uint32_t p = 0; p < n; ++p) {
      const uint32_t* sig = r_.Signature(pos[p]) + band * rows;
      uint64_t h = static_cast<uint64_t>(band) * 0x9e3779b97f4a7c15ULL;
      for (int j = 0; j < rows; ++j) h = patterns_internal::SplitMix64(h ^ sig[j]);
      bucket[p] = {h, p};
    }
    std::sort(bucket.begin(), bucket.end());
    for (size_t begin = 0; begin < n;) {
      size_t end = begin + 1;
      while (end < n && bucket[end].first == bucket[begin].first) ++end;
      const size_t m = end - begin;
      if (m > 1 && m <= full) {
        for (size_t a = begin; a < end; ++a) {
          for (size_t b = a + 1; b < end; ++b) verify(bucket[a].second, bucket[b].second);
        }
      } else if (m > full) {
        // A large bucket: each member against the bucket's first `window`
        // members (its leaders, which stay in cache) and its successor.
        // Templated texts all join their leaders; a bucket of texts that
        // merely share common phrases costs O(m * window), not O(m^2).
        // Members already joined to the first leader (templated texts after
        // the first band) cost one Find.
        const size_t leaders = std::min(window, m);
        for (size_t b = begin + 1; b < end; ++b) {
          if (uf.Find(bucket[b].second) == uf.Find(bucket[begin].second)) continue;
          for (size_t a = begin; a < begin + leaders && a < b; ++a) {
            verify(bucket[a].second, bucket[b].second);
          }
          if (b >= begin + leaders) verify(bucket[b - 1].second, bucket[b].second);
        }
      }
      begin = end;
    }
  }
  std::vector<uint32_t> size(n, 0);
  for (uint32_t p = 0; p < n; ++p) ++size[uf.Find(p)];
  std::map<uint32_t, std::vector<uint32_t>> clusters;  // root -> records
  for (uint32_t p = 0; p < n; ++p) {
    uint32_t root = uf.Find(p);
    if (size[root] > 1) clusters[root].push_back(pos[p]);
  }
  for (auto& [root, members] : clusters) {
    if (members.size() < 2) continue;
    std::set<int32_t> units;
    for (uint32_t i : members) {
      if (!Str(r_.records[i].unit).empty()) units.insert(r_.records[i].unit);
    }
    if (units.size() < 2) continue;
    SortablePattern sp;
    v1::Pattern& p = sp.pattern;
    CommonCategory(members, &p);
    FillMembers(members, &p);
    auto& st = *p.mutable_stats();
    st["units"] = static_cast<double>(units.size());
    st["count"] = static_cast<double>(members.size());
    st["similarity"] = uf.min_sim(root);
    st["max_similarity"] = uf.max_sim(root);
    st["threshold"] = t;
    p.set_summary(std::to_string(units.size()) + "个单位的" + std::to_string(members.size()) +
                  "项问题表述高度雷同（相似度不低于" + FormatNumber(uf.min_sim(root)) +
                  "），可能套用模板或照搬照抄");
    p.set_severity(units.size() >= 3 ? "medium" : "low");
    sp.key = {p.finding_ids(0)};
    out->push_back(std::move(sp));
  }
  return Status::OK();
}

// --- outlier units ------------------------------------------------------------

Status Detector::Outlier(const v1::PatternDef& def, std::vector<SortablePattern>* out) {
  std::string measure = def.measure().empty() ? "count" : def.measure();
  if (measure != "count" && measure != "amount" && measure != "per_head" &&
      measure != "per_contract") {
    return InvalidArgumentError("pattern " + def.id() + ": measure \"" + measure +
                                "\" is not one of count, amount, per_head, per_contract");
  }
  const int64_t min_peers = Or(def.min_peer_group(), kDefaultMinPeerGroup);
  const double k = def.iqr_k() > 0 ? def.iqr_k() : kDefaultIqrK;
  // A high outlier also needs this many findings of its own: where most
  // peers have none, IQR is 0 and a single finding would clear the fence.
  const int64_t min_own = Or(def.min_findings(), kDefaultOutlierMinFindings);
  int contract_key = -1;
  if (measure == "per_contract") {
    const auto& keys = r_.options.attr_keys;
    auto it = std::find(keys.begin(), keys.end(), kContractAttr);
    if (it == keys.end()) {
      return InvalidArgumentError("pattern " + def.id() +
                                  ": measure per_contract needs the accumulator to keep attr " +
                                  kContractAttr);
    }
    contract_key = static_cast<int>(it - keys.begin());
  }
  // Units: those seen, plus given inspected ids never seen (kind unknown).
  std::vector<int32_t> units;
  for (const auto& [id, info] : r_.units) {
    if (!Str(id).empty()) units.push_back(id);
  }
  std::vector<std::string> unseen;
  for (const std::string& id : given_inspected_) {
    if (inspected_.count(id) == 0) unseen.push_back(id);
  }
  // Distinct contracts per unit, over all its findings.
  std::unordered_map<int32_t, int64_t> contracts;
  if (contract_key >= 0) {
    std::set<std::pair<int32_t, int32_t>> seen;
    for (uint32_t i = 0; i < r_.records.size(); ++i) {
      int32_t c = r_.Attr(i, contract_key);
      if (!Str(c).empty() && seen.insert({r_.records[i].unit, c}).second) ++contracts[r_.records[i].unit];
    }
  }
  // Per category key and unit: members.
  std::vector<int32_t> of;
  std::vector<std::pair<int32_t, int32_t>> keys;
  DenseCategoryKeys(def, &of, &keys);
  auto keyed = Keyed(of, [&](uint32_t i) { return r_.records[i].unit; });
  std::vector<std::pair<std::pair<int32_t, int32_t>, std::unordered_map<int32_t, std::vector<uint32_t>>>> by_key;
  Runs(keyed, ~0ULL << 32, [&](size_t b, size_t e) {
    auto& slot = by_key.emplace_back(keys[keyed[b].first >> 32],
                                     std::unordered_map<int32_t, std::vector<uint32_t>>());
    for (size_t i = b; i < e; ++i) {
      slot.second[static_cast<int32_t>(keyed[i].first & 0xffffffffu)].push_back(keyed[i].second);
    }
  });
  // Peer groups by kind, in a canonical order.
  std::map<std::string, std::vector<int32_t>> peers;
  for (int32_t u : units) peers[S(Unit(u)->kind)].push_back(u);
  for (auto& [key, per_unit] : by_key) {
    const std::string& cat = S(key.first);
    const std::string& sub = S(key.second);
    for (const auto& [kind, group] : peers) {
      // (value, unit) for units with a defined value.
      std::vector<std::pair<double, int32_t>> values;
      for (int32_t u : group) {
        auto it = per_unit.find(u);
        double count = it == per_unit.end() ? 0.0 : static_cast<double>(it->second.size());
        double v = count;
        if (measure == "amount") {
          v = it == per_unit.end() ? 0.0 : static_cast<double>(SumFen(it->second));
        } else if (measure == "per_head") {
          int32_t heads = Unit(u)->headcount;
          if (heads <= 0) continue;
          v = count / heads;
        } else if (measure == "per_contract") {
          auto c = contracts.find(u);
          if (c == contracts.end() || c->second == 0) continue;
          v = count / static_cast<double>(c->second);
        }
        values.push_back({v, u});
      }
      if (kind.empty() && measure != "per_head" && measure != "per_contract") {
        for (size_t j = 0; j < unseen.size(); ++j) values.push_back({0.0, -1});
      }
      if (static_cast<int64_t>(values.size()) < min_peers) continue;
      std::vector<double> sorted;
      for (const auto& v : values) sorted.push_back(v.first);
      std::sort(sorted.begin(), sorted.end());
      const double q1 = patterns_internal::Quantile7(sorted, 0.25);
      const double q3 = patterns_internal::Quantile7(sorted, 0.75);
      const double median = patterns_internal::Quantile7(sorted, 0.5);
      const double iqr = q3 - q1;
      const double lower = q1 - k * iqr;
      const double upper = q3 + k * iqr;
      for (const auto& [v, u] : values) {
        if (u < 0) continue;
        auto it = per_unit.find(u);
        const int64_t own = it == per_unit.end() ? 0 : static_cast<int64_t>(it->second.size());
        const bool high = v > upper + 1e-12 && own >= min_own;
        const bool low = v < lower - 1e-12;
        if (!high && !low) continue;
        std::vector<uint32_t> members = it == per_unit.end() ? std::vector<uint32_t>{} : it->second;
        SortablePattern sp;
        v1::Pattern& p = sp.pattern;
        p.set_category(cat);
        p.set_subcategory(sub);
        p.add_unit_ids(S(u));
        for (std::string& f : SortedFindingIds(members, &p)) p.add_finding_ids(std::move(f));
        p.set_group(kind);
        auto& st = *p.mutable_stats();
        st["value"] = v;
        st["q1"] = q1;
        st["median"] = median;
        st["q3"] = q3;
        st["iqr"] = iqr;
        st["lower_fence"] = lower;
        st["upper_fence"] = upper;
        st["k"] = k;
        st["peers"] = static_cast<double>(values.size());
        st["count"] = static_cast<double>(members.size());
        auto show = [&](double x) {
          return measure == "amount" ? FormatMoney(static_cast<int64_t>(std::llround(x)))
                                     : FormatNumber(x);
        };
        const char* what = measure == "count"      ? "问题数量"
                           : measure == "amount"   ? "问题金额"
                           : measure == "per_head" ? "人均问题数"
                                                   : "每份合同问题数";
        std::string peer = kind.empty() ? "同类单位" : "同类（" + kind + "）单位";
        std::string summary = UnitLabel(u) + KeyName(cat, sub) + what + "为" + show(v) + "，明显" +
                              (high ? "高于" : "低于") + peer + "（" +
                              std::to_string(values.size()) + "家，" + (high ? "上限" : "下限") +
                              show(high ? upper : lower) + "）";
        p.set_summary(summary);
        p.set_severity(low ? "low" : (v > q3 + 3 * iqr + 1e-12 ? "high" : "medium"));
        sp.key = {cat, sub, kind, S(u)};
        out->push_back(std::move(sp));
      }
    }
  }
  return Status::OK();
}

// --- split purchases ----------------------------------------------------------

Status Detector::SplitPurchase(const v1::PatternDef& def, std::vector<SortablePattern>* out) {
  const int64_t threshold = Or<int64_t>(def.threshold_fen(), kDefaultThresholdFen);
  const std::string item_attr = def.item_attr().empty() ? kDefaultItemAttr : def.item_attr();
  const std::string method_attr = def.method_attr().empty() ? kDefaultMethodAttr : def.method_attr();
  std::set<std::string, std::less<>> open(def.open_methods().begin(), def.open_methods().end());
  if (open.empty()) open.insert(kDefaultOpenMethod);
  const auto& keys = r_.options.attr_keys;
  auto item_it = std::find(keys.begin(), keys.end(), item_attr);
  auto method_it = std::find(keys.begin(), keys.end(), method_attr);
  if (item_it == keys.end() || method_it == keys.end()) {
    return InvalidArgumentError("pattern " + def.id() + ": the accumulator does not keep attrs " +
                                item_attr + " and " + method_attr +
                                " (build it with AccumulatorOptions::ForDefs)");
  }
  const size_t item_key = item_it - keys.begin();
  const size_t method_key = method_it - keys.begin();
  std::map<std::tuple<int32_t, int32_t, int32_t>, std::vector<uint32_t>> groups;
  for (uint32_t i = 0; i < r_.records.size(); ++i) {
    const Record& rec = r_.records[i];
    if (Str(rec.unit).empty() || rec.fiscal_year == 0) continue;
    if (rec.amount_fen <= 0 || rec.amount_fen >= threshold) continue;
    const int32_t item = r_.Attr(i, item_key);
    const int32_t method = r_.Attr(i, method_key);
    if (Str(item).empty() || Str(method).empty() || open.count(Str(method)) > 0) continue;
    if (!InScope(def, i)) continue;
    groups[{rec.unit, item, rec.fiscal_year}].push_back(i);
  }
  for (const auto& [gkey, members] : groups) {
    auto [unit, item, year] = gkey;
    if (members.size() < 2) continue;
    const int64_t sum = SumFen(members);
    if (sum < threshold) continue;
    int64_t max = 0;
    for (uint32_t i : members) max = std::max(max, r_.records[i].amount_fen);
    SortablePattern sp;
    v1::Pattern& p = sp.pattern;
    p.set_category(def.category().empty() ? "procurement" : def.category());
    p.set_subcategory(def.category().empty()       ? "split_to_evade"
                      : def.subcategory().empty() ? ""
                                                  : def.subcategory());
    FillMembers(members, &p);
    p.set_group(S(item) + "/" + std::to_string(year));
    auto& st = *p.mutable_stats();
    st["count"] = static_cast<double>(members.size());
    st["sum_fen"] = static_cast<double>(sum);
    st["max_fen"] = static_cast<double>(max);
    st["threshold_fen"] = static_cast<double>(threshold);
    st["year"] = static_cast<double>(year);
    p.set_summary(UnitLabel(unit) + std::to_string(year) + "年度以非公开方式采购" + S(item) +
                  std::to_string(members.size()) + "次，单笔均低于" + FormatMoney(threshold) +
                  "，合计" + FormatMoney(sum) + "，涉嫌化整为零规避公开招标");
    p.set_severity("high");
    sp.key = {S(unit), S(item), std::to_string(year)};
    out->push_back(std::move(sp));
  }
  return Status::OK();
}

}  // namespace

StatusOr<v1::PatternReport> PatternAccumulator::Finish(const std::vector<v1::PatternDef>& defs,
                                                       const std::vector<PreviousRecord>& previous,
                                                       const FinishOptions& options) const {
  const std::vector<v1::PatternDef> defaults = defs.empty() ? DefaultPatternDefs() : defs;
  Detector detector(*rep_, options);
  detector.previous = &previous;
  v1::PatternReport report;
  report.set_units_inspected(static_cast<int32_t>(detector.UnitsInspected()));
  report.set_findings(size());
  std::vector<v1::Pattern> patterns;
  std::map<std::string, const v1::PatternDef*> def_of;
  for (const v1::PatternDef& def : defaults) {
    if (!def_of.emplace(def.id(), &def).second) {
      return InvalidArgumentError("pattern id \"" + def.id() + "\" is defined twice");
    }
    XUNCHA_RETURN_IF_ERROR(detector.Run(def, &patterns));
  }
  // The common-problems list: one line per (category, subcategory) that is
  // widespread, most units first.
  // Where several defs find the same (category, subcategory), the most
  // specific def that has a fix gives it (subcategory > category > none).
  std::map<std::pair<std::string, std::string>, std::pair<int, std::string>> fixes;
  for (const v1::Pattern& p : patterns) {
    if (p.kind() != v1::PATTERN_KIND_WIDESPREAD) continue;
    const v1::PatternDef* def = def_of[p.pattern_id()];
    if (def->suggested_fix().empty()) continue;
    int specific = !def->subcategory().empty() ? 2 : !def->category().empty() ? 1 : 0;
    auto [it, inserted] = fixes.try_emplace({p.category(), p.subcategory()}, specific, def->suggested_fix());
    if (!inserted && specific > it->second.first) it->second = {specific, def->suggested_fix()};
  }
  std::vector<v1::CommonProblem> common;
  std::set<std::pair<std::string, std::string>> listed;
  for (const v1::Pattern& p : patterns) {
    if (p.kind() != v1::PATTERN_KIND_WIDESPREAD) continue;
    if (!listed.insert({p.category(), p.subcategory()}).second) continue;
    v1::CommonProblem c;
    c.set_category(p.category());
    c.set_subcategory(p.subcategory());
    *c.mutable_unit_ids() = p.unit_ids();
    c.set_count(static_cast<int32_t>(p.stats().at("count")));
    auto sum = p.stats().find("sum_fen");
    c.mutable_amount()->set_fen(sum == p.stats().end() ? 0 : static_cast<int64_t>(sum->second));
    auto fix = fixes.find({p.category(), p.subcategory()});
    c.set_suggested_fix(fix != fixes.end() ? fix->second.second : DefaultFix(p.category()));
    c.set_summary(p.summary());
    common.push_back(std::move(c));
  }
  std::stable_sort(common.begin(), common.end(),
                   [](const v1::CommonProblem& a, const v1::CommonProblem& b) {
                     if (a.unit_ids_size() != b.unit_ids_size()) return a.unit_ids_size() > b.unit_ids_size();
                     if (a.count() != b.count()) return a.count() > b.count();
                     return std::tie(a.category(), a.subcategory()) < std::tie(b.category(), b.subcategory());
                   });
  // A pattern with the same kind, key, members and summary as one an
  // earlier def found is not repeated.
  std::set<std::string> seen;
  for (v1::Pattern& p : patterns) {
    std::string key = std::to_string(p.kind()) + '\x1e' + p.category() + '\x1e' + p.subcategory() +
                      '\x1e' + p.group() + '\x1e' + p.counterparty() + '\x1e' + p.previous_round() + '\x1e' + p.summary();
    for (const std::string& u : p.unit_ids()) key += '\x1f' + u;
    key += '\x1e';
    for (const std::string& f : p.finding_ids()) key += '\x1f' + f;
    if (!seen.insert(std::move(key)).second) continue;
    *report.add_patterns() = std::move(p);
  }
  for (v1::CommonProblem& c : common) *report.add_common_problems() = std::move(c);
  return report;
}

StatusOr<v1::PatternReport> DetectPatterns(const std::vector<v1::ClassifiedFinding>& findings,
                                           const std::vector<v1::PatternDef>& defs,
                                           const std::vector<PreviousRecord>& previous,
                                           const FinishOptions& options) {
  XUNCHA_ASSIGN_OR_RETURN(AccumulatorOptions acc_options,
                          AccumulatorOptions::ForDefs(defs.empty() ? DefaultPatternDefs() : defs));
  PatternAccumulator acc(acc_options);
  for (const v1::ClassifiedFinding& f : findings) acc.Add(f);
  return acc.Finish(defs, previous, options);
}

}  // namespace xuncha
