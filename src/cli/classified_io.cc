#include "cli/classified_io.h"

#include <iostream>

#include "cli/corpus.h"
#include "xuncha/finding_io.h"

namespace xuncha::cli {

Status ReadClassified(const std::string& path, std::vector<v1::ClassifiedFinding>* out) {
  ReadOptions options;
  options.on_error = [](const RecordError& e) { std::cerr << e.ToString() << "\n"; };
  auto format = path == "-" ? StatusOr<RecordFormat>(RecordFormat::kJsonLines) : FormatFromPath(path);
  if (!format.ok()) return format.status();
  options.format = *format;
  // Binary streams of this subcommand family are classified output; JSON
  // Lines are told apart by their first record; CSV holds findings.
  bool classified = *format == RecordFormat::kBinary ||
                    (*format == RecordFormat::kJsonLines && (path == "-" || FirstRecordHasFindingKey(path)));
  ReadCounts counts;
  if (classified) {
    XUNCHA_ASSIGN_OR_RETURN(auto reader, MessageReader::Open(path, options));
    v1::ClassifiedFinding record;
    while (reader->Next(&record)) out->push_back(record);
    XUNCHA_RETURN_IF_ERROR(reader->status());
    counts = reader->counts();
  } else {
    XUNCHA_ASSIGN_OR_RETURN(auto reader, FindingReader::Open(path, options));
    v1::ClassifiedFinding record;
    while (reader->Next(record.mutable_finding())) {
      out->push_back(record);
      record.Clear();
    }
    XUNCHA_RETURN_IF_ERROR(reader->status());
    counts = reader->counts();
  }
  if (counts.rejected > 0) {
    return InvalidArgumentError(path + ": " + std::to_string(counts.rejected) + " of " +
                                std::to_string(counts.read) + " records rejected");
  }
  return Status::OK();
}

Status WriteWholeFile(const std::string& path, const std::string& contents) {
  XUNCHA_ASSIGN_OR_RETURN(auto file, AtomicFile::Create(path));
  XUNCHA_RETURN_IF_ERROR(file->Append(contents));
  return file->Commit();
}

}  // namespace xuncha::cli
