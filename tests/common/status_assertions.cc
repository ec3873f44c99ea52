#include "tests/common/status_assertions.h"

namespace attune::test_common {

std::string CodeName(StatusCode code) {
  return StatusCodeName(code);
}

std::string Describe(const Status& status) {
  return CodeName(status.code()) + ": " + status.detail();
}

std::string FailureText(const Status& status) {
  return status.ok() ? "" : Describe(status);
}

}  // namespace attune::test_common
