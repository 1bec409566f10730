// Internal: a multi-literal matcher (Aho-Corasick, compiled to a full DFA over
// byte classes) — the literal prefilter of the engine's one pass over a text.
//
// Design note. Findings are short (~150 code points, ~450 bytes of UTF-8),
// and a rule set of 1,000 rules has a few thousand literal terms. The goto
// function is precomputed for every state and byte class, so the scan is one
// table load per byte with no failure-link loop; bytes that occur in no
// pattern share one class, which keeps the table small (Chinese terms use
// about 70 distinct bytes). Matching is on ASCII-lowercased bytes, because
// RE2's prefilter atoms are lowercase; a term that contains ASCII letters is
// verified against the original bytes before it is reported, so terms stay
// case-sensitive.

#ifndef XUNCHA_COMPILE_AHO_CORASICK_H_
#define XUNCHA_COMPILE_AHO_CORASICK_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xuncha::compile {

// Immutable after Build(); Scan() is thread-safe.
class AhoCorasick {
 public:
  struct Match {
    uint32_t pattern;  // index in the order patterns were added
    uint32_t begin;    // byte offset of the first byte
  };

  // Adds a pattern; returns its index. Empty patterns are not allowed.
  // `case_sensitive`: report only where the original bytes are equal (the
  // automaton itself runs on ASCII-lowercased bytes).
  uint32_t Add(std::string_view pattern, bool case_sensitive = true);
  void Build();

  // Appends every occurrence (overlapping ones too) in order of their end
  // offset (for one end offset, longer patterns first).
  void Scan(std::string_view text, std::vector<Match>* out) const;

  size_t pattern_count() const { return patterns_.size(); }
  size_t state_count() const { return num_states_; }
  size_t memory_bytes() const;

 private:
  struct Pattern {
    std::string bytes;
    bool verify;  // has ASCII letters and is case-sensitive
  };
  std::vector<Pattern> patterns_;
  uint8_t byte_class_[256] = {};
  uint32_t num_classes_ = 0;
  uint32_t num_states_ = 0;
  // The goto table, [state * num_classes_ + class] → next state, with the
  // top bit set when patterns end at the next state (or on its failure
  // chain), so the scan loop makes one load per byte. 16-bit entries while
  // the automaton has fewer than 32,768 states (it then fits in cache far
  // better), 32-bit otherwise.
  std::vector<uint16_t> delta16_;
  std::vector<uint32_t> delta_;
  template <typename T>
  void ScanWith(const T* delta, std::string_view text, std::vector<Match>* out) const;
  // out_link_[s]: s if patterns end at s, else the nearest state on its
  // failure chain where some do, else -1. next_out_[t] continues the chain.
  std::vector<int32_t> out_link_;
  std::vector<int32_t> next_out_;
  std::vector<std::vector<uint32_t>> state_outputs_;  // patterns ending exactly at a state
};

}  // namespace xuncha::compile

#endif  // XUNCHA_COMPILE_AHO_CORASICK_H_
