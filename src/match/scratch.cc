#include "match/scratch.h"

#include <algorithm>

#include "base/utf8.h"

namespace xuncha::match_internal {

FastOracle::FastOracle(const Plan* plan)
    : plan_(plan),
      term_epoch_(plan->num_terms, 0),
      term_begin_(plan->num_terms, 0),
      term_count_(plan->num_terms, 0),
      regex_potential_epoch_(plan->predicates->regex_count(), 0),
      regex_result_epoch_(plan->predicates->regex_count(), 0),
      regex_result_(plan->predicates->regex_count(), 0),
      regex_span_(plan->predicates->regex_count()) {}

void FastOracle::Reset(std::string_view text, uint32_t epoch,
                       std::vector<compile::AhoCorasick::Match>* buffer) {
  text_ = text;
  epoch_ = epoch;
  money_marker_seen_ = false;
  char_index_built_ = false;
  terms_hit_.clear();
  atoms_hit_.clear();
  potentials_.clear();
  positions_.clear();
  sort_buffer_.clear();

  buffer->clear();
  plan_->automaton.Scan(text, buffer);

  const uint32_t num_terms = plan_->num_terms;
  const uint32_t atoms_end = num_terms + plan_->num_atoms;
  for (const auto& m : *buffer) {
    if (m.pattern < num_terms) {
      sort_buffer_.emplace_back(m.pattern, m.begin);
    } else if (m.pattern < atoms_end) {
      atoms_hit_.push_back(static_cast<int>(m.pattern - num_terms));
    } else {
      money_marker_seen_ = true;
    }
  }
  // Group occurrences by term; within a term they stay in text order
  // (equal-length matches ordered by end are ordered by begin).
  std::stable_sort(sort_buffer_.begin(), sort_buffer_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < sort_buffer_.size(); ++i) {
    uint32_t t = sort_buffer_[i].first;
    if (i == 0 || sort_buffer_[i - 1].first != t) {
      term_epoch_[t] = epoch;
      term_begin_[t] = static_cast<uint32_t>(positions_.size());
      term_count_[t] = 0;
      terms_hit_.push_back(t);
    }
    positions_.push_back(sort_buffer_[i].second);
    ++term_count_[t];
  }

  if (plan_->filtered != nullptr && !atoms_hit_.empty()) {
    std::sort(atoms_hit_.begin(), atoms_hit_.end());
    atoms_hit_.erase(std::unique(atoms_hit_.begin(), atoms_hit_.end()), atoms_hit_.end());
    plan_->filtered->AllPotentials(atoms_hit_, &potentials_);
    for (int& f : potentials_) f = static_cast<int>(plan_->filtered_regex[f]);
    std::sort(potentials_.begin(), potentials_.end());
    potentials_.erase(std::unique(potentials_.begin(), potentials_.end()), potentials_.end());
    for (int r : potentials_) regex_potential_epoch_[r] = epoch;
  }
}

std::span<const uint32_t> FastOracle::Occurrences(uint32_t term_id) {
  if (term_id >= term_epoch_.size() || term_epoch_[term_id] != epoch_) return {};
  return std::span<const uint32_t>(positions_.data() + term_begin_[term_id], term_count_[term_id]);
}

namespace {

inline bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

bool FastOracle::Windows(uint32_t regex_id) {
  const Plan::Window& w = plan_->regex_windows[regex_id];
  if (!w.bounded) return false;
  windows_.clear();
  const auto* p = reinterpret_cast<const unsigned char*>(text_.data());
  const uint32_t n = static_cast<uint32_t>(text_.size());
  for (uint32_t t : w.terms) {
    const uint32_t len = static_cast<uint32_t>(plan_->terms->term(t).size());
    for (uint32_t occ : Occurrences(t)) {
      // max_chars code points to each side (only to one side when the
      // literal starts or ends every match), snapped to character starts.
      uint32_t b = occ, chars = 0;
      if (w.prefix) chars = w.max_chars;
      while (b > 0 && chars < w.max_chars) {
        --b;
        while (b > 0 && IsContinuation(p[b])) --b;
        ++chars;
      }
      uint32_t e = occ + len;
      chars = w.suffix ? w.max_chars : 0;
      while (e < n && chars < w.max_chars) {
        ++e;
        while (e < n && IsContinuation(p[e])) ++e;
        ++chars;
      }
      windows_.emplace_back(b, e);
    }
  }
  std::sort(windows_.begin(), windows_.end());
  if (w.prefix) {  // anchored searches: one per distinct start, not merged
    windows_.erase(std::unique(windows_.begin(), windows_.end(),
                               [](const auto& a, const auto& b) { return a.first == b.first; }),
                   windows_.end());
    return true;
  }
  size_t k = 0;
  for (size_t i = 0; i < windows_.size(); ++i) {
    if (k > 0 && windows_[i].first <= windows_[k - 1].second) {
      windows_[k - 1].second = std::max(windows_[k - 1].second, windows_[i].second);
    } else {
      windows_[k++] = windows_[i];
    }
  }
  windows_.resize(k);
  return true;
}

bool FastOracle::Potential(uint32_t regex_id) {
  switch (plan_->regex_filter[regex_id]) {
    case Plan::RegexFilter::kLiterals:
      for (uint32_t t : plan_->regex_windows[regex_id].terms) {
        if (term_epoch_[t] == epoch_) return true;
      }
      return false;
    case Plan::RegexFilter::kFilteredRE2:
      return regex_potential_epoch_[regex_id] == epoch_;
    case Plan::RegexFilter::kNone:
      return true;
  }
  return true;
}

StatusOr<bool> FastOracle::RegexMatches(uint32_t regex_id) {
  if (!Potential(regex_id)) return false;  // none of its literals occurred
  if (regex_result_epoch_[regex_id] != epoch_) {
    // One search answers both questions — does it match, and where is the
    // leftmost match (the evidence, if the rule fires) — so a regex is never
    // searched twice for one finding. RE2 falls back from its DFA to the NFA
    // when the DFA's memory budget runs out, so a search answers correctly
    // (a regex that could not compile is refused by the compiler).
    const RE2& re = plan_->predicates->regex(regex_id);
    re2::StringPiece text(text_.data(), text_.size());
    re2::StringPiece m;
    bool matched = false;
    if (Windows(regex_id)) {
      // A prefix literal starts every match: search anchored at each of its
      // occurrences (windows are not merged then, see Windows()).
      const RE2::Anchor anchor =
          plan_->regex_windows[regex_id].prefix ? RE2::ANCHOR_START : RE2::UNANCHORED;
      for (const auto& [b, e] : windows_) {
        if (re.Match(text, b, e, anchor, &m, 1)) {
          matched = true;
          break;
        }
      }
    } else {
      matched = re.Match(text, 0, text.size(), RE2::UNANCHORED, &m, 1);
    }
    regex_result_[regex_id] = matched ? 1 : 0;
    if (matched) {
      uint32_t b = static_cast<uint32_t>(m.data() - text.data());
      regex_span_[regex_id] = {b, b + static_cast<uint32_t>(m.size())};
    }
    regex_result_epoch_[regex_id] = epoch_;
  }
  return regex_result_[regex_id] != 0;
}

std::optional<std::pair<uint32_t, uint32_t>> FastOracle::RegexSpan(uint32_t regex_id) {
  StatusOr<bool> matched = RegexMatches(regex_id);
  if (!matched.ok() || !*matched) return std::nullopt;
  return regex_span_[regex_id];
}

uint32_t FastOracle::CharIndex(uint32_t byte_offset) {
  // Built on first use for this finding (evidence and near() need it); a
  // byte inside a character maps to that character, the end to the count.
  if (!char_index_built_) {
    const auto* p = reinterpret_cast<const unsigned char*>(text_.data());
    const size_t n = text_.size();
    char_index_.resize(n + 1);
    uint32_t chars = 0;
    for (size_t i = 0; i < n; ++i) {
      bool start = (p[i] & 0xC0) != 0x80;
      chars += start;
      char_index_[i] = chars - 1;
    }
    char_index_[n] = chars;
    char_index_built_ = true;
  }
  return char_index_[std::min<size_t>(byte_offset, text_.size())];
}

Scratch::Scratch(const Plan* p)
    : plan(p),
      oracle(p),
      predicate_cache(p->predicates->size(), -1),
      models(p->models.get()),
      rule_epoch(p->rules.size(), 0) {}

}  // namespace xuncha::match_internal
