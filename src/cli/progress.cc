#include "cli/progress.h"

#include <cinttypes>

namespace xuncha::cli {

std::string GroupDigits(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

Progress::Progress(std::string label, int64_t total_bytes, bool enabled, std::FILE* out)
    : label_(std::move(label)),
      total_bytes_(total_bytes),
      enabled_(enabled),
      out_(out),
      start_(Clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { Finish(); }

std::string Progress::Format(std::string_view label, int64_t records, int64_t bytes_done,
                             int64_t total_bytes, double seconds) {
  std::string s(label);
  s += ": " + GroupDigits(records) + " records";
  if (seconds > 0) {
    s += "  " + GroupDigits(static_cast<int64_t>(records / seconds)) + "/s";
  }
  char buf[96];
  if (total_bytes > 0) {
    double pct = 100.0 * static_cast<double>(bytes_done) / static_cast<double>(total_bytes);
    std::snprintf(buf, sizeof(buf), "  %.1f/%.1f MB  %.0f%%", bytes_done / 1e6,
                  total_bytes / 1e6, pct);
    s += buf;
    if (bytes_done > 0 && seconds > 0 && bytes_done < total_bytes) {
      double eta = seconds * static_cast<double>(total_bytes - bytes_done) /
                   static_cast<double>(bytes_done);
      int64_t e = static_cast<int64_t>(eta + 0.5);
      if (e >= 3600) {
        std::snprintf(buf, sizeof(buf), "  ETA %" PRId64 ":%02" PRId64 ":%02" PRId64, e / 3600,
                      e / 60 % 60, e % 60);
      } else {
        std::snprintf(buf, sizeof(buf), "  ETA %" PRId64 ":%02" PRId64, e / 60, e % 60);
      }
      s += buf;
    }
  } else if (bytes_done > 0) {
    std::snprintf(buf, sizeof(buf), "  %.1f MB", bytes_done / 1e6);
    s += buf;
  }
  return s;
}

void Progress::Update(int64_t records, int64_t bytes_done) {
  if (!enabled_ || (++calls_ & 255) != 0) return;
  Clock::time_point now = Clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  std::string line = Format(label_, records, bytes_done, total_bytes_, seconds);
  std::fprintf(out_, "\r%s\x1b[K", line.c_str());
  std::fflush(out_);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_) {
    std::fprintf(out_, "\r\x1b[K");
    std::fflush(out_);
    drawn_ = false;
  }
}

}  // namespace xuncha::cli
