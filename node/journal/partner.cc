#include "node/partner.h"
#include "node/journal/bounded_json.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "crypto/onion.h"
#include "node/entry.h"

namespace attune::node {

std::string PartnerToJson(const Partner& partner) {
  nlohmann::json json = {
      {"public_key", ToHex({partner.public_key.data(), partner.public_key.size()})},
      {"display_name", partner.display_name},
      {"paired_at", FormatRfc3339(partner.paired_at)},
      {"last_address", partner.last_address},
  };
  if (partner.last_contact) json["last_contact"] = FormatRfc3339(*partner.last_contact);
  if (partner.told_own_onion) json["told_own_onion"] = true;
  if (partner.onion) {
    json["onion_address"] = partner.onion->address;
    json["onion_client_key"] =
        ToHex({partner.onion->client_key.data(), partner.onion->client_key.size()});
  }
  return json.dump();
}

Result<Partner> PartnerFromJson(const std::string& text) {
  const nlohmann::json json = ParseBoundedJson(text);
  const Status bad = Status::Corruption("the stored partner record is malformed");
  if (!json.is_object()) return bad;
  auto text_field = [&](const char* name) -> const std::string* {
    auto found = json.find(name);
    return found != json.end() && found->is_string() ? found->get_ptr<const std::string*>()
                                                     : nullptr;
  };
  const std::string* key_hex = text_field("public_key");
  const std::string* name = text_field("display_name");
  const std::string* paired = text_field("paired_at");
  const std::string* address = text_field("last_address");
  if (!key_hex || !name || !paired || !address) return bad;
  std::optional<Bytes> key = FromHex(*key_hex);
  if (!key || key->size() != crypto::kX25519PublicBytes) return bad;

  Partner partner;
  std::copy(key->begin(), key->end(), partner.public_key.begin());
  partner.display_name = *name;
  partner.last_address = *address;
  Result<Timestamp> paired_at = ParseRfc3339(*paired);
  if (!paired_at.ok()) return bad;
  partner.paired_at = *paired_at;
  if (const std::string* contact = text_field("last_contact")) {
    Result<Timestamp> at = ParseRfc3339(*contact);
    if (!at.ok()) return bad;
    partner.last_contact = *at;
  }
  if (auto told = json.find("told_own_onion"); told != json.end()) {
    if (!told->is_boolean()) return bad;
    partner.told_own_onion = told->get<bool>();
  }
  const std::string* onion_address = text_field("onion_address");
  const std::string* onion_key_hex = text_field("onion_client_key");
  if ((onion_address == nullptr) != (onion_key_hex == nullptr)) return bad;
  if (onion_address != nullptr) {
    std::optional<Bytes> onion_key = FromHex(*onion_key_hex);
    Result<crypto::Ed25519PublicKey> service = crypto::ParseOnionAddress(*onion_address);
    if (!onion_key || onion_key->size() != crypto::kX25519PublicBytes || !service.ok() ||
        crypto::OnionAddress(*service) != *onion_address) {
      return bad;
    }
    partner.onion.emplace();
    partner.onion->address = *onion_address;
    std::copy(onion_key->begin(), onion_key->end(), partner.onion->client_key.begin());
  }
  return partner;
}

}  // namespace attune::node
