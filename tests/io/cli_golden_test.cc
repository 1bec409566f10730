// Golden tests of `xuncha convert` and `xuncha validate`: each case in
// tests/testdata/io/cli/ is NAME.cmd plus the expected NAME.exit,
// NAME.stdout, NAME.stderr and any output files.
//
// NAME.cmd: the first line is the arguments (split on spaces; $TMP is a
// fresh directory). Further lines:
//   stdin FILE             feed FILE (relative to tests/testdata/io) on stdin
//   expect PATH EXPECTED   compare the file PATH (after the run) with
//                          cli/EXPECTED
// The CLI runs in tests/testdata/io, so messages name files as given. The
// temporary directory's path is replaced by $TMP in stdout and stderr.
// XUNCHA_UPDATE_GOLDENS=1 rewrites the expected files (review the diff!).

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

const std::string kDataDir = std::string(XUNCHA_SOURCE_DIR) + "/tests/testdata/io";
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

Result RunCli(const std::vector<std::string>& args, const std::string& stdin_file,
           const std::string& tmp) {
  std::string out_path = tmp + "/.stdout", err_path = tmp + "/.stderr";
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(kDataDir.c_str()) != 0) _exit(127);
    int in = ::open(stdin_file.empty() ? "/dev/null" : stdin_file.c_str(), O_RDONLY);
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

TEST(CliGoldenTest, AllCases) {
  bool update = getenv("XUNCHA_UPDATE_GOLDENS") != nullptr;
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(kCliDir)) {
    if (e.path().extension() == ".cmd") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  ASSERT_GE(names.size(), 10u);
  for (const std::string& name : names) {
    SCOPED_TRACE("case " + name);
    TempDir tmp;
    std::istringstream cmd(ReadFileOrDie(kCliDir + "/" + name + ".cmd"));
    std::string line;
    std::getline(cmd, line);
    std::vector<std::string> args;
    std::istringstream words(ReplaceAll(line, "$TMP", tmp.path()));
    for (std::string w; words >> w;) args.push_back(w);
    std::string stdin_file;
    std::vector<std::pair<std::string, std::string>> expects;
    while (std::getline(cmd, line)) {
      std::istringstream fields(ReplaceAll(line, "$TMP", tmp.path()));
      std::string kind, a, b;
      fields >> kind >> a >> b;
      if (kind == "stdin") stdin_file = kDataDir + "/" + a;
      if (kind == "expect") expects.emplace_back(a, b);
    }
    Result r = RunCli(args, stdin_file, tmp.path());
    ASSERT_NE(r.exit_code, 127) << "could not run " << XUNCHA_CLI_PATH;
    Compare(kCliDir + "/" + name + ".exit", std::to_string(r.exit_code) + "\n", update);
    Compare(kCliDir + "/" + name + ".stdout", r.out, update);
    Compare(kCliDir + "/" + name + ".stderr", r.err, update);
    for (const auto& [path, expected] : expects) {
      ASSERT_TRUE(std::filesystem::exists(path)) << path << " was not written";
      Compare(kCliDir + "/" + expected, ReadFileOrDie(path), update);
    }
    // Nothing but the expected outputs is left behind (no temporaries).
    for (const auto& e : std::filesystem::directory_iterator(tmp.path())) {
      bool expected = false;
      for (const auto& [path, unused] : expects) expected = expected || e.path() == path;
      EXPECT_TRUE(expected) << "left behind: " << e.path();
    }
  }
}

}  // namespace
}  // namespace xuncha
