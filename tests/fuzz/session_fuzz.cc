// Feeds arbitrary frames to the partner session (protocol/session.h): as the responder's first
// handshake message, as the initiator's second, as the responder's third, and as a transport
// message on an established session. Keys and ephemerals are fixed so runs are deterministic and
// the fuzzer can steer past the first checks. Nothing may crash, garbage never establishes a
// session with the wrong peer, and a failed session stays closed.
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

protocol::Session Start(protocol::SessionRole role) {
  const bool initiator = role == protocol::SessionRole::kInitiator;
  protocol::SessionConfig config;
  config.role = role;
  config.local_static = FixedKey(initiator ? 1 : 2);
  config.pinned_partner = FixedKey(initiator ? 2 : 1).public_key;
  config.hello.display_name = initiator ? "initiator" : "responder";
  config.fixed_ephemeral_for_testing = FixedKey(initiator ? 3 : 4);
  auto session = protocol::Session::Start(std::move(config));
  Check(session.ok());
  return std::move(session).value();
}

// Moves every pending frame from one session to the other.
void Deliver(protocol::Session& from, protocol::Session& to) {
  for (const attune::Bytes& frame : from.TakeOutgoing()) Check(to.Receive(frame).ok());
}

void FeedAndCheck(protocol::Session& session, attune::ByteSpan frame) {
  attune::Status status = session.Receive(frame);
  if (!status.ok()) {
    Check(session.state() == protocol::SessionState::kClosed);
    Check(session.TakeOutgoing().empty());
    Check(!session.Send(protocol::PingMessage{1}).ok());
  }
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
  switch (data[0] % 4) {
    case 0:  // responder reads message 1
      FeedAndCheck(responder, frame);
      break;
    case 1:  // initiator reads message 2
      (void)initiator.TakeOutgoing();
      FeedAndCheck(initiator, frame);
      break;
    case 2:  // responder reads message 3
      Deliver(initiator, responder);
      (void)responder.TakeOutgoing();
      FeedAndCheck(responder, frame);
      break;
    default:  // an established responder reads a transport message
      Deliver(initiator, responder);
      Deliver(responder, initiator);
      Deliver(initiator, responder);
      Check(responder.established() && initiator.established());
      FeedAndCheck(responder, frame);
      break;
  }
  return 0;
}
