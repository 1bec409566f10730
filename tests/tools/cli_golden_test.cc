// Golden tests of `xuncha test`, `eval`, `diff` and `coverage`: each case in
// tests/testdata/tools/cli/ is NAME.cmd (one line of arguments, split on
// spaces; $TMP is a fresh directory) plus the expected NAME.exit,
// NAME.stdout and NAME.stderr. The CLI runs in tests/testdata/tools, so
// messages name files as given. XUNCHA_UPDATE_GOLDENS=1 rewrites the
// expected files (review the diff!).

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "cli_golden_util.h"
#include "io/io_test_util.h"

namespace xuncha {
namespace {

using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

const std::string kDataDir = std::string(XUNCHA_SOURCE_DIR) + "/tests/testdata/tools";
const std::string kCliDir = kDataDir + "/cli";

using testing::CliResult;
using testing::ReplaceAll;


std::vector<std::string> Args(const std::string& line, const std::string& tmp) {
  std::vector<std::string> args;
  std::istringstream words(ReplaceAll(line, "$TMP", tmp));
  for (std::string w; words >> w;) args.push_back(w);
  return args;
}

TEST(ToolsCliGoldenTest, AllCases) {
  bool update = getenv("XUNCHA_UPDATE_GOLDENS") != nullptr;
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(kCliDir)) {
    if (e.path().extension() == ".cmd") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  ASSERT_GE(names.size(), 8u);
  for (const std::string& name : names) {
    SCOPED_TRACE("case " + name);
    TempDir tmp;
    std::string line = ReadFileOrDie(kCliDir + "/" + name + ".cmd");
    line = line.substr(0, line.find('\n'));
    CliResult r = testing::RunCliIn(kDataDir, Args(line, tmp.path()), "", tmp.path());
    testing::CompareGolden(kCliDir + "/" + name + ".exit", std::to_string(r.exit_code) + "\n", update);
    testing::CompareGolden(kCliDir + "/" + name + ".stdout", r.out, update);
    testing::CompareGolden(kCliDir + "/" + name + ".stderr", r.err, update);
  }
}

// --json and --junit outputs: written, complete, and the same on a second run.
TEST(ToolsCliGoldenTest, MachineOutputsAreDeterministic) {
  TempDir tmp;
  const std::vector<std::string> commands = {
      "test rules.textproto --junit $TMP/out",
      "eval --rules rules.textproto labelled.jsonl --json $TMP/out",
      "diff --old rules.textproto --new rules_new.textproto labelled.jsonl --json $TMP/out",
      "coverage --rules rules.textproto findings.jsonl --json $TMP/out",
  };
  for (const std::string& cmd : commands) {
    SCOPED_TRACE(cmd);
    testing::RunCliIn(kDataDir, Args(cmd, tmp.path()), "", tmp.path());
    std::string first = ReadFileOrDie(tmp.File("out"));
    ASSERT_FALSE(first.empty());
    std::filesystem::remove(tmp.File("out"));
    testing::RunCliIn(kDataDir, Args(cmd, tmp.path()), "", tmp.path());
    EXPECT_EQ(first, ReadFileOrDie(tmp.File("out")));
    // No temporary file left beside the output.
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(tmp.path())) files += e.is_regular_file();
    EXPECT_EQ(files, 1);
  }
}

}  // namespace
}  // namespace xuncha
