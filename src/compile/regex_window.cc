#include "compile/regex_window.h"

#include <algorithm>
#include <limits>

#include "base/utf8.h"

namespace xuncha::compile {

namespace {

constexpr uint32_t kInf = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kMaxWindowChars = 400;

uint32_t AddLen(uint32_t a, uint32_t b) { return (a == kInf || b == kInf) ? kInf : a + b; }
uint32_t MulLen(uint32_t a, uint32_t n) {
  if (n == 0) return 0;
  if (a == kInf || n == kInf) return kInf;
  uint64_t v = uint64_t{a} * n;
  return v >= kInf ? kInf : static_cast<uint32_t>(v);
}

// What is known of a sub-pattern.
struct Info {
  uint32_t min = 0, max = 0;
  bool exact = false;   // the whole node is the literal `prefix` (== suffix)
  std::string prefix;   // literal run every match starts with
  std::string suffix;   // literal run every match ends with
  bool has_required = false;
  std::vector<std::string> required;  // every match contains one of these
};

size_t Weakest(const std::vector<std::string>& set) {
  size_t m = SIZE_MAX;
  for (const auto& s : set) m = std::min(m, utf8::CountChars(s));
  return m;
}

// Keeps the more selective of two required sets: longer shortest literal,
// then fewer literals.
void Prefer(Info* into, bool has, const std::vector<std::string>& set) {
  if (!has || set.empty()) return;
  if (!into->has_required) {
    into->has_required = true;
    into->required = set;
    return;
  }
  size_t a = Weakest(into->required), b = Weakest(set);
  if (b > a || (b == a && set.size() < into->required.size())) into->required = set;
}

Info Literal(std::string ch) {
  Info i;
  i.min = i.max = 1;
  i.exact = true;
  i.prefix = i.suffix = ch;
  i.has_required = true;
  i.required = {std::move(ch)};
  return i;
}

Info AnyChar() {
  Info i;
  i.min = i.max = 1;
  return i;
}

Info Concat(const Info& a, const Info& b) {
  Info r;
  r.min = AddLen(a.min, b.min);
  r.max = AddLen(a.max, b.max);
  if (a.exact && b.exact) {
    r.exact = true;
    r.prefix = r.suffix = a.prefix + b.prefix;
    r.has_required = true;
    r.required = {r.prefix};
    return r;
  }
  r.prefix = a.exact ? a.prefix + b.prefix : a.prefix;
  r.suffix = b.exact ? a.suffix + b.suffix : b.suffix;
  Prefer(&r, a.has_required, a.required);
  Prefer(&r, b.has_required, b.required);
  std::string middle = a.suffix + b.prefix;
  if (!middle.empty()) Prefer(&r, true, {middle});
  if (!r.prefix.empty()) Prefer(&r, true, {r.prefix});
  if (!r.suffix.empty()) Prefer(&r, true, {r.suffix});
  return r;
}

Info Alternate(const std::vector<Info>& branches) {
  Info r;
  if (branches.size() == 1) return branches[0];
  r.min = kInf;
  r.max = 0;
  bool all_required = true;
  for (const Info& b : branches) {
    r.min = std::min(r.min, b.min);
    r.max = (b.max == kInf || r.max == kInf) ? kInf : std::max(r.max, b.max);
    if (!b.has_required || b.required.empty()) all_required = false;
  }
  if (all_required) {
    r.has_required = true;
    for (const Info& b : branches) r.required.insert(r.required.end(), b.required.begin(), b.required.end());
    std::sort(r.required.begin(), r.required.end());
    r.required.erase(std::unique(r.required.begin(), r.required.end()), r.required.end());
  }
  return r;
}

Info Repeat(const Info& x, uint32_t lo, uint32_t hi) {
  Info r;
  r.min = MulLen(x.min, lo);
  r.max = hi == kInf ? (x.max == 0 ? 0 : kInf) : MulLen(x.max, hi);
  if (lo >= 1) {
    r.has_required = x.has_required;
    r.required = x.required;
    if (x.exact) r.prefix = r.suffix = x.prefix;
    else {
      r.prefix = x.prefix;
      r.suffix = x.suffix;
    }
    if (x.exact && lo == 1 && hi == 1) r.exact = true;
  }
  return r;
}

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  std::optional<Info> Parse() {
    auto r = Alt();
    if (!r || pos_ != p_.size()) return std::nullopt;
    return r;
  }

 private:
  bool Eof() const { return pos_ >= p_.size(); }
  char Peek() const { return p_[pos_]; }

  std::optional<Info> Alt() {
    std::vector<Info> branches;
    for (;;) {
      auto c = Seq();
      if (!c) return std::nullopt;
      branches.push_back(std::move(*c));
      if (!Eof() && Peek() == '|') {
        ++pos_;
        continue;
      }
      break;
    }
    return Alternate(branches);
  }

  std::optional<Info> Seq() {
    Info acc;
    acc.exact = true;  // the empty sequence is the empty literal
    while (!Eof() && Peek() != '|' && Peek() != ')') {
      auto a = Atom();
      if (!a) return std::nullopt;
      auto q = Quantified(std::move(*a));
      if (!q) return std::nullopt;
      acc = Concat(acc, *q);
    }
    return acc;
  }

  std::optional<Info> Quantified(Info a) {
    while (!Eof()) {
      char c = Peek();
      uint32_t lo, hi;
      if (c == '?') {
        lo = 0, hi = 1;
        ++pos_;
      } else if (c == '*') {
        lo = 0, hi = kInf;
        ++pos_;
      } else if (c == '+') {
        lo = 1, hi = kInf;
        ++pos_;
      } else if (c == '{') {
        size_t save = pos_;
        ++pos_;
        auto n = Number();
        if (!n) {  // a literal '{'
          pos_ = save;
          return a;
        }
        lo = hi = *n;
        if (!Eof() && Peek() == ',') {
          ++pos_;
          if (!Eof() && Peek() == '}') hi = kInf;
          else {
            auto m = Number();
            if (!m) return std::nullopt;
            hi = *m;
          }
        }
        if (Eof() || Peek() != '}') return std::nullopt;
        ++pos_;
      } else {
        return a;
      }
      if (!Eof() && Peek() == '?') ++pos_;  // non-greedy: same bounds
      a = Repeat(a, lo, hi);
    }
    return a;
  }

  std::optional<uint32_t> Number() {
    size_t start = pos_;
    uint32_t v = 0;
    while (!Eof() && Peek() >= '0' && Peek() <= '9') {
      v = v * 10 + static_cast<uint32_t>(Peek() - '0');
      if (v > 100000) return std::nullopt;
      ++pos_;
    }
    if (pos_ == start) return std::nullopt;
    return v;
  }

  std::optional<Info> Atom() {
    char c = Peek();
    switch (c) {
      case '(': {
        ++pos_;
        if (!Eof() && Peek() == '?') {
          // Only non-capturing and named groups; flags change meaning.
          if (p_.substr(pos_, 2) == "?:") {
            pos_ += 2;
          } else if (p_.substr(pos_, 3) == "?P<") {
            size_t close = p_.find('>', pos_);
            if (close == std::string_view::npos) return std::nullopt;
            pos_ = close + 1;
          } else {
            return std::nullopt;
          }
        }
        auto inner = Alt();
        if (!inner || Eof() || Peek() != ')') return std::nullopt;
        ++pos_;
        return inner;
      }
      case '[':
        return Class();
      case '.':
        ++pos_;
        return AnyChar();
      case '\\':
        return Escape();
      case '^':
      case '$':
      case ')':
      case '|':
      case '*':
      case '+':
      case '?':
        return std::nullopt;
      default: {
        size_t start = pos_;
        utf8::Decode(p_, &pos_);
        return Literal(std::string(p_.substr(start, pos_ - start)));
      }
    }
  }

  std::optional<Info> Class() {
    ++pos_;  // '['
    if (!Eof() && Peek() == '^') ++pos_;
    if (!Eof() && Peek() == ']') ++pos_;  // a leading ']' is literal
    while (!Eof() && Peek() != ']') {
      if (Peek() == '\\') {
        pos_ += 2;
      } else if (p_.substr(pos_, 2) == "[:") {
        size_t close = p_.find(":]", pos_ + 2);
        if (close == std::string_view::npos) return std::nullopt;
        pos_ = close + 2;
      } else {
        ++pos_;
      }
    }
    if (Eof()) return std::nullopt;
    ++pos_;
    return AnyChar();
  }

  std::optional<Info> Escape() {
    ++pos_;
    if (Eof()) return std::nullopt;
    char e = Peek();
    ++pos_;
    switch (e) {
      case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
        return AnyChar();
      case 'p': case 'P':
        if (!Eof() && Peek() == '{') {
          size_t close = p_.find('}', pos_);
          if (close == std::string_view::npos) return std::nullopt;
          pos_ = close + 1;
        } else if (!Eof()) {
          ++pos_;
        }
        return AnyChar();
      case 'n': return Literal("\n");
      case 't': return Literal("\t");
      case 'r': return Literal("\r");
      case 'f': return Literal("\f");
      case 'v': return Literal("\v");
      case 'x': {
        uint32_t cp = 0;
        if (!Eof() && Peek() == '{') {
          size_t close = p_.find('}', pos_);
          if (close == std::string_view::npos) return std::nullopt;
          for (size_t i = pos_ + 1; i < close; ++i) {
            char h = p_[i];
            int v = (h >= '0' && h <= '9') ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                  : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
            if (v < 0 || cp > 0x10FFFF) return std::nullopt;
            cp = cp * 16 + static_cast<uint32_t>(v);
          }
          pos_ = close + 1;
        } else {
          return std::nullopt;  // \xHH: rare in rules; keep it simple
        }
        std::string s;
        utf8::Append(static_cast<char32_t>(cp), &s);
        return Literal(s);
      }
      default:
        // Escaped punctuation is that character; anything else (\b \B \A
        // \z \Q \C, octal, …) is outside what we analyse.
        if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9') ||
            static_cast<unsigned char>(e) >= 0x80) {
          return std::nullopt;
        }
        return Literal(std::string(1, e));
    }
  }

  std::string_view p_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<RegexWindow> AnalyzeRegexWindow(std::string_view pattern) {
  if (pattern.empty() || !utf8::IsValid(pattern)) return std::nullopt;
  auto info = Parser(pattern).Parse();
  if (!info || !info->has_required) return std::nullopt;
  RegexWindow w;
  w.bounded = info->max != kInf && info->max <= kMaxWindowChars;
  w.max_chars = w.bounded ? info->max : 0;
  for (const std::string& lit : info->required) {
    if (lit.empty()) return std::nullopt;
    w.literals.push_back(lit);
  }
  if (w.literals.size() == 1 && !info->prefix.empty() && w.literals[0] == info->prefix) {
    w.anchor = RegexWindow::Anchor::kPrefix;
  } else if (w.literals.size() == 1 && !info->suffix.empty() && w.literals[0] == info->suffix) {
    w.anchor = RegexWindow::Anchor::kSuffix;
  }
  if (w.literals.empty()) return std::nullopt;
  return w;
}

}  // namespace xuncha::compile
