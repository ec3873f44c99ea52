// Secrets as the node API passes them: bytes in libsodium secure memory, wiped when dropped.
#ifndef ATTUNE_NODE_SECRET_H_
#define ATTUNE_NODE_SECRET_H_

#include <functional>
#include <string>

#include "base/status.h"
#include "crypto/password_kdf.h"
#include "crypto/secure_bytes.h"

namespace attune::node {

using Secret = crypto::SecureBytes;
using KdfStrength = crypto::KdfStrength;

// Moves a passphrase out of ordinary memory: copies it into secure memory and wipes `text`.
inline Secret TakeSecret(std::string& text) {
  Secret secret = Secret::CopyOf(AsBytes(text));
  crypto::Wipe(text);
  text.clear();
  return secret;
}

// Overwrites text that held a secret (a recovery code on its way to the screen).
inline void WipeString(std::string& text) {
  crypto::Wipe(text);
  text.clear();
}

// Asked for the passphrase only when the journal needs one (never for --no-passphrase journals),
// so a caller can prompt lazily.
using PassphraseSource = std::function<Result<Secret>()>;

}  // namespace attune::node

#endif  // ATTUNE_NODE_SECRET_H_
