#include "xuncha/status.h"

#include <cerrno>

#include <gtest/gtest.h>

namespace xuncha {
namespace {

StatusOr<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgumentError("odd: " + std::to_string(x));
  return x / 2;
}

Status UseHalf(int x, int* out) {
  XUNCHA_ASSIGN_OR_RETURN(*out, Half(x));
  return Status::OK();
}

TEST(StatusTest, OkAndErrorsPrint) {
  EXPECT_EQ(Status::OK().ToString(), "OK");
  EXPECT_EQ(InvalidArgumentError("bad").ToString(), "INVALID_ARGUMENT: bad");
  EXPECT_EQ(ErrnoError("open x", ENOENT).code(), StatusCode::kNotFound);
}

TEST(StatusTest, AssignOrReturnPropagates) {
  int out = 0;
  EXPECT_TRUE(UseHalf(8, &out).ok());
  EXPECT_EQ(out, 4);
  Status s = UseHalf(3, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "odd: 3");
}

}  // namespace
}  // namespace xuncha
