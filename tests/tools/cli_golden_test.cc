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

#include "io/io_test_util.h"

namespace xuncha {
namespace {

using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

const std::string kDataDir = std::string(XUNCHA_SOURCE_DIR) + "/tests/testdata/tools";
const std::string kCliDir = kDataDir + "/cli";

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

struct Result {
  int exit_code = -1;
  std::string out, err;
};

Result RunCli(const std::vector<std::string>& args, const std::string& tmp) {
  std::string out_path = tmp + "/.stdout", err_path = tmp + "/.stderr";
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(kDataDir.c_str()) != 0) _exit(127);
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) _exit(127);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> argv;
    std::string cli = XUNCHA_CLI_PATH;
    argv.push_back(cli.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(cli.c_str(), argv.data());
    _exit(127);
  }
  Result r;
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReplaceAll(ReadFileOrDie(out_path), tmp, "$TMP");
  r.err = ReplaceAll(ReadFileOrDie(err_path), tmp, "$TMP");
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return r;
}

void Compare(const std::string& expected_path, const std::string& actual, bool update) {
  if (update) {
    WriteFileOrDie(expected_path, actual);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(expected_path)) << expected_path;
  EXPECT_EQ(ReadFileOrDie(expected_path), actual) << "differs from " << expected_path;
}

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
    Result r = RunCli(Args(line, tmp.path()), tmp.path());
    Compare(kCliDir + "/" + name + ".exit", std::to_string(r.exit_code) + "\n", update);
    Compare(kCliDir + "/" + name + ".stdout", r.out, update);
    Compare(kCliDir + "/" + name + ".stderr", r.err, update);
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
    RunCli(Args(cmd, tmp.path()), tmp.path());
    std::string first = ReadFileOrDie(tmp.File("out"));
    ASSERT_FALSE(first.empty());
    std::filesystem::remove(tmp.File("out"));
    RunCli(Args(cmd, tmp.path()), tmp.path());
    EXPECT_EQ(first, ReadFileOrDie(tmp.File("out")));
    // No temporary file left beside the output.
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(tmp.path())) files += e.is_regular_file();
    EXPECT_EQ(files, 1);
  }
}

}  // namespace
}  // namespace xuncha
