// The probe that tells an older partner's attune (attune/1: Noise XX, prologue "attune/1") from
// a stranger after a KK handshake was closed unanswered (protocol/legacy_probe.h).
#include "protocol/legacy_probe.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/noise.h"
#include "protocol/messages.h"
#include "protocol/session.h"
#include "tests/common/status_assertions.h"

namespace attune::protocol {
namespace {

class LegacyProbeTest : public ::testing::Test {
 protected:
  // An attune/1 serve's answer to `first` with `keys`: XX message 2 and its version-1 Hello.
  static Bytes OlderAnswer(const crypto::X25519KeyPair& keys, ByteSpan first,
                           std::string_view prologue = kLegacyLinkProtocolName) {
    crypto::noise::HandshakeOptions options;
    options.role = crypto::noise::Role::kResponder;
    options.protocol_name = std::string(kLegacyNoiseProtocolName);
    options.prologue = Bytes(prologue.begin(), prologue.end());
    options.local_static = crypto::CopyKeyPair(keys);
    crypto::noise::HandshakeState xx =
        crypto::noise::HandshakeState::Create(std::move(options)).value();
    EXPECT_OK(xx.ReadMessage(first).status());
    HelloMessage hello{kLegacyLinkProtocolVersion, 47017, false, 0, {}};
    return xx.WriteMessage(EncodeHello(hello).value()).value();
  }

  LegacyProbe Start() {
    Result<LegacyProbe> probe = LegacyProbe::Start(crypto::CopyKeyPair(own_), partner_.public_key);
    EXPECT_TRUE(probe.ok());
    return std::move(probe).value();
  }

  crypto::X25519KeyPair own_ = crypto::GenerateX25519KeyPair();
  crypto::X25519KeyPair partner_ = crypto::GenerateX25519KeyPair();
};

TEST_F(LegacyProbeTest, ItsFirstMessageIsAnAttune1FirstMessageAndCarriesNoKey) {
  LegacyProbe probe = Start();
  EXPECT_EQ(probe.first_message().size(), kLegacyFirstMessageBytes);
  EXPECT_EQ(std::search(probe.first_message().begin(), probe.first_message().end(),
                        own_.public_key.begin(), own_.public_key.end()),
            probe.first_message().end());
}

TEST_F(LegacyProbeTest, ThePartnersOlderAttuneIsRecognised) {
  LegacyProbe probe = Start();
  EXPECT_OK(probe.Read(OlderAnswer(partner_, probe.first_message())));
}

TEST_F(LegacyProbeTest, AnotherOlderAttuneIsAnUnknownPeerNamedByItsKey) {
  LegacyProbe probe = Start();
  const crypto::X25519KeyPair stranger = crypto::GenerateX25519KeyPair();
  EXPECT_CODE(probe.Read(OlderAnswer(stranger, probe.first_message())), kUnknownPeer);
  ASSERT_TRUE(probe.unknown_peer_key().has_value());
  EXPECT_EQ(*probe.unknown_peer_key(), stranger.public_key);
}

TEST_F(LegacyProbeTest, AnythingElseIsNotAnAttune1Answer) {
  {
    LegacyProbe probe = Start();
    EXPECT_CODE(probe.Read(Bytes(96, 0x42)), kAuthFailed);
  }
  {
    LegacyProbe probe = Start();
    EXPECT_CODE(probe.Read(Bytes()), kAuthFailed);
  }
  {  // the partner's key, but another prologue: not attune/1
    LegacyProbe probe = Start();
    EXPECT_CODE(probe.Read(OlderAnswer(partner_, probe.first_message(), "attune/0")), kAuthFailed);
  }
  {  // the answer to another probe
    LegacyProbe other = Start();
    LegacyProbe probe = Start();
    EXPECT_CODE(probe.Read(OlderAnswer(partner_, other.first_message())), kAuthFailed);
  }
}

}  // namespace
}  // namespace attune::protocol
