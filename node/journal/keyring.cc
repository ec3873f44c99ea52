#include "node/journal/keyring.h"

#include "crypto/aead.h"
#include "crypto/keyed_hash.h"
#include "crypto/random.h"
#include "crypto/recovery_code.h"
#include "node/journal_reason.h"
#include "storage/database.h"

namespace attune::node {
namespace {

// Meta keys. The associated data of each sealed value names what it is, so one sealed value
// cannot be passed off as another.
constexpr std::string_view kKdfParamsKey = "key.kdf";
constexpr std::string_view kWrappedKeyKey = "key.wrapped";
constexpr std::string_view kPlainKeyKey = "key.plain";
constexpr std::string_view kKeyCheckKey = "key.check";
constexpr std::string_view kWrapAd = "attune/data-key/v1";
constexpr std::string_view kCheckAdFormat1 = "attune/key-check/v1";
constexpr std::string_view kCheckAdFormat2 = "attune/key-check/v2";
constexpr std::string_view kCheckText = "attune key check";
constexpr std::string_view kRecordKeyLabel = "attune/2 journal records";

// Absent is as good as deleted here: switching key protection may find either form stored.
Status EraseMeta(storage::Database& db, std::string_view key) {
  Status erased = db.DeleteMeta(key);
  return erased.code() == StatusCode::kNotFound ? Status::Ok() : erased;
}

Status StoreKeyCheck(storage::Database& db, const Secret& data_key) {
  ATTUNE_ASSIGN_OR_RETURN(
      Bytes check, crypto::aead::Seal(data_key, AsBytes(kCheckText), AsBytes(kCheckAdFormat2)));
  return db.PutMeta(kKeyCheckKey, check);
}

// The journal format the stored key check records for `data_key`: 2, 1, or 0 if the key does
// not open it (another journal's key, or a changed check).
Result<int> CheckedFormat(storage::Database& db, const Secret& data_key) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> check, db.GetMeta(kKeyCheckKey));
  if (!check) {
    return Status::Corruption("the key check is missing")
        .WithReason(JournalReason::kKeyCheckFailed);
  }
  if (crypto::aead::Open(data_key, *check, AsBytes(kCheckAdFormat2)).ok()) return 2;
  if (crypto::aead::Open(data_key, *check, AsBytes(kCheckAdFormat1)).ok()) return 1;
  return 0;
}

Status StoreWrapped(storage::Database& db, const Secret& data_key,
                    const std::optional<Secret>& passphrase, KdfStrength strength) {
  if (!passphrase) {
    ATTUNE_RETURN_IF_ERROR(EraseMeta(db, kKdfParamsKey));
    ATTUNE_RETURN_IF_ERROR(EraseMeta(db, kWrappedKeyKey));
    return db.PutMeta(kPlainKeyKey, data_key.span());
  }
  const crypto::KdfParams params = crypto::NewKdfParams(strength);
  ATTUNE_ASSIGN_OR_RETURN(Secret kek, crypto::DeriveKey(*passphrase, params));
  ATTUNE_ASSIGN_OR_RETURN(Bytes wrapped,
                          crypto::aead::Seal(kek, data_key.span(), AsBytes(kWrapAd)));
  ATTUNE_RETURN_IF_ERROR(db.PutMeta(kKdfParamsKey, crypto::EncodeKdfParams(params)));
  ATTUNE_RETURN_IF_ERROR(db.PutMeta(kWrappedKeyKey, wrapped));
  return EraseMeta(db, kPlainKeyKey);
}

}  // namespace

Keyring Keyring::Copy() const {
  return Keyring(Secret::CopyOf(data_key_.span()), passphrase_protected_, format_);
}

Keyring::Keyring(Secret data_key, bool passphrase_protected, int format)
    : data_key_(std::move(data_key)),
      record_key_(crypto::DeriveSubkey(data_key_, kRecordKeyLabel, crypto::aead::kKeyBytes)),
      passphrase_protected_(passphrase_protected),
      format_(format) {}

Result<Keyring> Keyring::Create(storage::Database& db, const std::optional<Secret>& passphrase,
                                KdfStrength strength) {
  Secret data_key = crypto::RandomSecret(crypto::aead::kKeyBytes);
  ATTUNE_RETURN_IF_ERROR(StoreWrapped(db, data_key, passphrase, strength));
  ATTUNE_RETURN_IF_ERROR(StoreKeyCheck(db, data_key));
  return Keyring(std::move(data_key), passphrase.has_value(), 2);
}

Result<Keyring> Keyring::Unlock(storage::Database& db, const PassphraseSource& ask) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> plain, db.GetMeta(kPlainKeyKey));
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> wrapped, db.GetMeta(kWrappedKeyKey));
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> params, db.GetMeta(kKdfParamsKey));
  // attune removes the other form whenever it writes one: both at once means the file was
  // changed to switch the passphrase off (new entries would be sealed under a planted key).
  if (plain && (wrapped || params)) {
    return Status::Corruption("an unprotected key beside the protected one")
        .WithReason(JournalReason::kPlainKeyBesideWrapped);
  }
  Secret data_key;
  if (plain) {
    if (plain->size() != crypto::aead::kKeyBytes) {
      return Status::Corruption("stored key has wrong size")
          .WithReason(JournalReason::kKeyCheckFailed);
    }
    data_key = Secret::CopyOf(*plain);
  } else {
    ATTUNE_ASSIGN_OR_RETURN(std::optional<StoredWrap> wrap, ReadWrap(db));
    if (!wrap) return Status::Corruption("the wrapped data key is missing");
    ATTUNE_ASSIGN_OR_RETURN(Secret passphrase, ask());
    ATTUNE_ASSIGN_OR_RETURN(data_key, Unwrap(*wrap, passphrase));
  }
  ATTUNE_ASSIGN_OR_RETURN(int format, CheckedFormat(db, data_key));
  if (format == 0) {
    return Status::Corruption("the key does not match the key check")
        .WithReason(JournalReason::kKeyCheckFailed);
  }
  return Keyring(std::move(data_key), !plain.has_value(), format);
}

Result<Keyring> Keyring::FromRecoveryCode(storage::Database& db, std::string_view code) {
  ATTUNE_ASSIGN_OR_RETURN(Secret data_key, crypto::DecodeRecoveryCode(code));
  Result<Keyring> keyring = FromDataKey(db, std::move(data_key));
  if (keyring.status().Is(JournalReason::kKeyCheckFailed)) {
    return Status::AuthFailed("recovery code not this journal's")
        .WithReason(JournalReason::kRecoveryCodeNotThisJournals);
  }
  return keyring;
}

Result<Keyring> Keyring::FromDataKey(storage::Database& db, Secret data_key) {
  ATTUNE_ASSIGN_OR_RETURN(int format, CheckedFormat(db, data_key));
  if (format == 0) {
    return Status::Corruption("the key does not match the key check")
        .WithReason(JournalReason::kKeyCheckFailed);
  }
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> plain, db.GetMeta(kPlainKeyKey));
  return Keyring(std::move(data_key), !plain.has_value(), format);
}

Result<std::optional<Keyring::StoredWrap>> Keyring::ReadWrap(storage::Database& db) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> params, db.GetMeta(kKdfParamsKey));
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> wrapped, db.GetMeta(kWrappedKeyKey));
  if (!params && !wrapped) return std::optional<StoredWrap>();
  if (!params || !wrapped) return Status::Corruption("the wrapped data key is missing");
  return std::optional<StoredWrap>(StoredWrap{std::move(*params), std::move(*wrapped)});
}

Result<Secret> Keyring::Unwrap(const StoredWrap& wrap, const Secret& passphrase) {
  ATTUNE_ASSIGN_OR_RETURN(crypto::KdfParams params, crypto::DecodeKdfParams(wrap.kdf_params));
  ATTUNE_ASSIGN_OR_RETURN(Secret kek, crypto::DeriveKey(passphrase, params));
  Result<Secret> data_key = crypto::aead::Open(kek, wrap.wrapped_key, AsBytes(kWrapAd));
  if (!data_key.ok() && data_key.status().code() == StatusCode::kAuthFailed) {
    return Status::AuthFailed("the passphrase does not unlock this journal")
        .WithReason(JournalReason::kWrongPassphrase);
  }
  return data_key;
}

Result<Keyring> Keyring::Replace(storage::Database& db, const std::optional<Secret>& passphrase,
                                 KdfStrength strength) {
  return Create(db, passphrase, strength);
}

Status Keyring::Rewrap(storage::Database& db, const std::optional<Secret>& passphrase,
                       KdfStrength strength) {
  ATTUNE_RETURN_IF_ERROR(StoreWrapped(db, data_key_, passphrase, strength));
  passphrase_protected_ = passphrase.has_value();
  return Status::Ok();
}

Result<bool> Keyring::StillCurrent(storage::Database& db) const {
  ATTUNE_ASSIGN_OR_RETURN(int format, CheckedFormat(db, data_key_));
  return format != 0;
}

Result<int> Keyring::FormatOnDisk(storage::Database& db) const {
  return CheckedFormat(db, data_key_);
}

Status Keyring::MarkFormat2(storage::Database& db) {
  ATTUNE_RETURN_IF_ERROR(StoreKeyCheck(db, data_key_));
  format_ = 2;
  return Status::Ok();
}

Result<std::string> Keyring::RecoveryCode() const {
  return crypto::EncodeRecoveryCode(data_key_);
}

}  // namespace attune::node
