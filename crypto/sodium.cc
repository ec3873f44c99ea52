#include "crypto/sodium.h"

#include <sodium.h>

namespace attune::crypto {

Status Init() {
  // A function-local static is initialised exactly once even under
  // concurrent first calls, so sodium_init() runs once and every caller sees
  // its result. sodium_init() returns 0 on success, 1 if already initialised
  // (e.g. by another library in the process) and -1 on failure.
  static const int result = sodium_init();
  if (result < 0) return Status::Internal("sodium_init failed");
  return Status::Ok();
}

std::string_view SodiumVersion() {
  return sodium_version_string();
}

}  // namespace attune::crypto
