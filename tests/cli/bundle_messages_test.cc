// How a bundle's refusals are said, and what a script sees of them. tests/e2e/bundle_test.cc
// checks the same refusals by exit code and reason.
#include "cli/bundle_messages.h"

#include <gtest/gtest.h>

#include <string>

#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "node/bundle.h"
#include "node/journal_reason.h"
#include "node/private_file.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

// The sentence, exit code and reason name of `status` as BundleFailure leaves it.
struct Told {
  std::string said;
  int exit = 0;
  std::string reason;
};
Told Tell(const Status& status) {
  const Status told = BundleFailure(status, "Alex");
  return {Explain(told), ExitCodeFor(told), ReasonName(told)};
}

TEST(BundleMessagesTest, ABundleNotForThisJournalMayAlsoHaveADamagedStart) {
  const Told told = Tell(Status::UnknownPeer("header"));
  EXPECT_TRUE(Says(told.said, "not written by Alex for you")) << told.said;
  EXPECT_TRUE(Says(told.said, "its first bytes were damaged on the way")) << told.said;
  EXPECT_TRUE(Says(told.said, "Nothing was changed")) << told.said;
  EXPECT_EQ(told.exit, kExitUnknownPeer);
  EXPECT_EQ(told.reason, "bundle_not_for_you");
}

TEST(BundleMessagesTest, ADamagedBundleAppliedNothingAndANewOneIsAskedFor) {
  for (const Status& damaged :
       {Status::AuthFailed("chunk 2 failed"), Status::Corruption("short")}) {
    const Told told = Tell(damaged);
    EXPECT_TRUE(Says(told.said, "Nothing from it was applied")) << told.said;
    EXPECT_TRUE(Says(told.said, "ask Alex to write a new one with `attune bundle --out`"))
        << told.said;
    EXPECT_EQ(told.exit, kExitLinkBroken);
    EXPECT_EQ(told.reason, "bundle_damaged");
  }
  const Told malformed = Tell(Status::ProtocolError("bad entry"));
  EXPECT_TRUE(Says(malformed.said, "malformed (bad entry)")) << malformed.said;
  EXPECT_EQ(malformed.exit, kExitLinkBroken);
  EXPECT_EQ(malformed.reason, "bundle_malformed");
}

TEST(BundleMessagesTest, ABundleAfterAHoleSaysToOpenTheEarlierOneFirst) {
  const Told told = Tell(Status::NotFound("seq 4 after 2"));
  EXPECT_TRUE(Says(told.said, "Open the earlier bundle first, or sync with Alex")) << told.said;
  EXPECT_EQ(told.exit, kExitNotFound);
  EXPECT_EQ(told.reason, "bundle_gap");
}

TEST(BundleMessagesTest, FilesAndPartnersKeepTheirOwnReasons) {
  const Told missing =
      Tell(Status::NotFound("/b/x.bundle").WithReason(node::BundleReason::kNoSuchFile));
  EXPECT_EQ(missing.said, "there is no file at /b/x.bundle; check the name and the folder.");
  EXPECT_EQ(missing.exit, kExitNotFound);
  EXPECT_EQ(missing.reason, "bundle_no_such_file");
  const Told exists = Tell(Status::InvalidArgument("/b/x.bundle already exists")
                               .WithReason(node::PrivateFileReason::kFileExists));
  EXPECT_EQ(exists.said,
            "/b/x.bundle already exists; choose another name, or add --force to "
            "replace it.");
  EXPECT_EQ(exists.exit, kExitUsage);
  EXPECT_EQ(exists.reason, "file_exists");
  const Told alone =
      Tell(Status::NotFound("no partner").WithReason(node::JournalReason::kNotPaired));
  EXPECT_EQ(alone.exit, kExitNotPaired);
  EXPECT_EQ(alone.reason, "not_paired");
}

}  // namespace
}  // namespace attune::cli
