#include "base/unique_fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace attune {
namespace {

bool IsOpen(int fd) {
  return ::fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

// A fresh pipe's two ends, each owned.
struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

Pipe MakePipe() {
  int ends[2] = {-1, -1};
  EXPECT_EQ(::pipe2(ends, O_CLOEXEC), 0);
  return {UniqueFd(ends[0]), UniqueFd(ends[1])};
}

TEST(UniqueFdTest, DefaultHoldsNone) {
  UniqueFd none;
  EXPECT_EQ(none.get(), -1);
  EXPECT_FALSE(none.valid());
  none.Reset();  // closing nothing is fine
  EXPECT_FALSE(UniqueFd(-1).valid());
}

TEST(UniqueFdTest, ClosesWhenItGoesAway) {
  int raw = -1;
  {
    Pipe pipe = MakePipe();
    raw = pipe.read.get();
    EXPECT_TRUE(pipe.read.valid());
    EXPECT_TRUE(IsOpen(raw));
  }
  EXPECT_FALSE(IsOpen(raw));
}

TEST(UniqueFdTest, MovingHandsOverOwnership) {
  Pipe pipe = MakePipe();
  const int raw = pipe.read.get();
  UniqueFd moved(std::move(pipe.read));
  EXPECT_EQ(moved.get(), raw);
  EXPECT_FALSE(pipe.read.valid());  // NOLINT(bugprone-use-after-move): the contract says so
  {
    UniqueFd last = std::move(moved);
    EXPECT_EQ(last.get(), raw);
  }
  EXPECT_FALSE(IsOpen(raw));
}

TEST(UniqueFdTest, MoveAssignmentClosesWhatWasHeld) {
  Pipe pipe = MakePipe();
  const int read_end = pipe.read.get(), write_end = pipe.write.get();
  pipe.read = std::move(pipe.write);
  EXPECT_FALSE(IsOpen(read_end));
  EXPECT_EQ(pipe.read.get(), write_end);
  EXPECT_TRUE(IsOpen(write_end));
  UniqueFd& same = pipe.read;
  pipe.read = std::move(same);  // onto itself: still held, still open
  EXPECT_EQ(pipe.read.get(), write_end);
  EXPECT_TRUE(IsOpen(write_end));
}

TEST(UniqueFdTest, ReleaseGivesTheDescriptorUp) {
  int raw = -1;
  {
    Pipe pipe = MakePipe();
    raw = pipe.read.Release();
    EXPECT_FALSE(pipe.read.valid());
  }
  EXPECT_TRUE(IsOpen(raw));
  ::close(raw);
}

TEST(UniqueFdTest, ResetClosesAndTakesTheNewOne) {
  Pipe pipe = MakePipe();
  const int read_end = pipe.read.get();
  const int write_end = pipe.write.Release();
  pipe.read.Reset(write_end);
  EXPECT_FALSE(IsOpen(read_end));
  EXPECT_EQ(pipe.read.get(), write_end);
  pipe.read.Reset();
  EXPECT_FALSE(IsOpen(write_end));
  EXPECT_FALSE(pipe.read.valid());
}

}  // namespace
}  // namespace attune
