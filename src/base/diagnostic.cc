#include "xuncha/diagnostic.h"

#include <algorithm>
#include <tuple>

#include "base/utf8.h"

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
  // under column `location.column`: wide (East Asian) characters take two
  // terminal cells, combining marks none; tabs are kept so the terminal
  // lines up. The "^~~" then spans the display width of the fragment.
  uint32_t col = 1;
  size_t i = 0;
  while (i < source_line.size() && col < location.column) {
    if (source_line[i] == '\t') {
      out += '\t';
      ++i;
    } else {
      char32_t cp = utf8::Decode(source_line, &i);
      out.append(static_cast<size_t>(utf8::CharWidth(cp)), ' ');
    }
    ++col;
  }
  size_t cells = 0;
  for (uint32_t k = 0; k < location.length && i < source_line.size(); ++k) {
    if (source_line[i] == '\t') {
      ++cells;
      ++i;
    } else {
      cells += static_cast<size_t>(utf8::CharWidth(utf8::Decode(source_line, &i)));
    }
  }
  // Past the end of the line (an error at end of line or file), or a
  // zero-width fragment: a single caret.
  if (cells == 0) cells = 1;
  out += '^';
  out.append(cells - 1, '~');
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
