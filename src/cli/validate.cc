// xuncha validate: reads findings and reports every bad record.

#include <iostream>

#include "cli/command.h"
#include "cli/io_flags.h"
#include "xuncha/finding_io.h"

namespace xuncha::cli {
namespace {

constexpr char kValidateUsage[] =
    R"(usage: xuncha validate INPUT... [flags]

Reads findings (JSON Lines, binary or CSV, by extension unless --from) and
reports each bad record on stderr as FILE:record N (line L): field F: problem,
then a summary line on stdout. Ids must be present and unique across all the
inputs.

flags:
  --from FMT               input format: jsonl, binary, csv
  --encoding ENC           CSV encoding: auto (default), utf8, gb18030
  --columns FILE           CSV column titles, lines "列名 = field.path"
  --rejects FILE           write the raw bad records here
  --max-record-bytes N     reject records longer than N bytes (default 1048576)
  --allow-duplicate-ids    do not reject a finding whose id was seen before

exit status: 0 all records good; 1 records rejected or a file failed;
2 usage error
)";

int RunValidate(const std::vector<std::string>& argv) {
  static const Command& self = Commands().at("validate");
  Args args;
  int exit_code = kExitOk;
  if (!ParseOrExplain(self, argv, FindingInputFlags(), &args, &exit_code)) return exit_code;
  FindingInputs inputs;
  if (!inputs.FromArgs(args, "validate", kValidateUsage, &exit_code)) return exit_code;
  ReadSummary summary =
      ReadFindings(&inputs, "validate", [](const v1::Finding&, FindingReader&) { return true; });
  bool failed = summary.failed_files > 0;
  if (inputs.rejects != nullptr) {
    Status s = inputs.rejects->Commit();
    if (!s.ok()) {
      std::cerr << "xuncha validate: " << s.message() << "\n";
      failed = true;
    }
  }
  std::cout << "validate: " << summary.files << (summary.files == 1 ? " file, " : " files, ")
            << summary.counts.read << " records, " << summary.counts.ok << " ok, "
            << summary.counts.rejected << " rejected";
  if (summary.failed_files > 0) std::cout << ", " << summary.failed_files << " unreadable";
  std::cout << "\n";
  return failed || summary.counts.rejected > 0 ? kExitFailed : kExitOk;
}

}  // namespace

XUNCHA_CLI_COMMAND(validate, "check findings files and report every bad record",
                   kValidateUsage, RunValidate);

}  // namespace xuncha::cli
