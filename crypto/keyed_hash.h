// Keyed BLAKE2b (libsodium crypto_generichash) for labelled subkeys, key
// confirmation tags and public fingerprints.
//
// Every use names its purpose with a label, so that one input key never
// yields the same bytes for two purposes (domain separation): the label is
// hashed as the message, the input key material as the BLAKE2b key.
//
// Preconditions: crypto::Init() has succeeded.
#ifndef ATTUNE_CRYPTO_KEYED_HASH_H_
#define ATTUNE_CRYPTO_KEYED_HASH_H_

#include <cstddef>
#include <string_view>

#include "base/bytes.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto {

inline constexpr size_t kSubkeyBytes = 32;
inline constexpr size_t kTagBytes = 32;

// A `size`-byte key for `label`, derived from `key_material` (16..64 bytes,
// e.g. a CPace ISK). `size` must be 16..64. Aborts on a precondition
// violation: both are fixed by the caller's code, never by input.
SecureBytes DeriveSubkey(const SecureBytes& key_material, std::string_view label,
                         size_t size = kSubkeyBytes);

// A kTagBytes authentication tag over `data` under `key` (16..64 bytes).
Bytes AuthTag(const SecureBytes& key, ByteSpan data);

// True if `tag` is AuthTag(key, data); compares in constant time.
bool VerifyAuthTag(const SecureBytes& key, ByteSpan data, ByteSpan tag);

// An unkeyed BLAKE2b digest of `size` bytes (16..64) of `label` || `data`.
// For public values only (fingerprints, safety numbers).
Bytes PublicDigest(std::string_view label, ByteSpan data, size_t size);

}  // namespace attune::crypto

#endif  // ATTUNE_CRYPTO_KEYED_HASH_H_
