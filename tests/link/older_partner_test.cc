// Couples already paired when one partner has updated and the other has not: the new node speaks
// attune/2 (Noise KK), the older one attune/1 (Noise XX, prologue "attune/1", Hello version 1).
// The older node is emulated in-process, as attune before issue 15 behaved: its serve answers an
// XX message 1 with message 2 and closes on anything else without a word; its sync sends an XX
// message 1. Both directions must say plainly which side is older, never "tampered", and the new
// node must never complete the old handshake. A partner that says it is newer is told apart too.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "crypto/noise.h"
#include "protocol/frame.h"
#include "protocol/session.h"
#include "tests/common/status_assertions.h"
#include "tests/link/link_test_util.h"

namespace attune::link_testing {
namespace {

using std::chrono::milliseconds;

// A blocking frame read with a timeout on a raw socket.
std::optional<Bytes> ReadFrameFrom(int fd, milliseconds timeout) {
  auto read_exactly = [fd, timeout](uint8_t* out, size_t size) {
    size_t got = 0;
    while (got < size) {
      pollfd poller{fd, POLLIN, 0};
      if (::poll(&poller, 1, static_cast<int>(timeout.count())) <= 0) return false;
      const ssize_t n = ::recv(fd, out + got, size - got, 0);
      if (n <= 0) return false;
      got += static_cast<size_t>(n);
    }
    return true;
  };
  uint8_t header[2];
  if (!read_exactly(header, 2)) return std::nullopt;
  Bytes payload(size_t{header[0]} << 8 | header[1]);
  if (!read_exactly(payload.data(), payload.size())) return std::nullopt;
  return payload;
}

void WriteFrameTo(int fd, ByteSpan payload) {
  Result<Bytes> frame = protocol::EncodeFrame(payload);
  if (frame.ok()) (void)::send(fd, frame->data(), frame->size(), MSG_NOSIGNAL);
}

crypto::noise::HandshakeState Noise(std::string_view name, std::string_view prologue,
                                    crypto::noise::Role role, const crypto::X25519KeyPair& keys,
                                    std::optional<crypto::X25519PublicKey> remote = std::nullopt) {
  crypto::noise::HandshakeOptions options;
  options.role = role;
  options.protocol_name = std::string(name);
  options.prologue = Bytes(prologue.begin(), prologue.end());
  options.local_static = crypto::CopyKeyPair(keys);
  options.remote_static = remote;
  return crypto::noise::HandshakeState::Create(std::move(options)).value();
}

// A node on 127.0.0.1 that answers each connection with `answer`, one at a time, until
// destroyed.
class ScriptedResponder {
 public:
  explicit ScriptedResponder(std::function<void(int fd)> answer)
      : fd_(::socket(AF_INET, SOCK_STREAM, 0)), answer_(std::move(answer)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(fd_, 8), 0);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      while (!stopping_) {
        pollfd poller{fd_, POLLIN, 0};
        if (::poll(&poller, 1, 50) <= 0) continue;
        const int connection = ::accept(fd_, nullptr, nullptr);
        if (connection < 0) continue;
        answer_(connection);
        ::close(connection);
      }
    });
  }
  ~ScriptedResponder() {
    stopping_ = true;
    thread_.join();
    ::close(fd_);
  }
  uint16_t port() const { return port_; }
  node::Endpoint at() const { return node::Endpoint{"127.0.0.1", port_}; }

 private:
  int fd_;
  uint16_t port_ = 0;
  std::function<void(int)> answer_;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

// attune's serve before issue 15, with `keys` as its static key: XX with prologue attune/1. It
// reads message 1 as XX does (an ephemeral key, then a clear payload that must be empty), and
// on anything else closes without a byte, as it did.
struct OlderServe {
  explicit OlderServe(const crypto::X25519KeyPair& static_keys)
      : keys(crypto::CopyKeyPair(static_keys)), responder([this](int fd) { Answer(fd); }) {}

  // Waits until `count` connections were answered to the end (closed, or message 3 awaited).
  bool WaitForConnections(int count) {
    std::unique_lock lock(mutex);
    return done.wait_for(lock, std::chrono::seconds(5), [&] { return handled >= count; });
  }

  void Answer(int fd) {
    AnswerOnce(fd);
    std::lock_guard lock(mutex);
    ++handled;
    done.notify_all();
  }

  void AnswerOnce(int fd) {
    std::optional<Bytes> first = ReadFrameFrom(fd, milliseconds(2000));
    if (!first) return;
    crypto::noise::HandshakeState xx =
        Noise(protocol::kLegacyNoiseProtocolName, protocol::kLegacyLinkProtocolName,
              crypto::noise::Role::kResponder, keys);
    Result<crypto::SecureBytes> payload = xx.ReadMessage(*first);
    if (!payload.ok() || !payload->empty()) {
      ++closed_silently;
      return;
    }
    protocol::HelloMessage hello;  // an attune/1 responder's: version 1, its port, no name
    hello.protocol_version = protocol::kLegacyLinkProtocolVersion;
    hello.serve_port = 4242;
    hello.features.clear();
    WriteFrameTo(fd, xx.WriteMessage(protocol::EncodeHello(hello).value()).value());
    ++answered;
    if (ReadFrameFrom(fd, milliseconds(500))) ++third_messages;
  }

  const crypto::X25519KeyPair keys;
  std::mutex mutex;
  std::condition_variable done;
  int handled = 0;  // guarded by mutex
  std::atomic<int> closed_silently = 0;
  std::atomic<int> answered = 0;
  std::atomic<int> third_messages = 0;
  ScriptedResponder responder;  // last: its thread uses the members above
};

class OlderPartnerTest : public ::testing::Test {
 protected:
  OlderPartnerTest() : a_(temp_.File("a"), "Sam"), b_(temp_.File("b"), "Alex") {}
  void SetUp() override { PairDirectly(a_, b_); }

  Result<node::SyncResult> SyncFromB(const std::optional<node::Endpoint>& to,
                                     node::DiscoveryOptions discovery = {.enabled = false,
                                                                         .on_looking = nullptr}) {
    return node::SyncWithPartner(*b_.journal, to, FastTimeouts(), discovery);
  }

  void RememberAddressOfA(uint16_t port) {
    node::Partner partner = **b_.journal->GetPartner();
    partner.last_address = "127.0.0.1:" + std::to_string(port);
    ASSERT_OK(b_.journal->SavePartner(partner, /*replace=*/true));
  }

  test_common::TempDir temp_;
  TestNode a_;
  TestNode b_;
};

TEST_F(OlderPartnerTest, SyncingWithAnOlderPartnersServeSaysTheirAttuneIsOlder) {
  OlderServe older(a_.identity);
  Result<node::SyncResult> synced = SyncFromB(older.responder.at());
  EXPECT_EQ(synced.status().code(), StatusCode::kUnsupported) << synced.status().detail();
  EXPECT_TRUE(synced.status().Is(node::LinkReason::kPeerOlder)) << synced.status().reason();
  // The KK message was closed unanswered, the probe answered, and the old handshake was never
  // completed: the older node learned nothing of who asked.
  ASSERT_TRUE(older.WaitForConnections(2));
  EXPECT_EQ(older.closed_silently, 1);
  EXPECT_EQ(older.answered, 1);
  EXPECT_EQ(older.third_messages, 0);
  EXPECT_FALSE((*b_.journal->GetPartner())->last_contact.has_value());
}

TEST_F(OlderPartnerTest, AnOlderPartnerAtTheLastAddressIsReportedWithoutASearch) {
  OlderServe older(a_.identity);
  RememberAddressOfA(older.responder.port());
  bool searched = false;
  node::DiscoveryOptions discovery;
  discovery.port = 1;  // never used: no search must start
  discovery.on_looking = [&searched] { searched = true; };
  Result<node::PingResult> ping =
      node::PingPartner(*b_.journal, std::nullopt, FastTimeouts(), discovery);
  EXPECT_TRUE(ping.status().Is(node::LinkReason::kPeerOlder)) << ping.status().detail();
  EXPECT_FALSE(searched);
}

TEST_F(OlderPartnerTest, AnOlderAttuneThatIsNotThePartnersIsAnUnknownPeer) {
  const crypto::X25519KeyPair stranger = crypto::GenerateX25519KeyPair();
  OlderServe older(stranger);
  Result<node::SyncResult> synced = SyncFromB(older.responder.at());
  EXPECT_EQ(synced.status().code(), StatusCode::kUnknownPeer);
  EXPECT_FALSE(synced.status().Is(node::LinkReason::kPeerOlder));
  EXPECT_NE(synced.status().detail().find(node::KeyFingerprint(stranger.public_key)),
            std::string::npos)
      << synced.status().detail();
  ASSERT_TRUE(older.WaitForConnections(2));
  EXPECT_EQ(older.third_messages, 0);
}

TEST_F(OlderPartnerTest, AnOlderPartnersSyncGetsNothingAndServeSaysAnOlderAttuneTriedToConnect) {
  ServeThread serve(a_, FastTimeouts());
  // What attune/1's `sync` sends first: XX message 1, an ephemeral key and no payload.
  crypto::noise::HandshakeState xx =
      Noise(protocol::kLegacyNoiseProtocolName, protocol::kLegacyLinkProtocolName,
            crypto::noise::Role::kInitiator, b_.identity);
  ASSERT_OK_AND_ASSIGN(Bytes first, xx.WriteMessage({}));
  ASSERT_EQ(first.size(), protocol::kLegacyFirstMessageBytes);
  RawClient client(serve.port());
  client.SendFrame(first);
  EXPECT_EQ(client.BytesBeforeClose(), std::optional<size_t>(0));
  ASSERT_TRUE(serve.WaitForEvent(node::ServeEventKind::kOlderAttuneTriedToConnect));
  for (const node::ServeEvent& event : serve.events()) {
    if (event.kind == node::ServeEventKind::kOlderAttuneTriedToConnect) {
      EXPECT_EQ(event.host, "127.0.0.1");
    }
    // Never reported as tampering.
    EXPECT_NE(event.problem.code(), StatusCode::kProtocolError) << event.problem.detail();
  }
  // The updated partner still gets in.
  EXPECT_OK(SyncFromB(node::Endpoint{"127.0.0.1", serve.port()}).status());
}

TEST_F(OlderPartnerTest, ServeDialingAnOlderPartnerSaysSo) {
  OlderServe older(b_.identity);
  node::Partner partner = **a_.journal->GetPartner();
  partner.last_address = "127.0.0.1:" + std::to_string(older.responder.port());
  ASSERT_OK(a_.journal->SavePartner(partner, /*replace=*/true));
  ServeThread serve(a_, FastTimeouts(), {.dial = true});
  EXPECT_TRUE(serve.WaitForEvent(node::ServeEventKind::kPartnerOlder));
  ASSERT_TRUE(older.WaitForConnections(2));
  EXPECT_EQ(older.third_messages, 0);
}

TEST_F(OlderPartnerTest, APartnerWhoseAttuneIsNewerIsToldApart) {
  // A responder with A's keys that speaks KK but says it is version 3.
  ScriptedResponder newer([this](int fd) {
    std::optional<Bytes> first = ReadFrameFrom(fd, milliseconds(2000));
    if (!first) return;
    crypto::noise::HandshakeState kk =
        Noise(protocol::kNoiseProtocolName, protocol::kLinkProtocolName,
              crypto::noise::Role::kResponder, a_.identity, b_.identity.public_key);
    if (!kk.ReadMessage(*first).ok()) return;
    protocol::HelloMessage hello;
    hello.protocol_version = protocol::kLinkProtocolVersion + 1;
    WriteFrameTo(fd, kk.WriteMessage(protocol::EncodeHello(hello).value()).value());
  });
  Result<node::PingResult> ping = node::PingPartner(*b_.journal, newer.at(), FastTimeouts());
  EXPECT_EQ(ping.status().code(), StatusCode::kUnsupported) << ping.status().detail();
  EXPECT_TRUE(ping.status().Is(node::LinkReason::kPeerNewer));
}

}  // namespace
}  // namespace attune::link_testing
