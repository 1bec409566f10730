// A progress meter on stderr for long runs: records, rate, and — when the
// input size is known — percentage and ETA, redrawn in place on one line.
//
//   cli::Progress progress("convert", total_bytes, cli::StderrIsTerminal());
//   while (...) { ...; progress.Update(records, bytes_done); }
//   progress.Finish();
//
// Shown only when enabled (stderr is a terminal), so logs and pipes stay
// clean. Thread-compatible.

#ifndef XUNCHA_CLI_PROGRESS_H_
#define XUNCHA_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace xuncha::cli {

class Progress {
 public:
  // total_bytes < 0: unknown (no percentage, no ETA).
  Progress(std::string label, int64_t total_bytes, bool enabled, std::FILE* out = stderr);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Cheap enough for every record: looks at the clock every 256 calls and
  // redraws at most five times a second.
  void Update(int64_t records, int64_t bytes_done);
  // Clears the line. Idempotent.
  void Finish();

  // The text of one redraw, for tests: "convert: 12,345 records  6,789/s
  // 12.3/45.6 MB  27%  ETA 0:12".
  static std::string Format(std::string_view label, int64_t records, int64_t bytes_done,
                            int64_t total_bytes, double seconds);

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_;
  int64_t total_bytes_;
  bool enabled_;
  std::FILE* out_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  uint32_t calls_ = 0;
  bool drawn_ = false;
};

// 1234567 -> "1,234,567".
std::string GroupDigits(int64_t n);

}  // namespace xuncha::cli

#endif  // XUNCHA_CLI_PROGRESS_H_
