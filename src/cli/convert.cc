// xuncha convert: findings from JSON Lines, binary or CSV files to one file
// in any of those formats, streaming, atomically, with bad records reported
// and kept aside.

#include <iostream>

#include "cli/command.h"
#include "cli/io_flags.h"
#include "xuncha/finding_io.h"

namespace xuncha::cli {
namespace {

constexpr char kConvertUsage[] =
    R"(usage: xuncha convert INPUT... -o OUTPUT [flags]

Converts findings between JSON Lines (.jsonl .ndjson .json), binary
length-delimited protobuf (.pb .binpb .bin) and CSV (.csv). Formats come from
the file extensions unless given. "-" is stdin / stdout (then name the format).
Bad records are reported on stderr as FILE:record N (line L): field F: problem,
copied to the rejects file if one is given, and left out; the rest is written.
The output appears only when complete (written to a temporary, then renamed).

flags:
  -o, --output FILE        where to write (required)
  --from FMT               input format: jsonl, binary, csv
  --to FMT                 output format: jsonl, binary, csv
  --encoding ENC           CSV input encoding: auto (default), utf8, gb18030
                           auto: BOM or valid UTF-8 means UTF-8, else GB18030
  --to-encoding ENC        CSV output encoding: utf8 (default), gb18030
  --bom                    CSV output: start with a UTF-8 BOM (for Excel)
  --header LANG            CSV output header: zh (default) or en
  --columns FILE           CSV input column titles, lines "列名 = field.path"
  --rejects FILE           write the raw bad records here
  --max-record-bytes N     reject records longer than N bytes (default 1048576)
  --allow-duplicate-ids    do not reject a finding whose id was seen before

exit status: 0 all records converted; 1 records rejected or a file failed;
2 usage error
)";

int RunConvert(const std::vector<std::string>& argv) {
  static const Command& self = Commands().at("convert");
  std::vector<FlagSpec> specs = FindingInputFlags();
  specs.push_back({"output", true});
  specs.push_back({"to", true});
  specs.push_back({"to-encoding", true});
  specs.push_back({"bom", false});
  specs.push_back({"header", true});
  Args args;
  int exit_code = kExitOk;
  if (!ParseOrExplain(self, argv, specs, &args, &exit_code)) return exit_code;
  auto usage_error = [&](const std::string& m) {
    std::cerr << "xuncha convert: " << m << "\n\n" << kConvertUsage;
    return kExitUsage;
  };
  auto output = args.Get("output");
  if (!output) return usage_error("no output file (-o)");
  WriteOptions wopts;
  if (auto to = args.Get("to")) {
    auto f = ParseRecordFormat(*to);
    if (!f.ok()) return usage_error(f.status().message());
    wopts.format = *f;
  }
  if (wopts.format == RecordFormat::kAuto) {
    auto f = FormatFromPath(*output);
    if (!f.ok()) return usage_error(f.status().message() + "; name the format with --to");
    wopts.format = *f;
  }
  if (auto enc = args.Get("to-encoding")) {
    auto e = ParseTextEncoding(*enc);
    if (!e.ok() || *e == TextEncoding::kAuto) {
      return usage_error("--to-encoding must be utf8 or gb18030");
    }
    wopts.encoding = *e;
  }
  wopts.bom = args.Has("bom");
  if (wopts.format != RecordFormat::kCsv &&
      (args.Has("to-encoding") || args.Has("bom") || args.Has("header"))) {
    return usage_error("--to-encoding, --bom and --header apply to CSV output only");
  }
  if (wopts.bom && wopts.encoding == TextEncoding::kGb18030) {
    return usage_error("--bom is for UTF-8 output; GB18030 has none");
  }
  std::string header = args.GetOr("header", "zh");
  if (header != "zh" && header != "en") return usage_error("--header must be zh or en");
  wopts.header = header == "zh" ? CsvHeader::kChinese : CsvHeader::kEnglish;

  FindingInputs inputs;
  if (!inputs.FromArgs(args, "convert", kConvertUsage, &exit_code)) return exit_code;
  auto writer = FindingWriter::Open(*output, wopts);
  if (!writer.ok()) {
    std::cerr << "xuncha convert: " << writer.status().message() << "\n";
    return kExitFailed;
  }
  Status write_failure;
  int64_t unwritable = 0;
  ReadSummary summary = ReadFindings(
      &inputs, "convert", [&](const v1::Finding& finding, FindingReader& reader) {
        Status s = (*writer)->Write(finding);
        if (s.ok()) return true;
        if (s.code() != StatusCode::kInvalidArgument) {
          write_failure = s;
          return false;
        }
        // The output format cannot hold this finding: a bad record too.
        ++unwritable;
        RecordError e{reader.name(), reader.record(), reader.line(), "", s.message(),
                      reader.raw()};
        std::cerr << e.ToString() << "\n";
        if (inputs.rejects != nullptr) {
          Status r = inputs.rejects->Write(e.raw, reader.format());
          if (!r.ok()) {
            write_failure = r;
            return false;
          }
        }
        return true;
      });
  summary.counts.ok -= unwritable;
  summary.counts.rejected += unwritable;
  bool failed = !write_failure.ok() || summary.failed_files > 0;
  if (!write_failure.ok()) std::cerr << "xuncha convert: " << write_failure.message() << "\n";
  if (!failed) {
    Status s = (*writer)->Commit();
    if (!s.ok()) {
      std::cerr << "xuncha convert: " << s.message() << "\n";
      failed = true;
    }
  }
  if (inputs.rejects != nullptr) {
    Status s = inputs.rejects->Commit();
    if (!s.ok()) {
      std::cerr << "xuncha convert: " << s.message() << "\n";
      failed = true;
    }
  }
  std::cerr << "convert: " << summary.counts.read << " read, " << summary.counts.ok
            << " written, " << summary.counts.rejected << " rejected";
  if (failed) {
    std::cerr << "; " << *output << " not written\n";
  } else {
    std::cerr << " -> " << *output << "\n";
  }
  return failed || summary.counts.rejected > 0 ? kExitFailed : kExitOk;
}

}  // namespace

XUNCHA_CLI_COMMAND(convert, "convert findings between JSON Lines, binary and CSV",
                   kConvertUsage, RunConvert);

}  // namespace xuncha::cli
