// Shared by the CLI golden tests: run the built `xuncha` in a directory with
// stdout/stderr captured, and compare against (or rewrite, with
// XUNCHA_UPDATE_GOLDENS=1) expected files.

#ifndef XUNCHA_TESTS_CLI_GOLDEN_UTIL_H_
#define XUNCHA_TESTS_CLI_GOLDEN_UTIL_H_

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "io/io_test_util.h"

namespace xuncha::testing {

inline std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs XUNCHA_CLI_PATH with `args` in directory `dir`, stdin from
// `stdin_file` (or /dev/null); `tmp` is a scratch directory whose path is
// replaced by $TMP in the captured output.
inline CliResult RunCliIn(const std::string& dir, const std::vector<std::string>& args,
                          const std::string& stdin_file, const std::string& tmp) {
  std::string out_path = tmp + "/.stdout", err_path = tmp + "/.stderr";
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) _exit(127);
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
  CliResult r;
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReplaceAll(ReadFileOrDie(out_path), tmp, "$TMP");
  r.err = ReplaceAll(ReadFileOrDie(err_path), tmp, "$TMP");
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return r;
}

// Compares `actual` with the file at `expected_path`, or rewrites it.
inline void CompareGolden(const std::string& expected_path, const std::string& actual, bool update) {
  if (update) {
    WriteFileOrDie(expected_path, actual);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(expected_path)) << expected_path;
  EXPECT_EQ(ReadFileOrDie(expected_path), actual) << "differs from " << expected_path;
}

}  // namespace xuncha::testing

#endif  // XUNCHA_TESTS_CLI_GOLDEN_UTIL_H_
