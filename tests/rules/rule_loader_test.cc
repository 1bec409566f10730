#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "rules/rule_source.h"

namespace xuncha::rules {
namespace {

namespace fs = std::filesystem;

struct Loaded {
  Status status;
  LoadedRuleSet set;
  std::vector<Diagnostic> diagnostics;
};

std::unique_ptr<Loaded> Load(std::string_view text, LoadOptions options = {}) {
  auto out = std::make_unique<Loaded>();
  out->status = LoadRuleSetFromString("r.textproto", text, options, &out->set, &out->diagnostics);
  return out;
}

// "line:col" of a rule field.
std::string Where(const LoadedRuleSet& set, int rule, const std::string& key) {
  const RuleSource& src = set.rules.at(rule);
  auto it = src.field_offsets.find(key);
  if (it == src.field_offsets.end()) return "missing " + key;
  SourceLocation loc = src.file->Locate(it->second);
  return std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

std::string Where(const Diagnostic& d) {
  return std::to_string(d.location.line) + ":" + std::to_string(d.location.column);
}

TEST(RuleLoaderTest, LocatesFieldsOfSeveralRulesInCodePoints) {
  auto l = Load(
      "name: \"测试\" version: \"1\"\n"
      "rule {\n"
      "  id: \"a\"\n"
      "  title: \"化整为零\" when: 'x'  category: \"bidding\"\n"
      "  basis { regulation: \"招标投标法\" }\n"
      "  examples { text: \"例一\" } examples { text: \"例二\" }\n"
      "}\n"
      "rule { title: \"中文\"\tid: \"b\" tags: [\"甲\", \"乙\"] }\n");
  ASSERT_TRUE(l->status.ok()) << l->status;
  ASSERT_TRUE(l->diagnostics.empty()) << l->diagnostics[0].ToString();
  ASSERT_EQ(l->set.set.rule_size(), 2);
  ASSERT_EQ(l->set.rules.size(), 2u);
  EXPECT_EQ(l->set.rules[0].file->Locate(l->set.rules[0].rule_offset).line, 2u);
  EXPECT_EQ(Where(l->set, 0, "id"), "3:7");
  EXPECT_EQ(Where(l->set, 0, "title"), "4:10");
  EXPECT_EQ(Where(l->set, 0, "when"), "4:23");  // after 化整为零: 4 code points, 12 bytes
  EXPECT_EQ(Where(l->set, 0, "category"), "4:38");
  EXPECT_EQ(Where(l->set, 0, "basis[0]"), "5:3");
  EXPECT_EQ(Where(l->set, 0, "basis[0].regulation"), "5:23");
  EXPECT_EQ(Where(l->set, 0, "examples[0].text"), "6:20");
  EXPECT_EQ(Where(l->set, 0, "examples[1]"), "6:27");
  EXPECT_EQ(Where(l->set, 0, "examples[1].text"), "6:44");
  EXPECT_EQ(Where(l->set, 1, "id"), "8:24");  // a tab is one column
  EXPECT_EQ(Where(l->set, 1, "tags[0]"), "8:35");
  EXPECT_EQ(Where(l->set, 1, "tags[1]"), "8:40");
  EXPECT_EQ(l->set.header_file, l->set.files[0].get());
  EXPECT_EQ(l->set.set.name(), "测试");
}

TEST(RuleLoaderTest, MapsPositionsInsideWhenThroughEscapesAndConcatenation) {
  std::string text =
      "name: \"x\" version: \"1\"\n"
      "rule {\n"
      "  id: \"a\"\n"
      "  when: 'text.contains(\"\\u62db\\u6807\")'\n"
      "        \" && \\x61mount > 0\" # comment\n"
      "        '\\n|| lexicon(\"围标\")'\n"
      "}\n";
  auto l = Load(text);
  ASSERT_TRUE(l->diagnostics.empty()) << l->diagnostics[0].ToString();
  const v1::Rule& rule = l->set.set.rule(0);
  EXPECT_EQ(rule.when(), "text.contains(\"招标\") && amount > 0\n|| lexicon(\"围标\")");
  const RuleSource& src = l->set.rules[0];
  ASSERT_FALSE(src.when_map.empty());
  EXPECT_EQ(src.when_map.decoded_size(), rule.when().size());
  auto at = [&](std::string_view fragment) {
    size_t k = rule.when().find(fragment);
    SourceLocation loc = src.file->Locate(src.when_map.FileOffset(static_cast<uint32_t>(k)));
    return std::to_string(loc.line) + ":" + std::to_string(loc.column);
  };
  EXPECT_EQ(at("text"), "4:10");
  EXPECT_EQ(at("招"), "4:25");   // the \u62db escape
  EXPECT_EQ(at("标"), "4:31");   // the \u6807 escape
  EXPECT_EQ(at("&&"), "5:11");   // second literal, next line
  EXPECT_EQ(at("amount"), "5:14");  // \x61
  EXPECT_EQ(at("mount"), "5:18");
  EXPECT_EQ(at("\n"), "6:10");   // \n in the third literal
  EXPECT_EQ(at("围标"), "6:24");  // raw Chinese: code-point column
  // Past the end: the end of the last literal.
  SourceLocation end = src.file->Locate(src.when_map.FileOffset(100000));
  EXPECT_EQ(end.line, 6u);
  // Other string fields have maps too.
  EXPECT_EQ(src.string_maps.count("id"), 1u);
}

TEST(RuleLoaderTest, LexiconTermsInListSyntaxHaveTheirOwnOffsets) {
  auto l = Load(
      "name: \"x\" version: \"1\"\n"
      "lexicon { name: \"招标词\" terms: [\"招标\", '投' '标', \"评标\"] terms: \"开标\" }\n");
  ASSERT_TRUE(l->diagnostics.empty());
  ASSERT_EQ(l->set.lexicons.size(), 1u);
  const LexiconSource& lex = l->set.lexicons[0];
  ASSERT_EQ(lex.term_offsets.size(), 4u);
  ASSERT_EQ(lex.term_maps.size(), 4u);
  auto col = [&](uint32_t off) { return lex.file->Locate(off).column; };
  EXPECT_EQ(col(lex.term_offsets[0]), 31u);
  EXPECT_EQ(col(lex.term_offsets[1]), 37u);
  EXPECT_EQ(col(lex.term_offsets[2]), 46u);
  EXPECT_EQ(col(lex.term_offsets[3]), 59u);
  EXPECT_EQ(l->set.set.lexicon(0).terms(1), "投标");
  // 标 of the second term comes from the second literal.
  EXPECT_EQ(col(lex.term_maps[1].FileOffset(3)), 42u);
  EXPECT_EQ(col(lex.field_offsets.at("name")), 17u);
}

TEST(RuleLoaderTest, RulesInListSyntax) {
  auto l = Load("name: \"x\"\nrule: [{ id: \"a\" }, { id: \"b\" }]\n");
  ASSERT_EQ(l->set.set.rule_size(), 2);
  EXPECT_EQ(l->set.rules[0].file->Locate(l->set.rules[0].rule_offset).column, 8u);
  EXPECT_EQ(l->set.rules[1].file->Locate(l->set.rules[1].rule_offset).column, 21u);
  EXPECT_EQ(Where(l->set, 1, "id"), "2:27");
}

TEST(RuleLoaderTest, SyntaxErrorsAreAllReportedAndGoodRulesKept) {
  auto l = Load(
      "name: \"x\" version: \"1\"\n"
      "rule { id: \"a\" when: 5 }\n"
      "rule { id: \"b\" when: \"ok\" }\n"
      "rule { id: \"c\" 标题: \"x\" }\n"
      "rule { id: \"d\" when: \"ok\" }\n");
  ASSERT_TRUE(l->status.ok());
  ASSERT_EQ(l->diagnostics.size(), 2u);
  EXPECT_EQ(l->diagnostics[0].code, "syntax");
  EXPECT_EQ(l->diagnostics[0].message, "expected string, got: 5");
  EXPECT_EQ(Where(l->diagnostics[0]), "2:22");
  EXPECT_EQ(l->diagnostics[0].source_line, "rule { id: \"a\" when: 5 }");
  EXPECT_EQ(l->diagnostics[1].code, "syntax");
  EXPECT_EQ(Where(l->diagnostics[1]), "4:16");
  EXPECT_EQ(l->diagnostics[1].message,
            "unexpected character \"标\" outside a string literal (field names are ASCII; text "
            "goes in quotes)");
  EXPECT_EQ(l->set.syntax_errors, 2u);
  ASSERT_EQ(l->set.set.rule_size(), 2);
  EXPECT_EQ(l->set.set.rule(0).id(), "b");
  EXPECT_EQ(l->set.set.rule(1).id(), "d");
  EXPECT_EQ(Where(l->set, 1, "when"), "5:22");
}

TEST(RuleLoaderTest, ErrorAtEndOfFile) {
  auto l = Load("name: \"x\"\nrule { id: \"a\" when:");
  ASSERT_EQ(l->diagnostics.size(), 1u);
  EXPECT_EQ(l->diagnostics[0].message, "\"{\" is never closed: expected \"}\" before the end of the file");
  EXPECT_EQ(Where(l->diagnostics[0]), "2:6");
  auto m = Load("name: ");
  ASSERT_EQ(m->diagnostics.size(), 1u);
  EXPECT_EQ(m->diagnostics[0].message, "expected string, got end of input");
  EXPECT_EQ(Where(m->diagnostics[0]), "1:7");
}

TEST(RuleLoaderTest, UnknownFieldsSuggestTheClosestName) {
  auto l = Load("name: \"x\"\nrule { id: \"a\" whne: \"b\" basis { artcle: \"第一条\" } qqq: 1 }\n");
  ASSERT_EQ(l->diagnostics.size(), 3u);
  EXPECT_EQ(l->diagnostics[0].message, "unknown field \"whne\" in Rule; did you mean \"when\"?");
  EXPECT_EQ(l->diagnostics[0].code, "unknown-field");
  EXPECT_EQ(Where(l->diagnostics[0]), "2:16");
  EXPECT_EQ(l->diagnostics[0].location.length, 4u);
  EXPECT_EQ(l->diagnostics[1].message, "unknown field \"artcle\" in Basis; did you mean \"article\"?");
  EXPECT_EQ(Where(l->diagnostics[1]), "2:34");
  EXPECT_EQ(l->diagnostics[2].message, "unknown field \"qqq\" in Rule");
  // The rule is kept: the other checks still see it.
  EXPECT_EQ(l->set.set.rule_size(), 1);
}

TEST(RuleLoaderTest, NonUtf8FileIsAnErrorWithItsByteOffset) {
  auto l = Load("name: \"x\"\nrule { title: \"招\xff\" }\n");
  ASSERT_TRUE(l->status.ok());
  ASSERT_EQ(l->diagnostics.size(), 1u);
  EXPECT_EQ(l->diagnostics[0].code, "invalid-utf8");
  EXPECT_EQ(l->diagnostics[0].location.offset, 28u);
  EXPECT_NE(l->diagnostics[0].message.find("byte offset 28"), std::string::npos);
  EXPECT_EQ(l->set.set.rule_size(), 0);
}

TEST(RuleLoaderTest, LimitsAreStatuses) {
  LoadOptions small;
  small.max_file_bytes = 10;
  auto l = Load("name: \"a long name\"", small);
  EXPECT_EQ(l->status.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(l->status.message().find("max_file_bytes"), std::string::npos);

  LoadOptions few;
  few.max_rules = 2;
  l = Load("rule { id: \"a\" } rule { id: \"b\" }", few);
  EXPECT_TRUE(l->status.ok());
  l = Load("rule { id: \"a\" } rule { id: \"b\" } rule { id: \"c\" }", few);
  EXPECT_EQ(l->status.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(l->status.message().find("max_rules"), std::string::npos);

  LoadOptions errors;
  errors.max_errors_per_file = 3;
  std::string bad;
  for (int i = 0; i < 10; ++i) bad += "rule { id: 1 }\n";
  l = Load(bad, errors);
  ASSERT_EQ(l->diagnostics.size(), 4u);
  EXPECT_EQ(l->diagnostics[3].severity, Severity::kNote);
  EXPECT_NE(l->diagnostics[3].message.find("max_errors_per_file"), std::string::npos);
}

class RuleDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("xuncha_rules_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  fs::path dir_;
};

TEST_F(RuleDirTest, MergesFilesInNameOrder) {
  Write("b_rules.textproto", "lexicon { name: \"词\" terms: \"招标\" }\nrule { id: \"b1\" }\n");
  Write("a_head.textproto", "name: \"集\" version: \"3\"\nrule { id: \"a1\" }\nstage { name: \"s\" }\n");
  Write("c.textproto", "rule { id: \"c1\" }\nnegation_cue: \"未发现\"\npattern { id: \"p\" }\n"
                       "negation_cue_after: [\"举报失实\", \"情况不实\"]\n");
  Write("skip.txt", "rule { id: \"zzz\" }");
  Write(".#b_rules.textproto", "rule { id: \"backup\" }");
  fs::create_directories(dir_ / "sub.textproto");  // a directory: not read
  LoadedRuleSet set;
  std::vector<Diagnostic> diags;
  ASSERT_TRUE(LoadRuleSet({dir_.string()}, {}, &set, &diags).ok());
  EXPECT_TRUE(diags.empty()) << diags[0].ToString();
  ASSERT_EQ(set.set.rule_size(), 3);
  EXPECT_EQ(set.set.rule(0).id(), "a1");
  EXPECT_EQ(set.set.rule(1).id(), "b1");
  EXPECT_EQ(set.set.rule(2).id(), "c1");
  ASSERT_EQ(set.files.size(), 3u);
  EXPECT_EQ(set.header_file->path, (dir_ / "a_head.textproto").string());
  EXPECT_EQ(set.rules[1].file->path, (dir_ / "b_rules.textproto").string());
  EXPECT_EQ(set.set.name(), "集");
  EXPECT_EQ(set.set.version(), "3");
  EXPECT_EQ(set.lexicons.size(), 1u);
  EXPECT_EQ(set.stages.size(), 1u);
  EXPECT_EQ(set.stage_files.size(), 1u);
  EXPECT_EQ(set.stage_offsets.size(), 1u);
  EXPECT_EQ(set.negation_cues.size(), 1u);
  ASSERT_EQ(set.negation_cues_after.size(), 2u);
  EXPECT_EQ(set.set.negation_cue_after(1), "情况不实");
  EXPECT_EQ(set.negation_cues_after[1].file->Locate(set.negation_cues_after[1].offset).line, 4u);
  ASSERT_EQ(set.patterns.size(), 1u);
  EXPECT_EQ(set.patterns[0].file->Locate(set.patterns[0].field_offsets.at("id")).line, 3u);
}

TEST_F(RuleDirTest, SecondHeaderIsAnErrorWithANote) {
  Write("1.textproto", "name: \"甲\"\n");
  Write("2.textproto", "\nname: \"乙\"\n");
  LoadedRuleSet set;
  std::vector<Diagnostic> diags;
  ASSERT_TRUE(LoadRuleSet({dir_.string()}, {}, &set, &diags).ok());
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[0].code, "duplicate-header");
  EXPECT_EQ(diags[0].severity, Severity::kError);
  EXPECT_EQ(diags[0].location.path, (dir_ / "2.textproto").string());
  EXPECT_EQ(diags[0].location.line, 2u);
  EXPECT_EQ(diags[1].severity, Severity::kNote);
  EXPECT_EQ(diags[1].location.path, (dir_ / "1.textproto").string());
  EXPECT_EQ(set.set.name(), "甲");
}

TEST_F(RuleDirTest, ErrorsInOneFileDoNotStopTheOthers) {
  Write("1.textproto", "name: \"甲\"\nrule { id: }\n");
  Write("2.textproto", "rule { id: \"x\" when: 3 }\nrule { id: \"y\" }\n");
  LoadedRuleSet set;
  std::vector<Diagnostic> diags;
  ASSERT_TRUE(LoadRuleSet({dir_.string()}, {}, &set, &diags).ok());
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[0].location.path, (dir_ / "1.textproto").string());
  EXPECT_EQ(diags[1].location.path, (dir_ / "2.textproto").string());
  ASSERT_EQ(set.set.rule_size(), 1);
  EXPECT_EQ(set.set.rule(0).id(), "y");
}

TEST_F(RuleDirTest, FilesAndDirectoriesTogether) {
  Write("a.textproto", "name: \"甲\"\n");
  fs::create_directories(dir_ / "more");
  std::ofstream(dir_ / "more" / "x.textproto") << "rule { id: \"x\" }\n";
  LoadedRuleSet set;
  std::vector<Diagnostic> diags;
  ASSERT_TRUE(LoadRuleSet({(dir_ / "a.textproto").string(), (dir_ / "more").string()}, {}, &set,
                          &diags).ok());
  EXPECT_TRUE(diags.empty());
  EXPECT_EQ(set.set.rule_size(), 1);
  EXPECT_EQ(set.files.size(), 2u);
}

TEST_F(RuleDirTest, MissingPathIsNotFound) {
  LoadedRuleSet set;
  std::vector<Diagnostic> diags;
  std::string missing = (dir_ / "nope.textproto").string();
  Status s = LoadRuleSet({missing}, {}, &set, &diags);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find(missing), std::string::npos);
}

TEST_F(RuleDirTest, FileOverTheSizeLimit) {
  Write("big.textproto", std::string(2000, ' '));
  LoadOptions options;
  options.max_file_bytes = 1000;
  LoadedRuleSet set;
  std::vector<Diagnostic> diags;
  Status s = LoadRuleSet({dir_.string()}, options, &set, &diags);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("big.textproto"), std::string::npos);
}

TEST_F(RuleDirTest, UnreadableFileIsPermissionDenied) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads everything";
  Write("a.textproto", "name: \"x\"");
  fs::permissions(dir_ / "a.textproto", fs::perms::none);
  LoadedRuleSet set;
  std::vector<Diagnostic> diags;
  Status s = LoadRuleSet({(dir_ / "a.textproto").string()}, {}, &set, &diags);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("a.textproto"), std::string::npos);
}

TEST(RuleLoaderTest, AtStringUnderlinesTheSourceOfADecodedFragment) {
  auto l = Load(
      "name: \"x\"\n"
      "rule { id: \"a\" when: 'lexicon(\"\\u62db\\u6807\") && x'\n"
      "  ' || lexicon(\"围标\")' }\n");
  ASSERT_TRUE(l->diagnostics.empty()) << l->diagnostics[0].ToString();
  const RuleSource& src = l->set.rules[0];
  const std::string& when = l->set.set.rule(0).when();
  uint32_t b = static_cast<uint32_t>(when.find("\"招标\""));
  Diagnostic d = l->set.AtString(src.file, src.when_map, src.rule_offset, b, b + 8,
                                 Severity::kError, "unknown lexicon", "unknown-lexicon");
  EXPECT_EQ(d.ToString(),
            "r.textproto:2:31: error: unknown lexicon [unknown-lexicon]\n"
            "  rule { id: \"a\" when: 'lexicon(\"\\u62db\\u6807\") && x'\n"
            "                                ^~~~~~~~~~~~~~");
  b = static_cast<uint32_t>(when.find("\"围标\""));
  d = l->set.AtString(src.file, src.when_map, src.rule_offset, b, b + 8, Severity::kError,
                      "unknown lexicon", "unknown-lexicon");
  EXPECT_EQ(d.ToString(),
            "r.textproto:3:16: error: unknown lexicon [unknown-lexicon]\n"
            "    ' || lexicon(\"围标\")' }\n"
            "                 ^~~~~~");
  // A fragment running to the end of the first literal stops at its line.
  b = static_cast<uint32_t>(when.find("&& x") + 3);
  d = l->set.AtString(src.file, src.when_map, src.rule_offset, b, b + 5, Severity::kError, "m", "c");
  EXPECT_EQ(d.location.line, 2u);
  EXPECT_EQ(d.location.length, 2u);  // x and the closing quote
  // No map: at the fallback.
  d = l->set.AtString(src.file, StringSourceMap(), src.rule_offset, 0, 1, Severity::kError, "m",
                      "c");
  EXPECT_EQ(d.location.column, 1u);
}

// Parsing top-level field by field must give what protobuf gives for the
// whole file, whenever protobuf accepts the file.
TEST(RuleLoaderTest, SameResultAsProtobufOnFilesItAccepts) {
  int compared = 0;
  for (const char* dir : {"tests/testdata/diagnostics", "fuzz/corpus/rule_loader"}) {
    for (const fs::directory_entry& e : fs::directory_iterator(fs::path(XUNCHA_SOURCE_DIR) / dir)) {
      if (e.path().extension() != ".textproto") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      v1::RuleSet whole;
      google::protobuf::TextFormat::Parser parser;
      struct Quiet : google::protobuf::io::ErrorCollector {
        void AddError(int, int, const std::string&) override {}
      } quiet;
      parser.RecordErrorsTo(&quiet);
      // Protobuf takes non-UTF-8 files; we do not (see NonUtf8File…).
      if (!parser.ParseFromString(text.str(), &whole) || !utf8::IsValid(text.str())) continue;
      auto l = Load(text.str());
      ASSERT_TRUE(l->status.ok());
      // Bytes, not MessageDifferencer: NaN must equal NaN here.
      EXPECT_EQ(whole.SerializeAsString(), l->set.set.SerializeAsString())
          << e.path() << "\n" << whole.DebugString() << "\nvs\n" << l->set.set.DebugString();
      EXPECT_EQ(l->set.rules.size(), static_cast<size_t>(whole.rule_size()));
      ++compared;
    }
  }
  EXPECT_GE(compared, 20);
}

TEST(SourceFileTest, LocateAndLine) {
  auto l = Load("name: \"x\"\r\n\n  招标 x\n");
  const SourceFile& f = *l->set.files[0];
  SourceLocation loc = f.Locate(static_cast<uint32_t>(f.content.find("x\n")), 3);
  EXPECT_EQ(loc.line, 3u);
  EXPECT_EQ(loc.column, 6u);
  EXPECT_EQ(loc.length, 3u);
  EXPECT_EQ(loc.path, "r.textproto");
  EXPECT_EQ(f.Line(1), "name: \"x\"");  // \r dropped
  EXPECT_EQ(f.Line(2), "");
  EXPECT_EQ(f.Line(3), "  招标 x");
  EXPECT_EQ(f.Line(5), "");
  SourceLocation end = f.Locate(1000000);
  EXPECT_EQ(end.offset, f.content.size());
  EXPECT_EQ(end.line, 4u);
  EXPECT_EQ(end.column, 1u);
}

TEST(SourceFileTest, AtFillsTheSourceLine) {
  auto l = Load("name: \"x\"\nversion: \"招标\"\n");
  const SourceFile* f = l->set.files[0].get();
  Diagnostic d = l->set.At(f, 19, Severity::kWarning, "m", "c", 4);
  EXPECT_EQ(d.source_line, "version: \"招标\"");
  EXPECT_EQ(d.Headline(), "r.textproto:2:10: warning: m [c]");
  EXPECT_EQ(d.ToString(),
            "r.textproto:2:10: warning: m [c]\n"
            "  version: \"招标\"\n"
            "           ^~~~~~");
}

}  // namespace
}  // namespace xuncha::rules
