// An owned POSIX file descriptor, closed when its owner goes away (a return, an exception, a
// coroutine frame destroyed). Move-only, so one UniqueFd at a time owns a descriptor and it is
// closed once. -1 means "none": what a failed open(2), socket(2) or pipe(2) slot holds, so a
// call's result can be wrapped before it is checked.
//
// close(2)'s own failure is not reported (the destructor cannot report it): fine for what was
// only read, for sockets, pipes and locks. Where a failed close can lose written data (a file
// that must be on disk), Release() it and close it where the error is checked
// (node/journal/private_file.cc). close is not retried on EINTR: on Linux the descriptor is
// released already. Not thread-safe: one owner, as with any value.
#ifndef ATTUNE_BASE_UNIQUE_FD_H_
#define ATTUNE_BASE_UNIQUE_FD_H_

#include <unistd.h>

#include <utility>

namespace attune {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) Reset(other.Release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  // The descriptor (still owned), or -1.
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

  // Gives the descriptor up to the caller, who then closes it; this holds none afterwards.
  [[nodiscard]] int Release() { return std::exchange(fd_, -1); }

  // Closes the descriptor held (if any) and takes ownership of `fd` (-1: none).
  void Reset(int fd = -1) {
    const int old = std::exchange(fd_, fd);
    if (old >= 0) ::close(old);
  }

 private:
  int fd_ = -1;
};

}  // namespace attune

#endif  // ATTUNE_BASE_UNIQUE_FD_H_
