#include "patterns/text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/utf8.h"

namespace xuncha::patterns_internal {

bool IsSpaceOrPunct(char32_t cp) {
  if (cp < 0x80) {
    if (cp <= 0x20 || cp == 0x7f) return true;
    return (cp >= 0x21 && cp <= 0x2f) || (cp >= 0x3a && cp <= 0x40) ||
           (cp >= 0x5b && cp <= 0x60) || (cp >= 0x7b && cp <= 0x7e);
  }
  if (cp == 0xa0 || cp == 0xb7 || cp == 0xd7) return true;  // nbsp, middle dot, ×
  if (cp >= 0x2000 && cp <= 0x206f) return true;            // general punctuation, spaces
  if (cp >= 0x3000 && cp <= 0x303f) return true;            // CJK symbols and punctuation
  if (cp >= 0xfe10 && cp <= 0xfe1f) return true;            // vertical forms
  if (cp >= 0xfe30 && cp <= 0xfe6f) return true;            // compatibility / small forms
  if (cp >= 0xff01 && cp <= 0xff0f) return true;            // full-width punctuation
  if (cp >= 0xff1a && cp <= 0xff20) return true;
  if (cp >= 0xff3b && cp <= 0xff40) return true;
  if (cp >= 0xff5b && cp <= 0xff65) return true;
  if (cp == 0x30fb || cp == 0xfeff) return true;  // katakana middle dot, BOM
  return false;
}

namespace {

// Appends the content code points of `text` (see ContentChars) to *out.
void AppendContentChars(std::string_view text, std::u32string* out) {
  for (size_t i = 0; i < text.size();) {
    char32_t cp = utf8::Decode(text, &i);
    if (cp >= 0xff01 && cp <= 0xff5e) cp -= 0xfee0;  // full width -> half width
    else if (cp == 0x3000) cp = ' ';
    if (IsSpaceOrPunct(cp)) continue;
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    out->push_back(cp);
  }
}

}  // namespace

std::u32string ContentChars(std::string_view text) {
  std::u32string out;
  out.reserve(text.size() / 2);
  AppendContentChars(text, &out);
  return out;
}

void ShingleHashes(std::string_view text, int n, uint64_t seed, std::vector<uint32_t>* out) {
  out->clear();
  thread_local std::u32string chars;  // reused: no allocation per finding
  chars.clear();
  AppendContentChars(text, &chars);
  if (chars.empty()) return;
  if (n < 1) n = 1;
  size_t width = std::min<size_t>(static_cast<size_t>(n), chars.size());
  size_t count = chars.size() - width + 1;
  out->reserve(count);
  const uint64_t basis = 0xcbf29ce484222325ULL ^ seed;
  for (size_t i = 0; i < count; ++i) {
    uint64_t h = basis;
    for (size_t j = 0; j < width; ++j) {
      h ^= static_cast<uint64_t>(chars[i + j]);
      h *= 0x100000001b3ULL;
    }
    out->push_back(static_cast<uint32_t>(SplitMix64(h) >> 32));
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

double Jaccard(const uint32_t* a, size_t na, const uint32_t* b, size_t nb) {
  if (na == 0 && nb == 0) return 0.0;
  // Branch-free merge: the comparisons are unpredictable.
  size_t i = 0, j = 0, common = 0;
  while (i < na && j < nb) {
    const uint32_t x = a[i], y = b[j];
    common += x == y;
    i += x <= y;
    j += y <= x;
  }
  return static_cast<double>(common) / static_cast<double>(na + nb - common);
}

MinHasher::MinHasher(int size, uint64_t seed) : size_(size), seed_(seed) {}

void MinHasher::Sign(const uint32_t* shingles, size_t n, uint32_t* out) const {
  // One permutation hashing: one hash per shingle picks a bin and a value;
  // a bin keeps its minimum. Values are 31 bits, so kEmpty marks empty bins.
  constexpr uint32_t kEmpty = 0xffffffffu;
  const uint64_t k = static_cast<uint64_t>(size_);
  for (int i = 0; i < size_; ++i) out[i] = kEmpty;
  if (n == 0 || size_ == 0) return;
  for (size_t s = 0; s < n; ++s) {
    const uint64_t h = SplitMix64(shingles[s] ^ seed_);
    const size_t bin = static_cast<size_t>(((h >> 32) * k) >> 32);
    const uint32_t v = static_cast<uint32_t>(h) >> 1;
    out[bin] = v < out[bin] ? v : out[bin];
  }
  // Optimal densification (Shrivastava 2017): an empty bin i copies the
  // first non-empty bin of its own fixed pseudo-random probe sequence, which
  // keeps Pr[equal values] = Jaccard per bin.
  thread_local std::vector<uint32_t> original;
  original.assign(out, out + size_);
  for (int i = 0; i < size_; ++i) {
    if (original[i] != kEmpty) continue;
    uint32_t value = kEmpty;
    for (uint64_t attempt = 0; attempt < 4096 && value == kEmpty; ++attempt) {
      const uint64_t h = SplitMix64(seed_ ^ (static_cast<uint64_t>(i) << 32) ^ (attempt + 1));
      value = original[static_cast<size_t>(((h >> 32) * k) >> 32)];
    }
    for (int j = 0; value == kEmpty && j < size_; ++j) value = original[j];  // never in practice
    out[i] = value;
  }
}

double Quantile7(const std::vector<double>& sorted, double p) {
  const size_t n = sorted.size();
  if (n == 1) return sorted[0];
  double h = static_cast<double>(n - 1) * p;
  size_t lo = static_cast<size_t>(std::floor(h));
  if (lo + 1 >= n) return sorted[n - 1];
  double frac = h - static_cast<double>(lo);
  return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

namespace {

std::string WithThousands(uint64_t v) {
  std::string digits = std::to_string(v);
  std::string out;
  int lead = static_cast<int>(digits.size() % 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (static_cast<int>(i) - lead) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// value / unit rounded half up to two decimals, as "int.dd".
std::string Scaled(uint64_t value, uint64_t unit) {
  uint64_t hundredths = (value / unit) * 100 + ((value % unit) * 100 + unit / 2) / unit;
  char frac[4];
  std::snprintf(frac, sizeof frac, "%02u", static_cast<unsigned>(hundredths % 100));
  return WithThousands(hundredths / 100) + "." + frac;
}

}  // namespace

std::string FormatMoney(int64_t fen) {
  bool negative = fen < 0;
  uint64_t v = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string out = negative ? "-" : "";
  constexpr uint64_t kWan = 1000000;        // 1万元 in fen
  constexpr uint64_t kYi = 10000000000ULL;  // 1亿元 in fen
  if (v >= kYi) return out + Scaled(v, kYi) + "亿元";
  if (v >= kWan) return out + Scaled(v, kWan) + "万元";
  return out + Scaled(v, 100) + "元";
}

std::string FormatPercent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", share * 100.0 + 1e-9);
  return buf;
}

std::string FormatNumber(double v) {
  // Half away from zero on the decimal value (3.125 -> 3.13), not on the
  // binary one printf would round.
  double hundredths = std::round(v * 100.0);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", hundredths / 100.0);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

}  // namespace xuncha::patterns_internal
