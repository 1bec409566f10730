// Compiling rule sets: rule files (protobuf text format against
// xuncha.v1.RuleSet) become an immutable Engine, and everything wrong in them
// becomes Diagnostics — all of them, each pointing at the exact character.
//
//   xuncha::Compiler compiler;
//   XUNCHA_RETURN_IF_ERROR(compiler.AddPath("rules/default"));
//   XUNCHA_ASSIGN_OR_RETURN(xuncha::CompileResult result, compiler.Finish());
//   for (const auto& d : result.diagnostics) std::cerr << d.ToString() << "\n";
//   if (result.engine == nullptr) return ...;  // errors in the rules
//   xuncha::Matcher matcher(result.engine);
//
// See rules/README.md for the rule language.

#ifndef XUNCHA_COMPILER_H_
#define XUNCHA_COMPILER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/diagnostic.h"
#include "xuncha/export.h"
#include "xuncha/status.h"

namespace xuncha {

class Engine;

// Limits and switches of one compilation. Every limit is diagnosed when a
// rule set reaches it ([limit-*] codes).
struct CompileOptions {
  uint32_t max_rules = 20000;               // rules in one set
  uint32_t max_file_bytes = 64 << 20;       // one rule file (a trained model: 15-20 MB)
  uint32_t max_expression_bytes = 16 << 10; // one `when`
  uint32_t max_expression_depth = 64;       // nesting in one `when`
  uint32_t max_expression_nodes = 4096;     // size of one `when`
  int64_t regex_max_mem = 32 << 20;         // RE2 memory budget per regex (program + DFA cache)
  int regex_max_program_size = 20000;       // RE2 program size per regex
  bool warnings_as_errors = false;
};

struct CompileResult {
  // Null when any error was diagnosed.
  std::shared_ptr<const Engine> engine;
  // Sorted by file, line, column.
  std::vector<Diagnostic> diagnostics;
};

// Turns rule sources into an Engine. Thread-compatible; single use.
class XUNCHA_EXPORT Compiler {
 public:
  explicit Compiler(CompileOptions options = {});
  ~Compiler();
  Compiler(const Compiler&) = delete;
  Compiler& operator=(const Compiler&) = delete;

  // Adds a rule file or a directory of *.textproto files. Errors in the
  // rules become diagnostics at Finish(); a non-OK status is an I/O failure.
  // REQUIRES: Finish() not yet called.
  Status AddPath(std::string_view path);
  // Adds rule text held in memory; `path` names it in diagnostics.
  Status AddSource(std::string_view path, std::string_view content);

  // Loads, checks and compiles everything added. Non-OK only for I/O
  // failures, limits that stop compilation, or bugs.
  // REQUIRES: called once.
  StatusOr<CompileResult> Finish();

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

// One call: compiles the files and directories in `paths`.
XUNCHA_EXPORT StatusOr<CompileResult> CompileRules(const std::vector<std::string>& paths,
                                                   const CompileOptions& options = {});

}  // namespace xuncha

#endif  // XUNCHA_COMPILER_H_
