// `xuncha expr` end to end: output, diagnostics with carets, exit codes.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout then stderr
};

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

CliRun RunCli(const std::vector<std::string>& args) {
  std::string cmd = ShellQuote(XUNCHA_CLI_PATH) + " expr";
  for (const std::string& a : args) cmd += " " + ShellQuote(a);
  cmd += " 2>&1";
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(ExprCliTest, PrintsValueAndType) {
  CliRun r = RunCli({"[1, 2]"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "[1, 2] : list(int)\n");
  r = RunCli({"1 + 1 == 2"});
  EXPECT_EQ(r.out, "true : bool\n");
  r = RunCli({"{\"a\": 1u}"});
  EXPECT_EQ(r.out, "{\"a\": 1u} : map(string, uint)\n");
}

TEST(ExprCliTest, EvaluationError) {
  CliRun r = RunCli({"1 / 0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "error: division by zero\n");
}

TEST(ExprCliTest, DiagnosticsWithCodePointColumns) {
  CliRun r = RunCli({"text.contains(\"串通投标\") && mentions(\"围标词\")", "--lexicon", "围标=围标,串标"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "<expr>:1:35: error: unknown lexicon \"围标词\"; did you mean \"围标\"? [unknown-lexicon]\n"
            "  text.contains(\"串通投标\") && mentions(\"围标词\")\n"
            // The caret sits under the literal in a terminal: Han characters
            // take two cells.
            "                                        ^~~~~~~~\n")
      << r.out;
}

TEST(ExprCliTest, FindingFromJsonAndFile) {
  const std::string finding =
      R"({"text":"A公司将厂区道路修补拆成三份合同，合计约520万元，均未招标。","unit":{"name":"A公司"}})";
  CliRun r = RunCli({"--finding", finding, "text.contains(\"未招标\") && amount >= wan(400)"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "true : bool\n");
  r = RunCli({"--finding", finding, "text_amounts"});
  EXPECT_EQ(r.out, "[520000000] : list(int)\n");
  std::string path = ::testing::TempDir() + "/expr_cli_finding.jsonl";
  {
    std::ofstream f(path);
    f << R"({"text":"第一条","amount":{"fen":"12345"}})" << "\n" << R"({"text":"第二条"})" << "\n";
  }
  r = RunCli({"--finding", path, "amount"});
  EXPECT_EQ(r.out, "12345 : int\n");
  r = RunCli({"--finding", path, "text"});
  EXPECT_EQ(r.out, "\"第一条\" : string\n");
  std::string array_path = ::testing::TempDir() + "/expr_cli_findings.json";
  {
    std::ofstream f(array_path);
    f << R"([{"text":"甲","tags":["x"]},{"text":"乙"}])";
  }
  r = RunCli({"--finding", array_path, "text + string(size(tags))"});
  EXPECT_EQ(r.out, "\"甲1\" : string\n");
}

TEST(ExprCliTest, UsageErrors) {
  EXPECT_EQ(RunCli({}).exit_code, 2);
  EXPECT_EQ(RunCli({"1", "2"}).exit_code, 2);
  EXPECT_EQ(RunCli({"--finding", "{not json", "1"}).exit_code, 2);
  EXPECT_EQ(RunCli({"--lexicon", "nolist", "1"}).exit_code, 2);
  EXPECT_EQ(RunCli({"--bogus", "1"}).exit_code, 2);
  // A negative literal after --.
  CliRun r = RunCli({"--", "-9223372036854775808"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "-9223372036854775808 : int\n");
}

}  // namespace
