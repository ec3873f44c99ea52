// Writing a whole file that attune makes for the person (an export, a bundle): private to its
// owner, whole or not at all, and never through a name that someone else could have prepared.
#ifndef ATTUNE_NODE_PRIVATE_FILE_H_
#define ATTUNE_NODE_PRIVATE_FILE_H_

#include <string>

#include "base/bytes.h"
#include "base/status.h"

namespace attune::node {

// Node's reasons for a file it was asked to write (the range 500-519 is this file's).
enum class PrivateFileReason {
  kFileExists = 500,    // the target exists and was not to be replaced; it is untouched
  kNoSuchFolder = 501,  // kNotFound: the folder `path` names does not exist; the detail is it
};

enum class ExistingFile { kReplace, kRefuse };

// Writes `data` to `path` with mode 0600. The bytes go first to a new file beside `path` under
// an unpredictable name (PATH.attune-tmp-XXXXXX, created with O_CREAT | O_EXCL, so nothing that
// already exists there, a planted symbolic link included, is ever opened or truncated), are
// flushed to disk, and that file is then moved to `path` in one step: rename() replaces what
// is there (a symbolic link at `path` is replaced, not followed); kRefuse refuses an existing
// name atomically (renameat2 RENAME_NOREPLACE, else link()). The directory is flushed last, so
// the new name survives a crash. On any failure the temporary file is removed and `path` is as
// it was; a process killed midway can leave the temporary file, never a partial `path`.
//
// Errors:
//   kInvalidArgument, reason kFileExists   `path` exists (any kind of file) and `existing` is
//                                          kRefuse
//   kNotFound, reason kNoSuchFolder        the folder of `path` does not exist (the detail is
//                                          the folder)
//   kNoSpace    a full disk, quota or file-size limit
//   kIoError    anything else the system refused (permissions, a read-only disk, a directory at
//               `path`); the detail names `path`
Status WritePrivateFile(const std::string& path, ByteSpan data, ExistingFile existing);

// Gives the finished file `temp` the name `path`, in one step: kReplace replaces what is there
// (rename), kRefuse refuses an existing name atomically (renameat2 RENAME_NOREPLACE, else
// link()). Returns 0 or the errno (EEXIST for an existing name with kRefuse).
int MoveIntoPlace(const std::string& temp, const std::string& path, ExistingFile existing);

// Flushes the folder of `path`, so that a new name in it survives a crash (best effort).
void FlushDirectoryOf(const std::string& path);

// Writes all of `data` to `fd`, going on after short writes and EINTR. Returns 0, or the errno
// that stopped it (for base/system_error.h): a write that crosses a full disk or the file-size
// limit is first cut short, and only the next one fails, with ENOSPC or EFBIG.
int WriteAll(int fd, ByteSpan data);

}  // namespace attune::node

#endif  // ATTUNE_NODE_PRIVATE_FILE_H_
