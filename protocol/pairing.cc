#include "protocol/pairing.h"

#include <algorithm>

#include "crypto/aead.h"
#include "crypto/keyed_hash.h"
#include "crypto/onion.h"
#include "crypto/random.h"
#include "protocol/attune.pb.h"
#include "protocol/identity.h"
#include "protocol/messages.h"
#include "protocol/wire_codec.h"

namespace attune::protocol {
namespace {

using internal::IsValidDisplayName;
using internal::Parse;
using internal::Serialize;

constexpr size_t kSessionIdBytes = 16;
constexpr std::string_view kChannelLabel = "attune/1 pairing";

// Labels for the subkeys of the ISK, one per purpose and direction.
constexpr std::string_view kConfirmJoinerLabel = "attune/1 pair confirm joiner";
constexpr std::string_view kConfirmInviterLabel = "attune/1 pair confirm inviter";
constexpr std::string_view kSealJoinerLabel = "attune/1 pair seal joiner";
constexpr std::string_view kSealInviterLabel = "attune/1 pair seal inviter";

Bytes ChannelId(uint32_t channel) {
  Bytes id(kChannelLabel.begin(), kChannelLabel.end());
  id.push_back(0);
  const std::string number = std::to_string(channel);
  id.insert(id.end(), number.begin(), number.end());
  return id;
}

crypto::SecureBytes Password(const PairingCode& code) {
  std::string text = code.ToString();
  crypto::SecureBytes password = crypto::SecureBytes::CopyOf(AsBytes(text));
  crypto::Wipe(text);
  return password;
}

Bytes ToBytes(const std::string& field) {
  return Bytes(field.begin(), field.end());
}

Result<Bytes> EncodePairing(const wire::PairingMessage& message) {
  return Serialize(message);
}

// A reply for Receive(): the encoded message, or its encoding error.
Result<std::optional<Bytes>> Reply(const wire::PairingMessage& message) {
  ATTUNE_ASSIGN_OR_RETURN(Bytes bytes, Serialize(message));
  return std::optional<Bytes>(std::move(bytes));
}

// The peer speaks `peer_version` (0: it did not say, as version 1 did not in its PairAbort).
Status VersionMismatch(uint32_t peer_version) {
  if (peer_version > kPairingVersion) {
    return Status::Unsupported("the other side's attune speaks a newer pairing version (" +
                               std::to_string(peer_version) + ")")
        .WithReason(PairingReason::kPeerNewer);
  }
  return Status::Unsupported("the other side's attune speaks an older pairing version")
      .WithReason(PairingReason::kPeerOlder);
}

Result<wire::PairingMessage> DecodePairing(ByteSpan bytes,
                                           wire::PairingMessage::BodyCase expected) {
  wire::PairingMessage message;
  ATTUNE_RETURN_IF_ERROR(Parse(bytes, &message));
  // Before a request nothing has been exchanged that an abort could refer to: it is garbage,
  // and garbage must not use the code up.
  const bool first_message = expected == wire::PairingMessage::kRequest;
  if (message.body_case() == wire::PairingMessage::kAbort && !first_message) {
    if (message.abort().reason() == wire::PairAbort::VERSION_MISMATCH) {
      // Our own version named as the other one makes no sense: not an answer of any attune.
      if (message.abort().protocol_version() == kPairingVersion) {
        return Status::Corruption("a version mismatch naming this side's own version");
      }
      return VersionMismatch(message.abort().protocol_version());
    }
    return Status::AuthFailed("the pairing code did not match on the two sides")
        .WithReason(PairingReason::kCodeMismatch);
  }
  if (message.body_case() != expected) return Status::Corruption("unexpected pairing message");
  return message;
}

Bytes AbortMessage(wire::PairAbort::Reason reason) {
  wire::PairingMessage message;
  message.mutable_abort()->set_reason(reason);
  message.mutable_abort()->set_protocol_version(kPairingVersion);
  // A small fixed message always fits a frame.
  return Serialize(message).value();
}

}  // namespace

Result<Pairing> Pairing::Create(PairingRole role, const PairingCode& code, PairingIdentity own) {
  if (!IsValidDisplayName(own.display_name)) {
    return Status::InvalidArgument(
        "your journal's name must be at most 64 bytes of text without control characters to "
        "pair");
  }
  return Pairing(role, code, std::move(own));
}

Pairing::Pairing(PairingRole role, const PairingCode& code, PairingIdentity own)
    : role_(role), code_(code), own_(std::move(own)) {}

Result<Bytes> Pairing::Start() {
  if (role_ != PairingRole::kJoiner || stage_ != Stage::kIdle) {
    return Status::InvalidArgument("only a joiner starts pairing, once");
  }
  session_id_ = crypto::RandomBytes(kSessionIdBytes);
  ATTUNE_ASSIGN_OR_RETURN(
      crypto::cpace::Party party,
      crypto::cpace::Party::Start(crypto::cpace::Role::kInitiator, Password(code_),
                                  ChannelId(code_.channel), session_id_, {}));
  joiner_share_.assign(party.share().begin(), party.share().end());
  party_.emplace(std::move(party));

  wire::PairingMessage message;
  wire::PairRequest* request = message.mutable_request();
  request->set_protocol_version(kPairingVersion);
  request->set_channel(code_.channel);
  request->set_session_id(session_id_.data(), session_id_.size());
  request->set_share(joiner_share_.data(), joiner_share_.size());
  stage_ = Stage::kAwaitResponse;
  return EncodePairing(message);
}

Result<std::optional<Bytes>> Pairing::Receive(ByteSpan message) {
  // A finished pairing stays finished: a stray late message is refused without undoing it.
  if (stage_ == Stage::kFinished) return Status::Corruption("the pairing is already finished");
  Result<std::optional<Bytes>> reply = Status::Corruption("no pairing message expected now");
  switch (stage_) {
    case Stage::kIdle:
      if (role_ == PairingRole::kInviter) reply = OnRequest(message);
      break;
    case Stage::kAwaitResponse:
      reply = OnResponse(message);
      break;
    case Stage::kAwaitConfirm:
      reply = OnConfirm(message);
      break;
    case Stage::kAwaitFinish:
      reply = OnFinish(message);
      break;
    case Stage::kFinished:
    case Stage::kFailed:
      break;
  }
  if (!reply.ok()) {
    stage_ = Stage::kFailed;
    party_.reset();
  }
  return reply;
}

Result<std::optional<Bytes>> Pairing::OnRequest(ByteSpan bytes) {
  ATTUNE_ASSIGN_OR_RETURN(wire::PairingMessage message,
                          DecodePairing(bytes, wire::PairingMessage::kRequest));
  const wire::PairRequest& request = message.request();
  if (request.protocol_version() != kPairingVersion) {
    abort_message_ = AbortMessage(wire::PairAbort::VERSION_MISMATCH);
    return VersionMismatch(request.protocol_version());
  }
  if (request.session_id().size() != kSessionIdBytes) {
    return Status::Corruption("pairing request with a malformed session id");
  }
  // A different channel means a different code; it is answered like any wrong code.
  if (request.channel() != code_.channel) return CodeMismatch();

  session_id_ = ToBytes(request.session_id());
  joiner_share_ = ToBytes(request.share());
  ATTUNE_ASSIGN_OR_RETURN(
      crypto::cpace::Party party,
      crypto::cpace::Party::Start(crypto::cpace::Role::kResponder, Password(code_),
                                  ChannelId(code_.channel), session_id_, {}));
  inviter_share_.assign(party.share().begin(), party.share().end());
  Result<crypto::SecureBytes> isk = std::move(party).Finish(joiner_share_, {});
  if (!isk.ok()) return Status::Corruption("pairing request with an invalid share");
  ATTUNE_RETURN_IF_ERROR(DeriveKeys(*isk));

  wire::PairingMessage reply;
  reply.mutable_response()->set_share(inviter_share_.data(), inviter_share_.size());
  const Bytes tag = crypto::AuthTag(confirm_inviter_key_, Transcript());
  reply.mutable_response()->set_confirm(tag.data(), tag.size());
  stage_ = Stage::kAwaitConfirm;
  return Reply(reply);
}

Result<std::optional<Bytes>> Pairing::OnResponse(ByteSpan bytes) {
  ATTUNE_ASSIGN_OR_RETURN(wire::PairingMessage message,
                          DecodePairing(bytes, wire::PairingMessage::kResponse));
  inviter_share_ = ToBytes(message.response().share());
  Result<crypto::SecureBytes> isk = std::move(*party_).Finish(inviter_share_, {});
  party_.reset();
  if (!isk.ok()) return Status::Corruption("pairing response with an invalid share");
  ATTUNE_RETURN_IF_ERROR(DeriveKeys(*isk));
  if (!crypto::VerifyAuthTag(confirm_inviter_key_, Transcript(),
                             AsBytes(message.response().confirm()))) {
    return CodeMismatch();
  }

  wire::PairingMessage reply;
  const Bytes tag = crypto::AuthTag(confirm_joiner_key_, Transcript());
  reply.mutable_confirm()->set_confirm(tag.data(), tag.size());
  ATTUNE_ASSIGN_OR_RETURN(Bytes sealed, SealOwnIdentity());
  reply.mutable_confirm()->set_sealed_identity(sealed.data(), sealed.size());
  stage_ = Stage::kAwaitFinish;
  return Reply(reply);
}

Result<std::optional<Bytes>> Pairing::OnConfirm(ByteSpan bytes) {
  ATTUNE_ASSIGN_OR_RETURN(wire::PairingMessage message,
                          DecodePairing(bytes, wire::PairingMessage::kConfirm));
  if (!crypto::VerifyAuthTag(confirm_joiner_key_, Transcript(),
                             AsBytes(message.confirm().confirm()))) {
    return CodeMismatch();
  }
  ATTUNE_RETURN_IF_ERROR(OpenPeerIdentity(AsBytes(message.confirm().sealed_identity())));

  wire::PairingMessage reply;
  ATTUNE_ASSIGN_OR_RETURN(Bytes sealed, SealOwnIdentity());
  reply.mutable_finish()->set_sealed_identity(sealed.data(), sealed.size());
  stage_ = Stage::kFinished;
  return Reply(reply);
}

Result<std::optional<Bytes>> Pairing::OnFinish(ByteSpan bytes) {
  ATTUNE_ASSIGN_OR_RETURN(wire::PairingMessage message,
                          DecodePairing(bytes, wire::PairingMessage::kFinish));
  ATTUNE_RETURN_IF_ERROR(OpenPeerIdentity(AsBytes(message.finish().sealed_identity())));
  stage_ = Stage::kFinished;
  return std::optional<Bytes>();
}

Status Pairing::DeriveKeys(const crypto::SecureBytes& isk) {
  confirm_joiner_key_ = crypto::DeriveSubkey(isk, kConfirmJoinerLabel);
  confirm_inviter_key_ = crypto::DeriveSubkey(isk, kConfirmInviterLabel);
  seal_joiner_key_ = crypto::DeriveSubkey(isk, kSealJoinerLabel);
  seal_inviter_key_ = crypto::DeriveSubkey(isk, kSealInviterLabel);
  return Status::Ok();
}

Status Pairing::CodeMismatch() {
  abort_message_ = AbortMessage(wire::PairAbort::CODE_MISMATCH);
  return Status::AuthFailed("the pairing code did not match on the two sides")
      .WithReason(PairingReason::kCodeMismatch);
}

// The transcript both confirmation tags cover: session id and both shares, length-free because
// each part has a fixed size (checked by CPace for the shares, by OnRequest for the id).
Bytes Pairing::Transcript() const {
  Bytes transcript = session_id_;
  transcript.insert(transcript.end(), joiner_share_.begin(), joiner_share_.end());
  transcript.insert(transcript.end(), inviter_share_.begin(), inviter_share_.end());
  return transcript;
}

Result<Bytes> Pairing::SealOwnIdentity() const {
  wire::PairIdentity identity;
  identity.set_static_key(own_.static_key.data(), own_.static_key.size());
  identity.set_display_name(own_.display_name);
  identity.set_serve_port(own_.serve_port);
  if (own_.onion_client_key) {
    identity.set_onion_address(own_.onion_address);
    identity.set_onion_client_key(own_.onion_client_key->data(), own_.onion_client_key->size());
  }
  ATTUNE_ASSIGN_OR_RETURN(Bytes plain, Serialize(identity));
  const bool joiner = role_ == PairingRole::kJoiner;
  return crypto::aead::Seal(joiner ? seal_joiner_key_ : seal_inviter_key_, plain,
                            AsBytes(joiner ? kSealJoinerLabel : kSealInviterLabel));
}

Status Pairing::OpenPeerIdentity(ByteSpan sealed) {
  const bool peer_is_joiner = role_ == PairingRole::kInviter;
  Result<crypto::SecureBytes> plain =
      crypto::aead::Open(peer_is_joiner ? seal_joiner_key_ : seal_inviter_key_, sealed,
                         AsBytes(peer_is_joiner ? kSealJoinerLabel : kSealInviterLabel));
  if (!plain.ok()) return Status::Corruption("your partner's identity did not arrive intact");
  wire::PairIdentity identity;
  ATTUNE_RETURN_IF_ERROR(Parse(plain->span(), &identity));
  if (identity.static_key().size() != crypto::kX25519PublicBytes ||
      !IsValidDisplayName(identity.display_name()) || identity.serve_port() > 65535) {
    return Status::Corruption("your partner's identity is malformed");
  }
  std::copy(identity.static_key().begin(), identity.static_key().end(), peer_.static_key.begin());
  if (peer_.static_key == own_.static_key) {
    return Status::InvalidArgument("this is the same attune home: pair with your partner's");
  }
  peer_.display_name = identity.display_name();
  peer_.serve_port = static_cast<uint16_t>(identity.serve_port());
  return ReadPeerOnion(identity.onion_address(), identity.onion_client_key());
}

// Both or neither; an address that is not a valid v3 address of a valid key is refused, as a
// key of the wrong size is.
Status Pairing::ReadPeerOnion(const std::string& address, const std::string& client_key) {
  if (address.empty() && client_key.empty()) return Status::Ok();
  if (!IsCanonicalOnionAddress(address) || client_key.size() != crypto::kX25519PublicBytes) {
    return Status::Corruption("your partner's onion address is malformed");
  }
  peer_.onion_address = address;
  peer_.onion_client_key.emplace();
  std::copy(client_key.begin(), client_key.end(), peer_.onion_client_key->begin());
  return Status::Ok();
}

}  // namespace attune::protocol
