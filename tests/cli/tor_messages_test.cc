// What attune says about Tor (cli/tor_messages.h): turning it on says what the network can see;
// each failure of the Tor path says what happened and what still works.
#include "cli/tor_messages.h"

#include <gtest/gtest.h>

#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "node/link.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

TEST(TorMessagesTest, TurningTorOnSaysWhatTheNetworkCanSeeAndHowToInstallIt) {
  EXPECT_TRUE(Says(TorTurnedOnText(true), "can see that you use Tor"));
  EXPECT_FALSE(Says(TorTurnedOnText(true), "apt install"));
  EXPECT_TRUE(Says(TorTurnedOnText(false), "sudo apt install tor"));
  EXPECT_TRUE(Says(TorTurnedOffText(), "this network only"));
  EXPECT_EQ(
      TorStatusText(false, true, "x.onion"),
      "Tor:            off (`attune tor on`)\ntor installed:  yes\nYour onion:     x.onion\n");
  EXPECT_EQ(TorProgressText(45), "Starting Tor [#########-----------] 45%");
  EXPECT_EQ(TorProgressText(100), "Starting Tor [####################] 100%");
}

TEST(TorMessagesTest, PairingAtADistanceSaysHowToJoinAndToReadTheCodeOutApart) {
  EXPECT_TRUE(Says(PublishingInvitationText(), "can take a minute"));
  const std::string invitation = OnionInvitationText("7-maple-lagoon-violet", "x.onion:47016");
  EXPECT_TRUE(Says(invitation, "attune pair --join 7-maple-lagoon-violet --to x.onion:47016"));
  EXPECT_TRUE(Says(invitation, "read them the code on a call"));
  EXPECT_TRUE(Says(TorTurnedOnByPairingText(), "`attune tor off` turns it off"));
}

TEST(TorMessagesTest, EachFailureOfTheTorPathSaysWhatStillWorks) {
  const Status not_installed =
      Status::NotFound("no tor binary").WithReason(node::TorReason::kNotInstalled);
  EXPECT_TRUE(Says(Explain(not_installed), "tor is not installed"));
  EXPECT_TRUE(Says(Explain(not_installed), "--via lan"));
  EXPECT_EQ(ExitCodeFor(not_installed), kExitTorUnavailable);
  EXPECT_EQ(ReasonName(not_installed), "tor_not_installed");
  const Status stopped =
      Status::Unreachable("[err] bad option\n").WithReason(node::TorReason::kExitedEarly);
  EXPECT_TRUE(Says(Explain(stopped), "[err] bad option"));
  EXPECT_EQ(ExitCodeFor(stopped), kExitTorUnavailable);
  const Status blocked =
      Status::TimedOut("bootstrap stopped at 10%").WithReason(node::TorReason::kBootstrapTimedOut);
  EXPECT_TRUE(Says(Explain(blocked), "may block Tor"));
  EXPECT_EQ(ExitCodeFor(blocked), kExitTimedOut);
  const Status no_onion =
      Status::NotFound("no onion address").WithReason(node::LinkReason::kPartnerHasNoOnion);
  EXPECT_TRUE(Says(Explain(no_onion), "told no onion address yet"));
  EXPECT_TRUE(Says(Explain(no_onion), "Sync once on the same network"));
  EXPECT_EQ(ReasonName(no_onion), "link_partner_has_no_onion");
  EXPECT_EQ(ExitCodeFor(no_onion), kExitUnreachable);
  const Status refused = Status::Unreachable("tor refused the connection: missing_client_auth")
                             .WithReason(node::TorReason::kSocksRefused);
  EXPECT_TRUE(Says(Explain(refused), "missing_client_auth"));
  EXPECT_TRUE(Says(TorOffForViaOnionText(), "attune tor on"));
  EXPECT_TRUE(Says(ExtraTorrcUnreadableText("/nope"), "/nope"));
}

}  // namespace
}  // namespace attune::cli
