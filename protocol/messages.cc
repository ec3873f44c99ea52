#include "protocol/messages.h"

#include <type_traits>

#include "base/utf8.h"
#include "protocol/attune.pb.h"
#include "protocol/frame.h"

namespace attune::protocol {
namespace {

bool IsValidDisplayName(std::string_view name) {
  return name.size() <= kMaxDisplayNameBytes && IsValidUtf8(name);
}

// Serializes a generated message into a buffer of exactly its size.
template <typename Proto>
Result<Bytes> Serialize(const Proto& proto) {
  size_t size = proto.ByteSizeLong();
  if (size > kMaxFrameBytes) return Status::InvalidArgument("message does not fit in a frame");
  Bytes out(size);
  if (!proto.SerializeToArray(out.data(), static_cast<int>(size))) {
    return Status::Internal("protobuf serialization failed");
  }
  return out;
}

// Parses untrusted bytes; the size bound also keeps the cast to protobuf's int in range.
template <typename Proto>
Status Parse(ByteSpan bytes, Proto* proto) {
  if (bytes.size() > kMaxFrameBytes) return Status::Corruption("message longer than a frame");
  if (!proto->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Status::Corruption("unparsable message");
  }
  return Status::Ok();
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
  return HelloMessage{proto.protocol_version(), proto.display_name()};
}

Result<Bytes> EncodeEnvelope(const Message& message) {
  wire::Envelope proto;
  proto.set_version(kProtocolVersion);
  std::visit(
      [&proto](const auto& body) {
        using Body = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<Body, PingMessage>) {
          proto.mutable_ping()->set_nonce(body.nonce);
        } else {
          static_assert(std::is_same_v<Body, PongMessage>, "every Message needs a wire body");
          proto.mutable_pong()->set_nonce(body.nonce);
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
    case wire::Envelope::BODY_NOT_SET:
      break;
  }
  // A body added by a newer peer arrives as an unknown field and leaves the oneof unset.
  return Status::Unsupported("envelope without a known body");
}

}  // namespace attune::protocol
