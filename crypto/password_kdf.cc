#include "crypto/password_kdf.h"

#include <sodium.h>

#include <algorithm>

#include "crypto/random.h"

namespace attune::crypto {

static_assert(kKdfSaltBytes == crypto_pwhash_argon2id_SALTBYTES);
static_assert(kDerivedKeyBytes >= crypto_pwhash_argon2id_BYTES_MIN);
static_assert(kMinKdfOpslimit >= crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(kMinKdfMemlimitBytes >= crypto_pwhash_argon2id_MEMLIMIT_MIN);
// Every named strength must pass our own validation.
static_assert(crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE <= kMaxKdfOpslimit);
static_assert(crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE <= kMaxKdfMemlimitBytes);

namespace {

constexpr uint8_t kFormatVersion = 1;
// Our own wire number, deliberately not libsodium's ALG_ARGON2ID13 (2), so the
// file format does not depend on a library's enum.
constexpr uint8_t kAlgorithmArgon2id13 = 1;

void PutUint64BigEndian(uint64_t value, uint8_t* out) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<uint8_t>(value & 0xff);
    value >>= 8;
  }
}

uint64_t GetUint64BigEndian(const uint8_t* in) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | in[i];
  return value;
}

}  // namespace

KdfParams NewKdfParams(KdfStrength strength) {
  KdfParams params;
  switch (strength) {
    case KdfStrength::kInteractive:
      params.opslimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
      params.memlimit_bytes = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
      break;
    case KdfStrength::kModerate:
      params.opslimit = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
      params.memlimit_bytes = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
      break;
    case KdfStrength::kSensitive:
      params.opslimit = crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE;
      params.memlimit_bytes = crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE;
      break;
  }
  FillRandom(params.salt);
  return params;
}

Status ValidateKdfParams(const KdfParams& params) {
  if (params.opslimit < kMinKdfOpslimit || params.opslimit > kMaxKdfOpslimit) {
    return Status::InvalidArgument("kdf opslimit out of range");
  }
  if (params.memlimit_bytes < kMinKdfMemlimitBytes ||
      params.memlimit_bytes > kMaxKdfMemlimitBytes) {
    return Status::InvalidArgument("kdf memlimit out of range");
  }
  return Status::Ok();
}

Result<SecureBytes> DeriveKey(const SecureBytes& passphrase, const KdfParams& params) {
  ATTUNE_RETURN_IF_ERROR(ValidateKdfParams(params));
  if (passphrase.size() > crypto_pwhash_argon2id_PASSWD_MAX) {
    return Status::InvalidArgument("passphrase too long");
  }
  // crypto_pwhash declares every pointer non-null, but an empty SecureBytes
  // has no memory behind it.
  static constexpr char kEmptyPassphrase[] = "";
  const char* passphrase_chars =
      passphrase.empty() ? kEmptyPassphrase : reinterpret_cast<const char*>(passphrase.data());
  SecureBytes key(kDerivedKeyBytes);
  // With the inputs validated above, the only remaining failure is Argon2
  // failing to allocate its memlimit bytes of working memory.
  int rc = crypto_pwhash(key.data(), key.size(), passphrase_chars, passphrase.size(),
                         params.salt.data(), params.opslimit,
                         static_cast<size_t>(params.memlimit_bytes), crypto_pwhash_ALG_ARGON2ID13);
  if (rc != 0) return Status::IoError("argon2id failed: out of memory");
  return key;
}

Bytes EncodeKdfParams(const KdfParams& params) {
  Bytes out(kEncodedKdfParamsBytes);
  out[0] = kFormatVersion;
  out[1] = kAlgorithmArgon2id13;
  PutUint64BigEndian(params.opslimit, &out[2]);
  PutUint64BigEndian(params.memlimit_bytes, &out[10]);
  std::copy(params.salt.begin(), params.salt.end(), out.begin() + 18);
  return out;
}

Result<KdfParams> DecodeKdfParams(ByteSpan encoded) {
  if (encoded.size() != kEncodedKdfParamsBytes) {
    return Status::Corruption("kdf params have the wrong length");
  }
  if (encoded[0] != kFormatVersion) return Status::Corruption("unknown kdf params version");
  if (encoded[1] != kAlgorithmArgon2id13) return Status::Corruption("unknown kdf algorithm");
  KdfParams params;
  params.opslimit = GetUint64BigEndian(&encoded[2]);
  params.memlimit_bytes = GetUint64BigEndian(&encoded[10]);
  std::copy(encoded.begin() + 18, encoded.end(), params.salt.begin());
  if (!ValidateKdfParams(params).ok()) return Status::Corruption("kdf params out of range");
  return params;
}

}  // namespace attune::crypto
