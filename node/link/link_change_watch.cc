#include "node/link/link_change_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cstring>

namespace attune::node::link_io {

Result<std::shared_ptr<DatabaseWatch>> DatabaseWatch::Start(asio::any_io_executor executor,
                                                            const std::string& database_path,
                                                            std::function<void()> on_write) {
  const size_t slash = database_path.rfind('/');
  if (slash == std::string::npos) return Status::InvalidArgument("not an absolute path");
  const std::string folder = slash == 0 ? "/" : database_path.substr(0, slash);
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Status::IoError(std::string("inotify: ") + std::strerror(errno));
  // The folder rather than the files: the WAL may not exist yet, and may be replaced. A commit's
  // last write to the WAL comes just before the commit is visible (the WAL index in -shm is
  // updated through a memory map, which inotify does not see), so a look on that write alone can
  // miss it; a command closes its files after its commits are visible, and that close
  // (IN_CLOSE_WRITE) wakes serve again.
  constexpr uint32_t kEvents = IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO;
  if (::inotify_add_watch(fd, folder.c_str(), kEvents) < 0) {
    const int error = errno;
    ::close(fd);
    return Status::IoError(std::string("inotify: ") + std::strerror(error));
  }
  auto watch =
      std::make_shared<DatabaseWatch>(asio::posix::stream_descriptor(executor, fd),
                                      database_path.substr(slash + 1), std::move(on_write));
  asio::co_spawn(executor, watch->ReadEvents(watch), asio::detached);
  return watch;
}

DatabaseWatch::DatabaseWatch(asio::posix::stream_descriptor descriptor, std::string file,
                             std::function<void()> on_write)
    : descriptor_(std::move(descriptor)), file_(std::move(file)), on_write_(std::move(on_write)) {}

void DatabaseWatch::Stop() {
  boost::system::error_code ignored;
  descriptor_.close(ignored);
}

bool DatabaseWatch::AnyConcerns(const char* events, size_t size) const {
  // Not in the coroutine: inotify_event ends in a flexible array, which a coroutine frame
  // cannot hold.
  bool concerned = false;
  for (size_t at = 0; at + sizeof(inotify_event) <= size;) {
    inotify_event event;
    std::memcpy(&event, events + at, sizeof event);
    const std::string name = event.len > 0 ? std::string(events + at + sizeof event) : "";
    concerned =
        concerned || (event.mask & IN_Q_OVERFLOW) != 0 || name == file_ || name == file_ + "-wal";
    at += sizeof event + event.len;
  }
  return concerned;
}

Task<void> DatabaseWatch::ReadEvents(std::shared_ptr<DatabaseWatch> self) {
  // Room for many events at once: a burst of writes is read, and reported, as one.
  alignas(inotify_event) std::array<char, 16 * 1024> buffer{};
  while (descriptor_.is_open()) {
    boost::system::error_code error;
    const size_t size = co_await descriptor_.async_read_some(
        asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return;  // stopped, or the io_context is going away
    const bool concerned = AnyConcerns(buffer.data(), size);
    if (concerned && self->on_write_) self->on_write_();
  }
}

}  // namespace attune::node::link_io
