// A small deterministic fuzzer that runs in every test build (so under ASan
// and UBSan in CI): mutations of real inputs in every format must give
// records or errors, with consistent counts, and never crash. The libFuzzer
// target fuzz/finding_io_fuzz.cc does the same with coverage guidance.

#include <gtest/gtest.h>

#include <random>

#include "io/io_test_util.h"
#include "xuncha/finding_io.h"

namespace xuncha {
namespace {

const std::string kDataDir = std::string(XUNCHA_SOURCE_DIR) + "/tests/testdata/io/";

std::string Mutate(std::string s, std::mt19937& rng) {
  static const char* kTokens[] = {"\"", ",", "\r\n", "\n", "；", "{", "}", "\xE6", "\x80",
                                  "\xCE\xCA", "\x0A\x7F", "\xFF\xFF\xFF", ":"};
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 5) {
      case 0:  // flip a byte
        if (!s.empty()) s[std::min(pos, s.size() - 1)] ^= static_cast<char>(1 + rng() % 255);
        break;
      case 1:  // insert a token
        s.insert(pos, kTokens[rng() % std::size(kTokens)]);
        break;
      case 2:  // delete a run
        s.erase(pos, rng() % 16);
        break;
      case 3:  // truncate
        s.resize(pos);
        break;
      case 4:  // duplicate a run
        s.insert(pos, s.substr(pos / 2, rng() % 64));
        break;
    }
  }
  return s;
}

TEST(MutationTest, ReadersSurviveMutatedInputs) {
  testing::TempDir dir;
  // Seeds: the test files, plus a binary stream written from them.
  std::vector<std::pair<std::string, std::string>> seeds;
  for (const char* name : {"findings.jsonl", "findings_excel.csv", "findings_gbk.csv",
                           "bad.jsonl", "custom_columns.csv"}) {
    seeds.emplace_back(name, testing::ReadFileOrDie(kDataDir + name));
  }
  {
    auto r = FindingReader::Open(kDataDir + "findings.jsonl");
    ASSERT_TRUE(r.ok());
    auto w = FindingWriter::Open(dir.File("seed.pb"));
    ASSERT_TRUE(w.ok());
    v1::Finding f;
    while ((*r)->Next(&f)) ASSERT_TRUE((*w)->Write(f).ok());
    ASSERT_TRUE((*w)->Commit().ok());
    seeds.emplace_back("seed.pb", testing::ReadFileOrDie(dir.File("seed.pb")));
  }
  std::mt19937 rng(20240305);
  int64_t records = 0, errors = 0;
  for (int i = 0; i < 20000; ++i) {
    const auto& [name, data] = seeds[i % seeds.size()];
    std::string input = Mutate(data, rng);
    ReadOptions o;
    o.max_record_bytes = (i % 7 == 0) ? 40 : 4096;
    o.reject_duplicate_ids = (i % 2) == 0;
    int64_t seen_errors = 0;
    o.on_error = [&](const RecordError& e) {
      ++seen_errors;
      ASSERT_FALSE(e.message.empty());
      ASSERT_EQ(e.file, name);
    };
    auto reader = FindingReader::FromBytes(name, input, o);
    if (!reader.ok()) continue;  // a CSV header it cannot use: a Status, fine
    v1::Finding f;
    int64_t good = 0;
    while ((*reader)->Next(&f)) ++good;
    const ReadCounts& n = (*reader)->counts();
    ASSERT_TRUE((*reader)->status().ok());
    ASSERT_EQ(n.ok, good);
    ASSERT_EQ(n.rejected, seen_errors);
    ASSERT_EQ(n.read, n.ok + n.rejected);
    records += good;
    errors += seen_errors;
  }
  // The mutations exercise both paths.
  EXPECT_GT(records, 1000);
  EXPECT_GT(errors, 1000);
}

}  // namespace
}  // namespace xuncha
