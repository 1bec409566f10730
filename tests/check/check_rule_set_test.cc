#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/rule_source.h"

namespace xuncha::check {
namespace {

std::vector<Diagnostic> LoadAndCheck(std::string_view text) {
  rules::LoadedRuleSet set;
  std::vector<Diagnostic> diags;
  EXPECT_TRUE(rules::LoadRuleSetFromString("c.textproto", text, {}, &set, &diags).ok());
  CheckRuleSet(set, &diags);
  SortDiagnostics(&diags);
  return diags;
}

std::vector<std::string> Codes(const std::vector<Diagnostic>& diags) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diags) out.push_back(d.code);
  return out;
}

constexpr char kHeader[] = "name: \"n\" version: \"1\"\n";

TEST(CheckRuleSetTest, CleanRuleHasNoDiagnostics) {
  auto d = LoadAndCheck(std::string(kHeader) +
                        "rule { id: \"a.b-c_1\" when: \"true\" category: \"bidding\" "
                        "subcategory: \"bid_rigging\" discipline: \"integrity\" nature: \"lead\" "
                        "disposition: \"transfer_lead\" transfer_target: \"discipline\" "
                        "score: 0 confidence: 1 deadline_days: 0 }");
  EXPECT_TRUE(d.empty()) << d[0].ToString();
}

TEST(CheckRuleSetTest, DiagnosticsCarryTheRuleId) {
  auto d = LoadAndCheck(std::string(kHeader) +
                        "rule { id: \"r7\" when: \"true\" category: \"bidding\" nature: \"big\" }");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "unknown-nature");
  EXPECT_EQ(d[0].rule_id, "r7");
  EXPECT_EQ(d[0].location.line, 2u);
  EXPECT_EQ(d[0].location.column, 58u);
  EXPECT_EQ(d[0].location.length, 5u);  // "big" with its quotes
}

TEST(CheckRuleSetTest, DuplicateIdNotePointsAtTheFirst) {
  auto d = LoadAndCheck(std::string(kHeader) +
                        "rule { id: \"x\" when: \"t\" category: \"other\" }\n"
                        "rule { id: \"x\" when: \"t\" category: \"other\" }\n"
                        "rule { id: \"x\" when: \"t\" category: \"other\" }\n");
  EXPECT_EQ(Codes(d), (std::vector<std::string>{"duplicate-rule-id", "duplicate-rule-id",
                                                "duplicate-rule-id", "duplicate-rule-id"}));
  EXPECT_EQ(d[0].severity, Severity::kNote);
  EXPECT_EQ(d[0].location.line, 2u);
  EXPECT_EQ(d[1].location.line, 2u);  // the note again, for the third
  EXPECT_EQ(d[2].location.line, 3u);
  EXPECT_EQ(d[3].location.line, 4u);
}

TEST(CheckRuleSetTest, SubcategoryOfAnUnknownCategoryIsNotCheckedTwice) {
  auto d = LoadAndCheck(std::string(kHeader) +
                        "rule { id: \"x\" when: \"t\" category: \"nope\" subcategory: \"also_nope\" }");
  EXPECT_EQ(Codes(d), std::vector<std::string>{"unknown-category"});
}

TEST(CheckRuleSetTest, MissingNameIsQuietAfterSyntaxErrors) {
  auto d = LoadAndCheck("name: 5\nrule { id: \"x\" when: \"t\" category: \"other\" }");
  EXPECT_EQ(Codes(d), std::vector<std::string>{"syntax"});
}

TEST(CheckRuleSetTest, WorksWithoutSourcePositions) {
  // A set built in code (no files): diagnostics without locations.
  rules::LoadedRuleSet set;
  set.set.set_name("n");
  v1::Rule* rule = set.set.add_rule();
  rule->set_id("a b");
  rule->set_category("zzz");
  v1::PatternDef* p = set.set.add_pattern();
  p->set_kind(v1::PATTERN_KIND_SPLIT_PURCHASE);
  std::vector<Diagnostic> d;
  CheckRuleSet(set, &d);
  SortDiagnostics(&d);
  EXPECT_EQ(Codes(d), (std::vector<std::string>{"bad-rule-id", "missing-when",
                                                "pattern-missing-id", "pattern-missing-threshold",
                                                "unknown-category", "missing-version"}));
  for (const Diagnostic& x : d) EXPECT_EQ(x.location.line, 0u);
}

TEST(CheckRuleSetTest, ShortKeywordOnlyForASingleHanCharacter) {
  auto d = LoadAndCheck(std::string(kHeader) +
                        "lexicon { name: \"l\" terms: [\"a\", \"招标\", \"，\", \"𠀀\", \"标\"] }");
  std::vector<uint32_t> columns;
  for (const Diagnostic& x : d) {
    EXPECT_EQ(x.code, "short-keyword");
    columns.push_back(x.location.column);
  }
  // 𠀀 (U+20000, extension B) and 标.
  EXPECT_EQ(columns, (std::vector<uint32_t>{45, 50}));
}

}  // namespace
}  // namespace xuncha::check
