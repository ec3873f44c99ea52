// The link over real loopback TCP: pairing through node::InvitePartner/JoinPartner, sessions
// through node::Serve and node::PingPartner, and a scripted peer that breaks the protocol in
// every way issue 3 names. Each broken connection must be closed without a crash, and the
// server must go on serving the real partner.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <future>

#include "protocol/frame.h"
#include "tests/common/raw_http.h"
#include "tests/common/status_assertions.h"
#include "tests/link/link_test_util.h"

namespace attune::link_testing {
namespace {

using std::chrono::milliseconds;

class LinkTest : public ::testing::Test {
 protected:
  LinkTest() : a_(temp_.File("a"), "Sam"), b_(temp_.File("b"), "Alex") {}

  // B pings A's serve for real; the proof that A still serves its partner.
  void ExpectPartnerCanPing(ServeThread& serve) {
    Result<node::PingResult> ping =
        node::PingPartner(*b_.journal, node::Endpoint{"127.0.0.1", serve.port()}, FastTimeouts());
    EXPECT_TRUE(ping.ok()) << ping.status().detail();
  }

  // A frame carrying an encrypted Ping on `session`.
  static Bytes PingFrame(protocol::Session& session, uint64_t nonce) {
    EXPECT_TRUE(session.Send(protocol::PingMessage{nonce}).ok());
    std::vector<Bytes> out = session.TakeOutgoing();
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? Bytes() : out.front();
  }

  // A invites on a thread; returns the offer it shows. inviter_ holds A's outcome.
  node::PairingOffer StartInvitation(bool keep_timeouts = false) {
    invite_.listen = node::Endpoint{"127.0.0.1", 0};
    if (!keep_timeouts) invite_.timeouts = FastTimeouts();
    invite_.on_ready = [this](const node::PairingOffer& offer) { offered_.set_value(offer); };
    inviter_ = std::async(std::launch::async,
                          [this] { return node::InvitePartner(*a_.journal, invite_); });
    return offered_.get_future().get();
  }

  test_common::TempDir temp_;
  TestNode a_;
  TestNode b_;
  node::InviteOptions invite_;
  std::promise<node::PairingOffer> offered_;
  std::future<Result<node::PairingResult>> inviter_;
};

TEST_F(LinkTest, PairingWithTheRightCodeStoresEachOtherOnBothSides) {
  node::PairingOffer offer = StartInvitation();
  Result<node::Endpoint> address = node::ParseEndpoint(offer.address, 0);
  ASSERT_TRUE(address.ok());

  Result<node::PairingResult> joined =
      node::JoinPartner(*b_.journal, offer.code, *address, FastTimeouts());
  Result<node::PairingResult> invited = inviter_.get();
  ASSERT_TRUE(joined.ok()) << joined.status().detail();
  ASSERT_TRUE(invited.ok()) << invited.status().detail();
  EXPECT_EQ(joined->safety_number, invited->safety_number);
  EXPECT_EQ(joined->partner.public_key, a_.identity.public_key);
  EXPECT_EQ(invited->partner.public_key, b_.identity.public_key);
  EXPECT_EQ(joined->partner.display_name, "Sam");
  EXPECT_EQ(invited->partner.display_name, "Alex");
  Result<std::optional<node::Partner>> stored = a_.journal->GetPartner();
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->public_key, b_.identity.public_key);
}

TEST_F(LinkTest, PairingWithAWrongCodeFailsOnBothSidesAndStoresNothing) {
  node::PairingOffer offer = StartInvitation();
  // Same channel, different words.
  std::string wrong = offer.code.substr(0, offer.code.find('-')) + "-maple-maple-maple";
  if (wrong == offer.code)
    wrong = offer.code.substr(0, offer.code.find('-')) + "-otter-otter-otter";
  Result<node::PairingResult> joined =
      node::JoinPartner(*b_.journal, wrong, *node::ParseEndpoint(offer.address, 0), FastTimeouts());
  Result<node::PairingResult> invited = inviter_.get();
  EXPECT_TRUE(joined.status().Is(node::PairingReason::kCodeMismatch));
  EXPECT_TRUE(invited.status().Is(node::PairingReason::kCodeMismatch));
  EXPECT_FALSE(a_.journal->GetPartner()->has_value());
  EXPECT_FALSE(b_.journal->GetPartner()->has_value());
}

TEST_F(LinkTest, SilentConnectionsDoNotHoldUpThePartnersPairing) {
  // The inviter gives each connection a whole minute to say something; the joiner gives up
  // after FastTimeouts().handshake. Only an inviter that serves connections concurrently
  // pairs here.
  invite_.timeouts.handshake = std::chrono::seconds(60);
  node::PairingOffer offer = StartInvitation(/*keep_timeouts=*/true);
  const uint16_t port = node::ParseEndpoint(offer.address, 0)->port;
  RawClient silent_one(port);
  RawClient silent_two(port);
  ASSERT_TRUE(silent_one.connected() && silent_two.connected());
  Result<node::PairingResult> joined = node::JoinPartner(
      *b_.journal, offer.code, *node::ParseEndpoint(offer.address, 0), FastTimeouts());
  Result<node::PairingResult> invited = inviter_.get();
  EXPECT_TRUE(joined.ok()) << joined.status().detail();
  EXPECT_TRUE(invited.ok()) << invited.status().detail();
}

TEST_F(LinkTest, ListeningOnAPortInUseIsAClearUsageError) {
  PairDirectly(a_, b_);
  ServeThread serve(a_, FastTimeouts());
  invite_.listen = node::Endpoint{"127.0.0.1", serve.port()};
  Result<node::PairingResult> invited = node::InvitePartner(*b_.journal, invite_);
  EXPECT_EQ(invited.status().code(), StatusCode::kAlreadyExists);  // b is paired: checked first
  EXPECT_TRUE(invited.status().Is(node::PairingReason::kAlreadyPaired));
  ASSERT_TRUE(b_.journal->Unpair(/*keep_entries=*/false).ok());
  invited = node::InvitePartner(*b_.journal, invite_);
  EXPECT_EQ(invited.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(invited.status().Is(node::LinkReason::kPortInUse));
}

TEST_F(LinkTest, PingThroughServeMeasuresARoundTrip) {
  PairDirectly(a_, b_);
  ServeThread serve(a_, FastTimeouts());
  Result<node::PingResult> ping =
      node::PingPartner(*b_.journal, node::Endpoint{"127.0.0.1", serve.port()}, FastTimeouts());
  ASSERT_TRUE(ping.ok()) << ping.status().detail();
  EXPECT_GT(ping->round_trip.count(), 0);
  EXPECT_GT(ping->handshake.count(), 0);
  EXPECT_TRUE((*b_.journal->GetPartner())->last_contact.has_value());
  // Serve names nobody: the partner is "your partner" in its lines.
  EXPECT_TRUE(serve.WaitForEvents(
      [](const node::ServeEvent& event) {
        return event.kind == node::ServeEventKind::kPartnerConnectedForOneExchange &&
               event.host == "127.0.0.1";
      },
      1));
  for (const node::ServeEvent& event : serve.events()) {
    for (const std::string name : {"B ", "Alex"}) {
      EXPECT_EQ(event.host.find(name), std::string::npos) << event.host;
      EXPECT_EQ(event.problem.detail().find(name), std::string::npos) << event.problem.detail();
    }
  }
  EXPECT_TRUE(serve.Stop().ok());
}

TEST_F(LinkTest, AThirdNodeWithItsOwnKeysIsTurnedAwayWithoutAByte) {
  PairDirectly(a_, b_);
  TestNode intruder(temp_.File("c"), "Eve");
  ServeThread serve(a_, FastTimeouts());
  RawClient client(serve.port());
  ASSERT_TRUE(client.connected());
  // The intruder knows A's public key (it is not secret) and starts the handshake as itself.
  protocol::SessionConfig config;
  config.local_static = crypto::CopyKeyPair(intruder.identity);
  config.pinned_partner = a_.identity.public_key;
  config.handshake_counter = 1;
  ASSERT_OK_AND_ASSIGN(protocol::Session session, protocol::Session::Start(std::move(config)));
  for (const Bytes& frame : session.TakeOutgoing()) client.SendFrame(frame);
  EXPECT_EQ(client.BytesBeforeClose(), std::optional<size_t>(0));  // not even message 2
  EXPECT_TRUE(
      serve.WaitForEvent(node::ServeEventKind::kConnectionClosed, StatusCode::kProtocolError));
  ExpectPartnerCanPing(serve);
}

TEST_F(LinkTest, PingingAServerThatIsNotThePartnerGetsNoAnswerAndSaysSo) {
  PairDirectly(a_, b_);
  TestNode other(temp_.File("c"), "Eve");
  TestNode other_partner(temp_.File("d"), "Dee");
  PairDirectly(other, other_partner);
  ServeThread serve(other, FastTimeouts());
  Result<node::PingResult> ping =
      node::PingPartner(*b_.journal, node::Endpoint{"127.0.0.1", serve.port()}, FastTimeouts());
  EXPECT_EQ(ping.status().code(), StatusCode::kUnknownPeer);
  EXPECT_TRUE(ping.status().Is(node::LinkReason::kNotAnswered)) << ping.status().reason();
  // Asked in the older protocol too (the probe), it answered nothing either.
  EXPECT_TRUE(serve.WaitForEvent(node::ServeEventKind::kOlderAttuneTriedToConnect));
}

struct BrokenFrameCase {
  const char* name;
  // Sends something broken on an established session; `frames` are valid Ping frames 0..2.
  void (*send)(RawClient& client, const std::vector<Bytes>& frames);
  StatusCode ended;  // why serve says the session ended
};

class BrokenFrameTest : public LinkTest, public ::testing::WithParamInterface<BrokenFrameCase> {};

TEST_P(BrokenFrameTest, ClosesTheSessionAndKeepsServing) {
  PairDirectly(a_, b_);
  ServeThread serve(a_, FastTimeouts());
  {
    RawClient client(serve.port());
    ASSERT_TRUE(client.connected());
    std::optional<protocol::Session> session = Handshake(client, b_, a_.identity.public_key);
    ASSERT_TRUE(session.has_value());
    std::vector<Bytes> frames;
    for (uint64_t nonce = 0; nonce < 3; ++nonce) frames.push_back(PingFrame(*session, nonce));
    GetParam().send(client, frames);
    EXPECT_TRUE(client.ClosedByPeer());
  }
  EXPECT_TRUE(serve.WaitForEvent(node::ServeEventKind::kSessionEnded, GetParam().ended))
      << GetParam().name;
  ExpectPartnerCanPing(serve);
  EXPECT_TRUE(serve.Stop().ok());
}

INSTANTIATE_TEST_SUITE_P(
    Link, BrokenFrameTest,
    ::testing::Values(BrokenFrameCase{"tampered",
                                      [](RawClient& client, const std::vector<Bytes>& frames) {
                                        Bytes tampered = frames[0];
                                        tampered[tampered.size() / 2] ^= 0x01;
                                        client.SendFrame(tampered);
                                      },
                                      StatusCode::kProtocolError},
                      BrokenFrameCase{"replayed",
                                      [](RawClient& client, const std::vector<Bytes>& frames) {
                                        client.SendFrame(frames[0]);
                                        client.SendFrame(frames[0]);
                                      },
                                      StatusCode::kProtocolError},
                      BrokenFrameCase{"reordered",
                                      [](RawClient& client, const std::vector<Bytes>& frames) {
                                        client.SendFrame(frames[1]);
                                        client.SendFrame(frames[0]);
                                      },
                                      StatusCode::kProtocolError},
                      BrokenFrameCase{"truncated",
                                      [](RawClient& client, const std::vector<Bytes>& frames) {
                                        const Bytes& frame = frames[0];
                                        Bytes partial = {static_cast<uint8_t>(frame.size() >> 8),
                                                         static_cast<uint8_t>(frame.size())};
                                        partial.insert(partial.end(), frame.begin(),
                                                       frame.begin() + 5);
                                        client.SendBytes(partial);
                                        client.ShutdownWrite();
                                      },
                                      StatusCode::kUnreachable},
                      BrokenFrameCase{"zero length",
                                      [](RawClient& client, const std::vector<Bytes>&) {
                                        client.SendBytes(Bytes{0, 0});
                                      },
                                      StatusCode::kProtocolError},
                      BrokenFrameCase{"largest frame of garbage",
                                      [](RawClient& client, const std::vector<Bytes>&) {
                                        client.SendFrame(Bytes(protocol::kMaxFrameBytes, 0xA5));
                                      },
                                      StatusCode::kProtocolError}),
    [](const ::testing::TestParamInfo<BrokenFrameCase>& param_info) {
      std::string name = param_info.param.name;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST_F(LinkTest, ABrokenHandshakeMessageClosesTheConnection) {
  PairDirectly(a_, b_);
  ServeThread serve(a_, FastTimeouts());
  {
    RawClient client(serve.port());
    client.SendFrame(Bytes(31, 0x42));  // message 1 must be a 32-byte ephemeral key
    EXPECT_TRUE(client.ClosedByPeer());
  }
  EXPECT_TRUE(
      serve.WaitForEvent(node::ServeEventKind::kConnectionClosed, StatusCode::kProtocolError));
  ExpectPartnerCanPing(serve);
}

TEST_F(LinkTest, TooManyUnfinishedHandshakesAreTurnedAwayButThePartnerGetsIn) {
  PairDirectly(a_, b_);
  node::LinkTimeouts timeouts = FastTimeouts();
  timeouts.handshake = milliseconds(3000);
  ServeThread serve(a_, timeouts);
  std::vector<std::unique_ptr<RawClient>> silent;
  for (int i = 0; i < 12; ++i) silent.push_back(std::make_unique<RawClient>(serve.port()));
  EXPECT_TRUE(serve.WaitForEvent(node::ServeEventKind::kTurnedAwayOldest));
  silent.clear();  // the scanner gives up; its sockets close
  ExpectPartnerCanPing(serve);
}

TEST_F(LinkTest, PingFailsCleanlyAgainstAServerThatTampersWithItsReply) {
  // A hostile responder: a raw listener that completes the handshake as A, then flips a bit
  // in its Pong.
  PairDirectly(a_, b_);
  test_common::LoopbackListener held;
  ASSERT_NE(held.port(), 0);
  const int listener = held.fd();
  const uint16_t port = held.port();

  std::thread hostile([&] {
    int fd = ::accept(listener, nullptr, nullptr);
    protocol::SessionConfig config;
    config.role = protocol::SessionRole::kResponder;
    config.local_static = crypto::CopyKeyPair(a_.identity);
    config.pinned_partner = b_.identity.public_key;
    protocol::Session session = protocol::Session::Start(std::move(config)).value();
    auto read_frame = [&]() -> std::optional<Bytes> {
      uint8_t header[2];
      if (::recv(fd, header, 2, MSG_WAITALL) != 2) return std::nullopt;
      Bytes payload(size_t{header[0]} << 8 | header[1]);
      if (::recv(fd, payload.data(), payload.size(), MSG_WAITALL) !=
          static_cast<ssize_t>(payload.size())) {
        return std::nullopt;
      }
      return payload;
    };
    auto write_frame = [&](Bytes payload) {
      Bytes frame = {static_cast<uint8_t>(payload.size() >> 8),
                     static_cast<uint8_t>(payload.size())};
      frame.insert(frame.end(), payload.begin(), payload.end());
      (void)::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL);
    };
    while (!session.established()) {
      std::optional<Bytes> frame = read_frame();
      if (!frame || !session.Receive(*frame).ok()) break;
      if (session.state() == protocol::SessionState::kAwaitingAdmission && !session.Admit().ok()) {
        break;
      }
      for (Bytes& out : session.TakeOutgoing()) write_frame(std::move(out));
    }
    if (std::optional<Bytes> ping = read_frame(); ping && session.Receive(*ping).ok()) {
      std::vector<protocol::Message> in = session.TakeIncoming();
      uint64_t nonce = in.empty() ? 0 : std::get<protocol::PingMessage>(in[0]).nonce;
      (void)session.Send(protocol::PongMessage{nonce});
      Bytes pong = session.TakeOutgoing().at(0);
      pong[3] ^= 0x80;
      write_frame(pong);
    }
    // Holds the connection until the pinger, having read the damaged pong, closes its end.
    char ignored = 0;
    while (::read(fd, &ignored, 1) > 0) {
    }
    ::close(fd);
  });
  Result<node::PingResult> ping =
      node::PingPartner(*b_.journal, node::Endpoint{"127.0.0.1", port}, FastTimeouts());
  hostile.join();
  EXPECT_EQ(ping.status().code(), StatusCode::kProtocolError) << ping.status().detail();
}

}  // namespace
}  // namespace attune::link_testing
