#include "compile/aho_corasick.h"

#include <random>
#include <set>

#include <gtest/gtest.h>

namespace xuncha::compile {
namespace {

std::set<std::pair<uint32_t, uint32_t>> Naive(const std::vector<std::string>& pats, std::string_view text) {
  std::set<std::pair<uint32_t, uint32_t>> out;
  for (uint32_t i = 0; i < pats.size(); ++i) {
    for (size_t pos = text.find(pats[i]); pos != std::string_view::npos; pos = text.find(pats[i], pos + 1)) {
      out.insert({i, static_cast<uint32_t>(pos)});
    }
  }
  return out;
}

std::set<std::pair<uint32_t, uint32_t>> ScanAll(const AhoCorasick& ac, std::string_view text) {
  std::vector<AhoCorasick::Match> m;
  ac.Scan(text, &m);
  std::set<std::pair<uint32_t, uint32_t>> out;
  for (auto& x : m) out.insert({x.pattern, x.begin});
  EXPECT_EQ(out.size(), m.size()) << "duplicate matches";
  return out;
}

TEST(AhoCorasickTest, FindsOverlappingChineseTerms) {
  std::vector<std::string> pats = {"招标", "未招标", "标", "公开招标", "招"};
  AhoCorasick ac;
  for (auto& p : pats) ac.Add(p);
  ac.Build();
  std::string text = "该项目未招标，后补公开招标手续";
  EXPECT_EQ(ScanAll(ac, text), Naive(pats, text));
}

TEST(AhoCorasickTest, CaseSensitiveTermsAreVerified) {
  AhoCorasick ac;
  uint32_t upper = ac.Add("EPC");
  uint32_t lower_atom = ac.Add("epc", /*case_sensitive=*/false);
  ac.Build();
  auto hits = ScanAll(ac, "某EPC总承包项目与epc");
  EXPECT_TRUE(hits.count({upper, 3}));
  EXPECT_FALSE(hits.count({upper, 24}));
  EXPECT_TRUE(hits.count({lower_atom, 3}));
  EXPECT_TRUE(hits.count({lower_atom, 24}));
}

TEST(AhoCorasickTest, AgreesWithNaiveSearchOnRandomInputs) {
  std::mt19937 rng(7);
  const std::vector<std::string> alphabet = {"招", "标", "采", "购", "未", "a", "b", "万", "元"};
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<std::string> pats;
    int np = 1 + rng() % 12;
    for (int i = 0; i < np; ++i) {
      std::string p;
      int len = 1 + rng() % 4;
      for (int j = 0; j < len; ++j) p += alphabet[rng() % alphabet.size()];
      pats.push_back(p);
    }
    AhoCorasick ac;
    for (auto& p : pats) ac.Add(p);
    ac.Build();
    std::string text;
    int tl = rng() % 40;
    for (int j = 0; j < tl; ++j) text += alphabet[rng() % alphabet.size()];
    ASSERT_EQ(ScanAll(ac, text), Naive(pats, text)) << "trial " << trial << " text " << text;
  }
}

TEST(AhoCorasickTest, EmptyAutomatonAndText) {
  AhoCorasick ac;
  ac.Build();
  std::vector<AhoCorasick::Match> m;
  ac.Scan("任何文本", &m);
  EXPECT_TRUE(m.empty());
  AhoCorasick one;
  one.Add("招标");
  one.Build();
  one.Scan("", &m);
  EXPECT_TRUE(m.empty());
}

}  // namespace
}  // namespace xuncha::compile
