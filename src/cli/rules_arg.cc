#include "cli/rules_arg.h"

#include <iostream>

namespace xuncha::cli {

std::shared_ptr<const Engine> CompileRulesForCli(std::string_view command,
                                                 const std::vector<std::string>& paths) {
  StatusOr<CompileResult> result = CompileRules(paths);
  if (!result.ok()) {
    std::cerr << "xuncha " << command << ": " << result.status().message() << "\n";
    return nullptr;
  }
  for (const Diagnostic& d : result->diagnostics) std::cerr << d.ToString() << "\n";
  if (result->engine == nullptr) {
    std::cerr << "xuncha " << command << ": the rules have " << CountErrors(result->diagnostics)
              << " error(s); nothing was classified\n";
  }
  return result->engine;
}

}  // namespace xuncha::cli
