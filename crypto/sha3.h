// SHA3-256 (FIPS 202), on attune's own Keccak-f[1600]: libsodium has no SHA-3. Its one use is
// the checksum inside a Tor v3 onion address (crypto/onion.h), so it hashes a whole message in
// one call; there is no streaming interface.
//
// Thread-safe (no shared state) and needs no crypto::Init(). The Keccak state is wiped before
// returning, and the permutation has no secret-dependent branches or table lookups.
#ifndef ATTUNE_CRYPTO_SHA3_H_
#define ATTUNE_CRYPTO_SHA3_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"

namespace attune::crypto {

inline constexpr size_t kSha3_256Bytes = 32;

using Sha3_256Digest = std::array<uint8_t, kSha3_256Bytes>;

// The SHA3-256 digest of `data` (any length, including empty).
Sha3_256Digest Sha3_256(ByteSpan data);

}  // namespace attune::crypto

#endif  // ATTUNE_CRYPTO_SHA3_H_
