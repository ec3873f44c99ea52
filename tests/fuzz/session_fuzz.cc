// Feeds arbitrary frames to the partner session (protocol/session.h): as the responder's first
// handshake message, as the initiator's second, as a frame the responder gets while its answer
// waits for admission, and as a transport message on an established session. Keys and
// ephemerals are fixed so runs are deterministic and the fuzzer can steer past the first checks.
// Checked: nothing crashes; nothing but the genuine message 1 is ever admissible (a stranger's
// bytes get nothing queued, not even on a 32-byte attune/1 first message); nothing but the
// genuine message 2 establishes the initiator; a failed session stays closed and sends nothing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "crypto/sodium.h"
#include "crypto/x25519.h"
#include "protocol/session.h"

namespace {

namespace crypto = attune::crypto;
namespace protocol = attune::protocol;

void Check(bool condition) {
  if (!condition) std::abort();
}

crypto::X25519KeyPair FixedKey(uint8_t seed) {
  crypto::SecureBytes secret(crypto::kX25519SecretBytes);
  for (size_t i = 0; i < secret.size(); ++i) secret.data()[i] = static_cast<uint8_t>(seed + i);
  auto pair = crypto::X25519KeyPairFromSecret(std::move(secret));
  Check(pair.ok());
  return std::move(pair).value();
}

// The same parties as make_fuzz_seeds.cc's StartSession(); keep the two in step.
protocol::Session Start(protocol::SessionRole role) {
  const bool initiator = role == protocol::SessionRole::kInitiator;
  protocol::SessionConfig config;
  config.role = role;
  config.local_static = FixedKey(initiator ? 1 : 2);
  config.pinned_partner = FixedKey(initiator ? 2 : 1).public_key;
  config.hello.serve_port = initiator ? 4100 : 4200;
  config.handshake_counter = 1767225600000;
  config.fixed_ephemeral_for_testing = FixedKey(initiator ? 3 : 4);
  auto session = protocol::Session::Start(std::move(config));
  Check(session.ok());
  return std::move(session).value();
}

attune::Bytes TakeOne(protocol::Session& from) {
  std::vector<attune::Bytes> frames = from.TakeOutgoing();
  Check(frames.size() == 1);
  return std::move(frames.front());
}

bool Equal(attune::ByteSpan a, attune::ByteSpan b) {
  return std::ranges::equal(a, b);
}

void CheckClosedQuietly(protocol::Session& session) {
  Check(session.state() == protocol::SessionState::kClosed);
  Check(session.TakeOutgoing().empty());
  Check(!session.Send(protocol::PingMessage{1}).ok());
}

void ResponderReadsMessage1(attune::ByteSpan frame, attune::ByteSpan genuine) {
  protocol::Session responder = Start(protocol::SessionRole::kResponder);
  const attune::Status status = responder.Receive(frame);
  Check(responder.TakeOutgoing().empty());  // nothing before admission, whatever came
  if (!status.ok()) {
    CheckClosedQuietly(responder);
    return;
  }
  Check(Equal(frame, genuine));
  Check(responder.state() == protocol::SessionState::kAwaitingAdmission);
  Check(responder.peer_hello()->handshake_counter == 1767225600000);
  Check(responder.Admit().ok() && responder.established());
}

void InitiatorReadsMessage2(attune::ByteSpan frame, attune::ByteSpan genuine) {
  protocol::Session initiator = Start(protocol::SessionRole::kInitiator);
  (void)initiator.TakeOutgoing();
  if (!initiator.Receive(frame).ok()) {
    CheckClosedQuietly(initiator);
    return;
  }
  Check(Equal(frame, genuine) && initiator.established());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Check(crypto::Init().ok());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  attune::ByteSpan frame(data + 1, size - 1);
  protocol::Session initiator = Start(protocol::SessionRole::kInitiator);
  protocol::Session responder = Start(protocol::SessionRole::kResponder);
  const attune::Bytes message1 = TakeOne(initiator);
  switch (data[0] % 4) {
    case 0:  // responder reads message 1
      ResponderReadsMessage1(frame, message1);
      break;
    case 1: {  // initiator reads message 2
      Check(responder.Receive(message1).ok() && responder.Admit().ok());
      InitiatorReadsMessage2(frame, TakeOne(responder));
      break;
    }
    case 2:  // the responder, waiting for admission, gets another frame
      Check(responder.Receive(message1).ok());
      Check(!responder.Receive(frame).ok());
      CheckClosedQuietly(responder);
      break;
    default: {  // an established responder reads a transport message
      Check(responder.Receive(message1).ok() && responder.Admit().ok());
      Check(initiator.Receive(TakeOne(responder)).ok());
      Check(responder.established() && initiator.established());
      const attune::Status status = responder.Receive(frame);
      if (!status.ok()) CheckClosedQuietly(responder);
      break;
    }
  }
  return 0;
}
