#include "crypto/secure_bytes.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "base/bytes.h"
#include "tests/common/sanitizers.h"

namespace attune::crypto {
namespace {

bool AllZero(ByteSpan bytes) {
  for (uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

TEST(SecureBytesTest, SizeZeroWorks) {
  SecureBytes empty(0);
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_TRUE(empty.span().empty());
  EXPECT_TRUE(empty.ConstantTimeEquals(SecureBytes()));
  EXPECT_TRUE(SecureBytes::CopyOf({}).empty());
}

TEST(SecureBytesTest, NewBufferIsZeroFilled) {
  SecureBytes buffer(100);
  ASSERT_EQ(buffer.size(), 100u);
  ASSERT_NE(buffer.data(), nullptr);
  EXPECT_TRUE(AllZero(buffer.span()));
}

TEST(SecureBytesTest, AReusedBufferStartsZeroed) {
  // Released buffers of a size are reused for that size: what the last one held must be gone.
  for (size_t size : {size_t{32}, size_t{4096}, size_t{5000}}) {
    uint8_t* first = nullptr;
    {
      SecureBytes secret(size);
      std::memset(secret.data(), 0xA7, size);
      first = secret.data();
    }
    SecureBytes next(size);
    EXPECT_EQ(std::count(next.span().begin(), next.span().end(), 0), static_cast<long>(size))
        << size << (next.data() == first ? " (the same block)" : " (another block)");
  }
}

TEST(SecureBytesTest, CopyOfCopiesContents) {
  Bytes source = {1, 2, 3, 4, 5};
  SecureBytes copy = SecureBytes::CopyOf(source);
  source[0] = 9;  // the copy must not alias the source
  EXPECT_EQ(Bytes(copy.span().begin(), copy.span().end()), (Bytes{1, 2, 3, 4, 5}));
}

TEST(SecureBytesTest, MutableSpanWritesThrough) {
  SecureBytes buffer(3);
  buffer.mutable_span()[1] = 0xab;
  EXPECT_EQ(buffer.data()[1], 0xab);
}

TEST(SecureBytesTest, MoveConstructionTransfersOwnership) {
  SecureBytes original = SecureBytes::CopyOf(Bytes{7, 8, 9});
  const uint8_t* memory = original.data();
  SecureBytes moved(std::move(original));
  EXPECT_EQ(moved.data(), memory);
  EXPECT_EQ(moved.size(), 3u);
  EXPECT_EQ(moved.data()[2], 9);
  EXPECT_TRUE(original.empty());  // NOLINT(bugprone-use-after-move): documented state
  EXPECT_EQ(original.data(), nullptr);
}

TEST(SecureBytesTest, MoveAssignmentReplacesContents) {
  SecureBytes target = SecureBytes::CopyOf(Bytes{1, 1});
  SecureBytes source = SecureBytes::CopyOf(Bytes{2, 2, 2});
  target = std::move(source);
  EXPECT_EQ(target.size(), 3u);
  EXPECT_EQ(target.data()[0], 2);
  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): documented state

  SecureBytes& alias = target;
  target = std::move(alias);  // self-move must not free the buffer
  EXPECT_EQ(target.size(), 3u);
  EXPECT_EQ(target.data()[2], 2);
}

TEST(SecureBytesTest, ConstantTimeEqualsComparesSizeAndContents) {
  SecureBytes a = SecureBytes::CopyOf(Bytes{1, 2, 3, 4});
  SecureBytes same = SecureBytes::CopyOf(Bytes{1, 2, 3, 4});
  SecureBytes last_differs = SecureBytes::CopyOf(Bytes{1, 2, 3, 5});
  SecureBytes first_differs = SecureBytes::CopyOf(Bytes{0, 2, 3, 4});
  SecureBytes prefix = SecureBytes::CopyOf(Bytes{1, 2, 3});
  EXPECT_TRUE(a.ConstantTimeEquals(same));
  EXPECT_TRUE(a.ConstantTimeEquals(a));
  EXPECT_FALSE(a.ConstantTimeEquals(last_differs));
  EXPECT_FALSE(a.ConstantTimeEquals(first_differs));
  EXPECT_FALSE(a.ConstantTimeEquals(prefix));
  EXPECT_FALSE(prefix.ConstantTimeEquals(a));
  EXPECT_FALSE(a.ConstantTimeEquals(SecureBytes()));
}

TEST(SecureScratchTest, GrowsOnlyWhenNeededAndWipesWhatWasHandedOut) {
  SecureScratch scratch;
  EXPECT_EQ(scratch.capacity(), 0u);
  std::span<uint8_t> first = scratch.Take(10);
  ASSERT_EQ(first.size(), 10u);
  std::fill(first.begin(), first.end(), 0xab);
  EXPECT_EQ(scratch.capacity(), 4096u);
  const uint8_t* address = first.data();
  // A smaller or equal request reuses the buffer, and finds the earlier bytes wiped.
  std::span<uint8_t> second = scratch.Take(4096);
  EXPECT_EQ(second.data(), address);
  EXPECT_TRUE(std::all_of(second.begin(), second.end(), [](uint8_t b) { return b == 0; }));
  std::fill(second.begin(), second.end(), 0xcd);
  // A larger one grows to the next power of two.
  std::span<uint8_t> third = scratch.Take(5000);
  EXPECT_EQ(scratch.capacity(), 8192u);
  EXPECT_TRUE(std::all_of(third.begin(), third.end(), [](uint8_t b) { return b == 0; }));
  std::fill(third.begin(), third.end(), 0xef);
  scratch.Wipe();
  std::span<uint8_t> whole = scratch.Take(scratch.capacity());
  EXPECT_TRUE(std::all_of(whole.begin(), whole.end(), [](uint8_t b) { return b == 0; }));
}

TEST(WipeTest, SpanIsZeroed) {
  Bytes bytes = {1, 2, 3, 4};
  Wipe(std::span<uint8_t>(bytes).subspan(1, 2));
  EXPECT_EQ(bytes, (Bytes{1, 0, 0, 4}));
}

TEST(WipeTest, BytesAreZeroedIncludingSpareCapacityAndCleared) {
  Bytes bytes = {9, 9, 9, 9, 9, 9, 9, 9};
  bytes.resize(2);  // the six dropped 9s are still in the allocation
  const uint8_t* memory = bytes.data();
  Wipe(bytes);
  EXPECT_TRUE(bytes.empty());
  EXPECT_EQ(bytes.data(), memory);  // wiped in place, not reallocated
  EXPECT_TRUE(AllZero(ByteSpan(memory, bytes.capacity())));
}

TEST(WipeTest, StringIsZeroedIncludingSpareCapacityAndCleared) {
  std::string text(64, 'x');  // longer than any small-string buffer
  text.resize(10);
  const char* memory = text.data();
  size_t capacity = text.capacity();
  Wipe(text);
  EXPECT_TRUE(text.empty());
  ASSERT_EQ(text.data(), memory);
  for (size_t i = 0; i < capacity; ++i) EXPECT_EQ(memory[i], '\0') << "offset " << i;
}

using attune::test_common::kMlockIsIntercepted;

// mlock fails for an unprivileged process whose RLIMIT_MEMLOCK is 0. The limit and the
// capability that overrides it (CAP_IPC_LOCK, which root has) belong to the whole process, so
// this runs in a child.
void LoseTheRightToLockMemory() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capget, &header, caps) != 0) std::_Exit(2);
  caps[CAP_TO_INDEX(CAP_IPC_LOCK)].effective &= ~CAP_TO_MASK(CAP_IPC_LOCK);
  if (::syscall(SYS_capset, &header, caps) != 0) std::_Exit(2);
  const rlimit none{0, 0};
  if (::setrlimit(RLIMIT_MEMLOCK, &none) != 0) std::_Exit(2);
}

TEST(SecureBytesDeathTest, ARefusedLockIsReported) {
  if (kMlockIsIntercepted) {
    GTEST_SKIP() << "AddressSanitizer replaces mlock with a no-op that always succeeds";
  }
  EXPECT_EXIT(
      {
        LoseTheRightToLockMemory();
        SecureBytes fresh(3 * 4096);  // larger than any kept block: a new allocation
        fresh.data()[0] = 1;          // still usable, only not locked
        std::_Exit(SecureMemoryLockRefused() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace attune::crypto
