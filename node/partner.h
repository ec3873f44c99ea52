// The one partner a node is paired with, as the node remembers them.
#ifndef ATTUNE_NODE_PARTNER_H_
#define ATTUNE_NODE_PARTNER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "crypto/x25519.h"
#include "node/clock.h"

namespace attune::node {

// The port `attune serve` listens on unless told otherwise.
inline constexpr uint16_t kDefaultServePort = 47017;
// The port `attune pair` listens on unless told otherwise.
inline constexpr uint16_t kDefaultPairPort = 47016;

// How a node is reached through Tor (issue 17): its onion address (56 characters, no ".onion")
// and the X25519 public key of its tor as a client. Each node's onion service admits only its
// partner's client key, so nobody else who learns the address can even read its descriptor.
struct OnionContact {
  std::string address;
  crypto::X25519PublicKey client_key{};
  bool operator==(const OnionContact&) const = default;
};

struct Partner {
  crypto::X25519PublicKey public_key{};  // pinned: the only key a link accepts
  std::string display_name;
  Timestamp paired_at;
  std::string last_address;               // "HOST:PORT" where their serve was last reached
  std::optional<Timestamp> last_contact;  // the last completed handshake
  std::optional<OnionContact> onion;      // none if paired with an attune before issue 17
  // Whether this node told the partner its own onion contact at pairing: then its onion keys
  // must never be made anew (the partner knows only these).
  bool told_own_onion = false;
};

// As stored (sealed) in the journal: a JSON object. kCorruption if the text is not one of ours.
std::string PartnerToJson(const Partner& partner);
Result<Partner> PartnerFromJson(const std::string& text);

}  // namespace attune::node

#endif  // ATTUNE_NODE_PARTNER_H_
