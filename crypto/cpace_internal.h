// The building blocks of CPACE-RISTR255-SHA512 (draft-irtf-cfrg-cpace),
// exposed so tests can check each against the draft's vectors. Production
// code uses crypto/cpace.h; nothing outside crypto/ and its tests should
// include this header.
//
// Secret inputs are taken as ByteSpan so tests can pass vector bytes; secret
// outputs (generator string, generator, shared point K, ISK) are returned in
// secure memory because the generator and K let an attacker test password
// guesses offline.
//
// Preconditions: crypto::Init() has succeeded. All functions are pure and
// thread-safe.
#ifndef ATTUNE_CRYPTO_CPACE_INTERNAL_H_
#define ATTUNE_CRYPTO_CPACE_INTERNAL_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/cpace.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto::cpace::internal {

// Domain separation strings of the ristretto255 suite.
inline constexpr std::string_view kDsi = "CPaceRistretto255";
inline constexpr std::string_view kDsiIsk = "CPaceRistretto255_ISK";
// Prefix of the optional session-id output (draft: b"CPaceSidOutput").
inline constexpr std::string_view kSidOutputPrefix = "CPaceSidOutput";
// SHA-512's input block size (the draft's H.s_in_bytes).
inline constexpr size_t kHashBlockBytes = 128;
// SHA-512's output size (the draft's H.b_in_bytes).
inline constexpr size_t kHashBytes = 64;

using SidOutput = std::array<uint8_t, kHashBytes>;

// The unsigned LEB128 encoding of `length`: 7 bits per byte, least
// significant group first, high bit set on every byte but the last.
Bytes Leb128(size_t length);

// prepend_len(data) = Leb128(len(data)) || data.
Bytes PrependLen(ByteSpan data);

// lv_cat(a, b, ...) = prepend_len(a) || prepend_len(b) || ...
Bytes LvCat(std::initializer_list<ByteSpan> parts);

// The draft's lexiographically_larger: true if `a` sorts after `b` byte by
// byte, a longer string sorting after its own prefix.
bool LexicographicallyLarger(ByteSpan a, ByteSpan b);

// o_cat(a, b) = "oc" || larger || smaller.
Bytes OrderedCat(ByteSpan a, ByteSpan b);

// transcript_ir = lv_cat(Ya, ADa) || lv_cat(Yb, ADb), where a is the
// initiator.
Bytes TranscriptIr(ByteSpan ya, ByteSpan ada, ByteSpan yb, ByteSpan adb);

// transcript_oc = o_cat(lv_cat(Ya, ADa), lv_cat(Yb, ADb)): the symmetric
// transcript for parties without initiator/responder roles.
Bytes TranscriptOc(ByteSpan ya, ByteSpan ada, ByteSpan yb, ByteSpan adb);

// Number of zero bytes the generator string puts after the password so that
// lv(DSI) || lv(PRS) || lv(zpad) fills exactly the first SHA-512 block
// (0 once the password is too long for that).
size_t ZeroPadBytes(size_t password_bytes);

// generator_string = lv_cat(DSI, PRS, zero_bytes(ZeroPadBytes), CI, sid).
SecureBytes GeneratorString(ByteSpan password, ByteSpan channel_id, ByteSpan session_id);

// calculate_generator: the ristretto255 one-way map (from_hash) of
// SHA-512(generator_string). Always kShareBytes long.
SecureBytes CalculateGenerator(ByteSpan password, ByteSpan channel_id, ByteSpan session_id);

// True if `scalar` is 32 bytes, little-endian, below the group order and not
// zero.
bool IsCanonicalNonZeroScalar(ByteSpan scalar);

// scalar_mult: the encoding of scalar * point for a point already known to
// be valid (the generator). kInvalidArgument if either input has the wrong
// size or the point does not decode; kInternal if the product is the
// identity.
Result<Share> ScalarMult(ByteSpan scalar, ByteSpan point);

// scalar_mult_vfy: decodes `point`, multiplies and encodes, rejecting what
// the draft says to abort on.
//   kInvalidArgument  scalar is not kScalarBytes long
//   kCorruption       point is not kShareBytes long
//   kAuthFailed       point is not a canonical encoding, or the product is
//                     the identity
Result<SecureBytes> ScalarMultVfy(ByteSpan scalar, ByteSpan point);

// ISK = SHA-512(lv_cat(DSI_ISK, sid, K) || transcript).
SecureBytes DeriveIsk(ByteSpan session_id, ByteSpan shared_point, ByteSpan transcript);

// The draft's optional session-id output: SHA-512("CPaceSidOutput" ||
// transcript). Public; for runs that were started without a sid.
SidOutput DeriveSidOutput(ByteSpan transcript);

}  // namespace attune::crypto::cpace::internal

#endif  // ATTUNE_CRYPTO_CPACE_INTERNAL_H_
