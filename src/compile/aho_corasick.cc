#include "compile/aho_corasick.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <deque>

namespace xuncha::compile {

namespace {

inline uint8_t Lower(uint8_t b) { return (b >= 'A' && b <= 'Z') ? b + 32 : b; }

bool HasAsciiLetter(std::string_view s) {
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  }
  return false;
}

}  // namespace

uint32_t AhoCorasick::Add(std::string_view pattern, bool case_sensitive) {
  assert(!pattern.empty());
  patterns_.push_back(Pattern{std::string(pattern), case_sensitive && HasAsciiLetter(pattern)});
  return static_cast<uint32_t>(patterns_.size() - 1);
}

void AhoCorasick::Build() {
  // Byte classes over lowercased pattern bytes; class 0 is "in no pattern".
  uint8_t cls_of_lower[256] = {};
  num_classes_ = 1;
  for (const Pattern& p : patterns_) {
    for (unsigned char c : p.bytes) {
      uint8_t l = Lower(c);
      if (cls_of_lower[l] == 0) cls_of_lower[l] = static_cast<uint8_t>(num_classes_++);
    }
  }
  assert(num_classes_ <= 256);
  for (int b = 0; b < 256; ++b) byte_class_[b] = cls_of_lower[Lower(static_cast<uint8_t>(b))];

  // Trie with sparse children while building.
  std::vector<std::vector<std::pair<uint8_t, uint32_t>>> children(1);
  state_outputs_.assign(1, {});
  for (uint32_t pi = 0; pi < patterns_.size(); ++pi) {
    uint32_t s = 0;
    for (unsigned char c : patterns_[pi].bytes) {
      uint8_t k = byte_class_[c];
      uint32_t next = 0;
      bool found = false;
      for (auto& [kk, child] : children[s]) {
        if (kk == k) {
          next = child;
          found = true;
          break;
        }
      }
      if (!found) {
        next = static_cast<uint32_t>(children.size());
        children.emplace_back();
        state_outputs_.emplace_back();
        children[s].emplace_back(k, next);
      }
      s = next;
    }
    state_outputs_[s].push_back(pi);
  }
  num_states_ = static_cast<uint32_t>(children.size());

  // Breadth-first: failure links and the full goto table.
  delta_.assign(static_cast<size_t>(num_states_) * num_classes_, 0);
  std::vector<uint32_t> fail(num_states_, 0);
  std::deque<uint32_t> queue;
  for (auto& [k, child] : children[0]) {
    delta_[k] = child;
    fail[child] = 0;
    queue.push_back(child);
  }
  std::vector<uint32_t> order;
  order.reserve(num_states_);
  order.push_back(0);
  while (!queue.empty()) {
    uint32_t s = queue.front();
    queue.pop_front();
    order.push_back(s);
    uint32_t* row = &delta_[static_cast<size_t>(s) * num_classes_];
    const uint32_t* fail_row = &delta_[static_cast<size_t>(fail[s]) * num_classes_];
    std::memcpy(row, fail_row, sizeof(uint32_t) * num_classes_);
    for (auto& [k, child] : children[s]) {
      fail[child] = fail_row[k];
      row[k] = child;
      queue.push_back(child);
    }
  }

  out_link_.assign(num_states_, -1);
  next_out_.assign(num_states_, -1);
  for (uint32_t s : order) {  // parents' failure targets come first in BFS order
    if (!state_outputs_[s].empty()) {
      out_link_[s] = static_cast<int32_t>(s);
    } else if (s != 0) {
      out_link_[s] = out_link_[fail[s]];
    }
    if (s != 0) next_out_[s] = out_link_[fail[s]];
    // Longer patterns first at one end offset: the state's own outputs are
    // all of the same length, so nothing to sort within a state.
  }

  // Tag transitions into states with output; narrow the table if it fits.
  if (num_states_ < (1u << 15)) {
    delta16_.resize(delta_.size());
    for (size_t i = 0; i < delta_.size(); ++i) {
      uint32_t t = delta_[i];
      delta16_[i] = static_cast<uint16_t>(t | (out_link_[t] >= 0 ? 0x8000u : 0));
    }
    delta_.clear();
    delta_.shrink_to_fit();
  } else {
    for (uint32_t& t : delta_) t |= (out_link_[t] >= 0 ? 0x80000000u : 0);
  }
}

template <typename T>
void AhoCorasick::ScanWith(const T* delta, std::string_view text, std::vector<Match>* out) const {
  constexpr T kOutput = T(1) << (sizeof(T) * 8 - 1);
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  const size_t nc = num_classes_;
  T s = 0;
  for (size_t i = 0; i < n; ++i) {
    s = delta[static_cast<size_t>(s & ~kOutput) * nc + byte_class_[p[i]]];
    if (__builtin_expect((s & kOutput) == 0, 1)) continue;
    int32_t t = out_link_[s & ~kOutput];
    while (t >= 0) {
      for (uint32_t pi : state_outputs_[t]) {
        const Pattern& pat = patterns_[pi];
        uint32_t begin = static_cast<uint32_t>(i + 1 - pat.bytes.size());
        if (pat.verify && std::memcmp(p + begin, pat.bytes.data(), pat.bytes.size()) != 0) continue;
        out->push_back(Match{pi, begin});
      }
      t = next_out_[t];
    }
  }
}

void AhoCorasick::Scan(std::string_view text, std::vector<Match>* out) const {
  if (num_states_ == 0) return;
  if (!delta16_.empty()) {
    ScanWith(delta16_.data(), text, out);
  } else {
    ScanWith(delta_.data(), text, out);
  }
}

size_t AhoCorasick::memory_bytes() const {
  size_t bytes = delta_.size() * sizeof(uint32_t) + delta16_.size() * sizeof(uint16_t) +
                 out_link_.size() * 8;
  for (const auto& v : state_outputs_) bytes += v.capacity() * sizeof(uint32_t) + sizeof(v);
  for (const auto& p : patterns_) bytes += p.bytes.capacity() + sizeof(p);
  return bytes;
}

}  // namespace xuncha::compile
