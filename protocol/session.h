// A link between two paired partners: the Noise XX handshake, the pin check, and the encrypted
// exchange of Envelopes after it. A pure state machine: frame payloads in, frame payloads out.
// node/ moves the frames over TCP and enforces the timeouts; this class never sees a socket or
// a clock.
//
//   initiator (connected)                         responder (accepted)
//   -> e                                          (payload: empty)
//   <- e, ee, s, es                               (payload: Hello{version, serve_port})
//   -> s, se                                      (payload: Hello{version, name, serve_port})
//   <-> Envelope, Envelope, ...                   (one per frame, Noise transport messages)
//
// Protocol name Noise_XX_25519_ChaChaPoly_BLAKE2b, prologue "attune/1".
//
// Why these choices:
//  - The initiator checks the responder's static key against the pinned partner key before
//    sending message 3, so a wrong responder never learns who is calling (its static key or
//    name). The responder's key in message 2 is visible to an active prober that completes
//    message 1, as in any XX; the responder's name is withheld from message 2 for that reason
//    (both sides already know each other's names from pairing).
//  - The responder checks the initiator's key after message 3 and, on a mismatch, closes without
//    sending anything more.
//  - A session is good for kFreshHandshakeAfterMessages messages in either direction; after that
//    the caller must close it and connect again (a fresh handshake, new ephemeral keys).
//    The age limit (kFreshHandshakeAfter) needs a clock, so node/ enforces it.
//
// Errors (every one closes the session; state() is then kClosed and nothing more is sent):
//   kUnknownPeer   the peer completed the handshake with a key that is not the partner's
//                  (unknown_peer_key() tells which)
//   kAuthFailed    a handshake or transport message failed authentication: tampered, replayed,
//                  reordered, truncated, or not from this session
//   kCorruption    a message malformed beyond authentication (e.g. a bad Hello)
//   kUnsupported   the peer speaks a newer protocol major, or sent an envelope body this build
//                  does not know
//   kInvalidArgument  a caller error: Send() before the session is established or after close,
//                  or past the message limit
#ifndef ATTUNE_PROTOCOL_SESSION_H_
#define ATTUNE_PROTOCOL_SESSION_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/noise.h"
#include "crypto/x25519.h"
#include "protocol/messages.h"

namespace attune::protocol {

inline constexpr std::string_view kNoiseProtocolName = "Noise_XX_25519_ChaChaPoly_BLAKE2b";
// A long-lived session is replaced by a fresh handshake at least this often...
inline constexpr std::chrono::hours kFreshHandshakeAfter{1};
// ...and after this many messages in either direction.
inline constexpr uint64_t kFreshHandshakeAfterMessages = uint64_t{1} << 20;

// The largest envelope a session sends: a frame less the transport message's 16-byte tag.
inline constexpr size_t kMaxEnvelopeBytes = crypto::noise::kMaxMessageBytes - 16;

enum class SessionRole { kInitiator, kResponder };
enum class SessionState { kHandshaking, kEstablished, kClosed };

struct SessionConfig {
  SessionRole role = SessionRole::kInitiator;
  crypto::X25519KeyPair local_static;
  crypto::X25519PublicKey pinned_partner{};  // the only key this session accepts
  HelloMessage hello;  // ours; the responder's name is withheld from message 2 (see above)
  // FOR TESTS ONLY: a fixed ephemeral key (see crypto::noise::HandshakeOptions).
  std::optional<crypto::X25519KeyPair> fixed_ephemeral_for_testing;
};

class Session {
 public:
  // The initiator's first handshake message is queued at once. kInvalidArgument for a bad
  // hello (see EncodeHello) or key.
  static Result<Session> Start(SessionConfig config);

  Session(Session&&) noexcept = default;
  Session& operator=(Session&&) noexcept = default;

  // Processes one frame payload from the peer. See the error list above.
  Status Receive(ByteSpan frame_payload);

  // Queues an application message; only once established. kInvalidArgument (the session stays
  // usable) for an envelope over kMaxEnvelopeBytes or a send past the message limit (one
  // Goodbye may still go out).
  Status Send(const Message& message);

  // Frame payloads to write, in order, and the application messages received, in order.
  std::vector<Bytes> TakeOutgoing();
  std::vector<Message> TakeIncoming();

  SessionState state() const { return state_; }
  bool established() const { return state_ == SessionState::kEstablished; }
  // The peer's Hello, once received (the responder's carries no name).
  const std::optional<HelloMessage>& peer_hello() const { return peer_hello_; }
  // The key an unknown peer presented, after a kUnknownPeer error.
  const std::optional<crypto::X25519PublicKey>& unknown_peer_key() const {
    return unknown_peer_key_;
  }
  // True once either direction reached kFreshHandshakeAfterMessages: close and reconnect.
  bool NeedsFreshHandshake() const;
  uint64_t messages_sent() const { return messages_sent_; }
  uint64_t messages_received() const { return messages_received_; }

 private:
  explicit Session(SessionConfig config);

  Status ReceiveHandshake(ByteSpan message);
  Status ReceiveTransport(ByteSpan message);
  Status WriteHandshake(ByteSpan payload);
  Status AcceptHello(const crypto::SecureBytes& payload, bool expect_hello);
  Status CheckPinAndFinish();
  Status Fail(Status status);

  SessionRole role_;
  SessionState state_ = SessionState::kHandshaking;
  crypto::X25519PublicKey pinned_partner_;
  HelloMessage hello_;
  std::optional<crypto::noise::HandshakeState> handshake_;
  std::optional<crypto::noise::TransportSession> transport_;
  std::optional<HelloMessage> peer_hello_;
  std::optional<crypto::X25519PublicKey> unknown_peer_key_;
  std::vector<Bytes> outgoing_;
  std::vector<Message> incoming_;
  uint64_t messages_sent_ = 0;
  uint64_t messages_received_ = 0;
};

// Turns an established session's counters and age into the decision to renew it.
inline bool SessionDue(const Session& session, std::chrono::steady_clock::duration age) {
  return session.NeedsFreshHandshake() || age >= kFreshHandshakeAfter;
}

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_SESSION_H_
