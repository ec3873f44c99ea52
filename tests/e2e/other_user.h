// Running attune as another user (tests that change user, as root, so that permission bits
// apply). The binary in the build folder may not be reachable by that user: a clone made in a
// private folder (mode 0700, as `mktemp -d` and many home directories are) keeps every other
// user out of the whole tree, and exec then fails with 127. So such tests run a copy of the
// binary placed where the user can reach it, or skip saying why there is none.
#ifndef ATTUNE_TESTS_E2E_OTHER_USER_H_
#define ATTUNE_TESTS_E2E_OTHER_USER_H_

#include <string>

#include "tests/e2e/run_attune.h"

namespace attune::e2e {

struct BinaryCopy {
  std::string path;     // the copy, executable by the user; empty if there is none
  std::string why_not;  // why there is none, for GTEST_SKIP; empty if there is one
};

// Copies `binary` into `dir`/bin-for-others (made, mode 0755) and opens `dir` to others for
// passing through (0711, no listing). Checks, as `user`, that the copy can be executed: a folder
// above `dir` may still shut others out (TMPDIR inside a private folder), and then says which.
// `dir` is the test's own temporary folder (AttuneTest::root()). Must be run as root.
BinaryCopy CopyForUser(const std::string& binary, const std::string& dir, ChildSetup::User user);

}  // namespace attune::e2e

#endif  // ATTUNE_TESTS_E2E_OTHER_USER_H_
