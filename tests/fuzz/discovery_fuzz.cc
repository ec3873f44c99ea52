// Feeds arbitrary datagrams to protocol::DiscoveryKey::Recognize, as anyone on the network can
// send them: under a partner's key and under a pairing channel's key, in the fixed window of
// discovery_fixture.h. Nothing may crash; a recognised packet must be the fixed size and name a
// port other than 0; and a packet is recognised under at most one of the two kinds of key.
// The first input byte is the window offset from the fixed window (-2..+2), the rest the packet.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "crypto/sodium.h"
#include "protocol/discovery.h"
#include "tests/fuzz/discovery_fixture.h"

namespace {

namespace fuzz = attune::fuzz;
namespace protocol = attune::protocol;

void Check(bool condition) {
  if (!condition) std::abort();
}

const protocol::DiscoveryKey* paired = nullptr;
const protocol::DiscoveryKey* pairing = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Check(attune::crypto::Init().ok());
  paired = new protocol::DiscoveryKey(fuzz::FixedPairedKey(/*first_partner=*/false));
  pairing = new protocol::DiscoveryKey(fuzz::FixedPairingKey());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint64_t window = fuzz::kDiscoveryWindow + (data[0] % 5) - 2;
  const attune::ByteSpan packet(data + 1, size - 1);
  const std::optional<uint16_t> from_partner = paired->Recognize(packet, window);
  const std::optional<uint16_t> from_inviter = pairing->Recognize(packet, window);
  for (const std::optional<uint16_t>& port : {from_partner, from_inviter}) {
    if (port) Check(*port != 0 && packet.size() == protocol::kAnnouncementBytes);
  }
  Check(!(from_partner && from_inviter));
  return 0;
}
