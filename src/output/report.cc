// The HTML and Markdown reports (include/xuncha/report.h).
//
// Design note: both renderings are built from one prepared view (visible,
// masked entries; the summary; the heatmap grid; the patterns with visible
// members), so the two can never disagree on a figure. The SVG is written
// by hand: fixed geometry, integer coordinates, no fonts embedded; the page
// names a CJK font stack and the browser does the rest.

#include "xuncha/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "base/utf8.h"
#include "output/atomic_file.h"
#include "xuncha/ledger.h"
#include "xuncha/ledger_export.h"
#include "xuncha/taxonomy.h"

namespace xuncha {

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Status WriteReportFile(const std::string& path, std::string_view contents) {
  return output_internal::WriteFileAtomically(path, contents);
}

namespace {

// Escapes Markdown table-cell text: pipes, emphasis, links, HTML.
std::string MdEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '|': case '\\': case '*': case '_': case '`': case '[': case ']': case '#':
        out += '\\';
        out += c;
        break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\n': case '\r': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

// "5,200,000.00"
std::string Grouped(int64_t fen) {
  std::string plain = FormatYuan(fen);
  size_t dot = plain.find('.');
  std::string whole = plain.substr(0, dot);
  bool neg = !whole.empty() && whole[0] == '-';
  if (neg) whole.erase(0, 1);
  std::string g;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) g += ',';
    g += whole[i];
  }
  return (neg ? "-" : "") + g + plain.substr(dot);
}

std::string Percent(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", r * 100.0);
  return buf;
}

std::string UnitLabel(const v1::LedgerEntry& e) {
  return e.finding().unit().name().empty() ? e.finding().unit().id() : e.finding().unit().name();
}

std::string UnitKey(const v1::LedgerEntry& e) {
  return e.finding().unit().id().empty() ? e.finding().unit().name() : e.finding().unit().id();
}

const v1::Money* AmountOf(const v1::LedgerEntry& e) {
  if (e.classification().has_amount() && e.classification().amount().fen() != 0) {
    return &e.classification().amount();
  }
  if (e.finding().has_amount()) return &e.finding().amount();
  return nullptr;
}

bool InSet(std::string_view s, std::initializer_list<std::string_view> set) {
  for (std::string_view x : set) {
    if (x == s) return true;
  }
  return false;
}

std::string PatternKindName(v1::PatternKind k) {
  switch (k) {
    case v1::PATTERN_KIND_WIDESPREAD: return "普遍性问题";
    case v1::PATTERN_KIND_CONCENTRATED: return "集中性问题";
    case v1::PATTERN_KIND_RECURRING: return "屡查屡犯";
    case v1::PATTERN_KIND_SHARED_COUNTERPARTY: return "共同交易对象";
    case v1::PATTERN_KIND_NEAR_DUPLICATE: return "文本雷同";
    case v1::PATTERN_KIND_OUTLIER_UNIT: return "异常单位";
    case v1::PATTERN_KIND_SPLIT_PURCHASE: return "化整为零";
    default: return "其他规律";
  }
}

struct Heatmap {
  std::vector<std::string> row_ids;     // categories
  std::vector<std::string> col_labels;  // units (and 其他单位)
  std::vector<std::vector<int64_t>> cells;
  int64_t max = 0;
};

struct PatternView {
  const v1::Pattern* pattern;
  std::vector<const v1::LedgerEntry*> members;
};

// Everything both renderings need.
struct View {
  std::vector<v1::LedgerEntry> entries;  // visible, masked if asked, by seq
  std::map<std::string, const v1::LedgerEntry*> by_id;
  ReportSummary summary;
  std::string as_of;
  std::vector<const v1::LedgerEntry*> overdue;
  Heatmap heat;
  std::vector<PatternView> patterns;
  std::vector<const v1::CommonProblem*> common;
};

bool IsOverdue(const v1::LedgerEntry& e, const std::string& as_of) {
  if (e.state() == "overdue") return true;
  return !as_of.empty() && e.state() == "in_progress" && !e.rectification().deadline().empty() &&
         e.rectification().deadline() < as_of;
}

View Prepare(const ReportData& data, const ReportOptions& options) {
  View v;
  v.as_of = options.as_of;
  if (v.as_of.empty() && options.generated_at.size() >= 10) {
    v.as_of = options.generated_at.substr(0, 10);
  }
  for (const v1::LedgerEntry& e : data.entries) {
    if (!VisibleTo(e.disclosure(), options.audience)) continue;
    v.entries.push_back(options.mask_personal_data ? MaskEntry(e) : e);
  }
  std::stable_sort(v.entries.begin(), v.entries.end(),
                   [](const v1::LedgerEntry& a, const v1::LedgerEntry& b) {
                     return a.seq() != b.seq() ? a.seq() < b.seq() : a.id() < b.id();
                   });
  for (const v1::LedgerEntry& e : v.entries) v.by_id[e.id()] = &e;

  ReportSummary& s = v.summary;
  std::map<std::string, int64_t> cat, disp;
  std::set<std::string> units;
  for (const v1::LedgerEntry& e : v.entries) {
    ++s.problems;
    units.insert(UnitKey(e));
    ++cat[e.classification().category()];
    ++disp[e.classification().disposition()];
    const std::string& st = e.state();
    if (InSet(st, {"accepted", "closed"})) ++s.completed;
    else if (InSet(st, {"claimed", "assigned", "in_progress", "overdue", "submitted", "reopened"}))
      ++s.in_progress;
    else if (InSet(st, {"transferred", "feedback_received"})) ++s.leads_open;
    else if (st == "written_off") ++s.written_off;
    else ++s.not_started;
    if (e.rectification().extensions() > 0) ++s.extended;
    if (IsOverdue(e, v.as_of)) {
      ++s.overdue;
      v.overdue.push_back(&e);
    }
    if (const v1::Money* m = AmountOf(e)) s.amount_fen += m->fen();
    int64_t rec = e.rectification().recovered().fen();
    s.recovered_fen += rec;
    s.outstanding_fen += std::max<int64_t>(0, e.rectification().to_recover().fen() - rec);
    s.people_handled += e.rectification().people_handled();
    s.rules_made += e.rectification().rules_made_size();
  }
  s.units = static_cast<int64_t>(units.size());
  int64_t base = s.problems - s.written_off;
  s.completion_rate = base > 0 ? static_cast<double>(s.completed) / static_cast<double>(base) : 0;
  for (const CategoryInfo& c : Taxonomy()) {
    auto it = cat.find(std::string(c.id));
    if (it != cat.end()) s.by_category.emplace_back(it->first, it->second);
  }
  for (const auto& [id, n] : cat) {  // ids outside the taxonomy, sorted
    if (!IsCategory(id)) s.by_category.emplace_back(id, n);
  }
  for (const TaxonomyEntry& d : Dispositions()) {
    auto it = disp.find(std::string(d.id));
    if (it != disp.end()) s.by_disposition.emplace_back(it->first, it->second);
  }
  for (const auto& [id, n] : disp) {
    if (!IsDisposition(id)) s.by_disposition.emplace_back(id, n);
  }
  for (const v1::SkippedFinding& k : data.skipped) {
    if (k.reason() == "unclassified") ++s.skipped_unclassified;
    if (k.reason() == "disposition_none") ++s.skipped_disposition_none;
  }
  std::stable_sort(v.overdue.begin(), v.overdue.end(),
                   [](const v1::LedgerEntry* a, const v1::LedgerEntry* b) {
                     return a->rectification().deadline() < b->rectification().deadline();
                   });

  // Heatmap: categories (DOMAIN order) × units (most problems first).
  std::map<std::string, int64_t> unit_total;
  std::map<std::string, std::string> unit_label;
  for (const v1::LedgerEntry& e : v.entries) {
    ++unit_total[UnitKey(e)];
    unit_label.emplace(UnitKey(e), UnitLabel(e));
  }
  std::vector<std::string> unit_order;
  for (const auto& [k, n] : unit_total) unit_order.push_back(k);
  std::stable_sort(unit_order.begin(), unit_order.end(), [&](const std::string& a,
                                                             const std::string& b) {
    return unit_total[a] > unit_total[b];
  });
  size_t max_units = static_cast<size_t>(std::max(1, options.max_heatmap_units));
  bool other = unit_order.size() > max_units;
  std::map<std::string, size_t> col_of;
  for (size_t i = 0; i < unit_order.size(); ++i) {
    size_t col = std::min(i, max_units);
    col_of[unit_order[i]] = col;
    if (i < max_units) v.heat.col_labels.push_back(unit_label[unit_order[i]]);
  }
  if (other) v.heat.col_labels.push_back("其他单位");
  for (const auto& [c, n] : s.by_category) v.heat.row_ids.push_back(c);
  v.heat.cells.assign(v.heat.row_ids.size(),
                      std::vector<int64_t>(v.heat.col_labels.size(), 0));
  for (const v1::LedgerEntry& e : v.entries) {
    size_t row = std::find(v.heat.row_ids.begin(), v.heat.row_ids.end(),
                           e.classification().category()) -
                 v.heat.row_ids.begin();
    int64_t& cell = v.heat.cells[row][col_of[UnitKey(e)]];
    ++cell;
    v.heat.max = std::max(v.heat.max, cell);
  }

  if (data.patterns.has_value()) {
    for (const v1::Pattern& p : data.patterns->patterns()) {
      PatternView pv{&p, {}};
      std::vector<std::string> ids(p.finding_ids().begin(), p.finding_ids().end());
      std::sort(ids.begin(), ids.end());
      for (const std::string& id : ids) {
        auto it = v.by_id.find(id);
        if (it != v.by_id.end()) pv.members.push_back(it->second);
      }
      if (!pv.members.empty()) v.patterns.push_back(std::move(pv));
    }
    for (const v1::CommonProblem& c : data.patterns->common_problems()) v.common.push_back(&c);
  }
  return v;
}

std::string Subcat(const v1::LedgerEntry& e) {
  return std::string(SubcategoryName(e.classification().category(), e.classification().subcategory()));
}

// The text a reader sees for text that may need masking.
std::string MaybeMask(const std::string& s, const ReportOptions& o) {
  return o.mask_personal_data ? MaskText(s) : s;
}

// --- SVG ----------------------------------------------------------------------

// Horizontal bars with labels on the left and counts at the end.
std::string BarChart(const std::string& id, const std::string& title,
                     const std::vector<std::pair<std::string, int64_t>>& bars) {
  const int label_w = 230, bar_max = 460, row_h = 30, top = 36;
  int height = top + static_cast<int>(bars.size()) * row_h + 12;
  int64_t max = 1;
  for (const auto& b : bars) max = std::max(max, b.second);
  std::string svg = "<svg id=\"" + id + "\" class=\"chart bar-chart\" role=\"img\" "
                    "xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"" +
                    std::to_string(height) + "\" viewBox=\"0 0 760 " + std::to_string(height) +
                    "\" aria-label=\"" + HtmlEscape(title) + "\">";
  svg += "<title>" + HtmlEscape(title) + "</title>";
  svg += "<text class=\"chart-title\" x=\"0\" y=\"20\">" + HtmlEscape(title) + "</text>";
  for (size_t i = 0; i < bars.size(); ++i) {
    int y = top + static_cast<int>(i) * row_h;
    int w = static_cast<int>(std::lround(static_cast<double>(bars[i].second) * bar_max /
                                         static_cast<double>(max)));
    std::string n = std::to_string(bars[i].second);
    svg += "<g class=\"bar\"><title>" + HtmlEscape(bars[i].first) + "：" + n + "</title>";
    svg += "<text class=\"bar-label\" x=\"" + std::to_string(label_w - 8) + "\" y=\"" +
           std::to_string(y + 18) + "\" text-anchor=\"end\">" + HtmlEscape(bars[i].first) +
           "</text>";
    svg += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 4) +
           "\" width=\"" + std::to_string(std::max(w, 1)) + "\" height=\"20\" rx=\"2\"/>";
    svg += "<text class=\"bar-value\" x=\"" + std::to_string(label_w + w + 6) + "\" y=\"" +
           std::to_string(y + 19) + "\">" + n + "</text></g>";
  }
  svg += "</svg>";
  return svg;
}

std::string HeatColor(int64_t n, int64_t max) {
  if (n == 0) return "#f4f6f8";
  double t = max > 0 ? static_cast<double>(n) / static_cast<double>(max) : 0;
  // From #fde0c5 to #b3261e.
  int r = static_cast<int>(std::lround(0xfd + (0xb3 - 0xfd) * t));
  int g = static_cast<int>(std::lround(0xe0 + (0x26 - 0xe0) * t));
  int b = static_cast<int>(std::lround(0xc5 + (0x1e - 0xc5) * t));
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}

std::string HeatmapSvg(const Heatmap& h) {
  const int label_w = 190, cell_w = 44, cell_h = 30, top = 130;
  int width = label_w + static_cast<int>(h.col_labels.size()) * cell_w + 20;
  int height = top + static_cast<int>(h.row_ids.size()) * cell_h + 10;
  std::string svg = "<svg id=\"chart-heatmap\" class=\"chart heatmap\" role=\"img\" "
                    "xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
                    "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(height) +
                    "\" aria-label=\"问题类别×被巡察单位热力图\">";
  svg += "<title>问题类别×被巡察单位热力图</title>";
  for (size_t c = 0; c < h.col_labels.size(); ++c) {
    int x = label_w + static_cast<int>(c) * cell_w + cell_w / 2;
    svg += "<text class=\"heat-col\" transform=\"translate(" + std::to_string(x) + "," +
           std::to_string(top - 8) + ") rotate(-50)\">" +
           HtmlEscape(utf8::Truncate(h.col_labels[c], 14)) + "</text>";
  }
  for (size_t r = 0; r < h.row_ids.size(); ++r) {
    int y = top + static_cast<int>(r) * cell_h;
    svg += "<text class=\"heat-row\" x=\"" + std::to_string(label_w - 8) + "\" y=\"" +
           std::to_string(y + 20) + "\" text-anchor=\"end\">" +
           HtmlEscape(CategoryName(h.row_ids[r])) + "</text>";
    for (size_t c = 0; c < h.col_labels.size(); ++c) {
      int64_t n = h.cells[r][c];
      int x = label_w + static_cast<int>(c) * cell_w;
      svg += "<g class=\"heat-cell\"><title>" + HtmlEscape(CategoryName(h.row_ids[r])) + " × " +
             HtmlEscape(h.col_labels[c]) + "：" + std::to_string(n) + "</title><rect x=\"" +
             std::to_string(x + 1) + "\" y=\"" + std::to_string(y + 1) + "\" width=\"" +
             std::to_string(cell_w - 2) + "\" height=\"" + std::to_string(cell_h - 2) +
             "\" fill=\"" + HeatColor(n, h.max) + "\"/>";
      if (n > 0) {
        svg += "<text x=\"" + std::to_string(x + cell_w / 2) + "\" y=\"" +
               std::to_string(y + 20) + "\" text-anchor=\"middle\" class=\"" +
               (n * 2 > h.max ? "heat-num dark" : "heat-num") + "\">" + std::to_string(n) +
               "</text>";
      }
      svg += "</g>";
    }
  }
  svg += "</svg>";
  return svg;
}

std::vector<std::pair<std::string, int64_t>> Named(
    const std::vector<std::pair<std::string, int64_t>>& in, std::string_view (*name)(std::string_view)) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& [id, n] : in) {
    out.emplace_back(id.empty() ? "未填写" : std::string(name(id)), n);
  }
  return out;
}

constexpr const char* kCss = R"css(
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;padding:24px 40px;color:#1f2328;background:#fff;line-height:1.6}
h1{font-size:26px;margin:0 0 4px;color:#8b1a1a}
h2{font-size:20px;margin:32px 0 12px;padding-bottom:4px;border-bottom:2px solid #8b1a1a}
.meta{color:#57606a;font-size:13px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid #d0d7de;border-radius:6px;padding:10px 16px;min-width:140px}
.card .num{font-size:24px;font-weight:700;color:#8b1a1a}
.card .lbl{font-size:13px;color:#57606a}
table{border-collapse:collapse;font-size:13px;margin:8px 0;width:100%}
th,td{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f6f8fa;white-space:nowrap}
td.num{text-align:right;white-space:nowrap}
.chart text{font-size:13px;fill:#1f2328}
.chart .chart-title{font-size:15px;font-weight:700}
.bar rect{fill:#c0392b}
.heat-num{font-size:12px}
.heat-num.dark{fill:#fff}
.pattern{border-left:4px solid #c0392b;padding:4px 12px;margin:12px 0;background:#fbf7f7}
.empty{color:#57606a}
)css";

void Card(std::string* h, const std::string& num, const std::string& label) {
  *h += "<div class=\"card\"><div class=\"num\">" + HtmlEscape(num) + "</div><div class=\"lbl\">" +
        HtmlEscape(label) + "</div></div>";
}

std::string AudienceLabel(const std::string& audience) {
  if (audience == "public") return "社会公开";
  if (audience == "withheld") return "全部(含不公开)";
  return "党内";
}

}  // namespace

ReportSummary Summarize(const ReportData& data, const ReportOptions& options) {
  return Prepare(data, options).summary;
}

std::string RenderReportHtml(const ReportData& data, const ReportOptions& options) {
  View v = Prepare(data, options);
  const ReportSummary& s = v.summary;
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
       HtmlEscape(options.title) + "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n";
  h += "<h1 id=\"title\">" + HtmlEscape(options.title) + "</h1>\n<p class=\"meta\">公开范围：" +
       HtmlEscape(AudienceLabel(options.audience));
  if (!options.generated_at.empty()) h += " · 生成时间：" + HtmlEscape(options.generated_at);
  if (!v.as_of.empty()) h += " · 逾期统计截至：" + HtmlEscape(v.as_of);
  if (options.mask_personal_data) h += " · 个人信息已脱敏";
  h += "</p>\n";

  // 一、总体情况
  h += "<section id=\"summary\">\n<h2>一、总体情况</h2>\n<div class=\"cards\">";
  Card(&h, std::to_string(s.problems), "发现问题(个)");
  Card(&h, std::to_string(s.units), "涉及单位(家)");
  Card(&h, std::to_string(s.completed), "已完成整改");
  Card(&h, std::to_string(s.in_progress), "正在整改");
  Card(&h, std::to_string(s.extended), "其中延期");
  Card(&h, Percent(s.completion_rate), "整改完成率");
  Card(&h, Grouped(s.recovered_fen), "清退/追缴金额(元)");
  Card(&h, Grouped(s.outstanding_fen), "尚未追缴金额(元)");
  Card(&h, std::to_string(s.people_handled), "处理人数");
  Card(&h, std::to_string(s.rules_made), "建章立制(项)");
  h += "</div>\n<p>共发现问题" + std::to_string(s.problems) + "个，涉及金额" +
       Grouped(s.amount_fen) + "元；尚未启动整改" + std::to_string(s.not_started) +
       "个，问题线索在办" + std::to_string(s.leads_open) + "件，核实后销号(不成立)" +
       std::to_string(s.written_off) + "个，逾期" + std::to_string(s.overdue) +
       "个。另有未能归类的记录" + std::to_string(s.skipped_unclassified) +
       "条、经核实无需处置的记录" + std::to_string(s.skipped_disposition_none) +
       "条，未列入问题清单。</p>\n";
  h += "<table id=\"by-aspect\"><thead><tr><th>问题类别</th><th>问题数</th><th>占比</th></tr></thead><tbody>";
  for (const auto& [c, n] : s.by_category) {
    h += "<tr><td>" + HtmlEscape(CategoryName(c.empty() ? "未填写" : c)) + "</td><td class=\"num\">" +
         std::to_string(n) + "</td><td class=\"num\">" +
         Percent(static_cast<double>(n) / static_cast<double>(std::max<int64_t>(1, s.problems))) +
         "</td></tr>";
  }
  h += "</tbody></table>\n</section>\n";

  // 二、热力图
  h += "<section id=\"heatmap\">\n<h2>二、问题分布（类别×单位）</h2>\n";
  h += v.entries.empty() ? "<p class=\"empty\">无</p>" : HeatmapSvg(v.heat);
  h += "\n</section>\n";
  // 三、四、柱状图
  h += "<section id=\"by-category\">\n<h2>三、问题类别分布</h2>\n" +
       BarChart("chart-category", "各类问题数量", Named(s.by_category, CategoryName)) +
       "\n</section>\n";
  h += "<section id=\"by-disposition\">\n<h2>四、处置方式分布</h2>\n" +
       BarChart("chart-disposition", "各处置方式问题数量", Named(s.by_disposition, DispositionName)) +
       "\n</section>\n";

  // 五、共性问题
  h += "<section id=\"patterns\">\n<h2>五、共性问题与规律</h2>\n";
  if (v.patterns.empty() && v.common.empty()) h += "<p class=\"empty\">无</p>\n";
  for (const PatternView& pv : v.patterns) {
    const v1::Pattern& p = *pv.pattern;
    h += "<div class=\"pattern\" data-pattern=\"" + HtmlEscape(p.pattern_id()) + "\"><h3>" +
         HtmlEscape(PatternKindName(p.kind())) + "：" +
         HtmlEscape(MaybeMask(p.summary().empty() ? p.pattern_id() : p.summary(), options)) +
         "</h3><p class=\"meta\">" + HtmlEscape(CategoryName(p.category()));
    if (!p.subcategory().empty()) {
      h += " / " + HtmlEscape(SubcategoryName(p.category(), p.subcategory()));
    }
    h += " · 涉及单位" + std::to_string(p.unit_ids_size()) + "家";
    if (!p.previous_round().empty()) h += " · 前次轮次 " + HtmlEscape(p.previous_round());
    h += "</p><ul>";
    for (const v1::LedgerEntry* e : pv.members) {
      h += "<li><b>" + HtmlEscape(e->id()) + "</b> " + HtmlEscape(UnitLabel(*e)) + "：" +
           HtmlEscape(utf8::Truncate(e->finding().text(), 80)) + "</li>";
    }
    h += "</ul></div>\n";
  }
  if (!v.common.empty()) {
    h += "<h3>共性问题清单</h3><table id=\"common-problems\"><thead><tr><th>问题类别</th><th>问题子类</th>"
         "<th>涉及单位(家)</th><th>问题数</th><th>涉及金额(元)</th><th>建议建章立制</th></tr></thead><tbody>";
    for (const v1::CommonProblem* c : v.common) {
      h += "<tr><td>" + HtmlEscape(CategoryName(c->category())) + "</td><td>" +
           HtmlEscape(SubcategoryName(c->category(), c->subcategory())) + "</td><td class=\"num\">" +
           std::to_string(c->unit_ids_size()) + "</td><td class=\"num\">" +
           std::to_string(c->count()) + "</td><td class=\"num\">" +
           (c->amount().fen() != 0 ? Grouped(c->amount().fen()) : "") + "</td><td>" +
           HtmlEscape(c->suggested_fix()) + "</td></tr>";
    }
    h += "</tbody></table>\n";
  }
  h += "</section>\n";

  // 六、逾期
  h += "<section id=\"overdue\">\n<h2>六、逾期未完成整改</h2>\n";
  if (v.overdue.empty()) {
    h += "<p class=\"empty\">无</p>\n";
  } else {
    h += "<table><thead><tr><th>问题编号</th><th>被巡察单位</th><th>问题子类</th><th>整改时限</th>"
         "<th>责任单位/部门</th><th>督办情况</th></tr></thead><tbody>";
    for (const v1::LedgerEntry* e : v.overdue) {
      std::string esc;
      for (const v1::Escalation& x : e->escalations()) {
        for (const TaxonomyEntry& l : EscalationLevels()) {
          if (l.id == x.level()) esc += (esc.empty() ? "" : "→") + std::string(l.name);
        }
      }
      h += "<tr><td>" + HtmlEscape(e->id()) + "</td><td>" + HtmlEscape(UnitLabel(*e)) +
           "</td><td>" + HtmlEscape(Subcat(*e)) + "</td><td>" +
           HtmlEscape(e->rectification().deadline()) + "</td><td>" +
           HtmlEscape(e->rectification().responsible_unit()) + "</td><td>" + HtmlEscape(esc) +
           "</td></tr>";
    }
    h += "</tbody></table>\n";
  }
  h += "</section>\n";

  // 七、问题清单
  h += "<section id=\"problems\">\n<h2>七、问题清单</h2>\n<table id=\"problem-list\"><thead><tr>"
       "<th>序号</th><th>问题编号</th><th>被巡察单位</th><th>问题类别</th><th>问题子类</th>"
       "<th>问题描述</th><th>涉及金额(元)</th><th>处置方式</th><th>整改状态</th><th>整改时限</th>"
       "</tr></thead><tbody>\n";
  for (const v1::LedgerEntry& e : v.entries) {
    const v1::Money* m = AmountOf(e);
    h += "<tr><td class=\"num\">" + std::to_string(e.seq()) + "</td><td>" + HtmlEscape(e.id()) +
         "</td><td>" + HtmlEscape(UnitLabel(e)) + "</td><td>" +
         HtmlEscape(CategoryName(e.classification().category())) + "</td><td>" +
         HtmlEscape(Subcat(e)) + "</td><td>" + HtmlEscape(e.finding().text()) +
         "</td><td class=\"num\">" + (m != nullptr ? Grouped(m->fen()) : "") + "</td><td>" +
         HtmlEscape(DispositionName(e.classification().disposition())) + "</td><td>" +
         HtmlEscape(LifecycleStateName(e.state())) + "</td><td>" +
         HtmlEscape(e.rectification().deadline()) + "</td></tr>\n";
  }
  h += "</tbody></table>\n</section>\n</body>\n</html>\n";
  return h;
}

std::string RenderReportMarkdown(const ReportData& data, const ReportOptions& options) {
  View v = Prepare(data, options);
  const ReportSummary& s = v.summary;
  std::string m = "# " + MdEscape(options.title) + "\n\n公开范围：" +
                  AudienceLabel(options.audience);
  if (!options.generated_at.empty()) m += " · 生成时间：" + MdEscape(options.generated_at);
  if (!v.as_of.empty()) m += " · 逾期统计截至：" + MdEscape(v.as_of);
  if (options.mask_personal_data) m += " · 个人信息已脱敏";
  m += "\n\n## 一、总体情况\n\n| 指标 | 数值 |\n|---|---:|\n";
  auto row2 = [&](const std::string& a, const std::string& b) {
    m += "| " + MdEscape(a) + " | " + MdEscape(b) + " |\n";
  };
  row2("发现问题(个)", std::to_string(s.problems));
  row2("涉及单位(家)", std::to_string(s.units));
  row2("已完成整改", std::to_string(s.completed));
  row2("正在整改", std::to_string(s.in_progress));
  row2("其中延期", std::to_string(s.extended));
  row2("尚未启动整改", std::to_string(s.not_started));
  row2("问题线索在办", std::to_string(s.leads_open));
  row2("核实后销号(不成立)", std::to_string(s.written_off));
  row2("逾期", std::to_string(s.overdue));
  row2("整改完成率", Percent(s.completion_rate));
  row2("涉及金额(元)", Grouped(s.amount_fen));
  row2("清退/追缴金额(元)", Grouped(s.recovered_fen));
  row2("尚未追缴金额(元)", Grouped(s.outstanding_fen));
  row2("处理人数", std::to_string(s.people_handled));
  row2("建章立制(项)", std::to_string(s.rules_made));
  row2("未能归类的记录(未列入)", std::to_string(s.skipped_unclassified));
  row2("无需处置的记录(未列入)", std::to_string(s.skipped_disposition_none));

  m += "\n## 二、问题分布（类别×单位）\n\n";
  if (v.entries.empty()) {
    m += "无\n";
  } else {
    m += "| 问题类别 |";
    for (const std::string& c : v.heat.col_labels) m += " " + MdEscape(c) + " |";
    m += "\n|---|";
    for (size_t i = 0; i < v.heat.col_labels.size(); ++i) m += "---:|";
    m += "\n";
    for (size_t r = 0; r < v.heat.row_ids.size(); ++r) {
      m += "| " + MdEscape(CategoryName(v.heat.row_ids[r])) + " |";
      for (int64_t n : v.heat.cells[r]) m += " " + (n > 0 ? std::to_string(n) : "") + " |";
      m += "\n";
    }
  }
  m += "\n## 三、问题类别分布\n\n| 问题类别 | 问题数 |\n|---|---:|\n";
  for (const auto& [c, n] : s.by_category) row2(std::string(CategoryName(c)), std::to_string(n));
  m += "\n## 四、处置方式分布\n\n| 处置方式 | 问题数 |\n|---|---:|\n";
  for (const auto& [d, n] : s.by_disposition) {
    row2(d.empty() ? "未填写" : std::string(DispositionName(d)), std::to_string(n));
  }
  m += "\n## 五、共性问题与规律\n\n";
  if (v.patterns.empty() && v.common.empty()) m += "无\n";
  for (const PatternView& pv : v.patterns) {
    const v1::Pattern& p = *pv.pattern;
    m += "### " + MdEscape(PatternKindName(p.kind())) + "：" +
         MdEscape(MaybeMask(p.summary().empty() ? p.pattern_id() : p.summary(), options)) +
         "\n\n";
    for (const v1::LedgerEntry* e : pv.members) {
      m += "- **" + MdEscape(e->id()) + "** " + MdEscape(UnitLabel(*e)) + "：" +
           MdEscape(utf8::Truncate(e->finding().text(), 80)) + "\n";
    }
    m += "\n";
  }
  if (!v.common.empty()) {
    m += "### 共性问题清单\n\n| 问题类别 | 问题子类 | 涉及单位(家) | 问题数 | 建议建章立制 |\n"
         "|---|---|---:|---:|---|\n";
    for (const v1::CommonProblem* c : v.common) {
      m += "| " + MdEscape(CategoryName(c->category())) + " | " +
           MdEscape(SubcategoryName(c->category(), c->subcategory())) + " | " +
           std::to_string(c->unit_ids_size()) + " | " + std::to_string(c->count()) + " | " +
           MdEscape(c->suggested_fix()) + " |\n";
    }
  }
  m += "\n## 六、逾期未完成整改\n\n";
  if (v.overdue.empty()) {
    m += "无\n";
  } else {
    m += "| 问题编号 | 被巡察单位 | 问题子类 | 整改时限 | 责任单位/部门 |\n|---|---|---|---|---|\n";
    for (const v1::LedgerEntry* e : v.overdue) {
      m += "| " + MdEscape(e->id()) + " | " + MdEscape(UnitLabel(*e)) + " | " +
           MdEscape(Subcat(*e)) + " | " + MdEscape(e->rectification().deadline()) + " | " +
           MdEscape(e->rectification().responsible_unit()) + " |\n";
    }
  }
  m += "\n## 七、问题清单\n\n| 序号 | 问题编号 | 被巡察单位 | 问题类别 | 问题子类 | 问题描述 | "
       "涉及金额(元) | 处置方式 | 整改状态 | 整改时限 |\n|---:|---|---|---|---|---|---:|---|---|---|\n";
  for (const v1::LedgerEntry& e : v.entries) {
    const v1::Money* amount = AmountOf(e);
    m += "| " + std::to_string(e.seq()) + " | " + MdEscape(e.id()) + " | " +
         MdEscape(UnitLabel(e)) + " | " + MdEscape(CategoryName(e.classification().category())) +
         " | " + MdEscape(Subcat(e)) + " | " + MdEscape(e.finding().text()) + " | " +
         (amount != nullptr ? Grouped(amount->fen()) : "") + " | " +
         MdEscape(DispositionName(e.classification().disposition())) + " | " +
         MdEscape(LifecycleStateName(e.state())) + " | " +
         MdEscape(e.rectification().deadline()) + " |\n";
  }
  return m;
}

}  // namespace xuncha
