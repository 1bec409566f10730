// Internal to src/io; the public API is include/xuncha/finding_io.h.
//
// RFC 4180 pieces: splitting a raw record into fields, quoting a field for
// output, and GB18030 <-> UTF-8 conversion with iconv.
//
// Design note. CSV records are framed on the raw bytes, before any decoding:
// in GB18030 the bytes of '"', ',', '\r' and '\n' never occur inside a
// multi-byte character (trail bytes are 0x30-0x39 and 0x40-0xFE), so the
// quote/comma/newline state machine is the same for both encodings, and a
// rejected record can be copied to the rejects file exactly as it was read.

#ifndef XUNCHA_IO_CSV_H_
#define XUNCHA_IO_CSV_H_

#include <iconv.h>

#include <string>
#include <string_view>
#include <vector>

#include "xuncha/status.h"

namespace xuncha::io_internal {

// The framing half of SplitCsvRecord's state machine, fed a record's bytes
// in pieces: tells whether a line end falls inside a quoted field (so the
// record goes on). Only a quote at the start of a field opens a quoted
// field, so a stray quote in an unquoted field (ab"c) does not swallow the
// following lines.
class CsvScanner {
 public:
  void Feed(std::string_view bytes);
  bool inside_quotes() const { return state_ == kQuoted; }
  // The last byte fed ('\0' if none).
  char last() const { return last_; }

 private:
  enum State { kStart, kUnquoted, kQuoted, kQuoteInQuoted };
  State state_ = kStart;
  char last_ = '\0';
};

// Splits one raw record (its line terminator included or not) into fields,
// undoing the quoting. On bad quoting returns false and sets *error, e.g.
// "bad CSV quoting: quote inside unquoted field 3".
bool SplitCsvRecord(std::string_view raw, std::vector<std::string>* fields, std::string* error);

// Appends `field` to *out, quoted if it holds ',', '"', CR, LF, or starts or
// ends with a space.
void AppendCsvField(std::string_view field, std::string* out);

// An iconv conversion. Thread-compatible; reuse it.
class Converter {
 public:
  // from/to: iconv names, e.g. "GB18030", "UTF-8".
  Converter(const char* from, const char* to);
  ~Converter();
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;

  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  // Converts all of `in`. On an invalid or incomplete sequence returns false
  // and sets *bad_offset to its byte offset in `in`.
  bool Convert(std::string_view in, std::string* out, size_t* bad_offset);

 private:
  iconv_t cd_;
};

}  // namespace xuncha::io_internal

#endif  // XUNCHA_IO_CSV_H_
