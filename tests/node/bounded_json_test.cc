#include "node/journal/bounded_json.h"

#include <gtest/gtest.h>

#include <string>

namespace attune::node {
namespace {

std::string Nested(int depth, char open = '[', char close = ']') {
  return std::string(static_cast<size_t>(depth), open) +
         std::string(static_cast<size_t>(depth), close);
}

TEST(BoundedJsonTest, CountsNestingOutsideStringsOnly) {
  EXPECT_FALSE(NestsDeeperThan("{}", 1));
  EXPECT_TRUE(NestsDeeperThan("{\"a\":[1]}", 1));
  EXPECT_FALSE(NestsDeeperThan("{\"a\":\"[[[[[[\"}", 1));
  EXPECT_FALSE(NestsDeeperThan(R"({"a":"\"[[[[["})", 1))
      << "an escaped quote does not end a string";
  EXPECT_TRUE(NestsDeeperThan(R"({"a":"\\"[[})", 2)) << "an escaped backslash does";
  EXPECT_FALSE(NestsDeeperThan("[][][][][]", 1)) << "siblings are not nested";
}

TEST(BoundedJsonTest, ParsesUpToTheLimitAndRefusesDeeper) {
  EXPECT_EQ(ParseBoundedJson(Nested(kMaxJsonDepth)).size(), 1u);
  EXPECT_TRUE(ParseBoundedJson(Nested(kMaxJsonDepth + 1)).is_discarded());
  EXPECT_TRUE(ParseBoundedJson("{\"a\":" + Nested(200'000) + "}").is_discarded());
}

TEST(BoundedJsonTest, RefusesWhatIsNotJsonWithoutThrowing) {
  EXPECT_TRUE(ParseBoundedJson("").is_discarded());
  EXPECT_TRUE(ParseBoundedJson("{\"a\":").is_discarded());
  EXPECT_TRUE(ParseBoundedJson("]]]]").is_discarded());
  EXPECT_EQ(ParseBoundedJson(R"({"text":"[ok]"})")["text"], "[ok]");
}

}  // namespace
}  // namespace attune::node
