// xuncha check RULES...: compile a rule set and print every diagnostic.

#include <iostream>

#include "cli/command.h"
#include "xuncha/compiler.h"
#include "xuncha/engine.h"

namespace xuncha::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: xuncha check RULES... [--werror] [--stats] [--max-rules N]\n"
    "                    [--max-expression-depth N] [--regex-max-mem BYTES]\n"
    "\n"
    "Loads and compiles a rule set (files, or directories of *.textproto) and\n"
    "prints every error and warning as path:line:col: severity: message [code],\n"
    "with the source line and a caret.\n"
    "\n"
    "  --werror                treat warnings as errors\n"
    "  --stats                 print statistics of the compiled rule set\n"
    "  --max-rules N           limit on rules in the set (default 20000)\n"
    "  --max-expression-depth N  limit on nesting in one condition (default 64)\n"
    "  --regex-max-mem BYTES   RE2 memory budget per regex (default 32 MiB)\n"
    "\n"
    "exit status: 0 no errors; 1 errors (or warnings with --werror); 2 usage\n";

int Run(const std::vector<std::string>& argv) {
  static const Command* self = &Commands().at("check");
  Args args;
  int code = 0;
  if (!ParseOrExplain(*self, argv,
                      {{"werror", false}, {"stats", false}, {"max-rules", true},
                       {"max-expression-depth", true}, {"regex-max-mem", true}},
                      &args, &code)) {
    return code;
  }
  if (args.positional().empty()) {
    std::cerr << "xuncha check: no rule files given\n\n" << kUsage;
    return kExitUsage;
  }
  CompileOptions options;
  options.warnings_as_errors = args.Has("werror");
  std::string err;
  if (auto v = args.GetInt("max-rules", &err)) options.max_rules = static_cast<uint32_t>(*v);
  if (auto v = args.GetInt("max-expression-depth", &err)) options.max_expression_depth = static_cast<uint32_t>(*v);
  if (auto v = args.GetInt("regex-max-mem", &err)) options.regex_max_mem = *v;
  if (!err.empty()) {
    std::cerr << "xuncha check: " << err << "\n";
    return kExitUsage;
  }
  StatusOr<CompileResult> result = CompileRules(args.positional(), options);
  if (!result.ok()) {
    std::cerr << "xuncha check: " << result.status().message() << "\n";
    return kExitFailed;
  }
  size_t errors = 0, warnings = 0;
  for (const Diagnostic& d : result->diagnostics) {
    std::cout << d.ToString() << "\n";
    if (d.severity == Severity::kError) ++errors;
    if (d.severity == Severity::kWarning) ++warnings;
  }
  if (result->engine != nullptr) {
    const Engine& e = *result->engine;
    std::cout << e.name() << " " << e.version() << ": " << e.rule_count() << " rules, " << errors
              << " errors, " << warnings << " warnings (" << e.hash() << ")\n";
    if (args.Has("stats")) std::cout << e.DescribeStats();
    return kExitOk;
  }
  std::cout << errors << " errors, " << warnings << " warnings\n";
  return kExitFailed;
}

}  // namespace

XUNCHA_CLI_COMMAND(check, "compile a rule set and print every diagnostic", kUsage, Run);

}  // namespace xuncha::cli
