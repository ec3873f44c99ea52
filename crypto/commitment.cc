#include "crypto/commitment.h"

#include <sodium.h>

#include <array>
#include <cstdlib>

namespace attune::crypto {
namespace {

constexpr std::string_view kLabel = "attune/commitment/v1";

void UpdateWithLength(crypto_generichash_state& state, ByteSpan part) {
  const auto size = static_cast<uint32_t>(part.size());
  const std::array<uint8_t, 4> length = {
      static_cast<uint8_t>(size >> 24), static_cast<uint8_t>(size >> 16),
      static_cast<uint8_t>(size >> 8), static_cast<uint8_t>(size)};
  crypto_generichash_update(&state, length.data(), length.size());
  crypto_generichash_update(&state, part.data(), part.size());
}

}  // namespace

Bytes Commit(std::string_view context, ByteSpan committer, ByteSpan opening, ByteSpan value) {
  if (opening.size() != kOpeningBytes) std::abort();
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kCommitmentBytes);
  crypto_generichash_update(&state, reinterpret_cast<const uint8_t*>(kLabel.data()), kLabel.size());
  UpdateWithLength(state, AsBytes(context));
  UpdateWithLength(state, committer);
  crypto_generichash_update(&state, opening.data(), opening.size());
  UpdateWithLength(state, value);
  Bytes commitment(kCommitmentBytes);
  crypto_generichash_final(&state, commitment.data(), commitment.size());
  sodium_memzero(&state, sizeof(state));
  return commitment;
}

bool OpensCommitment(ByteSpan commitment, std::string_view context, ByteSpan committer,
                     ByteSpan opening, ByteSpan value) {
  if (opening.size() != kOpeningBytes || commitment.size() != kCommitmentBytes) return false;
  const Bytes expected = Commit(context, committer, opening, value);
  return sodium_memcmp(expected.data(), commitment.data(), kCommitmentBytes) == 0;
}

}  // namespace attune::crypto
