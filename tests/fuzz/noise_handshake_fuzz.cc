// Feeds arbitrary bytes to the Noise handshake reader (crypto/noise.h, the partner link's
// Noise_XX_25519_ChaChaPoly_BLAKE2b with prologue "attune/1") wherever a peer's handshake message
// arrives. The first byte picks the point (noise_fixture.h's Scenario):
//   0  the responder reads message 1 (-> e)
//   1  the initiator, after writing message 1, reads message 2 (<- e, ee, s, es)
//   2  the responder, after the genuine message 1 and its message 2, reads message 3 (-> s, se)
// Keys and ephemerals are fixed, so the genuine messages are known (the seeds hold them) and the
// fuzzer starts past the first checks. Checked: nothing crashes; a failed read gives an allowed
// code and leaves the handshake dead; an authenticated message (2 or 3) is accepted only if it is
// byte for byte the genuine one, and then the handshake completes as the genuine one did.
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
  // Message 1 is a public key and a clear payload: only its length can be wrong.
  if (!payload.ok()) {
    Check(message.size() < attune::crypto::kX25519PublicBytes ||
          message.size() > noise::kMaxMessageBytes);
    CheckFailedRead(std::move(responder), payload.status());
    return;
  }
  Check(Equal(payload->span(), message.subspan(attune::crypto::kX25519PublicBytes)));
  Check(responder.next_step() == noise::HandshakeStep::kWrite);
  Check(!responder.remote_static().has_value());

  // Answering mixes in DH(e, re): a low-order re must be refused, never used as a key.
  attune::Result<attune::Bytes> message2 = responder.WriteMessage(fuzz::Payload(2));
  if (!message2.ok()) {
    Check(message2.status().code() == StatusCode::kAuthFailed);
    Check(responder.next_step() == noise::HandshakeStep::kFailed);
    return;
  }
  Check(responder.next_step() == noise::HandshakeStep::kRead);
  if (Equal(message, Genuine().message1)) Check(Equal(*message2, Genuine().message2));
}

void InitiatorReadsMessage2(ByteSpan message) {
  noise::HandshakeState initiator = fuzz::NewHandshake(noise::Role::kInitiator);
  Check(Equal(fuzz::WriteOrDie(initiator, 1), Genuine().message1));
  attune::Result<attune::crypto::SecureBytes> payload = initiator.ReadMessage(message);
  if (!payload.ok()) {
    CheckFailedRead(std::move(initiator), payload.status());
    return;
  }
  // Anything else accepted here would be a forgery of ChaChaPoly under keys the input lacks.
  Check(Equal(message, Genuine().message2));
  Check(Equal(payload->span(), fuzz::Payload(2)));
  Check(initiator.remote_static() == fuzz::StaticKey(noise::Role::kResponder).public_key);
  Check(Equal(fuzz::WriteOrDie(initiator, 3), Genuine().message3));
  CheckFinishesGenuinely(std::move(initiator));
}

void ResponderReadsMessage3(ByteSpan message) {
  noise::HandshakeState responder = fuzz::NewHandshake(noise::Role::kResponder);
  fuzz::ReadOrDie(responder, Genuine().message1);
  Check(Equal(fuzz::WriteOrDie(responder, 2), Genuine().message2));
  attune::Result<attune::crypto::SecureBytes> payload = responder.ReadMessage(message);
  if (!payload.ok()) {
    CheckFailedRead(std::move(responder), payload.status());
    return;
  }
  Check(Equal(message, Genuine().message3));
  Check(Equal(payload->span(), fuzz::Payload(3)));
  Check(responder.remote_static() == fuzz::StaticKey(noise::Role::kInitiator).public_key);
  CheckFinishesGenuinely(std::move(responder));
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
    case fuzz::kInitiatorReadsMessage2:
      InitiatorReadsMessage2(message);
      break;
    default:
      ResponderReadsMessage3(message);
      break;
  }
  return 0;
}
