// How the CLI words the link's typed outcomes (node::LinkReason), and which
// exit codes they get: an older or newer partner is said plainly, never as tampering.
#include <gtest/gtest.h>

#include <string>

#include "cli/discovery_flags.h"
#include "cli/exit_codes.h"
#include "cli/link_messages.h"
#include "cli/messages.h"
#include "node/link.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

TEST(LinkMessagesTest, AnOlderPartnerIsAskedToUpdateWithItsOwnExitCode) {
  const Status older =
      Status::Unsupported("speaks attune/1").WithReason(node::LinkReason::kPeerOlder);
  const std::string text = Explain(older);
  EXPECT_TRUE(Says(text, "your partner's attune is older; ask them to update")) << text;
  EXPECT_FALSE(Says(text, "tamper")) << text;
  EXPECT_FALSE(Says(text, "newer attune that wrote it")) << text;  // the kUnsupported default
  EXPECT_EQ(ExitCodeFor(older), kExitVersionMismatch);
  EXPECT_EQ(kExitVersionMismatch, 18);
}

TEST(LinkMessagesTest, ANewerPartnerAsksYouToUpdate) {
  const Status newer = Status::Unsupported("v3").WithReason(node::LinkReason::kPeerNewer);
  EXPECT_TRUE(Says(Explain(newer), "your partner's attune is newer; update attune"));
  EXPECT_EQ(ExitCodeFor(newer), kExitVersionMismatch);
  const Status lacking =
      Status::Unsupported("no sync").WithReason(node::LinkReason::kPeerLacksFeature);
  EXPECT_EQ(ExitCodeFor(lacking), kExitVersionMismatch);
}

TEST(LinkMessagesTest, ANodeThatDoesNotAnswerIsNotYourPartnersAttune) {
  const Status silent = Status::UnknownPeer("the attune at 10.0.0.2:47017 closed the connection")
                            .WithReason(node::LinkReason::kNotAnswered);
  const std::string text = Explain(silent);
  EXPECT_TRUE(Says(text, "10.0.0.2:47017")) << text;
  EXPECT_TRUE(Says(text, "not your partner's attune")) << text;
  EXPECT_EQ(ExitCodeFor(silent), kExitUnknownPeer);
}

TEST(LinkMessagesTest, OtherStatusesKeepTheirCodes) {
  EXPECT_EQ(ExitCodeFor(Status::Unsupported("a newer database")), kExitDataProblem);
  EXPECT_EQ(ExitCodeFor(Status::ProtocolError("tampered")), kExitLinkBroken);
  EXPECT_EQ(ExitCodeFor(Status::Ok()), kExitOk);
}

TEST(LookingTextTest, ASearchSaysWhereItLooksAndNothingElse) {
  EXPECT_EQ(LookingText(), "Looking for your partner's attune on this network…");
}

TEST(LinkMessagesTest, PingSaysWhereAndHowFast) {
  using std::chrono::microseconds;
  EXPECT_EQ(PingText("192.0.2.7:47017", microseconds(2345), microseconds(600)),
            "Reached your partner's attune at 192.0.2.7:47017: handshake 2.3 ms, round trip 0.6 "
            "ms.\n");
}

TEST(LinkMessagesTest, AnUnknownPartnerOnionSaysWhyWithoutBlame) {
  const std::string text = PartnerOnionUnknownText();
  EXPECT_NE(text.find("tells it the next time you sync on the same network"), std::string::npos);
  EXPECT_NE(text.find("you paired before attune reached partners through Tor"), std::string::npos);
}

}  // namespace
}  // namespace attune::cli
