// The hash functions of the Noise Protocol Framework (revision 34, section
// 4.3) and the HMAC / HKDF built on them. Internal to the Noise
// implementation; noise.h is the public entry point.
//
// HMAC is RFC 2104 written generically over the hash (it is NOT libsodium's
// keyed BLAKE2b, which would give different bytes), so all three hashes share
// one code path and match the Noise test vectors.
//
// Preconditions: crypto::Init() has succeeded. Thread-safe (no shared state).
#ifndef ATTUNE_CRYPTO_NOISE_HASH_H_
#define ATTUNE_CRYPTO_NOISE_HASH_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto::noise {

enum class HashFunction { kBlake2b, kSha256, kSha512 };

// The largest HASHLEN and BLOCKLEN of the supported hashes, for fixed buffers.
inline constexpr size_t kMaxHashBytes = 64;
inline constexpr size_t kMaxBlockBytes = 128;

// A digest: the first HashLength(function) bytes of `bytes` are meaningful.
struct Digest {
  std::array<uint8_t, kMaxHashBytes> bytes{};
  size_t size = 0;
  ByteSpan span() const { return {bytes.data(), size}; }
};

// HASHLEN: 64 for BLAKE2b and SHA512, 32 for SHA256.
size_t HashLength(HashFunction function);
// BLOCKLEN: 128 for BLAKE2b and SHA512, 64 for SHA256.
size_t BlockLength(HashFunction function);
// The name used in protocol names ("BLAKE2b", "SHA256", "SHA512").
std::string_view HashName(HashFunction function);
// The function named `name` (exact, case-sensitive); kUnsupported otherwise.
Result<HashFunction> HashFunctionNamed(std::string_view name);

// HASH(parts[0] || parts[1] || ...).
Digest Hash(HashFunction function, std::initializer_list<ByteSpan> parts);

// HMAC-HASH(key, parts[0] || parts[1] || ...) per RFC 2104. The result is
// returned in secure memory because Noise uses it for keys. Any key length.
SecureBytes Hmac(HashFunction function, ByteSpan key, std::initializer_list<ByteSpan> parts);

// HKDF(chaining_key, input_key_material, num_outputs) as defined in Noise
// section 4.3: returns `num_outputs` (2 or 3) outputs of HASHLEN bytes each.
// kInvalidArgument for any other num_outputs.
Result<std::vector<SecureBytes>> Hkdf(HashFunction function, ByteSpan chaining_key,
                                      ByteSpan input_key_material, size_t num_outputs);

}  // namespace attune::crypto::noise

#endif  // ATTUNE_CRYPTO_NOISE_HASH_H_
