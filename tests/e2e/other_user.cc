#include "tests/e2e/other_user.h"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

namespace attune::e2e {
namespace {

// Whether `user` may execute `path`, asked of a shell running as `user`, so that ACLs, group
// membership and the like count as the kernel counts them.
bool CanExecute(const std::filesystem::path& path, ChildSetup::User user) {
  RunRequest probe{"/bin/sh",
                   {"-c", "test -x \"$1\"", "probe", path.string()},
                   {{"PATH", "/usr/bin:/bin"}},
                   "",
                   kDefaultTimeout};
  probe.setup.run_as = user;
  return RunProcess(probe).exit_code == 0;
}

// The first folder on the way to `path`, from the root down, that `user` may not pass through;
// `path` itself if they all let the user pass.
std::string FirstClosedOnTheWay(const std::filesystem::path& path, ChildSetup::User user) {
  std::filesystem::path walked = "/";
  for (const std::filesystem::path& part : path.relative_path().parent_path()) {
    walked /= part;
    if (!CanExecute(walked, user)) return walked.string();
  }
  return path.string();
}

}  // namespace

BinaryCopy CopyForUser(const std::string& binary, const std::string& dir, ChildSetup::User user) {
  const std::filesystem::path folder = std::filesystem::path(dir) / "bin-for-others";
  const std::filesystem::path copy = folder / std::filesystem::path(binary).filename();
  std::error_code error;
  std::filesystem::create_directory(folder, error);
  if (!error) std::filesystem::copy_file(binary, copy, error);
  if (error) return {"", "cannot copy " + binary + " to " + copy.string() + ": " + error.message()};
  if (::chmod(folder.c_str(), 0755) != 0 || ::chmod(copy.c_str(), 0755) != 0 ||
      ::chmod(dir.c_str(), 0711) != 0) {
    return {"", "cannot open " + copy.string() + " to other users"};
  }
  if (!CanExecute(copy, user)) {
    return {"", FirstClosedOnTheWay(copy, user) + " shuts out uid " + std::to_string(user.uid) +
                    ", so it cannot run attune; set TMPDIR to a folder others may enter"};
  }
  return {copy.string(), ""};
}

}  // namespace attune::e2e
