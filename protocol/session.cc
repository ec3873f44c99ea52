#include "protocol/session.h"

#include <algorithm>
#include <utility>

namespace attune::protocol {
namespace {

crypto::noise::Role NoiseRole(SessionRole role) {
  return role == SessionRole::kInitiator ? crypto::noise::Role::kInitiator
                                         : crypto::noise::Role::kResponder;
}

std::vector<std::string> Intersection(const std::vector<std::string>& ours,
                                      const std::vector<std::string>& theirs) {
  std::vector<std::string> both;
  for (const std::string& feature : ours) {
    if (std::find(theirs.begin(), theirs.end(), feature) != theirs.end()) both.push_back(feature);
  }
  return both;
}

}  // namespace

Result<Session> Session::Start(SessionConfig config) {
  if (config.role == SessionRole::kInitiator && config.handshake_counter == 0) {
    return Status::InvalidArgument("an initiator needs a handshake counter");
  }
  config.hello.handshake_counter =
      config.role == SessionRole::kInitiator ? config.handshake_counter : 0;
  ATTUNE_RETURN_IF_ERROR(EncodeHello(config.hello).status());
  crypto::noise::HandshakeOptions options;
  options.role = NoiseRole(config.role);
  options.protocol_name = std::string(kNoiseProtocolName);
  options.prologue = Bytes(kLinkProtocolName.begin(), kLinkProtocolName.end());
  options.local_static = std::move(config.local_static);
  options.remote_static = config.pinned_partner;
  options.fixed_ephemeral_for_testing = std::move(config.fixed_ephemeral_for_testing);
  ATTUNE_ASSIGN_OR_RETURN(crypto::noise::HandshakeState handshake,
                          crypto::noise::HandshakeState::Create(std::move(options)));

  Session session(std::move(config));
  session.handshake_.emplace(std::move(handshake));
  if (session.role_ == SessionRole::kInitiator) {
    ATTUNE_RETURN_IF_ERROR(session.WriteHandshake(session.hello_));
  }
  return session;
}

Session::Session(SessionConfig config) : role_(config.role), hello_(std::move(config.hello)) {}

Status Session::Receive(ByteSpan frame_payload) {
  switch (state_) {
    case SessionState::kHandshaking:
      return ReceiveHandshake(frame_payload);
    case SessionState::kEstablished:
      return ReceiveTransport(frame_payload);
    case SessionState::kAwaitingAdmission:
      // The peer spoke again before being answered: nothing honest does that.
      return Fail(Status::ProtocolError("the peer sent more before its handshake was answered"));
    case SessionState::kClosed:
      break;
  }
  return Status::InvalidArgument("the session is closed");
}

Status Session::ReceiveHandshake(ByteSpan message) {
  // No KK message 1 is this short (it carries a tag and a Hello): it is the older protocol's
  // first message (or a stranger's imitation of one), told apart so the node can say so.
  if (role_ == SessionRole::kResponder && message.size() == kLegacyFirstMessageBytes) {
    return Fail(
        Status::Unsupported("an attune/1 handshake").WithReason(ProtocolReason::kPeerOlder));
  }
  Result<crypto::SecureBytes> payload = handshake_->ReadMessage(message);
  if (!payload.ok()) {
    return Fail(Status::AuthFailed("the handshake failed: " + payload.status().detail()));
  }
  ATTUNE_RETURN_IF_ERROR(AcceptHello(*payload));
  if (role_ == SessionRole::kResponder) {
    state_ = SessionState::kAwaitingAdmission;  // node/ checks the counter, then Admit()
    return Status::Ok();
  }
  return Finish();
}

Status Session::AcceptHello(const crypto::SecureBytes& payload) {
  Result<HelloMessage> hello = DecodeHello(payload.span());
  if (!hello.ok()) return Fail(Status::Corruption("the peer's hello is malformed"));
  if (hello->protocol_version > kLinkProtocolVersion) {
    return Fail(Status::Unsupported("the peer speaks link protocol version " +
                                    std::to_string(hello->protocol_version))
                    .WithReason(ProtocolReason::kPeerNewer));
  }
  // An older version cannot complete this handshake (its prologue differs), so saying one
  // here is malformed, as is an initiator's Hello without a counter.
  if (hello->protocol_version < kLinkProtocolVersion) {
    return Fail(
        Status::Corruption("the peer's hello names an older protocol in a newer handshake"));
  }
  if (role_ == SessionRole::kResponder && hello->handshake_counter == 0) {
    return Fail(Status::Corruption("the peer's hello has no handshake counter"));
  }
  peer_hello_ = std::move(*hello);
  return Status::Ok();
}

Status Session::Admit() {
  if (state_ != SessionState::kAwaitingAdmission) {
    return Status::InvalidArgument("nothing to admit: the handshake is not waiting for it");
  }
  ATTUNE_RETURN_IF_ERROR(WriteHandshake(hello_));
  return Finish();
}

void Session::Reject() {
  (void)Fail(Status::AuthFailed("refused"));
}

Status Session::Finish() {
  Result<crypto::noise::TransportSession> transport = std::move(*handshake_).Finish();
  handshake_.reset();
  if (!transport.ok()) return Fail(transport.status());
  transport_.emplace(std::move(*transport));
  agreed_features_ = Intersection(hello_.features, peer_hello_->features);
  state_ = SessionState::kEstablished;
  return Status::Ok();
}

Status Session::WriteHandshake(const HelloMessage& hello) {
  ATTUNE_ASSIGN_OR_RETURN(Bytes payload, EncodeHello(hello));
  Result<Bytes> message = handshake_->WriteMessage(payload);
  if (!message.ok()) return Fail(message.status());
  outgoing_.push_back(std::move(*message));
  return Status::Ok();
}

Status Session::ReceiveTransport(ByteSpan message) {
  if (messages_received_ >= kFreshHandshakeAfterMessages) {
    return Fail(Status::ProtocolError("the peer kept sending past the session's message limit"));
  }
  // One buffer per thread for every frame's plaintext, wiped once the frame is decoded: a first
  // sync brings thousands of frames, and a buffer of their size each would be mapped, locked and
  // unmapped each time.
  thread_local crypto::SecureScratch scratch;
  Result<ByteSpan> plain = transport_->DecryptInto(message, scratch);
  if (!plain.ok()) {
    return Fail(Status::AuthFailed(
        "a message on the link failed authentication (tampered, replayed or out of order)"));
  }
  ++messages_received_;
  Result<Message> decoded = DecodeEnvelope(*plain);
  scratch.Wipe();
  // A body from a later version, or of a feature this side did not agree to: skipped, so that
  // partners can add messages without breaking each other's sessions.
  if (decoded.status().Is(ProtocolReason::kUnknownBody) || (decoded.ok() && !MaySend(*decoded))) {
    ++messages_skipped_;
    return Status::Ok();
  }
  if (!decoded.ok()) return Fail(decoded.status());
  incoming_.push_back(std::move(*decoded));
  return Status::Ok();
}

bool Session::Agreed(std::string_view feature) const {
  return std::find(agreed_features_.begin(), agreed_features_.end(), feature) !=
         agreed_features_.end();
}

bool Session::MaySend(const Message& message) const {
  const std::string_view feature = RequiredFeature(message);
  return feature.empty() || Agreed(feature);
}

Status Session::Send(const Message& message) {
  if (state_ != SessionState::kEstablished) {
    return Status::InvalidArgument("the session is not established");
  }
  if (!MaySend(message)) {
    return Status::InvalidArgument("the partner did not agree to " +
                                   std::string(RequiredFeature(message)));
  }
  // One Goodbye may go past the limit, so the peer learns why the session ends.
  const bool goodbye = std::holds_alternative<GoodbyeMessage>(message);
  if (messages_sent_ >= kFreshHandshakeAfterMessages + (goodbye ? 1 : 0)) {
    return Status::InvalidArgument("the session reached its message limit; reconnect");
  }
  ATTUNE_ASSIGN_OR_RETURN(Bytes plain, EncodeEnvelope(message));
  if (plain.size() > kMaxEnvelopeBytes) {
    return Status::InvalidArgument("the message is too large for one frame");
  }
  Result<Bytes> sealed = transport_->Encrypt(plain);
  // Encrypt fails only for an oversized message or exhausted nonces; either way this session
  // must not send again (a nonce is never reused).
  if (!sealed.ok()) return Fail(sealed.status());
  ++messages_sent_;
  outgoing_.push_back(std::move(*sealed));
  return Status::Ok();
}

std::vector<Bytes> Session::TakeOutgoing() {
  return std::exchange(outgoing_, {});
}

std::vector<Message> Session::TakeIncoming() {
  return std::exchange(incoming_, {});
}

bool Session::NeedsFreshHandshake() const {
  return messages_sent_ >= kFreshHandshakeAfterMessages ||
         messages_received_ >= kFreshHandshakeAfterMessages;
}

Status Session::Fail(Status status) {
  state_ = SessionState::kClosed;
  handshake_.reset();
  transport_.reset();
  outgoing_.clear();
  return status;
}

}  // namespace attune::protocol
