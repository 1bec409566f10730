// Internal to src/io; the public API is include/xuncha/finding_io.h.
//
// RecordStream: the framing and bookkeeping every reader shares. It cuts the
// input into raw records (lines, CSV records that may span lines, or
// length-prefixed binary messages), numbers them, rejects oversized and
// truncated ones itself, and routes every rejection the same way: the
// on_error callback, the rejects file, the counts. Parsing the records is the
// caller's business (MessageReader, FindingReader).

#ifndef XUNCHA_IO_RECORD_STREAM_H_
#define XUNCHA_IO_RECORD_STREAM_H_

#include <memory>
#include <string>

#include "io/byte_source.h"
#include "xuncha/finding_io.h"

namespace google::protobuf {
class Descriptor;
}  // namespace google::protobuf

namespace xuncha::io_internal {

// Thread-compatible.
class RecordStream {
 public:
  RecordStream(std::string name, std::unique_ptr<ByteSource> source, const ReadOptions& options,
               RecordFormat format);

  // Reads the next record into raw(); false at the end of input or on I/O
  // failure (status()). Blank lines are skipped. Oversized records, and
  // truncated binary ones, are rejected here and skipped.
  bool Next();

  // The current record (valid after Next() returned true): bytes as read,
  // its number and first line.
  const std::string& raw() const { return raw_; }
  // For text formats: raw() without its line terminator ("\n" or "\r\n").
  std::string_view text() const;
  int64_t record() const { return record_; }
  int64_t line() const { return record_line_; }

  // Rejects the current record.
  void Reject(std::string field, std::string message);
  // Counts the current record as good.
  void Accept() { ++counts_.ok; }
  // The current record turned out not to be one (a CSV row of empty
  // cells): uncounts it, as blank lines are.
  void Unread() {
    --record_;
    --counts_.read;
  }

  // CSV: while reading the header, an oversized record ends the input
  // (and is not reported to on_error: the caller fails the file).
  void set_header_mode(bool on) { header_mode_ = on; }
  // CSV: the header row as read, written before the first reject.
  void set_csv_header(std::string raw) { csv_header_ = std::move(raw); }
  // CSV: data rows are numbered from 1 after the header; call once the
  // header has been read.
  void RestartNumbering() { record_ = 0; counts_ = ReadCounts(); }

  ByteSource& source() { return *source_; }
  const std::string& name() const { return name_; }
  const ReadOptions& options() const { return options_; }
  RecordFormat format() const { return format_; }
  const ReadCounts& counts() const { return counts_; }
  const Status& status() const { return status_; }
  void set_status(Status s) { if (status_.ok()) status_ = std::move(s); }

 private:
  bool NextLine();
  bool NextCsv();
  bool NextBinary();
  // Reports an oversized record whose first part is in raw_ and whose rest
  // was already streamed to the rejects file.
  void RejectOversized(int64_t total);
  ByteSource::Overflow OverflowSink(bool* started);

  std::string name_;
  std::unique_ptr<ByteSource> source_;
  ReadOptions options_;
  RecordFormat format_;
  ReadCounts counts_;
  Status status_;
  std::string raw_;
  std::string csv_header_;
  int64_t record_ = 0;
  int64_t record_line_ = 0;
  int64_t next_line_ = 1;
  bool done_ = false;
  bool header_mode_ = false;
  char last_overflow_byte_ = '\0';
};

// Parses a binary protobuf message of type `descriptor` just far enough to
// find the first thing wrong with it: a truncated or malformed field, or a
// string field that is not UTF-8. Returns false and sets *field (a dotted
// path) and *message; true if nothing is wrong.
bool CheckWire(const google::protobuf::Descriptor* descriptor, std::string_view bytes,
               std::string* field, std::string* message);

// Byte length of a leading UTF-8 BOM (3) or 0.
inline size_t BomLength(std::string_view s) {
  return s.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
}

}  // namespace xuncha::io_internal

#endif  // XUNCHA_IO_RECORD_STREAM_H_
