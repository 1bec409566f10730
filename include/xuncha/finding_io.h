// Reading and writing findings and other xuncha messages, streaming.
//
// Formats (RecordFormat):
//   kJsonLines  one message per line in protobuf's JSON mapping. Output keys
//               are the proto field names (`found_on`, `inspector_team`);
//               input accepts those and the lowerCamel JSON names.
//               Extensions .jsonl .ndjson .json.
//   kBinary     a stream of length-delimited protobuf messages: each message
//               is preceded by its size as a base-128 varint. This is the
//               framing of protobuf's util::SerializeDelimitedToOstream /
//               ParseDelimitedFromZeroCopyStream and of Java's
//               writeDelimitedTo, so other tools read it directly.
//               Extensions .pb .binpb .bin.
//   kCsv        (findings only) RFC 4180 CSV as Excel exports it: UTF-8 with
//               or without BOM, or GB18030/GBK; CRLF or LF; a header row.
//               Extension .csv.
// The path "-" is stdin or stdout; its format must then be given.
//
// Bad records never stop a read and never vanish. Each one becomes a
// RecordError naming the file, the record number (and line, for text
// formats), the field and what is wrong; it goes to ReadOptions::on_error,
// its raw bytes go to a rejects file (RejectsWriter), the reader counts it,
// and reading goes on. A Status is only for what could not be done at all
// (a file that cannot be opened, a read that failed).
//
//   xuncha::ReadOptions options;
//   options.on_error = [](const xuncha::RecordError& e) {
//     std::cerr << e.ToString() << "\n";
//   };
//   auto reader = xuncha::FindingReader::Open("findings.csv", options);
//   if (!reader.ok()) return reader.status();
//   xuncha::v1::Finding finding;
//   while ((*reader)->Next(&finding)) { ... }
//   XUNCHA_RETURN_IF_ERROR((*reader)->status());
//
// Memory is flat in the number of records: readers hold one record (at most
// ReadOptions::max_record_bytes) plus a fixed buffer; writers stream. The
// only per-record memory is the set of seen ids for duplicate detection,
// which can be switched off.
//
// Outputs are atomic: writers write a temporary file beside the target and
// rename it over the target on Commit(); an uncommitted or crashed write
// leaves the old target (or none), never a partial file. AtomicFile offers
// the same for any other output (reports, ledgers).

#ifndef XUNCHA_FINDING_IO_H_
#define XUNCHA_FINDING_IO_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "xuncha/export.h"
#include "xuncha/status.h"
#include "xuncha/v1/finding.pb.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace xuncha {

// ---------------------------------------------------------------------------
// Formats and encodings

enum class RecordFormat { kAuto, kJsonLines, kBinary, kCsv };
enum class TextEncoding { kAuto, kUtf8, kGb18030 };

// "jsonl" (also "ndjson", "json"), "binary" (also "pb", "binpb", "bin"),
// "csv", "auto". InvalidArgument otherwise.
XUNCHA_EXPORT StatusOr<RecordFormat> ParseRecordFormat(std::string_view name);
// "jsonl", "binary", "csv", "auto".
XUNCHA_EXPORT std::string_view RecordFormatName(RecordFormat format);
// The format named by the path's extension (case-insensitive).
// InvalidArgument for "-" and unknown extensions.
XUNCHA_EXPORT StatusOr<RecordFormat> FormatFromPath(std::string_view path);
// "utf8" (also "utf-8"), "gb18030" (also "gbk", "gb2312"), "auto".
XUNCHA_EXPORT StatusOr<TextEncoding> ParseTextEncoding(std::string_view name);

// ---------------------------------------------------------------------------
// Errors in records

// One bad record. Plain value.
struct XUNCHA_EXPORT RecordError {
  std::string file;     // the path as given ("-" for stdin)
  int64_t record = 0;   // 1-based number of the record in the file (CSV: data rows)
  int64_t line = 0;     // 1-based first line of the record; 0 for binary
  std::string field;    // the field or CSV column title; empty for the whole record
  std::string message;  // one line, no trailing period
  // The record's bytes as read (line terminator and binary length prefix
  // included), capped at ReadOptions::max_record_bytes for oversized ones.
  std::string raw;

  // findings.csv:record 17 (line 18): field 金额(元): not an amount: "12.3.4"
  // findings.pb:record 3: truncated record: ...
  std::string ToString() const;
};

// Counts kept by every reader. ok + rejected == read.
struct ReadCounts {
  int64_t read = 0;
  int64_t ok = 0;
  int64_t rejected = 0;
};

class RejectsWriter;
class CsvColumns;

// The ids seen so far, shared by the readers of several files of one batch
// so that an id repeated across files is caught too. Memory per distinct id.
// Thread-compatible.
class XUNCHA_EXPORT SeenIds {
 public:
  // Registers one input (a reader does this when it opens); returns its
  // number for Insert().
  size_t AddFile(std::string name);
  // Notes that `id` is at record `record` of input `file`. If it was seen
  // before, returns false and sets *first to where: "record 3" in the same
  // input, "a.csv record 3" in another (even one of the same name).
  bool Insert(const std::string& id, size_t file, int64_t record, std::string* first);
  size_t size() const { return ids_.size(); }

 private:
  std::vector<std::string> files_;
  std::unordered_map<std::string, std::pair<size_t, int64_t>> ids_;
};

// Options for readers. A plain struct; defaults beside each field.
struct ReadOptions {
  // kAuto: from the path's extension.
  RecordFormat format = RecordFormat::kAuto;
  // CSV only. kAuto: a UTF-8 BOM means UTF-8; else if the first 64 KiB are
  // valid UTF-8, UTF-8; else GB18030. If the first 64 KiB were all ASCII,
  // the first row that is not UTF-8 but is GB18030 switches the file to
  // GB18030 (nothing read before changes: ASCII reads the same in both).
  // Otherwise rows of a UTF-8 file that turn out invalid later are rejected
  // with the offset of the bad byte.
  TextEncoding encoding = TextEncoding::kAuto;
  // Records longer than this (bytes as read) are rejected without being
  // held in memory; the reader resumes at the next record.
  size_t max_record_bytes = size_t{1} << 20;
  // Findings only: reject a finding without an id.
  bool require_id = true;
  // Findings only: reject a finding whose id was already seen in this
  // reader (or in `seen_ids`). Costs memory per distinct id.
  bool reject_duplicate_ids = true;
  // Shared across readers, not owned; null means each reader keeps its own.
  SeenIds* seen_ids = nullptr;
  // JSON: ignore keys that are not fields (default: reject the record).
  bool ignore_unknown_json_fields = false;
  // CSV only: header titles to fields; null means CsvColumns::Builtin().
  // Not owned; must outlive the reader.
  const CsvColumns* columns = nullptr;
  // Called for every rejected record, in order.
  std::function<void(const RecordError&)> on_error;
  // Receives the raw bytes of every rejected record. Not owned.
  RejectsWriter* rejects = nullptr;
};

// ---------------------------------------------------------------------------
// Atomic output

// A file written whole or not at all: bytes go to a temporary file in the
// target's directory (".NAME.tmp-XXXXXX"); Commit() flushes, fsyncs, renames
// it over the target and fsyncs the directory. Destroying an uncommitted
// AtomicFile removes the temporary; a crash leaves the target untouched.
// Thread-compatible. The path "-" writes to stdout (not atomic, of course).
class XUNCHA_EXPORT AtomicFile {
 public:
  // Creates the temporary file. IO errors as Status (e.g. missing directory).
  static StatusOr<std::unique_ptr<AtomicFile>> Create(std::string_view path,
                                                      int mode = 0644);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Appends bytes (buffered). REQUIRES: not committed.
  Status Append(std::string_view bytes);
  // Makes the file visible under its name. REQUIRES: called at most once.
  Status Commit();
  // Removes the temporary now; later Append/Commit fail.
  void Abandon();

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }
  bool committed() const { return committed_; }
  // Bytes appended so far.
  int64_t size() const { return size_; }

 private:
  AtomicFile(std::string path, std::string temp_path, int fd);
  Status Flush();

  std::string path_;
  std::string temp_path_;  // empty for stdout
  int fd_;
  std::string buffer_;
  bool committed_ = false;
  bool failed_ = false;
  int64_t size_ = 0;
};

// ---------------------------------------------------------------------------
// Rejects

// Collects the raw bytes of rejected records into one file, atomically, so
// the file can be fixed and fed back in. For CSV the header row of the file
// a reject came from is written before its first reject. Thread-compatible.
class XUNCHA_EXPORT RejectsWriter {
 public:
  static StatusOr<std::unique_ptr<RejectsWriter>> Open(std::string_view path);
  // Writes one rejected record (RecordError::raw). Text records get a
  // newline if they lack one. `header` is the raw CSV header row, if any.
  // Readers stream an oversized record: Write(first part, …, partial=true),
  // Continue(more)…, EndRecord().
  Status Write(std::string_view raw, RecordFormat format, std::string_view header = {},
               bool partial = false);
  Status Continue(std::string_view more);
  // Ends a streamed record: adds a newline to a text record that lacks one.
  Status EndRecord(RecordFormat format, bool had_newline);
  Status Commit();
  int64_t count() const { return count_; }

 private:
  explicit RejectsWriter(std::unique_ptr<AtomicFile> file);
  std::unique_ptr<AtomicFile> file_;
  std::string last_header_;
  int64_t count_ = 0;
};

// ---------------------------------------------------------------------------
// CSV columns

// Maps CSV header titles to Finding fields. Immutable once built; share it.
//
// Field paths: id round text occurred_on found_on source inspector_team
// tags counterparties counterparties.id counterparties.kind unit.id
// unit.name unit.parent_id unit.kind unit.business_line unit.headcount
// amount (yuan, up to 2 decimals) amount.wan (万元, up to 6 decimals)
// evidence.id evidence.kind evidence.description evidence.uri
// attrs (a JSON object of further attrs) attrs.KEY (one attr).
// List fields (tags, counterparties*, evidence*) hold items separated by
// "；" ";" or "、"; parallel columns (counterparties, counterparties.id,
// counterparties.kind) are matched by position.
//
// Titles are compared after folding full-width ASCII to half-width and
// trimming spaces, so 金额（元） and 金额(元) are one title. A column with an
// unknown title goes to attrs[title].
//
// Mapping file format (--columns FILE), UTF-8, one mapping a line:
//   # comment
//   合同金额(元) = amount
//   对方单位名称 = counterparties
//   项目类型 = attrs.项目类型
// Lines are merged over the built-in mapping (a title given again wins).
class XUNCHA_EXPORT CsvColumns {
 public:
  // The built-in English and Chinese titles.
  static const CsvColumns& Builtin();
  // Builtin() plus the mappings in `text`; errors name `name` and the line.
  static StatusOr<CsvColumns> Parse(std::string_view text, std::string_view name);
  static StatusOr<CsvColumns> LoadFile(std::string_view path);

  // Adds or replaces one mapping. InvalidArgument for an unknown field path.
  Status Add(std::string_view title, std::string_view field_path);
  // The field path for a header title, or "" when unmapped.
  std::string Lookup(std::string_view title) const;
  // True if `field_path` is one of the paths above.
  static bool IsFieldPath(std::string_view field_path);

 private:
  std::map<std::string, std::string, std::less<>> by_title_;
};

// ---------------------------------------------------------------------------
// Readers

// Reads a stream of any one message type, JSON Lines or binary. Owns its
// input. Thread-compatible. A UTF-8 BOM before the first JSON line is
// skipped.
class XUNCHA_EXPORT MessageReader {
 public:
  // Extra checks on a parsed message: return a non-empty message (and set
  // *field) to reject the record.
  using Validator =
      std::function<std::string(const google::protobuf::Message&, std::string* field)>;

  // Opens `path` ("-" = stdin). REQUIRES: format is kJsonLines, kBinary or
  // kAuto with a known extension. NotFound etc. on I/O failure.
  static StatusOr<std::unique_ptr<MessageReader>> Open(std::string_view path,
                                                       const ReadOptions& options = {});
  // Reads from a copy of `data`; `name` is used in errors (and for kAuto).
  static StatusOr<std::unique_ptr<MessageReader>> FromBytes(
      std::string_view name, std::string data, const ReadOptions& options = {});
  ~MessageReader();

  // Reads the next good record into *message (cleared first). Bad records
  // are reported and skipped. Returns false at the end of input or on I/O
  // failure; then check status().
  bool Next(google::protobuf::Message* message);
  void set_validator(Validator v);

  const Status& status() const;
  const ReadCounts& counts() const;
  // Bytes consumed so far and the input size (-1 when unknown, e.g. a pipe).
  int64_t bytes_read() const;
  int64_t input_size() const;
  RecordFormat format() const;

  class Impl;

 private:
  explicit MessageReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Reads findings from JSON Lines, binary or CSV, checking ids (see
// ReadOptions). Owns its input. Thread-compatible.
//
// CSV: the first non-blank row is the header (CsvColumns maps it); blank
// lines and rows whose cells are all empty (Excel leaves such rows) are not
// records. Records are numbered from 1 after the header; lines count from
// the top of the file. Open() fails with InvalidArgument for a header that
// cannot be used (bad quoting, two columns for one field, UTF-16 input,
// longer than max_record_bytes).
class XUNCHA_EXPORT FindingReader {
 public:
  static StatusOr<std::unique_ptr<FindingReader>> Open(std::string_view path,
                                                       const ReadOptions& options = {});
  static StatusOr<std::unique_ptr<FindingReader>> FromBytes(
      std::string_view name, std::string data, const ReadOptions& options = {});
  ~FindingReader();

  // As MessageReader::Next.
  bool Next(v1::Finding* finding);

  // The record Next() returned last (valid while Next() returns true): its
  // number, first line (0 for binary) and bytes as read. For callers that reject a finding later (a writer
  // that cannot hold it) the same way the reader would.
  int64_t record() const;
  int64_t line() const;
  const std::string& raw() const;
  const std::string& name() const;

  const Status& status() const;
  const ReadCounts& counts() const;
  int64_t bytes_read() const;
  int64_t input_size() const;
  RecordFormat format() const;
  // CSV: the encoding in use after detection; kUtf8 for other formats.
  TextEncoding encoding() const;

  class Impl;

 private:
  explicit FindingReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------
// Writers

enum class CsvHeader { kChinese, kEnglish };

struct WriteOptions {
  // kAuto: from the path's extension.
  RecordFormat format = RecordFormat::kAuto;
  // CSV only: kUtf8 or kGb18030 (kAuto means kUtf8).
  TextEncoding encoding = TextEncoding::kUtf8;
  // CSV only, UTF-8 only: start with a BOM (Excel needs it to see UTF-8).
  bool bom = false;
  // CSV only: header titles and enum values in Chinese or English.
  CsvHeader header = CsvHeader::kChinese;
  // CSV only: attrs keys that get a column of their own, in this order;
  // other attrs go into one "attrs" column as a JSON object.
  std::vector<std::string> attr_columns;
};

// Writes a stream of any one message type, JSON Lines or binary, through
// an AtomicFile. Output is deterministic (map fields sorted). Thread-compatible.
class XUNCHA_EXPORT MessageWriter {
 public:
  static StatusOr<std::unique_ptr<MessageWriter>> Open(std::string_view path,
                                                       const WriteOptions& options = {});
  ~MessageWriter();
  Status Write(const google::protobuf::Message& message);
  // REQUIRES: called once, after the last Write.
  Status Commit();
  int64_t count() const;
  int64_t bytes_written() const;

  class Impl;

 private:
  explicit MessageWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Writes findings as JSON Lines, binary or CSV (CRLF, quoted where needed,
// every field; see CsvColumns for the list columns). Thread-compatible.
// REQUIRES: string fields are valid UTF-8 (protobuf's rule for strings).
//
// CSV columns, in order (Chinese titles by default, field paths with
// CsvHeader::kEnglish): 问题编号 轮次 单位编号 被巡察单位 上级单位编号 单位类型
// 业务板块 单位人数 问题描述 涉及金额(元) 发生日期 发现日期 问题来源 巡察组
// 对方单位 对方单位代码 对方单位类型 佐证材料编号 佐证材料类型 佐证材料说明
// 佐证材料链接 标签, then one column per WriteOptions::attr_columns (titled
// with the key; "attrs.KEY" in English), then 其他属性 (attrs) holding the
// remaining attrs as a JSON object. Amounts are yuan with two decimals;
// source and counterparty kinds are written in Chinese (English ids with
// kEnglish). Write() returns InvalidArgument, writing nothing, for a
// finding CSV cannot hold: a list item (counterparty, evidence field, tag)
// containing a list separator, or an empty tag.
class XUNCHA_EXPORT FindingWriter {
 public:
  static StatusOr<std::unique_ptr<FindingWriter>> Open(std::string_view path,
                                                       const WriteOptions& options = {});
  ~FindingWriter();
  // InvalidArgument for a finding CSV cannot hold (invalid UTF-8 text).
  Status Write(const v1::Finding& finding);
  Status Commit();
  int64_t count() const;
  int64_t bytes_written() const;

  class Impl;

 private:
  explicit FindingWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------
// Field parsers used by the CSV reader, exposed for other inputs.

// Exact money, never through a double. ParseYuanToFen: a decimal yuan
// amount with at most 2 decimals ("3850.50", "3,850.50" with correctly
// grouped thousands, "-12", full-width digits, an optional trailing "元")
// to fen. ParseWanYuanToFen: the same in 万元 with at most 6 decimals
// ("520.5" → 5,205,000.00 yuan). InvalidArgument with a message like
// `not an amount: "12.3.4"`; "3850万元"-style text is not handled here.
XUNCHA_EXPORT StatusOr<int64_t> ParseYuanToFen(std::string_view text);
XUNCHA_EXPORT StatusOr<int64_t> ParseWanYuanToFen(std::string_view text);
// "2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "2024-03", "2024年3月",
// "2024" → "2024-03-05", "2024-03", "2024". Checks month and day.
XUNCHA_EXPORT StatusOr<std::string> ParseDate(std::string_view text);
// Enum name (SOURCE_KIND_INTERVIEW), short id (interview) or Chinese (个别谈话).
XUNCHA_EXPORT StatusOr<v1::SourceKind> ParseSourceKind(std::string_view text);
// Short id ("interview") and Chinese name ("个别谈话") of a source kind.
XUNCHA_EXPORT std::string_view SourceKindId(v1::SourceKind kind);
XUNCHA_EXPORT std::string_view SourceKindChinese(v1::SourceKind kind);
// Same for counterparty kinds: supplier 供应商, contractor 施工单位 …
XUNCHA_EXPORT StatusOr<v1::CounterpartyKind> ParseCounterpartyKind(std::string_view text);
XUNCHA_EXPORT std::string_view CounterpartyKindId(v1::CounterpartyKind kind);
XUNCHA_EXPORT std::string_view CounterpartyKindChinese(v1::CounterpartyKind kind);
// "3850.50" from 385050 fen (always two decimals).
XUNCHA_EXPORT std::string FormatFen(int64_t fen);

}  // namespace xuncha

#endif  // XUNCHA_FINDING_IO_H_
