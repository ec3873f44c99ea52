// Feeds arbitrary datagrams to protocol::DiscoveryKey::Recognize, as anyone on the network can
// send them, from any source address: under a partner's key and under a pairing channel's key,
// in the fixed window of discovery_fixture.h. Nothing may crash; a recognised packet must be the
// fixed size and name a port other than 0; it must be refused from a source address that differs
// in one bit; and a packet is recognised under at most one of the two kinds of key.
// Input: byte 0 is the window offset from the fixed window (-2..+2); bytes 1..17 the source
// address as sealed (a family byte, any value, and 16 address bytes); the rest the packet.
#include <algorithm>
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
  if (size < 1 + protocol::kDiscoveryAddressBytes) return 0;
  const uint64_t window = fuzz::kDiscoveryWindow + (data[0] % 5) - 2;
  protocol::DiscoveryAddress source;
  source.family = static_cast<protocol::DiscoveryAddress::Family>(data[1]);
  std::copy(data + 2, data + 1 + protocol::kDiscoveryAddressBytes, source.bytes.begin());
  const size_t header = 1 + protocol::kDiscoveryAddressBytes;
  const attune::ByteSpan packet(data + header, size - header);
  int recognised = 0;
  for (const protocol::DiscoveryKey* key : {paired, pairing}) {
    const std::optional<uint16_t> port = key->Recognize(packet, window, source);
    if (!port) continue;
    ++recognised;
    Check(*port != 0 && packet.size() == protocol::kAnnouncementBytes);
    // The same bytes from elsewhere: one bit of the address changed, chosen by the packet.
    protocol::DiscoveryAddress elsewhere = source;
    elsewhere.bytes[packet[packet.size() - 1] % elsewhere.bytes.size()] ^= 0x01;
    Check(!key->Recognize(packet, window, elsewhere));
  }
  Check(recognised <= 1);
  return 0;
}
