#include "cli/command.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <iostream>

namespace xuncha::cli {

namespace {

std::map<std::string_view, Command>& Registry() {
  static auto* registry = new std::map<std::string_view, Command>();
  return *registry;
}

const std::vector<std::string>& EmptyList() {
  static const auto* empty = new std::vector<std::string>();
  return *empty;
}

}  // namespace

Registrar::Registrar(Command command) { Registry()[command.name] = command; }

const std::map<std::string_view, Command>& Commands() { return Registry(); }

bool Args::Parse(const std::vector<std::string>& argv,
                 const std::vector<FlagSpec>& specs, std::string* error) {
  bool only_positional = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (only_positional || arg == "-" || arg.empty() || arg[0] != '-') {
      positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    if (arg == "-h") {
      values_["help"].push_back("");
      continue;
    }
    if (arg == "-o") {
      // -o is the one short flag: the output path, same as --output.
      if (i + 1 >= argv.size()) {
        *error = "flag -o needs a value";
        return false;
      }
      values_["output"].push_back(argv[++i]);
      continue;
    }
    if (arg[1] != '-') {
      *error = "unknown flag '" + arg + "'";
      return false;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "help") {
      values_["help"].push_back("");
      continue;
    }
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) {
      *error = "unknown flag '--" + name + "'";
      return false;
    }
    std::string value;
    if (spec->takes_value) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < argv.size()) {
        value = argv[++i];
      } else {
        *error = "flag --" + name + " needs a value";
        return false;
      }
    } else if (inline_value) {
      *error = "flag --" + name + " takes no value";
      return false;
    }
    auto& slot = values_[name];
    if (!spec->repeated && !slot.empty() && spec->takes_value) {
      *error = "flag --" + name + " given more than once";
      return false;
    }
    slot.push_back(value);
  }
  return true;
}

bool Args::Has(std::string_view name) const { return values_.find(name) != values_.end(); }

std::optional<std::string> Args::Get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::string Args::GetOr(std::string_view name, std::string_view fallback) const {
  auto v = Get(name);
  return v ? *v : std::string(fallback);
}

const std::vector<std::string>& Args::GetAll(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? EmptyList() : it->second;
}

std::optional<int64_t> Args::GetInt(std::string_view name, std::string* error) const {
  auto v = Get(name);
  if (!v) return std::nullopt;
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size()) {
    *error = "flag --" + std::string(name) + " needs a whole number, got '" + *v + "'";
    return std::nullopt;
  }
  return out;
}

bool ParseOrExplain(const Command& command, const std::vector<std::string>& argv,
                    const std::vector<FlagSpec>& specs, Args* args, int* exit_code) {
  std::string error;
  if (!args->Parse(argv, specs, &error)) {
    std::cerr << "xuncha " << command.name << ": " << error << "\n\n" << command.usage;
    *exit_code = kExitUsage;
    return false;
  }
  if (args->Has("help")) {
    std::cout << command.usage;
    *exit_code = kExitOk;
    return false;
  }
  return true;
}

int UsageError(std::string_view command, std::string_view message) {
  std::cerr << "xuncha " << command << ": " << message << "\n(see xuncha " << command
            << " --help)\n";
  return kExitUsage;
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

}  // namespace xuncha::cli
