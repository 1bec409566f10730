#include "base/utf8.h"

#include <gtest/gtest.h>

namespace xuncha::utf8 {
namespace {

TEST(Utf8Test, FindsFirstInvalidByte) {
  EXPECT_EQ(FindInvalid("招标abc"), std::string_view::npos);
  std::string bad = "招标";
  bad += '\xFF';
  EXPECT_EQ(FindInvalid(bad), 6u);
  EXPECT_EQ(FindInvalid("\xC0\x80"), 0u);          // overlong
  EXPECT_EQ(FindInvalid("a\xED\xA0\x80"), 1u);     // surrogate
  EXPECT_EQ(FindInvalid("abcdefgh\xE6\x8B"), 8u);  // truncated after fast path
}

TEST(Utf8Test, WidthsForChineseTables) {
  EXPECT_EQ(CountChars("招标abc"), 5u);
  EXPECT_EQ(DisplayWidth("招标abc"), 7u);
  EXPECT_EQ(DisplayWidth("（全角）"), 8u);
  EXPECT_EQ(PadRight("招标", 6), "招标  ");
  EXPECT_EQ(Truncate("三千八百五十万元", 7), "三千八…");
}

TEST(Utf8Test, FoldsAndDetectsMixedWidths) {
  EXPECT_EQ(FoldWidth("ＡＢ１２，　"), "AB12, ");
  EXPECT_TRUE(MixesWidths("A公司（１2）"));
  EXPECT_FALSE(MixesWidths("A公司（集团）"));
  EXPECT_TRUE(IsHan(U'招'));
  EXPECT_FALSE(IsHan(U'A'));
}

}  // namespace
}  // namespace xuncha::utf8
