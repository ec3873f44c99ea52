#include "crypto/secure_bytes.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace attune::crypto {
namespace {

uint8_t* AllocateOrDie(size_t size) {
  // No allocation for size 0: sodium_malloc(0) would still map guard pages.
  if (size == 0) return nullptr;
  void* memory = sodium_malloc(size);
  if (memory == nullptr) {
    // See the header for why this is fatal rather than a Status.
    std::fputs("attune: sodium_malloc failed; out of memory for key material, aborting\n", stderr);
    std::abort();
  }
  // sodium_malloc fills new memory with a canary pattern, not zeros.
  sodium_memzero(memory, size);
  return static_cast<uint8_t*>(memory);
}

}  // namespace

SecureBytes::SecureBytes(size_t size) : data_(AllocateOrDie(size)), size_(size) {}

SecureBytes SecureBytes::CopyOf(ByteSpan bytes) {
  SecureBytes copy(bytes.size());
  if (!bytes.empty()) std::memcpy(copy.data_, bytes.data(), bytes.size());
  return copy;
}

SecureBytes::SecureBytes(SecureBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecureBytes& SecureBytes::operator=(SecureBytes&& other) noexcept {
  if (this != &other) {
    sodium_free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

SecureBytes::~SecureBytes() {
  sodium_free(data_);
}  // wipes; accepts nullptr

bool SecureBytes::ConstantTimeEquals(const SecureBytes& other) const {
  if (size_ != other.size_) return false;
  if (size_ == 0) return true;
  return sodium_memcmp(data_, other.data_, size_) == 0;
}

void Wipe(std::span<uint8_t> bytes) {
  if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.size());
}

// Growing to capacity() never reallocates, and makes the spare capacity part
// of the accessible range so it can be zeroed without undefined behaviour.
void Wipe(Bytes& bytes) {
  bytes.resize(bytes.capacity());
  Wipe(std::span<uint8_t>(bytes));
  bytes.clear();
}

void Wipe(std::string& text) {
  text.resize(text.capacity());
  if (!text.empty()) sodium_memzero(text.data(), text.size());
  text.clear();
}

}  // namespace attune::crypto
