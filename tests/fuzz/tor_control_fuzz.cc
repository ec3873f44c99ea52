// Feeds arbitrary bytes, as if from tor's control port, to a Controller that is waiting for the
// answers to every command attune sends, in pieces whose sizes come from the input. Checks the
// contract: no crash, events within bounds, poisoning that sticks, never more answers than
// questions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "crypto/secure_bytes.h"
#include "crypto/sodium.h"
#include "tor/controller.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Check(attune::crypto::Init().ok());  // secure memory for the command lines
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace tor = attune::tor;
  if (size == 0) return 0;
  const size_t piece = static_cast<size_t>(data[0]) + 1;
  attune::ByteSpan input(data + 1, size - 1);

  tor::Controller controller;
  const uint8_t cookie[32] = {};
  controller.Authenticate(cookie);
  controller.SubscribeEvents();
  controller.AskBootstrap();
  controller.AskSocksListener();
  const auto key = attune::crypto::SecureBytes::CopyOf(attune::AsBytes("ED25519-V3:a2V5"));
  Check(controller.AddOnion(key, {9878, 4040}, {"client"}).ok());
  Check(controller.FetchDescriptor("partner").ok());
  (void)controller.TakeOutput();
  const size_t asked = controller.awaiting();

  bool failed = false;
  size_t answered = 0;
  while (!input.empty()) {
    attune::ByteSpan chunk = input.first(input.size() < piece ? input.size() : piece);
    input = input.subspan(chunk.size());
    attune::Result<std::vector<tor::ControlEvent>> events = controller.Receive(chunk);
    if (!events.ok()) {
      failed = true;
      continue;
    }
    Check(!failed);  // once an error is returned, no call may succeed again
    for (const tor::ControlEvent& event : *events) {
      Check(event.percent >= 0 && event.percent <= 100);
      if (event.kind == tor::ControlEvent::Kind::kSocksListener) Check(event.port != 0);
    }
    answered = asked - controller.awaiting();
    Check(answered <= asked);
  }
  return 0;
}
