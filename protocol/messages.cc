#include "protocol/messages.h"

#include <type_traits>

#include "protocol/attune.pb.h"
#include "protocol/wire_codec.h"

namespace attune::protocol {
namespace {

using internal::IsValidDisplayName;
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

}  // namespace

Result<Bytes> EncodeHello(const HelloMessage& hello) {
  if (hello.protocol_version == 0) return Status::InvalidArgument("hello without version");
  if (!IsValidDisplayName(hello.display_name)) {
    return Status::InvalidArgument("display name too long or not UTF-8");
  }
  wire::Hello proto;
  proto.set_protocol_version(hello.protocol_version);
  proto.set_display_name(hello.display_name);
  proto.set_serve_port(hello.serve_port);
  return Serialize(proto);
}

Result<HelloMessage> DecodeHello(ByteSpan bytes) {
  wire::Hello proto;
  ATTUNE_RETURN_IF_ERROR(Parse(bytes, &proto));
  if (proto.protocol_version() == 0) return Status::Corruption("hello without version");
  // display_name is `bytes` on the wire, so this is the only UTF-8 check it gets.
  if (!IsValidDisplayName(proto.display_name())) {
    return Status::Corruption("display name too long or not UTF-8");
  }
  if (proto.serve_port() > 65535) return Status::Corruption("serve port out of range");
  return HelloMessage{proto.protocol_version(), proto.display_name(),
                      static_cast<uint16_t>(proto.serve_port())};
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
        } else {
          static_assert(std::is_same_v<Body, GoodbyeMessage>, "every Message needs a wire body");
          proto.mutable_goodbye()->set_reason(ToWire(body.reason));
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
    case wire::Envelope::BODY_NOT_SET:
      break;
  }
  // A body added by a newer peer arrives as an unknown field and leaves the oneof unset.
  return Status::Unsupported("envelope without a known body");
}

}  // namespace attune::protocol
