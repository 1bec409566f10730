// The command-line program's plumbing: a registry of subcommands and a small
// flag parser with one convention for every subcommand.
//
//   xuncha SUBCOMMAND [--flag VALUE | --flag=VALUE | --switch]... [ARG]...
//
// Exit codes, the same for every subcommand:
//   0  success
//   1  records rejected, checks failed, or a failure while running
//   2  usage error (unknown flag, missing argument)
//
// A subcommand lives in its own file and registers itself:
//
//   static int RunConvert(cli::Args& args) { ... }
//   XUNCHA_CLI_COMMAND(convert, "convert findings between formats",
//                      kConvertUsage, RunConvert);

#ifndef XUNCHA_CLI_COMMAND_H_
#define XUNCHA_CLI_COMMAND_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xuncha::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// Describes one flag a subcommand accepts.
struct FlagSpec {
  std::string name;       // without the dashes: "threads"
  bool takes_value;       // --threads 4 vs --profile
  bool repeated = false;  // may be given more than once
};

// Parsed command line of one subcommand. Thread-compatible.
class Args {
 public:
  // Parses argv (after the subcommand name) against the specs. On a usage
  // error returns false and sets *error.
  bool Parse(const std::vector<std::string>& argv,
             const std::vector<FlagSpec>& specs, std::string* error);

  bool Has(std::string_view name) const;
  // The last value given, or std::nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string_view fallback) const;
  const std::vector<std::string>& GetAll(std::string_view name) const;
  // Parses an integer flag; on a malformed value sets *error.
  std::optional<int64_t> GetInt(std::string_view name, std::string* error) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::vector<std::string> positional_;
};

using CommandFn = int (*)(const std::vector<std::string>& argv);

struct Command {
  std::string_view name;
  std::string_view summary;  // one line, shown by `xuncha --help`
  std::string_view usage;    // full text, shown by `xuncha NAME --help`
  CommandFn run;
};

// Registers a subcommand at static-initialisation time.
class Registrar {
 public:
  explicit Registrar(Command command);
};

const std::map<std::string_view, Command>& Commands();

// Parses argv for a subcommand; on a usage error prints it with the usage
// text and returns false. On --help prints usage to stdout, sets
// *exit_code = 0 and returns false.
bool ParseOrExplain(const Command& command, const std::vector<std::string>& argv,
                    const std::vector<FlagSpec>& specs, Args* args, int* exit_code);

// Prints "xuncha COMMAND: message" and a pointer to --help; returns
// kExitUsage.
int UsageError(std::string_view command, std::string_view message);

// True when stderr is a terminal (progress is shown only then).
bool StderrIsTerminal();

}  // namespace xuncha::cli

#define XUNCHA_CLI_CONCAT_INNER_(a, b) a##b
#define XUNCHA_CLI_CONCAT_(a, b) XUNCHA_CLI_CONCAT_INNER_(a, b)
#define XUNCHA_CLI_COMMAND(name, summary, usage, fn)                     \
  static ::xuncha::cli::Registrar XUNCHA_CLI_CONCAT_(registrar_, name)( \
      ::xuncha::cli::Command{#name, summary, usage, fn})

#endif  // XUNCHA_CLI_COMMAND_H_
