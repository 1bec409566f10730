// The report: figures, escaping, audience, determinism.

#include "xuncha/report.h"

#include <gtest/gtest.h>

#include "output/ledger_testutil.h"
#include "xuncha/ledger.h"

namespace xuncha {
namespace {

using ::xuncha::testing::Problem;

v1::LedgerEntry E(const std::string& id, int64_t seq, const std::string& unit,
                  const std::string& cat, const std::string& sub, const std::string& state,
                  const std::string& disclosure = "internal") {
  v1::LedgerEntry e = MakeEntry(Problem(id, unit, unit + "公司", "2024-R1", cat, sub,
                                        "问题" + id, 100000),
                                seq, ImportOptions(), "2024-06-01T09:00:00Z");
  e.set_state(state);
  e.set_disclosure(disclosure);
  return e;
}

ReportData Data() {
  ReportData d;
  d.entries.push_back(E("P1", 1, "A", "bidding", "split_to_evade", "closed", "public"));
  d.entries.push_back(E("P2", 2, "A", "bidding", "bid_rigging", "in_progress"));
  d.entries.push_back(E("P3", 3, "B", "eight_point", "vehicle", "overdue"));
  d.entries.push_back(E("P4", 4, "B", "eight_point", "vehicle", "written_off"));
  d.entries.push_back(E("P5", 5, "C", "personnel", "nepotism", "transferred", "withheld"));
  d.entries.push_back(E("P6", 6, "C", "finance", "slush_fund", "draft"));
  d.entries[0].mutable_rectification()->mutable_recovered()->set_fen(50000);
  d.entries[0].mutable_rectification()->mutable_to_recover()->set_fen(80000);
  d.entries[0].mutable_rectification()->set_people_handled(2);
  d.entries[0].mutable_rectification()->add_rules_made("办法");
  d.entries[1].mutable_rectification()->set_extensions(1);
  d.entries[1].mutable_rectification()->set_deadline("2024-05-01");
  v1::SkippedFinding s;
  s.set_reason("unclassified");
  d.skipped.push_back(s);
  return d;
}

TEST(ReportTest, SummaryFigures) {
  ReportOptions o;
  o.audience = "withheld";
  o.as_of = "2024-06-01";
  ReportSummary s = Summarize(Data(), o);
  EXPECT_EQ(s.problems, 6);
  EXPECT_EQ(s.units, 3);
  EXPECT_EQ(s.completed, 1);
  EXPECT_EQ(s.in_progress, 2);
  EXPECT_EQ(s.extended, 1);
  EXPECT_EQ(s.written_off, 1);
  EXPECT_EQ(s.leads_open, 1);
  EXPECT_EQ(s.not_started, 1);
  EXPECT_EQ(s.overdue, 2);  // P3 overdue; P2 past its deadline
  EXPECT_DOUBLE_EQ(s.completion_rate, 1.0 / 5.0);
  EXPECT_EQ(s.recovered_fen, 50000);
  EXPECT_EQ(s.outstanding_fen, 30000);
  EXPECT_EQ(s.people_handled, 2);
  EXPECT_EQ(s.rules_made, 1);
  EXPECT_EQ(s.amount_fen, 600000);
  EXPECT_EQ(s.skipped_unclassified, 1);
  ASSERT_EQ(s.by_category.size(), 4u);  // DOMAIN order
  EXPECT_EQ(s.by_category[0], (std::pair<std::string, int64_t>("bidding", 2)));
  EXPECT_EQ(s.by_category[1].first, "eight_point");
  EXPECT_EQ(s.by_category[2].first, "personnel");
  EXPECT_EQ(s.by_category[3].first, "finance");
}

TEST(ReportTest, AudienceFiltersEverything) {
  ReportOptions o;
  o.audience = "internal";
  EXPECT_EQ(Summarize(Data(), o).problems, 5);
  o.audience = "public";
  EXPECT_EQ(Summarize(Data(), o).problems, 1);
  std::string html = RenderReportHtml(Data(), o);
  EXPECT_NE(html.find(">P1<"), std::string::npos);
  EXPECT_EQ(html.find(">P2<"), std::string::npos);
  EXPECT_EQ(html.find("P5"), std::string::npos);
  std::string md = RenderReportMarkdown(Data(), o);
  EXPECT_EQ(md.find("P5"), std::string::npos);
  EXPECT_EQ(md.find("P2"), std::string::npos);
}

TEST(ReportTest, PatternsShowOnlyVisibleMembers) {
  ReportData d = Data();
  v1::PatternReport pr;
  v1::Pattern* p = pr.add_patterns();
  p->set_pattern_id("w1");
  p->set_kind(v1::PATTERN_KIND_WIDESPREAD);
  p->set_summary("多家单位存在招标问题");
  p->add_finding_ids("P2");
  p->add_finding_ids("P1");
  v1::Pattern* hidden = pr.add_patterns();
  hidden->set_pattern_id("h1");
  hidden->set_summary("仅含不公开问题");
  hidden->add_finding_ids("P5");
  d.patterns = pr;
  ReportOptions o;
  std::string html = RenderReportHtml(d, o);
  EXPECT_NE(html.find("普遍性问题：多家单位存在招标问题"), std::string::npos);
  EXPECT_LT(html.find("<b>P1</b>"), html.find("<b>P2</b>"));  // members sorted
  EXPECT_EQ(html.find("仅含不公开问题"), std::string::npos);
}

TEST(ReportTest, EscapesText) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  ReportData d = Data();
  d.entries[1].mutable_finding()->set_text("<script>alert(1)</script> a|b *c*");
  d.entries[1].mutable_finding()->mutable_unit()->set_name("<b>单位</b>");
  ReportOptions o;
  std::string html = RenderReportHtml(d, o);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<b>单位</b>"), std::string::npos);
  std::string md = RenderReportMarkdown(d, o);
  EXPECT_NE(md.find("&lt;script&gt;alert(1)&lt;/script&gt; a\\|b \\*c\\*"), std::string::npos);
}

TEST(ReportTest, DeterministicAndSelfContained) {
  ReportOptions o;
  std::string a = RenderReportHtml(Data(), o);
  EXPECT_EQ(a, RenderReportHtml(Data(), o));
  EXPECT_EQ(a.find("生成时间"), std::string::npos);
  EXPECT_NE(a.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(a.find("Noto Sans CJK SC"), std::string::npos);
  EXPECT_NE(a.find("Microsoft YaHei"), std::string::npos);
  EXPECT_EQ(a.find("http://www.w3.org/2000/svg"), a.find("http"));  // no external asset
  EXPECT_EQ(a.find("<link"), std::string::npos);
  EXPECT_EQ(a.find("<script"), std::string::npos);
  o.generated_at = "2024-06-01T09:00:00Z";
  EXPECT_NE(RenderReportHtml(Data(), o).find("生成时间：2024-06-01T09:00:00Z"), std::string::npos);
}

TEST(ReportTest, MaskingInReport) {
  ReportData d = Data();
  d.entries[0].mutable_finding()->set_text("张某某手机13812345678");
  ReportOptions o;
  o.mask_personal_data = true;
  std::string html = RenderReportHtml(d, o);
  EXPECT_EQ(html.find("13812345678"), std::string::npos);
  EXPECT_NE(html.find("张**手机138****5678"), std::string::npos);
}

}  // namespace
}  // namespace xuncha
