// Feeds arbitrary bytes to a FrameDecoder in pieces whose sizes also come from the input, and
// checks the decoder's contract: no crash, frames within bounds, poisoning that sticks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "protocol/frame.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace protocol = attune::protocol;
  if (size == 0) return 0;
  // The first byte picks the piece size, so splits are explored along with contents.
  size_t piece = static_cast<size_t>(data[0]) + 1;
  attune::ByteSpan input(data + 1, size - 1);

  protocol::FrameDecoder decoder;
  bool failed = false;
  while (!input.empty()) {
    attune::ByteSpan chunk = input.first(input.size() < piece ? input.size() : piece);
    input = input.subspan(chunk.size());
    attune::Result<std::vector<attune::Bytes>> frames = decoder.Feed(chunk);
    if (!frames.ok()) {
      failed = true;
      Check(decoder.poisoned());
      continue;
    }
    Check(!failed);  // once an error is returned, no call may succeed again
    for (const attune::Bytes& frame : *frames) {
      Check(!frame.empty() && frame.size() <= protocol::kMaxFrameBytes);
      // Re-encoding a decoded frame must succeed.
      Check(protocol::EncodeFrame(frame).ok());
    }
  }
  return 0;
}
