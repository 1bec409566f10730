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
      regex_result_(plan->predicates->regex_count(), 0) {}

void FastOracle::Reset(std::string_view text, uint32_t epoch,
                       std::vector<compile::AhoCorasick::Match>* buffer) {
  text_ = text;
  epoch_ = epoch;
  char_index_built_ = false;
  money_marker_seen_ = false;
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

  if (plan_->filtered != nullptr) {
    std::sort(atoms_hit_.begin(), atoms_hit_.end());
    atoms_hit_.erase(std::unique(atoms_hit_.begin(), atoms_hit_.end()), atoms_hit_.end());
    plan_->filtered->AllPotentials(atoms_hit_, &potentials_);
    std::sort(potentials_.begin(), potentials_.end());
    potentials_.erase(std::unique(potentials_.begin(), potentials_.end()), potentials_.end());
    for (int r : potentials_) regex_potential_epoch_[r] = epoch;
  }
}

std::span<const uint32_t> FastOracle::Occurrences(uint32_t term_id) {
  if (term_id >= term_epoch_.size() || term_epoch_[term_id] != epoch_) return {};
  return std::span<const uint32_t>(positions_.data() + term_begin_[term_id], term_count_[term_id]);
}

StatusOr<bool> FastOracle::RegexMatches(uint32_t regex_id) {
  if (regex_potential_epoch_[regex_id] != epoch_) return false;  // its atoms did not occur
  if (regex_result_epoch_[regex_id] != epoch_) {
    // RE2 falls back from its DFA to the NFA when the DFA's memory budget
    // runs out, so a search answers correctly or the regex would not have
    // compiled; there is no silent "no match" to guard against here.
    regex_result_[regex_id] = RE2::PartialMatch(text_, plan_->predicates->regex(regex_id)) ? 1 : 0;
    regex_result_epoch_[regex_id] = epoch_;
  }
  return regex_result_[regex_id] != 0;
}

uint32_t FastOracle::CharIndex(uint32_t byte_offset) {
  if (!char_index_built_) {
    char_index_.assign(text_.size() + 1, 0);
    uint32_t chars = 0;
    size_t i = 0;
    while (i < text_.size()) {
      size_t start = i;
      utf8::Decode(text_, &i);
      for (size_t k = start; k < i; ++k) char_index_[k] = chars;
      ++chars;
    }
    char_index_[text_.size()] = chars;
    char_index_built_ = true;
  }
  return char_index_[std::min<size_t>(byte_offset, text_.size())];
}

Scratch::Scratch(const Plan* p)
    : plan(p),
      oracle(p),
      predicate_cache(p->predicates->size(), -1),
      rule_epoch(p->rules.size(), 0) {}

}  // namespace xuncha::match_internal
