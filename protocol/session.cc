#include "protocol/session.h"

#include <utility>

namespace attune::protocol {
namespace {

crypto::noise::Role NoiseRole(SessionRole role) {
  return role == SessionRole::kInitiator ? crypto::noise::Role::kInitiator
                                         : crypto::noise::Role::kResponder;
}

// What the responder says about itself before it knows who is calling.
HelloMessage AnonymousHello(const HelloMessage& hello) {
  return HelloMessage{hello.protocol_version, std::string(), hello.serve_port, false};
}

}  // namespace

Result<Session> Session::Start(SessionConfig config) {
  ATTUNE_RETURN_IF_ERROR(EncodeHello(config.hello).status());
  crypto::noise::HandshakeOptions options;
  options.role = NoiseRole(config.role);
  options.protocol_name = std::string(kNoiseProtocolName);
  options.prologue = Bytes(kProtocolName.begin(), kProtocolName.end());
  options.local_static = std::move(config.local_static);
  options.fixed_ephemeral_for_testing = std::move(config.fixed_ephemeral_for_testing);
  ATTUNE_ASSIGN_OR_RETURN(crypto::noise::HandshakeState handshake,
                          crypto::noise::HandshakeState::Create(std::move(options)));

  Session session(std::move(config));
  session.handshake_.emplace(std::move(handshake));
  if (session.role_ == SessionRole::kInitiator) {
    ATTUNE_RETURN_IF_ERROR(session.WriteHandshake({}));
  }
  return session;
}

Session::Session(SessionConfig config)
    : role_(config.role), pinned_partner_(config.pinned_partner), hello_(config.hello) {}

Status Session::Receive(ByteSpan frame_payload) {
  switch (state_) {
    case SessionState::kHandshaking:
      return ReceiveHandshake(frame_payload);
    case SessionState::kEstablished:
      return ReceiveTransport(frame_payload);
    case SessionState::kClosed:
      break;
  }
  return Status::InvalidArgument("the session is closed");
}

Status Session::ReceiveHandshake(ByteSpan message) {
  Result<crypto::SecureBytes> payload = handshake_->ReadMessage(message);
  if (!payload.ok()) {
    return Fail(Status::AuthFailed("the handshake failed: " + payload.status().detail()));
  }
  // Message 1 (read by the responder before it knows the peer) carries nothing; 2 and 3 a Hello.
  const bool message_one = role_ == SessionRole::kResponder &&
                           handshake_->next_step() == crypto::noise::HandshakeStep::kWrite;
  ATTUNE_RETURN_IF_ERROR(AcceptHello(*payload, /*expect_hello=*/!message_one));

  if (role_ == SessionRole::kResponder) {
    if (handshake_->next_step() == crypto::noise::HandshakeStep::kWrite) {
      // After message 1: answer with message 2.
      ATTUNE_ASSIGN_OR_RETURN(Bytes hello, EncodeHello(AnonymousHello(hello_)));
      return WriteHandshake(hello);
    }
    return CheckPinAndFinish();  // after message 3
  }
  // Initiator after message 2: check the responder before revealing ourselves in message 3.
  if (handshake_->remote_static() != pinned_partner_) return CheckPinAndFinish();
  ATTUNE_ASSIGN_OR_RETURN(Bytes hello, EncodeHello(hello_));
  ATTUNE_RETURN_IF_ERROR(WriteHandshake(hello));
  return CheckPinAndFinish();
}

Status Session::AcceptHello(const crypto::SecureBytes& payload, bool expect_hello) {
  if (!expect_hello) {
    if (payload.empty()) return Status::Ok();
    return Fail(Status::Corruption("the peer's first handshake message carried a payload"));
  }
  Result<HelloMessage> hello = DecodeHello(payload.span());
  if (!hello.ok()) return Fail(Status::Corruption("the peer's hello is malformed"));
  if (hello->protocol_version > kProtocolVersion) {
    return Fail(Status::Unsupported("your partner runs a newer attune protocol (version " +
                                    std::to_string(hello->protocol_version) +
                                    "); update attune to talk to them"));
  }
  peer_hello_ = std::move(*hello);
  return Status::Ok();
}

Status Session::CheckPinAndFinish() {
  const std::optional<crypto::X25519PublicKey>& remote = handshake_->remote_static();
  if (!remote || *remote != pinned_partner_) {
    unknown_peer_key_ = remote;
    return Fail(Status::UnknownPeer("unknown peer: the other side is not your paired partner"));
  }
  if (handshake_->next_step() != crypto::noise::HandshakeStep::kFinished) return Status::Ok();
  Result<crypto::noise::TransportSession> transport = std::move(*handshake_).Finish();
  handshake_.reset();
  if (!transport.ok()) return Fail(transport.status());
  transport_.emplace(std::move(*transport));
  state_ = SessionState::kEstablished;
  return Status::Ok();
}

Status Session::WriteHandshake(ByteSpan payload) {
  Result<Bytes> message = handshake_->WriteMessage(payload);
  if (!message.ok()) return Fail(message.status());
  outgoing_.push_back(std::move(*message));
  return Status::Ok();
}

Status Session::ReceiveTransport(ByteSpan message) {
  if (messages_received_ >= kFreshHandshakeAfterMessages) {
    return Fail(Status::ProtocolError("the peer kept sending past the session's message limit"));
  }
  Result<crypto::SecureBytes> plain = transport_->Decrypt(message);
  if (!plain.ok()) {
    return Fail(Status::AuthFailed(
        "a message on the link failed authentication (tampered, replayed or out of order)"));
  }
  ++messages_received_;
  Result<Message> decoded = DecodeEnvelope(plain->span());
  if (!decoded.ok()) return Fail(decoded.status());
  incoming_.push_back(std::move(*decoded));
  return Status::Ok();
}

Status Session::Send(const Message& message) {
  if (state_ != SessionState::kEstablished) {
    return Status::InvalidArgument("the session is not established");
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
