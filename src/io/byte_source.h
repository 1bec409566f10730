// Internal to src/io; the public API is include/xuncha/finding_io.h.
//
// ByteSource: a bounded read buffer over a file descriptor or a string, with
// the two framings every reader needs: lines (JSON Lines, CSV) and varint
// length-prefixed messages (binary). Records longer than a limit are never
// held whole: their excess goes to a callback (the rejects file) and is
// dropped, so memory stays flat whatever the input.

#ifndef XUNCHA_IO_BYTE_SOURCE_H_
#define XUNCHA_IO_BYTE_SOURCE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "xuncha/status.h"

namespace xuncha::io_internal {

// Thread-compatible. Owns the descriptor it opened.
class ByteSource {
 public:
  using Overflow = std::function<void(std::string_view)>;

  // "-" is stdin.
  static StatusOr<std::unique_ptr<ByteSource>> Open(const std::string& path);
  static std::unique_ptr<ByteSource> FromString(std::string data);
  ~ByteSource();

  // Reads one line including its '\n' (the last line may lack it). Returns
  // false at the end of input. A line longer than `max` bytes: *line gets
  // the first `max` bytes, *total its full length, the excess goes to
  // `overflow` (may be empty) and is consumed. I/O errors: see status().
  bool ReadLine(size_t max, std::string* line, int64_t* total, const Overflow& overflow);

  // Binary framing. Reads a varint; returns false at a clean end of input.
  // Sets *error (and returns false) for a truncated or overlong varint;
  // *prefix receives the varint's bytes.
  bool ReadVarint(uint64_t* value, std::string* prefix, std::string* error);
  // Appends exactly n bytes to *out; returns the number actually read (less
  // at end of input).
  size_t ReadExact(size_t n, std::string* out);
  // Skips n bytes, passing them to `overflow`; returns the number skipped.
  size_t Skip(uint64_t n, const Overflow& overflow);

  // Looks at up to n bytes without consuming them (fewer at end of input).
  std::string_view PeekUpTo(size_t n);
  void Consume(size_t n);

  int64_t offset() const { return offset_; }
  int64_t size() const { return size_; }  // -1 when unknown
  const Status& status() const { return status_; }

 private:
  ByteSource(int fd, std::string path, int64_t size);
  // Reads more into the buffer; false at EOF or error.
  bool Fill();
  std::string_view Buffered() const { return std::string_view(buf_).substr(begin_, end_ - begin_); }

  int fd_;  // -1 for a string source
  bool owns_fd_ = false;
  std::string path_;
  std::string buf_;
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  int64_t offset_ = 0;
  int64_t size_ = -1;
  Status status_;
};

}  // namespace xuncha::io_internal

#endif  // XUNCHA_IO_BYTE_SOURCE_H_
