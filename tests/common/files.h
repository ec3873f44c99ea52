// File helpers shared by the test suites: a temporary directory per test and raw file access,
// for checking what attune leaves on disk behind its own API.
#ifndef ATTUNE_TESTS_COMMON_FILES_H_
#define ATTUNE_TESTS_COMMON_FILES_H_

#include <string>
#include <string_view>

#include "base/bytes.h"

namespace attune::test_common {

// A fresh directory from mkdtemp under $TMPDIR (else the system's temporary directory), named
// after `prefix`. The destructor removes it with everything inside, even parts a test made
// unreadable. Aborts the test binary if the directory cannot be made. Not copyable.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "attune_test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// Whole file contents; empty if the file does not exist or cannot be read.
Bytes ReadFileBytes(const std::string& path);
// Replaces the file's contents with `bytes`, creating it if needed.
void WriteFileBytes(const std::string& path, ByteSpan bytes);
// True if anything (file, directory, socket) is at `path`.
bool FileExists(const std::string& path);
// Permission bits (mode & 0777), or -1 if nothing is there.
int FileMode(const std::string& path);
// True if `needle` occurs anywhere in `haystack`.
bool BytesContain(const Bytes& haystack, std::string_view needle);

}  // namespace attune::test_common

#endif  // ATTUNE_TESTS_COMMON_FILES_H_
