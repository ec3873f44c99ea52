#include "protocol/discovery.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "crypto/aead.h"
#include "crypto/keyed_hash.h"
#include "protocol/pairing_code.h"

namespace attune::protocol {
namespace {

// Version 2 binds the source address; new labels, so that no key of version 1 (whose
// announcements could be replayed from anywhere) is ever computed again.
constexpr std::string_view kPairedLabel = "attune/2 discovery";
constexpr std::string_view kPairingLabel = "attune/2 discovery pairing";
constexpr std::string_view kTokenLabel = "attune/2 discovery token";
constexpr std::string_view kSealLabel = "attune/2 discovery seal";
constexpr size_t kPlaintextBytes = 2 + 8 + kDiscoveryAddressBytes;
static_assert(kAnnouncementBytes ==
              kDiscoveryTokenBytes + crypto::aead::kOverheadBytes + kPlaintextBytes);

void PutBigEndian(Bytes& out, uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<uint8_t>(value >> shift));
  }
}

uint64_t GetBigEndian(ByteSpan in) {
  uint64_t value = 0;
  for (uint8_t byte : in) value = (value << 8) | byte;
  return value;
}

// Tokens are compared without an early exit, so the time taken says nothing about how many
// leading bytes of a guess were right.
bool SameBytes(ByteSpan a, ByteSpan b) {
  if (a.size() != b.size()) return false;
  uint8_t difference = 0;
  for (size_t i = 0; i < a.size(); ++i) difference |= static_cast<uint8_t>(a[i] ^ b[i]);
  return difference == 0;
}

}  // namespace

DiscoveryAddress DiscoveryAddress::IPv4(const std::array<uint8_t, 4>& address) {
  DiscoveryAddress out;
  out.family = Family::kIPv4;
  out.bytes[10] = 0xff;
  out.bytes[11] = 0xff;
  std::copy(address.begin(), address.end(), out.bytes.begin() + 12);
  return out;
}

DiscoveryAddress DiscoveryAddress::IPv6(const std::array<uint8_t, 16>& address) {
  DiscoveryAddress out;
  out.family = Family::kIPv6;
  out.bytes = address;
  return out;
}

std::array<uint8_t, kDiscoveryAddressBytes> DiscoveryAddress::Encode() const {
  std::array<uint8_t, kDiscoveryAddressBytes> out{};
  out[0] = static_cast<uint8_t>(family);
  std::copy(bytes.begin(), bytes.end(), out.begin() + 1);
  return out;
}

uint64_t DiscoveryWindow(int64_t unix_seconds) {
  if (unix_seconds < 0) return 0;
  return static_cast<uint64_t>(unix_seconds) / kDiscoveryWindowSeconds;
}

DiscoveryKey::DiscoveryKey(crypto::SecureBytes token_key, crypto::SecureBytes seal_key,
                           DiscoveryRole own, DiscoveryRole peer)
    : token_key_(std::move(token_key)),
      seal_key_(std::move(seal_key)),
      own_role_(own),
      peer_role_(peer) {}

DiscoveryKey DiscoveryKey::FromRoot(const crypto::SecureBytes& root, DiscoveryRole own,
                                    DiscoveryRole peer) {
  return DiscoveryKey(crypto::DeriveSubkey(root, kTokenLabel),
                      crypto::DeriveSubkey(root, kSealLabel, crypto::aead::kKeyBytes), own, peer);
}

Result<DiscoveryKey> DiscoveryKey::Paired(const crypto::X25519KeyPair& own,
                                          const crypto::X25519PublicKey& partner) {
  ATTUNE_ASSIGN_OR_RETURN(crypto::SecureBytes shared, crypto::X25519(own.secret, partner));
  // Both public keys, in sorted order, bind the key to this pair of identities (the DH output
  // alone is the same for both sides, which is what lets each compute it without talking).
  const bool own_first = own.public_key < partner;
  const crypto::X25519PublicKey& first = own_first ? own.public_key : partner;
  const crypto::X25519PublicKey& second = own_first ? partner : own.public_key;
  Bytes input(kPairedLabel.begin(), kPairedLabel.end());
  input.insert(input.end(), first.begin(), first.end());
  input.insert(input.end(), second.begin(), second.end());
  Bytes root_bytes = crypto::AuthTag(shared, input);
  const crypto::SecureBytes root = crypto::SecureBytes::CopyOf(root_bytes);
  crypto::Wipe(root_bytes);
  return FromRoot(root, own_first ? DiscoveryRole::kFirst : DiscoveryRole::kSecond,
                  own_first ? DiscoveryRole::kSecond : DiscoveryRole::kFirst);
}

Result<DiscoveryKey> DiscoveryKey::Pairing(uint32_t channel) {
  if (channel < 1 || channel > kMaxChannel) {
    return Status::InvalidArgument("a pairing channel is a number from 1 to " +
                                   std::to_string(kMaxChannel));
  }
  Bytes input;
  PutBigEndian(input, channel, 4);
  const crypto::SecureBytes root =
      crypto::SecureBytes::CopyOf(crypto::PublicDigest(kPairingLabel, input, 32));
  // Only the inviter announces; the joiner listens for it.
  return FromRoot(root, DiscoveryRole::kFirst, DiscoveryRole::kFirst);
}

Bytes DiscoveryKey::Token(DiscoveryRole role, uint64_t window) const {
  Bytes input{static_cast<uint8_t>(role)};
  PutBigEndian(input, window, 8);
  Bytes tag = crypto::AuthTag(token_key_, input);
  tag.resize(kDiscoveryTokenBytes);
  return tag;
}

Bytes DiscoveryKey::Announce(uint16_t port, uint64_t window, const DiscoveryAddress& from) const {
  Bytes packet = Token(own_role_, window);
  Bytes plaintext;
  PutBigEndian(plaintext, port, 2);
  PutBigEndian(plaintext, window, 8);
  const std::array<uint8_t, kDiscoveryAddressBytes> address = from.Encode();
  plaintext.insert(plaintext.end(), address.begin(), address.end());
  // Seal fails only for a wrong key size or a plaintext beyond libsodium's limit: neither can
  // happen with the sizes fixed above.
  Result<Bytes> sealed = crypto::aead::Seal(seal_key_, plaintext, packet);
  packet.insert(packet.end(), sealed->begin(), sealed->end());
  return packet;
}

std::optional<uint16_t> DiscoveryKey::Recognize(ByteSpan packet, uint64_t window,
                                                const DiscoveryAddress& source) const {
  if (packet.size() != kAnnouncementBytes) return std::nullopt;
  const ByteSpan token = packet.first(kDiscoveryTokenBytes);
  const ByteSpan sealed = packet.subspan(kDiscoveryTokenBytes);
  const uint64_t lowest = window == 0 ? 0 : window - 1;
  const uint64_t highest = window == UINT64_MAX ? window : window + 1;
  for (uint64_t candidate = lowest; candidate <= highest; ++candidate) {
    if (!SameBytes(token, Token(peer_role_, candidate))) continue;
    Result<crypto::SecureBytes> opened = crypto::aead::Open(seal_key_, sealed, token);
    if (!opened.ok() || opened->size() != kPlaintextBytes) return std::nullopt;
    const uint64_t port = GetBigEndian(opened->span().first(2));
    const uint64_t sealed_window = GetBigEndian(opened->span().subspan(2, 8));
    const ByteSpan sealed_address = opened->span().subspan(10);
    // The window inside the seal must be the token's: a token cut from one announcement and
    // glued to the seal of another is refused.
    if (sealed_window != candidate || port == 0) return std::nullopt;
    // Sent from where the sender said: a copy replayed from any other address is refused.
    const std::array<uint8_t, kDiscoveryAddressBytes> expected = source.Encode();
    if (!std::equal(sealed_address.begin(), sealed_address.end(), expected.begin(),
                    expected.end())) {
      return std::nullopt;
    }
    return static_cast<uint16_t>(port);
  }
  return std::nullopt;
}

}  // namespace attune::protocol
