// xuncha explain --rules RULES (--text '…' | --id ID INPUT...) [--rule RULE_ID]

#include <iostream>

#include "cli/command.h"
#include "cli/rules_arg.h"
#include "xuncha/engine.h"
#include "xuncha/finding_io.h"

namespace xuncha::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: xuncha explain --rules RULES (--text TEXT | --id ID INPUT...) [--rule RULE_ID]\n"
    "                      [--amount YUAN]\n"
    "\n"
    "Shows how one finding is classified: the terms found in the one pass over\n"
    "its text, every candidate rule's condition evaluated step by step, and why\n"
    "the winning rule won. With --rule, also why that rule did or did not fire:\n"
    "the first condition that failed with the values it saw, and the nearest\n"
    "text that almost matched its terms.\n"
    "\n"
    "  --rules PATH    rule file or directory (repeatable)\n"
    "  --text TEXT     classify this text (a finding with id \"text\")\n"
    "  --amount YUAN   with --text: the finding's amount in yuan\n"
    "  --id ID         the finding with this id in INPUT (any findings format)\n"
    "  --rule RULE_ID  explain this rule in particular\n"
    "\n"
    "exit status: 0 explained; 1 finding or rule not found, rule errors; 2 usage\n";

int Run(const std::vector<std::string>& argv) {
  static const Command* self = &Commands().at("explain");
  Args args;
  int code = 0;
  if (!ParseOrExplain(*self, argv,
                      {{"rules", true, true}, {"text", true}, {"id", true}, {"rule", true},
                       {"amount", true}},
                      &args, &code)) {
    return code;
  }
  if (args.GetAll("rules").empty()) return UsageError("explain", "--rules is required");
  if (args.Has("text") == args.Has("id")) return UsageError("explain", "give either --text or --id");
  if (args.Has("id") && args.positional().empty()) return UsageError("explain", "--id needs INPUT files");

  v1::Finding finding;
  if (auto text = args.Get("text")) {
    finding.set_id("text");
    finding.set_text(*text);
    if (auto a = args.Get("amount")) {
      auto fen = ParseYuanToFen(*a);
      if (!fen.ok()) return UsageError("explain", "--amount: " + fen.status().message());
      finding.mutable_amount()->set_fen(*fen);
    }
  } else {
    const std::string id = *args.Get("id");
    bool found = false;
    ReadOptions read;
    read.on_error = [](const RecordError&) {};  // other records' problems are not ours
    read.reject_duplicate_ids = false;
    for (const std::string& path : args.positional()) {
      auto reader = FindingReader::Open(path, read);
      if (!reader.ok()) {
        std::cerr << "xuncha explain: " << reader.status().message() << "\n";
        return kExitFailed;
      }
      while ((*reader)->Next(&finding)) {
        if (finding.id() == id) {
          found = true;
          break;
        }
      }
      if (found) break;
    }
    if (!found) {
      std::cerr << "xuncha explain: no finding with id '" << id << "' in the input\n";
      return kExitFailed;
    }
  }

  auto engine = CompileRulesForCli("explain", args.GetAll("rules"));
  if (engine == nullptr) return kExitFailed;
  Matcher matcher(engine);
  auto text = matcher.Explain(finding, args.GetOr("rule", ""));
  if (!text.ok()) {
    std::cerr << "xuncha explain: " << text.status().message() << "\n";
    return kExitFailed;
  }
  std::cout << *text;
  return kExitOk;
}

}  // namespace

XUNCHA_CLI_COMMAND(explain, "show step by step how a finding is classified", kUsage, Run);

}  // namespace xuncha::cli
