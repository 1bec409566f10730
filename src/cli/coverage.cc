// xuncha coverage --rules RULES CORPUS... [--json FILE]

#include <iostream>

#include "cli/command.h"
#include "cli/corpus.h"
#include "cli/rules_arg.h"
#include "xuncha/finding_io.h"
#include "xuncha/tools.h"

namespace xuncha::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: xuncha coverage --rules RULES [--rules RULES]... CORPUS... [--json FILE]\n"
    "                       [--show-unclassified N] [--threads N]\n"
    "\n"
    "Classifies a corpus (findings or labelled findings) and reports what the\n"
    "rules reach: hits per rule (most first), the rules that never fire, the\n"
    "findings no rule classifies (id and the start of the text), pairs of rules\n"
    "that always fire together (identical non-empty hit sets, or Jaccard index\n"
    "≥ 0.95 with at least 5 hits each), and the taxonomy subcategories that no\n"
    "rule concludes or whose rules never fire.\n"
    "\n"
    "  --rules PATH            rule file or directory (repeatable)\n"
    "  --json FILE             write the whole report as JSON, atomically\n"
    "  --show-unclassified N   unclassified findings printed (default 20)\n"
    "  --threads N             classification threads (default 1; 0 = all)\n"
    "\n"
    "exit status: 0 reported; 1 rule errors or unreadable input; 2 usage\n";

int Run(const std::vector<std::string>& argv) {
  static const Command* self = &Commands().at("coverage");
  Args args;
  int code = 0;
  if (!ParseOrExplain(*self, argv,
                      {{"rules", true, true}, {"json", true}, {"show-unclassified", true},
                       {"threads", true}},
                      &args, &code)) {
    return code;
  }
  std::string err;
  auto show = args.GetInt("show-unclassified", &err);
  auto threads = args.GetInt("threads", &err);
  if (!err.empty()) return UsageError("coverage", err);
  if (args.GetAll("rules").empty()) return UsageError("coverage", "--rules is required");
  if (args.positional().empty()) return UsageError("coverage", "no corpus given");
  if ((show && *show < 0) || (threads && *threads < 0)) {
    return UsageError("coverage", "counts must be 0 or more");
  }

  auto engine = CompileRulesForCli("coverage", args.GetAll("rules"));
  if (engine == nullptr) return kExitFailed;
  Corpus corpus = ReadCorpus("coverage", args.positional());
  int64_t failed = 0;
  auto classifications =
      ClassifyCorpus(engine, corpus, threads ? static_cast<int>(*threads) : 1, &failed);
  if (classifications.size() != corpus.items.size()) return kExitFailed;
  CoverageCounter counter(engine->rule_set());
  for (size_t i = 0; i < corpus.items.size(); ++i) {
    counter.Add(corpus.items[i].finding(), classifications[i]);
  }
  CoverageReport report = counter.Finish();
  report.rule_set = {engine->name(), engine->version(), engine->hash()};
  std::cout << "rules " << engine->name() << " " << engine->version() << " (" << engine->hash()
            << ")\n";
  std::cout << FormatCoverageReport(report, show ? static_cast<size_t>(*show) : 20);
  if (failed > 0) std::cout << "findings that could not be classified: " << failed << "\n";
  if (auto json = args.Get("json")) {
    auto file = AtomicFile::Create(*json);
    Status s = file.ok() ? (*file)->Append(CoverageReportToJson(report)) : file.status();
    if (s.ok()) s = (*file)->Commit();
    if (!s.ok()) {
      std::cerr << "xuncha coverage: " << s.message() << "\n";
      return kExitFailed;
    }
  }
  if (corpus.rejected > 0 || corpus.failed_files > 0) {
    std::cerr << "xuncha coverage: " << corpus.rejected << " record(s) rejected, "
              << corpus.failed_files << " file(s) unreadable\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace

XUNCHA_CLI_COMMAND(coverage, "show what a rule set reaches on a corpus", kUsage, Run);

}  // namespace xuncha::cli
