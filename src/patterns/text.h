// Internal to src/patterns/: text keys, shingles, MinHash, quantiles and the
// Chinese number formats of pattern summaries. The public doors are
// include/xuncha/patterns.h and include/xuncha/reconcile.h.
//
// Design note on hashing. Everything here must give the same values on every
// machine and in every process (reports are compared byte for byte, states are
// shipped between processes), so std::hash is never used. A shingle of n code
// points is hashed with a seeded 64-bit FNV-1a over the code points, finished
// with the splitmix64 mixer, and kept as its upper 32 bits: within one
// finding (tens to hundreds of shingles) a 32-bit collision is ~1e-6 likely,
// so Jaccard on these hash sets is exact for practical purposes. The MinHash
// signature is one permutation hashing with optimal densification
// (Shrivastava, ICML 2017): each shingle is hashed once (splitmix64 with the
// seed) into one of k bins, a bin keeps its minimum, and empty bins borrow
// from a fixed per-bin probe sequence. Pr[two signatures agree in a bin] is
// the Jaccard similarity, as for k independent permutations, at 1/k of the
// cost (k multiply-adds per shingle were a tenth of Add's time).

#ifndef XUNCHA_PATTERNS_TEXT_H_
#define XUNCHA_PATTERNS_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xuncha::patterns_internal {

inline uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// True for whitespace and punctuation (ASCII, general punctuation, CJK
// symbols and punctuation, full-width forms): what name keys and shingles
// ignore.
bool IsSpaceOrPunct(char32_t cp);

// The code points of `text` that carry content: width folded, whitespace and
// punctuation dropped, ASCII letters lower-cased.
std::u32string ContentChars(std::string_view text);

// Sorted distinct hashes of the n-code-point shingles of ContentChars(text).
// A text shorter than n (but not empty) is one shingle. Clears *out first.
void ShingleHashes(std::string_view text, int n, uint64_t seed, std::vector<uint32_t>* out);

// Jaccard similarity of two sorted distinct sets; 0 when both are empty.
double Jaccard(const uint32_t* a, size_t na, const uint32_t* b, size_t nb);

// Thread-compatible; immutable after construction.
class MinHasher {
 public:
  MinHasher(int size, uint64_t seed);
  int size() const { return size_; }
  // Writes size() values to out. An empty set gives all 0xffffffff.
  void Sign(const uint32_t* shingles, size_t n, uint32_t* out) const;

 private:
  int size_;
  uint64_t seed_;
};

// Quantile of sorted values, type 7 of Hyndman & Fan (R's and NumPy's
// default): h = (n-1)p, linear interpolation between x[floor h] and the next.
// REQUIRES: !sorted.empty()
double Quantile7(const std::vector<double>& sorted, double p);

// Money in report style, exact from fen: "3,200.00元" below 1万元, "520.00万元"
// from 1万元 (rounded half up to 0.01万元), "1.25亿元" from 1亿元.
std::string FormatMoney(int64_t fen);
// A share as a percentage with one decimal: 0.5833 -> "58.3%".
std::string FormatPercent(double share);
// A double with up to two decimals, trailing zeros trimmed: 3.5, 12, 0.83.
std::string FormatNumber(double v);

}  // namespace xuncha::patterns_internal

#endif  // XUNCHA_PATTERNS_TEXT_H_
