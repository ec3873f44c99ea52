#include "node/home.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "base/system_error.h"
#include "node/journal_reason.h"

namespace attune::node {
namespace {

std::optional<std::string> NonEmpty(const char* value) {
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

bool IsSet(const std::optional<std::string>& value) {
  return value && !value->empty();
}

Status MakeDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return Status::Ok();
  return SystemErrorStatus(errno, "cannot create directory " + path);
}

// The names in `dir` but "." and "..", sorted so that warnings come in a stable order.
std::vector<std::string> FileNamesIn(const std::string& dir) {
  std::vector<std::string> names;
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) return names;
  while (const dirent* item = ::readdir(handle)) {
    const std::string name = item->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(handle);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

Result<std::string> ResolveHome(const HomeSources& sources) {
  if (IsSet(sources.flag)) return *sources.flag;
  if (IsSet(sources.attune_home)) return *sources.attune_home;
  if (IsSet(sources.xdg_data_home)) return *sources.xdg_data_home + "/attune";
  if (IsSet(sources.user_home)) return *sources.user_home + "/.local/share/attune";
  return Status::InvalidArgument("no home directory").WithReason(JournalReason::kNoHomeDirectory);
}

HomeSources HomeSourcesFromEnvironment(std::optional<std::string> flag) {
  HomeSources sources;
  sources.flag = std::move(flag);
  sources.attune_home = NonEmpty(std::getenv("ATTUNE_HOME"));
  sources.xdg_data_home = NonEmpty(std::getenv("XDG_DATA_HOME"));
  sources.user_home = NonEmpty(std::getenv("HOME"));
  return sources;
}

bool Home::HasJournal() const {
  struct stat info {};
  return ::stat(database_path().c_str(), &info) == 0;
}

Status Home::Create() const {
  // Create each missing parent in turn; only the last component must be private, but parents
  // we create are made 0700 too since nothing else of ours lives there.
  for (size_t slash = dir_.find('/', 1); slash != std::string::npos;
       slash = dir_.find('/', slash + 1)) {
    ATTUNE_RETURN_IF_ERROR(MakeDirectory(dir_.substr(0, slash)));
  }
  ATTUNE_RETURN_IF_ERROR(MakeDirectory(dir_));
  struct stat info {};
  if (::stat(dir_.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return Status::IoError(dir_ + " is not a directory");
  }
  return Status::Ok();
}

std::vector<LoosePath> Home::LoosePaths() const {
  std::vector<LoosePath> loose;
  struct stat info {};
  if (::stat(dir_.c_str(), &info) != 0) return loose;
  if ((info.st_mode & 0077) != 0) {
    loose.push_back({dir_, /*is_home=*/true, static_cast<unsigned>(info.st_mode & 0777), 0700});
  }
  for (const std::string& name : FileNamesIn(dir_)) {
    const std::string path = dir_ + "/" + name;
    // lstat: a symlink's own mode means nothing, and following one could report on a file
    // elsewhere.
    if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
    if ((info.st_mode & 0077) != 0) {
      loose.push_back({path, /*is_home=*/false, static_cast<unsigned>(info.st_mode & 0777), 0600});
    }
  }
  return loose;
}

Result<HomeLock> HomeLock::Acquire(const Home& home) {
  const std::string path = home.serve_lock_path();
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) return SystemErrorStatus(errno, "cannot open " + path);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error == EWOULDBLOCK) return Status::Busy("another attune process holds " + path);
    return SystemErrorStatus(error, "cannot lock " + path);
  }
  return HomeLock(std::move(fd));
}

HomeLock::HomeLock(HomeLock&& other) noexcept = default;
HomeLock::~HomeLock() = default;

}  // namespace attune::node
