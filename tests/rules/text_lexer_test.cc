#include "rules/text_lexer.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <string>

#include "xuncha/v1/rules.pb.h"

namespace xuncha::rules::internal {
namespace {

// What protobuf makes of `title: <literal>`.
std::string ProtobufDecode(const std::string& literal) {
  v1::Rule rule;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString("title: " + literal, &rule))
      << literal;
  return rule.title();
}

TEST(TextLexerTest, DecodesLikeProtobuf) {
  const char* literals[] = {
      R"("plain")",
      R"('single "quoted"')",
      R"("esc \n \t \r \a \b \f \v \\ \? \' \"")",
      R"("oct \101\60\7 \0012")",
      R"("hex \x41\x4a\xA")",
      R"("uni \u62db\u6807 \U0001F600")",
      R"("pair \ud83d\ude00")",
      R"("中文 拆分" '和' "合同")",
      "'line one'\n  # comment between\n  \"line two\"",
      R"("")",
      R"('' "" 'x')",
  };
  for (const char* literal : literals) {
    DecodedString d;
    ASSERT_TRUE(DecodeStringRun(literal, 0, &d)) << literal;
    EXPECT_EQ(d.value, ProtobufDecode(literal)) << literal;
    EXPECT_EQ(d.map.size(), d.value.size() + 1) << literal;
    EXPECT_EQ(d.end, std::string(literal).size()) << literal;
  }
}

TEST(TextLexerTest, MapsDecodedBytesToTheirSource) {
  //                  0         1
  //                  0123456789012345678
  std::string text = "\"a\\nb\\x41\" 'c\u62db'";
  DecodedString d;
  ASSERT_TRUE(DecodeStringRun(text, 0, &d));
  EXPECT_EQ(d.value, "a\nbAc\xe6\x8b\x9b");
  EXPECT_EQ(d.map[0], 1u);   // a
  EXPECT_EQ(d.map[1], 2u);   // \n  -> the backslash
  EXPECT_EQ(d.map[2], 4u);   // b
  EXPECT_EQ(d.map[3], 5u);   // \x41
  EXPECT_EQ(d.map[4], 12u);  // c, in the second literal
  EXPECT_EQ(d.map[5], 13u);  // 招: each of its three bytes maps to itself
  EXPECT_EQ(d.map[6], 14u);
  EXPECT_EQ(d.map[7], 15u);
  EXPECT_EQ(d.map[8], text.size());  // end
}

TEST(TextLexerTest, ValuesOfListAndScalarFields) {
  std::string text = "terms: [\"a\", 'b' \"c\" , \"d\"] x";
  FieldValues v = ValuesOfField(text, 0);
  EXPECT_TRUE(v.list);
  ASSERT_EQ(v.offsets.size(), 3u);
  EXPECT_EQ(v.offsets[0], 8u);
  EXPECT_EQ(v.offsets[1], 13u);
  EXPECT_EQ(v.offsets[2], 23u);

  v = ValuesOfField("score : -0.5", 0);
  EXPECT_FALSE(v.list);
  ASSERT_EQ(v.offsets.size(), 1u);
  EXPECT_EQ(v.offsets[0], 8u);

  v = ValuesOfField("rule: [{ id: \"a\" }, <id: \"b\">]", 0);
  EXPECT_TRUE(v.list);
  ASSERT_EQ(v.offsets.size(), 2u);
  EXPECT_EQ(v.offsets[0], 7u);
  EXPECT_EQ(v.offsets[1], 20u);
}

TEST(TextLexerTest, SplitsTopLevelFields) {
  std::string text =
      "# header\nname: \"x\" version: 'y'\n"
      "rule { id: \"a\" when: \"}{\" } rule < id: \"b\" >\n"
      "negation_cue: [\"未发现\"]";
  std::vector<Chunk> chunks = SplitTopLevel(text);
  ASSERT_EQ(chunks.size(), 5u);
  EXPECT_EQ(chunks[0].begin, 0u);  // leading comment goes with the first field
  EXPECT_EQ(text.substr(chunks[1].begin, 7), "version");
  EXPECT_EQ(text.substr(chunks[2].begin, 6), "rule {");
  EXPECT_EQ(text.substr(chunks[3].begin, 6), "rule <");
  EXPECT_EQ(text.substr(chunks[4].begin, 12), "negation_cue");
  EXPECT_EQ(chunks[4].end, text.size());
  for (const Chunk& c : chunks) EXPECT_EQ(c.unclosed, std::string_view::npos);
}

TEST(TextLexerTest, ResynchronisesAtATopLevelFieldAfterAMissingBrace) {
  std::string text = "rule {\n  id: \"a\"\nrule {\n  id: \"b\"\n}\n";
  std::vector<Chunk> chunks = SplitTopLevel(text);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].unclosed, 5u);
  EXPECT_EQ(chunks[1].begin, text.find("rule {", 1));
  EXPECT_EQ(chunks[1].unclosed, std::string_view::npos);
  // An indented `rule` inside a group, or `stage:` (a Rule field), is not a
  // resynchronisation point.
  EXPECT_EQ(SplitTopLevel("rule {\n  stage: \"x\"\nstage: \"y\"\n}").size(), 1u);
}

TEST(TextLexerTest, TokenLengthCountsCodePoints) {
  EXPECT_EQ(TokenLengthChars("\"招标\" x", 0), 4u);
  EXPECT_EQ(TokenLengthChars("category: x", 0), 8u);
  EXPECT_EQ(TokenLengthChars("-0.5 ", 0), 4u);
  EXPECT_EQ(TokenLengthChars("{", 0), 1u);
  EXPECT_EQ(TokenLengthChars("", 0), 1u);
}

TEST(TextLexerTest, NeverRunsPastTheEnd) {
  const char* bad[] = {"\"", "'abc\\", "[", "{ { {", "\"\\u12", "terms: [", "x: -", "#", "\"a\" '"};
  for (const char* s : bad) {
    DecodedString d;
    DecodeStringRun(s, 0, &d);
    EXPECT_LE(d.end, std::string(s).size());
    ValuesOfField(s, 0);
    EXPECT_LE(SkipValue(s, 0), std::string(s).size() + 1);
    SplitTopLevel(s);
  }
}

}  // namespace
}  // namespace xuncha::rules::internal
