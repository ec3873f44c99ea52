// Secret bytes kept out of ordinary heap memory, and wiping helpers for the
// secrets that could not be.
//
// Preconditions: crypto::Init() has succeeded (sodium_malloc needs it).
#ifndef ATTUNE_CRYPTO_SECURE_BYTES_H_
#define ATTUNE_CRYPTO_SECURE_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "base/bytes.h"

namespace attune::crypto {

// A move-only, fixed-size byte buffer for keys, passphrases and decrypted
// plaintext. Memory comes from sodium_malloc: it sits between guard pages
// (an overrun faults instead of leaking into a neighbour), is mlock()ed where
// the OS allows (so it is not swapped to disk) and is excluded from core
// dumps where supported. The destructor zeroes it; a buffer of at most 4 KiB
// is then kept (at most 32 of them, guard pages and all) for the next buffer
// of exactly its size, and any other is released with sodium_free.
//
// Each non-empty buffer costs at least three pages, and a fresh one an mmap
// and a handful of mprotect/mlock calls, so hold many small secrets in one
// buffer rather than many buffers.
//
// Allocation failure calls std::abort() with a message instead of returning
// an error. Running out of memory for key material is not something any
// caller could recover from sensibly, and a Result-returning constructor
// would add an untestable error branch to every function that produces a
// secret (Open, DeriveKey, RandomSecret, CopyOf, ...). This mirrors
// operator new failing in a program built without exceptions. Note that an
// mlock refusal (RLIMIT_MEMLOCK) is not a failure: libsodium still returns
// guarded memory, just unlocked; SecureMemoryLockRefused() reports it.
//
// Size 0 is valid: no memory is allocated and data() is nullptr.
// A moved-from SecureBytes is empty. Not thread-safe; confine to one thread
// or synchronise externally, like any container.
class SecureBytes {
 public:
  // An empty buffer.
  SecureBytes() = default;
  // `size` zero bytes.
  explicit SecureBytes(size_t size);
  // A secure copy of `bytes`. The caller remains responsible for wiping the
  // source if it was secret.
  static SecureBytes CopyOf(ByteSpan bytes);

  SecureBytes(SecureBytes&& other) noexcept;
  SecureBytes& operator=(SecureBytes&& other) noexcept;
  SecureBytes(const SecureBytes&) = delete;
  SecureBytes& operator=(const SecureBytes&) = delete;
  ~SecureBytes();

  const uint8_t* data() const { return data_; }
  uint8_t* data() { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ByteSpan span() const { return {data_, size_}; }
  std::span<uint8_t> mutable_span() { return {data_, size_}; }

  // True if both buffers have the same size and contents. The comparison of
  // contents takes time independent of where they differ (sodium_memcmp);
  // the sizes are not treated as secret.
  bool ConstantTimeEquals(const SecureBytes& other) const;

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// A growable buffer in secure memory, reused from call to call: for bulk plaintext that is
// decrypted many times over (journal entries), where a fresh SecureBytes per entry would cost an
// mmap, mprotect and mlock each time. Take(n) returns n bytes of it, reallocating (to the next
// power of two, at least 4 KiB) only when it must grow; the contents of an earlier Take are
// wiped first, and the destructor wipes and frees it. Not thread-safe: one per thread.
class SecureScratch {
 public:
  SecureScratch() = default;
  SecureScratch(const SecureScratch&) = delete;
  SecureScratch& operator=(const SecureScratch&) = delete;

  std::span<uint8_t> Take(size_t size);
  // Zeroes what the last Take handed out (the rest is zero already).
  void Wipe();
  size_t capacity() const { return buffer_.size(); }

 private:
  SecureBytes buffer_;
  size_t used_ = 0;
};

// True once the system has refused to lock a SecureBytes buffer into memory
// (mlock failing: RLIMIT_MEMLOCK too low and no CAP_IPC_LOCK), so that some
// secret could be written to swap. Checked on each fresh allocation until the
// first refusal; never reset. Thread-safe.
bool SecureMemoryLockRefused();

// Overwrites `bytes` with zeros in a way the compiler may not optimise away
// (sodium_memzero). For secrets that had to pass through ordinary memory.
void Wipe(std::span<uint8_t> bytes);

// Zeroes the whole allocation of `bytes` (including spare capacity, which may
// hold earlier contents) and leaves it empty.
void Wipe(Bytes& bytes);

// Zeroes the whole allocation of `text` (including spare capacity) and
// leaves it empty. Use for a passphrase read from a terminal or a recovery
// code after display. Copies the string made earlier (e.g. when it grew) are
// out of reach: reserve() the final size up front where that matters.
void Wipe(std::string& text);

}  // namespace attune::crypto

#endif  // ATTUNE_CRYPTO_SECURE_BYTES_H_
