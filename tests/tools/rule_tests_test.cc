// RunRuleTests on tests/testdata/tools/rules.textproto: 6 passes, and one
// failure of each kind at the example's text in the file.

#include <gtest/gtest.h>

#include "xuncha/compiler.h"
#include "xuncha/tools.h"

namespace xuncha {
namespace {

const std::string kRules = std::string(XUNCHA_SOURCE_DIR) + "/tests/testdata/tools/rules.textproto";

std::shared_ptr<const Engine> Compile(const std::string& path) {
  auto result = CompileRules({path});
  if (!result.ok()) return nullptr;
  return result->engine;
}

const RuleTestResult* Find(const RuleTestReport& r, const std::string& rule, bool near_miss,
                           int index) {
  for (const RuleTestResult& t : r.results) {
    if (t.rule_id == rule && t.near_miss == near_miss && t.index == index) return &t;
  }
  return nullptr;
}

TEST(RuleTestsTest, PassesAndEachKindOfFailure) {
  auto engine = Compile(kRules);
  ASSERT_NE(engine, nullptr);
  auto report = RunRuleTests(engine, {kRules});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->passed, 6u);
  EXPECT_EQ(report->failed, 3u);
  ASSERT_EQ(report->results.size(), 9u);

  const RuleTestResult* wrong = Find(*report, "bid.split", false, 1);
  ASSERT_NE(wrong, nullptr);
  EXPECT_FALSE(wrong->passed);
  EXPECT_EQ(wrong->diagnostic.code, "example-wrong-conclusion");
  EXPECT_EQ(wrong->diagnostic.location.line, 31u);
  EXPECT_EQ(wrong->diagnostic.location.column, 11u);
  EXPECT_EQ(wrong->notes[0], "disposition: expected transfer_lead, got rectify_by_deadline");

  const RuleTestResult* silent = Find(*report, "fin.slush", false, 1);
  ASSERT_NE(silent, nullptr);
  EXPECT_EQ(silent->diagnostic.code, "example-no-fire");
  EXPECT_EQ(silent->diagnostic.location.line, 43u);

  const RuleTestResult* fires = Find(*report, "fin.slush", true, 0);
  ASSERT_NE(fires, nullptr);
  EXPECT_EQ(fires->diagnostic.code, "near-miss-fires");
  EXPECT_EQ(fires->diagnostic.rule_id, "fin.slush");
  EXPECT_NE(fires->notes[0].find("小金库"), std::string::npos);

  const RuleTestResult* ok = Find(*report, "pay.welfare", true, 0);
  ASSERT_NE(ok, nullptr);
  EXPECT_TRUE(ok->passed);
  EXPECT_GT(ok->diagnostic.location.line, 0u);  // located even when passing

  std::string text = FormatRuleTestReport(*report);
  EXPECT_NE(text.find("\n6 passed, 3 failed\n"), std::string::npos);
  EXPECT_NE(text.find("rules.textproto:43:20: error: example of fin.slush does not fire "
                      "[example-no-fire]"),
            std::string::npos)
      << text;
}

TEST(RuleTestsTest, OneRuleAndUnknownRule) {
  auto engine = Compile(kRules);
  ASSERT_NE(engine, nullptr);
  RuleTestOptions options;
  options.rule_id = "bid.no_tender";
  auto report = RunRuleTests(engine, {kRules}, options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->passed, 2u);
  EXPECT_EQ(report->failed, 0u);
  options.rule_id = "no.such.rule";
  auto missing = RunRuleTests(engine, {kRules}, options);
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(RuleTestsTest, WithoutSourcesFailuresHaveNoPosition) {
  auto engine = Compile(kRules);
  ASSERT_NE(engine, nullptr);
  auto report = RunRuleTests(engine, {});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->failed, 3u);
  for (const RuleTestResult& r : report->results) EXPECT_EQ(r.diagnostic.location.line, 0u);
  EXPECT_NE(FormatRuleTestReport(*report).find("error: near-miss of fin.slush fires [near-miss-fires]"),
            std::string::npos);
}

TEST(RuleTestsTest, JUnitCountsAndEscapes) {
  auto engine = Compile(kRules);
  ASSERT_NE(engine, nullptr);
  auto report = RunRuleTests(engine, {kRules});
  ASSERT_TRUE(report.ok());
  std::string xml = RuleTestJUnitXml(*report);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  EXPECT_NE(xml.find("<testsuites name=\"xuncha test\" tests=\"9\" failures=\"3\""), std::string::npos);
  EXPECT_NE(xml.find("tests=\"9\" failures=\"3\" errors=\"0\" skipped=\"0\">"), std::string::npos);
  EXPECT_NE(xml.find("&quot;小金库&quot;"), std::string::npos);  // evidence quoted, escaped
  // Balanced: one opening and one closing tag per testcase with a failure.
  size_t open = 0, close = 0;
  for (size_t p = 0; (p = xml.find("<testcase ", p)) != std::string::npos; ++p) ++open;
  for (size_t p = 0; (p = xml.find("</testcase>", p)) != std::string::npos; ++p) ++close;
  EXPECT_EQ(open, 9u);
  EXPECT_EQ(close, 3u);
}

}  // namespace
}  // namespace xuncha
