// Diagnostics: what is wrong in a user's rule files, all of it, each pointing
// at the exact character.
//
//   rules/bidding.textproto:42:17: error: unknown lexicon "围标词" [unknown-lexicon]
//     when: 'lexicon("围标词") && amount > wan(400)'
//                    ^~~~~~~~
//
// Lines and columns are 1-based; columns count code points (so Chinese text
// lines up in a terminal that shows one code point per column); the byte
// offset into the file is kept too. Codes in brackets are stable and are what
// tests should compare; wording may improve.

#ifndef XUNCHA_DIAGNOSTIC_H_
#define XUNCHA_DIAGNOSTIC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/export.h"

namespace xuncha {

enum class Severity { kError, kWarning, kNote };

XUNCHA_EXPORT std::string_view SeverityName(Severity s);  // "error", …

struct SourceLocation {
  std::string path;       // as given by the user; "" when not from a file
  uint32_t line = 0;      // 1-based; 0 = unknown
  uint32_t column = 0;    // 1-based, in code points; 0 = unknown
  uint32_t offset = 0;    // byte offset into the file
  uint32_t length = 1;    // extent of the offending fragment, in code points
};

struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLocation location;
  std::string message;    // one line, no trailing period
  std::string code;       // stable id, e.g. "unknown-lexicon"
  std::string rule_id;    // the rule it concerns, if any
  std::string source_line;  // the full source line, for the caret display

  // "path:line:col: error: message [code]"
  XUNCHA_EXPORT std::string Headline() const;
  // Headline, then the source line and a caret line ("^~~~") under the
  // fragment, indented by two spaces. Tabs in the source are kept in the
  // caret line so that the caret lines up.
  XUNCHA_EXPORT std::string ToString() const;
};

// Counts, for the summary line "3 errors, 1 warning".
XUNCHA_EXPORT size_t CountErrors(const std::vector<Diagnostic>& diagnostics);
XUNCHA_EXPORT bool HasErrors(const std::vector<Diagnostic>& diagnostics);

// Sorts by path, line, column, then severity and code: a stable order that
// does not depend on which check ran first.
XUNCHA_EXPORT void SortDiagnostics(std::vector<Diagnostic>* diagnostics);

}  // namespace xuncha

#endif  // XUNCHA_DIAGNOSTIC_H_
