#include "compile/regex_window.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xuncha::compile {
namespace {

using ::testing::UnorderedElementsAre;

TEST(RegexWindowTest, GapPatternsAreBoundedAroundTheirLongestLiteral) {
  auto w = AnalyzeRegexWindow("未.{0,8}采购合同");
  ASSERT_TRUE(w.has_value());
  EXPECT_TRUE(w->bounded);
  EXPECT_EQ(w->max_chars, 13u);
  EXPECT_THAT(w->literals, UnorderedElementsAre("采购合同"));
  EXPECT_EQ(w->anchor, RegexWindow::Anchor::kSuffix);
  w = AnalyzeRegexWindow("采购合同.{0,30}未签订");
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->anchor, RegexWindow::Anchor::kPrefix);
  EXPECT_THAT(w->literals, UnorderedElementsAre("采购合同"));

  w = AnalyzeRegexWindow("(采购|购置).{0,10}未验收");
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->max_chars, 15u);
  EXPECT_THAT(w->literals, UnorderedElementsAre("未验收"));
}

TEST(RegexWindowTest, AlternationsNeedEveryBranchToHaveALiteral) {
  auto w = AnalyzeRegexWindow("(围标|串标|陪标)");
  ASSERT_TRUE(w.has_value());
  EXPECT_THAT(w->literals, UnorderedElementsAre("围标", "串标", "陪标"));
  EXPECT_FALSE(AnalyzeRegexWindow("(围标|.)").has_value());
  EXPECT_FALSE(AnalyzeRegexWindow("(围标|)").has_value());
}

TEST(RegexWindowTest, QuantifiersClassesAndEscapes) {
  auto w = AnalyzeRegexWindow("[0-9]{1,6}(万元|元)");
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->max_chars, 8u);
  EXPECT_THAT(w->literals, UnorderedElementsAre("万元", "元"));
  w = AnalyzeRegexWindow("\\d+?");
  EXPECT_FALSE(w.has_value());
  w = AnalyzeRegexWindow("采购.*合同");  // unbounded: prefilter only
  ASSERT_TRUE(w.has_value());
  EXPECT_FALSE(w->bounded);
  EXPECT_EQ(w->literals.size(), 1u);
  w = AnalyzeRegexWindow("a{2,}");
  ASSERT_TRUE(w.has_value());
  EXPECT_FALSE(w->bounded);
  w = AnalyzeRegexWindow("费用\\.{0,2}\\p{Han}?报销");
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->max_chars, 7u);
  w = AnalyzeRegexWindow("(?:套取|虚列)资金");
  ASSERT_TRUE(w.has_value());
  EXPECT_THAT(w->literals, UnorderedElementsAre("资金"));  // one literal beats two of the same length
}

TEST(RegexWindowTest, RefusesWhatItCannotBoundSafely) {
  for (const char* p : {"^招标", "招标$", "\\b招标", "(?i)abc", "[ab]+", ".*",
                        "(", "[abc", "\\x41", "", "(?P<x>a"}) {
    EXPECT_FALSE(AnalyzeRegexWindow(p).has_value()) << p;
  }
}

}  // namespace
}  // namespace xuncha::compile
