// xuncha report: the HTML (and Markdown) report from a ledger or from
// classified output, with optional cross-unit patterns.

#include <cerrno>
#include <fstream>
#include <iostream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "cli/classified_io.h"
#include "cli/command.h"
#include "xuncha/ledger.h"
#include "xuncha/report.h"

namespace xuncha::cli {
namespace {

constexpr std::string_view kUsage = R"(usage: xuncha report (--ledger DB | --classified FILE) -o report.html
                     [--patterns PATTERNS.json] [--markdown report.md]
                     [--audience public|internal|withheld] [--mask]
                     [--title TEXT] [--generated-at TIME] [--as-of YYYY-MM-DD]

Writes a self-contained HTML page (inline CSS and SVG charts; works offline)
and optionally the same report as Markdown.

  --ledger DB          entries with their lifecycle state
  --classified FILE    classified JSON Lines; every problem counts as a draft
  --patterns FILE      a xuncha.v1.PatternReport as JSON (cross-unit patterns)
  --audience LEVEL     who reads it: entries not disclosed to LEVEL are left out
                       (default internal); public implies --mask
  --mask               mask personal data (names, ID numbers, mobiles)
  --generated-at TIME  the time printed in the report (default: none, so the
                       output is reproducible)
  --as-of DATE         overdue as of DATE (default: the date of --generated-at)
)";

const Command kCommand{"report", "HTML + Markdown report with charts", kUsage, nullptr};

int Fail(const Status& s) {
  std::cerr << "xuncha report: " << s.message() << "\n";
  return kExitFailed;
}

int Run(const std::vector<std::string>& argv) {
  std::vector<FlagSpec> specs = {{"ledger", true},   {"classified", true}, {"patterns", true},
                                 {"output", true},   {"markdown", true},   {"audience", true},
                                 {"mask", false},    {"title", true},      {"generated-at", true},
                                 {"as-of", true}};
  Args args;
  int code = kExitOk;
  if (!ParseOrExplain(kCommand, argv, specs, &args, &code)) return code;
  if (args.Has("ledger") == args.Has("classified") || !args.Has("output")) {
    std::cerr << "xuncha report: give one of --ledger or --classified, and -o FILE\n\n" << kUsage;
    return kExitUsage;
  }
  ReportOptions o;
  o.audience = args.GetOr("audience", "internal");
  if (!IsDisclosureLevel(o.audience)) {
    std::cerr << "xuncha report: unknown audience '" << o.audience << "'\n";
    return kExitUsage;
  }
  o.mask_personal_data = args.Has("mask") || o.audience == "public";
  if (auto t = args.Get("title")) o.title = *t;
  o.generated_at = args.GetOr("generated-at", "");
  o.as_of = args.GetOr("as-of", "");
  if (!o.as_of.empty() && !IsIsoDate(o.as_of)) {
    std::cerr << "xuncha report: bad --as-of '" << o.as_of << "'\n";
    return kExitUsage;
  }
  ReportData data;
  if (auto path = args.Get("ledger")) {
    auto ledger = Ledger::Open(*path);
    if (!ledger.ok()) return Fail(ledger.status());
    auto entries = (*ledger)->Entries(false);
    if (!entries.ok()) return Fail(entries.status());
    data.entries = std::move(entries).value();
    auto skipped = (*ledger)->Skipped();
    if (!skipped.ok()) return Fail(skipped.status());
    data.skipped = std::move(skipped).value();
  } else {
    std::vector<v1::ClassifiedFinding> findings;
    Status s = ReadClassified(*args.Get("classified"), &findings);
    if (!s.ok()) return Fail(s);
    BuildEntries(findings, ImportOptions(), o.generated_at, &data.entries, &data.skipped);
  }
  if (auto path = args.Get("patterns")) {
    std::ifstream in(*path, std::ios::binary);
    if (!in) return Fail(ErrnoError("open " + *path, errno));
    std::stringstream ss;
    ss << in.rdbuf();
    v1::PatternReport pr;
    auto st = google::protobuf::util::JsonStringToMessage(ss.str(), &pr);
    if (!st.ok()) return Fail(InvalidArgumentError(*path + ": " + std::string(st.message())));
    data.patterns = std::move(pr);
  }
  Status s = WriteReportFile(*args.Get("output"), RenderReportHtml(data, o));
  if (!s.ok()) return Fail(s);
  if (auto md = args.Get("markdown")) {
    s = WriteReportFile(*md, RenderReportMarkdown(data, o));
    if (!s.ok()) return Fail(s);
  }
  return kExitOk;
}

}  // namespace

XUNCHA_CLI_COMMAND(report, "HTML + Markdown report with charts", kUsage, Run);

}  // namespace xuncha::cli
