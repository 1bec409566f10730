// Fuzzes the finding readers: any bytes, in every format, must give records
// or RecordErrors — never a crash, a hang, or a record lost from the counts.
// The first byte picks the format and options.

#include <cstddef>
#include <cstdint>
#include <string>

#include "xuncha/finding_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint8_t control = data[0];
  static const char* kNames[] = {"f.jsonl", "f.pb", "f.csv", "f.csv"};
  xuncha::ReadOptions options;
  if ((control & 3) == 3) options.encoding = xuncha::TextEncoding::kGb18030;
  options.max_record_bytes = (control & 4) ? 64 : 4096;
  options.reject_duplicate_ids = (control & 8) != 0;
  int64_t errors = 0;
  options.on_error = [&](const xuncha::RecordError& e) {
    ++errors;
    if (e.ToString().empty()) __builtin_trap();
  };
  std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto reader = xuncha::FindingReader::FromBytes(kNames[control & 3], input, options);
  if (!reader.ok()) return 0;  // a CSV header it cannot use
  xuncha::v1::Finding f;
  int64_t good = 0;
  while ((*reader)->Next(&f)) ++good;
  const xuncha::ReadCounts& n = (*reader)->counts();
  if (n.ok != good || n.rejected != errors || n.read != n.ok + n.rejected) __builtin_trap();
  if (!(*reader)->status().ok()) __builtin_trap();  // in-memory input cannot fail to read
  return 0;
}
