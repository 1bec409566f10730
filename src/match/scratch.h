// Internal: the per-thread state of a Matcher, and the engine's TextOracle
// (where each term occurred, which regexes may match) for one finding. The
// public door is include/xuncha/engine.h.
//
// Everything that changes during a classification lives here, never in the
// Plan, so one Plan serves any number of threads with no lock. Arrays indexed
// by term, regex or rule are stamped with an epoch (the finding's sequence
// number) instead of being cleared, so a finding costs what its text hits,
// not what the rule set holds.

#ifndef XUNCHA_MATCH_SCRATCH_H_
#define XUNCHA_MATCH_SCRATCH_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compile/plan.h"
#include "expr/expr.h"
#include "expr/text_model.h"
#include "xuncha/engine.h"

namespace xuncha::match_internal {

class FastOracle final : public expr::TextOracle {
 public:
  explicit FastOracle(const Plan* plan);

  // Scans `text` once and indexes what hit. Returns the money markers seen.
  void Reset(std::string_view text, uint32_t epoch, std::vector<compile::AhoCorasick::Match>* buffer);

  std::string_view text() const override { return text_; }
  std::span<const uint32_t> Occurrences(uint32_t term_id) override;
  StatusOr<bool> RegexMatches(uint32_t regex_id) override;
  uint32_t CharIndex(uint32_t byte_offset) override;
  std::optional<std::pair<uint32_t, uint32_t>> RegexSpan(uint32_t regex_id) override;

  // After Reset(): the terms that occurred (ascending ids), the regexes the
  // prefilter admits, and whether a money unit (元/万/亿) occurred.
  const std::vector<uint32_t>& terms_hit() const { return terms_hit_; }
  const std::vector<int>& regex_potentials() const { return potentials_; }
  bool money_marker_seen() const { return money_marker_seen_; }

 private:
  const Plan* plan_;
  std::string_view text_;
  uint32_t epoch_ = 0;
  std::vector<uint32_t> term_epoch_, term_begin_, term_count_;
  std::vector<uint32_t> positions_;   // occurrences grouped by term
  std::vector<uint32_t> terms_hit_;
  std::vector<int> atoms_hit_;
  std::vector<int> potentials_;
  std::vector<uint32_t> regex_potential_epoch_, regex_result_epoch_;
  std::vector<uint8_t> regex_result_;
  std::vector<std::pair<uint32_t, uint32_t>> regex_span_;  // with regex_result_ == 1
  bool money_marker_seen_ = false;
  std::vector<std::pair<uint32_t, uint32_t>> sort_buffer_;
  std::vector<std::pair<uint32_t, uint32_t>> windows_;
  std::vector<uint32_t> char_index_;  // byte offset → code-point index
  bool char_index_built_ = false;

  // The byte ranges regex `id` can match in (merged, ascending); false when
  // it must be searched in the whole text.
  bool Windows(uint32_t regex_id);
  // Whether the prefilter admits regex `id` for this text.
  bool Potential(uint32_t regex_id);
};

class Scratch {
 public:
  explicit Scratch(const Plan* plan);

  const Plan* plan;
  FastOracle oracle;
  uint32_t epoch = 0;
  std::vector<compile::AhoCorasick::Match> matches;
  std::vector<int8_t> predicate_cache;
  // The text models' scores for the current finding, computed on demand.
  expr::ModelCache models;
  std::vector<uint32_t> rule_epoch;
  std::vector<uint32_t> candidates;
  std::vector<uint32_t> fired;
  std::vector<int64_t> text_amounts;
  std::vector<RuleProfile> profile;
  std::atomic<int> in_use{0};
};

}  // namespace xuncha::match_internal

#endif  // XUNCHA_MATCH_SCRATCH_H_
