// `xuncha expr` end to end: output, diagnostics with carets, exit codes.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
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

// --rules: the set's lexicons, negation cues and text models are in scope.
TEST(ExprCliTest, RulesGiveLexiconsCuesAndModels) {
  const std::string dir = ::testing::TempDir() + "/expr_cli_rules";
  std::system(("mkdir -p " + ShellQuote(dir)).c_str());
  {
    std::ofstream f(dir + "/set.textproto");
    f << R"pb(name: "t" version: "1"
negation_cue: ["莫须"]
lexicon { name: "采购词" terms: ["采购", "购置"] }
model {
  name: "category" min_n: 1 max_n: 2
  label: ["bidding", "procurement", "none"]
  bias: [0, 0, 1]
  feature { gram: "招标" label_index: [0] weight: [4] }
  feature { gram: "采购" label_index: [1] weight: [3] }
  feature { gram: "询价" label_index: [1, 2] weight: [2, -1] }
}
)pb";
  }
  const std::string finding = R"({"text":"未询价就采购"})";
  // Scores 0, 3 + 2, 1 - 1: procurement with e^5 / (e^5 + 2) = 0.9867.
  CliRun r = RunCli({"--rules", dir, "--finding", finding, "model_label(\"category\")"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "\"procurement\" : string\n");
  r = RunCli({"--rules", dir, "--finding", finding,
              "model_prob(\"category\") > 0.9866 && model_prob(\"category\") < 0.9868 && "
              "model_prob(\"category\", \"bidding\") < 0.01"});
  EXPECT_EQ(r.out, "true : bool\n");
  // A label the model lacks: an error at its column when written literally.
  r = RunCli({"--rules", dir, "--finding", finding, "model_prob(\"category\", \"x\")"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("<expr>:1:24: error"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[unknown-label]"), std::string::npos) << r.out;
  r = RunCli({"--rules", dir, "--finding", finding, "mentions(\"采购词\")"});
  EXPECT_EQ(r.out, "true : bool\n");
  // --lexicon replaces the set's lexicon of the same name.
  r = RunCli({"--rules", dir, "--lexicon", "采购词=购置", "--finding", finding, "mentions(\"采购词\")"});
  EXPECT_EQ(r.out, "false : bool\n");
  // The set's own negation cue; without --rules the default cues do not know it.
  r = RunCli({"--rules", dir, "--finding", R"({"text":"莫须招标"})", "affirmed([\"招标\"])"});
  EXPECT_EQ(r.out, "false : bool\n");
  r = RunCli({"--finding", R"({"text":"莫须招标"})", "affirmed([\"招标\"])"});
  EXPECT_EQ(r.out, "true : bool\n");
  // Without --rules there is no model to ask for.
  r = RunCli({"--finding", finding, "model_label(\"category\")"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("category"), std::string::npos) << r.out;
  // A rule set that does not compile: its diagnostics, exit 1.
  {
    std::ofstream f(dir + "/broken.textproto");
    f << "rule { id: \"x\" when: 'text.contains(' }\n";
  }
  r = RunCli({"--rules", dir, "1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("broken.textproto:1:"), std::string::npos) << r.out;
  std::remove((dir + "/broken.textproto").c_str());
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
