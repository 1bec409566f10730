#include "xuncha/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace xuncha {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

std::string Diagnostic::Headline() const {
  std::string out;
  if (!location.path.empty()) {
    out += location.path;
    out += ':';
  }
  if (location.line > 0) {
    out += std::to_string(location.line);
    out += ':';
    if (location.column > 0) {
      out += std::to_string(location.column);
      out += ':';
    }
  }
  if (!out.empty()) out += ' ';
  out += SeverityName(severity);
  out += ": ";
  out += message;
  if (!code.empty()) {
    out += " [";
    out += code;
    out += ']';
  }
  return out;
}

std::string Diagnostic::ToString() const {
  std::string out = Headline();
  if (source_line.empty() || location.column == 0) return out;
  out += "\n  ";
  out += source_line;
  out += "\n  ";
  // Walk the source line code point by code point so that the caret sits
  // under column `location.column`; keep tabs so the terminal lines up.
  uint32_t col = 1;
  for (size_t i = 0; i < source_line.size() && col < location.column;) {
    unsigned char c = static_cast<unsigned char>(source_line[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    // Wide (East Asian) characters take two terminal cells.
    bool wide = len >= 3;
    out += c == '\t' ? "\t" : (wide ? "  " : " ");
    i += len;
    ++col;
  }
  out += '^';
  for (uint32_t i = 1; i < location.length; ++i) out += '~';
  return out;
}

size_t CountErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::count_if(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) { return CountErrors(diagnostics) > 0; }

void SortDiagnostics(std::vector<Diagnostic>* diagnostics) {
  std::stable_sort(diagnostics->begin(), diagnostics->end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.location.path, a.location.line, a.location.column,
                                     a.severity, a.code) <
                            std::tie(b.location.path, b.location.line, b.location.column,
                                     b.severity, b.code);
                   });
}

}  // namespace xuncha
