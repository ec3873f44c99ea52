// Process-wide set-up that must happen before any journal is opened.
#ifndef ATTUNE_NODE_RUNTIME_H_
#define ATTUNE_NODE_RUNTIME_H_

#include <string>

#include "base/status.h"

namespace attune::node {

// Initializes the crypto library and makes new files private to their owner (umask 077).
// Call once at start-up, before opening any journal.
Status InitializeProcess();

// True if the system refused to lock some of this process's secret memory (keys, passphrases,
// decrypted text) into RAM, because RLIMIT_MEMLOCK is too low: that memory could be written to
// swap. Meaningful at any time after InitializeProcess(); thread-safe.
bool SecretsMayReachSwap();

// What `attune --version` reports beyond attune's own version, one line each: the wire
// protocol, and the libsodium, SQLite and protobuf libraries this process runs with.
std::string LibraryVersions();

}  // namespace attune::node

#endif  // ATTUNE_NODE_RUNTIME_H_
