// The sealed backup file (`attune backup`, `attune restore-backup`): a consistent copy of the
// whole journal database, sealed so that nothing in it is readable without the data key, not
// even what journal.db keeps in the clear for listing (kinds, counts, times). The format, all
// integers big-endian:
//
//   offset  size
//        0     8  magic "ATTUNEBK"
//        8     1  version (1)
//        9     1  key: 1 = the data key wrapped under the passphrase follows; 0 = none (a
//                 journal without a passphrase: its backup opens with the recovery code only)
//       10    34  KDF parameters (crypto::EncodeKdfParams), zeros without a passphrase
//       44    72  the wrapped data key (XChaCha20-Poly1305 under the Argon2id key, exactly as
//                 the journal stored it when the backup was made), zeros without a passphrase
//      116    24  the sealed stream's header (crypto/sealed_stream.h)
//      140    32  key check: keyed BLAKE2b of bytes 0..139 under a subkey of the data key
//                 (label "attune/backup/v1 check"), telling a wrong key apart from damage
//      172     -  the snapshot, sealed as one stream under a subkey of the data key (label
//                 "attune/backup/v1 stream") in chunks of kBackupChunkBytes (the last one
//                 shorter or empty, with the final tag), each chunk with bytes 0..171 as
//                 associated data
//
// Chunks have a fixed size, so no length is read from the file; a stream cut anywhere, a chunk
// changed, dropped, repeated or moved, and a header changed anywhere fail to open. The readers
// below take their bytes from a ByteSource, so that a file, a buffer and the fuzz target read
// the same way.
#ifndef ATTUNE_NODE_JOURNAL_BACKUP_FILE_H_
#define ATTUNE_NODE_JOURNAL_BACKUP_FILE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/sealed_stream.h"
#include "node/journal/keyring.h"
#include "node/secret.h"

namespace attune::node {

inline constexpr std::string_view kBackupMagic = "ATTUNEBK";
inline constexpr uint8_t kBackupVersion = 1;
inline constexpr size_t kBackupHeaderBytes = 172;
inline constexpr size_t kBackupChunkBytes = 64 * 1024;
inline constexpr size_t kBackupWrappedKeyBytes = 72;

// Fills the span from the input as far as it goes: fewer bytes than asked for only at its end.
using ByteSource = std::function<Result<size_t>(std::span<uint8_t>)>;
// Takes the next bytes of the output.
using ByteSink = std::function<Status(ByteSpan)>;

struct BackupHeader {
  std::optional<Keyring::StoredWrap> wrap;  // absent: the recovery code opens it
  crypto::sealed_stream::Header stream_header{};
  Bytes bytes;  // the header as it is in the file: every chunk's associated data
};

// Seals everything `snapshot` gives into `out`: the header (with `wrap`, or none), then the
// chunks.
Status WriteBackup(const Secret& data_key, const std::optional<Keyring::StoredWrap>& wrap,
                   const ByteSource& snapshot, const ByteSink& out);

// Reads and checks the header's form (nothing secret is needed for that):
//   kCorruption, reason kNotABackup      shorter than a header, or not the magic
//   kUnsupported                         a newer version
//   kCorruption, reason kBackupDamaged   a key byte or KDF parameters no attune writes
Result<BackupHeader> ReadBackupHeader(const ByteSource& in);

// Whether `data_key` is the one the backup was made with (its key check), in constant time.
bool BackupKeyMatches(const BackupHeader& header, const Secret& data_key);

// Opens the chunks after the header, handing each plaintext to `out` once it verified; the
// caller discards what `out` took unless this returns ok. Errors (reason kBackupDamaged):
// kAuthFailed for a chunk that does not verify, kCorruption for a stream cut short (before its
// final chunk) or with bytes after it.
Status ReadBackupBody(const BackupHeader& header, const Secret& data_key, const ByteSource& in,
                      const ByteSink& out);

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_BACKUP_FILE_H_
