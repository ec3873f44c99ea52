#include "protocol/discovery.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "crypto/x25519.h"
#include "tests/common/status_assertions.h"

namespace attune::protocol {
namespace {

constexpr uint64_t kWindow = 1'975'000;  // about 2026, in 15-minute windows
constexpr uint16_t kPort = 47017;

// Two partners' discovery keys, computed each on its own side.
struct Pair {
  crypto::X25519KeyPair alex_identity = crypto::GenerateX25519KeyPair();
  crypto::X25519KeyPair sam_identity = crypto::GenerateX25519KeyPair();
  DiscoveryKey alex = Make(alex_identity, sam_identity.public_key);
  DiscoveryKey sam = Make(sam_identity, alex_identity.public_key);

  static DiscoveryKey Make(const crypto::X25519KeyPair& own, const crypto::X25519PublicKey& peer) {
    Result<DiscoveryKey> key = DiscoveryKey::Paired(own, peer);
    EXPECT_TRUE(key.ok()) << key.status().detail();
    return std::move(key).value();
  }
};

DiscoveryKey PairingKey(uint32_t channel) {
  Result<DiscoveryKey> key = DiscoveryKey::Pairing(channel);
  EXPECT_TRUE(key.ok()) << key.status().detail();
  return std::move(key).value();
}

TEST(DiscoveryWindowTest, IsFifteenMinutesOfUnixTime) {
  EXPECT_EQ(DiscoveryWindow(0), 0u);
  EXPECT_EQ(DiscoveryWindow(899), 0u);
  EXPECT_EQ(DiscoveryWindow(900), 1u);
  EXPECT_EQ(DiscoveryWindow(-5), 0u);
  EXPECT_EQ(DiscoveryWindow(1'800'000'000), 2'000'000u);
}

TEST(DiscoveryKeyTest, APartnerRecognisesTheOthersAnnouncementAndPort) {
  Pair pair;
  EXPECT_NE(pair.alex.own_role(), pair.sam.own_role());
  EXPECT_EQ(pair.sam.Recognize(pair.alex.Announce(kPort, kWindow), kWindow), kPort);
  EXPECT_EQ(pair.alex.Recognize(pair.sam.Announce(1, kWindow), kWindow), 1);
  EXPECT_EQ(pair.alex.Recognize(pair.sam.Announce(65535, kWindow), kWindow), 65535);
}

TEST(DiscoveryKeyTest, EveryAnnouncementHasTheSameSizePairedOrPairing) {
  Pair pair;
  EXPECT_EQ(pair.alex.Announce(kPort, kWindow).size(), kAnnouncementBytes);
  EXPECT_EQ(pair.sam.Announce(1, 0).size(), kAnnouncementBytes);
  EXPECT_EQ(PairingKey(7).Announce(40000, kWindow).size(), kAnnouncementBytes);
  EXPECT_EQ(kAnnouncementBytes, 66u);
}

TEST(DiscoveryKeyTest, TwoAnnouncementsOfTheSamePortInOneWindowShareOnlyTheToken) {
  Pair pair;
  const Bytes first = pair.alex.Announce(kPort, kWindow);
  const Bytes second = pair.alex.Announce(kPort, kWindow);
  EXPECT_EQ(Bytes(first.begin(), first.begin() + kDiscoveryTokenBytes),
            Bytes(second.begin(), second.begin() + kDiscoveryTokenBytes));
  EXPECT_NE(Bytes(first.begin() + kDiscoveryTokenBytes, first.end()),
            Bytes(second.begin() + kDiscoveryTokenBytes, second.end()));
}

TEST(DiscoveryKeyTest, TokensRotateEveryWindowAndDoNotRepeat) {
  Pair pair;
  std::set<Bytes> seen;
  for (uint64_t window = kWindow; window < kWindow + 100; ++window) {
    const Bytes packet = pair.alex.Announce(kPort, window);
    EXPECT_TRUE(seen.insert(Bytes(packet.begin(), packet.begin() + kDiscoveryTokenBytes)).second);
  }
  // Nor do the two partners' tokens, or another pair's, coincide in one window.
  Pair others;
  EXPECT_NE(pair.alex.Token(DiscoveryRole::kFirst, kWindow),
            pair.alex.Token(DiscoveryRole::kSecond, kWindow));
  EXPECT_NE(pair.alex.Token(DiscoveryRole::kFirst, kWindow),
            others.alex.Token(DiscoveryRole::kFirst, kWindow));
}

TEST(DiscoveryKeyTest, ANeighbouringWindowIsAcceptedForClockSkew) {
  Pair pair;
  const Bytes packet = pair.alex.Announce(kPort, kWindow);
  EXPECT_EQ(pair.sam.Recognize(packet, kWindow - 1), kPort);
  EXPECT_EQ(pair.sam.Recognize(packet, kWindow + 1), kPort);
}

TEST(DiscoveryKeyTest, TwoWindowsAwayIsRefused) {
  Pair pair;
  const Bytes packet = pair.alex.Announce(kPort, kWindow);
  EXPECT_EQ(pair.sam.Recognize(packet, kWindow - 2), std::nullopt);
  EXPECT_EQ(pair.sam.Recognize(packet, kWindow + 2), std::nullopt);
  EXPECT_EQ(pair.sam.Recognize(packet, 0), std::nullopt);
}

TEST(DiscoveryKeyTest, WindowZeroAndTheLastWindowDoNotWrapAround) {
  Pair pair;
  EXPECT_EQ(pair.sam.Recognize(pair.alex.Announce(kPort, 0), 0), kPort);
  EXPECT_EQ(pair.sam.Recognize(pair.alex.Announce(kPort, UINT64_MAX), UINT64_MAX), kPort);
  EXPECT_EQ(pair.sam.Recognize(pair.alex.Announce(kPort, UINT64_MAX), 0), std::nullopt);
}

TEST(DiscoveryKeyTest, ANodeIgnoresItsOwnAnnouncement) {
  Pair pair;
  EXPECT_EQ(pair.alex.Recognize(pair.alex.Announce(kPort, kWindow), kWindow), std::nullopt);
  EXPECT_EQ(pair.sam.Recognize(pair.sam.Announce(kPort, kWindow), kWindow), std::nullopt);
}

TEST(DiscoveryKeyTest, AnotherPairsAnnouncementIsRefused) {
  Pair pair;
  Pair others;
  EXPECT_EQ(pair.sam.Recognize(others.alex.Announce(kPort, kWindow), kWindow), std::nullopt);
  EXPECT_EQ(pair.sam.Recognize(others.sam.Announce(kPort, kWindow), kWindow), std::nullopt);
}

TEST(DiscoveryKeyTest, AKeyBetweenOtherIdentitiesIsRefused) {
  // Alex paired with a third key: same own secret, different partner, so a different key.
  Pair pair;
  const crypto::X25519KeyPair stranger = crypto::GenerateX25519KeyPair();
  const DiscoveryKey alex_with_stranger = Pair::Make(pair.alex_identity, stranger.public_key);
  EXPECT_EQ(pair.sam.Recognize(alex_with_stranger.Announce(kPort, kWindow), kWindow), std::nullopt);
}

TEST(DiscoveryKeyTest, EveryChangedByteIsRefused) {
  Pair pair;
  const Bytes packet = pair.alex.Announce(kPort, kWindow);
  for (size_t i = 0; i < packet.size(); ++i) {
    Bytes changed = packet;
    changed[i] ^= 0x01;
    EXPECT_EQ(pair.sam.Recognize(changed, kWindow), std::nullopt) << "byte " << i;
  }
}

TEST(DiscoveryKeyTest, AnyOtherLengthIsRefused) {
  Pair pair;
  const Bytes packet = pair.alex.Announce(kPort, kWindow);
  for (size_t size : {size_t{0}, size_t{1}, size_t{16}, kAnnouncementBytes - 1}) {
    EXPECT_EQ(pair.sam.Recognize(ByteSpan(packet).first(size), kWindow), std::nullopt) << size;
  }
  Bytes longer = packet;
  longer.push_back(0);
  EXPECT_EQ(pair.sam.Recognize(longer, kWindow), std::nullopt);
}

TEST(DiscoveryKeyTest, ATokenGluedToAnotherWindowsSealIsRefused) {
  Pair pair;
  const Bytes now = pair.alex.Announce(kPort, kWindow);
  const Bytes later = pair.alex.Announce(kPort, kWindow + 1);
  Bytes glued(later.begin(), later.begin() + kDiscoveryTokenBytes);
  glued.insert(glued.end(), now.begin() + kDiscoveryTokenBytes, now.end());
  EXPECT_EQ(pair.sam.Recognize(glued, kWindow), std::nullopt);
}

TEST(DiscoveryKeyTest, APairingAnnouncementIsRecognisedOnItsChannelOnly) {
  const DiscoveryKey inviter = PairingKey(7);
  const DiscoveryKey joiner = PairingKey(7);
  const Bytes packet = inviter.Announce(40123, kWindow);
  EXPECT_EQ(joiner.Recognize(packet, kWindow), 40123);
  EXPECT_EQ(PairingKey(8).Recognize(packet, kWindow), std::nullopt);
  EXPECT_EQ(PairingKey(999).Recognize(packet, kWindow), std::nullopt);
}

TEST(DiscoveryKeyTest, PairingAndPairedAnnouncementsDoNotMix) {
  Pair pair;
  const DiscoveryKey pairing = PairingKey(7);
  EXPECT_EQ(pairing.Recognize(pair.alex.Announce(kPort, kWindow), kWindow), std::nullopt);
  EXPECT_EQ(pair.sam.Recognize(pairing.Announce(kPort, kWindow), kWindow), std::nullopt);
  EXPECT_EQ(pair.alex.Recognize(pairing.Announce(kPort, kWindow), kWindow), std::nullopt);
}

TEST(DiscoveryKeyTest, AChannelOutOfRangeIsRefused) {
  EXPECT_CODE(DiscoveryKey::Pairing(0).status(), kInvalidArgument);
  EXPECT_CODE(DiscoveryKey::Pairing(1000).status(), kInvalidArgument);
}

TEST(DiscoveryKeyTest, ALowOrderPartnerKeyIsRefused) {
  const crypto::X25519KeyPair own = crypto::GenerateX25519KeyPair();
  const crypto::X25519PublicKey zero{};
  EXPECT_CODE(DiscoveryKey::Paired(own, zero).status(), kAuthFailed);
}

TEST(DiscoveryKeyTest, PortZeroIsNeverAnnouncedAsAPlaceToConnect) {
  Pair pair;
  EXPECT_EQ(pair.sam.Recognize(pair.alex.Announce(0, kWindow), kWindow), std::nullopt);
}

}  // namespace
}  // namespace attune::protocol
