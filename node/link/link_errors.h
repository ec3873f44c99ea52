// How a failure the protocol reports (a handshake, a session, a pairing) reaches the person at
// the keyboard: versions and a wrong pairing code by node's reasons (node/link.h), a peer's
// bad or tampered bytes as a broken link (kProtocolError), never as damaged data of their own.
#ifndef ATTUNE_NODE_LINK_LINK_ERRORS_H_
#define ATTUNE_NODE_LINK_LINK_ERRORS_H_

#include "base/status.h"

namespace attune::node {

// `status` from protocol/ as the link reports it: protocol's version and code-mismatch reasons
// become LinkReason / PairingReason; kAuthFailed and kCorruption become kProtocolError; anything
// else is returned as it is.
Status AsLinkError(const Status& status);

}  // namespace attune::node

#endif  // ATTUNE_NODE_LINK_LINK_ERRORS_H_
