#include "protocol/frame.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace attune::protocol {

// The header cannot express more, so the decoder's allocation bound holds by construction.
static_assert(kMaxFrameBytes == std::numeric_limits<uint16_t>::max());

Result<Bytes> EncodeFrame(ByteSpan payload) {
  if (payload.empty()) return Status::InvalidArgument("empty frame payload");
  if (payload.size() > kMaxFrameBytes) return Status::InvalidArgument("frame payload too long");
  Bytes frame;
  frame.reserve(kFrameHeaderBytes + payload.size());
  frame.push_back(static_cast<uint8_t>(payload.size() >> 8));
  frame.push_back(static_cast<uint8_t>(payload.size() & 0xff));
  frame.insert(frame.end(), payload.begin(), payload.end());
  return frame;
}

Result<std::vector<Bytes>> FrameDecoder::Feed(ByteSpan bytes) {
  if (!error_.ok()) return error_;
  std::vector<Bytes> frames;
  while (!bytes.empty()) {
    if (header_filled_ < kFrameHeaderBytes) {
      Result<size_t> used = ReadHeader(bytes);
      if (!used.ok()) {
        error_ = used.status();
        return error_;
      }
      bytes = bytes.subspan(*used);
      continue;
    }
    bytes = bytes.subspan(ReadPayload(bytes));
    if (payload_filled_ == payload_.size()) {
      frames.push_back(std::move(payload_));
      payload_ = Bytes();
      payload_filled_ = 0;
      header_filled_ = 0;
    }
  }
  return frames;
}

Result<size_t> FrameDecoder::ReadHeader(ByteSpan bytes) {
  size_t used = std::min(bytes.size(), kFrameHeaderBytes - header_filled_);
  std::copy_n(bytes.begin(), used, header_.begin() + header_filled_);
  header_filled_ += used;
  if (header_filled_ < kFrameHeaderBytes) return used;

  ATTUNE_ASSIGN_OR_RETURN(size_t length, DecodeFrameHeader(header_));
  payload_.resize(length);
  return used;
}

Result<size_t> DecodeFrameHeader(const std::array<uint8_t, kFrameHeaderBytes>& header) {
  size_t length = size_t{header[0]} << 8 | header[1];
  if (length == 0) return Status::Corruption("zero-length frame");
  // Redundant with the 16-bit header, but it states the allocation bound where it matters.
  if (length > kMaxFrameBytes) return Status::Corruption("frame length over maximum");
  return length;
}

size_t FrameDecoder::ReadPayload(ByteSpan bytes) {
  size_t used = std::min(bytes.size(), payload_.size() - payload_filled_);
  std::copy_n(bytes.begin(), used, payload_.begin() + static_cast<std::ptrdiff_t>(payload_filled_));
  payload_filled_ += used;
  return used;
}

}  // namespace attune::protocol
