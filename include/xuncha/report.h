// The inspection report: a self-contained HTML page (inline CSS, inline SVG
// charts, no external assets) and the same content as Markdown.
//
//   xuncha::ReportData data;
//   data.entries = *ledger->Entries();
//   data.skipped = *ledger->Skipped();
//   xuncha::ReportOptions opts;
//   opts.audience = "public";
//   opts.generated_at = "2024-06-01T09:00:00Z";
//   std::string html = xuncha::RenderReportHtml(data, opts);
//
// Sections: headline figures (问题总数 by aspect, completed / in progress /
// extended, completion rate, money recovered and outstanding, people
// handled, rules made), a category × unit heatmap, issues by category and
// by disposition (bar charts), cross-unit patterns with their member
// issues, overdue rectifications, and the full problem list.
//
// Definitions (the headline figures):
//   completed    state accepted or closed (leads: closed after feedback)
//   in progress  claimed assigned in_progress overdue submitted reopened
//   extended     deadline extended at least once (any state)
//   not started  draft verifying confirmed;  leads open: transferred
//                feedback_received;  written off: written_off
//   completion rate = completed / (entries − written off)
//   recovered    Σ rectification.recovered;  outstanding Σ max(0,
//                to_recover − recovered)
//   overdue      state overdue, or in progress with a deadline before
//                as_of
// Only entries VisibleTo(audience) are shown or counted; pattern members
// that are not visible are left out, and a pattern with no visible member
// is not shown. Output is deterministic: the only time in it is
// generated_at, and only when given.

#ifndef XUNCHA_REPORT_H_
#define XUNCHA_REPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/export.h"
#include "xuncha/status.h"
#include "xuncha/v1/ledger.pb.h"
#include "xuncha/v1/patterns.pb.h"

namespace xuncha {

struct ReportOptions {
  std::string title = "巡察发现问题及整改情况报告";
  std::string audience = "internal";  // public | internal | withheld
  bool mask_personal_data = false;    // as in ledger_export.h
  std::string generated_at;           // shown verbatim when non-empty
  std::string as_of;                  // "YYYY-MM-DD"; empty = generated_at's date
  int max_heatmap_units = 40;         // further units are summed as "其他单位"
};

struct ReportData {
  std::vector<v1::LedgerEntry> entries;
  std::vector<v1::SkippedFinding> skipped;
  std::optional<v1::PatternReport> patterns;
};

struct ReportSummary {
  int64_t problems = 0;
  int64_t units = 0;
  std::vector<std::pair<std::string, int64_t>> by_category;     // DOMAIN order
  std::vector<std::pair<std::string, int64_t>> by_disposition;  // DOMAIN order
  int64_t completed = 0;
  int64_t in_progress = 0;
  int64_t extended = 0;
  int64_t not_started = 0;
  int64_t leads_open = 0;
  int64_t written_off = 0;
  int64_t overdue = 0;
  double completion_rate = 0;  // 0..1
  int64_t amount_fen = 0;      // amounts involved
  int64_t recovered_fen = 0;
  int64_t outstanding_fen = 0;
  int64_t people_handled = 0;
  int64_t rules_made = 0;
  int64_t skipped_unclassified = 0;
  int64_t skipped_disposition_none = 0;
};

// The figures over the entries visible to options.audience.
XUNCHA_EXPORT ReportSummary Summarize(const ReportData& data, const ReportOptions& options);
XUNCHA_EXPORT std::string RenderReportHtml(const ReportData& data, const ReportOptions& options);
XUNCHA_EXPORT std::string RenderReportMarkdown(const ReportData& data,
                                               const ReportOptions& options);

// Escapes & < > " ' for HTML text and attributes.
XUNCHA_EXPORT std::string HtmlEscape(std::string_view s);
// Writes a report file atomically (temp file, fsync, rename).
XUNCHA_EXPORT Status WriteReportFile(const std::string& path, std::string_view contents);

}  // namespace xuncha

#endif  // XUNCHA_REPORT_H_
