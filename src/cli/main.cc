// xuncha: the command-line program. Each subcommand is a file in this folder
// that registers itself (command.h).

#include <iostream>
#include <string>
#include <vector>

#include "cli/command.h"

namespace {

constexpr std::string_view kVersion = "0.1.0";

void PrintTopUsage(std::ostream& os) {
  os << "xuncha " << kVersion << " — classifies inspection findings (巡察问题)\n\n"
     << "usage: xuncha SUBCOMMAND [FLAGS] [ARGS]\n"
     << "       xuncha SUBCOMMAND --help\n\n"
     << "subcommands:\n";
  for (const auto& [name, command] : xuncha::cli::Commands()) {
    os << "  " << name;
    for (size_t i = name.size(); i < 12; ++i) os << ' ';
    os << command.summary << "\n";
  }
  os << "\nexit status: 0 success; 1 records rejected or checks failed; 2 usage error\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    PrintTopUsage(std::cerr);
    return xuncha::cli::kExitUsage;
  }
  std::string sub = argv[1];
  if (sub == "--help" || sub == "-h" || sub == "help") {
    PrintTopUsage(std::cout);
    return xuncha::cli::kExitOk;
  }
  if (sub == "--version" || sub == "version") {
    std::cout << "xuncha " << kVersion << "\n";
    return xuncha::cli::kExitOk;
  }
  const auto& commands = xuncha::cli::Commands();
  auto it = commands.find(sub);
  if (it == commands.end()) {
    std::cerr << "xuncha: unknown subcommand '" << sub << "'\n\n";
    PrintTopUsage(std::cerr);
    return xuncha::cli::kExitUsage;
  }
  std::vector<std::string> rest(argv + 2, argv + argc);
  return it->second.run(rest);
}
