// xuncha test RULES... [--junit FILE] [--rule ID]

#include <iostream>

#include "cli/command.h"
#include "cli/rules_arg.h"
#include "xuncha/finding_io.h"
#include "xuncha/tools.h"

namespace xuncha::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: xuncha test RULES... [--junit FILE] [--rule RULE_ID]\n"
    "\n"
    "Runs the tests written in the rules: every `examples` entry of a rule must\n"
    "make it fire, and the rule set's primary conclusions must equal the\n"
    "example's expect_* fields that are set; every `near_misses` entry must not\n"
    "make it fire. A failure is printed at the example in the rule file,\n"
    "path:line:col: error: … [example-no-fire | example-wrong-conclusion |\n"
    "near-miss-fires | example-error], with what fired instead. The last line\n"
    "is \"N passed, M failed\".\n"
    "\n"
    "  --junit FILE    also write JUnit XML (one testsuite per rule file, one\n"
    "                  testcase per example), atomically\n"
    "  --rule RULE_ID  run only this rule's examples\n"
    "\n"
    "exit status: 0 all passed; 1 a test failed or the rules have errors; 2 usage\n";

int Run(const std::vector<std::string>& argv) {
  static const Command* self = &Commands().at("test");
  Args args;
  int code = 0;
  if (!ParseOrExplain(*self, argv, {{"junit", true}, {"rule", true}}, &args, &code)) return code;
  if (args.positional().empty()) return UsageError("test", "no rule files given");

  auto engine = CompileRulesForCli("test", args.positional());
  if (engine == nullptr) return kExitFailed;
  RuleTestOptions options;
  options.rule_id = args.GetOr("rule", "");
  auto report = RunRuleTests(engine, args.positional(), options);
  if (!report.ok()) {
    std::cerr << "xuncha test: " << report.status().message() << "\n";
    return kExitFailed;
  }
  std::cout << FormatRuleTestReport(*report);
  if (auto junit = args.Get("junit")) {
    auto file = AtomicFile::Create(*junit);
    Status s = file.ok() ? (*file)->Append(RuleTestJUnitXml(*report)) : file.status();
    if (s.ok()) s = (*file)->Commit();
    if (!s.ok()) {
      std::cerr << "xuncha test: " << s.message() << "\n";
      return kExitFailed;
    }
  }
  return report->failed == 0 ? kExitOk : kExitFailed;
}

}  // namespace

XUNCHA_CLI_COMMAND(test, "run the examples and near-misses written in the rules", kUsage, Run);

}  // namespace xuncha::cli
