// Feeds arbitrary bytes to DecodeEnvelope and DecodeHello. Whatever decodes must re-encode and
// decode to the same value; whatever fails must fail with a code the contract allows.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "protocol/messages.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void FuzzEnvelope(attune::ByteSpan bytes) {
  namespace protocol = attune::protocol;
  attune::Result<protocol::Message> message = protocol::DecodeEnvelope(bytes);
  if (!message.ok()) {
    attune::StatusCode code = message.status().code();
    Check(code == attune::StatusCode::kCorruption || code == attune::StatusCode::kUnsupported);
    return;
  }
  attune::Result<attune::Bytes> encoded = protocol::EncodeEnvelope(*message);
  Check(encoded.ok());
  attune::Result<protocol::Message> again = protocol::DecodeEnvelope(*encoded);
  Check(again.ok() && *again == *message);
}

void FuzzHello(attune::ByteSpan bytes) {
  namespace protocol = attune::protocol;
  attune::Result<protocol::HelloMessage> hello = protocol::DecodeHello(bytes);
  if (!hello.ok()) {
    Check(hello.status().code() == attune::StatusCode::kCorruption);
    return;
  }
  // Features were checked: few, short, printable.
  Check(hello->features.size() <= protocol::kMaxFeatures);
  for (const std::string& feature : hello->features) {
    Check(!feature.empty() && feature.size() <= protocol::kMaxFeatureBytes);
  }
  attune::Result<attune::Bytes> encoded = protocol::EncodeHello(*hello);
  Check(encoded.ok());
  attune::Result<protocol::HelloMessage> again = protocol::DecodeHello(*encoded);
  Check(again.ok() && *again == *hello);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  attune::ByteSpan bytes(data, size);
  FuzzEnvelope(bytes);
  FuzzHello(bytes);
  return 0;
}
