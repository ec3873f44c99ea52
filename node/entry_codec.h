// Sealing entries for storage: the only place where journal text meets the database.
//
// An entry's text, fields, tags and links travel together as one sealed body:
// XChaCha20-Poly1305 under the data key, with associated data binding the entry's id and kind.
// A body copied onto another row, or a row whose kind was altered, fails to open.
// Structural columns (id, kind, step, times, visibility, author) stay in the clear.
#ifndef ATTUNE_NODE_ENTRY_CODEC_H_
#define ATTUNE_NODE_ENTRY_CODEC_H_

#include "base/status.h"
#include "node/entry.h"
#include "node/secret.h"
#include "storage/database.h"

namespace attune::node {

Result<storage::EntryRow> SealEntry(const Secret& data_key, const Entry& entry);

// kAuthFailed if the row was tampered with or moved; kCorruption if it opens but is not ours.
Result<Entry> OpenEntry(const Secret& data_key, const storage::EntryRow& row);

// For small secrets and settings in the meta table, bound to their key name.
Result<Bytes> SealSetting(const Secret& data_key, std::string_view name, std::string_view value);
Result<std::string> OpenSetting(const Secret& data_key, std::string_view name, ByteSpan sealed);
// The same for secret values (key material), which never pass through ordinary memory.
Result<Bytes> SealSecretSetting(const Secret& data_key, std::string_view name, const Secret& value);
Result<Secret> OpenSecretSetting(const Secret& data_key, std::string_view name, ByteSpan sealed);

}  // namespace attune::node

#endif  // ATTUNE_NODE_ENTRY_CODEC_H_
