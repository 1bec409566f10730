// Flags and input handling shared by `convert` and `validate` (and later
// commands that read findings): --from, --encoding, --columns, --rejects,
// --max-record-bytes, and the loop over input files with error printing,
// rejects and progress.

#ifndef XUNCHA_CLI_IO_FLAGS_H_
#define XUNCHA_CLI_IO_FLAGS_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/progress.h"
#include "xuncha/finding_io.h"

namespace xuncha::cli {

// The flag specs of the reading side.
std::vector<FlagSpec> FindingInputFlags();

// Reading side, resolved from flags. Thread-compatible.
struct FindingInputs {
  std::vector<std::string> paths;
  ReadOptions options;  // format/encoding/limits; on_error and rejects set by ReadFindings
  std::optional<CsvColumns> columns;
  std::unique_ptr<RejectsWriter> rejects;
  SeenIds seen_ids;

  // Parses the flags. On a usage error prints it (with `usage`) and returns
  // false with *exit_code = kExitUsage.
  bool FromArgs(const Args& args, std::string_view command, std::string_view usage,
                int* exit_code);
};



struct ReadSummary {
  int files = 0;
  int failed_files = 0;  // could not be opened or read
  ReadCounts counts;
};

// Pulls good findings from every input in order, printing each bad record
// and each unreadable file to stderr (bad records also to the rejects file),
// with progress on stderr when it is a terminal. Thread-compatible.
class FindingStream {
 public:
  FindingStream(FindingInputs* inputs, std::string_view label);
  ~FindingStream();
  // The next good finding; false when every input is done.
  bool Next(v1::Finding* finding);
  // The reader of the finding Next() returned last.
  FindingReader* reader() { return reader_.get(); }
  // Clears the progress line. Idempotent.
  void Finish();
  const ReadSummary& summary() const { return summary_; }

 private:
  void CloseReader();
  FindingInputs* inputs_;
  std::string label_;
  ReadOptions options_;
  std::unique_ptr<Progress> progress_;
  std::unique_ptr<FindingReader> reader_;
  size_t next_path_ = 0;
  int64_t bytes_before_ = 0;
  ReadSummary summary_;
};

// Reads every input in order, printing each bad record to stderr (and to the
// rejects file), calling `sink` with each good finding and its reader. Progress
// on stderr when it is a terminal. If `sink` returns false, reading stops.
ReadSummary ReadFindings(FindingInputs* inputs, std::string_view label,
                         const std::function<bool(const v1::Finding&, FindingReader&)>& sink);

}  // namespace xuncha::cli

#endif  // XUNCHA_CLI_IO_FLAGS_H_
