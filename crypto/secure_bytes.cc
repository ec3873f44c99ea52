#include "crypto/secure_bytes.h"

#include <sodium.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <utility>
#include <vector>

namespace attune::crypto {
namespace {

// Released secure blocks kept for reuse, by exact size. A Noise handshake makes and drops a few
// dozen short-lived keys and hashes; each fresh sodium_malloc costs six system calls (mmap, two
// guard-page mprotects, madvise, mlock, mprotect) and each sodium_free four more, which was
// about half of a handshake on loopback. A kept block is wiped when released and keeps its
// guard pages and canary, so taking it back is the same as a fresh allocation of that size;
// sodium_free checks the canary when a block finally goes.
class BlockCache {
 public:
  static constexpr size_t kMaxBlockBytes = 4096;
  static constexpr size_t kMaxBlocks = 32;

  static BlockCache& Instance() {
    // Never destroyed: SecureBytes with static storage may be released after it would be.
    static BlockCache* cache = new BlockCache;
    return *cache;
  }

  void* Take(size_t size) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < blocks_.size(); ++i) {
      if (blocks_[i].size != size) continue;
      void* block = blocks_[i].memory;
      blocks_[i] = blocks_.back();
      blocks_.pop_back();
      return block;
    }
    return nullptr;
  }

  // Wipes `memory` and keeps it, or frees it if it is too large or the cache is full.
  void Release(void* memory, size_t size) {
    if (memory == nullptr) return;
    sodium_memzero(memory, size);
    if (size <= kMaxBlockBytes) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (blocks_.size() < kMaxBlocks) {
        blocks_.push_back({size, memory});
        return;
      }
    }
    sodium_free(memory);
  }

 private:
  struct Block {
    size_t size;
    void* memory;
  };
  std::mutex mutex_;
  std::vector<Block> blocks_;
};

std::atomic<bool> lock_refused{false};

// sodium_malloc mlocks the memory it returns but ignores a refusal, which would leave keys
// silently swappable. Locking the region again costs one mlock (and a madvise) on pages that
// are normally locked already, and says whether they are; after the first refusal the answer
// is known and later allocations skip the check.
void NoteWhetherLocked(void* memory, size_t size) {
  if (lock_refused.load(std::memory_order_relaxed)) return;
  if (sodium_mlock(memory, size) != 0) lock_refused.store(true, std::memory_order_relaxed);
}

uint8_t* AllocateOrDie(size_t size) {
  // No allocation for size 0: sodium_malloc(0) would still map guard pages.
  if (size == 0) return nullptr;
  if (void* kept = BlockCache::Instance().Take(size)) return static_cast<uint8_t*>(kept);
  void* memory = sodium_malloc(size);
  if (memory == nullptr) {
    // See the header for why this is fatal rather than a Status.
    std::fputs("attune: sodium_malloc failed; out of memory for key material, aborting\n", stderr);
    std::abort();
  }
  NoteWhetherLocked(memory, size);
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
    BlockCache::Instance().Release(data_, size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

SecureBytes::~SecureBytes() {
  BlockCache::Instance().Release(data_, size_);  // wipes
}

bool SecureBytes::ConstantTimeEquals(const SecureBytes& other) const {
  if (size_ != other.size_) return false;
  if (size_ == 0) return true;
  return sodium_memcmp(data_, other.data_, size_) == 0;
}

bool SecureMemoryLockRefused() {
  return lock_refused.load(std::memory_order_relaxed);
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

std::span<uint8_t> SecureScratch::Take(size_t size) {
  Wipe();
  if (size > buffer_.size()) {
    size_t capacity = 4096;
    while (capacity < size) capacity *= 2;
    buffer_ = SecureBytes(capacity);  // the old buffer is wiped as it goes
  }
  used_ = size;
  return {buffer_.data(), size};
}

void SecureScratch::Wipe() {
  if (used_ > 0) sodium_memzero(buffer_.data(), used_);
  used_ = 0;
}

}  // namespace attune::crypto
