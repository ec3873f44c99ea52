// Turning a failed system call's errno into a Status. Used wherever attune writes files itself
// (the database file, the home, exports, the editor's file), so that a full disk is told apart
// from other refusals everywhere.
#ifndef ATTUNE_BASE_SYSTEM_ERROR_H_
#define ATTUNE_BASE_SYSTEM_ERROR_H_

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "base/status.h"

namespace attune {

// True for the errno values that mean "no room to write": the file system is full (ENOSPC),
// the user's quota is (EDQUOT), or the file may grow no further (EFBIG: the file-size limit).
inline bool IsOutOfSpace(int err) {
  return err == ENOSPC || err == EDQUOT || err == EFBIG;
}

// kNoSpace for IsOutOfSpace(err), else kIoError; the detail is "<action>: <the system's text>".
// Callers keep paths out of `action` where they may name a person.
inline Status SystemErrorStatus(int err, std::string_view action) {
  std::string detail(action);
  detail += ": ";
  detail += std::strerror(err);
  return IsOutOfSpace(err) ? Status::NoSpace(std::move(detail))
                           : Status::IoError(std::move(detail));
}

}  // namespace attune

#endif  // ATTUNE_BASE_SYSTEM_ERROR_H_
