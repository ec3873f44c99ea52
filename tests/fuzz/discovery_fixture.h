// The fixed discovery keys shared by discovery_fuzz and make_fuzz_seeds: two partners with fixed
// static keys, the pairing key of channel 7, one fixed window and one fixed source address. The
// seeds are genuine announcements under these keys (their nonces are random, so they differ from
// run to run, but any run's are as good: what must stay fixed is the keys, so the fuzzer gets past
// the token).
//
// Preconditions: crypto::Init() has succeeded.
#ifndef ATTUNE_TESTS_FUZZ_DISCOVERY_FIXTURE_H_
#define ATTUNE_TESTS_FUZZ_DISCOVERY_FIXTURE_H_

#include <cstdint>
#include <cstdlib>
#include <utility>

#include "crypto/secure_bytes.h"
#include "crypto/x25519.h"
#include "protocol/discovery.h"

namespace attune::fuzz {

inline constexpr uint64_t kDiscoveryWindow = 1'975'000;
inline constexpr uint32_t kDiscoveryChannel = 7;

// Where the seeds' announcements were sent from: 192.168.1.20.
inline protocol::DiscoveryAddress FixedDiscoverySource() {
  return protocol::DiscoveryAddress::IPv4({192, 168, 1, 20});
}

inline protocol::DiscoveryKey MustHave(Result<protocol::DiscoveryKey> key) {
  if (!key.ok()) std::abort();
  return std::move(key).value();
}

inline crypto::X25519KeyPair FixedIdentity(uint8_t fill) {
  Result<crypto::X25519KeyPair> pair =
      crypto::X25519KeyPairFromSecret(crypto::SecureBytes::CopyOf(Bytes(32, fill)));
  if (!pair.ok()) std::abort();
  return std::move(pair).value();
}

// The key of the partner with secret 0x11.., and of the one with 0x22...
inline protocol::DiscoveryKey FixedPairedKey(bool first_partner) {
  const crypto::X25519KeyPair one = FixedIdentity(0x11);
  const crypto::X25519KeyPair two = FixedIdentity(0x22);
  return first_partner ? MustHave(protocol::DiscoveryKey::Paired(one, two.public_key))
                       : MustHave(protocol::DiscoveryKey::Paired(two, one.public_key));
}

inline protocol::DiscoveryKey FixedPairingKey() {
  return MustHave(protocol::DiscoveryKey::Pairing(kDiscoveryChannel));
}

}  // namespace attune::fuzz

#endif  // ATTUNE_TESTS_FUZZ_DISCOVERY_FIXTURE_H_
