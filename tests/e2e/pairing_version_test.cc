// Pairing with an attune of another version, end to end (issue 15): the real `attune pair` on
// one side, and on the other raw sockets that speak as an older or a newer attune would. Both
// roles must refuse, store nothing, say in plain words which side has to update, and exit 18
// (docs/guide.md "Exit codes"); never "tampered", never a wrong code.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "tests/common/fake_inviter.h"
#include "tests/e2e/loopback.h"
#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

inline constexpr int kExitVersionMismatch = 18;

// A pairing request as attune before version 2 sent it: PairingMessage{request:
// PairRequest{protocol_version: 1, channel: 7, session_id: 16 bytes, share: 32 bytes}}, in a
// frame. The inviter checks the version first, so the shares need not be valid.
std::string VersionOneRequestFrame() {
  std::string request = {0x08, 0x01, 0x10, 0x07, 0x1a, 0x10};
  request += std::string(16, 's');
  request += {0x22, 0x20};
  request += std::string(32, '\x01');
  std::string message = {0x0a, static_cast<char>(request.size())};
  message += request;
  return std::string{0x00, static_cast<char>(message.size())} + message;
}

class PairingVersionTest : public PartnersTest {
 protected:
  // `pair --join CODE --to` the fake inviter, answering with `abort`.
  RunResult JoinAnswered(const std::string& home, const Bytes& abort) {
    test_common::FakeInviter inviter(abort);
    EXPECT_NE(inviter.port(), 0);
    return RunAt(home, {"pair", "--join", "7-maple-lagoon-violet", "--to",
                        "127.0.0.1:" + std::to_string(inviter.port()), "--no-discovery", "--json"});
  }
};

TEST_F(PairingVersionTest, AnInviterJoinedByAnOlderAttuneAsksThePartnerToUpdate) {
  const std::string alex = NewHome("Alex");
  BackgroundProcess inviter =
      StartAt(alex, {"pair", "--listen", "127.0.0.1:0", "--json", "--no-discovery"});
  const std::optional<std::string> offer_line = inviter.ReadLine(kStep);
  ASSERT_TRUE(offer_line.has_value()) << inviter.Wait(kStep);
  const nlohmann::json offer = ParseJson(*offer_line);
  RawConnection old_joiner(PortOf(offer["address"].get<std::string>()));
  ASSERT_TRUE(old_joiner.connected());
  old_joiner.Send(VersionOneRequestFrame());
  const RunResult invited = inviter.Wait(kStep);
  EXPECT_EQ(invited.exit_code, kExitVersionMismatch) << invited;
  // Older, so the partner updates; not tampering (VersionMismatchTest in tests/cli words it).
  EXPECT_EQ(FailureReason(invited), "pairing_partner_older") << invited;
  EXPECT_TRUE(JsonAt(alex, {"partner"})["partner"].is_null());
}

TEST_F(PairingVersionTest, AJoinerAnsweredByAnOlderInviterAsksThePartnerToUpdate) {
  const std::string sam = NewHome("Sam");
  const RunResult joined = JoinAnswered(sam, test_common::VersionMismatchAbort(0));
  EXPECT_EQ(joined.exit_code, kExitVersionMismatch) << joined;
  EXPECT_EQ(FailureReason(joined), "pairing_partner_older") << joined;
  EXPECT_TRUE(JsonAt(sam, {"partner"})["partner"].is_null());
}

TEST_F(PairingVersionTest, AJoinerAnsweredByANewerInviterIsToldToUpdate) {
  const std::string sam = NewHome("Sam");
  const RunResult joined = JoinAnswered(sam, test_common::VersionMismatchAbort(3));
  EXPECT_EQ(joined.exit_code, kExitVersionMismatch) << joined;
  EXPECT_EQ(FailureReason(joined), "pairing_partner_newer") << joined;
  EXPECT_TRUE(JsonAt(sam, {"partner"})["partner"].is_null());
}

}  // namespace
}  // namespace attune::e2e
