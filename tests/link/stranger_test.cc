// Issue 15, "a node that says nothing to strangers": against a real serve, every first message
// someone without the partner's key could send (a first message of every Noise pattern, from a
// stranger's key or naming the partner's, under the right and wrong prologues and hashes; a
// replay of the partner's genuine first message; empty, oversized and unframed bytes; random
// bytes of many lengths) gets exactly zero bytes back before the node closes the connection.
// Whoever probes a node learns nothing about it, not even its public key. Afterwards the
// partner still syncs. (docs/protocol.md, section 5.2, "Strangers: zero bytes back".)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/noise.h"
#include "crypto/noise_patterns.h"
#include "crypto/random.h"
#include "protocol/frame.h"
#include "protocol/session.h"
#include "tests/common/status_assertions.h"
#include "tests/link/hostile_peer.h"

namespace attune::link_testing {
namespace {

using std::chrono::milliseconds;

// One first message to try, and what it is, for the failure message.
struct Probe {
  std::string what;
  Bytes bytes;            // as sent on the connection (framed or not)
  bool end_after = true;  // shut down the sending side after it (EOF for the node)
};

Bytes Framed(ByteSpan payload) {
  Result<Bytes> frame = protocol::EncodeFrame(payload);
  EXPECT_TRUE(frame.ok()) << frame.status().detail();
  return frame.ok() ? std::move(*frame) : Bytes();
}

Bytes Text(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

bool Has(const std::vector<crypto::noise::Token>& tokens, crypto::noise::Token token) {
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

// The keys `pattern`'s initiator must hold: a static key if it pre-shares or sends one, the
// responder's if the responder pre-shares it.
struct PatternKeys {
  bool local = false;
  bool remote = false;
};

PatternKeys KeysOf(const crypto::noise::HandshakePattern& pattern) {
  PatternKeys keys{Has(pattern.initiator_pre_message, crypto::noise::Token::kS),
                   Has(pattern.responder_pre_message, crypto::noise::Token::kS)};
  for (size_t i = 0; i < pattern.messages.size(); i += 2) {
    keys.local = keys.local || Has(pattern.messages[i], crypto::noise::Token::kS);
  }
  return keys;
}

class StrangerTest : public HostilePeerTest {
 protected:
  // A Hello as the partner's attune would send it, with a fresh counter from B's journal.
  Bytes PartnersHello() {
    protocol::HelloMessage hello;
    Result<uint64_t> counter = b_.journal->NextHandshakeCounter();
    EXPECT_TRUE(counter.ok());
    hello.handshake_counter = counter.ok() ? *counter : 1;
    Result<Bytes> encoded = protocol::EncodeHello(hello);
    return encoded.ok() ? std::move(*encoded) : Bytes();
  }

  // The first message of `pattern` (as a frame), from `local` to A (or to `remote`), or nullopt
  // if that pattern cannot be started so (e.g. a one-way pattern's hash is unsupported).
  std::optional<Bytes> PatternFirstMessage(const std::string& protocol_name,
                                           std::string_view prologue,
                                           const crypto::X25519KeyPair& local,
                                           const crypto::X25519PublicKey& remote,
                                           ByteSpan payload) {
    Result<crypto::noise::Protocol> parsed = crypto::noise::ParseProtocolName(protocol_name);
    if (!parsed.ok()) return std::nullopt;
    const PatternKeys keys = KeysOf(parsed->pattern);
    crypto::noise::HandshakeOptions options;
    options.role = crypto::noise::Role::kInitiator;
    options.protocol_name = protocol_name;
    options.prologue = Bytes(prologue.begin(), prologue.end());
    if (keys.local) options.local_static = crypto::CopyKeyPair(local);
    if (keys.remote) options.remote_static = remote;
    Result<crypto::noise::HandshakeState> handshake =
        crypto::noise::HandshakeState::Create(std::move(options));
    EXPECT_TRUE(handshake.ok()) << protocol_name << ": " << handshake.status().detail();
    if (!handshake.ok()) return std::nullopt;
    Result<Bytes> message = handshake->WriteMessage(payload);
    EXPECT_TRUE(message.ok()) << protocol_name;
    if (!message.ok()) return std::nullopt;
    return Framed(*message);
  }

  // Every pattern's first message, from a stranger's key and from the partner's own key pair
  // (as a partner with another build, or the partner's key in a replaying stranger's hands
  // could not send: the genuine KK is left out), each with an attune Hello and without.
  std::vector<Probe> EveryPatternsFirstMessage() {
    std::vector<Probe> probes;
    const crypto::X25519KeyPair stranger = crypto::GenerateX25519KeyPair();
    for (std::string_view pattern : crypto::noise::SupportedPatternNames()) {
      const std::string name = "Noise_" + std::string(pattern) + "_25519_ChaChaPoly_BLAKE2b";
      for (const auto& [who, keys] :
           {std::pair<std::string, const crypto::X25519KeyPair*>{"a stranger's key", &stranger},
            {"the partner's key", &b_.identity}}) {
        for (const bool with_hello : {true, false}) {
          if (pattern == "KK" && keys == &b_.identity && with_hello) continue;  // genuine
          const Bytes payload = with_hello ? PartnersHello() : Bytes();
          std::optional<Bytes> first = PatternFirstMessage(name, protocol::kLinkProtocolName, *keys,
                                                           a_.identity.public_key, payload);
          if (!first) continue;
          probes.push_back({name + " from " + who + (with_hello ? " with a Hello" : ""),
                            std::move(*first), false});
        }
      }
    }
    return probes;
  }

  // KK itself, one thing wrong at a time.
  std::vector<Probe> KkWithOneThingWrong() {
    const std::string kk(protocol::kNoiseProtocolName);
    const crypto::X25519KeyPair stranger = crypto::GenerateX25519KeyPair();
    const crypto::X25519PublicKey nobody = crypto::GenerateX25519KeyPair().public_key;
    const crypto::X25519PublicKey& a = a_.identity.public_key;
    struct Case {
      std::string what;
      std::string name;
      std::string_view prologue;
      const crypto::X25519KeyPair* local;
      const crypto::X25519PublicKey* remote;
    };
    const std::vector<Case> cases = {
        {"KK from a stranger's key to another responder key", kk, protocol::kLinkProtocolName,
         &stranger, &nobody},
        {"KK from a stranger's key, with the right responder key", kk, protocol::kLinkProtocolName,
         &stranger, &a},
        {"KK from the partner's key to another responder key", kk, protocol::kLinkProtocolName,
         &b_.identity, &nobody},
        {"KK with the prologue attune/1", kk, protocol::kLegacyLinkProtocolName, &b_.identity, &a},
        {"KK without a prologue", kk, "", &b_.identity, &a},
        {"KK with SHA256", "Noise_KK_25519_ChaChaPoly_SHA256", protocol::kLinkProtocolName,
         &b_.identity, &a},
        {"KK with SHA512", "Noise_KK_25519_ChaChaPoly_SHA512", protocol::kLinkProtocolName,
         &b_.identity, &a},
        {"IK with the partner's key inside, SHA256", "Noise_IK_25519_ChaChaPoly_SHA256",
         protocol::kLinkProtocolName, &b_.identity, &a},
    };
    std::vector<Probe> probes;
    for (const Case& c : cases) {
      std::optional<Bytes> first =
          PatternFirstMessage(c.name, c.prologue, *c.local, *c.remote, PartnersHello());
      if (first) probes.push_back({c.what, std::move(*first), false});
    }
    return probes;
  }

  // Bytes that are no Noise message at all.
  std::vector<Probe> NotAHandshake() {
    std::vector<Probe> probes = {
        {"an empty frame", Bytes{0, 0}, false},
        {"an empty connection", Bytes(), true},
        {"the largest frame, of zeros", Framed(Bytes(protocol::kMaxFrameBytes, 0)), false},
        {"a length the frame never fills, then the end", Bytes{0xff, 0xff, 1, 2, 3}, true},
        {"an HTTP request", Text("GET / HTTP/1.1\r\nHost: attune\r\n\r\n"), true},
        {"a TLS ClientHello's start", Bytes{0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00}, true},
    };
    for (size_t size : {1,  2,  3,  16, 31, 32,  33,  47,   48,   49,    63,
                        64, 65, 80, 96, 97, 128, 255, 1024, 4096, 65'535}) {
      probes.push_back({"a frame of " + std::to_string(size) + " random bytes",
                        Framed(crypto::RandomBytes(size)), false});
    }
    for (size_t size : {1, 2, 3, 34, 50, 100, 1000, 70'000}) {
      probes.push_back(
          {std::to_string(size) + " random bytes, unframed", crypto::RandomBytes(size), true});
    }
    return probes;
  }

  // Sends `probe` on a fresh connection; the node must close it having sent nothing.
  void ExpectSilence(const Probe& probe) {
    RawClient client(serve_->port());
    ASSERT_TRUE(client.connected()) << probe.what;
    client.SendBytes(probe.bytes);
    if (probe.end_after) client.ShutdownWrite();
    // A partial frame without an end waits for the handshake timeout (FastTimeouts: 0.5 s).
    EXPECT_EQ(client.BytesBeforeClose(milliseconds(5'000)), std::optional<size_t>(0))
        << probe.what << ": the node answered, or never closed";
  }
};

TEST_F(StrangerTest, EveryFirstMessageFromAStrangerGetsZeroBytesBack) {
  Serve();
  std::vector<Probe> probes = EveryPatternsFirstMessage();
  EXPECT_GE(probes.size(), 4u * 38 - 1);
  for (std::vector<Probe> more : {KkWithOneThingWrong(), NotAHandshake()}) {
    for (Probe& probe : more) probes.push_back(std::move(probe));
  }
  for (const Probe& probe : probes) ExpectSilence(probe);
  {  // The measure sees an answer when there is one: the genuine first message gets message 2.
    protocol::HelloMessage hello;
    ASSERT_OK_AND_ASSIGN(hello.handshake_counter, b_.journal->NextHandshakeCounter());
    std::optional<FirstMessage> genuine =
        WriteFirstMessage(b_.identity, a_.identity.public_key, hello);
    ASSERT_TRUE(genuine.has_value());
    RawClient client(serve_->port());
    client.SendBytes(Framed(genuine->message));
    client.ShutdownWrite();
    const std::optional<size_t> answered = client.BytesBeforeClose();
    ASSERT_TRUE(answered.has_value());
    EXPECT_GT(*answered, 0u);
  }
  // What serve says names nobody and no key.
  for (const node::ServeEvent& event : serve_->events()) {
    EXPECT_EQ(event.problem.detail().find(node::KeyFingerprint(b_.identity.public_key)),
              std::string::npos)
        << event.problem.detail();
  }
  ExpectOwnEntriesUnchanged();
  ExpectHonestSyncWorks();
}

TEST_F(StrangerTest, AReplayedGenuineFirstMessageGetsZeroBytesBack) {
  Serve();
  std::unique_ptr<HostilePeer> genuine = ConnectAsPartner();
  ASSERT_NE(genuine, nullptr);
  const Bytes captured = Framed(genuine->first_message());
  // While the genuine session lasts, and after it ended, from as many connections as anyone
  // likes: the counter in it was answered once.
  ExpectSilence({"the genuine first message, replayed while its session is up", captured, false});
  genuine->Send(protocol::GoodbyeMessage{});
  ASSERT_TRUE(genuine->client().ClosedByPeer());
  for (int i = 0; i < 3; ++i) {
    ExpectSilence({"the genuine first message, replayed afterwards", captured, false});
  }
  ExpectHonestSyncWorks();
  ExpectSilence(
      {"the genuine first message, replayed after the partner synced again", captured, false});
  ExpectOwnEntriesUnchanged();
}

TEST_F(StrangerTest, APartnersFirstMessageThatCannotBeAnsweredGetsZeroBytesBack) {
  // Authentic (the partner's keys) but refused: the node still says nothing.
  Serve();
  protocol::HelloMessage hello;
  std::vector<std::pair<std::string, protocol::HelloMessage>> hellos;
  hello.handshake_counter = 0;
  hellos.push_back({"a Hello without a counter", hello});
  hello.handshake_counter = *b_.journal->NextHandshakeCounter();
  hello.protocol_version = protocol::kLegacyLinkProtocolVersion;
  hellos.push_back({"a Hello of version 1 in a KK handshake", hello});
  hello.handshake_counter = *b_.journal->NextHandshakeCounter();
  hello.protocol_version = protocol::kLinkProtocolVersion + 1;
  hellos.push_back({"a Hello of a newer version", hello});
  for (const auto& [what, sent] : hellos) {
    std::optional<FirstMessage> first =
        WriteFirstMessage(b_.identity, a_.identity.public_key, sent);
    ASSERT_TRUE(first.has_value());
    ExpectSilence({what, Framed(first->message), false});
  }
  EXPECT_TRUE(serve_->WaitForEvent(node::ServeEventKind::kPartnerNewer));
  ExpectHonestSyncWorks();
}

}  // namespace
}  // namespace attune::link_testing
