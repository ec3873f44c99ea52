// Initialises libsodium once before any test in crypto_test runs, as the
// crypto module's contract requires. Linked as a source of the test binary so
// its static registration always runs (gtest_main provides main()).
#include <gtest/gtest.h>

#include "crypto/sodium.h"

namespace attune::crypto {
namespace {

class SodiumEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    Status status = Init();
    ASSERT_TRUE(status.ok()) << status.detail();
  }
};

const ::testing::Environment* const kSodiumEnvironment =
    ::testing::AddGlobalTestEnvironment(new SodiumEnvironment);

TEST(SodiumInitTest, IsIdempotent) {
  EXPECT_TRUE(Init().ok());
  EXPECT_TRUE(Init().ok());
}

}  // namespace
}  // namespace attune::crypto
