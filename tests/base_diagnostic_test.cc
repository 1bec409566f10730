#include "xuncha/diagnostic.h"

#include <gtest/gtest.h>

namespace xuncha {
namespace {

Diagnostic Make(std::string line, uint32_t column, uint32_t length) {
  Diagnostic d;
  d.location.path = "f.textproto";
  d.location.line = 3;
  d.location.column = column;
  d.location.length = length;
  d.message = "m";
  d.code = "c";
  d.source_line = std::move(line);
  return d;
}

TEST(DiagnosticTest, CaretUnderAsciiFragment) {
  EXPECT_EQ(Make("abc def", 5, 3).ToString(),
            "f.textproto:3:5: error: m [c]\n  abc def\n      ^~~");
}

TEST(DiagnosticTest, WideCharactersTakeTwoCells) {
  // 招标 before the fragment: 4 cells; the fragment "词" is 2 cells wide.
  EXPECT_EQ(Make("招标 \"词\"", 4, 3).ToString(),
            "f.textproto:3:4: error: m [c]\n  招标 \"词\"\n       ^~~~");
  // Full-width punctuation is wide too; a 3-byte but narrow character (…) is not.
  EXPECT_EQ(Make("，…x", 3, 1).ToString(), "f.textproto:3:3: error: m [c]\n  ，…x\n     ^");
}

TEST(DiagnosticTest, TabsAreKept) {
  EXPECT_EQ(Make("\tid:\t\"x\"", 6, 3).ToString(),
            "f.textproto:3:6: error: m [c]\n  \tid:\t\"x\"\n  \t   \t^~~");
}

TEST(DiagnosticTest, CaretPastTheEndOfTheLine) {
  EXPECT_EQ(Make("ab", 3, 5).ToString(), "f.textproto:3:3: error: m [c]\n  ab\n    ^");
}

TEST(DiagnosticTest, NoSourceLineNoCaret) {
  Diagnostic d = Make("", 1, 1);
  EXPECT_EQ(d.ToString(), "f.textproto:3:1: error: m [c]");
  d.location = SourceLocation{};
  d.severity = Severity::kNote;
  EXPECT_EQ(d.ToString(), "note: m [c]");
}

}  // namespace
}  // namespace xuncha
