// What the fault tests (faults_test.cc, faults_live_test.cc) share: running attune under a
// ChildSetup, and a tmpfs mounted for the length of a test. (IntegrityCheck, for the database
// after a fault, is in partners.h.)
#ifndef ATTUNE_TESTS_E2E_FAULTS_H_
#define ATTUNE_TESTS_E2E_FAULTS_H_

#include <string>
#include <vector>

#include "tests/e2e/partners.h"

namespace attune::e2e {

// Exit codes of the faults, from docs/guide.md and cli/exit_codes.h.
inline constexpr int kExitBusy = 9;
inline constexpr int kExitDiskFull = 17;

// A tmpfs mounted on `dir` (created if missing) until destruction, when it is lazily unmounted.
// Needs root, or the right to mount (CAP_SYS_ADMIN); why_not() says what refused it.
class Tmpfs {
 public:
  Tmpfs(std::string dir, const std::string& size);
  ~Tmpfs();
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& why_not() const { return why_not_; }
  const std::string& dir() const { return dir_; }

  // Remounts read-only or writable again; false (with a test failure) if the system refused.
  bool Remount(bool read_only);

 private:
  std::string dir_;
  bool mounted_ = false;
  std::string why_not_;
};

class FaultsTest : public PartnersTest {
 protected:
  // `attune ARGS...` in the fixture's environment with `setup` applied to the child. Records a
  // failure if it timed out or could not start.
  RunResult RunWith(const ChildSetup& setup, const std::vector<std::string>& args,
                    const std::string& input = "");

  // The attune that RunWith runs. A test running it as another user points this at a copy that
  // user can reach (other_user.h).
  std::string attune_binary = ATTUNE_BINARY;
};

}  // namespace attune::e2e

#endif  // ATTUNE_TESTS_E2E_FAULTS_H_
