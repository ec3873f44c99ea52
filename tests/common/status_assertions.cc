#include "tests/common/status_assertions.h"

namespace attune::test_common {

std::string CodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "kOk";
    case StatusCode::kInvalidArgument:
      return "kInvalidArgument";
    case StatusCode::kNotFound:
      return "kNotFound";
    case StatusCode::kAlreadyExists:
      return "kAlreadyExists";
    case StatusCode::kAuthFailed:
      return "kAuthFailed";
    case StatusCode::kCorruption:
      return "kCorruption";
    case StatusCode::kUnsupported:
      return "kUnsupported";
    case StatusCode::kBusy:
      return "kBusy";
    case StatusCode::kIoError:
      return "kIoError";
    case StatusCode::kCancelled:
      return "kCancelled";
    case StatusCode::kInternal:
      return "kInternal";
    case StatusCode::kUnknownPeer:
      return "kUnknownPeer";
    case StatusCode::kUnreachable:
      return "kUnreachable";
    case StatusCode::kTimedOut:
      return "kTimedOut";
    case StatusCode::kProtocolError:
      return "kProtocolError";
    case StatusCode::kNoSpace:
      return "kNoSpace";
  }
  return "unknown code " + std::to_string(static_cast<int>(code));
}

std::string Describe(const Status& status) {
  return CodeName(status.code()) + ": " + status.detail();
}

std::string FailureText(const Status& status) {
  return status.ok() ? "" : Describe(status);
}

}  // namespace attune::test_common
