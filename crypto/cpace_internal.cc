#include "crypto/cpace_internal.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace attune::crypto::cpace::internal {

static_assert(kShareBytes == crypto_core_ristretto255_BYTES);
static_assert(kScalarBytes == crypto_core_ristretto255_SCALARBYTES);
static_assert(kScalarBytes == crypto_scalarmult_ristretto255_SCALARBYTES);
static_assert(kHashBytes == crypto_hash_sha512_BYTES);
static_assert(kHashBytes == crypto_core_ristretto255_HASHBYTES);
static_assert(kIskBytes == kHashBytes);

namespace {

ByteSpan AsSpan(std::string_view text) {
  return AsBytes(text);
}

size_t Leb128Size(size_t length) {
  size_t size = 1;
  while (length >= 0x80) {
    length >>= 7;
    ++size;
  }
  return size;
}

size_t LvSize(ByteSpan data) {
  return Leb128Size(data.size()) + data.size();
}

size_t LvCatSize(std::initializer_list<ByteSpan> parts) {
  size_t size = 0;
  for (ByteSpan part : parts) size += LvSize(part);
  return size;
}

// Writes the LEB128 encoding of `length` at `out` and returns the position
// after it. Callers size their buffers with Leb128Size/LvSize, so no bounds
// are checked here.
uint8_t* WriteLeb128(size_t length, uint8_t* out) {
  while (length >= 0x80) {
    *out++ = static_cast<uint8_t>((length & 0x7f) | 0x80);
    length >>= 7;
  }
  *out++ = static_cast<uint8_t>(length);
  return out;
}

// Writes prepend_len(data) at `out` and returns the position after it.
uint8_t* WriteLv(ByteSpan data, uint8_t* out) {
  out = WriteLeb128(data.size(), out);
  // memcpy from an empty span's nullptr is undefined even for zero bytes.
  if (!data.empty()) std::memcpy(out, data.data(), data.size());
  return out + data.size();
}

void WriteLvCat(std::initializer_list<ByteSpan> parts, std::span<uint8_t> out) {
  uint8_t* cursor = out.data();
  for (ByteSpan part : parts) cursor = WriteLv(part, cursor);
}

void Sha512(ByteSpan input, std::span<uint8_t> out) {
  crypto_hash_sha512(out.data(), input.data(), input.size());
}

}  // namespace

Bytes Leb128(size_t length) {
  Bytes out(Leb128Size(length));
  WriteLeb128(length, out.data());
  return out;
}

Bytes PrependLen(ByteSpan data) {
  return LvCat({data});
}

Bytes LvCat(std::initializer_list<ByteSpan> parts) {
  Bytes out(LvCatSize(parts));
  WriteLvCat(parts, out);
  return out;
}

bool LexicographicallyLarger(ByteSpan a, ByteSpan b) {
  size_t common = std::min(a.size(), b.size());
  for (size_t i = 0; i < common; ++i) {
    if (a[i] != b[i]) return a[i] > b[i];
  }
  return a.size() > b.size();
}

Bytes OrderedCat(ByteSpan a, ByteSpan b) {
  const bool a_first = LexicographicallyLarger(a, b);
  ByteSpan first = a_first ? a : b;
  ByteSpan second = a_first ? b : a;
  // Sized up front and filled with memcpy: growing a two-byte vector with
  // insert() trips a GCC 12 -Warray-bounds false positive at -O2.
  Bytes out(2 + first.size() + second.size());
  out[0] = 'o';
  out[1] = 'c';
  if (!first.empty()) std::memcpy(out.data() + 2, first.data(), first.size());
  if (!second.empty()) std::memcpy(out.data() + 2 + first.size(), second.data(), second.size());
  return out;
}

Bytes TranscriptIr(ByteSpan ya, ByteSpan ada, ByteSpan yb, ByteSpan adb) {
  return LvCat({ya, ada, yb, adb});
}

Bytes TranscriptOc(ByteSpan ya, ByteSpan ada, ByteSpan yb, ByteSpan adb) {
  return OrderedCat(LvCat({ya, ada}), LvCat({yb, adb}));
}

size_t ZeroPadBytes(size_t password_bytes) {
  // The draft's max(0, s_in_bytes - 1 - len(lv(PRS)) - len(lv(DSI))); the
  // "- 1" leaves room for the zero padding's own one-byte length prefix.
  const size_t used = 1 + Leb128Size(password_bytes) + password_bytes + LvSize(AsSpan(kDsi));
  return used >= kHashBlockBytes ? 0 : kHashBlockBytes - used;
}

SecureBytes GeneratorString(ByteSpan password, ByteSpan channel_id, ByteSpan session_id) {
  static constexpr uint8_t kZeros[kHashBlockBytes] = {};
  const ByteSpan zero_pad(kZeros, ZeroPadBytes(password.size()));
  const std::initializer_list<ByteSpan> parts = {AsSpan(kDsi), password, zero_pad, channel_id,
                                                 session_id};
  SecureBytes out(LvCatSize(parts));
  WriteLvCat(parts, out.mutable_span());
  return out;
}

SecureBytes CalculateGenerator(ByteSpan password, ByteSpan channel_id, ByteSpan session_id) {
  const SecureBytes generator_string = GeneratorString(password, channel_id, session_id);
  SecureBytes digest(kHashBytes);
  Sha512(generator_string.span(), digest.mutable_span());
  SecureBytes generator(kShareBytes);
  // from_hash maps any 64 bytes to a group element; it cannot fail.
  crypto_core_ristretto255_from_hash(generator.data(), digest.data());
  return generator;
}

bool IsCanonicalNonZeroScalar(ByteSpan scalar) {
  if (scalar.size() != kScalarBytes) return false;
  // libsodium has no public canonicity check for scalars: reducing the
  // zero-extended value mod the group order changes it iff it was >= order.
  SecureBytes wide(crypto_core_ristretto255_NONREDUCEDSCALARBYTES);
  std::memcpy(wide.data(), scalar.data(), kScalarBytes);
  SecureBytes reduced(kScalarBytes);
  crypto_core_ristretto255_scalar_reduce(reduced.data(), wide.data());
  return sodium_memcmp(reduced.data(), scalar.data(), kScalarBytes) == 0 &&
         !sodium_is_zero(scalar.data(), kScalarBytes);
}

Result<Share> ScalarMult(ByteSpan scalar, ByteSpan point) {
  if (scalar.size() != kScalarBytes || point.size() != kShareBytes) {
    return Status::InvalidArgument("cpace scalar or point has the wrong size");
  }
  Share product;
  if (crypto_scalarmult_ristretto255(product.data(), scalar.data(), point.data()) != 0) {
    return Status::Internal("cpace share is the identity");
  }
  return product;
}

Result<SecureBytes> ScalarMultVfy(ByteSpan scalar, ByteSpan point) {
  if (scalar.size() != kScalarBytes) return Status::InvalidArgument("cpace scalar wrong size");
  if (point.size() != kShareBytes) return Status::Corruption("cpace share has the wrong length");
  if (crypto_core_ristretto255_is_valid_point(point.data()) != 1) {
    return Status::AuthFailed("cpace share is not a valid ristretto255 element");
  }
  SecureBytes product(kShareBytes);
  // libsodium reports an identity result (the all-zero encoding, which
  // is_valid_point accepts) as failure: exactly the draft's abort on G.I.
  if (crypto_scalarmult_ristretto255(product.data(), scalar.data(), point.data()) != 0) {
    return Status::AuthFailed("cpace shared point is the identity");
  }
  return product;
}

SecureBytes DeriveIsk(ByteSpan session_id, ByteSpan shared_point, ByteSpan transcript) {
  const std::initializer_list<ByteSpan> parts = {AsSpan(kDsiIsk), session_id, shared_point};
  const size_t prefix_size = LvCatSize(parts);
  // The input holds K, so it is built in secure memory, not a Bytes.
  SecureBytes input(prefix_size + transcript.size());
  WriteLvCat(parts, input.mutable_span());
  if (!transcript.empty()) {
    std::memcpy(input.data() + prefix_size, transcript.data(), transcript.size());
  }
  SecureBytes isk(kIskBytes);
  Sha512(input.span(), isk.mutable_span());
  return isk;
}

SidOutput DeriveSidOutput(ByteSpan transcript) {
  Bytes input(kSidOutputPrefix.begin(), kSidOutputPrefix.end());
  input.insert(input.end(), transcript.begin(), transcript.end());
  SidOutput out;
  Sha512(input, out);
  return out;
}

}  // namespace attune::crypto::cpace::internal
