#include "node/runtime.h"

#include <sys/stat.h>

#include "crypto/secure_bytes.h"
#include "crypto/sodium.h"

namespace attune::node {

Status InitializeProcess() {
  ::umask(077);
  return crypto::Init();
}

bool SecretsMayReachSwap() {
  return crypto::SecureMemoryLockRefused();
}

}  // namespace attune::node
