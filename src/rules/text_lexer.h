// Internal to src/rules: a small lexer over protobuf text format, used beside
// protobuf's own parser for what that parser does not tell us:
//
//  * where each element of a repeated field stands (ParseInfoTree records one
//    location per `field: [a, b, c]`, not one per element);
//  * how each byte of a decoded string literal maps back to the file, through
//    escapes and adjacent literals ('a' "b" is "ab");
//  * where the top-level fields of a file begin, so that a syntax error in one
//    `rule { … }` does not hide the errors of the next one (protobuf's parser
//    stops at the first error; we parse each top-level field on its own).
//
// The lexer follows io::Tokenizer's rules: whitespace is " \t\r\n\v\f",
// comments run from '#' to the end of the line, string literals are quoted
// with ' or ", cannot cross a line, and take the escapes of
// Tokenizer::ParseStringAppend. It never fails: on malformed text it stops
// where protobuf's parser would complain, and the parser's diagnostic is the
// one reported.

#ifndef XUNCHA_RULES_TEXT_LEXER_H_
#define XUNCHA_RULES_TEXT_LEXER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xuncha::rules::internal {

// Position of the first character at or after `pos` that is neither
// whitespace nor part of a comment (s.size() at the end).
size_t SkipSpace(std::string_view s, size_t pos);

// End (one past the closing quote) of the single literal starting at the
// quote s[pos]; at an unterminated literal, the newline or end of text.
size_t SkipStringLiteral(std::string_view s, size_t pos);

// A run of adjacent string literals, decoded.
struct DecodedString {
  std::string value;
  // map[i]: offset in `s` of the source character that produced value[i];
  // map[value.size()]: one past the last literal.
  std::vector<uint32_t> map;
  size_t end = 0;  // one past the last literal of the run
};

// Decodes the literal run starting at the quote s[pos] the way protobuf does.
// Returns false when s[pos] is not a quote.
bool DecodeStringRun(std::string_view s, size_t pos, DecodedString* out);

// One past the value starting at `pos`: a literal run, a balanced { } < > [ ]
// group, or a scalar token (with a leading '-').
size_t SkipValue(std::string_view s, size_t pos);

// The values of one occurrence of a field whose name starts at `field_pos`
// (`name: v`, `name { … }`, `name: [v1, v2]`): the offset of each value, and
// whether they were written as a list.
struct FieldValues {
  std::vector<uint32_t> offsets;
  bool list = false;
};
FieldValues ValuesOfField(std::string_view s, size_t field_pos);

// Length in code points of the token at `pos` for a caret: the first
// literal of a run (quotes included), an identifier or number, else 1.
uint32_t TokenLengthChars(std::string_view s, size_t pos);

// The top-level fields of a file. Each chunk [begin, end) holds one field
// (or garbage the parser will report); chunks cover the text.
// `unclosed` is the offset of a '{', '<' or '[' that the chunk leaves open
// (npos when balanced): the lexer resynchronises at a line that starts with a
// top-level-only field name (rule, lexicon, stage, pattern, negation_cue)
// followed by '{', '<' or ':'.
struct Chunk {
  size_t begin = 0;
  size_t end = 0;
  size_t unclosed = std::string_view::npos;
};
std::vector<Chunk> SplitTopLevel(std::string_view s);

// `s` with each ill-formed byte replaced by U+FFFD (one per byte, as
// SourceFile::Locate counts them).
std::string ToValidUtf8(std::string s);

}  // namespace xuncha::rules::internal

#endif  // XUNCHA_RULES_TEXT_LEXER_H_
