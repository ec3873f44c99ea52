// The journal's data key and how it is kept.
//
// One random 256-bit data key seals every entry body and every secret in the database. It is
// stored only wrapped: sealed (XChaCha20-Poly1305) under a key-encryption key derived from the
// passphrase with Argon2id, whose parameters and salt sit beside it. Changing the passphrase
// re-wraps the data key; entries are never re-encrypted. A journal made with --no-passphrase
// stores the data key in the clear, and says so.
#ifndef ATTUNE_NODE_KEYRING_H_
#define ATTUNE_NODE_KEYRING_H_

#include <optional>
#include <string>

#include "base/status.h"
#include "node/secret.h"

namespace attune::storage {
class Database;
}

namespace attune::node {

class Keyring {
 public:
  // Makes a new data key and stores it in `db`, wrapped under `passphrase` (or in the clear if
  // nullopt). The caller holds the transaction.
  static Result<Keyring> Create(storage::Database& db, const std::optional<Secret>& passphrase,
                                KdfStrength strength);

  // Unwraps the data key. `ask` is called only if the key is passphrase-protected.
  // kWrongPassphrase if the passphrase does not unwrap it; nothing is written either way.
  static Result<Keyring> Unlock(storage::Database& db, const PassphraseSource& ask);

  // Rebuilds the data key from a recovery code and checks it against the stored key check.
  // kWrongPassphrase if the code is well-formed but belongs to another journal.
  static Result<Keyring> FromRecoveryCode(storage::Database& db, std::string_view code);

  // Re-wraps the data key under a new passphrase (nullopt: store it in the clear).
  Status Rewrap(storage::Database& db, const std::optional<Secret>& passphrase,
                KdfStrength strength);

  const Secret& data_key() const { return data_key_; }
  bool passphrase_protected() const { return passphrase_protected_; }
  Result<std::string> RecoveryCode() const;

 private:
  Keyring(Secret data_key, bool passphrase_protected)
      : data_key_(std::move(data_key)), passphrase_protected_(passphrase_protected) {}

  Secret data_key_;
  bool passphrase_protected_;
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_KEYRING_H_
