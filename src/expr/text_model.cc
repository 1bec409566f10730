#include "expr/text_model.h"

#include <algorithm>
#include <cmath>

#include "base/utf8.h"

namespace xuncha::expr {

namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

inline uint64_t FnvStep(uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

// FNV-1a alone leaves the low bits (the table index) poorly mixed for short
// keys; the splitmix64 finalizer spreads them.
inline uint64_t Mix(uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

inline uint64_t GramHash(std::string_view gram) { return Mix(FnvStep(kFnvOffset, gram)); }

}  // namespace

namespace {

void NormalizeInto(std::string_view text, std::string* out_string) {
  std::string& out = *out_string;
  out.clear();
  out.reserve(text.size());
  bool in_digits = false;
  for (size_t i = 0; i < text.size();) {
    char32_t cp = utf8::Decode(text, &i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
      cp -= 0xFEE0;
    } else if (cp == 0x3000) {
      cp = ' ';
    }
    if (cp >= '0' && cp <= '9') {
      if (!in_digits) out.push_back('0');
      in_digits = true;
      continue;
    }
    in_digits = false;
    utf8::Append(cp, &out);
  }
}

}  // namespace

std::string NormalizeModelText(std::string_view text) {
  std::string out;
  NormalizeInto(text, &out);
  return out;
}

std::unique_ptr<TextModel> TextModel::Build(const v1::TextModel& proto) {
  std::unique_ptr<TextModel> m(new TextModel());
  m->name_ = proto.name();
  m->labels_.assign(proto.label().begin(), proto.label().end());
  m->min_n_ = std::clamp(proto.min_n(), 1, kMaxModelN);
  m->max_n_ = std::clamp(proto.max_n(), m->min_n_, kMaxModelN);
  m->bias_.assign(m->labels_.size(), 0.0);
  for (size_t l = 0; l < m->labels_.size() && l < static_cast<size_t>(proto.bias_size()); ++l) {
    m->bias_[l] = proto.bias(static_cast<int>(l));
  }
  if (proto.feature_bias_size() > 0) {
    m->feature_bias_.assign(m->labels_.size(), 0.0);
    for (size_t l = 0; l < m->labels_.size() && l < static_cast<size_t>(proto.feature_bias_size());
         ++l) {
      m->feature_bias_[l] = proto.feature_bias(static_cast<int>(l));
    }
  }

  size_t slots = 16;
  while (slots < static_cast<size_t>(proto.feature_size()) * 2) slots *= 2;
  m->slots_.assign(slots, Slot{});
  m->mask_ = slots - 1;
  m->gram_begin_.push_back(0);
  m->weight_begin_.push_back(0);
  for (const v1::TextModel::Feature& f : proto.feature()) {
    const uint64_t h = GramHash(f.gram());
    if (m->Find(h, f.gram()) != kNone) continue;  // duplicate-gram, diagnosed
    const uint32_t id = static_cast<uint32_t>(m->gram_begin_.size() - 1);
    m->grams_ += f.gram();
    m->gram_begin_.push_back(static_cast<uint32_t>(m->grams_.size()));
    const int n = std::min(f.label_index_size(), f.weight_size());
    for (int i = 0; i < n; ++i) {
      const int32_t l = f.label_index(i);
      if (l < 0 || static_cast<size_t>(l) >= m->labels_.size()) continue;
      m->weight_label_.push_back(static_cast<uint32_t>(l));
      m->weight_value_.push_back(f.weight(i));
    }
    m->weight_begin_.push_back(static_cast<uint32_t>(m->weight_label_.size()));
    uint64_t s = h & m->mask_;
    while (m->slots_[s].feature != kNone) s = (s + 1) & m->mask_;
    m->slots_[s] = Slot{h, id};
  }
  return m;
}

uint32_t TextModel::Find(uint64_t h, std::string_view gram) const {
  for (uint64_t s = h & mask_;; s = (s + 1) & mask_) {
    const Slot& slot = slots_[s];
    if (slot.feature == kNone) return kNone;
    if (slot.hash == h && this->gram(slot.feature) == gram) return slot.feature;
  }
}

std::optional<uint32_t> TextModel::LabelIndex(std::string_view label) const {
  for (size_t i = 0; i < labels_.size(); ++i) {
    if (labels_[i] == label) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

double TextModel::Weight(uint32_t feature, uint32_t label) const {
  double w = 0;
  for (uint32_t j = weight_begin_[feature]; j < weight_begin_[feature + 1]; ++j) {
    if (weight_label_[j] == label) w += weight_value_[j];
  }
  return w;
}

void TextModel::Score(std::string_view text, ModelScore* out) const {
  NormalizeInto(text, &out->normalized);
  const std::string& norm = out->normalized;
  // Byte offset of each code point, and one past the last.
  std::vector<uint32_t>& starts = out->char_starts;
  starts.clear();
  for (size_t i = 0; i < norm.size();) {
    starts.push_back(static_cast<uint32_t>(i));
    utf8::Decode(norm, &i);
  }
  const size_t chars = starts.size();
  starts.push_back(static_cast<uint32_t>(norm.size()));

  out->hits.clear();
  const std::string_view view(norm);
  for (size_t i = 0; i < chars; ++i) {
    uint64_t state = kFnvOffset;
    for (int n = 1; n <= max_n_ && i + static_cast<size_t>(n) <= chars; ++n) {
      state = FnvStep(state, view.substr(starts[i + n - 1], starts[i + n] - starts[i + n - 1]));
      if (n < min_n_) continue;
      const std::string_view gram = view.substr(starts[i], starts[i + n] - starts[i]);
      const uint32_t f = Find(Mix(state), gram);
      if (f != kNone) out->hits.push_back(f);
    }
  }
  // The set of n-grams: each feature counts once, summed in feature order.
  std::sort(out->hits.begin(), out->hits.end());
  out->hits.erase(std::unique(out->hits.begin(), out->hits.end()), out->hits.end());

  out->score = bias_;
  out->top = 0;
  out->prob.assign(out->score.size(), 0.0);
  if (out->score.empty()) return;
  for (uint32_t f : out->hits) {
    for (uint32_t j = weight_begin_[f]; j < weight_begin_[f + 1]; ++j) {
      out->score[weight_label_[j]] += weight_value_[j];
    }
  }
  if (!feature_bias_.empty()) {
    const double found = static_cast<double>(out->hits.size());
    for (size_t l = 0; l < out->score.size(); ++l) out->score[l] += found * feature_bias_[l];
  }
  // Softmax, stable: exp(s - max) never overflows, and the top term is 1.
  uint32_t top = 0;
  for (uint32_t l = 1; l < out->score.size(); ++l) {
    if (out->score[l] > out->score[top]) top = l;
  }
  out->top = top;
  const double max = out->score[top];
  double sum = 0;
  for (size_t l = 0; l < out->score.size(); ++l) {
    out->prob[l] = std::exp(out->score[l] - max);
    sum += out->prob[l];
  }
  for (double& p : out->prob) p /= sum;
}

uint32_t ModelTable::Add(std::unique_ptr<TextModel> model) {
  models_.push_back(std::move(model));
  return static_cast<uint32_t>(models_.size() - 1);
}

std::optional<uint32_t> ModelTable::Find(std::string_view name) const {
  for (size_t i = 0; i < models_.size(); ++i) {
    if (models_[i]->name() == name) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

ModelCache::ModelCache(const ModelTable* table)
    : table_(table),
      scores_(table != nullptr ? table->size() : 0),
      done_(table != nullptr ? table->size() : 0, 0) {}

void ModelCache::Reset(std::string_view text) {
  text_ = text;
  std::fill(done_.begin(), done_.end(), 0);
}

const ModelScore& ModelCache::Get(uint32_t model_id) {
  if (!done_[model_id]) {
    table_->model(model_id).Score(text_, &scores_[model_id]);
    done_[model_id] = 1;
    ++scorings_;
  }
  return scores_[model_id];
}

}  // namespace xuncha::expr
