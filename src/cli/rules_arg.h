// The command-line program's shared handling of --rules: compile, print the
// diagnostics to stderr, and hand back the engine (null after errors).

#ifndef XUNCHA_CLI_RULES_ARG_H_
#define XUNCHA_CLI_RULES_ARG_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/engine.h"

namespace xuncha::cli {

// Compiles `paths`; prints warnings and errors (with source lines) to stderr
// prefixed by nothing (they carry path:line:col). Returns null on errors or
// I/O failure, having said why.
std::shared_ptr<const Engine> CompileRulesForCli(std::string_view command,
                                                 const std::vector<std::string>& paths);

}  // namespace xuncha::cli

#endif  // XUNCHA_CLI_RULES_ARG_H_
