// The `patterns` and `reconcile` subcommands, run as a user runs them, and
// the shipped pattern definitions.

#include <google/protobuf/text_format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "xuncha/patterns.h"
#include "xuncha/taxonomy.h"
#include "xuncha/v1/rules.pb.h"

namespace xuncha {
namespace {

using ::testing::HasSubstr;

struct Result {
  int exit_code = -1;
  std::string out;
};

// Runs the CLI with `args` (shell words), capturing stdout; stderr goes to
// stdout when `merge_stderr`.
Result RunCli(const std::string& args, bool merge_stderr = false) {
  std::string cmd = std::string("cd ") + XUNCHA_SOURCE_DIR + " && " + XUNCHA_CLI_PATH + " " + args +
                    (merge_stderr ? " 2>&1" : " 2>/dev/null");
  Result r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr char kRound[] =
    "patterns --rules rules/default tests/testdata/patterns/round.jsonl "
    "--previous tests/testdata/patterns/previous.jsonl "
    "--inspected tests/testdata/patterns/inspected.txt";

TEST(PatternsCliTest, ChineseTableOfPatternsAndCommonProblems) {
  Result r = RunCli(kRound);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("受检单位14个，问题21项"));
  EXPECT_THAT(r.out, HasSubstr("7个单位存在违规用车/公车私用问题（共7项，占受检单位的50.0%）"));
  EXPECT_THAT(r.out, HasSubstr("整改不到位"));
  EXPECT_THAT(r.out, HasSubstr("华信建设有限公司与3个单位的3项问题相关"));
  EXPECT_THAT(r.out, HasSubstr("合计520.00万元，涉嫌化整为零规避公开招标"));
  EXPECT_THAT(r.out, HasSubstr("共性问题清单"));
  EXPECT_THAT(r.out, HasSubstr("全面执行派车单"));  // the specific def's fix
  // Columns line up by display width: every row's "说明" column starts at
  // the same terminal column as the header's.
  std::istringstream lines(r.out);
  std::string line;
  size_t header_col = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("序号  类型", 0) == 0) header_col = line.find("说明");
  }
  EXPECT_GT(header_col, 0u);
}

TEST(PatternsCliTest, JsonOutputIsDeterministicAndAtomic) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("xuncha_patterns_cli_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string a = (dir / "a.json").string(), b = (dir / "b.json").string();
  std::string lines = (dir / "p.jsonl").string();
  ASSERT_EQ(RunCli(std::string(kRound) + " -o " + a).exit_code, 0);
  ASSERT_EQ(RunCli(std::string(kRound) + " -o " + b).exit_code, 0);
  ASSERT_EQ(RunCli(std::string(kRound) + " -o " + lines).exit_code, 0);
  EXPECT_EQ(Slurp(a), Slurp(b));
  EXPECT_THAT(Slurp(a), HasSubstr("\"common_problems\""));
  EXPECT_THAT(Slurp(a), HasSubstr("\"previously_rectified\": true"));
  int n = 0;
  std::istringstream in(Slurp(lines));
  std::string line;
  while (std::getline(in, line)) {
    EXPECT_EQ(line.front(), '{');
    ++n;
  }
  EXPECT_GT(n, 10);
  // No temporary files left behind.
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 3);
  fs::remove_all(dir);
}

TEST(PatternsCliTest, BadRecordsAndUsage) {
  namespace fs = std::filesystem;
  fs::path bad = fs::temp_directory_path() / ("xuncha_bad_" + std::to_string(getpid()) + ".jsonl");
  {
    std::ofstream out(bad);
    out << "{\"finding\": {\"id\": \"a\"}}\n\n{not json\n";
  }
  Result r = RunCli("patterns " + bad.string(), true);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr(bad.string() + ":record 2 (line 3): "));
  EXPECT_THAT(r.out, HasSubstr("1 of 2 records rejected"));
  fs::remove(bad);
  EXPECT_EQ(RunCli("patterns", true).exit_code, 2);
  EXPECT_EQ(RunCli("patterns --format xml tests/testdata/patterns/round.jsonl", true).exit_code, 2);
  Result missing = RunCli("patterns --rules /nonexistent/rules.textproto tests/testdata/patterns/round.jsonl", true);
  EXPECT_EQ(missing.exit_code, 1);
}

TEST(ReconcileCliTest, AgendaTable) {
  Result r = RunCli("reconcile tests/testdata/reconcile/inspectors.jsonl tests/testdata/reconcile/unit.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("巡察组22项，单位20项"));
  EXPECT_THAT(r.out, HasSubstr("面对面沟通议题"));
  EXPECT_THAT(r.out, HasSubstr("定性不一致：巡察组认定为工程招投标/先实施后招标/未招先建"));
  Result json = RunCli("reconcile --format json tests/testdata/reconcile/inspectors.jsonl "
                       "tests/testdata/reconcile/unit.jsonl");
  EXPECT_THAT(json.out, HasSubstr("\"inspector_only\""));
  EXPECT_EQ(RunCli("reconcile only-one.jsonl", true).exit_code, 2);
  EXPECT_EQ(RunCli("reconcile --threshold 2 a b", true).exit_code, 2);
}

// Patterns call Subcategory() names; every shipped def must be valid.
TEST(DefaultPatternRulesTest, ShippedDefinitionsParseAndRun) {
  std::string text = Slurp(std::string(XUNCHA_SOURCE_DIR) + "/rules/default/patterns.textproto");
  v1::RuleSet set;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &set));
  ASSERT_GE(set.pattern_size(), 7);
  EXPECT_TRUE(set.name().empty()) << "the set is named elsewhere";
  std::set<int> kinds;
  std::vector<v1::PatternDef> defs(set.pattern().begin(), set.pattern().end());
  for (const auto& d : defs) {
    kinds.insert(d.kind());
    EXPECT_FALSE(d.title().empty()) << d.id();
    if (!d.subcategory().empty()) {
      EXPECT_TRUE(IsSubcategory(d.category(), d.subcategory())) << d.id();
    }
  }
  EXPECT_EQ(kinds.size(), 7u);
  StatusOr<AccumulatorOptions> options = AccumulatorOptions::ForDefs(defs);
  ASSERT_TRUE(options.ok()) << options.status();
  PatternAccumulator acc(*options);
  EXPECT_TRUE(acc.Finish(defs).ok());
}

}  // namespace
}  // namespace xuncha
