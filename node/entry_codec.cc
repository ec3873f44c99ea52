#include "node/entry_codec.h"
#include "node/bounded_json.h"

#include "crypto/aead.h"
#include "node/kinds.h"

namespace attune::node {
namespace {

using nlohmann::json;

constexpr int kBodyVersion = 1;

// "attune/entry/v1" NUL id NUL kind: the NULs keep the parts from running into each other.
std::string EntryAssociatedData(const std::string& id, const std::string& kind) {
  std::string ad = "attune/entry/v1";
  ad.push_back('\0');
  ad += id;
  ad.push_back('\0');
  ad += kind;
  return ad;
}

std::string SettingAssociatedData(std::string_view name) {
  std::string ad = "attune/setting/v1";
  ad.push_back('\0');
  ad += name;
  return ad;
}

}  // namespace

Result<storage::EntryRow> SealEntry(const Secret& data_key, const Entry& entry) {
  std::string body;
  try {
    body = json{{"v", kBodyVersion},
                {"text", entry.text},
                {"fields", entry.fields},
                {"tags", entry.tags},
                {"links", entry.links}}
               .dump();
  } catch (const json::type_error&) {
    // dump() throws on a string that is not UTF-8; no exception leaves node.
    return Status::InvalidArgument("an entry holds text that is not UTF-8");
  }
  Result<Bytes> sealed = crypto::aead::Seal(data_key, AsBytes(body),
                                            AsBytes(EntryAssociatedData(entry.id, entry.kind)));
  crypto::Wipe(body);
  if (!sealed.ok()) return sealed.status();

  storage::EntryRow row;
  row.id = entry.id;
  row.kind = entry.kind;
  row.step = entry.step;
  row.created_ms = entry.created.utc_ms;
  row.created_offset_min = entry.created.offset_min;
  row.updated_ms = entry.updated.utc_ms;
  row.updated_offset_min = entry.updated.offset_min;
  row.visibility = entry.visibility;
  row.author = entry.author;
  row.body = std::move(sealed).value();
  return row;
}

Result<Entry> OpenEntry(const Secret& data_key, const storage::EntryRow& row) {
  ATTUNE_ASSIGN_OR_RETURN(
      Secret plain,
      crypto::aead::Open(data_key, row.body, AsBytes(EntryAssociatedData(row.id, row.kind))));
  const json body =
      ParseBoundedJson(std::string_view(reinterpret_cast<const char*>(plain.data()), plain.size()));
  if (!body.is_object() || body.value("v", 0) != kBodyVersion) {
    return Status::Corruption("entry body is not in a known format");
  }
  Entry entry;
  entry.id = row.id;
  entry.kind = row.kind;
  entry.step = row.step;
  entry.created = {row.created_ms, row.created_offset_min};
  entry.updated = {row.updated_ms, row.updated_offset_min};
  entry.visibility = row.visibility;
  entry.author = row.author;
  entry.text = body.value("text", std::string());
  entry.fields = body.value("fields", json::object());
  entry.tags = body.value("tags", std::vector<std::string>());
  entry.links = body.value("links", std::vector<std::string>());
  return entry;
}

Result<Bytes> SealSetting(const Secret& data_key, std::string_view name, std::string_view value) {
  return crypto::aead::Seal(data_key, AsBytes(value), AsBytes(SettingAssociatedData(name)));
}

Result<std::string> OpenSetting(const Secret& data_key, std::string_view name, ByteSpan sealed) {
  ATTUNE_ASSIGN_OR_RETURN(
      Secret plain, crypto::aead::Open(data_key, sealed, AsBytes(SettingAssociatedData(name))));
  return std::string(reinterpret_cast<const char*>(plain.data()), plain.size());
}

Result<Bytes> SealSecretSetting(const Secret& data_key, std::string_view name,
                                const Secret& value) {
  return crypto::aead::Seal(data_key, value.span(), AsBytes(SettingAssociatedData(name)));
}

Result<Secret> OpenSecretSetting(const Secret& data_key, std::string_view name, ByteSpan sealed) {
  return crypto::aead::Open(data_key, sealed, AsBytes(SettingAssociatedData(name)));
}

}  // namespace attune::node
