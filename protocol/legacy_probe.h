// Telling an older partner's attune apart from a stranger, for a node whose handshake was
// closed without an answer (docs/protocol.md section 3.4). An attune/1 node closes on a KK
// message 1 without a word, exactly as an attune/2 node does for a stranger; so the initiator
// asks once more, in the older protocol: Noise XX with prologue "attune/1", whose responder
// shows its static key in message 2. The probe stops there: it never sends message 3, so the
// older node learns nothing of who asked.
//
//   Result<LegacyProbe> probe = LegacyProbe::Start(own_keys, partner_key);
//   send probe->first_message(); read one frame; probe->Read(frame)
//
// A pure state machine, as Session. Not thread-safe.
#ifndef ATTUNE_PROTOCOL_LEGACY_PROBE_H_
#define ATTUNE_PROTOCOL_LEGACY_PROBE_H_

#include <optional>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/noise.h"
#include "crypto/x25519.h"

namespace attune::protocol {

class LegacyProbe {
 public:
  // Writes the XX message 1 (a fresh ephemeral key, no payload). `local_static` is required by
  // the pattern but never sent.
  static Result<LegacyProbe> Start(crypto::X25519KeyPair local_static,
                                   const crypto::X25519PublicKey& pinned_partner);

  LegacyProbe(LegacyProbe&&) noexcept = default;
  LegacyProbe& operator=(LegacyProbe&&) noexcept = default;

  // The frame payload to send: kLegacyFirstMessageBytes bytes.
  const Bytes& first_message() const { return first_message_; }

  // Reads the answer (an attune/1 message 2: e, ee, s, es with a Hello). Ok when it is
  // authentic and its static key is the pinned partner's: the partner runs an older attune.
  //   kUnknownPeer   an authentic answer from another key (unknown_peer_key() tells which)
  //   kAuthFailed / kCorruption  not an attune/1 message 2
  Status Read(ByteSpan message);

  const std::optional<crypto::X25519PublicKey>& unknown_peer_key() const {
    return unknown_peer_key_;
  }

 private:
  LegacyProbe(crypto::noise::HandshakeState handshake, Bytes first_message,
              const crypto::X25519PublicKey& pinned_partner)
      : handshake_(std::move(handshake)),
        first_message_(std::move(first_message)),
        pinned_partner_(pinned_partner) {}

  crypto::noise::HandshakeState handshake_;
  Bytes first_message_;
  crypto::X25519PublicKey pinned_partner_;
  std::optional<crypto::X25519PublicKey> unknown_peer_key_;
};

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_LEGACY_PROBE_H_
