// Money as people write it: ParseMoney and ExtractAmounts.
//
// An amount is
//   [qualifier] NUMBER [余|多] [MULTIPLIERS] [余|多] [元|圆|块] [整] [左右|以上]
// where NUMBER is Arabic digits (half or full width, "6,800" thousands
// separators, a decimal point) or Chinese numerals (三千八百五十, 两, 十二,
// 壹贰叁 …, 零 and 〇), MULTIPLIERS are 十/百/千 then 万 then 亿 (each at
// most once, in that order: "3千万", "52.3万", "1.2亿"), and the qualifier is
// one of 约/近/逾/超过/超/共计/合计/累计/共/计/达/人民币/¥/￥.
// The value is computed exactly in integer decimal arithmetic (128-bit), then
// rounded half away from zero to the fen; more than int64 fen is not an
// amount. "余/多/约/左右" make an amount approximate; the number written is
// what counts (5000余元 → 5000 元).
//
// ExtractAmounts counts a number only when a money unit follows it (元, or
// the multipliers 万 / 亿), and not when 万/亿 is followed by a measure word
// (一万多名职工, 3万平方米, 2万吨): those are counts, not money.

#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "expr/expr.h"

namespace xuncha::expr {

namespace {

using u128 = unsigned __int128;

struct Cp {
  char32_t c;
  uint32_t byte;  // offset of the code point in the source
};

std::vector<Cp> Decode(std::string_view s) {
  std::vector<Cp> out;
  for (size_t i = 0; i < s.size();) {
    uint32_t b = static_cast<uint32_t>(i);
    char32_t c = utf8::Decode(s, &i);
    if (c >= 0xFF10 && c <= 0xFF19) c = c - 0xFF10 + '0';  // full-width digits
    if (c == 0xFF0E) c = '.';                              // full-width point
    out.push_back({c, b});
  }
  return out;
}

bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }

int ChineseDigit(char32_t c) {
  switch (c) {
    case U'零': case U'〇': return 0;
    case U'一': case U'壹': return 1;
    case U'二': case U'两': case U'贰': return 2;
    case U'三': case U'叁': return 3;
    case U'四': case U'肆': return 4;
    case U'五': case U'伍': return 5;
    case U'六': case U'陆': return 6;
    case U'七': case U'柒': return 7;
    case U'八': case U'捌': return 8;
    case U'九': case U'玖': return 9;
    default: return -1;
  }
}

// 十 百 千 as powers of ten, else 0.
int SmallUnit(char32_t c) {
  switch (c) {
    case U'十': case U'拾': return 1;
    case U'百': case U'佰': return 2;
    case U'千': case U'仟': return 3;
    default: return 0;
  }
}

bool IsMeasureWord(char32_t c) {
  static const char32_t kMeasure[] = {U'人', U'名', U'个', U'件', U'户', U'平', U'吨', U'股',
                                      U'次', U'公', U'亩', U'份', U'台', U'辆', U'套', U'家',
                                      U'册', U'本', U'条', U'项', U'字', U'米', U'千', U'方',
                                      U'头', U'只', U'张', U'斤', U'升', U'度', U'立'};
  for (char32_t m : kMeasure) {
    if (c == m) return true;
  }
  return false;
}

// A decimal number: mantissa / 10^scale.
struct Decimal {
  u128 mantissa = 0;
  int scale = 0;
  bool overflow = false;
};

constexpr u128 kLimit = static_cast<u128>(1) << 100;  // far above int64 fen, far below 2^128

void MulPow10(Decimal* d, int k) {
  for (int i = 0; i < k; ++i) {
    d->mantissa *= 10;
    if (d->mantissa > kLimit) d->overflow = true;
  }
}

// Parses an Arabic number at cps[*i]: digits, optional thousands groups,
// optional fraction. Returns false if there is no digit.
bool ParseArabic(const std::vector<Cp>& cps, size_t* i, Decimal* out) {
  size_t p = *i;
  if (p >= cps.size() || !IsAsciiDigit(cps[p].c)) return false;
  Decimal d;
  auto digit = [&](char32_t c) {
    d.mantissa = d.mantissa * 10 + static_cast<u128>(c - '0');
    if (d.mantissa > kLimit) d.overflow = true;
  };
  size_t run = 0;
  while (p < cps.size() && IsAsciiDigit(cps[p].c)) {
    digit(cps[p].c);
    ++p;
    ++run;
  }
  // Thousands separators: "6,800", "1,234,567" — a comma followed by exactly
  // three digits, the first group at most three digits long.
  if (run <= 3) {
    while (p < cps.size() && (cps[p].c == ',' || cps[p].c == U'，')) {
      size_t q = p + 1;
      size_t k = 0;
      while (q < cps.size() && IsAsciiDigit(cps[q].c) && k < 4) {
        ++q;
        ++k;
      }
      if (k != 3) break;
      for (size_t r = p + 1; r < q; ++r) digit(cps[r].c);
      p = q;
    }
  }
  if (p + 1 < cps.size() && cps[p].c == '.' && IsAsciiDigit(cps[p + 1].c)) {
    ++p;
    while (p < cps.size() && IsAsciiDigit(cps[p].c)) {
      digit(cps[p].c);
      ++d.scale;
      ++p;
    }
  }
  *i = p;
  *out = d;
  return true;
}

// Parses Chinese numerals up to (not including) 万/亿 handling, which the
// caller does through the same section logic: returns the integer value.
bool ParseChinese(const std::vector<Cp>& cps, size_t* i, Decimal* out, bool* ends_with_big) {
  size_t p = *i;
  u128 yi_part = 0, wan_part = 0, section = 0, num = 0;
  bool any = false, have_num = false;
  *ends_with_big = false;
  while (p < cps.size()) {
    char32_t c = cps[p].c;
    int dg = ChineseDigit(c);
    int su = SmallUnit(c);
    if (dg >= 0) {
      num = static_cast<u128>(dg);
      have_num = true;
      any = true;
      *ends_with_big = false;
    } else if (su > 0) {
      u128 unit = su == 1 ? 10 : (su == 2 ? 100 : 1000);
      section += (have_num ? num : 1) * unit;
      num = 0;
      have_num = false;
      any = true;
      *ends_with_big = false;
    } else if (c == U'万' || c == U'萬') {
      if (!any) break;
      wan_part = (section + num) * 10000;
      section = num = 0;
      have_num = false;
      *ends_with_big = true;
    } else if (c == U'亿') {
      if (!any) break;
      yi_part = (yi_part + wan_part + section + num) * 100000000;
      wan_part = section = num = 0;
      have_num = false;
      *ends_with_big = true;
    } else {
      break;
    }
    if (yi_part > kLimit) return false;
    ++p;
  }
  if (!any) return false;
  out->mantissa = yi_part + wan_part + section + num;
  out->scale = 0;
  out->overflow = out->mantissa > kLimit;
  *i = p;
  return true;
}

bool StartsWith(const std::vector<Cp>& cps, size_t i, std::u32string_view w) {
  if (i + w.size() > cps.size()) return false;
  for (size_t k = 0; k < w.size(); ++k) {
    if (cps[i + k].c != w[k]) return false;
  }
  return true;
}

struct Parsed {
  int64_t fen = 0;
  size_t end = 0;      // code-point index after the amount
  bool has_unit = false;
};

// Parses an amount starting exactly at cps[start] (no qualifier).
std::optional<Parsed> ParseAt(const std::vector<Cp>& cps, size_t start) {
  size_t i = start;
  Decimal d;
  bool chinese_big = false;
  bool has_unit = false;
  if (i < cps.size() && IsAsciiDigit(cps[i].c)) {
    ParseArabic(cps, &i, &d);
  } else if (!ParseChinese(cps, &i, &d, &chinese_big)) {
    return std::nullopt;
  }
  auto skip_approx = [&] {
    if (i < cps.size() && (cps[i].c == U'余' || cps[i].c == U'多')) ++i;
  };
  skip_approx();
  // Multipliers.
  int small = 0;
  if (i < cps.size() && (small = SmallUnit(cps[i].c)) > 0 && !chinese_big) {
    // "5千元", "3千万": a small unit right after an Arabic number.
    if (IsAsciiDigit(cps[start].c)) {
      MulPow10(&d, small);
      ++i;
    } else {
      small = 0;
    }
  }
  bool wan = false, yi = false;
  size_t before_big = i;
  if (i < cps.size() && (cps[i].c == U'万' || cps[i].c == U'萬')) {
    MulPow10(&d, 4);
    wan = true;
    ++i;
  }
  if (i < cps.size() && cps[i].c == U'亿') {
    MulPow10(&d, 8);
    yi = true;
    ++i;
  }
  skip_approx();
  if (wan || yi || chinese_big) {
    has_unit = true;
    // A measure word after 万/亿 makes it a count, not money.
    if (i < cps.size() && IsMeasureWord(cps[i].c)) return std::nullopt;
  }
  (void)before_big;
  if (i < cps.size() && (cps[i].c == U'元' || cps[i].c == U'圆' || cps[i].c == U'块')) {
    has_unit = true;
    ++i;
    if (i < cps.size() && cps[i].c == U'整') ++i;
  } else if (small > 0 && !wan && !yi) {
    // "5千" without 元 or 万 is a count ("5千人"), not money.
    has_unit = false;
  }
  if (d.overflow) return std::nullopt;
  // fen = mantissa * 100 / 10^scale, rounded half away from zero.
  u128 v = d.mantissa * 100;
  if (v > kLimit) return std::nullopt;
  int scale = d.scale;
  u128 result = v;
  if (scale > 0) {
    u128 div = 1;
    for (int k = 0; k < scale; ++k) div *= 10;
    result = v / div;
    u128 rem = v % div;
    if (rem * 2 >= div) ++result;
  }
  if (result > static_cast<u128>(INT64_MAX)) return std::nullopt;
  Parsed p;
  p.fen = static_cast<int64_t>(result);
  p.end = i;
  p.has_unit = has_unit;
  return p;
}

const std::u32string_view kQualifiers[] = {U"人民币", U"超过", U"共计", U"合计", U"累计",
                                           U"约",     U"近",   U"逾",   U"超",   U"共",
                                           U"计",     U"达",   U"¥",    U"￥"};

}  // namespace

std::optional<int64_t> ParseMoney(std::string_view s) {
  std::vector<Cp> cps = Decode(s);
  size_t b = 0, e = cps.size();
  while (b < e && (cps[b].c == ' ' || cps[b].c == U'　')) ++b;
  while (e > b && (cps[e - 1].c == ' ' || cps[e - 1].c == U'　')) --e;
  std::vector<Cp> trimmed(cps.begin() + static_cast<std::ptrdiff_t>(b),
                          cps.begin() + static_cast<std::ptrdiff_t>(e));
  size_t i = 0;
  for (bool again = true; again;) {
    again = false;
    for (std::u32string_view q : kQualifiers) {
      if (StartsWith(trimmed, i, q)) {
        i += q.size();
        again = true;
        break;
      }
    }
  }
  std::optional<Parsed> p = ParseAt(trimmed, i);
  if (!p) return std::nullopt;
  size_t end = p->end;
  if (StartsWith(trimmed, end, U"左右")) end += 2;
  else if (StartsWith(trimmed, end, U"以上")) end += 2;
  if (end != trimmed.size()) return std::nullopt;
  return p->fen;
}

std::vector<TextAmount> ExtractAmounts(std::string_view text) {
  std::vector<Cp> cps = Decode(text);
  std::vector<TextAmount> out;
  size_t i = 0;
  while (i < cps.size()) {
    char32_t c = cps[i].c;
    bool starts = IsAsciiDigit(c) || ChineseDigit(c) >= 0 || SmallUnit(c) == 1;
    // Not in the middle of a number or a word made of letters and digits.
    if (starts && i > 0) {
      char32_t prev = cps[i - 1].c;
      if (IsAsciiDigit(prev) || prev == '.' || (prev < 0x80 && std::isalpha(static_cast<int>(prev)))) {
        starts = false;
      }
    }
    if (!starts) {
      ++i;
      continue;
    }
    std::optional<Parsed> p = ParseAt(cps, i);
    if (p && p->has_unit) {
      TextAmount a;
      a.fen = p->fen;
      a.byte_begin = cps[i].byte;
      a.byte_end = p->end < cps.size() ? cps[p->end].byte : static_cast<uint32_t>(text.size());
      out.push_back(a);
      i = p->end;
      continue;
    }
    // Skip the rest of this number so that "12个" does not yield "2…".
    size_t j = i + 1;
    if (IsAsciiDigit(c)) {
      while (j < cps.size() && (IsAsciiDigit(cps[j].c) || cps[j].c == '.' || cps[j].c == ',')) ++j;
    } else {
      while (j < cps.size() && (ChineseDigit(cps[j].c) >= 0 || SmallUnit(cps[j].c) > 0)) ++j;
    }
    i = j;
  }
  return out;
}

}  // namespace xuncha::expr
