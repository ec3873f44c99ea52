// The controller's commands and what it makes of tor's answers and events (tor/controller.h),
// from text as tor 0.4.9 writes it on its control port.
#include "tor/controller.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/sodium.h"
#include "tests/common/status_assertions.h"

namespace attune::tor {
namespace {

using Kind = ControlEvent::Kind;

class ControllerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::Init().ok()); }

  std::string Sent() {
    const crypto::SecureBytes output = controller_.TakeOutput();
    return std::string(output.data(), output.data() + output.size());
  }

  std::vector<ControlEvent> Answer(std::string_view text) {
    Result<std::vector<ControlEvent>> events = controller_.Receive(AsBytes(text));
    EXPECT_TRUE(events.ok()) << events.status().detail();
    return events.ok() ? *events : std::vector<ControlEvent>{};
  }

  static crypto::SecureBytes Text(std::string_view text) {
    return crypto::SecureBytes::CopyOf(AsBytes(text));
  }

  Controller controller_;
};

TEST_F(ControllerTest, AuthenticatesWithTheCookieInHexAndSubscribes) {
  const uint8_t cookie[] = {0x00, 0xab, 0xff};
  controller_.Authenticate(cookie);
  controller_.TakeOwnership();
  controller_.SubscribeEvents();
  EXPECT_EQ(Sent(), "AUTHENTICATE 00abff\r\nTAKEOWNERSHIP\r\nSETEVENTS STATUS_CLIENT HS_DESC\r\n");
  EXPECT_EQ(controller_.awaiting(), 3u);
  const std::vector<ControlEvent> events = Answer("250 OK\r\n250 OK\r\n250 OK\r\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, Kind::kCommandDone);
  EXPECT_EQ(events[0].command, Command::kAuthenticate);
  EXPECT_EQ(events[2].command, Command::kSubscribeEvents);
  EXPECT_EQ(controller_.awaiting(), 0u);
  EXPECT_TRUE(Sent().empty());
}

TEST_F(ControllerTest, ARefusedCommandIsAnEventWithTorsStatus) {
  const uint8_t cookie[] = {1};
  controller_.Authenticate(cookie);
  const std::vector<ControlEvent> events =
      Answer("515 Authentication failed: Wrong length on authentication cookie.\r\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kCommandFailed);
  EXPECT_EQ(events[0].command, Command::kAuthenticate);
  EXPECT_EQ(events[0].status, 515);
}

TEST_F(ControllerTest, BootstrapFromTheAnswerAndFromEvents) {
  controller_.AskBootstrap();
  std::vector<ControlEvent> events = Answer(
      "650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=10 TAG=conn_done SUMMARY=\"Connected\"\r\n"
      "250-status/bootstrap-phase=NOTICE BOOTSTRAP PROGRESS=14 TAG=handshake SUMMARY=\"x\"\r\n"
      "250 OK\r\n"
      "650 STATUS_CLIENT WARN BOOTSTRAP PROGRESS=14 TAG=handshake SUMMARY=\"x\" WARNING=\"no "
      "route\" REASON=NOROUTE COUNT=1 RECOMMENDATION=ignore\r\n"
      "650 STATUS_CLIENT NOTICE CIRCUIT_ESTABLISHED\r\n"
      "650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY=\"Done\"\r\n");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].percent, 10);
  EXPECT_EQ(events[1].percent, 14);
  EXPECT_EQ(events[1].tag, "handshake");
  EXPECT_FALSE(events[1].warning);
  EXPECT_TRUE(events[2].warning);
  EXPECT_EQ(events[3].kind, Kind::kBootstrap);
  EXPECT_EQ(events[3].percent, 100);
  EXPECT_EQ(events[3].tag, "done");
}

TEST_F(ControllerTest, SocksListenerFromGetinfo) {
  controller_.AskSocksListener();
  EXPECT_EQ(Sent(), "GETINFO net/listeners/socks\r\n");
  const std::vector<ControlEvent> events =
      Answer("250-net/listeners/socks=\"127.0.0.1:39113\"\r\n250 OK\r\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kSocksListener);
  EXPECT_EQ(events[0].port, 39113);
}

TEST_F(ControllerTest, VersionFromGetinfoIsItsFirstWord) {
  controller_.AskVersion();
  EXPECT_EQ(Sent(), "GETINFO version\r\n");
  std::vector<ControlEvent> events =
      Answer("250-version=0.4.9.11 (git-5a5e1b8c0d1a2b3c)\r\n250 OK\r\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kVersion);
  EXPECT_EQ(events[0].tag, "0.4.9.11");
  controller_.AskVersion();
  (void)Sent();
  const Result<std::vector<ControlEvent>> empty =
      controller_.Receive(AsBytes("250-version=\r\n250 OK\r\n"));
  EXPECT_EQ(empty.status().code(), StatusCode::kProtocolError);
}

TEST_F(ControllerTest, AddOnionThenEachUploadToAnHsdirIsReported) {
  ASSERT_OK(controller_.AddOnion(Text("ED25519-V3:c2VjcmV0"), {9878, 40123}, {"clientkey"}));
  EXPECT_EQ(Sent(),
            "ADD_ONION ED25519-V3:c2VjcmV0 Flags=DiscardPK,V3Auth Port=9878,127.0.0.1:40123 "
            "ClientAuthV3=clientkey\r\n");
  std::vector<ControlEvent> events = Answer("250-ServiceID=svc\r\n250 OK\r\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, Kind::kOnionAdded);
  EXPECT_EQ(events[0].service_id, "svc");
  EXPECT_TRUE(events[0].answer);
  events = Answer(
      "650 HS_DESC UPLOAD svc UNKNOWN $AA desc\r\n"
      "650 HS_DESC FAILED svc UNKNOWN $BB REASON=UPLOAD_REJECTED\r\n"
      "650 HS_DESC UPLOADED svc UNKNOWN $AA\r\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, Kind::kOnionUploadStarted);
  EXPECT_EQ(events[1].kind, Kind::kOnionUploadFailed);
  EXPECT_EQ(events[1].tag, "UPLOAD_REJECTED");
  EXPECT_EQ(events[2].kind, Kind::kOnionUploaded);
  EXPECT_EQ(events[2].service_id, "svc");
  EXPECT_FALSE(events[2].answer);
}

TEST_F(ControllerTest, AnOpenServiceHasNoAuthFlag) {
  ASSERT_OK(controller_.AddOnion(Text("NEW:ED25519-V3"), {80, 8080}, {}));
  EXPECT_EQ(Sent(), "ADD_ONION NEW:ED25519-V3 Flags=DiscardPK Port=80,127.0.0.1:8080\r\n");
}

TEST_F(ControllerTest, ClientAuthAndDescriptorFetch) {
  ASSERT_OK(controller_.AddClientAuth("partner", Text("x25519:a2V5")));
  ASSERT_OK(controller_.FetchDescriptor("partner"));
  EXPECT_EQ(Sent(), "ONION_CLIENT_AUTH_ADD partner x25519:a2V5\r\nHSFETCH partner\r\n");
  std::vector<ControlEvent> events = Answer(
      "250 OK\r\n250 OK\r\n650 HS_DESC REQUESTED partner NO_AUTH $AA desc\r\n"
      "650 HS_DESC FAILED partner NO_AUTH $AA desc REASON=NOT_FOUND\r\n"
      "650 HS_DESC RECEIVED partner NO_AUTH $BB desc\r\n");
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[2].kind, Kind::kDescriptorRequested);
  EXPECT_EQ(events[2].service_id, "partner");
  EXPECT_EQ(events[3].kind, Kind::kDescriptorFetchFailed);
  EXPECT_EQ(events[3].tag, "NOT_FOUND");
  EXPECT_EQ(events[4].kind, Kind::kDescriptorFetched);
}

TEST_F(ControllerTest, RefusesArgumentsThatWouldBreakTheCommandLine) {
  EXPECT_CODE(controller_.AddOnion(Text("ED25519-V3:a b"), {1, 2}, {}), kInvalidArgument);
  EXPECT_CODE(controller_.AddOnion(Text("k"), {1, 2}, {"a\r\nSIGNAL HALT"}), kInvalidArgument);
  EXPECT_CODE(controller_.AddOnion(Text("k"), {0, 2}, {}), kInvalidArgument);
  EXPECT_CODE(controller_.AddClientAuth("id\r\n", Text("x")), kInvalidArgument);
  EXPECT_EQ(controller_.awaiting(), 0u);
  EXPECT_TRUE(Sent().empty());
}

TEST_F(ControllerTest, AnAnswerNothingAskedForPoisonsTheController) {
  EXPECT_CODE(controller_.Receive(AsBytes("250 OK\r\n")), kProtocolError);
  controller_.AskBootstrap();
  EXPECT_CODE(controller_.Receive(AsBytes("650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=1\r\n")),
              kProtocolError);
}

TEST_F(ControllerTest, BootstrapNeedsAValidProgress) {
  EXPECT_CODE(ParseBootstrap("NOTICE BOOTSTRAP TAG=done"), kProtocolError);
  EXPECT_CODE(ParseBootstrap("NOTICE BOOTSTRAP PROGRESS=101"), kProtocolError);
  EXPECT_CODE(ParseBootstrap("NOTICE BOOTSTRAP PROGRESS=1x"), kProtocolError);
}

}  // namespace
}  // namespace attune::tor
