#include "cli/progress.h"

#include <gtest/gtest.h>

namespace xuncha::cli {
namespace {

TEST(ProgressTest, Format) {
  EXPECT_EQ(Progress::Format("convert", 12345, 12300000, 45600000, 2.0),
            "convert: 12,345 records  6,172/s  12.3/45.6 MB  27%  ETA 0:05");
  EXPECT_EQ(Progress::Format("validate", 10, 2000000, -1, 0.5),
            "validate: 10 records  20/s  2.0 MB");
  EXPECT_EQ(Progress::Format("x", 1, 1, 100, 4000.0), "x: 1 records  0/s  0.0/0.0 MB  1%  ETA 110:00:00");
  EXPECT_EQ(GroupDigits(1234567), "1,234,567");
  EXPECT_EQ(GroupDigits(999), "999");
  EXPECT_EQ(GroupDigits(-1000), "-1,000");
}

TEST(ProgressTest, DisabledWritesNothing) {
  std::FILE* f = std::tmpfile();
  {
    Progress p("convert", 100, /*enabled=*/false, f);
    for (int i = 0; i < 100000; ++i) p.Update(i, i);
  }
  EXPECT_EQ(std::ftell(f), 0);
  std::fclose(f);
}

}  // namespace
}  // namespace xuncha::cli
