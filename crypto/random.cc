#include "crypto/random.h"

#include <sodium.h>

namespace attune::crypto {

void FillRandom(std::span<uint8_t> out) {
  if (!out.empty()) randombytes_buf(out.data(), out.size());
}

Bytes RandomBytes(size_t size) {
  Bytes out(size);
  FillRandom(out);
  return out;
}

SecureBytes RandomSecret(size_t size) {
  SecureBytes out(size);
  FillRandom(out.mutable_span());
  return out;
}

uint32_t RandomUniform(uint32_t upper_bound) {
  return randombytes_uniform(upper_bound);
}

}  // namespace attune::crypto
