// Journal: the link identity, the partner record and the serve port, all sealed in meta.
#include <charconv>
#include <nlohmann/json.hpp>

#include "node/journal.h"
#include "node/journal/entry_codec.h"
#include "node/journal/journal_backing.h"
#include "node/journal/link_identity.h"
#include "node/link.h"

namespace attune::node {
namespace {

constexpr std::string_view kIdentitySetting = "link.identity";
constexpr std::string_view kPartnerSetting = "link.partner";
constexpr std::string_view kServePortSetting = "link.serve_port";
constexpr std::string_view kTorSetting = "link.tor";  // "on" or "off"; absent: off
// "off", "neutral" or "with-name" (NotifyChoiceName); absent: neutral.
constexpr std::string_view kNotifySetting = "notify.desktop";
constexpr std::string_view kUiIdleLockSetting = "ui.idle_lock_minutes";
// The partner's entries as the person last looked at them: {"id": updated_ms, ...}.
constexpr std::string_view kPartnerSeenSetting = "news.partner_seen";
constexpr int kDefaultUiIdleLockMinutes = 15;
constexpr int kMaxUiIdleLockMinutes = 24 * 60;
// The onion service's ed25519 seed, then the tor client's X25519 secret (issue 17).
constexpr std::string_view kOnionSetting = "link.onion";
constexpr size_t kOnionHalfBytes = 32;

}  // namespace

Result<crypto::X25519KeyPair> LinkIdentityOf(Journal& journal) {
  return journal.LinkIdentity();
}

Result<OnionKeys> OnionKeysOf(Journal& journal) {
  ATTUNE_ASSIGN_OR_RETURN(Secret secrets, journal.OnionSecrets());
  Result<crypto::OnionServiceKey> service =
      crypto::OnionServiceKey::FromSeed(Secret::CopyOf(ByteSpan(secrets.data(), kOnionHalfBytes)));
  Result<crypto::OnionClientAuthKey> client = crypto::OnionClientAuthKey::FromSecret(
      Secret::CopyOf(ByteSpan(secrets.data() + kOnionHalfBytes, kOnionHalfBytes)));
  if (!service.ok() || !client.ok()) {
    return journal.RecordDamaged(kOnionSetting, Status::Corruption("not valid onion keys"));
  }
  return OnionKeys{std::move(service).value(), std::move(client).value()};
}

Result<OnionContact> Journal::OwnOnionContact() {
  ATTUNE_ASSIGN_OR_RETURN(OnionKeys keys, OnionKeysOf(*this));
  return OnionContact{crypto::OnionAddress(keys.service.public_key()), keys.client.public_key()};
}

Result<Secret> Journal::OnionSecrets() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Secret> stored, GetSecretRecord(kOnionSetting));
  if (!stored) {
    // A partner told the address of these keys knows no other: new ones would cut the onion
    // path for good, so their absence is damage (as for the link identity).
    ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, GetPartner());
    if (partner && partner->told_own_onion) {
      return RecordDamaged(kOnionSetting, Status::Corruption("the onion keys are gone"));
    }
    // First use: make them, unless another attune process made them since we looked.
    ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
    ATTUNE_ASSIGN_OR_RETURN(stored, GetSecretRecord(kOnionSetting));
    if (!stored) {
      const crypto::OnionServiceKey service = crypto::OnionServiceKey::Generate();
      const crypto::OnionClientAuthKey client = crypto::OnionClientAuthKey::Generate();
      Secret made(2 * kOnionHalfBytes);
      std::copy(service.seed().data(), service.seed().data() + kOnionHalfBytes, made.data());
      std::copy(client.secret().data(), client.secret().data() + kOnionHalfBytes,
                made.data() + kOnionHalfBytes);
      ATTUNE_RETURN_IF_ERROR(PutSecretRecord(kOnionSetting, made));
      ATTUNE_RETURN_IF_ERROR(txn.Commit());
      stored = std::move(made);
    }
  }
  if (stored->size() != 2 * kOnionHalfBytes) {
    return RecordDamaged(kOnionSetting, Status::Corruption("the onion keys have a wrong size"));
  }
  return std::move(*stored);
}

Result<crypto::X25519PublicKey> Journal::LinkPublicKey() {
  ATTUNE_ASSIGN_OR_RETURN(crypto::X25519KeyPair identity, LinkIdentity());
  return identity.public_key;
}

Result<crypto::X25519KeyPair> Journal::LinkIdentity() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<crypto::X25519KeyPair> stored, StoredLinkIdentity());
  if (stored) return std::move(*stored);
  // Pairing needs the identity, so a paired journal without one had it taken out of the file: a
  // new one would end the pairing for good (the partner knows only the old key).
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> partner, db().GetMeta(kPartnerSetting));
  if (partner) {
    damage_->records.insert(std::string(kIdentitySetting));
    return Status::Corruption(std::string(kIdentitySetting))
        .WithReason(JournalReason::kRecordDamaged);
  }
  // First use: make one, unless another attune process made one since we looked.
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(stored, StoredLinkIdentity());
  if (stored) return std::move(*stored);
  crypto::X25519KeyPair pair = crypto::GenerateX25519KeyPair();
  ATTUNE_RETURN_IF_ERROR(PutSecretRecord(kIdentitySetting, pair.secret));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return pair;
}

Result<std::optional<crypto::X25519KeyPair>> Journal::StoredLinkIdentity() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Secret> secret, GetSecretRecord(kIdentitySetting));
  if (!secret) return std::optional<crypto::X25519KeyPair>();
  ATTUNE_ASSIGN_OR_RETURN(crypto::X25519KeyPair pair,
                          crypto::X25519KeyPairFromSecret(std::move(*secret)));
  return std::optional<crypto::X25519KeyPair>(std::move(pair));
}

Result<std::optional<Partner>> Journal::GetPartner() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> json, GetRecord(kPartnerSetting));
  if (!json) return std::optional<Partner>();
  ATTUNE_ASSIGN_OR_RETURN(Partner partner, PartnerFromJson(*json));
  return std::optional<Partner>(std::move(partner));
}

Status Journal::SavePartner(const Partner& partner, bool replace) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> existing, db().GetMeta(kPartnerSetting));
  if (existing && !replace) {
    return Status::AlreadyExists("").WithReason(PairingReason::kAlreadyPaired);
  }
  // What was shared before pairing is for this partner; a log kept for anyone else is not.
  // (Updating the same partner's address or contact time leaves the log alone.)
  std::optional<Partner> stored;
  if (existing) {
    ATTUNE_ASSIGN_OR_RETURN(stored, GetPartner());
  }
  if (!stored || stored->public_key != partner.public_key) {
    ATTUNE_RETURN_IF_ERROR(BindLogTo(partner.public_key).status());
  }
  ATTUNE_RETURN_IF_ERROR(PutRecord(kPartnerSetting, PartnerToJson(partner)));
  return txn.Commit();
}

Status Journal::ForgetPartnerRecord() {
  // The partner's key and address are in a row that secure_delete overwrites; Unpair
  // checkpoints the WAL copy away after its transaction.
  Status deleted = db().DeleteMeta(kPartnerSetting);
  if (deleted.code() == StatusCode::kNotFound) {
    return Status::NotFound("no partner").WithReason(JournalReason::kNotPaired);
  }
  return deleted;
}

Result<uint16_t> Journal::ServePort() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> stored, GetRecord(kServePortSetting));
  if (!stored) return kDefaultServePort;
  uint16_t port = 0;
  const char* begin = stored->data();
  auto [end, error] = std::from_chars(begin, begin + stored->size(), port);
  if (error != std::errc() || end != begin + stored->size() || port == 0) {
    return Status::Corruption(std::string(kServePortSetting))
        .WithReason(JournalReason::kRecordDamaged);
  }
  return port;
}

Status Journal::SetServePort(uint16_t port) {
  if (port == 0) return Status::InvalidArgument("the serve port must be 1-65535");
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_RETURN_IF_ERROR(PutRecord(kServePortSetting, std::to_string(port)));
  return txn.Commit();
}

Result<int> Journal::UiIdleLockMinutes() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> stored, GetRecord(kUiIdleLockSetting));
  if (!stored) return kDefaultUiIdleLockMinutes;
  int minutes = 0;
  const char* begin = stored->data();
  auto [end, error] = std::from_chars(begin, begin + stored->size(), minutes);
  if (error != std::errc() || end != begin + stored->size() || minutes < 1 ||
      minutes > kMaxUiIdleLockMinutes) {
    return Status::Corruption(std::string(kUiIdleLockSetting))
        .WithReason(JournalReason::kRecordDamaged);
  }
  return minutes;
}

Status Journal::SetUiIdleLockMinutes(int minutes) {
  if (minutes < 1 || minutes > kMaxUiIdleLockMinutes) {
    return Status::InvalidArgument("the idle lock is 1 to 1440 minutes");
  }
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_RETURN_IF_ERROR(PutRecord(kUiIdleLockSetting, std::to_string(minutes)));
  return txn.Commit();
}

namespace {

// The last look as stored ({} before the first), or a discarded value if it does not parse.
nlohmann::json ParsePartnerSeen(const std::optional<std::string>& stored) {
  return stored ? nlohmann::json::parse(*stored, nullptr, /*allow_exceptions=*/false)
                : nlohmann::json::object();
}

}  // namespace

Result<std::set<std::string>> Journal::PartnerNews(const std::vector<Entry>& partner_entries) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> stored, GetRecord(kPartnerSeenSetting));
  const nlohmann::json seen = ParsePartnerSeen(stored);
  if (!seen.is_object()) {
    return Status::Corruption(std::string(kPartnerSeenSetting))
        .WithReason(JournalReason::kRecordDamaged);
  }
  std::set<std::string> news;
  for (const Entry& entry : partner_entries) {
    if (entry.author != Author::kPartner) continue;
    const auto version = seen.find(entry.id);
    if (version == seen.end() || !version->is_number_integer() ||
        version->get<int64_t>() != entry.updated.utc_ms) {
      news.insert(entry.id);
    }
  }
  return news;
}

Status Journal::MarkPartnerSeen(const std::vector<Entry>& partner_entries) {
  // Merged into the last look, so that a filtered listing marks only what it showed.
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> stored, GetRecord(kPartnerSeenSetting));
  nlohmann::json seen = ParsePartnerSeen(stored);
  if (!seen.is_object()) seen = nlohmann::json::object();  // a damaged look is started anew
  for (const Entry& entry : partner_entries) {
    if (entry.author == Author::kPartner) seen[entry.id] = entry.updated.utc_ms;
  }
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_RETURN_IF_ERROR(PutRecord(kPartnerSeenSetting, seen.dump()));
  return txn.Commit();
}

Result<bool> Journal::TorEnabled() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> stored, GetRecord(kTorSetting));
  if (!stored) return false;
  if (*stored != "on" && *stored != "off") {
    return RecordDamaged(kTorSetting, Status::Corruption("neither on nor off"));
  }
  return *stored == "on";
}

Status Journal::SetTorEnabled(bool enabled) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_RETURN_IF_ERROR(PutRecord(kTorSetting, enabled ? "on" : "off"));
  return txn.Commit();
}

Result<NotifyChoice> Journal::DesktopNotifyChoice() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> stored, GetRecord(kNotifySetting));
  if (!stored) return NotifyChoice::kNeutral;
  const std::optional<NotifyChoice> choice = ParseNotifyChoice(*stored);
  if (!choice) return RecordDamaged(kNotifySetting, Status::Corruption("not a notify choice"));
  return *choice;
}

Status Journal::SetDesktopNotifyChoice(NotifyChoice choice) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_RETURN_IF_ERROR(PutRecord(kNotifySetting, NotifyChoiceName(choice)));
  return txn.Commit();
}

}  // namespace attune::node
