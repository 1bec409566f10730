// Internal: reading rule files (protobuf text format against
// xuncha.v1.RuleSet) with a map from every field back to its place in the
// file, and the rule-set-level checks. The public door is
// include/xuncha/compiler.h.
//
// The only entry points of this folder are LoadRuleSet() and
// LoadRuleSetFromString(); of src/check, CheckRuleSet().
//
// Protobuf's text-format parser reports 0-based lines and columns counted in
// bytes; they are converted once, here, to 1-based lines and code-point
// columns (SourceLocation).

#ifndef XUNCHA_RULES_RULE_SOURCE_H_
#define XUNCHA_RULES_RULE_SOURCE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/diagnostic.h"
#include "xuncha/status.h"
#include "xuncha/v1/rules.pb.h"

namespace xuncha::rules {

// One rule file's text, kept so diagnostics can show source lines.
struct SourceFile {
  std::string path;
  std::string content;
  std::vector<uint32_t> line_starts;  // byte offset of each line

  // 1-based line and code-point column of a byte offset; fills
  // loc->source_line too.
  SourceLocation Locate(uint32_t byte_offset, uint32_t length_chars = 1) const;
  std::string_view Line(uint32_t line) const;  // 1-based, without newline
};

// Maps byte offsets inside a string field's *decoded* value back to byte
// offsets in the file, through escapes (\n, \", \x.., \u...., octal) and
// through adjacent literals that text format concatenates ('a' "b").
class StringSourceMap {
 public:
  StringSourceMap() = default;
  // decoded_to_file[i] = file offset of the first source byte that produced
  // decoded byte i; one extra entry for the end.
  explicit StringSourceMap(std::vector<uint32_t> decoded_to_file)
      : decoded_to_file_(std::move(decoded_to_file)) {}
  bool empty() const { return decoded_to_file_.empty(); }
  uint32_t FileOffset(uint32_t decoded_offset) const;

 private:
  std::vector<uint32_t> decoded_to_file_;
};

// Where each part of one rule stands.
struct RuleSource {
  const SourceFile* file = nullptr;
  uint32_t rule_offset = 0;           // the `rule {` of this rule
  std::map<std::string, uint32_t, std::less<>> field_offsets;  // "id", "when", "category" …
  // Repeated fields: "examples[2]" → offset of that element.
  StringSourceMap when_map;           // decoded `when` → file
};

struct LexiconSource {
  const SourceFile* file = nullptr;
  uint32_t offset = 0;
  std::vector<uint32_t> term_offsets;  // one per term
};

// A rule set as read, with sources. Rules of a directory are in file-name
// order, then file order. Immutable after loading.
struct LoadedRuleSet {
  v1::RuleSet set;
  std::vector<std::unique_ptr<SourceFile>> files;
  std::vector<RuleSource> rules;         // parallel to set.rule()
  std::vector<LexiconSource> lexicons;   // parallel to set.lexicon()
  std::vector<const SourceFile*> stage_files;  // parallel to set.stage()
  std::vector<uint32_t> stage_offsets;
  const SourceFile* header_file = nullptr;     // the file naming the set

  // A diagnostic at a byte offset of a file.
  Diagnostic At(const SourceFile* file, uint32_t offset, Severity severity,
                std::string message, std::string code, uint32_t length_chars = 1) const;
};

struct LoadOptions {
  uint32_t max_file_bytes = 16 << 20;  // per rule file
  uint32_t max_rules = 20000;          // per set
};

// Reads a rule set from files and directories (a directory contributes its
// *.textproto files, sorted by name). Syntax errors and unknown fields are
// diagnostics with path:line:col; all files are read even after an error.
// Returns non-OK only for I/O failures (unreadable path) and limits.
Status LoadRuleSet(const std::vector<std::string>& paths, const LoadOptions& options,
                   LoadedRuleSet* out, std::vector<Diagnostic>* diagnostics);

// The same for text in memory (tests, fuzzing, the Python binding).
Status LoadRuleSetFromString(std::string_view path, std::string_view content,
                             const LoadOptions& options, LoadedRuleSet* out,
                             std::vector<Diagnostic>* diagnostics);

}  // namespace xuncha::rules

namespace xuncha::check {

// Rule-set-level checks that need no expression compiler: set name and
// version, duplicate rule ids, taxonomy ids (category, subcategory under its
// category, discipline, nature, disposition, transfer target), unknown
// stages, empty or duplicate lexicons, lexicon term lints (a single Han
// character; full-width and half-width forms mixed), basis without
// regulation, examples without text, score/priority/confidence ranges.
void CheckRuleSet(const rules::LoadedRuleSet& loaded, std::vector<Diagnostic>* diagnostics);

// Taxonomy ids are checked against include/xuncha/taxonomy.h.

}  // namespace xuncha::check

#endif  // XUNCHA_RULES_RULE_SOURCE_H_
