// The wire frame: every message on a connection travels as
//
//   +----------------------+---------------------------+
//   | length: u16, big-end | payload: `length` bytes   |
//   +----------------------+---------------------------+
//
// with 1 <= length <= kMaxFrameBytes. A zero length is a protocol error, never a keep-alive.
// This file is pure, sans-I/O code: it turns bytes into frames and back and never touches a
// socket or a clock.
#ifndef ATTUNE_PROTOCOL_FRAME_H_
#define ATTUNE_PROTOCOL_FRAME_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace attune::protocol {

inline constexpr size_t kFrameHeaderBytes = 2;
// The largest payload the 2-byte length can express; also the largest any decoder allocates.
inline constexpr size_t kMaxFrameBytes = 65535;

// Returns the length header followed by a copy of `payload`.
// kInvalidArgument if `payload` is empty or longer than kMaxFrameBytes.
Result<Bytes> EncodeFrame(ByteSpan payload);

// The payload length a complete header announces. kCorruption for a zero length.
// For readers that read the header and then exactly that many bytes (node/'s sockets).
Result<size_t> DecodeFrameHeader(const std::array<uint8_t, kFrameHeaderBytes>& header);

// Reassembles frames from a byte stream delivered in arbitrary pieces.
//
// Contract:
//  - Feed() takes the bytes as they arrive (any split, including empty pieces) and returns every
//    frame completed by them, in order. Bytes of an incomplete frame are kept for the next call.
//  - A payload is read into a buffer of exactly its declared length, allocated only once the
//    header is complete; since the header is 16 bits that is never more than kMaxFrameBytes.
//  - A zero length header is kCorruption ("zero-length frame"). An error poisons the decoder:
//    that call and every later call return the same error, and frames completed earlier in the
//    failing call are discarded (the caller is expected to drop the connection).
//  - HasPartialFrame() tells whether the stream stopped mid-frame, e.g. to treat a close at that
//    point as a truncated stream.
//
// Not thread-safe: one decoder per connection, used from one thread (or strand) at a time.
class FrameDecoder {
 public:
  FrameDecoder() = default;

  Result<std::vector<Bytes>> Feed(ByteSpan bytes);

  // True if some bytes of a frame (header or payload) are buffered but the frame is incomplete.
  bool HasPartialFrame() const { return header_filled_ > 0; }

  // True once Feed() has returned an error.
  bool poisoned() const { return !error_.ok(); }

 private:
  // Consumes header bytes from the front of `bytes`; returns how many were used.
  Result<size_t> ReadHeader(ByteSpan bytes);
  // Consumes payload bytes from the front of `bytes`; returns how many were used.
  size_t ReadPayload(ByteSpan bytes);

  std::array<uint8_t, kFrameHeaderBytes> header_{};
  size_t header_filled_ = 0;  // 0..kFrameHeaderBytes
  Bytes payload_;             // sized to the declared length once the header is complete
  size_t payload_filled_ = 0;
  Status error_;  // ok until the first error, then returned by every call
};

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_FRAME_H_
