#include "node/entry_codec.h"
#include "node/bounded_json.h"

#include "base/utf8.h"
#include "crypto/aead.h"
#include "node/kinds.h"
#include "node/text_and_details.h"

namespace attune::node {
namespace {

using nlohmann::json;

// Two body formats, both read; SealEntry writes format 2.
//   1: one JSON object {"v": 1, "text", "fields", "tags", "links"} (the first byte is '{').
//   2: text then details (node/text_and_details.h), the details {"fields", "tags", "links"}.
//      Reading 10,000 entries spent most of its time lexing JSON-escaped text.
constexpr int kBodyFormat1 = 1;

Status NotOurs() {
  return Status::Corruption("entry body is not in a known format");
}

// Fields, tags and links from `details`; the types are checked, as value() would throw.
Status ReadDetails(const json& details, Entry& entry) {
  if (!details.is_object()) return NotOurs();
  const auto fields = details.find("fields");
  const auto tags = details.find("tags");
  const auto links = details.find("links");
  if (fields != details.end() && !fields->is_object()) return NotOurs();
  if (tags != details.end() && !tags->is_array()) return NotOurs();
  if (links != details.end() && !links->is_array()) return NotOurs();
  try {
    if (fields != details.end()) entry.fields = *fields;
    if (tags != details.end()) entry.tags = tags->get<std::vector<std::string>>();
    if (links != details.end()) entry.links = links->get<std::vector<std::string>>();
  } catch (const json::exception&) {
    return NotOurs();  // a tag or link that is not a string
  }
  return Status::Ok();
}

Status ReadBodyFormat1(std::string_view plain, Entry& entry) {
  const json body = ParseBoundedJson(plain);
  if (!body.is_object()) return NotOurs();
  const auto version = body.find("v");
  const auto text = body.find("text");
  if (version == body.end() || *version != kBodyFormat1) return NotOurs();
  if (text != body.end()) {
    if (!text->is_string()) return NotOurs();
    entry.text = text->get<std::string>();
  }
  return ReadDetails(body, entry);
}

Status ReadBodyFormat2(std::string_view plain, Entry& entry) {
  const std::optional<TextAndDetails> parts = SplitTextAndDetails(plain);
  if (!parts) return NotOurs();
  entry.text.assign(parts->text);
  return ReadDetails(ParseBoundedJson(parts->details), entry);
}

Status ReadBody(std::string_view plain, Entry& entry) {
  if (IsTextAndDetails(plain)) return ReadBodyFormat2(plain, entry);
  return ReadBodyFormat1(plain, entry);
}

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
  if (!IsValidUtf8(entry.text))
    return Status::InvalidArgument("an entry holds text that is not UTF-8");
  std::string details;
  try {
    details = json{{"fields", entry.fields}, {"tags", entry.tags}, {"links", entry.links}}.dump();
  } catch (const json::type_error&) {
    // dump() throws on a string that is not UTF-8; no exception leaves node.
    return Status::InvalidArgument("an entry holds text that is not UTF-8");
  }
  std::string body = JoinTextAndDetails(entry.text, details);
  crypto::Wipe(details);
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
  Bytes plain;
  ATTUNE_RETURN_IF_ERROR(crypto::aead::OpenInto(
      data_key, row.body, AsBytes(EntryAssociatedData(row.id, row.kind)), plain));
  Entry entry;
  const Status read =
      ReadBody(std::string_view(reinterpret_cast<const char*>(plain.data()), plain.size()), entry);
  crypto::Wipe(plain);
  if (!read.ok()) {
    crypto::Wipe(entry.text);
    return read;
  }
  entry.id = row.id;
  entry.kind = row.kind;
  entry.step = row.step;
  entry.created = {row.created_ms, row.created_offset_min};
  entry.updated = {row.updated_ms, row.updated_offset_min};
  entry.visibility = row.visibility;
  entry.author = row.author;
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
