// Internal: learned text models that conditions consult (model_label,
// model_prob) — a linear classifier over the character n-grams of a
// finding's text, written into rule files as xuncha.v1.TextModel (see
// rules.proto for the format and the scoring). The public door is
// include/xuncha/compiler.h; this header is for src/check, src/compile,
// src/expr and src/match.
//
//   auto model = TextModel::Build(proto);          // at compile time
//   ModelScore s;
//   model->Score(finding.text(), &s);               // s.top, s.prob[l]
//
// Design note: the cost of a finding. Scoring looks up every n-gram of the
// normalized text — O(text length × (max_n − min_n + 1)) probes of an
// open-addressing table keyed by a 64-bit hash of the gram's bytes (a hit is
// confirmed against the stored bytes) — then sums the weights of the
// distinct features found, in ascending feature order, so the result does
// not depend on the text's order of n-grams and is the same bit for bit on
// every thread. The matcher scores a model lazily, the first time a
// condition of the finding asks (ModelCache), so a rule set whose
// conditions never read a model pays nothing.

#ifndef XUNCHA_EXPR_TEXT_MODEL_H_
#define XUNCHA_EXPR_TEXT_MODEL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xuncha/v1/rules.pb.h"

namespace xuncha::expr {

// Limits of one model, diagnosed by the rule checker ([limit-model-*]).
inline constexpr uint32_t kMaxModelLabels = 256;
inline constexpr uint32_t kMaxModelFeatures = 2000000;
inline constexpr int kMaxModelN = 4;

// The text as models see it: full-width ASCII folded to half width
// (utf8::FoldWidth) and every run of ASCII digits replaced by one "0".
std::string NormalizeModelText(std::string_view text);

// The outcome of scoring one text with one model.
struct ModelScore {
  std::vector<double> score;   // per label: bias + weights of the features found
  std::vector<double> prob;    // per label: softmax(score)
  uint32_t top = 0;            // highest score; ties: the lowest index
  std::vector<uint32_t> hits;  // features whose gram occurs, ascending
  // Buffers reused from one scoring to the next.
  std::string normalized;
  std::vector<uint32_t> char_starts;
};

// One compiled model. Immutable, thread-safe.
class TextModel {
 public:
  // Builds the lookup table. Tolerant of a model the checker rejects (the
  // engine is not built then): n is clamped to 1..4, a repeated gram keeps
  // its first feature, weights with an out-of-range label index or without
  // a partner in the other list are left out, missing biases are 0.
  static std::unique_ptr<TextModel> Build(const v1::TextModel& proto);

  const std::string& name() const { return name_; }
  const std::vector<std::string>& labels() const { return labels_; }
  // The index of `label`, or nullopt.
  std::optional<uint32_t> LabelIndex(std::string_view label) const;
  int min_n() const { return min_n_; }
  int max_n() const { return max_n_; }
  size_t feature_count() const { return gram_begin_.size() - 1; }
  std::string_view gram(uint32_t feature) const {
    return std::string_view(grams_).substr(gram_begin_[feature],
                                           gram_begin_[feature + 1] - gram_begin_[feature]);
  }
  // The weight feature `feature` gives `label` (0 when it names none).
  double Weight(uint32_t feature, uint32_t label) const;
  // What finding feature `feature` adds to `label`'s score: its weight plus
  // the label's feature bias.
  double Contribution(uint32_t feature, uint32_t label) const {
    return Weight(feature, label) + (feature_bias_.empty() ? 0.0 : feature_bias_[label]);
  }

  // Scores `text` (as written; normalized here) into *out, reusing its
  // buffers. REQUIRES: labels() non-empty.
  void Score(std::string_view text, ModelScore* out) const;

 private:
  TextModel() = default;
  // The feature whose gram is `gram` (hash `h`), or kNone.
  uint32_t Find(uint64_t h, std::string_view gram) const;

  static constexpr uint32_t kNone = UINT32_MAX;

  std::string name_;
  std::vector<std::string> labels_;
  int min_n_ = 1, max_n_ = 1;
  std::vector<double> bias_;
  std::vector<double> feature_bias_;   // empty, or per label: once per feature found
  std::string grams_;                  // all grams, concatenated
  std::vector<uint32_t> gram_begin_;   // feature f: grams_[gram_begin_[f], gram_begin_[f+1])
  std::vector<uint32_t> weight_begin_; // feature f: entries [weight_begin_[f], weight_begin_[f+1])
  std::vector<uint32_t> weight_label_;
  std::vector<double> weight_value_;
  // Open addressing, linear probing, at most half full; the hash and the
  // feature side by side so that a miss costs one cache line.
  struct Slot {
    uint64_t hash = 0;
    uint32_t feature = kNone;
  };
  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
};

// The models of one rule set, by dense id in declaration order. Immutable
// after compiling.
class ModelTable {
 public:
  // Returns the new model's id.
  uint32_t Add(std::unique_ptr<TextModel> model);
  // The id of the model named `name`, or nullopt (the first, if repeated).
  std::optional<uint32_t> Find(std::string_view name) const;
  const TextModel& model(uint32_t id) const { return *models_[id]; }
  size_t size() const { return models_.size(); }

 private:
  std::vector<std::unique_ptr<TextModel>> models_;
};

// The scores of one finding's text, each model scored the first time it is
// asked for. Owned by a Matcher's scratch and reset per finding, like the
// predicate cache. Not thread-safe.
class ModelCache {
 public:
  explicit ModelCache(const ModelTable* table);
  // Forgets the scores; `text` must outlive the next Reset().
  void Reset(std::string_view text);
  // REQUIRES: model_id < table->size().
  const ModelScore& Get(uint32_t model_id);
  // Whether model `model_id` has been scored since the last Reset().
  bool scored(uint32_t model_id) const { return done_[model_id] != 0; }
  // How many times any model was scored since construction (tests of
  // laziness).
  uint64_t scorings() const { return scorings_; }
  const ModelTable* table() const { return table_; }

 private:
  const ModelTable* table_;
  std::string_view text_;
  std::vector<ModelScore> scores_;
  std::vector<uint8_t> done_;
  uint64_t scorings_ = 0;
};

}  // namespace xuncha::expr

#endif  // XUNCHA_EXPR_TEXT_MODEL_H_
