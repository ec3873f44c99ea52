// Cryptographically secure randomness from libsodium (the OS CSPRNG:
// getrandom() on Linux).
//
// Preconditions: crypto::Init() has succeeded. All functions are thread-safe
// and cannot fail.
#ifndef ATTUNE_CRYPTO_RANDOM_H_
#define ATTUNE_CRYPTO_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/bytes.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto {

// Overwrites every byte of `out` with random data.
void FillRandom(std::span<uint8_t> out);

// `size` random bytes in ordinary memory: for nonces, salts and ids.
Bytes RandomBytes(size_t size);

// `size` random bytes in secure memory: for keys.
SecureBytes RandomSecret(size_t size);

// A uniformly distributed value in [0, upper_bound), without modulo bias.
// Returns 0 if upper_bound < 2.
uint32_t RandomUniform(uint32_t upper_bound);

}  // namespace attune::crypto

#endif  // ATTUNE_CRYPTO_RANDOM_H_
