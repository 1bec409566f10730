// Text models (expr/text_model.h): normalization, scoring against a
// brute-force reference, softmax stability, ties, the per-finding cache.

#include "expr/text_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/utf8.h"

namespace xuncha::expr {
namespace {

v1::TextModel Model(std::vector<std::string> labels, std::vector<double> bias, int min_n,
                    int max_n) {
  v1::TextModel m;
  m.set_name("m");
  for (auto& l : labels) m.add_label(l);
  for (double b : bias) m.add_bias(b);
  m.set_min_n(min_n);
  m.set_max_n(max_n);
  return m;
}

void AddFeature(v1::TextModel* m, const std::string& gram, std::vector<int> labels,
                std::vector<double> weights) {
  auto* f = m->add_feature();
  f->set_gram(gram);
  for (int l : labels) f->add_label_index(l);
  for (double w : weights) f->add_weight(w);
}

ModelScore ScoreOf(const v1::TextModel& proto, std::string_view text) {
  ModelScore s;
  TextModel::Build(proto)->Score(text, &s);
  return s;
}

// --- the reference: written for clarity, not speed ------------------------

std::u32string RefNormalize(std::string_view text) {
  std::u32string out;
  for (size_t i = 0; i < text.size();) {
    char32_t c = utf8::Decode(text, &i);
    if (c >= U'！' && c <= U'～') c = c - U'！' + U'!';
    if (c == U'\u3000') c = U' ';
    const bool digit = c >= U'0' && c <= U'9';
    if (digit && !out.empty() && out.back() == U'\x1') continue;  // inside a run
    out.push_back(digit ? U'\x1' : c);
  }
  for (char32_t& c : out) {
    if (c == U'\x1') c = U'0';
  }
  return out;
}

std::string ToUtf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) utf8::Append(c, &out);
  return out;
}

struct RefScore {
  std::vector<double> score, prob;
  uint32_t top = 0;
};

RefScore Reference(const v1::TextModel& m, std::string_view text) {
  const std::u32string t = RefNormalize(text);
  std::set<std::string> grams;
  for (int n = m.min_n(); n <= m.max_n(); ++n) {
    for (size_t i = 0; i + static_cast<size_t>(n) <= t.size(); ++i) grams.insert(ToUtf8(t.substr(i, n)));
  }
  RefScore r;
  r.score.assign(m.bias().begin(), m.bias().end());
  std::vector<double> found(r.score.size(), 0.0);
  for (const auto& f : m.feature()) {
    if (grams.count(f.gram()) == 0) continue;
    for (int k = 0; k < f.label_index_size(); ++k) r.score[f.label_index(k)] += f.weight(k);
    for (int l = 0; l < m.feature_bias_size(); ++l) found[l] += 1;
  }
  for (int l = 0; l < m.feature_bias_size(); ++l) r.score[l] += found[l] * m.feature_bias(l);
  for (uint32_t l = 0; l < r.score.size(); ++l) {
    if (r.score[l] > r.score[r.top]) r.top = l;
  }
  double sum = 0;
  for (double s : r.score) sum += std::exp(s - r.score[r.top]);
  for (double s : r.score) r.prob.push_back(std::exp(s - r.score[r.top]) / sum);
  return r;
}

// --- normalization ---------------------------------------------------------

TEST(TextModelTest, NormalizationFoldsFullWidthAndCollapsesDigitRuns) {
  EXPECT_EQ(NormalizeModelText("ＡＢｃ，１２３万元"), "ABc,0万元");
  EXPECT_EQ(NormalizeModelText("合同2023年第45号"), "合同0年第0号");
  EXPECT_EQ(NormalizeModelText("12３4"), "0");           // one run across widths
  EXPECT_EQ(NormalizeModelText("a1b22c"), "a0b0c");
  EXPECT_EQ(NormalizeModelText("全角\u3000空格"), "全角 空格");
  EXPECT_EQ(NormalizeModelText("采购。"), "采购。");     // Chinese punctuation stays
  EXPECT_EQ(NormalizeModelText(""), "");
}

TEST(TextModelTest, GramsAreMatchedOnTheNormalizedText) {
  v1::TextModel m = Model({"yes", "no"}, {0, 0}, 1, 3);
  AddFeature(&m, "第0号", {0}, {2.0});
  AddFeature(&m, "AB", {0}, {1.0});
  ModelScore s = ScoreOf(m, "合同第１２号，ＡＢ公司");
  EXPECT_EQ(s.score[0], 3.0);
  EXPECT_EQ(s.hits.size(), 2u);
}

TEST(TextModelTest, EachGramCountsOnceHoweverOftenItOccurs) {
  v1::TextModel m = Model({"a", "b"}, {0.5, 0}, 2, 2);
  AddFeature(&m, "采购", {1}, {1.25});
  ModelScore s = ScoreOf(m, "采购采购采购");
  EXPECT_EQ(s.score[0], 0.5);
  EXPECT_EQ(s.score[1], 1.25);
  EXPECT_EQ(s.top, 1u);
}

TEST(TextModelTest, FeatureBiasCountsOnceForEveryDistinctFeatureFound) {
  v1::TextModel m = Model({"a", "b"}, {0.5, 0}, 2, 2);
  m.add_feature_bias(-1);
  m.add_feature_bias(-0.25);
  AddFeature(&m, "采购", {1}, {1.25});
  AddFeature(&m, "询价", {0}, {2});
  // 采购 thrice and 询价 once are two features found; 价格 is no feature.
  ModelScore s = ScoreOf(m, "采购采购询价采购价格");
  EXPECT_EQ(s.hits.size(), 2u);
  EXPECT_EQ(s.score[0], 0.5 + 2 + 2 * -1.0);
  EXPECT_EQ(s.score[1], 0 + 1.25 + 2 * -0.25);
  // No feature found: the biases alone.
  s = ScoreOf(m, "天气");
  EXPECT_EQ(s.score[0], 0.5);
  EXPECT_EQ(s.score[1], 0.0);
}

TEST(TextModelTest, OnlyGramsOfTheConfiguredLengthsAreLookedUp) {
  v1::TextModel m = Model({"a", "b"}, {0, 0}, 2, 3);
  AddFeature(&m, "采购", {0}, {1.0});
  // A one-character gram can never be one of its n-grams (the checker
  // rejects it); it must not be found either.
  auto* f = m.add_feature();
  f->set_gram("采");
  f->add_label_index(1);
  f->add_weight(5.0);
  ModelScore s = ScoreOf(m, "采购");
  EXPECT_EQ(s.score[0], 1.0);
  EXPECT_EQ(s.score[1], 0.0);
}

// --- softmax and ties ------------------------------------------------------

TEST(TextModelTest, SoftmaxIsStableWithLargeScores) {
  v1::TextModel m = Model({"a", "b", "c"}, {1000, 999, -1000}, 1, 1);
  ModelScore s = ScoreOf(m, "x");
  for (double p : s.prob) EXPECT_TRUE(std::isfinite(p));
  EXPECT_NEAR(s.prob[0], 1 / (1 + std::exp(-1.0)), 1e-15);
  EXPECT_NEAR(s.prob[1], std::exp(-1.0) / (1 + std::exp(-1.0)), 1e-15);
  EXPECT_EQ(s.prob[2], 0.0);
  EXPECT_EQ(s.top, 0u);

  v1::TextModel big = Model({"a", "b"}, {-1e300, 1e300}, 1, 1);
  ModelScore t = ScoreOf(big, "x");
  EXPECT_EQ(t.prob[0], 0.0);
  EXPECT_EQ(t.prob[1], 1.0);
}

TEST(TextModelTest, TiesGoToTheLowestLabelIndex) {
  v1::TextModel m = Model({"a", "b", "c"}, {0, 2, 2}, 1, 1);
  ModelScore s = ScoreOf(m, "x");
  EXPECT_EQ(s.top, 1u);
  EXPECT_EQ(s.prob[1], s.prob[2]);
  v1::TextModel flat = Model({"a", "b"}, {0, 0}, 1, 1);
  EXPECT_EQ(ScoreOf(flat, "").top, 0u);
  EXPECT_EQ(ScoreOf(flat, "").prob[0], 0.5);
}

// --- the property: scoring equals the reference ----------------------------

TEST(TextModelTest, ScoringEqualsBruteForceOnRandomModelsAndTexts) {
  const std::vector<std::string> alphabet = {"招", "标", "采", "购", "询", "价", "a", "B", "Ａ",
                                             "ｂ", "1", "２", "0", "，", ",", " ", "\u3000", "。"};
  // Grams are drawn from normalized characters only (the checker requires it).
  const std::vector<std::string> gram_chars = {"招", "标", "采", "购", "询", "价", "a",
                                               "B",  "A",  "b",  "0", ",", " ", "。"};
  std::mt19937 rng(20261128);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::uniform_real_distribution<double> weight(-3, 3);
  int checked = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const int labels = 1 + static_cast<int>(pick(5));
    const int min_n = 1 + static_cast<int>(pick(4));
    const int max_n = min_n + static_cast<int>(pick(static_cast<size_t>(5 - min_n)));
    std::vector<std::string> names;
    std::vector<double> bias;
    for (int l = 0; l < labels; ++l) {
      names.push_back("l" + std::to_string(l));
      bias.push_back(weight(rng));
    }
    v1::TextModel m = Model(names, bias, min_n, max_n);
    if (trial % 2 == 1) {  // half the models keep their weights sparse with feature biases
      for (int l = 0; l < labels; ++l) m.add_feature_bias(weight(rng));
    }
    std::set<std::string> used;
    const int features = static_cast<int>(pick(60));
    for (int f = 0; f < features; ++f) {
      const int n = min_n + static_cast<int>(pick(static_cast<size_t>(max_n - min_n + 1)));
      std::string gram;
      for (int k = 0; k < n; ++k) gram += gram_chars[pick(gram_chars.size())];
      // "00" is not normalized: skip grams with adjacent zeros.
      if (NormalizeModelText(gram) != gram || !used.insert(gram).second) continue;
      std::vector<int> idx;
      std::vector<double> w;
      for (int l = 0; l < labels; ++l) {
        if (pick(2) == 0) {
          idx.push_back(l);
          w.push_back(weight(rng));
        }
      }
      AddFeature(&m, gram, idx, w);
    }
    auto model = TextModel::Build(m);
    for (int t = 0; t < 10; ++t) {
      std::string text;
      const size_t len = pick(40);
      for (size_t k = 0; k < len; ++k) text += alphabet[pick(alphabet.size())];
      ModelScore got;
      model->Score(text, &got);
      RefScore want = Reference(m, text);
      ASSERT_EQ(got.score, want.score) << "trial " << trial << " text " << text;
      ASSERT_EQ(got.prob, want.prob) << "trial " << trial << " text " << text;
      ASSERT_EQ(got.top, want.top) << "trial " << trial << " text " << text;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3000);
}

// --- the table and the cache -----------------------------------------------

TEST(TextModelTest, TableFindsModelsAndLabels) {
  ModelTable table;
  v1::TextModel a = Model({"x", "y"}, {0, 0}, 1, 1);
  a.set_name("a");
  v1::TextModel b = Model({"p"}, {0}, 1, 1);
  b.set_name("b");
  table.Add(TextModel::Build(a));
  table.Add(TextModel::Build(b));
  EXPECT_EQ(table.Find("b"), 1u);
  EXPECT_EQ(table.Find("c"), std::nullopt);
  EXPECT_EQ(table.model(0).LabelIndex("y"), 1u);
  EXPECT_EQ(table.model(0).LabelIndex("z"), std::nullopt);
}

TEST(TextModelTest, CacheScoresEachModelOncePerText) {
  ModelTable table;
  v1::TextModel a = Model({"x", "y"}, {0, 0}, 1, 1);
  AddFeature(&a, "甲", {1}, {1.0});
  table.Add(TextModel::Build(a));
  ModelCache cache(&table);
  cache.Reset("甲乙");
  EXPECT_FALSE(cache.scored(0));
  EXPECT_EQ(cache.scorings(), 0u);
  EXPECT_EQ(cache.Get(0).top, 1u);
  EXPECT_EQ(cache.Get(0).top, 1u);
  EXPECT_EQ(cache.scorings(), 1u);
  cache.Reset("乙");
  EXPECT_FALSE(cache.scored(0));
  EXPECT_EQ(cache.Get(0).top, 0u);
  EXPECT_EQ(cache.scorings(), 2u);
}

}  // namespace
}  // namespace xuncha::expr
