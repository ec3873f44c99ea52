// HandshakeState: Noise revision 34, section 5.3, for the token set
// e, s, ee, es, se, ss (no psk).
#include <algorithm>
#include <utility>

#include "crypto/noise.h"

namespace attune::crypto::noise {
namespace {

bool Contains(const std::vector<Token>& tokens, Token token) {
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

Role PeerOf(Role role) {
  return role == Role::kInitiator ? Role::kResponder : Role::kInitiator;
}

// Messages alternate, the initiator writing the even-numbered ones.
bool Writes(Role role, size_t message_index) {
  return (message_index % 2 == 0) == (role == Role::kInitiator);
}

const std::vector<Token>& PreMessageOf(const HandshakePattern& pattern, Role role) {
  return role == Role::kInitiator ? pattern.initiator_pre_message : pattern.responder_pre_message;
}

// Whether `role` pre-shares or sends a static key in `pattern`.
bool UsesLocalStatic(const HandshakePattern& pattern, Role role) {
  if (Contains(PreMessageOf(pattern, role), Token::kS)) return true;
  for (size_t i = 0; i < pattern.messages.size(); ++i) {
    if (Writes(role, i) && Contains(pattern.messages[i], Token::kS)) return true;
  }
  return false;
}

// A pair whose public half does not match its secret would make the peer
// compute a different DH, failing the handshake with a misleading error.
Status CheckKeyPair(const std::optional<X25519KeyPair>& pair) {
  if (!pair) return Status::Ok();
  ATTUNE_ASSIGN_OR_RETURN(X25519PublicKey derived, DeriveX25519Public(pair->secret));
  if (derived != pair->public_key) return Status::InvalidArgument("noise key pair inconsistent");
  return Status::Ok();
}

Status CheckOptions(const HandshakeOptions& options, const HandshakePattern& pattern) {
  ATTUNE_RETURN_IF_ERROR(CheckKeyPair(options.local_static));
  ATTUNE_RETURN_IF_ERROR(CheckKeyPair(options.fixed_ephemeral_for_testing));
  const bool needs_local = UsesLocalStatic(pattern, options.role);
  if (needs_local != options.local_static.has_value()) {
    return Status::InvalidArgument(needs_local ? "noise pattern needs a local static key"
                                               : "noise pattern uses no local static key");
  }
  const bool needs_remote = Contains(PreMessageOf(pattern, PeerOf(options.role)), Token::kS);
  if (needs_remote != options.remote_static.has_value()) {
    return Status::InvalidArgument(needs_remote ? "noise pattern needs the remote static key"
                                                : "noise pattern does not pre-share a remote key");
  }
  return Status::Ok();
}

Status WrongStep(HandshakeStep step, HandshakeStep wanted) {
  switch (step) {
    case HandshakeStep::kFinished:
      return Status::InvalidArgument("noise handshake already finished");
    case HandshakeStep::kFailed:
      return Status::InvalidArgument("noise handshake failed earlier");
    default:
      return Status::InvalidArgument(wanted == HandshakeStep::kWrite
                                         ? "noise handshake: not our turn to write"
                                         : "noise handshake: not the peer's turn to write");
  }
}

X25519PublicKey PublicKeyFrom(ByteSpan bytes) {
  X25519PublicKey key{};
  std::copy_n(bytes.begin(), key.size(), key.begin());
  return key;
}

}  // namespace

Result<HandshakeState> HandshakeState::Create(HandshakeOptions options) {
  ATTUNE_ASSIGN_OR_RETURN(Protocol protocol, ParseProtocolName(options.protocol_name));
  ATTUNE_RETURN_IF_ERROR(CheckOptions(options, protocol.pattern));
  return HandshakeState(std::move(options), std::move(protocol));
}

HandshakeState::HandshakeState(HandshakeOptions options, Protocol protocol)
    : protocol_(std::move(protocol)),
      role_(options.role),
      symmetric_(std::in_place, protocol_.hash, protocol_.name),
      local_static_(std::move(options.local_static)),
      fixed_ephemeral_(std::move(options.fixed_ephemeral_for_testing)),
      remote_static_(options.remote_static) {
  symmetric_->MixHash(options.prologue);
  // Section 7.1: the initiator's pre-message is hashed before the responder's.
  for (Role owner : {Role::kInitiator, Role::kResponder}) {
    if (!Contains(PreMessageOf(protocol_.pattern, owner), Token::kS)) continue;
    symmetric_->MixHash(owner == role_ ? local_static_->public_key : *remote_static_);
  }
}

HandshakeStep HandshakeState::next_step() const {
  if (!symmetric_) return HandshakeStep::kFailed;
  if (next_message_ == protocol_.pattern.messages.size()) return HandshakeStep::kFinished;
  return Writes(role_, next_message_) ? HandshakeStep::kWrite : HandshakeStep::kRead;
}

ByteSpan HandshakeState::handshake_hash() const {
  return symmetric_ ? symmetric_->handshake_hash() : ByteSpan();
}

const std::vector<Token>& HandshakeState::CurrentMessage() const {
  return protocol_.pattern.messages[next_message_];
}

// The exact length WriteMessage will produce, so an oversized message is
// refused before any state is mixed.
size_t HandshakeState::WrittenSize(size_t payload_size) const {
  bool has_key = symmetric_->HasKey();
  size_t size = payload_size;
  for (Token token : CurrentMessage()) {
    if (token == Token::kE) {
      size += kX25519PublicBytes;
    } else if (token == Token::kS) {
      size += kX25519PublicBytes + (has_key ? kCipherTagBytes : 0);
    } else {
      has_key = true;  // every DH token ends in MixKey
    }
  }
  return size + (has_key ? kCipherTagBytes : 0);
}

Result<Bytes> HandshakeState::WriteMessage(ByteSpan payload) {
  const HandshakeStep step = next_step();
  if (step != HandshakeStep::kWrite) return WrongStep(step, HandshakeStep::kWrite);
  if (payload.size() > kMaxMessageBytes || WrittenSize(payload.size()) > kMaxMessageBytes) {
    return Status::InvalidArgument("noise message too long");
  }
  Result<Bytes> message = WriteTokensAndPayload(payload);
  if (!message.ok()) {
    Fail();
    return message.status();
  }
  ++next_message_;
  return message;
}

Result<SecureBytes> HandshakeState::ReadMessage(ByteSpan message) {
  const HandshakeStep step = next_step();
  Result<SecureBytes> payload = Status::Internal("unset");
  if (step != HandshakeStep::kRead) {
    payload = WrongStep(step, HandshakeStep::kRead);
  } else if (message.size() > kMaxMessageBytes) {
    payload = Status::InvalidArgument("noise message too long");
  } else {
    payload = ReadTokensAndPayload(message);
  }
  if (!payload.ok()) {
    Fail();
    return payload.status();
  }
  ++next_message_;
  return payload;
}

Result<Bytes> HandshakeState::WriteTokensAndPayload(ByteSpan payload) {
  Bytes message;
  for (Token token : CurrentMessage()) {
    ATTUNE_ASSIGN_OR_RETURN(Bytes piece, WriteToken(token));
    message.insert(message.end(), piece.begin(), piece.end());
  }
  ATTUNE_ASSIGN_OR_RETURN(Bytes sealed_payload, symmetric_->EncryptAndHash(payload));
  message.insert(message.end(), sealed_payload.begin(), sealed_payload.end());
  return message;
}

Result<SecureBytes> HandshakeState::ReadTokensAndPayload(ByteSpan message) {
  size_t offset = 0;
  for (Token token : CurrentMessage()) {
    ATTUNE_ASSIGN_OR_RETURN(size_t consumed, ReadToken(token, message.subspan(offset)));
    offset += consumed;
  }
  return symmetric_->DecryptAndHash(message.subspan(offset));
}

Result<Bytes> HandshakeState::WriteToken(Token token) {
  if (token == Token::kE) {
    if (local_ephemeral_) return Status::Internal("noise ephemeral sent twice");
    local_ephemeral_ = fixed_ephemeral_ ? std::move(*fixed_ephemeral_) : GenerateX25519KeyPair();
    fixed_ephemeral_.reset();
    symmetric_->MixHash(local_ephemeral_->public_key);
    return Bytes(local_ephemeral_->public_key.begin(), local_ephemeral_->public_key.end());
  }
  if (token == Token::kS) return symmetric_->EncryptAndHash(local_static_->public_key);
  ATTUNE_RETURN_IF_ERROR(MixDh(token));
  return Bytes();
}

// Returns how many bytes of `remaining` the token used.
Result<size_t> HandshakeState::ReadToken(Token token, ByteSpan remaining) {
  if (token == Token::kE) {
    if (remaining.size() < kX25519PublicBytes) return Status::Corruption("noise message short");
    if (remote_ephemeral_) return Status::Internal("noise ephemeral received twice");
    remote_ephemeral_ = PublicKeyFrom(remaining);
    symmetric_->MixHash(*remote_ephemeral_);
    return kX25519PublicBytes;
  }
  if (token == Token::kS) {
    const size_t size = kX25519PublicBytes + (symmetric_->HasKey() ? kCipherTagBytes : 0);
    if (remaining.size() < size) return Status::Corruption("noise message short");
    if (remote_static_) return Status::Internal("noise static received twice");
    ATTUNE_ASSIGN_OR_RETURN(SecureBytes key, symmetric_->DecryptAndHash(remaining.first(size)));
    remote_static_ = PublicKeyFrom(key.span());
    return size;
  }
  ATTUNE_RETURN_IF_ERROR(MixDh(token));
  return 0;
}

// ee, es, se and ss name the initiator's key first, the responder's second.
Status HandshakeState::MixDh(Token token) {
  const bool initiator = role_ == Role::kInitiator;
  bool local_is_ephemeral = false;
  bool remote_is_ephemeral = false;
  if (token == Token::kEE) {
    local_is_ephemeral = remote_is_ephemeral = true;
  } else if (token == Token::kES) {
    local_is_ephemeral = initiator;
    remote_is_ephemeral = !initiator;
  } else if (token == Token::kSE) {
    local_is_ephemeral = !initiator;
    remote_is_ephemeral = initiator;
  }
  const std::optional<X25519KeyPair>& local = local_is_ephemeral ? local_ephemeral_ : local_static_;
  const std::optional<X25519PublicKey>& remote =
      remote_is_ephemeral ? remote_ephemeral_ : remote_static_;
  if (!local || !remote) return Status::Internal("noise dh key missing");
  ATTUNE_ASSIGN_OR_RETURN(SecureBytes shared, X25519(local->secret, *remote));
  return symmetric_->MixKey(shared.span());
}

// Drops every secret; next_step() reports kFailed from now on.
void HandshakeState::Fail() {
  symmetric_.reset();
  local_static_.reset();
  local_ephemeral_.reset();
  fixed_ephemeral_.reset();
  remote_static_.reset();
  remote_ephemeral_.reset();
}

Result<TransportSession> HandshakeState::Finish() && {
  const HandshakeStep step = next_step();
  if (step != HandshakeStep::kFinished) {
    return Status::InvalidArgument(step == HandshakeStep::kFailed ? "noise handshake failed earlier"
                                                                  : "noise handshake not finished");
  }
  ATTUNE_ASSIGN_OR_RETURN(CipherStatePair ciphers, symmetric_->Split());
  ByteSpan hash = symmetric_->handshake_hash();
  Bytes handshake_hash(hash.begin(), hash.end());
  // A one-way pattern leaves the responder -> initiator direction unused.
  const bool one_way = protocol_.pattern.IsOneWay();
  CipherState send;
  CipherState receive;
  if (role_ == Role::kInitiator) {
    send = std::move(ciphers.initiator_to_responder);
    if (!one_way) receive = std::move(ciphers.responder_to_initiator);
  } else {
    receive = std::move(ciphers.initiator_to_responder);
    if (!one_way) send = std::move(ciphers.responder_to_initiator);
  }
  std::optional<X25519PublicKey> remote_static = remote_static_;
  Fail();  // the handshake is consumed: wipe its keys (section 5.3: delete e)
  return TransportSession(role_, std::move(send), std::move(receive), std::move(handshake_hash),
                          remote_static);
}

}  // namespace attune::crypto::noise
