#include "protocol/legacy_probe.h"

#include <string>
#include <utility>

#include "protocol/messages.h"
#include "protocol/session.h"

namespace attune::protocol {

Result<LegacyProbe> LegacyProbe::Start(crypto::X25519KeyPair local_static,
                                       const crypto::X25519PublicKey& pinned_partner) {
  crypto::noise::HandshakeOptions options;
  options.role = crypto::noise::Role::kInitiator;
  options.protocol_name = std::string(kLegacyNoiseProtocolName);
  options.prologue = Bytes(kLegacyLinkProtocolName.begin(), kLegacyLinkProtocolName.end());
  options.local_static = std::move(local_static);
  ATTUNE_ASSIGN_OR_RETURN(crypto::noise::HandshakeState handshake,
                          crypto::noise::HandshakeState::Create(std::move(options)));
  ATTUNE_ASSIGN_OR_RETURN(Bytes first, handshake.WriteMessage({}));
  return LegacyProbe(std::move(handshake), std::move(first), pinned_partner);
}

Status LegacyProbe::Read(ByteSpan message) {
  Result<crypto::SecureBytes> payload = handshake_.ReadMessage(message);
  if (!payload.ok()) {
    return Status::AuthFailed("not an attune/1 handshake: " + payload.status().detail());
  }
  // An attune/1 responder's Hello: its version and serve port, never its name.
  Result<HelloMessage> hello = DecodeHello(payload->span());
  if (!hello.ok()) return Status::Corruption("the attune/1 hello is malformed");
  if (handshake_.remote_static() != pinned_partner_) {
    unknown_peer_key_ = handshake_.remote_static();
    return Status::UnknownPeer("an attune/1 node that is not the partner's");
  }
  return Status::Ok();
}

}  // namespace attune::protocol
