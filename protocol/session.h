// A link between two paired partners: the Noise KK handshake with both static keys pinned, the
// admission of its first message, and the encrypted exchange of Envelopes after it. A pure state
// machine: frame payloads in, frame payloads out. node/ moves the frames over TCP, keeps the
// handshake counters in the journal and enforces the timeouts; this class never sees a socket,
// a clock or a database.
//
//   initiator (connected)                       responder (accepted)
//   -> e, es, ss                                (payload: Hello{version, serve_port, one_shot,
//                                                handshake_counter, features})
//                                               ... node/ admits the counter, or not ...
//   <- e, ee, se                                (payload: Hello{version, serve_port, features})
//   <-> Envelope, Envelope, ...                 (one per frame, Noise transport messages)
//
// Protocol name Noise_KK_25519_ChaChaPoly_BLAKE2b, prologue "attune/2" (docs/protocol.md 3).
//
// Why these choices:
//  - Pairing left each side holding the other's static key, so both are pre-messages: no static
//    key ever travels, and message 1 is encrypted and authenticated under DH(e, rs) and
//    DH(s, rs). The responder therefore knows from message 1 alone whether the caller holds
//    the partner's key; anyone else (a stranger, a replay, another pattern, random bytes) is
//    sent nothing at all, so probing a node teaches nothing about it.
//  - Message 1 has two known limits of KK (Noise section 7.7): whoever later steals the
//    responder's static key can read its payload (the Hello: nothing secret), and it can be
//    replayed. Its Hello therefore carries a counter (the initiator's clock in ms, never
//    repeated), which node/ admits once through the journal between Receive and Admit.
//    Message 2 and everything after it are forward secret (ee, se: fresh ephemeral keys).
//  - A session is good for kFreshHandshakeAfterMessages messages in either direction; after that
//    the caller must close it and connect again (a fresh handshake, new ephemeral keys).
//    The age limit (kFreshHandshakeAfter) needs a clock, so node/ enforces it.
//  - Each Hello lists features; a session sends only messages whose feature both listed, and
//    skips bodies it does not know, or that belong to a feature not agreed.
//
// Errors (every one closes the session; state() is then kClosed and nothing more is sent):
//   kUnsupported   with ProtocolReason::kPeerOlder: the responder read a first message of the
//                  older link protocol's size (attune/1, Noise XX's 32-byte message 1);
//                  with kPeerNewer: the peer's Hello names a newer link protocol
//   kAuthFailed    a handshake or transport message failed authentication: not the partner's,
//                  tampered, replayed, reordered, truncated, or not from this session
//   kCorruption    an authenticated message malformed beyond that (e.g. a bad Hello)
//   kProtocolError the peer sent past the session's message limit
//   kInvalidArgument  a caller error: Send() before the session is established or after close,
//                  of a message whose feature was not agreed, or past the message limit
#ifndef ATTUNE_PROTOCOL_SESSION_H_
#define ATTUNE_PROTOCOL_SESSION_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/noise.h"
#include "crypto/x25519.h"
#include "protocol/messages.h"

namespace attune::protocol {

inline constexpr std::string_view kNoiseProtocolName = "Noise_KK_25519_ChaChaPoly_BLAKE2b";
// The older link protocol's handshake (attune/1), and the size of its first message (-> e,
// no payload), by which a responder recognises an older attune.
inline constexpr std::string_view kLegacyNoiseProtocolName = "Noise_XX_25519_ChaChaPoly_BLAKE2b";
inline constexpr size_t kLegacyFirstMessageBytes = 32;

// A long-lived session is replaced by a fresh handshake at least this often...
inline constexpr std::chrono::hours kFreshHandshakeAfter{1};
// ...and after this many messages in either direction.
inline constexpr uint64_t kFreshHandshakeAfterMessages = uint64_t{1} << 20;

// The largest envelope a session sends: a frame less the transport message's 16-byte tag.
inline constexpr size_t kMaxEnvelopeBytes = crypto::noise::kMaxMessageBytes - 16;

enum class SessionRole { kInitiator, kResponder };
enum class SessionState {
  kHandshaking,
  kAwaitingAdmission,  // responder: message 1 is authentic; Admit() or Reject() decides
  kEstablished,
  kClosed,
};

struct SessionConfig {
  SessionRole role = SessionRole::kInitiator;
  crypto::X25519KeyPair local_static;
  crypto::X25519PublicKey pinned_partner{};  // the only key this session accepts
  // Ours: serve_port, one_shot (initiator), features. The handshake counter is taken from
  // handshake_counter below; the responder's Hello carries none.
  HelloMessage hello;
  // The initiator's counter, from the journal (node::Journal::NextHandshakeCounter); never 0.
  uint64_t handshake_counter = 0;
  // FOR TESTS ONLY: a fixed ephemeral key (see crypto::noise::HandshakeOptions).
  std::optional<crypto::X25519KeyPair> fixed_ephemeral_for_testing;
};

class Session {
 public:
  // The initiator's first handshake message is queued at once. kInvalidArgument for a bad
  // hello (see EncodeHello), an initiator without a counter, or a bad key.
  static Result<Session> Start(SessionConfig config);

  Session(Session&&) noexcept = default;
  Session& operator=(Session&&) noexcept = default;

  // Processes one frame payload from the peer. See the error list above. The responder stops
  // after an authentic message 1 in kAwaitingAdmission, with nothing queued.
  Status Receive(ByteSpan frame_payload);

  // Responder, in kAwaitingAdmission only: answers with message 2 and is established.
  // kInvalidArgument in any other state.
  Status Admit();
  // Responder: refuses the caller (its counter was admitted before). Closed, nothing queued.
  void Reject();

  // Queues an application message; only once established, and only of an agreed feature.
  // kInvalidArgument (the session stays usable) for an envelope over kMaxEnvelopeBytes, a
  // feature not agreed, or a send past the message limit (one Goodbye may still go out).
  Status Send(const Message& message);

  // Frame payloads to write, in order, and the application messages received, in order.
  std::vector<Bytes> TakeOutgoing();
  std::vector<Message> TakeIncoming();

  SessionState state() const { return state_; }
  bool established() const { return state_ == SessionState::kEstablished; }
  // The peer's Hello, once received and authenticated.
  const std::optional<HelloMessage>& peer_hello() const { return peer_hello_; }
  // The features both Hellos listed, once established.
  const std::vector<std::string>& agreed_features() const { return agreed_features_; }
  bool Agreed(std::string_view feature) const;
  // Whether `message` may be sent on this session (its feature was agreed).
  bool MaySend(const Message& message) const;
  // True once either direction reached kFreshHandshakeAfterMessages: close and reconnect.
  bool NeedsFreshHandshake() const;
  uint64_t messages_sent() const { return messages_sent_; }
  uint64_t messages_received() const { return messages_received_; }
  // Envelopes received and skipped: bodies this build does not know, or of features not agreed.
  uint64_t messages_skipped() const { return messages_skipped_; }

 private:
  explicit Session(SessionConfig config);

  Status ReceiveHandshake(ByteSpan message);
  Status ReceiveTransport(ByteSpan message);
  Status WriteHandshake(const HelloMessage& hello);
  Status AcceptHello(const crypto::SecureBytes& payload);
  Status Finish();
  Status Fail(Status status);

  SessionRole role_;
  SessionState state_ = SessionState::kHandshaking;
  HelloMessage hello_;
  std::optional<crypto::noise::HandshakeState> handshake_;
  std::optional<crypto::noise::TransportSession> transport_;
  std::optional<HelloMessage> peer_hello_;
  std::vector<std::string> agreed_features_;
  std::vector<Bytes> outgoing_;
  std::vector<Message> incoming_;
  uint64_t messages_sent_ = 0;
  uint64_t messages_received_ = 0;
  uint64_t messages_skipped_ = 0;
};

// Turns an established session's counters and age into the decision to renew it.
inline bool SessionDue(const Session& session, std::chrono::steady_clock::duration age) {
  return session.NeedsFreshHandshake() || age >= kFreshHandshakeAfter;
}

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_SESSION_H_
