// xuncha classify --rules RULES INPUT... -o OUTPUT

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "base/utf8.h"
#include "cli/command.h"
#include "cli/classified_io.h"
#include "cli/io_flags.h"
#include "cli/patterns_local_io.h"
#include "cli/rules_arg.h"
#include "xuncha/engine.h"
#include "xuncha/finding_io.h"
#include "xuncha/patterns.h"
#include "xuncha/v1/classification.pb.h"

namespace xuncha::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: xuncha classify --rules RULES [--rules RULES]... INPUT... -o OUTPUT\n"
    "                       [--threads N] [--from FMT] [--to FMT] [--encoding ENC]\n"
    "                       [--columns FILE] [--rejects FILE] [--max-record-bytes N]\n"
    "                       [--allow-duplicate-ids] [--profile] [--profile-top N]\n"
    "                       [--patterns PATTERNS.json]\n"
    "\n"
    "Classifies findings with a rule set. Inputs are JSON Lines, binary\n"
    "protobuf or CSV (UTF-8 or GB18030) findings; the output is a stream of\n"
    "xuncha.v1.ClassifiedFinding (finding + classification) as JSON Lines or\n"
    "binary, in input order, written atomically. Every finding read yields one\n"
    "output record: a finding no rule classifies is marked unclassified, and one\n"
    "that cannot be classified carries its error. Bad input records go to\n"
    "--rejects and are counted.\n"
    "\n"
    "  --rules PATH      rule file or directory (repeatable)\n"
    "  --threads N       worker threads (default 1; 0 = all cores); output is\n"
    "                    byte-identical at any thread count\n"
    "  --from FMT        input format: jsonl, binary, csv (default: by extension)\n"
    "  --to FMT          output format: jsonl, binary (default: by extension)\n"
    "  --encoding ENC    CSV input encoding: auto, utf8, gb18030 (default auto)\n"
    "  --columns FILE    CSV column mapping file (see `xuncha convert --help`)\n"
    "  --rejects FILE    write the raw bad input records here\n"
    "  --max-record-bytes N  reject input records longer than N bytes (default 1 MiB)\n"
    "  --allow-duplicate-ids  accept a finding id seen before (default: reject)\n"
    "  --patterns FILE   also detect cross-unit patterns (the rule set's pattern\n"
    "                    definitions) in the same run and write the report here\n"
    "  --profile         print time and hits per rule, slowest first, to stderr\n"
    "  --profile-top N   rules shown by --profile (default 20)\n"
    "\n"
    "exit status: 0 all classified; 1 rule errors, rejected records or findings\n"
    "that could not be classified; 2 usage error\n";

std::string Millis(uint64_t nanos) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(2) << nanos / 1e6;
  return os.str();
}

int Run(const std::vector<std::string>& argv) {
  static const Command* self = &Commands().at("classify");
  Args args;
  int code = 0;
  std::vector<FlagSpec> flags = FindingInputFlags();
  flags.insert(flags.end(), {{"rules", true, true}, {"output", true}, {"threads", true}, {"to", true},
                             {"profile", false}, {"profile-top", true},
                             {"patterns", true}});
  if (!ParseOrExplain(*self, argv, flags, &args, &code)) return code;
  std::string err;
  auto threads = args.GetInt("threads", &err);
  auto top = args.GetInt("profile-top", &err);
  if (!err.empty()) return UsageError("classify", err);
  if (args.GetAll("rules").empty() || !args.Has("output")) {
    return UsageError("classify", "--rules and -o OUTPUT are required");
  }
  if (threads && *threads < 0) return UsageError("classify", "--threads must be 0 or more");

  WriteOptions write;
  if (auto f = args.Get("to")) {
    auto fmt = ParseRecordFormat(*f);
    if (!fmt.ok()) return UsageError("classify", fmt.status().message());
    write.format = *fmt;
  }
  const std::string output = *args.Get("output");
  RecordFormat out_format = write.format;
  if (out_format == RecordFormat::kAuto) {
    auto f = FormatFromPath(output);
    if (!f.ok()) return UsageError("classify", "cannot tell the output format of '" + output + "': use --to");
    out_format = *f;
  }
  if (out_format == RecordFormat::kCsv) {
    return UsageError("classify",
                      "classified output is JSON Lines or binary; for a spreadsheet use "
                      "`xuncha ledger export --format csv|xlsx`");
  }

  FindingInputs inputs;
  if (!inputs.FromArgs(args, "classify", kUsage, &code)) return code;

  auto engine = CompileRulesForCli("classify", args.GetAll("rules"));
  if (engine == nullptr) return kExitFailed;

  auto writer = MessageWriter::Open(output, write);
  if (!writer.ok()) {
    std::cerr << "xuncha classify: " << writer.status().message() << "\n";
    return kExitFailed;
  }

  // Patterns in the same pass: every classified record goes to the
  // accumulator as it is written.
  std::vector<v1::PatternDef> defs(engine->rule_set().pattern().begin(),
                                   engine->rule_set().pattern().end());
  std::unique_ptr<PatternAccumulator> patterns;
  if (args.Has("patterns")) {
    auto options = AccumulatorOptions::ForDefs(defs.empty() ? DefaultPatternDefs() : defs);
    if (!options.ok()) {
      std::cerr << "xuncha classify: " << options.status().message() << "\n";
      return kExitFailed;
    }
    patterns = std::make_unique<PatternAccumulator>(*options);
  }

  FindingStream stream(&inputs, "classify");
  auto next = [&](v1::Finding* finding) -> StatusOr<bool> { return stream.Next(finding); };
  v1::ClassifiedFinding record;
  auto emit = [&](v1::Finding&& finding, v1::Classification&& c) -> Status {
    *record.mutable_finding() = std::move(finding);
    *record.mutable_classification() = std::move(c);
    if (patterns != nullptr) patterns->Add(record);
    return (*writer)->Write(record);
  };
  BatchOptions options;
  options.threads = threads ? static_cast<int>(*threads) : 1;
  options.classify.profile = args.Has("profile");
  BatchStats stats;
  Status s = ClassifyBatch(engine, next, emit, options, &stats);
  stream.Finish();
  if (!s.ok()) {
    std::cerr << "xuncha classify: " << s.message() << " (output not written)\n";
    return kExitFailed;
  }
  if (Status c = (*writer)->Commit(); !c.ok()) {
    std::cerr << "xuncha classify: " << c.message() << "\n";
    return kExitFailed;
  }
  if (inputs.rejects != nullptr) {
    if (Status c = inputs.rejects->Commit(); !c.ok()) {
      std::cerr << "xuncha classify: " << c.message() << "\n";
      return kExitFailed;
    }
  }
  if (patterns != nullptr) {
    auto report = patterns->Finish(defs, {}, {});
    if (!report.ok()) {
      std::cerr << "xuncha classify: patterns: " << report.status().message() << "\n";
      return kExitFailed;
    }
    auto* ref = report->mutable_rule_set();
    ref->set_name(engine->name());
    ref->set_version(engine->version());
    ref->set_hash(engine->hash());
    const std::string path = *args.Get("patterns");
    if (Status w = WriteWholeFile(path, ToJson(*report, true) + "\n"); !w.ok()) {
      std::cerr << "xuncha classify: " << w.message() << "\n";
      return kExitFailed;
    }
    std::cerr << "patterns: " << report->patterns_size() << " pattern(s), "
              << report->common_problems_size() << " common problem(s) → " << path << "\n";
  }
  const ReadSummary& read = stream.summary();
  std::cerr << "classified " << stats.findings << " findings with " << engine->name() << " "
            << engine->version() << ": " << stats.classified << " classified, "
            << stats.unclassified << " unclassified, " << stats.failed << " failed; "
            << read.counts.rejected << " input records rejected";
  if (read.failed_files > 0) std::cerr << ", " << read.failed_files << " input files unreadable";
  std::cerr << "; " << stats.rule_errors << " rule errors → " << output << "\n";
  if (args.Has("profile")) {
    const size_t n = std::min(top ? static_cast<size_t>(*top) : size_t{20}, stats.profile.size());
    // The rule column is as wide as the longest id shown; numbers align right.
    size_t id_width = 4;
    for (size_t i = 0; i < n; ++i) id_width = std::max(id_width, utf8::DisplayWidth(stats.profile[i].rule_id));
    auto right = [](const std::string& s, size_t width) {
      return std::string(width > s.size() ? width - s.size() : 0, ' ') + s;
    };
    std::cerr << "\nslowest rules (" << n << " of " << stats.profile.size() << "):\n"
              << utf8::PadRight("rule", id_width) << right("ms", 11) << right("evals", 10)
              << right("hits", 10) << right("errors", 8) << "\n";
    for (size_t i = 0; i < n; ++i) {
      const RuleProfile& p = stats.profile[i];
      std::cerr << utf8::PadRight(p.rule_id, id_width) << right(Millis(p.nanos), 11)
                << right(std::to_string(p.evaluations), 10) << right(std::to_string(p.hits), 10)
                << right(std::to_string(p.errors), 8) << "\n";
    }
  }
  bool bad = stats.failed > 0 || read.counts.rejected > 0 || read.failed_files > 0 ||
             stats.rule_errors > 0;
  return bad ? kExitFailed : kExitOk;
}

}  // namespace

XUNCHA_CLI_COMMAND(classify, "classify findings with a rule set", kUsage, Run);

}  // namespace xuncha::cli
