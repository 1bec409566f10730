#include "rules/model_text.h"

#include <charconv>
#include <cstdint>
#include <string>
#include <system_error>
#include <type_traits>

#include "base/utf8.h"

namespace xuncha::rules {

namespace {

// A cursor over the text; every Read* returns false on anything unexpected,
// which abandons the fast path.
class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  bool AtEnd() {
    SkipBlanks();
    return i_ == s_.size();
  }

  // Blanks and `#` comments. A control character, even in a comment, is
  // left in place: no token starts with one, so the reader declines.
  void SkipBlanks() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
        ++i_;
      } else if (c == '#') {
        for (; i_ < s_.size() && s_[i_] != '\n'; ++i_) {
          unsigned char b = static_cast<unsigned char>(s_[i_]);
          if ((b < 0x20 && b != '\t' && b != '\r') || b == 0x7f) return;
        }
      } else {
        break;
      }
    }
  }

  // An identifier: [A-Za-z_][A-Za-z0-9_]*.
  bool ReadName(std::string_view* name) {
    SkipBlanks();
    size_t start = i_;
    while (i_ < s_.size() && (IsAlpha(s_[i_]) || (i_ > start && IsDigit(s_[i_])))) ++i_;
    if (i_ == start) return false;
    *name = s_.substr(start, i_ - start);
    return true;
  }

  bool Consume(char c) {
    SkipBlanks();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  // One double-quoted string, without the escapes TextFormat reads
  // differently from JSON (octal, hex, \u): those abandon the fast path.
  // Adjacent strings, which TextFormat concatenates, abandon it too.
  bool ReadString(std::string* out) {
    SkipBlanks();
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    ++i_;
    out->clear();
    for (;;) {
      if (i_ >= s_.size()) return false;
      char c = s_[i_++];
      if (c == '"') break;
      // Raw control characters (TextFormat rejects some, warns of others).
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (i_ >= s_.size()) return false;
      switch (s_[i_++]) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '\'': out->push_back('\''); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        default: return false;
      }
    }
    // Text that is not UTF-8 is TextFormat's to report (or not).
    if (!utf8::IsValid(*out)) return false;
    SkipBlanks();
    return i_ >= s_.size() || (s_[i_] != '"' && s_[i_] != '\'');
  }

  // A decimal number: -?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?, followed by a
  // delimiter. An int32 field takes only a token with neither point nor
  // exponent.
  template <typename T>
  bool ReadNumber(T* out) {
    std::string_view tok;
    bool integer = false;
    if (!ReadNumberToken(&tok, &integer)) return false;
    if (std::is_integral_v<T> && !integer) return false;
    auto [end, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), *out);
    return ec == std::errc() && end == tok.data() + tok.size();
  }

 private:
  static bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  bool ReadNumberToken(std::string_view* tok, bool* integer) {
    SkipBlanks();
    size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    size_t digits = i_;
    while (i_ < s_.size() && IsDigit(s_[i_])) ++i_;
    if (i_ == digits) return false;
    // A leading zero followed by more digits is octal to TextFormat.
    if (s_[digits] == '0' && i_ - digits > 1) return false;
    *integer = true;
    if (i_ < s_.size() && s_[i_] == '.') {
      *integer = false;
      ++i_;
      while (i_ < s_.size() && IsDigit(s_[i_])) ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      *integer = false;
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      size_t exp = i_;
      while (i_ < s_.size() && IsDigit(s_[i_])) ++i_;
      if (i_ == exp) return false;
    }
    // The token must end here: "1f", "0x1", "1.5.2" are not ours.
    if (i_ < s_.size()) {
      char c = s_[i_];
      if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != ',' && c != ']' && c != '}' &&
          c != '#') {
        return false;
      }
    }
    *tok = s_.substr(start, i_ - start);
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
};

// `: value` or `: [value, …]` (possibly empty) of a repeated field.
template <typename ReadOne>
bool ReadRepeated(Reader& r, ReadOne read_one) {
  if (!r.Consume(':')) return false;
  if (!r.Consume('[')) return read_one();
  if (r.Consume(']')) return true;
  do {
    if (!read_one()) return false;
  } while (r.Consume(','));
  return r.Consume(']');
}

// `: n` or `: [n, …]` of a repeated int32 or double field.
template <typename T>
bool ReadNumbers(Reader& r, google::protobuf::RepeatedField<T>* out) {
  return ReadRepeated(r, [&] {
    T v;
    if (!r.ReadNumber(&v)) return false;
    out->Add(v);
    return true;
  });
}

bool ReadFeature(Reader& r, v1::TextModel::Feature* f) {
  if (!r.Consume('{')) return false;
  bool gram = false;
  std::string_view name;
  while (!r.Consume('}')) {
    if (!r.ReadName(&name)) return false;
    if (name == "gram") {
      if (gram || !r.Consume(':') || !r.ReadString(f->mutable_gram())) return false;
      gram = true;
    } else if (name == "label_index") {
      if (!ReadNumbers(r, f->mutable_label_index())) return false;
    } else if (name == "weight") {
      if (!ReadNumbers(r, f->mutable_weight())) return false;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

bool ParseModelText(std::string_view text, v1::TextModel* model) {
  model->Clear();
  Reader r(text);
  std::string_view name;
  if (!r.ReadName(&name) || name != "model" || !r.Consume('{')) return false;
  bool seen_name = false, seen_description = false, seen_min = false, seen_max = false;
  while (!r.Consume('}')) {
    if (!r.ReadName(&name)) return false;
    if (name == "feature") {
      if (!ReadFeature(r, model->add_feature())) return false;
    } else if (name == "name" || name == "description") {
      bool& seen = name == "name" ? seen_name : seen_description;
      std::string* out = name == "name" ? model->mutable_name() : model->mutable_description();
      if (seen || !r.Consume(':') || !r.ReadString(out)) return false;
      seen = true;
    } else if (name == "min_n" || name == "max_n") {
      bool& seen = name == "min_n" ? seen_min : seen_max;
      int32_t v;
      if (seen || !r.Consume(':') || !r.ReadNumber(&v)) return false;
      if (name == "min_n") {
        model->set_min_n(v);
      } else {
        model->set_max_n(v);
      }
      seen = true;
    } else if (name == "label") {
      if (!ReadRepeated(r, [&] { return r.ReadString(model->add_label()); })) return false;
    } else if (name == "bias") {
      if (!ReadNumbers(r, model->mutable_bias())) return false;
    } else if (name == "feature_bias") {
      if (!ReadNumbers(r, model->mutable_feature_bias())) return false;
    } else {
      return false;
    }
  }
  return r.AtEnd();
}

}  // namespace xuncha::rules
