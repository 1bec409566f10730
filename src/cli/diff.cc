// xuncha diff --old RULES_A --new RULES_B CORPUS... [--json FILE]

#include <iostream>

#include "cli/command.h"
#include "cli/corpus.h"
#include "cli/rules_arg.h"
#include "xuncha/finding_io.h"
#include "xuncha/tools.h"

namespace xuncha::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: xuncha diff --old RULES --new RULES CORPUS... [--json FILE]\n"
    "                   [--show N] [--threads N]\n"
    "\n"
    "Classifies a corpus with two rule sets and reports what a rule change\n"
    "does: the findings whose primary conclusions (category, subcategory,\n"
    "disposition, discipline, nature) change, before → after, with the rules\n"
    "that fired on each side; the hit count of every rule that was added,\n"
    "removed or hits differently; and a summary. CORPUS files hold findings\n"
    "(JSON Lines, binary, CSV) or labelled findings (JSON Lines; the labels are\n"
    "not used).\n"
    "\n"
    "  --old PATH      the rule set before (file or directory; repeatable)\n"
    "  --new PATH      the rule set after (repeatable)\n"
    "  --json FILE     write the whole report as JSON, atomically\n"
    "  --show N        changed findings printed (default 50; JSON has all)\n"
    "  --threads N     classification threads (default 1; 0 = all cores)\n"
    "\n"
    "exit status: 0 reported (whatever changed); 1 rule errors or unreadable\n"
    "input; 2 usage error\n";

int Run(const std::vector<std::string>& argv) {
  static const Command* self = &Commands().at("diff");
  Args args;
  int code = 0;
  if (!ParseOrExplain(*self, argv,
                      {{"old", true, true}, {"new", true, true}, {"json", true}, {"show", true},
                       {"threads", true}},
                      &args, &code)) {
    return code;
  }
  std::string err;
  auto show = args.GetInt("show", &err);
  auto threads = args.GetInt("threads", &err);
  if (!err.empty()) return UsageError("diff", err);
  if (args.GetAll("old").empty() || args.GetAll("new").empty()) {
    return UsageError("diff", "--old and --new are required");
  }
  if (args.positional().empty()) return UsageError("diff", "no corpus given");
  if ((show && *show < 0) || (threads && *threads < 0)) {
    return UsageError("diff", "counts must be 0 or more");
  }

  auto old_engine = CompileRulesForCli("diff", args.GetAll("old"));
  auto new_engine = CompileRulesForCli("diff", args.GetAll("new"));
  if (old_engine == nullptr || new_engine == nullptr) return kExitFailed;
  Corpus corpus = ReadCorpus("diff", args.positional());
  int n = threads ? static_cast<int>(*threads) : 1;
  int64_t failed_old = 0, failed_new = 0;
  auto before = ClassifyCorpus(old_engine, corpus, n, &failed_old);
  auto after = ClassifyCorpus(new_engine, corpus, n, &failed_new);
  if (before.size() != corpus.items.size() || after.size() != corpus.items.size()) return kExitFailed;

  RuleSetDiffer differ(old_engine->rule_set(), new_engine->rule_set());
  for (size_t i = 0; i < corpus.items.size(); ++i) {
    differ.Add(corpus.items[i].finding(), before[i], after[i]);
  }
  DiffReport report = differ.Finish();
  report.old_rules = {old_engine->name(), old_engine->version(), old_engine->hash()};
  report.new_rules = {new_engine->name(), new_engine->version(), new_engine->hash()};
  std::cout << "old: " << old_engine->name() << " " << old_engine->version() << " ("
            << old_engine->hash() << ")\n"
            << "new: " << new_engine->name() << " " << new_engine->version() << " ("
            << new_engine->hash() << ")\n\n";
  std::cout << FormatDiffReport(report, show ? static_cast<size_t>(*show) : 50);
  if (failed_old + failed_new > 0) {
    std::cout << "findings that could not be classified: " << failed_old << " old, " << failed_new
              << " new\n";
  }
  if (auto json = args.Get("json")) {
    auto file = AtomicFile::Create(*json);
    Status s = file.ok() ? (*file)->Append(DiffReportToJson(report)) : file.status();
    if (s.ok()) s = (*file)->Commit();
    if (!s.ok()) {
      std::cerr << "xuncha diff: " << s.message() << "\n";
      return kExitFailed;
    }
  }
  if (corpus.rejected > 0 || corpus.failed_files > 0) {
    std::cerr << "xuncha diff: " << corpus.rejected << " record(s) rejected, "
              << corpus.failed_files << " file(s) unreadable\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace

XUNCHA_CLI_COMMAND(diff, "show how a rule change moves the conclusions on a corpus", kUsage, Run);

}  // namespace xuncha::cli
