// The on-disk format of an attune journal database, in one place.
//
// File: one SQLite 3 database (plus its -wal and -shm files while open), created 0600.
//   Header fields used:
//     application_id (offset 68) = kApplicationId, written by the first migration. A file
//       with another id, or with tables but no version, is not ours: kCorruption.
//     user_version   (offset 60) = the schema version, 0 for a database with no tables yet.
//       Migration N (storage/sql/000N_*.sql) moves version N-1 to N in one transaction
//       together with the user_version bump. A version above kLatestSchemaVersion means a
//       newer attune wrote the file: it is refused (kUnsupported) and left untouched.
//
// Connection settings (not stored in the file except journal_mode):
//   journal_mode=WAL      readers never block the writer; persistent in the header.
//   synchronous=NORMAL    in WAL mode a power loss may drop the last commits but never
//                         corrupts the file; an fsync per commit buys little for a journal.
//   secure_delete=ON      deleted cells and freed pages are overwritten with zeros.
//   foreign_keys=ON       no foreign keys yet; on so that later migrations can rely on it.
//   busy_timeout          OpenOptions::busy_timeout, then kBusy.
//
// Tables (version 4):
//   meta(key TEXT PRIMARY KEY, value BLOB NOT NULL)
//     Owned by node: wrapped data key, KDF parameters, sealed settings. Values are opaque.
//   entries(id, kind, step, created_ms, created_offset_min, updated_ms, updated_offset_min,
//           body, visibility, author)
//     id:         kEntryIdLength lowercase hex digits (CHECKed).
//     *_ms:       UTC unix milliseconds; *_offset_min: the writer's UTC offset in minutes.
//     body:       sealed by node; storage never interprets it.
//     visibility: 'private' | 'shared' (version 2; older rows read as 'private').
//     author:     'me' | 'partner' (version 2; older rows read as 'me') | 'former' (version 3:
//                 a former partner's entries kept at unpair).
//   Indexes: (created_ms, id), (kind, created_ms, id), (author, created_ms, id).
//   outgoing(entry_id TEXT PRIMARY KEY, seq INTEGER UNIQUE, withdrawn INTEGER,   (version 3)
//            sealed BLOB)                                                       (version 4)
//     The log of what this node shares: one row per shared or withdrawn entry. seq > 0 grows on
//     every change (node writes max + 1); withdrawn is 0 or 1. sealed is opaque here: node seals
//     the row's identity and, for a shared row, the content that travels (the version its
//     author confirmed); NULL only in rows written before version 4, until node re-seals them.
#ifndef ATTUNE_STORAGE_SCHEMA_H_
#define ATTUNE_STORAGE_SCHEMA_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace attune::storage {

// The version the newest migration produces; equals the number of files in storage/sql/.
inline constexpr int kLatestSchemaVersion = 4;

// 'a' 't' 'u' 'n' as a big-endian 32-bit integer, as `file(1)` would show it.
inline constexpr int32_t kApplicationId = 0x6174756e;

inline constexpr size_t kEntryIdLength = 32;

// UTC offsets range from -12:00 to +14:00; allow a full day either way for odd clocks.
inline constexpr int32_t kMaxOffsetMinutes = 24 * 60;

inline constexpr std::string_view kVisibilityPrivate = "private";
inline constexpr std::string_view kVisibilityShared = "shared";
inline constexpr std::string_view kAuthorMe = "me";
inline constexpr std::string_view kAuthorPartner = "partner";
inline constexpr std::string_view kAuthorFormer = "former";

}  // namespace attune::storage

#endif  // ATTUNE_STORAGE_SCHEMA_H_
