#include "node/keyring.h"

#include "crypto/aead.h"
#include "crypto/random.h"
#include "crypto/recovery_code.h"
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
constexpr std::string_view kCheckAd = "attune/key-check/v1";
constexpr std::string_view kCheckText = "attune key check";

// Absent is as good as deleted here: switching key protection may find either form stored.
Status EraseMeta(storage::Database& db, std::string_view key) {
  Status erased = db.DeleteMeta(key);
  return erased.code() == StatusCode::kNotFound ? Status::Ok() : erased;
}

Status StoreKeyCheck(storage::Database& db, const Secret& data_key) {
  ATTUNE_ASSIGN_OR_RETURN(Bytes check,
                          crypto::aead::Seal(data_key, AsBytes(kCheckText), AsBytes(kCheckAd)));
  return db.PutMeta(kKeyCheckKey, check);
}

// True if `data_key` opens the stored key check, i.e. belongs to this journal.
Result<bool> MatchesKeyCheck(storage::Database& db, const Secret& data_key) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> check, db.GetMeta(kKeyCheckKey));
  if (!check) return Status::Corruption("key check is missing");
  return crypto::aead::Open(data_key, *check, AsBytes(kCheckAd)).ok();
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

Result<Keyring> Keyring::Create(storage::Database& db, const std::optional<Secret>& passphrase,
                                KdfStrength strength) {
  Secret data_key = crypto::RandomSecret(crypto::aead::kKeyBytes);
  ATTUNE_RETURN_IF_ERROR(StoreWrapped(db, data_key, passphrase, strength));
  ATTUNE_RETURN_IF_ERROR(StoreKeyCheck(db, data_key));
  return Keyring(std::move(data_key), passphrase.has_value());
}

Result<Keyring> Keyring::Unlock(storage::Database& db, const PassphraseSource& ask) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> plain, db.GetMeta(kPlainKeyKey));
  if (plain) {
    if (plain->size() != crypto::aead::kKeyBytes)
      return Status::Corruption("stored key has wrong size");
    return Keyring(Secret::CopyOf(*plain), false);
  }
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> encoded_params, db.GetMeta(kKdfParamsKey));
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> wrapped, db.GetMeta(kWrappedKeyKey));
  if (!encoded_params || !wrapped) return Status::Corruption("the wrapped data key is missing");
  ATTUNE_ASSIGN_OR_RETURN(crypto::KdfParams params, crypto::DecodeKdfParams(*encoded_params));
  ATTUNE_ASSIGN_OR_RETURN(Secret passphrase, ask());
  ATTUNE_ASSIGN_OR_RETURN(Secret kek, crypto::DeriveKey(passphrase, params));
  Result<Secret> data_key = crypto::aead::Open(kek, *wrapped, AsBytes(kWrapAd));
  if (!data_key.ok()) {
    if (data_key.status().code() == StatusCode::kAuthFailed) {
      return Status::WrongPassphrase("the passphrase does not unlock this journal");
    }
    return data_key.status();
  }
  return Keyring(std::move(data_key).value(), true);
}

Result<Keyring> Keyring::FromRecoveryCode(storage::Database& db, std::string_view code) {
  ATTUNE_ASSIGN_OR_RETURN(Secret data_key, crypto::DecodeRecoveryCode(code));
  ATTUNE_ASSIGN_OR_RETURN(bool matches, MatchesKeyCheck(db, data_key));
  if (!matches) return Status::WrongPassphrase("this recovery code belongs to another journal");
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> plain, db.GetMeta(kPlainKeyKey));
  return Keyring(std::move(data_key), !plain.has_value());
}

Status Keyring::Rewrap(storage::Database& db, const std::optional<Secret>& passphrase,
                       KdfStrength strength) {
  ATTUNE_RETURN_IF_ERROR(StoreWrapped(db, data_key_, passphrase, strength));
  passphrase_protected_ = passphrase.has_value();
  return Status::Ok();
}

Result<std::string> Keyring::RecoveryCode() const {
  return crypto::EncodeRecoveryCode(data_key_);
}

}  // namespace attune::node
