// Feeds arbitrary bytes to the Noise handshake reader (crypto/noise.h, the partner link's
// Noise_KK_25519_ChaChaPoly_BLAKE2b with prologue "attune/2") wherever a peer's handshake message
// arrives. The first byte picks the point (noise_fixture.h's Scenario):
//   0  the responder reads message 1 (-> e, es, ss)
//   1  the initiator, after writing message 1, reads message 2 (<- e, ee, se)
// Keys and ephemerals are fixed, so the genuine messages are known (the seeds hold them) and the
// fuzzer starts past the first checks. Checked: nothing crashes; a failed read gives an allowed
// code and leaves the handshake dead; both messages are authenticated (KK pre-shares both static
// keys), so a message is accepted only if it is byte for byte the genuine one, and then the
// handshake completes as the genuine one did.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "crypto/noise.h"
#include "crypto/sodium.h"
#include "tests/fuzz/noise_fixture.h"

namespace {

namespace fuzz = attune::fuzz;
namespace noise = attune::crypto::noise;
using attune::ByteSpan;
using attune::StatusCode;
using fuzz::Check;

const fuzz::Transcript& Genuine() {
  static const fuzz::Transcript transcript = fuzz::GenuineHandshake();
  return transcript;
}

bool Equal(ByteSpan a, ByteSpan b) {
  return std::ranges::equal(a, b);
}

// A failed read must give a reason the contract allows and leave the handshake dead for good.
void CheckFailedRead(noise::HandshakeState handshake, const attune::Status& status) {
  const StatusCode code = status.code();
  Check(code == StatusCode::kCorruption || code == StatusCode::kAuthFailed ||
        code == StatusCode::kInvalidArgument);
  Check(handshake.next_step() == noise::HandshakeStep::kFailed);
  Check(!handshake.WriteMessage({}).ok());
  Check(!handshake.ReadMessage(Genuine().message2).ok());
  Check(!std::move(handshake).Finish().ok());
}

// The handshake ended as the genuine one did: same hash, and the transport session works.
void CheckFinishesGenuinely(noise::HandshakeState handshake) {
  Check(handshake.next_step() == noise::HandshakeStep::kFinished);
  attune::Result<noise::TransportSession> session = std::move(handshake).Finish();
  Check(session.ok());
  Check(Equal(session->handshake_hash(), Genuine().handshake_hash));
  Check(session->CanSend() && session->CanReceive());
}

void ResponderReadsMessage1(ByteSpan message) {
  noise::HandshakeState responder = fuzz::NewHandshake(noise::Role::kResponder);
  attune::Result<attune::crypto::SecureBytes> payload = responder.ReadMessage(message);
  if (!payload.ok()) {
    CheckFailedRead(std::move(responder), payload.status());
    return;
  }
  // Anything else accepted here would be a forgery of ChaChaPoly under keys the input lacks
  // (or, in a real node, a replay: node/ refuses those by the Hello's counter).
  Check(Equal(message, Genuine().message1));
  Check(Equal(payload->span(), fuzz::Payload(1)));
  Check(responder.next_step() == noise::HandshakeStep::kWrite);
  Check(Equal(fuzz::WriteOrDie(responder, 2), Genuine().message2));
  CheckFinishesGenuinely(std::move(responder));
}

void InitiatorReadsMessage2(ByteSpan message) {
  noise::HandshakeState initiator = fuzz::NewHandshake(noise::Role::kInitiator);
  Check(Equal(fuzz::WriteOrDie(initiator, 1), Genuine().message1));
  attune::Result<attune::crypto::SecureBytes> payload = initiator.ReadMessage(message);
  if (!payload.ok()) {
    CheckFailedRead(std::move(initiator), payload.status());
    return;
  }
  Check(Equal(message, Genuine().message2));
  Check(Equal(payload->span(), fuzz::Payload(2)));
  CheckFinishesGenuinely(std::move(initiator));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Check(attune::crypto::Init().ok());
  (void)Genuine();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  ByteSpan message(data + 1, size - 1);
  switch (data[0] % fuzz::kScenarioCount) {
    case fuzz::kResponderReadsMessage1:
      ResponderReadsMessage1(message);
      break;
    default:
      InitiatorReadsMessage2(message);
      break;
  }
  return 0;
}
