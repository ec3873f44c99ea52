#include "node/runtime.h"

#include <sys/stat.h>

#include "crypto/sodium.h"

namespace attune::node {

Status InitializeProcess() {
  ::umask(077);
  return crypto::Init();
}

}  // namespace attune::node
