// SourceFile, StringSourceMap and LoadedRuleSet::At: from byte offsets to
// what a person reads (1-based line, code-point column, the source line).

#include <algorithm>

#include "base/utf8.h"
#include "rules/rule_source.h"
#include "rules/text_lexer.h"

namespace xuncha::rules {

namespace internal {

std::string ToValidUtf8(std::string s) {
  if (utf8::IsValid(s)) return s;
  std::string out;
  for (size_t i = 0; i < s.size();) utf8::Append(utf8::Decode(s, &i), &out);
  return out;
}

}  // namespace internal

SourceLocation SourceFile::Locate(uint32_t byte_offset, uint32_t length_chars) const {
  SourceLocation loc;
  loc.path = path;
  uint32_t offset = std::min<uint32_t>(byte_offset, static_cast<uint32_t>(content.size()));
  loc.offset = offset;
  loc.length = length_chars == 0 ? 1 : length_chars;
  if (line_starts.empty()) {
    loc.line = 1;
    loc.column = static_cast<uint32_t>(utf8::CountChars(std::string_view(content).substr(0, offset))) + 1;
    return loc;
  }
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  size_t index = static_cast<size_t>(it - line_starts.begin()) - 1;  // line_starts[0] == 0
  loc.line = static_cast<uint32_t>(index + 1);
  std::string_view before = std::string_view(content).substr(line_starts[index], offset - line_starts[index]);
  loc.column = static_cast<uint32_t>(utf8::CountChars(before)) + 1;
  return loc;
}

std::string_view SourceFile::Line(uint32_t line) const {
  if (line == 0 || line > line_starts.size()) return {};
  size_t begin = line_starts[line - 1];
  size_t end = line < line_starts.size() ? line_starts[line] : content.size();
  std::string_view text = std::string_view(content).substr(begin, end - begin);
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

uint32_t StringSourceMap::FileOffset(uint32_t decoded_offset) const {
  if (decoded_to_file_.empty()) return 0;
  if (decoded_offset >= decoded_to_file_.size()) return decoded_to_file_.back();
  return decoded_to_file_[decoded_offset];
}

Diagnostic LoadedRuleSet::At(const SourceFile* file, uint32_t offset, Severity severity,
                             std::string message, std::string code,
                             uint32_t length_chars) const {
  Diagnostic d;
  d.severity = severity;
  // Messages quote values from the file, which escapes may have made
  // ill-formed; what a person reads stays UTF-8.
  d.message = internal::ToValidUtf8(std::move(message));
  d.code = std::move(code);
  if (file != nullptr) {
    d.location = file->Locate(offset, length_chars);
    // Ill-formed bytes are shown as U+FFFD, one per byte, as Locate()
    // counts them, so that the caret still lines up and output stays UTF-8.
    d.source_line = internal::ToValidUtf8(std::string(file->Line(d.location.line)));
  }
  return d;
}

Diagnostic LoadedRuleSet::AtString(const SourceFile* file, const StringSourceMap& map,
                                   uint32_t fallback_offset, uint32_t decoded_begin,
                                   uint32_t decoded_end, Severity severity, std::string message,
                                   std::string code) const {
  if (file == nullptr || map.empty()) {
    return At(file, fallback_offset, severity, std::move(message), std::move(code));
  }
  uint32_t begin = std::min<uint32_t>(map.FileOffset(decoded_begin),
                                      static_cast<uint32_t>(file->content.size()));
  uint32_t end = decoded_end > decoded_begin ? map.FileOffset(decoded_end) : begin;
  end = std::clamp<uint32_t>(end, begin, static_cast<uint32_t>(file->content.size()));
  std::string_view span = std::string_view(file->content).substr(begin, end - begin);
  // A fragment ending where a literal ends maps its end to the next literal;
  // stop at the closing quote's line.
  if (size_t nl = span.find('\n'); nl != std::string_view::npos) span = span.substr(0, nl);
  size_t chars = utf8::CountChars(span);
  return At(file, begin, severity, std::move(message), std::move(code),
            chars == 0 ? 1 : static_cast<uint32_t>(chars));
}

uint32_t TokenLength(const SourceFile& file, uint32_t offset) {
  return internal::TokenLengthChars(file.content, offset);
}

}  // namespace xuncha::rules
