// LoadRuleSet(): rule files → LoadedRuleSet, with a source position for every
// field.
//
// Design note. Protobuf's TextFormat::Parser does the parsing proper; what it
// does not give, we add around it:
//  * Error recovery. The parser stops at its first error, so each top-level
//    field of a file (normally one `rule { … }`) is parsed on its own
//    (text_lexer.h splits them). A broken rule is reported and left out; the
//    rules after it are still read and checked. Unknown field names are
//    warnings to the parser (AllowUnknownField) so that all of them are
//    found; we report them as errors, with a "did you mean".
//  * Positions. The parser reports 0-based lines and columns counted in
//    bytes, with tabs advancing to the next multiple of 8 (io::Tokenizer).
//    They are turned into byte offsets into the file once, here
//    (ChunkOffset); SourceFile::Locate() makes 1-based line and code-point
//    column of an offset when a diagnostic is made.
//  * Elements. ParseInfoTree records one location per field occurrence, and
//    `terms: ["a", "b"]` is one occurrence; text_lexer.h finds each element
//    and decodes string literals with a map back to the file.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/spelling.h"
#include "base/utf8.h"
#include "rules/model_text.h"
#include "rules/rule_source.h"
#include "rules/text_lexer.h"

namespace xuncha::rules {

namespace {

namespace pb = google::protobuf;
using pb::TextFormat;

constexpr char kHeaderFields[][12] = {"name", "version", "description"};

std::string Quote(std::string_view s) {
  std::string out = "\"";
  out += s;
  out += '"';
  return out;
}

// The field of `type` closest to `name`, or "" when none is close.
std::string ClosestField(const pb::Descriptor* type, std::string_view name) {
  std::vector<std::string_view> names;
  for (int i = 0; i < type->field_count(); ++i) names.push_back(type->field(i)->name());
  return spelling::Closest(name, names);
}

// Collects what the parser reports about one chunk.
class Collector : public pb::io::ErrorCollector {
 public:
  struct Entry {
    int line;
    int column;
    std::string message;
    bool warning;
  };
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    entries.push_back(Entry{line, column, message, false});
    ++errors;
  }
  void AddWarning(int line, pb::io::ColumnNumber column, const std::string& message) override {
    entries.push_back(Entry{line, column, message, true});
  }
  std::vector<Entry> entries;
  int errors = 0;
};

// Reading one file.
class FileReader {
 public:
  FileReader(const SourceFile& file, const LoadOptions& options, LoadedRuleSet* out,
             std::vector<Diagnostic>* diagnostics)
      : file_(file), text_(file.content), options_(options), out_(out),
        diagnostics_(diagnostics) {}

  // Parses every top-level field; adds what parsed to *out_. Returns
  // ResourceExhausted when the rule limit is passed.
  Status Read();

  // The field offsets of the model that the chunk [begin, end) of the file,
  // starting on 0-based line `line`, holds ("name", "feature[7].gram" …):
  // ElementSource::find_offsets.
  FieldOffsets ModelOffsets(size_t begin, size_t end, size_t line);

 private:
  // Offset in the file of a parser position inside the chunk that begins at
  // `chunk_begin`, on the 0-based file line `chunk_line`.
  uint32_t ChunkOffset(size_t chunk_begin, size_t chunk_line, int line, int column) const;
  void Report(uint32_t offset, Severity severity, std::string message, std::string code,
              uint32_t length = 1);
  void ReportParserEntry(const Collector::Entry& e, uint32_t offset);
  // The last occurrence of `word` that ends at or before `offset`, within a
  // short window before it (the parser reports positions just after the
  // name or value it complains about); npos when there is none.
  size_t RFindBefore(std::string_view word, size_t offset) const {
    if (word.empty() || offset > text_.size()) return std::string_view::npos;
    size_t begin = offset > 256 + word.size() ? offset - 256 - word.size() : 0;
    size_t found = text_.substr(begin, offset - begin).rfind(word);
    return found == std::string_view::npos ? found : begin + found;
  }
  // Records field offsets and string maps of `message` (parsed from the
  // chunk) under `prefix`.
  void Walk(const pb::Message& message, const TextFormat::ParseInfoTree* tree,
            const std::string& prefix, size_t chunk_begin, size_t chunk_line,
            FieldOffsets* offsets, StringMaps* maps);
  Status Merge(v1::RuleSet* item, const FieldOffsets& offsets, StringMaps* maps);

  const SourceFile& file_;
  std::string_view text_;
  const LoadOptions& options_;
  LoadedRuleSet* out_;
  std::vector<Diagnostic>* diagnostics_;
  uint32_t syntax_reported_ = 0;
  bool truncated_ = false;
};

uint32_t FileReader::ChunkOffset(size_t chunk_begin, size_t chunk_line, int line,
                                 int column) const {
  if (line < 0) return static_cast<uint32_t>(chunk_begin);
  size_t pos;
  if (line == 0) {
    pos = chunk_begin;
  } else {
    size_t index = chunk_line + static_cast<size_t>(line);
    if (index >= file_.line_starts.size()) return static_cast<uint32_t>(text_.size());
    pos = file_.line_starts[index];
  }
  int col = 0;
  while (pos < text_.size() && text_[pos] != '\n' && col < column) {
    int next = text_[pos] == '\t' ? col + 8 - col % 8 : col + 1;
    if (next > column) break;
    col = next;
    ++pos;
  }
  return static_cast<uint32_t>(pos);
}

void FileReader::Report(uint32_t offset, Severity severity, std::string message, std::string code,
                        uint32_t length) {
  diagnostics_->push_back(
      out_->At(&file_, offset, severity, std::move(message), std::move(code), length));
}

// Protobuf's messages, lightly edited to read like ours: no trailing period,
// lower-case start, the end of input named.
std::string EditParserMessage(std::string m) {
  if (!m.empty() && m.back() == '.') m.pop_back();
  if (!m.empty() && m[0] >= 'A' && m[0] <= 'Z' && !(m.size() > 1 && m[1] >= 'A' && m[1] <= 'Z')) {
    m[0] = static_cast<char>(m[0] - 'A' + 'a');
  }
  constexpr std::string_view kGot = ", got: ";
  if (m.size() >= kGot.size() && m.compare(m.size() - kGot.size(), kGot.size(), kGot) == 0) {
    m.resize(m.size() - 2);
    m += " end of input";
  }
  return m;
}

void FileReader::ReportParserEntry(const Collector::Entry& e, uint32_t offset) {
  // Unknown field: `Message type "xuncha.v1.Rule" has no field named "whne".`
  // The parser stands after the name; point at the name itself.
  constexpr std::string_view kType = "Message type \"";
  constexpr std::string_view kNoField = "\" has no field named \"";
  std::string_view m = e.message;
  size_t no_field = m.find(kNoField);
  if (m.substr(0, kType.size()) == kType && no_field != std::string_view::npos) {
    std::string type_name(m.substr(kType.size(), no_field - kType.size()));
    std::string_view rest = m.substr(no_field + kNoField.size());
    std::string name(rest.substr(0, rest.find('"')));
    uint32_t at = offset;
    size_t found = RFindBefore(name, offset);
    if (found != std::string_view::npos) at = static_cast<uint32_t>(found);
    std::string message = "unknown field " + Quote(name);
    const pb::Descriptor* type =
        pb::DescriptorPool::generated_pool()->FindMessageTypeByName(type_name);
    if (type != nullptr) {
      message += " in " + type->name();
      std::string close = ClosestField(type, name);
      if (!close.empty()) message += "; did you mean " + Quote(close) + "?";
    }
    Report(at, Severity::kError, std::move(message), "unknown-field",
           static_cast<uint32_t>(std::max<size_t>(1, utf8::CountChars(name))));
    return;
  }
  // `Unknown enumeration value of "X" for field "kind".`: the parser stands
  // after the value; point at it.
  constexpr std::string_view kEnum = "Unknown enumeration value of \"";
  uint32_t at = offset;
  uint32_t length = 1;
  if (m.substr(0, kEnum.size()) == kEnum) {
    std::string_view rest = m.substr(kEnum.size());
    std::string value(rest.substr(0, rest.find('"')));
    size_t found = RFindBefore(value, offset);
    if (found != std::string_view::npos) {
      at = static_cast<uint32_t>(found);
      length = static_cast<uint32_t>(std::max<size_t>(1, utf8::CountChars(value)));
    }
  }
  std::string message = EditParserMessage(e.message);
  // `Interpreting non ascii codepoint 230.`, once per byte: name the
  // character instead.
  if (m.rfind("Interpreting non ascii codepoint", 0) == 0 && offset < text_.size()) {
    size_t end = offset;
    utf8::Decode(text_, &end);
    message = "unexpected character \"" + std::string(text_.substr(offset, end - offset)) +
              "\" outside a string literal (field names are ASCII; text goes in quotes)";
  }
  // Protobuf may quote a partial UTF-8 sequence ("got: \xe6"); At() makes
  // the message UTF-8 again.
  Report(at, e.warning ? Severity::kWarning : Severity::kError, std::move(message), "syntax",
         length);
}

void FileReader::Walk(const pb::Message& message, const TextFormat::ParseInfoTree* tree,
                      const std::string& prefix, size_t chunk_begin, size_t chunk_line,
                      FieldOffsets* offsets, StringMaps* maps) {
  if (tree == nullptr) return;
  const pb::Descriptor* type = message.GetDescriptor();
  const pb::Reflection* reflection = message.GetReflection();
  for (int fi = 0; fi < type->field_count(); ++fi) {
    const pb::FieldDescriptor* field = type->field(fi);
    const bool repeated = field->is_repeated();
    std::vector<TextFormat::ParseLocation> locations;
    if (repeated) {
      for (int k = 0;; ++k) {
        TextFormat::ParseLocation loc = tree->GetLocation(field, k);
        if (loc.line < 0) break;
        locations.push_back(loc);
      }
    } else {
      TextFormat::ParseLocation loc = tree->GetLocation(field, -1);
      if (loc.line >= 0) locations.push_back(loc);
    }
    const int count = repeated ? reflection->FieldSize(message, field) : 1;
    int element = 0;
    for (const TextFormat::ParseLocation& loc : locations) {
      const uint32_t field_pos = ChunkOffset(chunk_begin, chunk_line, loc.line, loc.column);
      internal::FieldValues values = internal::ValuesOfField(text_, field_pos);
      for (uint32_t value_pos : values.offsets) {
        if (element >= count) break;
        std::string key = prefix + field->name();
        if (repeated) key += "[" + std::to_string(element) + "]";
        if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
          (*offsets)[key] = values.list ? value_pos : field_pos;
          const pb::Message& sub = repeated ? reflection->GetRepeatedMessage(message, field, element)
                                            : reflection->GetMessage(message, field);
          Walk(sub, tree->GetTreeForNested(field, repeated ? element : -1), key + ".", chunk_begin,
               chunk_line, offsets, maps);
        } else {
          (*offsets)[key] = value_pos;
          if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING) {
            std::string scratch;
            const std::string& value =
                repeated ? reflection->GetRepeatedStringReference(message, field, element, &scratch)
                         : reflection->GetStringReference(message, field, &scratch);
            internal::DecodedString decoded;
            if (internal::DecodeStringRun(text_, value_pos, &decoded) && decoded.value == value) {
              (*maps)[key] = StringSourceMap(std::move(decoded.map));
            }
            size_t bad = utf8::FindInvalid(value);
            if (bad != std::string::npos) {
              auto it = maps->find(key);
              uint32_t at = it != maps->end() ? it->second.FileOffset(static_cast<uint32_t>(bad))
                                              : value_pos;
              // Keys are relative to the chunk ("rule[0].id"); name the field
              // within its element ("id").
              std::string_view shown = key;
              if (size_t dot = shown.find("]."); dot != std::string_view::npos) {
                shown.remove_prefix(dot + 2);
              }
              Report(at, Severity::kError,
                     "escape makes field " + Quote(shown) + " invalid UTF-8 at byte " +
                         std::to_string(bad) + " of its value",
                     "invalid-utf8");
            }
          }
        }
        ++element;
      }
    }
  }
}

// The entries of `offsets` under `prefix` ("rule[3]"), with the prefix and
// its dot removed; the entry of the prefix itself goes to *self.
FieldOffsets Subtree(const FieldOffsets& offsets, const std::string& prefix, uint32_t* self) {
  FieldOffsets out;
  for (auto it = offsets.lower_bound(prefix); it != offsets.end(); ++it) {
    const std::string& key = it->first;
    if (key.compare(0, prefix.size(), prefix) != 0) break;
    if (key.size() == prefix.size()) {
      *self = it->second;
    } else if (key[prefix.size()] == '.') {
      out.emplace(key.substr(prefix.size() + 1), it->second);
    }
  }
  return out;
}

StringMaps SubtreeMaps(StringMaps* maps, const std::string& prefix) {
  StringMaps out;
  for (auto it = maps->lower_bound(prefix); it != maps->end(); ++it) {
    const std::string& key = it->first;
    if (key.compare(0, prefix.size(), prefix) != 0) break;
    if (key.size() > prefix.size() && key[prefix.size()] == '.') {
      out.emplace(key.substr(prefix.size() + 1), std::move(it->second));
    }
  }
  return out;
}

// Whether every string of `m` is UTF-8 (Walk() reports one that is not).
bool ModelStringsAreUtf8(const v1::TextModel& m) {
  if (!utf8::IsValid(m.name()) || !utf8::IsValid(m.description())) return false;
  for (const std::string& l : m.label()) {
    if (!utf8::IsValid(l)) return false;
  }
  for (const v1::TextModel::Feature& f : m.feature()) {
    if (!utf8::IsValid(f.gram())) return false;
  }
  return true;
}

std::string Indexed(std::string_view field, int i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

Status FileReader::Merge(v1::RuleSet* item, const FieldOffsets& offsets, StringMaps* maps) {
  // Header fields: the first setting of each wins; a second one anywhere is
  // an error, with a note at the first.
  for (const char* name : kHeaderFields) {
    auto it = offsets.find(name);
    if (it == offsets.end()) continue;
    auto first = out_->header_fields.find(name);
    if (first != out_->header_fields.end()) {
      Report(it->second, Severity::kError,
             "rule-set field " + Quote(name) + " is set more than once", "duplicate-header",
             TokenLength(file_, it->second));
      diagnostics_->push_back(out_->At(first->second.file, first->second.offset, Severity::kNote,
                                       Quote(name) + " was first set here", "duplicate-header",
                                       TokenLength(*first->second.file, first->second.offset)));
      continue;
    }
    out_->header_fields.emplace(name, FieldSource{&file_, it->second});
    const std::string& value = std::string_view(name) == "name"      ? item->name()
                               : std::string_view(name) == "version" ? item->version()
                                                                     : item->description();
    if (std::string_view(name) == "name") {
      out_->set.set_name(value);
      if (out_->header_file == nullptr) out_->header_file = &file_;
    } else if (std::string_view(name) == "version") {
      out_->set.set_version(value);
    } else {
      out_->set.set_description(value);
    }
  }

  uint32_t self = 0;
  for (int i = 0; i < item->lexicon_size(); ++i) {
    std::string key = Indexed("lexicon", i);
    LexiconSource src;
    src.file = &file_;
    src.field_offsets = Subtree(offsets, key, &self);
    src.offset = self;
    StringMaps lexicon_maps = SubtreeMaps(maps, key);
    const v1::Lexicon& lexicon = item->lexicon(i);
    for (int t = 0; t < lexicon.terms_size(); ++t) {
      auto at = src.field_offsets.find(Indexed("terms", t));
      src.term_offsets.push_back(at != src.field_offsets.end() ? at->second : src.offset);
      auto map = lexicon_maps.find(Indexed("terms", t));
      src.term_maps.push_back(map != lexicon_maps.end() ? std::move(map->second)
                                                        : StringSourceMap());
    }
    out_->lexicons.push_back(std::move(src));
    out_->set.add_lexicon()->Swap(item->mutable_lexicon(i));
  }
  for (int i = 0; i < item->stage_size(); ++i) {
    std::string key = Indexed("stage", i);
    ElementSource src;
    src.file = &file_;
    src.field_offsets = Subtree(offsets, key, &self);
    src.offset = self;
    out_->stage_files.push_back(&file_);
    out_->stage_offsets.push_back(src.offset);
    out_->stages.push_back(std::move(src));
    out_->set.add_stage()->Swap(item->mutable_stage(i));
  }
  for (int i = 0; i < item->rule_size(); ++i) {
    if (static_cast<uint64_t>(out_->set.rule_size()) >= options_.max_rules) {
      return ResourceExhaustedError(file_.path + ": more than " +
                                    std::to_string(options_.max_rules) +
                                    " rules in the set (LoadOptions::max_rules)");
    }
    std::string key = Indexed("rule", i);
    RuleSource src;
    src.file = &file_;
    src.field_offsets = Subtree(offsets, key, &self);
    src.rule_offset = self;
    src.string_maps = SubtreeMaps(maps, key);
    auto when = src.string_maps.find("when");
    if (when != src.string_maps.end()) src.when_map = when->second;
    out_->rules.push_back(std::move(src));
    out_->set.add_rule()->Swap(item->mutable_rule(i));
  }
  // Negation cues, before and after the term: each with where it was written.
  auto take_cues = [&](const char* field, const google::protobuf::RepeatedPtrField<std::string>& cues,
                       std::vector<ElementSource>* sources,
                       google::protobuf::RepeatedPtrField<std::string>* into) {
    for (int i = 0; i < cues.size(); ++i) {
      ElementSource src;
      src.file = &file_;
      auto it = offsets.find(Indexed(field, i));
      src.offset = it != offsets.end() ? it->second : 0;
      sources->push_back(std::move(src));
      *into->Add() = cues.Get(i);
    }
  };
  take_cues("negation_cue", item->negation_cue(), &out_->negation_cues, out_->set.mutable_negation_cue());
  take_cues("negation_cue_after", item->negation_cue_after(), &out_->negation_cues_after,
            out_->set.mutable_negation_cue_after());
  for (int i = 0; i < item->model_size(); ++i) {
    std::string key = Indexed("model", i);
    ElementSource src;
    src.file = &file_;
    src.field_offsets = Subtree(offsets, key, &self);
    src.offset = self;
    out_->models.push_back(std::move(src));
    out_->set.add_model()->Swap(item->mutable_model(i));
  }
  for (int i = 0; i < item->pattern_size(); ++i) {
    std::string key = Indexed("pattern", i);
    PatternSource src;
    src.file = &file_;
    src.field_offsets = Subtree(offsets, key, &self);
    src.offset = self;
    out_->patterns.push_back(std::move(src));
    out_->set.add_pattern()->Swap(item->mutable_pattern(i));
  }
  return Status::OK();
}

Status FileReader::Read() {
  std::vector<internal::Chunk> chunks = internal::SplitTopLevel(text_);
  for (const internal::Chunk& chunk : chunks) {
    if (internal::SkipSpace(text_, chunk.begin) >= chunk.end && chunk.unclosed == std::string_view::npos) {
      continue;  // only blanks and comments
    }
    const size_t chunk_line = static_cast<size_t>(
        std::upper_bound(file_.line_starts.begin(), file_.line_starts.end(), chunk.begin) -
        file_.line_starts.begin() - 1);
    std::string_view body = text_.substr(chunk.begin, chunk.end - chunk.begin);

    // A `model { … }` is parsed without positions (ElementSource::
    // find_offsets finds them when a diagnostic wants one).
    const size_t first = internal::SkipSpace(text_, chunk.begin);
    const bool model_chunk = chunk.unclosed == std::string_view::npos &&
                             text_.substr(first, 5) == "model" && first + 5 < chunk.end &&
                             (text_[first + 5] == ' ' || text_[first + 5] == '{' ||
                              text_[first + 5] == '\n' || text_[first + 5] == '\t' ||
                              text_[first + 5] == '\r' || text_[first + 5] == ':');

    v1::RuleSet item;
    TextFormat::ParseInfoTree tree;
    Collector collector;
    bool ok;
    // A model as the trainer writes it is read directly (model_text.h);
    // anything else goes through TextFormat, which also reports errors.
    if (model_chunk && ParseModelText(body, item.add_model())) {
      ok = true;
    } else {
      item.Clear();
      TextFormat::Parser parser;
      parser.RecordErrorsTo(&collector);
      if (!model_chunk) parser.WriteLocationsTo(&tree);
      parser.AllowUnknownField(true);
      pb::io::ArrayInputStream input(body.data(), static_cast<int>(body.size()));
      ok = parser.Parse(&input, &item) && collector.errors == 0;
    }

    // Where the chunk's own text ends (before trailing blanks): a parser
    // error at or past it is about the missing '}' we report ourselves.
    size_t trimmed = chunk.end;
    while (trimmed > chunk.begin && (text_[trimmed - 1] == ' ' || text_[trimmed - 1] == '\n' ||
                                     text_[trimmed - 1] == '\t' || text_[trimmed - 1] == '\r')) {
      --trimmed;
    }
    // The parser stops at its first error; a later one (the tokenizer may
    // report several) is a consequence of the first, so only the first is
    // reported. Unknown-field warnings before it are all kept.
    bool had_error = false;
    for (const Collector::Entry& e : collector.entries) {
      uint32_t offset = ChunkOffset(chunk.begin, chunk_line, e.line, e.column);
      if (had_error) break;
      if (chunk.unclosed != std::string_view::npos && !e.warning && offset >= trimmed) continue;
      if (!e.warning) had_error = true;
      if (!e.warning || e.message.find("has no field named") != std::string::npos) {
        if (syntax_reported_ >= options_.max_errors_per_file) {
          truncated_ = true;
          continue;
        }
        ++syntax_reported_;
        ++out_->syntax_errors;
      }
      ReportParserEntry(e, offset);
    }
    if (chunk.unclosed != std::string_view::npos) {
      ok = false;
      if (syntax_reported_ < options_.max_errors_per_file) {
        ++syntax_reported_;
        ++out_->syntax_errors;
        char open = text_[chunk.unclosed];
        char close = open == '{' ? '}' : open == '<' ? '>' : ']';
        Report(static_cast<uint32_t>(chunk.unclosed), Severity::kError,
               std::string("\"") + open + "\" is never closed: expected \"" + close +
                   "\" before " + (chunk.end < text_.size() ? "the next top-level field" : "the end of the file"),
               "syntax");
      } else {
        truncated_ = true;
      }
    }
    // A chunk with an unknown field parsed otherwise fine: keep what it
    // holds, so later checks see its rule (the error already fails the set).
    if (!ok) continue;

    FieldOffsets offsets;
    StringMaps maps;
    if (model_chunk && item.model_size() == 1 && ModelStringsAreUtf8(item.model(0))) {
      offsets.emplace("model[0]", static_cast<uint32_t>(first));
      XUNCHA_RETURN_IF_ERROR(Merge(&item, offsets, &maps));
      if (!out_->models.empty()) {
        // The file outlives the closure (LoadedRuleSet owns it); options
        // are copied.
        const SourceFile* file = &file_;
        const LoadOptions options = options_;
        const size_t begin = chunk.begin, end = chunk.end, line = chunk_line;
        out_->models.back().find_offsets = [file, options, begin, end, line] {
          LoadedRuleSet scratch;
          std::vector<Diagnostic> ignored;
          FileReader reader(*file, options, &scratch, &ignored);
          return reader.ModelOffsets(begin, end, line);
        };
      }
      continue;
    }
    if (model_chunk) {
      // A string that is not UTF-8 is reported by Walk(), with its place:
      // parse again with positions.
      item.Clear();
      TextFormat::Parser again;
      again.WriteLocationsTo(&tree);
      again.AllowUnknownField(true);
      pb::io::ArrayInputStream input2(body.data(), static_cast<int>(body.size()));
      again.Parse(&input2, &item);
    }
    Walk(item, &tree, "", chunk.begin, chunk_line, &offsets, &maps);
    XUNCHA_RETURN_IF_ERROR(Merge(&item, offsets, &maps));
  }
  if (truncated_) {
    Report(static_cast<uint32_t>(text_.size()), Severity::kNote,
           "more syntax errors in this file were not reported (LoadOptions::max_errors_per_file)",
           "syntax");
  }
  return Status::OK();
}

FieldOffsets FileReader::ModelOffsets(size_t begin, size_t end, size_t line) {
  std::string_view body = text_.substr(begin, end - begin);
  v1::RuleSet item;
  TextFormat::ParseInfoTree tree;
  TextFormat::Parser parser;
  parser.WriteLocationsTo(&tree);
  parser.AllowUnknownField(true);
  pb::io::ArrayInputStream input(body.data(), static_cast<int>(body.size()));
  parser.Parse(&input, &item);
  FieldOffsets offsets;
  StringMaps maps;
  Walk(item, &tree, "", begin, line, &offsets, &maps);
  uint32_t self = 0;
  return Subtree(offsets, "model[0]", &self);
}

std::unique_ptr<SourceFile> MakeSourceFile(std::string_view path, std::string content) {
  auto file = std::make_unique<SourceFile>();
  file->path = std::string(path);
  file->content = std::move(content);
  file->line_starts.push_back(0);
  for (size_t i = 0; i < file->content.size(); ++i) {
    if (file->content[i] == '\n') file->line_starts.push_back(static_cast<uint32_t>(i + 1));
  }
  return file;
}

Status TooBig(std::string_view path, uint64_t size, const LoadOptions& options) {
  return ResourceExhaustedError(std::string(path) + ": file is " + std::to_string(size) +
                                " bytes, over the limit of " +
                                std::to_string(options.max_file_bytes) +
                                " (LoadOptions::max_file_bytes)");
}

// Adds one file's text to *out.
Status AddFile(std::string_view path, std::string content, const LoadOptions& options,
               LoadedRuleSet* out, std::vector<Diagnostic>* diagnostics) {
  if (content.size() > options.max_file_bytes) return TooBig(path, content.size(), options);
  out->files.push_back(MakeSourceFile(path, std::move(content)));
  const SourceFile& file = *out->files.back();
  size_t bad = utf8::FindInvalid(file.content);
  if (bad != std::string_view::npos) {
    char hex[8];
    std::snprintf(hex, sizeof(hex), "0x%02X", static_cast<unsigned char>(file.content[bad]));
    diagnostics->push_back(out->At(&file, static_cast<uint32_t>(bad), Severity::kError,
                                   std::string("file is not valid UTF-8: byte ") + hex +
                                       " at byte offset " + std::to_string(bad),
                                   "invalid-utf8"));
    ++out->syntax_errors;
    return Status::OK();
  }
  FileReader reader(file, options, out, diagnostics);
  return reader.Read();
}

Status ReadFile(const std::filesystem::path& path, const LoadOptions& options,
                std::string* content) {
  std::error_code ec;
  uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > options.max_file_bytes) return TooBig(path.string(), size, options);
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoError("open " + path.string(), errno != 0 ? errno : ENOENT);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return ErrnoError("read " + path.string(), errno != 0 ? errno : EIO);
  *content = std::move(buffer).str();
  return Status::OK();
}

// Header fields set outside the file that names the set.
void CheckHeaderFiles(LoadedRuleSet* out, std::vector<Diagnostic>* diagnostics) {
  if (out->header_file == nullptr) return;
  for (const auto& [name, src] : out->header_fields) {
    if (src.file == out->header_file) continue;
    diagnostics->push_back(out->At(
        src.file, src.offset, Severity::kError,
        "rule-set field " + Quote(name) + " may only be set in the file that names the set (" +
            out->header_file->path + ")",
        "duplicate-header", TokenLength(*src.file, src.offset)));
    const FieldSource& name_src = out->header_fields.at("name");
    diagnostics->push_back(out->At(name_src.file, name_src.offset, Severity::kNote,
                                   "the set is named here", "duplicate-header",
                                   TokenLength(*name_src.file, name_src.offset)));
  }
}

}  // namespace

Status LoadRuleSet(const std::vector<std::string>& paths, const LoadOptions& options,
                   LoadedRuleSet* out, std::vector<Diagnostic>* diagnostics) {
  *out = LoadedRuleSet();
  namespace fs = std::filesystem;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      return NotFoundError("rule path " + path + ": " +
                           (ec ? ec.message() : std::string("No such file or directory")));
    }
    if (fs::is_directory(status)) {
      std::vector<std::string> names;
      fs::directory_iterator it(path, ec), end;
      if (ec) return ErrnoError("list " + path, ec.value());
      for (; it != end; it.increment(ec)) {
        if (ec) return ErrnoError("list " + path, ec.value());
        const fs::directory_entry& entry = *it;
        std::error_code type_ec;
        std::string name = entry.path().filename().string();
        // Hidden files (editor backups such as .#rules.textproto) are not rules.
        if (entry.path().extension() == ".textproto" && name[0] != '.' &&
            entry.is_regular_file(type_ec)) {
          names.push_back(std::move(name));
        }
      }
      std::sort(names.begin(), names.end());
      if (names.empty()) {
        Diagnostic d;
        d.location.path = path;
        d.message = "directory holds no *.textproto rule files";
        d.code = "no-rule-files";
        diagnostics->push_back(std::move(d));
        continue;
      }
      for (const std::string& name : names) {
        fs::path file = fs::path(path) / name;
        std::string content;
        XUNCHA_RETURN_IF_ERROR(ReadFile(file, options, &content));
        XUNCHA_RETURN_IF_ERROR(AddFile(file.string(), std::move(content), options, out, diagnostics));
      }
    } else {
      std::string content;
      XUNCHA_RETURN_IF_ERROR(ReadFile(path, options, &content));
      XUNCHA_RETURN_IF_ERROR(AddFile(path, std::move(content), options, out, diagnostics));
    }
  }
  CheckHeaderFiles(out, diagnostics);
  return Status::OK();
}

Status LoadRuleSetFromString(std::string_view path, std::string_view content,
                             const LoadOptions& options, LoadedRuleSet* out,
                             std::vector<Diagnostic>* diagnostics) {
  *out = LoadedRuleSet();
  XUNCHA_RETURN_IF_ERROR(AddFile(path, std::string(content), options, out, diagnostics));
  CheckHeaderFiles(out, diagnostics);
  return Status::OK();
}

}  // namespace xuncha::rules
