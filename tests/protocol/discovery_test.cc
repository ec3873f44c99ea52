#include "protocol/discovery.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "crypto/aead.h"
#include "crypto/keyed_hash.h"
#include "crypto/x25519.h"
#include "tests/common/status_assertions.h"

namespace attune::protocol {
namespace {

constexpr uint64_t kWindow = 1'975'000;  // about 2026, in 15-minute windows
constexpr uint16_t kPort = 47017;
// Where the announcements of these tests are sent from, unless a test says otherwise.
const DiscoveryAddress kFrom = DiscoveryAddress::IPv4({192, 168, 1, 20});
const DiscoveryAddress kFromV6 = DiscoveryAddress::IPv6(
    {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55});

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
  EXPECT_EQ(pair.sam.Recognize(pair.alex.Announce(kPort, kWindow, kFrom), kWindow, kFrom), kPort);
  EXPECT_EQ(pair.alex.Recognize(pair.sam.Announce(1, kWindow, kFrom), kWindow, kFrom), 1);
  EXPECT_EQ(pair.alex.Recognize(pair.sam.Announce(65535, kWindow, kFrom), kWindow, kFrom), 65535);
}

TEST(DiscoveryKeyTest, EveryAnnouncementHasTheSameSizePairedOrPairing) {
  Pair pair;
  EXPECT_EQ(pair.alex.Announce(kPort, kWindow, kFrom).size(), kAnnouncementBytes);
  EXPECT_EQ(pair.sam.Announce(1, 0, kFrom).size(), kAnnouncementBytes);
  EXPECT_EQ(PairingKey(7).Announce(40000, kWindow, kFrom).size(), kAnnouncementBytes);
  EXPECT_EQ(kAnnouncementBytes, 83u);
}

TEST(DiscoveryKeyTest, TwoAnnouncementsOfTheSamePortInOneWindowShareOnlyTheToken) {
  Pair pair;
  const Bytes first = pair.alex.Announce(kPort, kWindow, kFrom);
  const Bytes second = pair.alex.Announce(kPort, kWindow, kFrom);
  EXPECT_EQ(Bytes(first.begin(), first.begin() + kDiscoveryTokenBytes),
            Bytes(second.begin(), second.begin() + kDiscoveryTokenBytes));
  EXPECT_NE(Bytes(first.begin() + kDiscoveryTokenBytes, first.end()),
            Bytes(second.begin() + kDiscoveryTokenBytes, second.end()));
}

TEST(DiscoveryKeyTest, TokensRotateEveryWindowAndDoNotRepeat) {
  Pair pair;
  std::set<Bytes> seen;
  for (uint64_t window = kWindow; window < kWindow + 100; ++window) {
    const Bytes packet = pair.alex.Announce(kPort, window, kFrom);
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
  const Bytes packet = pair.alex.Announce(kPort, kWindow, kFrom);
  EXPECT_EQ(pair.sam.Recognize(packet, kWindow - 1, kFrom), kPort);
  EXPECT_EQ(pair.sam.Recognize(packet, kWindow + 1, kFrom), kPort);
}

TEST(DiscoveryKeyTest, TwoWindowsAwayIsRefused) {
  Pair pair;
  const Bytes packet = pair.alex.Announce(kPort, kWindow, kFrom);
  EXPECT_EQ(pair.sam.Recognize(packet, kWindow - 2, kFrom), std::nullopt);
  EXPECT_EQ(pair.sam.Recognize(packet, kWindow + 2, kFrom), std::nullopt);
  EXPECT_EQ(pair.sam.Recognize(packet, 0, kFrom), std::nullopt);
}

TEST(DiscoveryKeyTest, WindowZeroAndTheLastWindowDoNotWrapAround) {
  Pair pair;
  EXPECT_EQ(pair.sam.Recognize(pair.alex.Announce(kPort, 0, kFrom), 0, kFrom), kPort);
  EXPECT_EQ(pair.sam.Recognize(pair.alex.Announce(kPort, UINT64_MAX, kFrom), UINT64_MAX, kFrom),
            kPort);
  EXPECT_EQ(pair.sam.Recognize(pair.alex.Announce(kPort, UINT64_MAX, kFrom), 0, kFrom),
            std::nullopt);
}

TEST(DiscoveryKeyTest, ANodeIgnoresItsOwnAnnouncement) {
  Pair pair;
  EXPECT_EQ(pair.alex.Recognize(pair.alex.Announce(kPort, kWindow, kFrom), kWindow, kFrom),
            std::nullopt);
  EXPECT_EQ(pair.sam.Recognize(pair.sam.Announce(kPort, kWindow, kFrom), kWindow, kFrom),
            std::nullopt);
}

TEST(DiscoveryKeyTest, AnotherPairsAnnouncementIsRefused) {
  Pair pair;
  Pair others;
  EXPECT_EQ(pair.sam.Recognize(others.alex.Announce(kPort, kWindow, kFrom), kWindow, kFrom),
            std::nullopt);
  EXPECT_EQ(pair.sam.Recognize(others.sam.Announce(kPort, kWindow, kFrom), kWindow, kFrom),
            std::nullopt);
}

TEST(DiscoveryKeyTest, AKeyBetweenOtherIdentitiesIsRefused) {
  // Alex paired with a third key: same own secret, different partner, so a different key.
  Pair pair;
  const crypto::X25519KeyPair stranger = crypto::GenerateX25519KeyPair();
  const DiscoveryKey alex_with_stranger = Pair::Make(pair.alex_identity, stranger.public_key);
  EXPECT_EQ(pair.sam.Recognize(alex_with_stranger.Announce(kPort, kWindow, kFrom), kWindow, kFrom),
            std::nullopt);
}

TEST(DiscoveryKeyTest, EveryChangedByteIsRefused) {
  Pair pair;
  const Bytes packet = pair.alex.Announce(kPort, kWindow, kFrom);
  for (size_t i = 0; i < packet.size(); ++i) {
    Bytes changed = packet;
    changed[i] ^= 0x01;
    EXPECT_EQ(pair.sam.Recognize(changed, kWindow, kFrom), std::nullopt) << "byte " << i;
  }
}

TEST(DiscoveryKeyTest, AnyOtherLengthIsRefused) {
  Pair pair;
  const Bytes packet = pair.alex.Announce(kPort, kWindow, kFrom);
  for (size_t size : {size_t{0}, size_t{1}, size_t{16}, kAnnouncementBytes - 1}) {
    EXPECT_EQ(pair.sam.Recognize(ByteSpan(packet).first(size), kWindow, kFrom), std::nullopt)
        << size;
  }
  Bytes longer = packet;
  longer.push_back(0);
  EXPECT_EQ(pair.sam.Recognize(longer, kWindow, kFrom), std::nullopt);
}

TEST(DiscoveryKeyTest, ATokenGluedToAnotherWindowsSealIsRefused) {
  Pair pair;
  const Bytes now = pair.alex.Announce(kPort, kWindow, kFrom);
  const Bytes later = pair.alex.Announce(kPort, kWindow + 1, kFrom);
  Bytes glued(later.begin(), later.begin() + kDiscoveryTokenBytes);
  glued.insert(glued.end(), now.begin() + kDiscoveryTokenBytes, now.end());
  EXPECT_EQ(pair.sam.Recognize(glued, kWindow, kFrom), std::nullopt);
}

TEST(DiscoveryKeyTest, APairingAnnouncementIsRecognisedOnItsChannelOnly) {
  const DiscoveryKey inviter = PairingKey(7);
  const DiscoveryKey joiner = PairingKey(7);
  const Bytes packet = inviter.Announce(40123, kWindow, kFrom);
  EXPECT_EQ(joiner.Recognize(packet, kWindow, kFrom), 40123);
  EXPECT_EQ(PairingKey(8).Recognize(packet, kWindow, kFrom), std::nullopt);
  EXPECT_EQ(PairingKey(999).Recognize(packet, kWindow, kFrom), std::nullopt);
}

TEST(DiscoveryKeyTest, PairingAndPairedAnnouncementsDoNotMix) {
  Pair pair;
  const DiscoveryKey pairing = PairingKey(7);
  EXPECT_EQ(pairing.Recognize(pair.alex.Announce(kPort, kWindow, kFrom), kWindow, kFrom),
            std::nullopt);
  EXPECT_EQ(pair.sam.Recognize(pairing.Announce(kPort, kWindow, kFrom), kWindow, kFrom),
            std::nullopt);
  EXPECT_EQ(pair.alex.Recognize(pairing.Announce(kPort, kWindow, kFrom), kWindow, kFrom),
            std::nullopt);
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
  EXPECT_EQ(pair.sam.Recognize(pair.alex.Announce(0, kWindow, kFrom), kWindow, kFrom),
            std::nullopt);
}

// ---- The source address (docs/protocol.md 6.2) ----

TEST(DiscoveryAddressTest, IsAFamilyByteAndSixteenBytesWithIPv4InTheMappedForm) {
  const std::array<uint8_t, kDiscoveryAddressBytes> v4 =
      DiscoveryAddress::IPv4({192, 168, 1, 20}).Encode();
  const std::array<uint8_t, kDiscoveryAddressBytes> expected_v4 = {
      4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 1, 20};
  EXPECT_EQ(v4, expected_v4);
  const std::array<uint8_t, kDiscoveryAddressBytes> v6 = kFromV6.Encode();
  EXPECT_EQ(v6[0], 6);
  EXPECT_TRUE(std::equal(kFromV6.bytes.begin(), kFromV6.bytes.end(), v6.begin() + 1));
}

TEST(DiscoveryKeyTest, AnAnnouncementIsRecognisedFromTheAddressSealedInItOnly) {
  Pair pair;
  const Bytes packet = pair.alex.Announce(kPort, kWindow, kFrom);
  EXPECT_EQ(pair.sam.Recognize(packet, kWindow, kFrom), kPort);
  // A replay from another device on the network, of either family, is refused.
  EXPECT_EQ(pair.sam.Recognize(packet, kWindow, DiscoveryAddress::IPv4({192, 168, 1, 66})),
            std::nullopt);
  EXPECT_EQ(pair.sam.Recognize(packet, kWindow, kFromV6), std::nullopt);
  // So is one from the same address written as an IPv6 address (family 6, IPv4-mapped bytes):
  // node/ always gives an IPv4 source as IPv4.
  DiscoveryAddress mapped = kFrom;
  mapped.family = DiscoveryAddress::Family::kIPv6;
  EXPECT_EQ(pair.sam.Recognize(packet, kWindow, mapped), std::nullopt);
}

TEST(DiscoveryKeyTest, AnIPv6AnnouncementIsRecognisedFromItsLinkLocalAddressOnly) {
  Pair pair;
  const Bytes packet = pair.sam.Announce(kPort, kWindow, kFromV6);
  EXPECT_EQ(pair.alex.Recognize(packet, kWindow, kFromV6), kPort);
  DiscoveryAddress other = kFromV6;
  other.bytes[15] ^= 0x01;
  EXPECT_EQ(pair.alex.Recognize(packet, kWindow, other), std::nullopt);
  EXPECT_EQ(pair.alex.Recognize(packet, kWindow, kFrom), std::nullopt);
}

TEST(DiscoveryKeyTest, AnInvitationIsBoundToItsSourceAddressToo) {
  const DiscoveryKey inviter = PairingKey(7);
  const Bytes packet = inviter.Announce(40123, kWindow, kFrom);
  EXPECT_EQ(PairingKey(7).Recognize(packet, kWindow, kFrom), 40123);
  EXPECT_EQ(PairingKey(7).Recognize(packet, kWindow, DiscoveryAddress::IPv4({10, 0, 0, 9})),
            std::nullopt);
}

// Every one of the 17 bytes of the source address counts: an announcement sealed for an address
// that differs in any one bit of any byte (the family byte included) is refused from the
// original address, and the other way round.
TEST(DiscoveryKeyTest, AnAddressThatDiffersInAnyByteIsRefused) {
  Pair pair;
  for (const DiscoveryAddress& from : {kFrom, kFromV6}) {
    const std::array<uint8_t, kDiscoveryAddressBytes> encoded = from.Encode();
    for (size_t i = 0; i < encoded.size(); ++i) {
      DiscoveryAddress changed = from;
      if (i == 0) {
        changed.family = from.family == DiscoveryAddress::Family::kIPv4
                             ? DiscoveryAddress::Family::kIPv6
                             : DiscoveryAddress::Family::kIPv4;
      } else {
        changed.bytes[i - 1] ^= 0x01;
      }
      EXPECT_EQ(pair.sam.Recognize(pair.alex.Announce(kPort, kWindow, changed), kWindow, from),
                std::nullopt)
          << "byte " << i;
      EXPECT_EQ(pair.sam.Recognize(pair.alex.Announce(kPort, kWindow, from), kWindow, changed),
                std::nullopt)
          << "byte " << i;
    }
  }
}

// A paired announcement as attune before the source address was bound made it (version 1:
// "attune/1 discovery" labels, port and window sealed, 66 bytes), by the documented recipe.
Bytes VersionOneAnnouncement(const crypto::X25519KeyPair& own,
                             const crypto::X25519PublicKey& partner, uint16_t port,
                             uint64_t window) {
  const crypto::SecureBytes shared = crypto::X25519(own.secret, partner).value();
  const bool own_first = own.public_key < partner;
  const std::string_view label = "attune/1 discovery";
  Bytes input(label.begin(), label.end());
  for (const crypto::X25519PublicKey& key :
       {own_first ? own.public_key : partner, own_first ? partner : own.public_key}) {
    input.insert(input.end(), key.begin(), key.end());
  }
  const crypto::SecureBytes root = crypto::SecureBytes::CopyOf(crypto::AuthTag(shared, input));
  const crypto::SecureBytes token_key = crypto::DeriveSubkey(root, "attune/1 discovery token");
  const crypto::SecureBytes seal_key =
      crypto::DeriveSubkey(root, "attune/1 discovery seal", crypto::aead::kKeyBytes);
  Bytes token_input{static_cast<uint8_t>(own_first ? 0 : 1)};
  Bytes plaintext{static_cast<uint8_t>(port >> 8), static_cast<uint8_t>(port)};
  for (int shift = 56; shift >= 0; shift -= 8) {
    token_input.push_back(static_cast<uint8_t>(window >> shift));
    plaintext.push_back(static_cast<uint8_t>(window >> shift));
  }
  Bytes packet = crypto::AuthTag(token_key, token_input);
  packet.resize(kDiscoveryTokenBytes);
  const Bytes sealed = crypto::aead::Seal(seal_key, plaintext, packet).value();
  packet.insert(packet.end(), sealed.begin(), sealed.end());
  return packet;
}

TEST(DiscoveryKeyTest, AnAnnouncementOfTheOldFormatIsIgnored) {
  Pair pair;
  const Bytes old =
      VersionOneAnnouncement(pair.alex_identity, pair.sam_identity.public_key, kPort, kWindow);
  ASSERT_EQ(old.size(), 66u);
  EXPECT_EQ(pair.sam.Recognize(old, kWindow, kFrom), std::nullopt);
  // Nor does it pass at the new size: the version-2 keys share no token with version 1.
  Bytes padded = old;
  padded.resize(kAnnouncementBytes);
  EXPECT_EQ(pair.sam.Recognize(padded, kWindow, kFrom), std::nullopt);
  EXPECT_NE(Bytes(old.begin(), old.begin() + kDiscoveryTokenBytes),
            pair.alex.Token(pair.alex.own_role(), kWindow));
}

}  // namespace
}  // namespace attune::protocol
