// Internal to protocol/: turning generated protobuf messages into bytes and back, with the
// frame-size bound every wire message obeys. Not a public header (it pulls in generated types).
#ifndef ATTUNE_PROTOCOL_WIRE_CODEC_H_
#define ATTUNE_PROTOCOL_WIRE_CODEC_H_

#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "base/utf8.h"
#include "protocol/frame.h"
#include "protocol/messages.h"

namespace attune::protocol::internal {

// Serializes a generated message into a buffer of exactly its size.
// kInvalidArgument if it would not fit in one frame.
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
// kCorruption if the bytes are longer than a frame or do not parse.
template <typename Proto>
Status Parse(ByteSpan bytes, Proto* proto) {
  if (bytes.size() > kMaxFrameBytes) return Status::Corruption("message longer than a frame");
  if (!proto->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Status::Corruption("unparsable message");
  }
  return Status::Ok();
}

// At most kMaxDisplayNameBytes of UTF-8 without control characters (C0, DEL, C1): a partner's
// name is printed on the other's terminal, where control characters could rewrite the screen.
inline bool IsValidDisplayName(std::string_view name) {
  if (name.size() > kMaxDisplayNameBytes || !IsValidUtf8(name)) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const auto byte = static_cast<unsigned char>(name[i]);
    if (byte < 0x20 || byte == 0x7f) return false;
    // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
    if (byte == 0xc2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) <= 0x9f) {
      return false;
    }
  }
  return true;
}

}  // namespace attune::protocol::internal

#endif  // ATTUNE_PROTOCOL_WIRE_CODEC_H_
