// Process-wide set-up that must happen before any journal is opened.
#ifndef ATTUNE_NODE_RUNTIME_H_
#define ATTUNE_NODE_RUNTIME_H_

#include "base/status.h"

namespace attune::node {

// Initializes the crypto library and makes new files private to their owner (umask 077).
// Call once at start-up, before opening any journal.
Status InitializeProcess();

}  // namespace attune::node

#endif  // ATTUNE_NODE_RUNTIME_H_
