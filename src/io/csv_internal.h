// Internal to src/io; the public API is include/xuncha/finding_io.h.
// Helpers shared by the CSV column mapping and the CSV reader/writer.

#ifndef XUNCHA_IO_CSV_INTERNAL_H_
#define XUNCHA_IO_CSV_INTERNAL_H_

#include <string>
#include <string_view>

namespace xuncha::io_internal {

// A header title as compared: full-width ASCII folded, spaces trimmed,
// ASCII lower-cased.
std::string NormalizeTitle(std::string_view title);
// The Chinese title the CSV writer uses for a field path.
std::string_view ChineseTitle(std::string_view field_path);

}  // namespace xuncha::io_internal

#endif  // XUNCHA_IO_CSV_INTERNAL_H_
