// What a person reads, and what a script sees, for the outcomes that carry a typed reason:
// the sentence comes from the reason, the exit code too where the reason has one of its own.
#include "cli/messages.h"

#include <gtest/gtest.h>

#include <string>

#include "cli/exit_codes.h"
#include "node/link.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

TEST(VersionMismatchTest, AnOlderPartnerIsAskedToUpdate) {
  const Status older = Status::Unsupported("the other side's attune speaks an older version")
                           .WithReason(node::PairingReason::kPartnerOlder);
  const std::string said = Explain(older);
  EXPECT_TRUE(Says(said, "your partner's attune is older")) << said;
  EXPECT_TRUE(Says(said, "ask them to update")) << said;
  EXPECT_TRUE(Says(said, "Nothing was stored")) << said;
  EXPECT_FALSE(Says(said, "tamper")) << said;
  EXPECT_EQ(ExitCodeFor(older), kExitVersionMismatch);
}

TEST(VersionMismatchTest, ANewerPartnerMeansUpdatingHere) {
  const Status newer = Status::Unsupported("the other side's attune speaks a newer version")
                           .WithReason(node::PairingReason::kPartnerNewer);
  const std::string said = Explain(newer);
  EXPECT_TRUE(Says(said, "your partner's attune is newer")) << said;
  EXPECT_TRUE(Says(said, "update attune")) << said;
  EXPECT_EQ(ExitCodeFor(newer), kExitVersionMismatch);
}

TEST(VersionMismatchTest, HasAnExitCodeOfItsOwnAndLeavesTheOthersAlone) {
  EXPECT_EQ(kExitVersionMismatch, 18);  // docs/guide.md "Exit codes"
  // kUnsupported without the reason is still data from a newer attune (8), as before.
  EXPECT_EQ(ExitCodeFor(Status::Unsupported("schema 9")), kExitDataProblem);
  EXPECT_EQ(ExitCodeFor(
                Status::AuthFailed("codes differ").WithReason(node::PairingReason::kCodeMismatch)),
            kExitWrongPassphrase);
  EXPECT_EQ(ExitCodeFor(Status::Ok()), kExitOk);
}

}  // namespace
}  // namespace attune::cli
