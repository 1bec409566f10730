#include "rules/text_lexer.h"

#include <algorithm>
#include <cstdio>

#include "base/utf8.h"

namespace xuncha::rules::internal {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }
bool IsOctal(char c) { return c >= '0' && c <= '7'; }
bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}
bool IsQuote(char c) { return c == '"' || c == '\''; }
bool IsOpener(char c) { return c == '{' || c == '<' || c == '['; }
bool IsCloser(char c) { return c == '}' || c == '>' || c == ']'; }
// Characters that end a scalar token.
bool IsDelimiter(char c) {
  return IsSpace(c) || IsQuote(c) || IsOpener(c) || IsCloser(c) || c == '#' || c == ',' ||
         c == ';' || c == ':';
}

// Reads `len` hex digits at s[i]; false when there are fewer.
bool ReadHex(std::string_view s, size_t i, int len, uint32_t* out) {
  uint32_t v = 0;
  for (int k = 0; k < len; ++k) {
    if (i + k >= s.size() || !IsHex(s[i + k])) return false;
    v = v * 16 + HexValue(s[i + k]);
  }
  *out = v;
  return true;
}

char TranslateEscape(char c) {
  switch (c) {
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    case '\\': return '\\';
    case '?': return '?';
    case '\'': return '\'';
    case '"': return '"';
    default: return '?';  // as protobuf does; the tokenizer has reported it
  }
}

// Decodes one literal starting at the quote s[pos], appending to *out.
// Mirrors io::Tokenizer::ParseStringAppend. Returns one past the literal.
size_t DecodeLiteral(std::string_view s, size_t pos, DecodedString* out, bool* closed) {
  const char quote = s[pos];
  *closed = false;
  const size_t n = s.size();
  size_t i = pos + 1;
  auto push = [&](char c, size_t from) {
    out->value.push_back(c);
    out->map.push_back(static_cast<uint32_t>(from));
  };
  while (i < n) {
    char c = s[i];
    if (c == '\n' || c == '\0') return i;  // unterminated; reported by protobuf
    if (c == quote) {
      *closed = true;
      return i + 1;
    }
    if (c != '\\' || i + 1 >= n) {
      push(c, i);
      ++i;
      continue;
    }
    const size_t start = i;
    ++i;  // at the escape letter
    char e = s[i];
    if (IsOctal(e)) {
      int code = e - '0';
      ++i;
      for (int k = 0; k < 2 && i < n && IsOctal(s[i]); ++k, ++i) code = code * 8 + (s[i] - '0');
      push(static_cast<char>(code), start);
    } else if (e == 'x') {
      ++i;
      int code = 0;
      for (int k = 0; k < 2 && i < n && IsHex(s[i]); ++k, ++i) code = code * 16 + HexValue(s[i]);
      push(static_cast<char>(code), start);
    } else if (e == 'u' || e == 'U') {
      const int len = e == 'u' ? 4 : 8;
      uint32_t cp;
      if (!ReadHex(s, i + 1, len, &cp)) {
        push(e, start);  // protobuf emits the letter itself
        ++i;
        continue;
      }
      i += 1 + len;
      // A head surrogate followed by \u and a trail surrogate is one pair.
      if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && s[i] == '\\' && s[i + 1] == 'u') {
        uint32_t trail;
        if (ReadHex(s, i + 2, 4, &trail) && trail >= 0xDC00 && trail <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (trail - 0xDC00);
          i += 6;
        }
      }
      std::string bytes;
      if (cp > 0x10FFFF) {
        char buf[16];
        std::snprintf(buf, sizeof(buf), "\\U%08x", cp);
        bytes = buf;
      } else {
        utf8::Append(static_cast<char32_t>(cp), &bytes);
      }
      for (char b : bytes) push(b, start);
    } else {
      push(TranslateEscape(e), start);
      ++i;
    }
  }
  return n;
}

size_t SkipScalar(std::string_view s, size_t pos) {
  size_t i = pos;
  while (i < s.size() && !IsDelimiter(s[i])) ++i;
  return i == pos ? pos + 1 : i;
}

// One past the group opened at s[pos] (or the end of text).
size_t SkipGroup(std::string_view s, size_t pos) {
  int depth = 0;
  size_t i = pos;
  const size_t n = s.size();
  while (i < n) {
    char c = s[i];
    if (IsQuote(c)) {
      i = SkipStringLiteral(s, i);
      continue;
    }
    if (c == '#') {
      while (i < n && s[i] != '\n') ++i;
      continue;
    }
    if (IsOpener(c)) {
      ++depth;
    } else if (IsCloser(c)) {
      if (--depth == 0) return i + 1;
    }
    ++i;
  }
  return n;
}

bool IsTopLevelOnly(std::string_view name) {
  return name == "rule" || name == "lexicon" || name == "stage" || name == "pattern" ||
         name == "negation_cue" || name == "negation_cue_after";
}

}  // namespace

size_t SkipSpace(std::string_view s, size_t pos) {
  const size_t n = s.size();
  while (pos < n) {
    if (IsSpace(s[pos])) {
      ++pos;
    } else if (s[pos] == '#') {
      while (pos < n && s[pos] != '\n') ++pos;
    } else {
      break;
    }
  }
  return pos;
}

size_t SkipStringLiteral(std::string_view s, size_t pos) {
  const char quote = s[pos];
  const size_t n = s.size();
  size_t i = pos + 1;
  while (i < n) {
    char c = s[i];
    if (c == '\n' || c == '\0') return i;
    if (c == quote) return i + 1;
    if (c == '\\') {
      ++i;
      if (i < n && s[i] != '\n' && s[i] != '\0') ++i;
      continue;
    }
    ++i;
  }
  return n;
}

bool DecodeStringRun(std::string_view s, size_t pos, DecodedString* out) {
  out->value.clear();
  out->map.clear();
  if (pos >= s.size() || !IsQuote(s[pos])) return false;
  size_t end = pos;
  size_t i = pos;
  while (i < s.size() && IsQuote(s[i])) {
    bool closed;
    end = DecodeLiteral(s, i, out, &closed);
    if (!closed) break;  // unterminated: protobuf has reported it
    i = SkipSpace(s, end);
  }
  out->map.push_back(static_cast<uint32_t>(end));
  out->end = end;
  return true;
}

size_t SkipValue(std::string_view s, size_t pos) {
  const size_t n = s.size();
  if (pos >= n) return n;
  char c = s[pos];
  if (IsQuote(c)) {
    size_t end = SkipStringLiteral(s, pos);
    for (size_t i = SkipSpace(s, end); i < n && IsQuote(s[i]); i = SkipSpace(s, end)) {
      end = SkipStringLiteral(s, i);
    }
    return end;
  }
  if (IsOpener(c)) return SkipGroup(s, pos);
  if (c == '-') return SkipScalar(s, SkipSpace(s, pos + 1));
  return SkipScalar(s, pos);
}

FieldValues ValuesOfField(std::string_view s, size_t field_pos) {
  FieldValues out;
  const size_t n = s.size();
  size_t i = field_pos;
  if (i < n && IsIdentStart(s[i])) {
    while (i < n && IsIdentChar(s[i])) ++i;
  } else if (i < n && s[i] == '[') {
    i = SkipGroup(s, i);  // [extension.name]
  }
  i = SkipSpace(s, i);
  if (i < n && s[i] == ':') i = SkipSpace(s, i + 1);
  if (i < n && s[i] == '[') {
    out.list = true;
    ++i;
    while (true) {
      i = SkipSpace(s, i);
      if (i >= n || s[i] == ']') break;
      out.offsets.push_back(static_cast<uint32_t>(i));
      i = SkipSpace(s, SkipValue(s, i));
      if (i < n && s[i] == ',') {
        ++i;
      } else {
        break;
      }
    }
  } else {
    out.offsets.push_back(static_cast<uint32_t>(std::min(i, n)));
  }
  return out;
}

uint32_t TokenLengthChars(std::string_view s, size_t pos) {
  if (pos >= s.size()) return 1;
  size_t end;
  if (IsQuote(s[pos])) {
    end = SkipStringLiteral(s, pos);
  } else if (IsDelimiter(s[pos])) {
    return 1;
  } else {
    end = SkipScalar(s, pos);
  }
  size_t chars = utf8::CountChars(s.substr(pos, end - pos));
  return chars == 0 ? 1 : static_cast<uint32_t>(chars);
}

std::vector<Chunk> SplitTopLevel(std::string_view s) {
  enum Prev { kStart, kColon, kMinus, kOther };
  std::vector<Chunk> chunks;
  std::vector<size_t> open;  // offsets of unclosed openers
  Prev prev = kStart;
  size_t begin = 0;
  bool seen_field = false;
  auto start_chunk = [&](size_t at, size_t unclosed) {
    if (!seen_field) {
      seen_field = true;
      return;  // the first chunk starts at 0, with any leading text
    }
    chunks.push_back(Chunk{begin, at, unclosed});
    begin = at;
  };
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    char c = s[i];
    const bool top = open.empty();
    if (IsSpace(c)) {
      ++i;
    } else if (c == '#') {
      while (i < n && s[i] != '\n') ++i;
    } else if (IsQuote(c)) {
      i = SkipStringLiteral(s, i);
      if (top) prev = kOther;
    } else if (IsIdentStart(c)) {
      size_t b = i;
      while (i < n && IsIdentChar(s[i])) ++i;
      if (top) {
        if (prev != kColon && prev != kMinus) start_chunk(b, std::string_view::npos);
        prev = kOther;
      } else if ((b == 0 || s[b - 1] == '\n') && IsTopLevelOnly(s.substr(b, i - b))) {
        // A top-level field at the start of a line while a group is open:
        // the group most likely lacks its closing brace. Resynchronise.
        size_t j = SkipSpace(s, i);
        bool opens = j < n && (s[j] == '{' || s[j] == '<');
        if (j < n && s[j] == ':') {
          size_t k = SkipSpace(s, j + 1);
          opens = k < n && (s[k] == '{' || s[k] == '<');
        }
        if (opens) {
          start_chunk(b, open.front());
          open.clear();
          prev = kOther;
        }
      }
    } else if (IsDigit(c) || c == '.') {
      i = SkipScalar(s, i);
      if (top) prev = kOther;
    } else {
      if (IsOpener(c)) {
        if (top && c == '[' && prev != kColon && prev != kMinus) {
          start_chunk(i, std::string_view::npos);  // [extension]: …
        }
        open.push_back(i);
      } else if (IsCloser(c)) {
        if (!open.empty()) open.pop_back();
        if (open.empty()) prev = kOther;
      } else if (top) {
        prev = c == ':' ? kColon : c == '-' ? kMinus : (c == ',' || c == ';') ? kStart : kOther;
      }
      ++i;
    }
  }
  chunks.push_back(Chunk{begin, n, open.empty() ? std::string_view::npos : open.front()});
  return chunks;
}

}  // namespace xuncha::rules::internal
