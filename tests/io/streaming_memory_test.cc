// Readers are streaming: resident memory after 200k records is what it was
// after 10k. The check is shown to be sensitive by the one thing that is
// meant to grow: the set of seen ids for duplicate detection.

#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "io/io_test_util.h"
#include "xuncha/finding_io.h"

namespace xuncha {
namespace {

using testing::TempDir;

int64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * ::sysconf(_SC_PAGESIZE);
}

v1::Finding Sample(int i) {
  v1::Finding f;
  f.set_id("XC-" + std::to_string(i));
  f.mutable_unit()->set_name("某集团第" + std::to_string(i % 97) + "分公司");
  f.set_text("(虚构) 该公司检修分部将厂区道路修补拆成三份合同交同一施工队，合计约520万元，均未招标；"
             "另有办公楼外立面改造先实施后招标，验收单事后补签，供应商资质审核不严。");
  f.mutable_amount()->set_fen(520000000 + i);
  f.set_found_on("2024-03-05");
  f.add_tags("化整为零");
  return f;
}

// Writes n findings in the given format, quickly.
void Generate(const std::string& path, int n) {
  WriteOptions o;
  auto w = FindingWriter::Open(path, o);
  ASSERT_TRUE(w.ok());
  for (int i = 0; i < n; ++i) ASSERT_TRUE((*w)->Write(Sample(i)).ok());
  ASSERT_TRUE((*w)->Commit().ok());
}

// Resident growth between record `warm` and the end.
int64_t Growth(const std::string& path, int n, bool check_duplicates) {
  ReadOptions o;
  o.reject_duplicate_ids = check_duplicates;
  auto r = FindingReader::Open(path, o);
  EXPECT_TRUE(r.ok());
  v1::Finding f;
  const int warm = n / 20;
  int64_t at_warm = 0;
  int count = 0;
  while ((*r)->Next(&f)) {
    if (++count == warm) at_warm = ResidentBytes();
  }
  EXPECT_EQ(count, n);
  EXPECT_EQ((*r)->counts().rejected, 0);
  return ResidentBytes() - at_warm;
}

constexpr int64_t kBound = 4 << 20;

// AddressSanitizer keeps freed memory in quarantine, so resident memory
// grows with every allocation there; the measurement means nothing then.
#if defined(__SANITIZE_ADDRESS__)
#define XUNCHA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XUNCHA_ASAN 1
#endif
#endif
#ifdef XUNCHA_ASAN
#define SKIP_UNDER_ASAN() GTEST_SKIP() << "resident memory is not meaningful under ASan"
#else
#define SKIP_UNDER_ASAN() (void)0
#endif

TEST(StreamingMemoryTest, BinaryFlat) {
  SKIP_UNDER_ASAN();
  TempDir dir;
  const int n = 200000;
  Generate(dir.File("big.pb"), n);
  int64_t growth = Growth(dir.File("big.pb"), n, /*check_duplicates=*/false);
  EXPECT_LT(growth, kBound) << "grew " << growth << " bytes over " << n << " records";
  // Sensitivity: the id set (200k ids) does grow, and the check sees it.
  int64_t with_ids = Growth(dir.File("big.pb"), n, /*check_duplicates=*/true);
  EXPECT_GT(with_ids, kBound) << "the measurement should see the id set grow";
}

TEST(StreamingMemoryTest, CsvAndJsonLinesFlat) {
  SKIP_UNDER_ASAN();
  TempDir dir;
  for (const char* name : {"big.csv", "big.jsonl"}) {
    SCOPED_TRACE(name);
    const int n = std::string(name) == "big.csv" ? 100000 : 50000;
    Generate(dir.File(name), n);
    int64_t growth = Growth(dir.File(name), n, /*check_duplicates=*/false);
    EXPECT_LT(growth, kBound) << "grew " << growth << " bytes over " << n << " records";
  }
}

}  // namespace
}  // namespace xuncha
