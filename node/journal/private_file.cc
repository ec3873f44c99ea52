#include "node/private_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "base/scope_exit.h"
#include "base/system_error.h"

namespace attune::node {
namespace {

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

// Gives the finished temporary file the name `path`; 0 or the errno. RENAME_NOREPLACE needs
// support from the file system (most have it, FAT on a USB stick included); where it is
// missing, link() refuses an existing name just as atomically.
int MoveIntoPlace(const std::string& temp, const std::string& path, ExistingFile existing) {
  if (existing == ExistingFile::kReplace) {
    return std::rename(temp.c_str(), path.c_str()) == 0 ? 0 : errno;
  }
  if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  if (::link(temp.c_str(), path.c_str()) != 0) return errno;
  ::unlink(temp.c_str());
  return 0;
}

// The new name is durable once its directory is; a directory that cannot be flushed (some
// network file systems) does not undo a write that succeeded.
void FlushDirectoryOf(const std::string& path) {
  const int dir = ::open(DirectoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return;
  (void)::fsync(dir);
  ::close(dir);
}

int WriteAll(int fd, ByteSpan data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (written == 0) return EIO;  // not for regular files; never loop forever
    data = data.subspan(static_cast<size_t>(written));
  }
  return 0;
}

Status WritePrivateFile(const std::string& path, ByteSpan data, ExistingFile existing) {
  const std::string action = "cannot write " + path;
  std::string temp = path + ".attune-tmp-XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);  // O_CREAT | O_EXCL, mode 0600
  if (fd < 0 && errno == ENOENT) {
    const size_t slash = path.rfind('/');
    const std::string folder = slash == std::string::npos ? "." : path.substr(0, slash);
    return Status::NotFound(folder.empty() ? "/" : folder)
        .WithReason(PrivateFileReason::kNoSuchFolder);
  }
  if (fd < 0) return SystemErrorStatus(errno, action);
  bool placed = false;
  ScopeExit remove_temp([&] {
    if (!placed) ::unlink(temp.c_str());
  });
  int error = WriteAll(fd, data);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0) error = MoveIntoPlace(temp, path, existing);
  if (error == EEXIST && existing == ExistingFile::kRefuse) {
    return Status::InvalidArgument(path + " already exists")
        .WithReason(PrivateFileReason::kFileExists);
  }
  if (error != 0) return SystemErrorStatus(error, action);
  placed = true;
  FlushDirectoryOf(path);
  return Status::Ok();
}

}  // namespace attune::node
