#include "node/journal/entry_codec.h"

#include "base/utf8.h"
#include "crypto/aead.h"
#include "crypto/secure_bytes.h"
#include "node/journal/bounded_json.h"
#include "node/journal/text_and_details.h"
#include "steps/kinds.h"

namespace attune::node {
namespace {

using nlohmann::json;

// Two body layouts, both read; SealEntry writes layout 2.
//   1: one JSON object {"v": 1, "text", "fields", "tags", "links"} (the first byte is '{').
//   2: text then details (node/text_and_details.h), the details {"fields", "tags", "links",
//      "share", "trashed"} ("trashed": {"ms", "offset"}, only for an entry in the trash). Reading
//      10,000 entries spent most of its time lexing JSON-escaped text.
constexpr int kBodyLayout1 = 1;

Status NotOurs() {
  return Status::Corruption("entry body is not in a known format");
}

Status ReadShareState(const json& share, ShareState& state) {
  if (!share.is_object()) return NotOurs();
  const auto seq = share.find("seq");
  const auto answers = share.find("answers");
  if (seq != share.end()) {
    if (!seq->is_number_integer() || seq->get<int64_t>() < 0) return NotOurs();
    state.log_seq = seq->get<int64_t>();
  }
  if (answers != share.end()) {
    if (!answers->is_boolean()) return NotOurs();
    state.with_answers = answers->get<bool>();
  }
  return Status::Ok();
}

Status ReadTrashed(const json& trashed, Entry& entry) {
  if (!trashed.is_object()) return NotOurs();
  const auto ms = trashed.find("ms");
  const auto offset = trashed.find("offset");
  if (ms == trashed.end() || !ms->is_number_integer() || offset == trashed.end() ||
      !offset->is_number_integer()) {
    return NotOurs();
  }
  const int64_t minutes = offset->get<int64_t>();
  if (minutes < -24 * 60 || minutes > 24 * 60) return NotOurs();
  entry.trashed = Timestamp{ms->get<int64_t>(), static_cast<int32_t>(minutes)};
  return Status::Ok();
}

// Fields, tags, links, share and trash state from `details`; the types are checked, as value()
// would throw.
Status ReadDetails(const json& details, Entry& entry) {
  if (!details.is_object()) return NotOurs();
  const auto fields = details.find("fields");
  const auto tags = details.find("tags");
  const auto links = details.find("links");
  const auto share = details.find("share");
  const auto trashed = details.find("trashed");
  if (fields != details.end() && !fields->is_object()) return NotOurs();
  if (tags != details.end() && !tags->is_array()) return NotOurs();
  if (links != details.end() && !links->is_array()) return NotOurs();
  if (share != details.end()) ATTUNE_RETURN_IF_ERROR(ReadShareState(*share, entry.share));
  if (trashed != details.end()) ATTUNE_RETURN_IF_ERROR(ReadTrashed(*trashed, entry));
  try {
    if (fields != details.end()) entry.fields = *fields;
    if (tags != details.end()) entry.tags = tags->get<std::vector<std::string>>();
    if (links != details.end()) entry.links = links->get<std::vector<std::string>>();
  } catch (const json::exception&) {
    return NotOurs();  // a tag or link that is not a string
  }
  return Status::Ok();
}

Status ReadBodyLayout1(std::string_view plain, Entry& entry) {
  const json body = ParseBoundedJson(plain);
  if (!body.is_object()) return NotOurs();
  const auto version = body.find("v");
  const auto text = body.find("text");
  if (version == body.end() || *version != kBodyLayout1) return NotOurs();
  if (text != body.end()) {
    if (!text->is_string()) return NotOurs();
    entry.text = text->get<std::string>();
  }
  return ReadDetails(body, entry);
}

Status ReadBodyLayout2(std::string_view plain, Entry& entry) {
  const std::optional<TextAndDetails> parts = SplitTextAndDetails(plain);
  if (!parts) return NotOurs();
  entry.text.assign(parts->text);
  return ReadDetails(ParseBoundedJson(parts->details), entry);
}

Status ReadBody(std::string_view plain, Entry& entry) {
  if (IsTextAndDetails(plain)) return ReadBodyLayout2(plain, entry);
  return ReadBodyLayout1(plain, entry);
}

// Parts joined with NUL bytes, which none of them can contain (storage checks ids, kinds,
// visibility and author; numbers are decimal), so that no two rows share associated data.
class AssociatedData {
 public:
  explicit AssociatedData(std::string_view label) : bytes_(label) {}
  AssociatedData& Add(std::string_view part) {
    bytes_.push_back('\0');
    bytes_ += part;
    return *this;
  }
  AssociatedData& Add(int64_t number) { return Add(std::to_string(number)); }
  ByteSpan span() const { return AsBytes(bytes_); }

 private:
  std::string bytes_;
};

AssociatedData EntryFormat2Data(const storage::EntryRow& row) {
  AssociatedData ad("attune/entry/v2");
  ad.Add(row.id).Add(row.kind).Add(row.step).Add(row.created_ms).Add(row.created_offset_min);
  ad.Add(row.updated_ms).Add(row.updated_offset_min).Add(row.visibility).Add(row.author);
  return ad;
}

AssociatedData EntryFormat1Data(const storage::EntryRow& row) {
  AssociatedData ad("attune/entry/v1");
  ad.Add(row.id).Add(row.kind);
  return ad;
}

AssociatedData LogRowData(std::string_view entry_id, int64_t seq, bool withdrawn) {
  AssociatedData ad("attune/outgoing/v2");
  ad.Add(entry_id).Add(seq).Add(withdrawn ? 1 : 0);
  return ad;
}

AssociatedData SettingData(std::string_view name) {
  AssociatedData ad("attune/setting/v1");
  ad.Add(name);
  return ad;
}

// Entries are opened one after another, thousands at a time: one secure buffer per thread,
// reused, rather than an allocation (and its mlock) per entry.
crypto::SecureScratch& PlaintextScratch() {
  thread_local crypto::SecureScratch scratch;
  return scratch;
}

Result<Entry> OpenWith(const Secret& data_key, const storage::EntryRow& row,
                       const AssociatedData& ad) {
  crypto::SecureScratch& scratch = PlaintextScratch();
  ATTUNE_ASSIGN_OR_RETURN(ByteSpan plain,
                          crypto::aead::OpenInto(data_key, row.body, ad.span(), scratch));
  Entry entry;
  const Status read =
      ReadBody(std::string_view(reinterpret_cast<const char*>(plain.data()), plain.size()), entry);
  scratch.Wipe();
  if (!read.ok()) {
    crypto::Wipe(entry.text);
    return read;
  }
  entry.id = row.id;
  entry.kind = row.kind;
  entry.step = row.step;
  entry.created = {row.created_ms, row.created_offset_min};
  entry.updated = {row.updated_ms, row.updated_offset_min};
  // The names are the file's (storage/schema.h); the seal vouched for them.
  const std::optional<Visibility> visibility = ParseVisibility(row.visibility);
  const std::optional<Author> author = ParseAuthor(row.author);
  if (!visibility || !author) {
    crypto::Wipe(entry.text);
    return Status::Corruption("an entry's author or visibility is not one attune writes");
  }
  entry.visibility = *visibility;
  entry.author = *author;
  return entry;
}

json ShareStateJson(const ShareState& share) {
  json out = json::object();
  if (share.log_seq != 0) out["seq"] = share.log_seq;
  if (share.with_answers) out["answers"] = true;
  return out;
}

}  // namespace

Result<storage::EntryRow> SealEntry(const Secret& data_key, const Entry& entry) {
  if (!IsValidUtf8(entry.text))
    return Status::InvalidArgument("an entry holds text that is not UTF-8");
  std::string details;
  try {
    json parts = {{"fields", entry.fields}, {"tags", entry.tags}, {"links", entry.links}};
    if (entry.share != ShareState{}) parts["share"] = ShareStateJson(entry.share);
    if (entry.trashed) {
      parts["trashed"] = {{"ms", entry.trashed->utc_ms}, {"offset", entry.trashed->offset_min}};
    }
    details = parts.dump();
  } catch (const json::type_error&) {
    // dump() throws on a string that is not UTF-8; no exception leaves node.
    return Status::InvalidArgument("an entry holds text that is not UTF-8");
  }
  std::string body = JoinTextAndDetails(entry.text, details);
  crypto::Wipe(details);

  storage::EntryRow row;
  row.id = entry.id;
  row.kind = entry.kind;
  row.step = entry.step;
  row.created_ms = entry.created.utc_ms;
  row.created_offset_min = entry.created.offset_min;
  row.updated_ms = entry.updated.utc_ms;
  row.updated_offset_min = entry.updated.offset_min;
  row.visibility = std::string(VisibilityName(entry.visibility));
  row.author = std::string(AuthorName(entry.author));
  Result<Bytes> sealed = crypto::aead::Seal(data_key, AsBytes(body), EntryFormat2Data(row).span());
  crypto::Wipe(body);
  if (!sealed.ok()) return sealed.status();
  row.body = std::move(sealed).value();
  return row;
}

Result<Entry> OpenEntry(const Secret& data_key, const storage::EntryRow& row) {
  return OpenWith(data_key, row, EntryFormat2Data(row));
}

Result<Entry> OpenEntryFormat1(const Secret& data_key, const storage::EntryRow& row) {
  Result<Entry> entry = OpenWith(data_key, row, EntryFormat1Data(row));
  if (entry.ok()) {
    entry->share = ShareState{};
    entry->trashed.reset();  // format 1 had no trash
  }
  return entry;
}

Result<Bytes> SealLogRow(const Secret& record_key, const std::string& entry_id, int64_t seq,
                         bool withdrawn, ByteSpan content) {
  if (withdrawn && !content.empty()) {
    return Status::InvalidArgument("a withdrawn log row carries no content");
  }
  return crypto::aead::Seal(record_key, content, LogRowData(entry_id, seq, withdrawn).span());
}

Result<std::string> OpenLogRow(const Secret& record_key, const storage::OutgoingRow& row) {
  if (!row.sealed) return Status::AuthFailed("the log row has no seal");
  // Into the thread's scratch, not a buffer of its own: a first sync opens every row of the log.
  crypto::SecureScratch& scratch = PlaintextScratch();
  ATTUNE_ASSIGN_OR_RETURN(
      ByteSpan content,
      crypto::aead::OpenInto(record_key, *row.sealed,
                             LogRowData(row.entry_id, row.seq, row.withdrawn).span(), scratch));
  std::string opened(reinterpret_cast<const char*>(content.data()), content.size());
  scratch.Wipe();
  if (row.withdrawn && !opened.empty()) {
    crypto::Wipe(opened);
    return Status::AuthFailed("a withdrawn row with content");
  }
  return opened;
}

Result<Bytes> SealSetting(const Secret& key, std::string_view name, std::string_view value) {
  return crypto::aead::Seal(key, AsBytes(value), SettingData(name).span());
}

Result<std::string> OpenSetting(const Secret& key, std::string_view name, ByteSpan sealed) {
  ATTUNE_ASSIGN_OR_RETURN(Secret plain, crypto::aead::Open(key, sealed, SettingData(name).span()));
  return std::string(reinterpret_cast<const char*>(plain.data()), plain.size());
}

Result<Bytes> SealSecretSetting(const Secret& key, std::string_view name, const Secret& value) {
  return crypto::aead::Seal(key, value.span(), SettingData(name).span());
}

Result<Secret> OpenSecretSetting(const Secret& key, std::string_view name, ByteSpan sealed) {
  return crypto::aead::Open(key, sealed, SettingData(name).span());
}

}  // namespace attune::node
