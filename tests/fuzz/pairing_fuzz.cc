// Feeds arbitrary bytes to the pairing state machine (protocol/pairing.h) at each point where a
// peer's message arrives: the inviter's first message, the joiner's reply from the inviter, and
// the inviter's confirmation after a real request. Nothing may crash, no garbage may finish a
// pairing, and every failure must carry a code the contract allows (and a version mismatch its
// reason).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "crypto/sodium.h"
#include "crypto/x25519.h"
#include "protocol/pairing.h"

namespace {

namespace protocol = attune::protocol;
using attune::StatusCode;

void Check(bool condition) {
  if (!condition) std::abort();
}

protocol::PairingIdentity Identity(const char* name) {
  return {attune::crypto::GenerateX25519KeyPair().public_key, name, 47017, "", std::nullopt};
}

void CheckFailure(const attune::Status& status) {
  const StatusCode code = status.code();
  Check(code == StatusCode::kCorruption ||
        status.Is(attune::protocol::PairingReason::kCodeMismatch) ||
        code == StatusCode::kUnsupported || code == StatusCode::kInvalidArgument);
  // A version mismatch always says which side is older.
  if (code == StatusCode::kUnsupported) {
    Check(status.Is(protocol::PairingReason::kPeerOlder) ||
          status.Is(protocol::PairingReason::kPeerNewer));
  }
}

protocol::Pairing Make(protocol::PairingRole role, const protocol::PairingCode& code) {
  attune::Result<protocol::Pairing> pairing = protocol::Pairing::Create(role, code, Identity("f"));
  Check(pairing.ok());
  return std::move(pairing).value();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Check(attune::crypto::Init().ok());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const protocol::PairingCode code{7, {1, 2, 3}};
  attune::ByteSpan message(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {  // the inviter's first message
      protocol::Pairing inviter = Make(protocol::PairingRole::kInviter, code);
      auto reply = inviter.Receive(message);
      if (!reply.ok()) CheckFailure(reply.status());
      Check(!inviter.finished());
      break;
    }
    case 1: {  // the joiner, after its request, reads the "response"
      protocol::Pairing joiner = Make(protocol::PairingRole::kJoiner, code);
      Check(joiner.Start().ok());
      auto reply = joiner.Receive(message);
      if (!reply.ok()) CheckFailure(reply.status());
      Check(!joiner.finished());
      break;
    }
    default: {  // the inviter, after a real request, reads the "confirmation"
      protocol::Pairing joiner = Make(protocol::PairingRole::kJoiner, code);
      protocol::Pairing inviter = Make(protocol::PairingRole::kInviter, code);
      auto request = joiner.Start();
      Check(request.ok());
      auto response = inviter.Receive(*request);
      Check(response.ok() && response->has_value());
      auto reply = inviter.Receive(message);
      if (!reply.ok()) CheckFailure(reply.status());
      Check(!inviter.finished());  // a forged confirmation never completes the pairing
      break;
    }
  }
  return 0;
}
