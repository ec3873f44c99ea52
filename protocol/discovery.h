// Announcements that let two attune nodes find each other on the local network (UDP multicast),
// as pure, sans-I/O code: this file makes and recognises the bytes; node/discovery.h sends them.
// docs/protocol.md, "Discovery", is the specification.
//
// Every announcement is kAnnouncementBytes that look random to anyone without its key:
//
//   token (16) || nonce (24) || XChaCha20-Poly1305(seal key, AD = token,
//                                 port u16 BE || window u64 BE || source address (17)) (27 + 16)
//
// token = keyed BLAKE2b(token key, role u8 || window u64 BE), cut to 16 bytes. The window is
// unix seconds / kDiscoveryWindowSeconds, passed in by the caller (this code reads no clock),
// so the token changes every window and two windows' tokens cannot
// be linked without the key. A receiver accepts the windows w-1, w and w+1 (clock skew).
//
// Two kinds of key, with the same layout so that the two kinds look alike on the wire:
//   - paired: both partners compute it alone from X25519(own secret, partner public) and both
//     public keys. Nobody else can make or read these announcements; the role (0 for the node
//     whose public key sorts first) keeps a node from taking its own announcement for its
//     partner's.
//   - pairing: from the code's channel number only, never its words (they are the CPace
//     password; anything derived from them would allow guessing the code offline). With 999
//     channels anyone can compute every pairing key: these announcements are hints, and hide
//     only from a casual observer that a pairing runs.
//
// The source address sealed inside is the IP address the sender sends the datagram from, and a
// receiver accepts an announcement only from that address: a recorded announcement replayed from
// another address is refused, so a replayer cannot draw the partner to an address of its own
// (where it could relay to the real node and be remembered). It is still only a hint of where
// to connect: whoever can send with the sender's own source address (on the path, or spoofing
// on the LAN) can replay it, and the Noise handshake (paired) or CPace (pairing) decides who the
// peer is. (An invitation's key is public: a forger makes one for its own address anyway; the
// binding is what keeps a partner's announcement where it was sent.)
//
// Thread-compatible value types; crypto::Init() must have succeeded.
#ifndef ATTUNE_PROTOCOL_DISCOVERY_H_
#define ATTUNE_PROTOCOL_DISCOVERY_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secure_bytes.h"
#include "crypto/x25519.h"

namespace attune::protocol {

inline constexpr size_t kDiscoveryTokenBytes = 16;
inline constexpr size_t kDiscoveryAddressBytes = 17;  // family 1 + address 16
// token 16 + nonce 24 + port 2 + window 8 + source address 17 + tag 16
inline constexpr size_t kAnnouncementBytes = 83;
inline constexpr uint64_t kDiscoveryWindowSeconds = 900;

// The IP address an announcement is sent from, as sealed inside it: a family byte (4 or 6) and
// 16 address bytes. IPv6: the address itself, without its scope id (a link-local address is the
// same address whichever interface index each side gives it). IPv4 a.b.c.d: the IPv4-mapped
// form ::ffff:a.b.c.d (RFC 4291, 2.5.5.2), so that both families have one size.
struct DiscoveryAddress {
  enum class Family : uint8_t { kIPv4 = 4, kIPv6 = 6 };

  static DiscoveryAddress IPv4(const std::array<uint8_t, 4>& address);
  static DiscoveryAddress IPv6(const std::array<uint8_t, 16>& address);

  // The 17 bytes sealed in an announcement.
  std::array<uint8_t, kDiscoveryAddressBytes> Encode() const;

  Family family = Family::kIPv4;
  std::array<uint8_t, 16> bytes{};
  bool operator==(const DiscoveryAddress&) const = default;
};

// The window number for a wall-clock time in seconds since the Unix epoch (negative: 0).
uint64_t DiscoveryWindow(int64_t unix_seconds);

// Which of the two sides sent an announcement.
enum class DiscoveryRole : uint8_t { kFirst = 0, kSecond = 1 };

class DiscoveryKey {
 public:
  // Between partners. `own` is this node's static key pair, `partner` the pinned partner key.
  // kAuthFailed for a low-order partner key (crypto::X25519), kInvalidArgument for a bad secret.
  static Result<DiscoveryKey> Paired(const crypto::X25519KeyPair& own,
                                     const crypto::X25519PublicKey& partner);
  // For a pairing on `channel` (1..kMaxChannel): the inviter announces as kFirst, the joiner
  // listens for kFirst. kInvalidArgument for a channel out of range.
  static Result<DiscoveryKey> Pairing(uint32_t channel);

  // The role this node announces as, and the role it accepts announcements from.
  DiscoveryRole own_role() const { return own_role_; }
  DiscoveryRole peer_role() const { return peer_role_; }

  // A fresh announcement of `port` in `window`, to be sent from `from` and from nowhere else
  // (random nonce: two calls differ).
  Bytes Announce(uint16_t port, uint64_t window, const DiscoveryAddress& from) const;

  // The port the peer announced, if `packet` is a genuine announcement from the peer's role in
  // window-1, window or window+1, sealed for `source`, the address the datagram came from;
  // nullopt for anything else (wrong length, key, role, window or source address, or a changed
  // byte). Never fails otherwise: the packet is untrusted input.
  std::optional<uint16_t> Recognize(ByteSpan packet, uint64_t window,
                                    const DiscoveryAddress& source) const;

  // The token the given role uses in `window` (for tests and the fuzz seeds).
  Bytes Token(DiscoveryRole role, uint64_t window) const;

 private:
  DiscoveryKey(crypto::SecureBytes token_key, crypto::SecureBytes seal_key, DiscoveryRole own,
               DiscoveryRole peer);
  static DiscoveryKey FromRoot(const crypto::SecureBytes& root, DiscoveryRole own,
                               DiscoveryRole peer);

  crypto::SecureBytes token_key_;
  crypto::SecureBytes seal_key_;
  DiscoveryRole own_role_;
  DiscoveryRole peer_role_;
};

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_DISCOVERY_H_
