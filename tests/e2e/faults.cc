#include "tests/e2e/faults.h"

#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace attune::e2e {

Tmpfs::Tmpfs(std::string dir, const std::string& size) : dir_(std::move(dir)) {
  ::mkdir(dir_.c_str(), 0700);
  const std::string options = "size=" + size + ",mode=0700";
  if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
    why_not_ = std::string("mount -t tmpfs: ") + std::strerror(errno);
    return;
  }
  mounted_ = true;
}

Tmpfs::~Tmpfs() {
  if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
}

bool Tmpfs::Remount(bool read_only) {
  const unsigned long flags = MS_REMOUNT | MS_NOSUID | MS_NODEV | (read_only ? MS_RDONLY : 0);
  if (::mount("tmpfs", dir_.c_str(), "tmpfs", flags, nullptr) == 0) return true;
  ADD_FAILURE() << "remount " << (read_only ? "ro" : "rw") << ": " << std::strerror(errno);
  return false;
}

RunResult FaultsTest::RunWith(const ChildSetup& setup, const std::vector<std::string>& args,
                              const std::string& input) {
  RunResult result = RunProcess({attune_binary, args, env, input, kDefaultTimeout, setup});
  EXPECT_FALSE(result.timed_out) << result;
  EXPECT_TRUE(result.failure.empty()) << result.failure;
  return result;
}

}  // namespace attune::e2e
