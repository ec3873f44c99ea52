// Writing a whole buffer to a file the cli creates itself (an export, the editor's file).
#ifndef ATTUNE_CLI_WRITE_ALL_H_
#define ATTUNE_CLI_WRITE_ALL_H_

#include <unistd.h>

#include <cerrno>
#include <string_view>

namespace attune::cli {

// Writes all of `data` to `fd`, going on after short writes and EINTR. Returns 0, or the errno
// that stopped it (for base/system_error.h): a write that crosses a full disk or the file-size
// limit is first cut short, and only the next one fails, with ENOSPC or EFBIG.
inline int WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (written == 0) return EIO;  // not for regular files; never loop forever
    data.remove_prefix(static_cast<size_t>(written));
  }
  return 0;
}

}  // namespace attune::cli

#endif  // ATTUNE_CLI_WRITE_ALL_H_
