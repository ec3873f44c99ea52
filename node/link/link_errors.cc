#include "node/link/link_errors.h"

#include "node/link.h"
#include "protocol/messages.h"
#include "protocol/pairing.h"

namespace attune::node {

Status AsLinkError(const Status& status) {
  if (status.Is(protocol::ProtocolReason::kPeerOlder)) {
    return Status::Unsupported("an attune/1 handshake").WithReason(LinkReason::kPeerOlder);
  }
  if (status.Is(protocol::ProtocolReason::kPeerNewer)) {
    return Status::Unsupported(status.detail()).WithReason(LinkReason::kPeerNewer);
  }
  if (status.Is(protocol::PairingReason::kPeerOlder)) {
    return status.WithReason(PairingReason::kPartnerOlder);
  }
  if (status.Is(protocol::PairingReason::kPeerNewer)) {
    return status.WithReason(PairingReason::kPartnerNewer);
  }
  if (status.Is(protocol::PairingReason::kCodeMismatch)) {
    return status.WithReason(PairingReason::kCodeMismatch);
  }
  switch (status.code()) {
    case StatusCode::kAuthFailed:
    case StatusCode::kCorruption:
      return Status::ProtocolError(status.detail());
    default:
      return status;
  }
}

}  // namespace attune::node
