// Sealing for storage: the only place where journal text and the journal's records meet the
// database. storage keeps what this produces as opaque bytes.
//
// Entries (format 2). An entry's text, fields, tags, links, share state and trash state (when
// it was moved to the trash, if it was) travel together as one sealed body: XChaCha20-Poly1305
// under the data key, with associated data binding every column storage keeps in the clear:
//
//   "attune/entry/v2" NUL id NUL kind NUL step NUL created_ms NUL created_offset_min NUL
//   updated_ms NUL updated_offset_min NUL visibility NUL author        (numbers in decimal)
//
// So a body copied onto another row, or a row whose kind, step, times, visibility or author
// were changed in the file, fails to open (kAuthFailed): nobody without the data key can make a
// private entry look shared, or change who wrote what or when.
//
// Outgoing log rows. Each row of the outgoing log is sealed under the record key (a key derived
// from the data key, node/keyring.h) with associated data binding the row's identity:
//
//   "attune/outgoing/v2" NUL entry_id NUL seq NUL withdrawn (0 or 1)
//
// and, for a shared row, the content that travels (the version its author confirmed) as its
// plaintext; a withdrawn row seals nothing. A row whose entry id, seq or withdrawn flag was
// changed, or one planted without the key, fails to open.
//
// Settings (small values in the meta table) are sealed with the setting's name as associated
// data, so one cannot be passed off as another.
//
// Journals made before format 2 bound only the id and kind (OpenEntryFormat1, used once, by the
// upgrade in journal_upgrade.cc).
#ifndef ATTUNE_NODE_JOURNAL_ENTRY_CODEC_H_
#define ATTUNE_NODE_JOURNAL_ENTRY_CODEC_H_

#include <string>

#include "base/status.h"
#include "node/entry.h"
#include "node/secret.h"
#include "storage/database.h"

namespace attune::node {

Result<storage::EntryRow> SealEntry(const Secret& data_key, const Entry& entry);

// kAuthFailed if the row was tampered with or moved; kCorruption if it opens but is not ours.
// Decrypts into secure memory reused from call to call (the text is then copied into the
// Entry, which lives in ordinary memory).
Result<Entry> OpenEntry(const Secret& data_key, const storage::EntryRow& row);

// An entry sealed before format 2 (the associated data bound only its id and kind). Its share
// state is empty.
Result<Entry> OpenEntryFormat1(const Secret& data_key, const storage::EntryRow& row);

// A row of the outgoing log: `content` for a shared row (what travels), empty for a withdrawn
// one. OpenLogRow returns the content (empty for a withdrawn row); kAuthFailed if the row has no
// seal or fails it.
Result<Bytes> SealLogRow(const Secret& record_key, const std::string& entry_id, int64_t seq,
                         bool withdrawn, ByteSpan content);
Result<std::string> OpenLogRow(const Secret& record_key, const storage::OutgoingRow& row);

// For small secrets and settings in the meta table, bound to their key name.
Result<Bytes> SealSetting(const Secret& key, std::string_view name, std::string_view value);
Result<std::string> OpenSetting(const Secret& key, std::string_view name, ByteSpan sealed);
// The same for secret values (key material), which never pass through ordinary memory.
Result<Bytes> SealSecretSetting(const Secret& key, std::string_view name, const Secret& value);
Result<Secret> OpenSecretSetting(const Secret& key, std::string_view name, ByteSpan sealed);

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_ENTRY_CODEC_H_
