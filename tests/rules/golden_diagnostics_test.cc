// Golden diagnostics: each tests/testdata/diagnostics/<case>.textproto (or
// directory <case>/ of rule files) is loaded and checked; the rendered
// diagnostics, sorted, must equal <case>.expected byte for byte.
//
// Regenerate after a deliberate change with
//   XUNCHA_UPDATE_GOLDENS=1 ./build/tests/xuncha_tests --gtest_filter='GoldenDiagnostics*'
// and review the diff.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "rules/rule_source.h"

namespace xuncha {
namespace {

namespace fs = std::filesystem;

fs::path GoldenDir() {
  return fs::path(XUNCHA_SOURCE_DIR) / "tests" / "testdata" / "diagnostics";
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s->find(from, pos)) != std::string::npos; pos += to.size()) {
    s->replace(pos, from.size(), to);
  }
}

// Load + check, rendered: one Diagnostic::ToString() after another, each
// ending in a newline; a non-OK status first.
std::string Render(const fs::path& input) {
  rules::LoadedRuleSet loaded;
  std::vector<Diagnostic> diagnostics;
  Status status = rules::LoadRuleSet({input.string()}, {}, &loaded, &diagnostics);
  if (status.ok()) check::CheckRuleSet(loaded, &diagnostics);
  SortDiagnostics(&diagnostics);
  std::string out;
  if (!status.ok()) out += "status: " + status.ToString() + "\n";
  for (const Diagnostic& d : diagnostics) out += d.ToString() + "\n";
  // Paths relative to the golden directory, wherever the tree is.
  ReplaceAll(&out, (GoldenDir() / "").string(), "");
  return out;
}

std::vector<fs::path> Cases() {
  std::vector<fs::path> cases;
  for (const fs::directory_entry& e : fs::directory_iterator(GoldenDir())) {
    if (e.path().extension() == ".textproto" || e.is_directory()) cases.push_back(e.path());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

TEST(GoldenDiagnosticsTest, EveryCaseMatchesItsExpectedFile) {
  const bool update = std::getenv("XUNCHA_UPDATE_GOLDENS") != nullptr &&
                      std::string(std::getenv("XUNCHA_UPDATE_GOLDENS")) == "1";
  std::vector<fs::path> cases = Cases();
  ASSERT_GE(cases.size(), 15u);
  for (const fs::path& input : cases) {
    fs::path expected_path = input;
    expected_path.replace_extension(".expected");
    std::string actual = Render(input);
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << actual;
      continue;
    }
    ASSERT_TRUE(fs::exists(expected_path)) << expected_path << " is missing; run with XUNCHA_UPDATE_GOLDENS=1";
    EXPECT_EQ(ReadAll(expected_path), actual) << "case " << input.filename();
  }
}

// Every stable code the loader and the checks document is exercised by some
// golden case, so a code cannot silently stop being produced.
TEST(GoldenDiagnosticsTest, EveryCodeIsCovered) {
  std::string all;
  for (const fs::path& input : Cases()) {
    fs::path expected_path = input;
    expected_path.replace_extension(".expected");
    all += ReadAll(expected_path);
  }
  const char* codes[] = {
      "syntax", "unknown-field", "invalid-utf8", "duplicate-header", "no-rule-files",
      "missing-name", "missing-version", "duplicate-rule-id", "missing-rule-id", "bad-rule-id",
      "missing-when", "unknown-category", "unknown-subcategory", "subcategory-without-category",
      "missing-category", "duplicate-secondary", "unknown-discipline", "unknown-nature",
      "unknown-disposition", "unknown-transfer-target", "transfer-target-without-transfer",
      "unknown-stage", "duplicate-stage", "missing-stage-name", "duplicate-lexicon",
      "missing-lexicon-name", "empty-lexicon", "empty-term", "duplicate-term", "short-keyword",
      "mixed-width", "basis-without-regulation", "example-without-text", "bad-example-json",
      "bad-score", "no-conclusion", "empty-negation-cue", "duplicate-negation-cue",
      "pattern-missing-id", "pattern-bad-id", "pattern-duplicate-id", "pattern-missing-kind",
      "pattern-unknown-category", "pattern-unknown-subcategory",
      "pattern-subcategory-without-category", "pattern-bad-threshold",
      "pattern-missing-threshold", "pattern-bad-group-by", "pattern-bad-measure",
      "pattern-irrelevant-field"};
  for (const char* code : codes) {
    EXPECT_NE(all.find(std::string("[") + code + "]"), std::string::npos) << code;
  }
}

}  // namespace
}  // namespace xuncha
