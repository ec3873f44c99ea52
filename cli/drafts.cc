#include "cli/drafts.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "base/system_error.h"
#include "cli/messages.h"

namespace attune::cli {
Status NoPrivatePlace(const std::string& why) {
  return Reworded(Status::IoError(why),
                  "attune will not open the editor: " + why +
                      ", and it does not write what you type to disk. Give the text on standard "
                      "input instead (e.g. `attune add note < draft.txt`), or set "
                      "XDG_RUNTIME_DIR to a private folder of yours in memory (a tmpfs)");
}

namespace {

constexpr const char* kSharedMemory = "/dev/shm";
constexpr std::string_view kDraftPrefix = "draft-";

// Overwrites a regular file with zeros before unlinking it, so that its blocks no longer hold
// the text (on a file system that overwrites in place) even if another name still links it.
void WipeFile(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
    // An editor may leave a backup read-only; the file is ours, in our private directory.
    if ((info.st_mode & S_IWUSR) == 0) ::chmod(path.c_str(), S_IRUSR | S_IWUSR);
    const int fd = ::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      const std::vector<char> zeros(4096, 0);
      for (off_t done = 0; done < info.st_size;) {
        const size_t chunk = static_cast<size_t>(std::min<off_t>(info.st_size - done, 4096));
        const ssize_t wrote = ::write(fd, zeros.data(), chunk);
        if (wrote <= 0) break;
        done += wrote;
      }
      ::fsync(fd);
      ::close(fd);
    }
  }
  ::unlink(path.c_str());
}

// Wipes and removes everything in `dir` (editors may add swap or backup files, or a folder of
// them), then `dir`. Symbolic links are removed, never followed. `depth` bounds the recursion.
void WipeDirectory(const std::string& dir, int depth = 0) {
  constexpr int kMaxDepth = 8;
  if (DIR* handle = ::opendir(dir.c_str())) {
    std::vector<std::string> names;
    while (const dirent* item = ::readdir(handle)) {
      const std::string name = item->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(handle);
    for (const std::string& name : names) {
      const std::string path = dir + "/" + name;
      struct stat info {};
      if (depth < kMaxDepth && ::lstat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
        WipeDirectory(path, depth + 1);
      } else {
        WipeFile(path);
      }
    }
  }
  ::rmdir(dir.c_str());
}

// Why `dir` may not hold drafts, or "" if it may: it must be a directory of this user without
// any of the `forbidden` permission bits. `follow`: a symbolic link to such a directory will do.
std::string WhyNotPrivate(const std::string& dir, bool follow, mode_t forbidden) {
  struct stat info {};
  if ((follow ? ::stat(dir.c_str(), &info) : ::lstat(dir.c_str(), &info)) != 0) {
    return std::strerror(errno);
  }
  if (!S_ISDIR(info.st_mode)) return "it is not a folder";
  if (info.st_uid != ::geteuid()) return "it belongs to another user";
  if ((info.st_mode & forbidden) != 0) return "other users may write to it or look inside";
  return "";
}

// /dev/shm is memory-backed only if it is a tmpfs, and shared safely only if users cannot
// remove or rename each other's entries (the sticky bit, as on every usual system).
bool SharedMemoryIsUsable() {
  struct stat info {};
  struct statfs fs {};
  return ::stat(kSharedMemory, &info) == 0 && S_ISDIR(info.st_mode) &&
         ::statfs(kSharedMemory, &fs) == 0 && fs.f_type == TMPFS_MAGIC &&
         ((info.st_mode & S_ISVTX) != 0 || (info.st_mode & (S_IWGRP | S_IWOTH)) == 0);
}

// The places drafts may live, best first (drafts.h).
std::vector<std::string> DraftRoots() {
  std::vector<std::string> roots;
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (runtime != nullptr && runtime[0] == '/' &&
      WhyNotPrivate(runtime, /*follow=*/true, S_IWGRP | S_IWOTH).empty()) {
    roots.push_back(std::string(runtime) + "/attune");
  }
  if (SharedMemoryIsUsable()) {
    roots.push_back(std::string(kSharedMemory) + "/attune-" + std::to_string(::geteuid()));
  }
  return roots;
}

// The first drafts directory, made if missing, and checked.
Result<std::string> PreparedRoot() {
  const std::vector<std::string> roots = DraftRoots();
  if (roots.empty()) {
    return NoPrivatePlace("there is neither a private XDG_RUNTIME_DIR nor a tmpfs at /dev/shm");
  }
  const std::string& root = roots.front();
  if (::mkdir(root.c_str(), 0700) != 0 && errno != EEXIST) {
    return NoPrivatePlace("it cannot make " + root + " (" + std::strerror(errno) + ")");
  }
  if (const std::string why = WhyNotPrivate(root, /*follow=*/false, 077); !why.empty()) {
    return NoPrivatePlace(root + " is not a private folder (" + why + ")");
  }
  return root;
}

// An exclusive flock on `path`, released when this goes out of scope. held() is false if the
// file could not be opened, or, with `wait` false, is locked by another process.
class FileLock {
 public:
  FileLock(const std::string& path, int open_flags, bool wait)
      : fd_(::open(path.c_str(), open_flags | O_CLOEXEC | O_NOFOLLOW, 0600)) {
    if (fd_.valid() && ::flock(fd_.get(), LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
      error_ = errno;
      fd_.Reset();
    } else if (!fd_.valid()) {
      error_ = errno;
    }
  }

  bool held() const { return fd_.valid(); }
  int error() const { return error_; }  // why it is not held
  // Gives up ownership of the descriptor (and with it the lock) to the caller.
  UniqueFd Take() { return std::move(fd_); }

 private:
  UniqueFd fd_;
  int error_ = 0;
};

std::vector<std::string> DraftNamesIn(const std::string& root) {
  std::vector<std::string> names;
  if (DIR* handle = ::opendir(root.c_str())) {
    while (const dirent* item = ::readdir(handle)) {
      if (std::string_view(item->d_name).starts_with(kDraftPrefix)) names.push_back(item->d_name);
    }
    ::closedir(handle);
  }
  return names;
}

// A draft whose `lock` can be taken, or is missing, has no attune left: the root's lock keeps
// drafts from being seen between their making and their locking.
int WipeLeftoversIn(const std::string& root) {
  if (!WhyNotPrivate(root, /*follow=*/false, 077).empty()) return 0;
  const FileLock making(root + "/lock", O_RDWR | O_CREAT, /*wait=*/true);
  if (!making.held()) return 0;
  int wiped = 0;
  for (const std::string& name : DraftNamesIn(root)) {
    const std::string dir = root + "/" + name;
    struct stat info {};
    if (::lstat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) continue;
    const FileLock owner(dir + "/lock", O_RDONLY, /*wait=*/false);
    if (!owner.held() && ::access((dir + "/lock").c_str(), F_OK) == 0) continue;  // in use
    WipeDirectory(dir);
    ++wiped;
  }
  return wiped;
}

}  // namespace

Result<DraftDirectory> DraftDirectory::Create() {
  ATTUNE_ASSIGN_OR_RETURN(std::string root, PreparedRoot());
  const FileLock making(root + "/lock", O_RDWR | O_CREAT, /*wait=*/true);
  if (!making.held()) return SystemErrorStatus(making.error(), "cannot lock " + root + "/lock");
  std::string dir = root + "/" + std::string(kDraftPrefix) + "XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) {
    return SystemErrorStatus(errno, "cannot make a private folder in " + root);
  }
  FileLock own(dir + "/lock", O_RDWR | O_CREAT | O_EXCL, /*wait=*/false);
  if (!own.held()) {
    WipeDirectory(dir);
    return SystemErrorStatus(own.error(), "cannot lock the draft's folder " + dir);
  }
  return DraftDirectory(std::move(dir), own.Take());
}

DraftDirectory::DraftDirectory(DraftDirectory&& other) noexcept
    : path_(std::exchange(other.path_, {})), lock_fd_(std::move(other.lock_fd_)) {}

DraftDirectory::~DraftDirectory() {
  Wipe();
}

void DraftDirectory::Wipe() {
  if (!path_.empty()) WipeDirectory(path_);
  path_.clear();
  lock_fd_.Reset();
}

int WipeLeftoverDrafts() {
  int wiped = 0;
  for (const std::string& root : DraftRoots()) wiped += WipeLeftoversIn(root);
  return wiped;
}

}  // namespace attune::cli
