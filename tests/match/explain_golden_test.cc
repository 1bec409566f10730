// Golden tests of Matcher::Explain on the shipped rules: each line of
// tests/testdata/explain/cases.txt names a case, a rule to explain (or -) and
// a text; the trace must equal NAME.expected byte for byte.
// XUNCHA_UPDATE_GOLDENS=1 rewrites the expected files (review the diff: a
// change to rules/default changes the rule set hash in every trace).

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "xuncha/compiler.h"
#include "xuncha/engine.h"

namespace xuncha {
namespace {

const std::string kDir = std::string(XUNCHA_SOURCE_DIR) + "/tests/testdata/explain";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ExplainGoldenTest, ShippedRules) {
  auto compiled = CompileRules({std::string(XUNCHA_SOURCE_DIR) + "/rules/default"});
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  ASSERT_NE(compiled->engine, nullptr);
  Matcher matcher(compiled->engine);
  const bool update = std::getenv("XUNCHA_UPDATE_GOLDENS") != nullptr;
  std::ifstream cases(kDir + "/cases.txt");
  std::string line;
  int n = 0;
  while (std::getline(cases, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string name, rule, text;
    std::getline(fields, name, '\t');
    std::getline(fields, rule, '\t');
    std::getline(fields, text);
    v1::Finding f;
    f.set_id(name);
    f.set_text(text);
    auto trace = matcher.Explain(f, rule == "-" ? "" : rule);
    ASSERT_TRUE(trace.ok()) << name << ": " << trace.status();
    const std::string expected_path = kDir + "/" + name + ".expected";
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << *trace;
    } else {
      ASSERT_TRUE(std::filesystem::exists(expected_path)) << expected_path;
      EXPECT_EQ(Slurp(expected_path), *trace) << "differs from " << expected_path;
    }
    ++n;
  }
  EXPECT_EQ(n, 4);
}

}  // namespace
}  // namespace xuncha
