// Counterparty name keys, earlier-round records, and the default pattern
// definitions.

#include <algorithm>
#include <set>
#include <string>
#include <unordered_set>

#include "base/utf8.h"
#include "patterns/text.h"
#include "xuncha/patterns.h"

namespace xuncha {

namespace {

// Longest first where one ends another. Latin forms are matched after
// lower-casing and punctuation removal ("Co., Ltd." -> "coltd").
constexpr std::u32string_view kSuffixes[] = {
    U"股份有限公司", U"有限责任公司", U"有限公司", U"集团公司", U"集团",
    U"公司",         U"coltd",        U"limited",  U"ltd",      U"inc",
    U"corporation",  U"corp",         U"company",
};

bool EndsWith(const std::u32string& s, std::u32string_view suffix) {
  return s.size() >= suffix.size() &&
         std::u32string_view(s).substr(s.size() - suffix.size()) == suffix;
}

std::string ToUtf8(const std::u32string& chars) {
  std::string out;
  for (char32_t c : chars) utf8::Append(c, &out);
  return out;
}

}  // namespace

std::string NormalizeCounterpartyName(std::string_view name) {
  std::u32string chars = patterns_internal::ContentChars(name);
  bool changed = true;
  while (changed) {
    changed = false;
    // What is left is nothing but a company form: keep it.
    bool bare = false;
    for (std::u32string_view suffix : kSuffixes) bare = bare || chars == suffix;
    if (bare) break;
    for (std::u32string_view suffix : kSuffixes) {
      if (!EndsWith(chars, suffix)) continue;
      // A branch (分公司) is its own counterparty; keep it.
      if (suffix == U"公司" && EndsWith(chars, U"分公司")) continue;
      chars.resize(chars.size() - suffix.size());
      changed = true;
      break;
    }
  }
  return ToUtf8(chars);
}

std::vector<PreviousRecord> PreviousRecordsFromClassified(
    const std::vector<v1::ClassifiedFinding>& findings,
    const std::vector<std::string>& rectified_ids) {
  static const std::set<std::string, std::less<>> kRectifiedStates = {
      "已整改", "已完成", "整改完成", "已销号", "closed", "accepted"};
  std::unordered_set<std::string> rectified(rectified_ids.begin(), rectified_ids.end());
  std::vector<PreviousRecord> out;
  for (const v1::ClassifiedFinding& cf : findings) {
    const v1::Classification& c = cf.classification();
    if (!c.classified() || c.category().empty()) continue;
    const v1::Finding& f = cf.finding();
    PreviousRecord r;
    r.unit_id = f.unit().id();
    r.category = c.category();
    r.subcategory = c.subcategory();
    r.round = f.round();
    r.finding_id = f.id();
    r.rectified = rectified.count(f.id()) > 0;
    if (!r.rectified) {
      auto it = f.attrs().find("整改状态");
      if (it != f.attrs().end() && kRectifiedStates.count(it->second) > 0) r.rectified = true;
    }
    if (!r.rectified) {
      for (const std::string& tag : f.tags()) {
        if (tag == "rectified") r.rectified = true;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<v1::PatternDef> DefaultPatternDefs() {
  std::vector<v1::PatternDef> defs;
  auto add = [&](const char* id, v1::PatternKind kind, const char* title) -> v1::PatternDef& {
    v1::PatternDef& d = defs.emplace_back();
    d.set_id(id);
    d.set_kind(kind);
    d.set_title(title);
    d.set_by_subcategory(true);
    return d;
  };
  add("default.widespread", v1::PATTERN_KIND_WIDESPREAD, "普遍性问题");
  add("default.concentrated", v1::PATTERN_KIND_CONCENTRATED, "集中性问题");
  add("default.recurring", v1::PATTERN_KIND_RECURRING, "屡查屡犯、整改不到位");
  add("default.shared_counterparty", v1::PATTERN_KIND_SHARED_COUNTERPARTY,
      "多个单位问题涉及同一相对方");
  add("default.near_duplicate", v1::PATTERN_KIND_NEAR_DUPLICATE, "问题表述雷同");
  add("default.outlier", v1::PATTERN_KIND_OUTLIER_UNIT, "问题数量明显偏高的单位")
      .set_by_subcategory(false);
  add("default.split_purchase", v1::PATTERN_KIND_SPLIT_PURCHASE, "化整为零规避公开招标");
  return defs;
}

}  // namespace xuncha
