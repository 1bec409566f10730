// ConfusionMatrix: counts, per-class precision/recall/F1 and macro-F1.
// Undefined ratios (0/0) are 0, as scikit-learn's zero_division=0: a class
// nobody predicts has precision 0, a class nobody has has recall 0. A class
// that occurs neither as truth nor as prediction is not a class of the
// matrix at all, so it does not drag macro-F1 down.

#include "xuncha/tools.h"

namespace xuncha {

void ConfusionMatrix::Add(std::string_view truth, std::string_view predicted, int64_t n) {
  cells_[{std::string(truth), std::string(predicted)}] += n;
  truth_totals_[std::string(truth)] += n;
  predicted_totals_[std::string(predicted)] += n;
  total_ += n;
  if (truth == predicted) correct_ += n;
}

int64_t ConfusionMatrix::count(std::string_view truth, std::string_view predicted) const {
  auto it = cells_.find({std::string(truth), std::string(predicted)});
  return it == cells_.end() ? 0 : it->second;
}

double ConfusionMatrix::Accuracy() const {
  return total_ == 0 ? 0 : static_cast<double>(correct_) / total_;
}

std::vector<std::string> ConfusionMatrix::Classes() const {
  std::set<std::string> all;
  for (const auto& [k, v] : truth_totals_) all.insert(k);
  for (const auto& [k, v] : predicted_totals_) all.insert(k);
  return {all.begin(), all.end()};
}

ClassMetrics ConfusionMatrix::Metrics(std::string_view cls) const {
  ClassMetrics m;
  m.id = std::string(cls);
  if (auto it = truth_totals_.find(cls); it != truth_totals_.end()) m.support = it->second;
  if (auto it = predicted_totals_.find(cls); it != predicted_totals_.end()) m.predicted = it->second;
  m.tp = count(cls, cls);
  m.precision = m.predicted == 0 ? 0 : static_cast<double>(m.tp) / m.predicted;
  m.recall = m.support == 0 ? 0 : static_cast<double>(m.tp) / m.support;
  m.f1 = m.precision + m.recall == 0 ? 0 : 2 * m.precision * m.recall / (m.precision + m.recall);
  return m;
}

double ConfusionMatrix::MacroF1(const std::set<std::string, std::less<>>& excluded) const {
  double sum = 0;
  int n = 0;
  for (const std::string& c : Classes()) {
    if (excluded.count(c) != 0) continue;
    sum += Metrics(c).f1;
    ++n;
  }
  return n == 0 ? 0 : sum / n;
}

}  // namespace xuncha
