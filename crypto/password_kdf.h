// Passphrase-based key derivation: Argon2id v1.3 via libsodium's
// crypto_pwhash (parallelism 1, no secret, no associated data: the only
// Argon2id configuration libsodium offers).
//
// The parameters are stored next to the key they protect, so they are read
// back from disk and must be treated as untrusted: DeriveKey and
// DecodeKdfParams refuse anything outside the range below before any memory
// is allocated.
//
// Preconditions: crypto::Init() has succeeded. All functions are
// thread-safe (they share no state).
#ifndef ATTUNE_CRYPTO_PASSWORD_KDF_H_
#define ATTUNE_CRYPTO_PASSWORD_KDF_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto {

inline constexpr size_t kKdfSaltBytes = 16;
// DeriveKey output; equals aead::kKeyBytes so the result can key Seal/Open.
inline constexpr size_t kDerivedKeyBytes = 32;

// The accepted parameter range. The lower bounds are libsodium's. The upper
// bounds are ours and far below libsodium's (4 TiB, 2^32 passes): they keep a
// tampered or corrupted parameter file from making an unlock allocate
// unbounded memory or run for hours. kSensitive (1 GiB, 4 passes) is the
// largest cost we ever write; the pass cap leaves 4x headroom for raising
// the defaults later without a format change.
inline constexpr uint64_t kMinKdfOpslimit = 1;
inline constexpr uint64_t kMaxKdfOpslimit = 16;
inline constexpr uint64_t kMinKdfMemlimitBytes = 8192;
inline constexpr uint64_t kMaxKdfMemlimitBytes = uint64_t{1} << 30;  // 1 GiB

struct KdfParams {
  uint64_t opslimit = 0;        // Argon2 passes over memory (t)
  uint64_t memlimit_bytes = 0;  // memory in bytes (Argon2's m is this / 1024)
  std::array<uint8_t, kKdfSaltBytes> salt{};

  bool operator==(const KdfParams&) const = default;
};

// libsodium's named cost levels for Argon2id:
//   kInteractive  2 passes,  64 MiB  (well under a second)
//   kModerate     3 passes, 256 MiB  (about a second)
//   kSensitive    4 passes,   1 GiB  (several seconds)
enum class KdfStrength { kInteractive, kModerate, kSensitive };

// Parameters for `strength` with a fresh random salt.
KdfParams NewKdfParams(KdfStrength strength);

// ok if `params` is inside the accepted range above, else kInvalidArgument.
Status ValidateKdfParams(const KdfParams& params);

// Derives a kDerivedKeyBytes key from `passphrase` (any bytes, any length up
// to 4 GiB, normally UTF-8 text). Deterministic in (passphrase, params).
//   kInvalidArgument  params outside the accepted range (nothing allocated)
//   kIoError          Argon2 could not get its working memory from the OS
Result<SecureBytes> DeriveKey(const SecureBytes& passphrase, const KdfParams& params);

// Fixed-size, versioned binary form, stored beside the wrapped key:
//   [0]      format version (1)
//   [1]      algorithm (1 = Argon2id v1.3)
//   [2..9]   opslimit, unsigned big-endian
//   [10..17] memlimit in bytes, unsigned big-endian
//   [18..33] salt
inline constexpr size_t kEncodedKdfParamsBytes = 34;
Bytes EncodeKdfParams(const KdfParams& params);

// Inverse of EncodeKdfParams. kCorruption if the length, version or
// algorithm is not one we write, or the costs are outside the accepted range
// (no valid file of ours contains them).
Result<KdfParams> DecodeKdfParams(ByteSpan encoded);

}  // namespace attune::crypto

#endif  // ATTUNE_CRYPTO_PASSWORD_KDF_H_
