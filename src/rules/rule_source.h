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
#include <functional>
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

  // 1-based line and code-point column of a byte offset (clamped to the
  // content). Diagnostic::source_line is filled by LoadedRuleSet::At() from
  // Line().
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
  // The file offset of decoded byte `decoded_offset`; offsets at or past the
  // end map to the end of the last literal. REQUIRES: !empty().
  uint32_t FileOffset(uint32_t decoded_offset) const;
  // Number of decoded bytes mapped.
  size_t decoded_size() const {
    return decoded_to_file_.empty() ? 0 : decoded_to_file_.size() - 1;
  }

 private:
  std::vector<uint32_t> decoded_to_file_;
};

// Field offsets of one message, by path: "id", "when", "category" …
// Repeated fields: "examples[2]" → offset of that element; nested fields:
// "examples[2].text", "basis[0].regulation", "secondary[1].category".
// A scalar field's offset is that of its value (the opening quote of a
// string), so a caret can underline the value; a message field's offset is
// that of its name (`basis {`), or of its `{` when written in a list.
using FieldOffsets = std::map<std::string, uint32_t, std::less<>>;
// Decoded-string maps of string fields, keyed like FieldOffsets.
using StringMaps = std::map<std::string, StringSourceMap, std::less<>>;

// Where each part of one rule stands.
struct RuleSource {
  const SourceFile* file = nullptr;
  uint32_t rule_offset = 0;           // the `rule {` of this rule
  FieldOffsets field_offsets;         // "id", "when", "category" …
  StringSourceMap when_map;           // decoded `when` → file
  StringMaps string_maps;             // every string field, "when" included
};

struct LexiconSource {
  const SourceFile* file = nullptr;
  uint32_t offset = 0;
  std::vector<uint32_t> term_offsets;  // one per term
  FieldOffsets field_offsets;          // "name", "terms[3]", "description"
  std::vector<StringSourceMap> term_maps;  // one per term (empty if unknown)
};

// Where a stage, pattern definition or negation cue stands: `offset` is the
// field name (`stage {`) or, for negation cues, the value.
struct ElementSource {
  const SourceFile* file = nullptr;
  uint32_t offset = 0;
  FieldOffsets field_offsets;  // "name", "min_units", "open_methods[1]" …
  // Models: set instead of field_offsets. A trained model has some 10^5
  // fields, and recording where each stands costs more than parsing it
  // (a 6 MB model: 1.3 s and 80 MB), while positions are only wanted for a
  // diagnostic; this parses the model's text again, with positions, when
  // one is. Null: field_offsets is complete.
  std::function<FieldOffsets()> find_offsets;
};
using PatternSource = ElementSource;

// Where a single field stands.
struct FieldSource {
  const SourceFile* file = nullptr;
  uint32_t offset = 0;
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
  // Additions to the contract above (all parallel to the set's fields):
  std::vector<ElementSource> stages;           // parallel to set.stage()
  std::vector<PatternSource> patterns;         // parallel to set.pattern()
  // Parallel to set.model(); field offsets "name", "label[2]", "bias[0]",
  // "min_n", "feature[7]", "feature[7].gram", "feature[7].weight[1]" …
  std::vector<ElementSource> models;
  std::vector<ElementSource> negation_cues;    // parallel to set.negation_cue()
  std::vector<ElementSource> negation_cues_after;  // parallel to set.negation_cue_after()
  // "name", "version", "description" of the set: the first place each is set.
  std::map<std::string, FieldSource, std::less<>> header_fields;
  // Syntax errors met while loading (their items were left out of `set`);
  // CheckRuleSet() then keeps quiet about what may only be missing because
  // of them (missing-name, unknown-stage …).
  size_t syntax_errors = 0;

  // A diagnostic at a byte offset of a file.
  Diagnostic At(const SourceFile* file, uint32_t offset, Severity severity,
                std::string message, std::string code, uint32_t length_chars = 1) const;

  // A diagnostic at decoded bytes [decoded_begin, decoded_end) of a string
  // field (a `when`: rules[i].when_map), mapped to the file through escapes
  // and concatenation; the caret spans the source text that produced them,
  // up to the end of that line. With an empty map: at `fallback_offset`.
  //   loaded.AtString(src.file, src.when_map, src.rule_offset, 7, 12, ...)
  Diagnostic AtString(const SourceFile* file, const StringSourceMap& map,
                      uint32_t fallback_offset, uint32_t decoded_begin, uint32_t decoded_end,
                      Severity severity, std::string message, std::string code) const;
};

// Reaching a limit makes LoadRuleSet() return ResourceExhausted naming the
// file and the option.
struct LoadOptions {
  uint32_t max_file_bytes = 64 << 20;  // per rule file (a trained model is 15-20 MB)
  uint32_t max_rules = 20000;          // per set
  // Syntax diagnostics kept per file; one more notes that some were dropped.
  uint32_t max_errors_per_file = 100;
};

// Reads a rule set from files and directories (a directory contributes its
// *.textproto files, sorted by name). Syntax errors and unknown fields are
// diagnostics with path:line:col; all files are read even after an error.
// Returns non-OK only for I/O failures (unreadable path) and limits.
//
// Diagnostic codes: `syntax` (one per top-level field at most: a broken
// `rule { … }` is left out, the rules after it are read), `unknown-field`
// (with "did you mean"), `invalid-utf8` (a file that is not UTF-8, at its
// first bad byte; or a string whose escapes make it so), `duplicate-header`
// (name/version/description set twice, or outside the file that names the
// set; with a note at the first), `no-rule-files` (a directory without
// *.textproto). Statuses: NotFound / PermissionDenied naming the path;
// ResourceExhausted naming the file and the LoadOptions field.
// REQUIRES: out and diagnostics non-null; *out is reset.
Status LoadRuleSet(const std::vector<std::string>& paths, const LoadOptions& options,
                   LoadedRuleSet* out, std::vector<Diagnostic>* diagnostics);

// The same for text in memory (tests, fuzzing, the Python binding).
Status LoadRuleSetFromString(std::string_view path, std::string_view content,
                             const LoadOptions& options, LoadedRuleSet* out,
                             std::vector<Diagnostic>* diagnostics);

// Length in code points of the token at `offset` of `file` (a whole string
// literal with its quotes, an identifier or a number; else 1), for carets.
uint32_t TokenLength(const SourceFile& file, uint32_t offset);

}  // namespace xuncha::rules

namespace xuncha::check {

// Rule-set-level checks that need no expression compiler (codes in
// parentheses; errors unless marked): set name and
// version, duplicate rule ids, taxonomy ids (category, subcategory under its
// category, discipline, nature, disposition, transfer target), unknown
// stages, empty or duplicate lexicons, lexicon term lints (a single Han
// character; full-width and half-width forms mixed), basis without
// regulation, examples without text, score/priority/confidence ranges.
//
//   set:       missing-name, missing-version (warning)
//   stages:    duplicate-stage, missing-stage-name
//   lexicons:  duplicate-lexicon, missing-lexicon-name, empty-lexicon,
//              empty-term; warnings duplicate-term, short-keyword, mixed-width
//   cues:      empty-negation-cue, duplicate-negation-cue (warning)
//   models:    duplicate-model, missing-model-name, model-no-labels,
//              model-duplicate-label, model-empty-label, model-bad-bias (count
//              ≠ labels, or not finite), model-bad-n (min_n/max_n outside
//              1..4 or min_n > max_n), model-bad-gram (length outside
//              min_n..max_n, or not normalized), model-duplicate-gram,
//              model-bad-weight (label_index out of range, lists of unequal
//              length, a weight not finite), limit-model-labels (> 256),
//              limit-model-features (> 2,000,000).
//   rules:     missing-rule-id, bad-rule-id, duplicate-rule-id (+ note at the
//              first), missing-when, unknown-stage, unknown-category,
//              unknown-subcategory, subcategory-without-category,
//              missing-category (empty secondary), duplicate-secondary
//              (warning), unknown-discipline, unknown-nature,
//              unknown-disposition, unknown-transfer-target,
//              transfer-target-without-transfer (warning), bad-score (score
//              ≥ 0, confidence in [0,1], deadline_days ≥ 0),
//              basis-without-regulation, example-without-text,
//              bad-example-json, no-conclusion (warning). Examples'
//              expect_* fields are checked like the conclusions.
//   patterns:  pattern-missing-id, pattern-bad-id, pattern-duplicate-id,
//              pattern-missing-kind, pattern-unknown-category,
//              pattern-unknown-subcategory,
//              pattern-subcategory-without-category, pattern-bad-threshold,
//              pattern-missing-threshold (split purchase), pattern-bad-group-by,
//              pattern-bad-measure, pattern-irrelevant-field (warning).
// Each diagnostic points at the offending value (or the element when the
// field is absent) and carries the rule id. After syntax errors, checks that
// may only fail because of them (missing-name, unknown-stage) keep quiet.
void CheckRuleSet(const rules::LoadedRuleSet& loaded, std::vector<Diagnostic>* diagnostics);

// Taxonomy ids are checked against include/xuncha/taxonomy.h.

}  // namespace xuncha::check

#endif  // XUNCHA_RULES_RULE_SOURCE_H_
