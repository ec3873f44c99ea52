#include "protocol/messages.h"

#include <algorithm>
#include <type_traits>

#include "base/utf8.h"
#include "crypto/commitment.h"
#include "crypto/x25519.h"
#include "protocol/attune.pb.h"
#include "protocol/identity.h"
#include "protocol/wire_codec.h"

namespace attune::protocol {
namespace {

using internal::Parse;
using internal::Serialize;

wire::Goodbye::Reason ToWire(GoodbyeMessage::Reason reason) {
  switch (reason) {
    case GoodbyeMessage::Reason::kFreshHandshake:
      return wire::Goodbye::FRESH_HANDSHAKE;
    case GoodbyeMessage::Reason::kDone:
      return wire::Goodbye::DONE;
    case GoodbyeMessage::Reason::kUnspecified:
      break;
  }
  return wire::Goodbye::REASON_UNSPECIFIED;
}

// Reasons this build does not know (a newer peer's) read as kUnspecified: a goodbye is a goodbye.
GoodbyeMessage::Reason FromWire(int reason) {
  switch (reason) {
    case wire::Goodbye::FRESH_HANDSHAKE:
      return GoodbyeMessage::Reason::kFreshHandshake;
    case wire::Goodbye::DONE:
      return GoodbyeMessage::Reason::kDone;
    default:
      return GoodbyeMessage::Reason::kUnspecified;
  }
}

bool IsEntryId(std::string_view id) {
  if (id.size() != kEntryIdChars) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsEpoch(const std::string& epoch, bool may_be_empty) {
  return epoch.size() == kEpochBytes || (may_be_empty && epoch.empty());
}

std::string AsString(const Bytes& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

Bytes FromString(const std::string& text) {
  return Bytes(text.begin(), text.end());
}

void ToWire(const SyncRecord& record, wire::SyncRecord* proto) {
  proto->set_seq(record.seq);
  proto->set_entry_id(record.entry_id);
  proto->set_withdrawn(record.withdrawn);
  proto->set_content(AsString(record.content));
  proto->set_part(record.part);
  proto->set_continues(record.continues);
}

Result<SyncRecord> FromWire(const wire::SyncRecord& proto) {
  if (proto.seq() == 0) return Status::Corruption("sync record without seq");
  if (!IsEntryId(proto.entry_id())) return Status::Corruption("sync record with a bad entry id");
  if (proto.withdrawn() && (!proto.content().empty() || proto.continues() || proto.part() != 0)) {
    return Status::Corruption("tombstone with content");
  }
  return SyncRecord{proto.seq(),  proto.entry_id(), proto.withdrawn(), FromString(proto.content()),
                    proto.part(), proto.continues()};
}

Result<Message> DecodeSyncHello(const wire::SyncHello& proto) {
  if (!IsEpoch(proto.epoch(), false) || !IsEpoch(proto.your_epoch(), true)) {
    return Status::Corruption("sync hello with a malformed epoch");
  }
  if (proto.your_epoch().empty() && proto.applied_seq() != 0) {
    return Status::Corruption("sync hello claims rows of no epoch");
  }
  return Message{SyncHelloMessage{FromString(proto.epoch()), FromString(proto.your_epoch()),
                                  proto.applied_seq(), proto.last_seq()}};
}

Result<Message> DecodeSyncBatch(const wire::SyncBatch& proto) {
  if (!IsEpoch(proto.epoch(), false)) return Status::Corruption("sync batch with a bad epoch");
  if (proto.batch_number() == 0) return Status::Corruption("sync batch without a number");
  SyncBatchMessage batch{
      FromString(proto.epoch()), proto.batch_number(), proto.after_seq(), {}, proto.caught_up()};
  batch.records.reserve(static_cast<size_t>(proto.records_size()));
  for (const wire::SyncRecord& record : proto.records()) {
    ATTUNE_ASSIGN_OR_RETURN(SyncRecord decoded, FromWire(record));
    batch.records.push_back(std::move(decoded));
  }
  return Message{std::move(batch)};
}

Result<Message> DecodeSyncAck(const wire::SyncAck& proto) {
  if (!IsEpoch(proto.epoch(), false)) return Status::Corruption("sync ack with a bad epoch");
  if (proto.batch_number() == 0) return Status::Corruption("sync ack without a batch number");
  return Message{
      SyncAckMessage{FromString(proto.epoch()), proto.batch_number(), proto.applied_seq()}};
}

Result<Message> DecodeOnionContact(const wire::OnionContact& proto) {
  if (!IsCanonicalOnionAddress(proto.onion_address()) ||
      proto.client_key().size() != crypto::kX25519PublicBytes) {
    return Status::Corruption("malformed onion contact");
  }
  return Message{OnionContactMessage{proto.onion_address(), FromString(proto.client_key())}};
}

wire::Exercise::Kind ToWire(ExerciseMessage::Kind kind) {
  switch (kind) {
    case ExerciseMessage::Kind::kAsk:
      return wire::Exercise::ASK;
    case ExerciseMessage::Kind::kCommit:
      return wire::Exercise::COMMIT;
    case ExerciseMessage::Kind::kReveal:
      return wire::Exercise::REVEAL;
    case ExerciseMessage::Kind::kWithdraw:
      return wire::Exercise::WITHDRAW;
  }
  return wire::Exercise::KIND_UNSPECIFIED;
}

void ToWire(const ExerciseMessage& message, wire::Exercise* proto) {
  proto->set_kind(ToWire(message.kind));
  proto->set_exercise_id(message.exercise_id);
  proto->set_exercise(message.exercise);
  proto->set_commitment(AsString(message.commitment));
  proto->set_opening(AsString(message.opening));
  proto->set_answer(message.answer);
}

bool IsExerciseName(std::string_view name) {
  return !name.empty() && name.size() <= kMaxExerciseNameBytes &&
         std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
}

// Strict: each kind carries its own fields, at their exact sizes, and no others.
Result<Message> DecodeExercise(const wire::Exercise& proto) {
  const auto malformed = [] { return Status::Corruption("malformed exercise message"); };
  if (!IsEntryId(proto.exercise_id())) return malformed();
  ExerciseMessage message;
  message.exercise_id = proto.exercise_id();
  const bool has_name = !proto.exercise().empty();
  const bool has_commitment = !proto.commitment().empty();
  const bool has_reveal = !proto.opening().empty() || !proto.answer().empty();
  switch (proto.kind()) {
    case wire::Exercise::ASK:
      if (!IsExerciseName(proto.exercise()) || has_commitment || has_reveal) return malformed();
      message.kind = ExerciseMessage::Kind::kAsk;
      message.exercise = proto.exercise();
      break;
    case wire::Exercise::COMMIT:
      if (proto.commitment().size() != crypto::kCommitmentBytes || has_name || has_reveal) {
        return malformed();
      }
      message.kind = ExerciseMessage::Kind::kCommit;
      message.commitment = FromString(proto.commitment());
      break;
    case wire::Exercise::REVEAL:
      if (proto.opening().size() != crypto::kOpeningBytes || has_name || has_commitment ||
          proto.answer().size() > kMaxExerciseAnswerBytes || !IsValidUtf8(proto.answer())) {
        return malformed();
      }
      message.kind = ExerciseMessage::Kind::kReveal;
      message.opening = FromString(proto.opening());
      message.answer = proto.answer();
      break;
    case wire::Exercise::WITHDRAW:
      if (has_name || has_commitment || has_reveal) return malformed();
      message.kind = ExerciseMessage::Kind::kWithdraw;
      break;
    default:
      return malformed();
  }
  return Message{std::move(message)};
}

// A feature name is printable ASCII without spaces, e.g. "sync/1": it is compared, never shown
// as the peer sent it.
bool IsValidFeature(std::string_view feature) {
  if (feature.empty() || feature.size() > kMaxFeatureBytes) return false;
  return std::all_of(feature.begin(), feature.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

bool AreValidFeatures(const std::vector<std::string>& features) {
  return features.size() <= kMaxFeatures &&
         std::all_of(features.begin(), features.end(),
                     [](const std::string& f) { return IsValidFeature(f); });
}

}  // namespace

size_t EncodedRecordBytes(const SyncRecord& record) {
  wire::SyncRecord proto;
  ToWire(record, &proto);
  const size_t size = proto.ByteSizeLong();
  // The field tag (1 byte) and the length prefix (at most 3 bytes below 2^21) in the batch.
  return size + 4;
}

std::vector<std::string> SupportedFeatures() {
  return {std::string(kFeatureSync), std::string(kFeaturePing), std::string(kFeatureOnion),
          std::string(kFeatureExercise)};
}

std::string_view RequiredFeature(const Message& message) {
  if (std::holds_alternative<GoodbyeMessage>(message)) return "";
  if (std::holds_alternative<PingMessage>(message) ||
      std::holds_alternative<PongMessage>(message)) {
    return kFeaturePing;
  }
  if (std::holds_alternative<OnionContactMessage>(message)) return kFeatureOnion;
  if (std::holds_alternative<ExerciseMessage>(message)) return kFeatureExercise;
  return kFeatureSync;
}

Result<Bytes> EncodeHello(const HelloMessage& hello) {
  if (hello.protocol_version == 0) return Status::InvalidArgument("hello without version");
  if (!AreValidFeatures(hello.features)) return Status::InvalidArgument("malformed features");
  wire::Hello proto;
  proto.set_protocol_version(hello.protocol_version);
  proto.set_serve_port(hello.serve_port);
  proto.set_one_shot(hello.one_shot);
  proto.set_handshake_counter(hello.handshake_counter);
  for (const std::string& feature : hello.features) proto.add_features(feature);
  return Serialize(proto);
}

Result<HelloMessage> DecodeHello(ByteSpan bytes) {
  wire::Hello proto;
  ATTUNE_RETURN_IF_ERROR(Parse(bytes, &proto));
  if (proto.protocol_version() == 0) return Status::Corruption("hello without version");
  if (proto.serve_port() > 65535) return Status::Corruption("serve port out of range");
  std::vector<std::string> features(proto.features().begin(), proto.features().end());
  // features are `bytes` on the wire, so this is the only check they get.
  if (!AreValidFeatures(features)) return Status::Corruption("malformed features");
  return HelloMessage{proto.protocol_version(), static_cast<uint16_t>(proto.serve_port()),
                      proto.one_shot(), proto.handshake_counter(), std::move(features)};
}

Result<Bytes> EncodeEnvelope(const Message& message) {
  wire::Envelope proto;
  proto.set_version(kProtocolVersion);
  std::visit(
      [&proto](const auto& body) {
        using Body = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<Body, PingMessage>) {
          proto.mutable_ping()->set_nonce(body.nonce);
        } else if constexpr (std::is_same_v<Body, PongMessage>) {
          proto.mutable_pong()->set_nonce(body.nonce);
        } else if constexpr (std::is_same_v<Body, GoodbyeMessage>) {
          proto.mutable_goodbye()->set_reason(ToWire(body.reason));
        } else if constexpr (std::is_same_v<Body, SyncHelloMessage>) {
          wire::SyncHello* hello = proto.mutable_sync_hello();
          hello->set_epoch(AsString(body.epoch));
          hello->set_your_epoch(AsString(body.your_epoch));
          hello->set_applied_seq(body.applied_seq);
          hello->set_last_seq(body.last_seq);
        } else if constexpr (std::is_same_v<Body, SyncBatchMessage>) {
          wire::SyncBatch* batch = proto.mutable_sync_batch();
          batch->set_epoch(AsString(body.epoch));
          batch->set_batch_number(body.batch_number);
          batch->set_after_seq(body.after_seq);
          batch->set_caught_up(body.caught_up);
          for (const SyncRecord& record : body.records) ToWire(record, batch->add_records());
        } else if constexpr (std::is_same_v<Body, OnionContactMessage>) {
          wire::OnionContact* contact = proto.mutable_onion_contact();
          contact->set_onion_address(body.onion_address);
          contact->set_client_key(AsString(body.client_key));
        } else if constexpr (std::is_same_v<Body, ExerciseMessage>) {
          ToWire(body, proto.mutable_exercise());
        } else {
          static_assert(std::is_same_v<Body, SyncAckMessage>, "every Message needs a wire body");
          wire::SyncAck* ack = proto.mutable_sync_ack();
          ack->set_epoch(AsString(body.epoch));
          ack->set_batch_number(body.batch_number);
          ack->set_applied_seq(body.applied_seq);
        }
      },
      message);
  return Serialize(proto);
}

Result<Message> DecodeEnvelope(ByteSpan bytes) {
  wire::Envelope proto;
  ATTUNE_RETURN_IF_ERROR(Parse(bytes, &proto));
  if (proto.version() == 0) return Status::Corruption("envelope without version");
  if (proto.version() > kProtocolVersion) {
    return Status::Unsupported("envelope from a newer protocol major version");
  }
  switch (proto.body_case()) {
    case wire::Envelope::kPing:
      return Message{PingMessage{proto.ping().nonce()}};
    case wire::Envelope::kPong:
      return Message{PongMessage{proto.pong().nonce()}};
    case wire::Envelope::kGoodbye:
      return Message{GoodbyeMessage{FromWire(proto.goodbye().reason())}};
    case wire::Envelope::kSyncHello:
      return DecodeSyncHello(proto.sync_hello());
    case wire::Envelope::kSyncBatch:
      return DecodeSyncBatch(proto.sync_batch());
    case wire::Envelope::kSyncAck:
      return DecodeSyncAck(proto.sync_ack());
    case wire::Envelope::kOnionContact:
      return DecodeOnionContact(proto.onion_contact());
    case wire::Envelope::kExercise:
      return DecodeExercise(proto.exercise());
    case wire::Envelope::BODY_NOT_SET:
      break;
  }
  // A body added by a newer peer arrives as an unknown field and leaves the oneof unset.
  return Status::Unsupported("envelope without a known body")
      .WithReason(ProtocolReason::kUnknownBody);
}

std::string ProtobufVersion() {
  return google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION);
}

}  // namespace attune::protocol
