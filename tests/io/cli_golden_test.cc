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

#include "cli_golden_util.h"
#include "io/io_test_util.h"

namespace xuncha {
namespace {

using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

const std::string kDataDir = std::string(XUNCHA_SOURCE_DIR) + "/tests/testdata/io";
const std::string kCliDir = kDataDir + "/cli";

using testing::CliResult;
using testing::ReplaceAll;


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
    CliResult r = testing::RunCliIn(kDataDir, args, stdin_file, tmp.path());
    ASSERT_NE(r.exit_code, 127) << "could not run " << XUNCHA_CLI_PATH;
    testing::CompareGolden(kCliDir + "/" + name + ".exit", std::to_string(r.exit_code) + "\n", update);
    testing::CompareGolden(kCliDir + "/" + name + ".stdout", r.out, update);
    testing::CompareGolden(kCliDir + "/" + name + ".stderr", r.err, update);
    for (const auto& [path, expected] : expects) {
      ASSERT_TRUE(std::filesystem::exists(path)) << path << " was not written";
      testing::CompareGolden(kCliDir + "/" + expected, ReadFileOrDie(path), update);
    }
    // Nothing but the expected outputs is left behind (no temporaries).
    for (const auto& e : std::filesystem::directory_iterator(tmp.path())) {
      bool expected = false;
      for (const auto& [path, unused] : expects) expected = expected || e.path() == path;
      EXPECT_TRUE(expected) << "left behind: " << e.path();
    }
  }
}

// `classify --profile` prints a table whose columns line up whatever the
// length of the rule ids (the default set's ids run past 40 characters).
// Times differ from run to run, so this checks the layout, not the bytes.
TEST(CliProfileTest, TableColumnsLineUpForLongRuleIds) {
  TempDir tmp;
  WriteFileOrDie(tmp.path() + "/rules.textproto",
                 "name: \"p\"\nversion: \"1\"\nstage { name: \"classify\" }\n"
                 "rule { id: \"a\" stage: \"classify\" category: \"procurement\" when: 'text.contains(\"采购\")' }\n"
                 "rule { id: \"procurement.a_rule_id_much_longer_than_thirty_six_columns\" "
                 "stage: \"classify\" category: \"bidding\" when: 'text.contains(\"招标\")' }\n");
  WriteFileOrDie(tmp.path() + "/in.jsonl",
                 "{\"id\":\"f1\",\"text\":\"采购未招标\"}\n{\"id\":\"f2\",\"text\":\"招标\"}\n");
  CliResult r = testing::RunCliIn(tmp.path(),
                                  {"classify", "--rules", "rules.textproto", "in.jsonl", "-o",
                                   "out.jsonl", "--profile"},
                                  "", tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.err.substr(r.err.find("slowest rules")));
  std::string title, header, row;
  std::getline(lines, title);
  std::getline(lines, header);
  std::vector<std::string> rows;
  while (std::getline(lines, row)) rows.push_back(row);
  ASSERT_EQ(rows.size(), 2u) << r.err;
  EXPECT_EQ(title, "slowest rules (2 of 2):");
  // Every line is the same width (the numbers align right under their
  // headings), and each row starts with its whole rule id and a space.
  for (const std::string& line : rows) {
    EXPECT_EQ(line.size(), header.size()) << header << "\n" << line;
    const std::string id = line.substr(0, line.find(' '));
    EXPECT_TRUE(id == "a" || id == "procurement.a_rule_id_much_longer_than_thirty_six_columns") << line;
    // evals (1 or 2 findings were candidates) end under "evals".
    EXPECT_EQ(line.find_last_not_of(' ', header.find("evals") + 4), header.find("evals") + 4) << line;
  }
}

}  // namespace
}  // namespace xuncha
