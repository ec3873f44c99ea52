#include "crypto/noise_hash.h"

#include <sodium.h>

#include <algorithm>
#include <utility>

namespace attune::crypto::noise {

static_assert(crypto_generichash_BYTES_MAX == kMaxHashBytes);
static_assert(crypto_hash_sha512_BYTES == kMaxHashBytes);
static_assert(crypto_hash_sha256_BYTES <= kMaxHashBytes);

namespace {

constexpr uint8_t kInnerPad = 0x36;
constexpr uint8_t kOuterPad = 0x5c;

// One incremental hash computation. The state can hold data derived from
// secrets (HMAC keys), so it is wiped on destruction.
class Hasher {
 public:
  explicit Hasher(HashFunction function) : function_(function) {
    switch (function_) {
      case HashFunction::kBlake2b:
        crypto_generichash_init(&state_.blake2b, nullptr, 0, crypto_generichash_BYTES_MAX);
        break;
      case HashFunction::kSha256:
        crypto_hash_sha256_init(&state_.sha256);
        break;
      case HashFunction::kSha512:
        crypto_hash_sha512_init(&state_.sha512);
        break;
    }
  }
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  ~Hasher() { sodium_memzero(&state_, sizeof(state_)); }

  void Update(ByteSpan data) {
    switch (function_) {
      case HashFunction::kBlake2b:
        crypto_generichash_update(&state_.blake2b, data.data(), data.size());
        break;
      case HashFunction::kSha256:
        crypto_hash_sha256_update(&state_.sha256, data.data(), data.size());
        break;
      case HashFunction::kSha512:
        crypto_hash_sha512_update(&state_.sha512, data.data(), data.size());
        break;
    }
  }

  Digest Final() {
    Digest digest;
    digest.size = HashLength(function_);
    switch (function_) {
      case HashFunction::kBlake2b:
        crypto_generichash_final(&state_.blake2b, digest.bytes.data(), digest.size);
        break;
      case HashFunction::kSha256:
        crypto_hash_sha256_final(&state_.sha256, digest.bytes.data());
        break;
      case HashFunction::kSha512:
        crypto_hash_sha512_final(&state_.sha512, digest.bytes.data());
        break;
    }
    return digest;
  }

 private:
  HashFunction function_;
  union State {
    crypto_generichash_state blake2b;
    crypto_hash_sha256_state sha256;
    crypto_hash_sha512_state sha512;
  } state_;
};

void WipeDigest(Digest& digest) {
  sodium_memzero(digest.bytes.data(), digest.bytes.size());
}

}  // namespace

size_t HashLength(HashFunction function) {
  return function == HashFunction::kSha256 ? crypto_hash_sha256_BYTES : kMaxHashBytes;
}

size_t BlockLength(HashFunction function) {
  return function == HashFunction::kSha256 ? 64 : kMaxBlockBytes;
}

std::string_view HashName(HashFunction function) {
  switch (function) {
    case HashFunction::kBlake2b:
      return "BLAKE2b";
    case HashFunction::kSha256:
      return "SHA256";
    case HashFunction::kSha512:
      return "SHA512";
  }
  return "";
}

Result<HashFunction> HashFunctionNamed(std::string_view name) {
  for (HashFunction function :
       {HashFunction::kBlake2b, HashFunction::kSha256, HashFunction::kSha512}) {
    if (HashName(function) == name) return function;
  }
  return Status::Unsupported("noise hash function not supported");
}

Digest Hash(HashFunction function, std::initializer_list<ByteSpan> parts) {
  Hasher hasher(function);
  for (ByteSpan part : parts) hasher.Update(part);
  return hasher.Final();
}

SecureBytes Hmac(HashFunction function, ByteSpan key, std::initializer_list<ByteSpan> parts) {
  const size_t block_length = BlockLength(function);
  // RFC 2104: a key longer than the block is hashed first; shorter keys are
  // zero-padded to the block length (the zeros are already in place).
  std::array<uint8_t, kMaxBlockBytes> padded_key{};
  if (key.size() > block_length) {
    Digest hashed_key = Hash(function, {key});
    std::copy_n(hashed_key.bytes.begin(), hashed_key.size, padded_key.begin());
    WipeDigest(hashed_key);
  } else {
    std::copy(key.begin(), key.end(), padded_key.begin());
  }
  std::array<uint8_t, kMaxBlockBytes> pad{};
  for (size_t i = 0; i < block_length; ++i) pad[i] = padded_key[i] ^ kInnerPad;
  Hasher inner(function);
  inner.Update({pad.data(), block_length});
  for (ByteSpan part : parts) inner.Update(part);
  Digest inner_digest = inner.Final();

  for (size_t i = 0; i < block_length; ++i) pad[i] = padded_key[i] ^ kOuterPad;
  Digest outer_digest = Hash(function, {{pad.data(), block_length}, inner_digest.span()});
  SecureBytes mac = SecureBytes::CopyOf(outer_digest.span());

  sodium_memzero(padded_key.data(), padded_key.size());
  sodium_memzero(pad.data(), pad.size());
  WipeDigest(inner_digest);
  WipeDigest(outer_digest);
  return mac;
}

Result<std::vector<SecureBytes>> Hkdf(HashFunction function, ByteSpan chaining_key,
                                      ByteSpan input_key_material, size_t num_outputs) {
  if (num_outputs != 2 && num_outputs != 3) {
    return Status::InvalidArgument("noise hkdf yields 2 or 3 outputs");
  }
  SecureBytes temp_key = Hmac(function, chaining_key, {input_key_material});
  std::vector<SecureBytes> outputs;
  outputs.reserve(num_outputs);
  for (size_t i = 1; i <= num_outputs; ++i) {
    const uint8_t counter[1] = {static_cast<uint8_t>(i)};
    ByteSpan previous = outputs.empty() ? ByteSpan() : outputs.back().span();
    outputs.push_back(Hmac(function, temp_key.span(), {previous, counter}));
  }
  return outputs;
}

}  // namespace attune::crypto::noise
