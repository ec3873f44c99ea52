// A commitment to a value, hiding and binding (shared exercises, issue 20: each partner commits
// to an answer before either sees the other's).
//
// The construction: BLAKE2b-256 (libsodium's crypto_generichash) of
//
//   "attune/commitment/v1" || u32(len context) || context || u32(len committer) || committer
//     || opening (kOpeningBytes) || u32(len value) || value          (u32: 4 bytes, big-endian)
//
// Hiding: the opening is 32 fresh random bytes, so even a value with a handful of possible
// answers ("anxious", "avoidant", ...) cannot be found by trying them all. Binding: opening the
// commitment to another value would need a second preimage or a collision of BLAKE2b-256 (128-bit
// collision security). The context (the exercise's id) and the committer's key are inside, with
// lengths, so a commitment cannot be replayed in another exercise or passed off by another
// party as their own. Known-answer vectors, computed with Python's independent hashlib.blake2b:
// tests/vectors/commitment-blake2b.json.
#ifndef ATTUNE_CRYPTO_COMMITMENT_H_
#define ATTUNE_CRYPTO_COMMITMENT_H_

#include <cstddef>
#include <string_view>

#include "base/bytes.h"

namespace attune::crypto {

inline constexpr size_t kCommitmentBytes = 32;
inline constexpr size_t kOpeningBytes = 32;

// Precondition: opening.size() == kOpeningBytes (aborts otherwise: fixed by code, not input).
Bytes Commit(std::string_view context, ByteSpan committer, ByteSpan opening, ByteSpan value);

// Whether `commitment` is Commit(context, committer, opening, value), compared in constant time.
// False for an opening of the wrong size.
bool OpensCommitment(ByteSpan commitment, std::string_view context, ByteSpan committer,
                     ByteSpan opening, ByteSpan value);

}  // namespace attune::crypto

#endif  // ATTUNE_CRYPTO_COMMITMENT_H_
