// The node's long-term link key pair, for node/link's handshakes, pairing and bundles only.
// Callers outside node get the public half (Journal::LinkPublicKey); the secret key never
// leaves node.
#ifndef ATTUNE_NODE_JOURNAL_LINK_IDENTITY_H_
#define ATTUNE_NODE_JOURNAL_LINK_IDENTITY_H_

#include "base/status.h"
#include "crypto/onion.h"
#include "crypto/x25519.h"
#include "node/journal.h"

namespace attune::node {

// The key pair, made and stored sealed on first use (journals made before pairing existed get
// theirs then). kCorruption (reason kRecordDamaged) when a paired journal's key was taken out.
Result<crypto::X25519KeyPair> LinkIdentityOf(Journal& journal);

// The onion service key (published while serve runs) and the key this node's tor presents to
// the partner's onion service, made and stored sealed on first use.
struct OnionKeys {
  crypto::OnionServiceKey service;
  crypto::OnionClientAuthKey client;
};
Result<OnionKeys> OnionKeysOf(Journal& journal);

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_LINK_IDENTITY_H_
