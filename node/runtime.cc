#include "node/runtime.h"

#include <sys/stat.h>

#include "crypto/secure_bytes.h"
#include "crypto/sodium.h"
#include "protocol/messages.h"
#include "protocol/session.h"
#include "storage/database.h"

namespace attune::node {

Status InitializeProcess() {
  ::umask(077);
  return crypto::Init();
}

bool SecretsMayReachSwap() {
  return crypto::SecureMemoryLockRefused();
}

std::string LibraryVersions() {
  return "protocol " + std::string(protocol::kLinkProtocolName) + " (" +
         std::string(protocol::kNoiseProtocolName) + ")\n" + "libsodium " +
         std::string(crypto::SodiumVersion()) + ", SQLite " +
         std::string(storage::SqliteVersion()) + ", protobuf " + protocol::ProtobufVersion() + "\n";
}

}  // namespace attune::node
