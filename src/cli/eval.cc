// xuncha eval --rules RULES LABELLED.jsonl... [--json FILE] [thresholds]

#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "cli/command.h"
#include "cli/corpus.h"
#include "cli/rules_arg.h"
#include "xuncha/finding_io.h"
#include "xuncha/tools.h"

namespace xuncha::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: xuncha eval --rules RULES [--rules RULES]... LABELLED.jsonl...\n"
    "                   [--json FILE] [--show-misses N] [--threads N]\n"
    "                   [--min-macro-f1 X] [--min-disposition-accuracy X]\n"
    "                   [--max-compliance-false-positives N]\n"
    "\n"
    "Classifies labelled findings (JSON Lines of xuncha.v1.LabelledFinding) and\n"
    "measures the rule set against the labels: per-category and per-subcategory\n"
    "precision, recall and F1, macro-F1 (over taxonomy categories; \"none\", the\n"
    "class of statements of compliance, is excluded from the mean but counts in\n"
    "every other class's precision and recall), accuracy, the confusion matrix,\n"
    "discipline / nature / disposition accuracy, statements of compliance\n"
    "classified as problems, precision per rule and the misclassified findings.\n"
    "\n"
    "  --rules PATH      rule file or directory (repeatable)\n"
    "  --json FILE       write everything as JSON, atomically\n"
    "  --show-misses N   misclassified findings listed (default 20)\n"
    "  --threads N       classification threads (default 1; 0 = all cores)\n"
    "  --min-macro-f1 X  fail when category macro-F1 < X\n"
    "  --min-disposition-accuracy X\n"
    "                    fail when disposition accuracy (problems and\n"
    "                    compliance statements together) < X\n"
    "  --max-compliance-false-positives N\n"
    "                    fail when more than N statements of compliance are\n"
    "                    classified as problems\n"
    "\n"
    "exit status: 0 measured (and thresholds met); 1 a threshold missed, bad\n"
    "records or unreadable input, rule errors; 2 usage error\n";

std::optional<double> GetFraction(const Args& args, std::string_view name, std::string* err) {
  auto v = args.Get(name);
  if (!v) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  double d = std::strtod(v->c_str(), &end);
  if (v->empty() || *end != '\0' || errno != 0 || d < 0 || d > 1) {
    *err = "--" + std::string(name) + " needs a number between 0 and 1, not '" + *v + "'";
    return std::nullopt;
  }
  return d;
}

int Run(const std::vector<std::string>& argv) {
  static const Command* self = &Commands().at("eval");
  Args args;
  int code = 0;
  if (!ParseOrExplain(*self, argv,
                      {{"rules", true, true}, {"json", true}, {"show-misses", true},
                       {"threads", true}, {"min-macro-f1", true},
                       {"min-disposition-accuracy", true},
                       {"max-compliance-false-positives", true}},
                      &args, &code)) {
    return code;
  }
  std::string err;
  auto min_f1 = GetFraction(args, "min-macro-f1", &err);
  auto min_disp = GetFraction(args, "min-disposition-accuracy", &err);
  auto max_fp = args.GetInt("max-compliance-false-positives", &err);
  auto show = args.GetInt("show-misses", &err);
  auto threads = args.GetInt("threads", &err);
  if (!err.empty()) return UsageError("eval", err);
  if (args.GetAll("rules").empty()) return UsageError("eval", "--rules is required");
  if (args.positional().empty()) return UsageError("eval", "no labelled findings given");
  if ((max_fp && *max_fp < 0) || (show && *show < 0) || (threads && *threads < 0)) {
    return UsageError("eval", "counts must be 0 or more");
  }

  auto engine = CompileRulesForCli("eval", args.GetAll("rules"));
  if (engine == nullptr) return kExitFailed;
  Corpus corpus = ReadCorpus("eval", args.positional());
  if (corpus.unlabelled_files > 0) {
    std::cerr << "xuncha eval: " << corpus.unlabelled_files
              << " input file(s) hold findings without labels; eval needs "
                 "xuncha.v1.LabelledFinding JSON Lines\n";
    return kExitFailed;
  }
  int64_t unlabelled = 0;
  for (const auto& item : corpus.items) unlabelled += item.has_label() ? 0 : 1;
  if (unlabelled > 0) {
    std::cerr << "xuncha eval: " << unlabelled
              << " record(s) have no \"label\"; they are evaluated as statements of compliance\n";
  }

  int64_t failed = 0;
  auto classifications = ClassifyCorpus(engine, corpus, threads ? static_cast<int>(*threads) : 1, &failed);
  if (classifications.size() != corpus.items.size()) return kExitFailed;
  Evaluator evaluator(engine->rule_set());
  for (size_t i = 0; i < corpus.items.size(); ++i) evaluator.Add(corpus.items[i], classifications[i]);
  EvalReport report = evaluator.Finish();
  report.rule_set = {engine->name(), engine->version(), engine->hash()};

  std::cout << "rules " << engine->name() << " " << engine->version() << " (" << engine->hash()
            << ")\n";
  std::cout << FormatEvalReport(report, show ? static_cast<size_t>(*show) : 20);

  bool bad = false;
  std::cout << "\nthresholds:";
  if (!min_f1 && !min_disp && !max_fp) std::cout << " none set";
  std::cout << "\n";
  auto check = [&](bool ok, const std::string& what) {
    std::cout << "  " << (ok ? "ok    " : "FAILED") << "  " << what << "\n";
    bad = bad || !ok;
  };
  auto fixed = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return std::string(buf);
  };
  if (min_f1) {
    check(report.category_macro_f1 >= *min_f1,
          "category macro-F1 " + fixed(report.category_macro_f1) + " >= " + fixed(*min_f1));
  }
  if (min_disp) {
    double acc = report.disposition_overall.accuracy();
    check(acc >= *min_disp, "disposition accuracy " + fixed(acc) + " >= " + fixed(*min_disp));
  }
  if (max_fp) {
    check(report.compliance_false_positives <= *max_fp,
          "compliance classified as problems " + std::to_string(report.compliance_false_positives) +
              " <= " + std::to_string(*max_fp));
  }

  if (auto json = args.Get("json")) {
    auto file = AtomicFile::Create(*json);
    Status s = file.ok() ? (*file)->Append(EvalReportToJson(report)) : file.status();
    if (s.ok()) s = (*file)->Commit();
    if (!s.ok()) {
      std::cerr << "xuncha eval: " << s.message() << "\n";
      return kExitFailed;
    }
  }
  if (corpus.rejected > 0 || corpus.failed_files > 0) {
    std::cerr << "xuncha eval: " << corpus.rejected << " record(s) rejected, "
              << corpus.failed_files << " file(s) unreadable\n";
    bad = true;
  }
  return bad ? kExitFailed : kExitOk;
}

}  // namespace

XUNCHA_CLI_COMMAND(eval, "measure a rule set against labelled findings", kUsage, Run);

}  // namespace xuncha::cli
