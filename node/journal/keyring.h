// The journal's keys and how they are kept.
//
// One random 256-bit data key seals every entry body. It is stored only wrapped: sealed
// (XChaCha20-Poly1305) under a key-encryption key derived from the passphrase with Argon2id,
// whose parameters and salt sit beside it. A journal made with --no-passphrase stores the data
// key in the clear, and every command says so. Changing the passphrase re-wraps the data key;
// `passwd --rekey` replaces it (Journal::Rekey re-seals everything under the new one).
//
// From the data key the record key is derived (keyed BLAKE2b, label "attune/2 journal
// records"): it seals the journal's records other than entries (settings, the outgoing log, the
// sync state), so that no key seals two kinds of thing.
//
// A key check, a known text sealed under the data key, tells whether a key belongs to this
// journal (a recovery code, a re-key in another process). Its label also records the journal's
// format: "attune/key-check/v1" for a journal whose entries bind only id and kind (made before
// format 2, upgraded at the first unlock: journal_upgrade.cc), "attune/key-check/v2" after.
#ifndef ATTUNE_NODE_JOURNAL_KEYRING_H_
#define ATTUNE_NODE_JOURNAL_KEYRING_H_

#include <optional>
#include <string>

#include "base/bytes.h"

#include "base/status.h"
#include "node/secret.h"

namespace attune::storage {
class Database;
}

namespace attune::node {

class Keyring {
 public:
  // Makes a new data key and stores it in `db`, wrapped under `passphrase` (or in the clear if
  // nullopt), with a format-2 key check. The caller holds the transaction.
  static Result<Keyring> Create(storage::Database& db, const std::optional<Secret>& passphrase,
                                KdfStrength strength);

  // Unwraps the data key. `ask` is called only if the key is passphrase-protected.
  //   kAuthFailed       reason kWrongPassphrase: the passphrase does not unwrap it (nothing is
  //                     written either way)
  //   kCorruption       reason kPlainKeyBesideWrapped: an unprotected key beside the wrapped
  //                     one; reason kKeyCheckFailed: the key does not match the key check
  static Result<Keyring> Unlock(storage::Database& db, const PassphraseSource& ask);

  // Rebuilds the data key from a recovery code and checks it against the stored key check.
  // kAuthFailed (reason kRecoveryCodeNotThisJournals) if the code is well-formed but belongs to
  // another journal.
  static Result<Keyring> FromRecoveryCode(storage::Database& db, std::string_view code);
  // Takes a data key held elsewhere (the unlock agent's, a restored backup's) and checks it
  // against the stored key check: kCorruption with reason kKeyCheckFailed if it is not this
  // journal's key (any more).
  static Result<Keyring> FromDataKey(storage::Database& db, Secret data_key);

  // The data key as the passphrase protects it, exactly as stored: the encoded KDF parameters
  // (crypto::EncodeKdfParams) and the wrapped key. A backup carries it in its header, so that
  // the passphrase current when the backup was made opens it.
  struct StoredWrap {
    Bytes kdf_params;
    Bytes wrapped_key;
  };
  // nullopt for a journal without a passphrase; kCorruption if only half of it is there.
  static Result<std::optional<StoredWrap>> ReadWrap(storage::Database& db);
  // The data key inside `wrap`. kCorruption for parameters outside the accepted range;
  // kAuthFailed (reason kWrongPassphrase) if `passphrase` does not unwrap it.
  static Result<Secret> Unwrap(const StoredWrap& wrap, const Secret& passphrase);

  // A new random data key, wrapped under `passphrase` (nullopt: in the clear), with a new
  // format-2 key check, replacing the stored ones. The caller holds the transaction, in which it
  // re-seals everything sealed under the old keys.
  static Result<Keyring> Replace(storage::Database& db, const std::optional<Secret>& passphrase,
                                 KdfStrength strength);

  // Re-wraps the data key under a new passphrase (nullopt: store it in the clear).
  Status Rewrap(storage::Database& db, const std::optional<Secret>& passphrase,
                KdfStrength strength);

  // Whether the stored key check still belongs to this data key: false once another process
  // re-keyed the journal. Cheap (one small value, one decryption).
  Result<bool> StillCurrent(storage::Database& db) const;

  // 1 until the journal is upgraded (MarkFormat2, in the upgrade's transaction), then 2.
  int format() const { return format_; }
  Status MarkFormat2(storage::Database& db);
  // The format the stored key check records now (another process may have upgraded the
  // journal since this Keyring was made); MarkFormat2Seen takes note of such an upgrade.
  Result<int> FormatOnDisk(storage::Database& db) const;
  Status MarkFormat2Seen() {
    format_ = 2;
    return Status::Ok();
  }

  // A second holder of the same keys, for a second connection to the same journal in this
  // process (Journal::OpenAnother). The copy lives in secure memory too and is wiped with it.
  Keyring Copy() const;

  const Secret& data_key() const { return data_key_; }
  const Secret& record_key() const { return record_key_; }
  bool passphrase_protected() const { return passphrase_protected_; }
  Result<std::string> RecoveryCode() const;

 private:
  Keyring(Secret data_key, bool passphrase_protected, int format);

  Secret data_key_;
  Secret record_key_;
  bool passphrase_protected_;
  int format_;
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_KEYRING_H_
