#include "node/home.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

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
  return Status::IoError("cannot create directory " + path + ": " + std::strerror(errno));
}

}  // namespace

Result<std::string> ResolveHome(const HomeSources& sources) {
  if (IsSet(sources.flag)) return *sources.flag;
  if (IsSet(sources.attune_home)) return *sources.attune_home;
  if (IsSet(sources.xdg_data_home)) return *sources.xdg_data_home + "/attune";
  if (IsSet(sources.user_home)) return *sources.user_home + "/.local/share/attune";
  return Status::InvalidArgument("no home directory: set --home, ATTUNE_HOME or HOME");
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

std::optional<std::string> Home::PermissionWarning() const {
  struct stat info {};
  if (::stat(dir_.c_str(), &info) != 0) return std::nullopt;
  if ((info.st_mode & 0077) == 0) return std::nullopt;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(info.st_mode & 0777));
  return "the home " + dir_ + " is open to other users (mode " + mode + "); run: chmod 700 " + dir_;
}

}  // namespace attune::node
