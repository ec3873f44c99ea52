#include "base/status.h"

#include <gtest/gtest.h>

#include "base/bytes.h"

namespace attune {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ATTUNE_ASSIGN_OR_RETURN(int half, Half(x));
  return Half(half);
}

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
}

TEST(StatusTest, ContextKeepsCode) {
  Status s = Status::NotFound("entry").WithContext("show");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.detail(), "show: entry");
}

enum class TestReason { kFirst = 900, kSecond = 901 };

TEST(StatusTest, ReasonsAreTypedAndSurviveRewording) {
  const Status s = Status::Busy("locked").WithReason(TestReason::kFirst);
  EXPECT_TRUE(s.Is(TestReason::kFirst));
  EXPECT_FALSE(s.Is(TestReason::kSecond));
  EXPECT_EQ(s.reason(), 900);
  EXPECT_TRUE(s.WithDetail("other").Is(TestReason::kFirst));
  EXPECT_TRUE(s.WithContext("sync").Is(TestReason::kFirst));
  EXPECT_EQ(s.WithContext("sync").code(), StatusCode::kBusy);
  EXPECT_FALSE(Status::Busy("locked").Is(TestReason::kFirst));
  EXPECT_FALSE(Status::Ok().WithReason(TestReason::kFirst).Is(TestReason::kFirst));
  EXPECT_EQ(Status::Ok().WithReason(TestReason::kFirst).reason(), 0);
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(Quarter(8).value(), 2);
  EXPECT_EQ(Quarter(6).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Quarter(3).status().detail(), "odd");
}

TEST(HexTest, RoundTripsAndRejectsBadInput) {
  Bytes b = {0x00, 0x7f, 0xff};
  EXPECT_EQ(ToHex(b), "007fff");
  EXPECT_EQ(FromHex("007FFF").value(), b);
  EXPECT_FALSE(FromHex("abc").has_value());
  EXPECT_FALSE(FromHex("zz").has_value());
}

}  // namespace
}  // namespace attune
