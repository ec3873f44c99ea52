// Journal::Backup: the whole journal, sealed (node/journal/backup_file.h).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/scope_exit.h"
#include "base/system_error.h"
#include "base/unique_fd.h"
#include "crypto/random.h"
#include "node/journal.h"
#include "node/journal/backup_file.h"
#include "node/journal/journal_backing.h"

namespace attune::node {
namespace {

// A ByteSource over bytes in memory.
ByteSource SourceOf(ByteSpan bytes) {
  return [bytes](std::span<uint8_t> into) mutable -> Result<size_t> {
    const size_t n = std::min(into.size(), bytes.size());
    std::copy_n(bytes.begin(), n, into.begin());
    bytes = bytes.subspan(n);
    return n;
  };
}

Result<Bytes> ReadSnapshotFile(const std::string& path) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return SystemErrorStatus(errno, "cannot read the journal's copy");
  Bytes content;
  uint8_t buffer[64 * 1024];
  while (true) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return SystemErrorStatus(errno, "cannot read the journal's copy");
    if (got == 0) return content;
    content.insert(content.end(), buffer, buffer + got);
  }
}

}  // namespace

Result<BackupMade> Journal::Backup(const std::string& out, ExistingFile existing) {
  // The copy lies beside the journal, in the private home, for as long as it is sealed: it
  // holds what journal.db holds, no more.
  const std::string copy = DatabasePath() + ".backup-" + ToHex(crypto::RandomBytes(8));
  ScopeExit remove_copy([&copy] { RemoveDatabaseFiles(copy); });
  ATTUNE_RETURN_IF_ERROR(db().CopyTo(copy));
  std::optional<Keyring::StoredWrap> wrap;
  {
    // The wrap comes from the copy itself, so that the header's passphrase is the copy's, and
    // the copy must hold this Journal's key (another process may have re-keyed meanwhile).
    ATTUNE_ASSIGN_OR_RETURN(storage::Database snapshot,
                            storage::Database::Open(copy, storage::OpenMode::kMustExist));
    Result<Keyring> same =
        Keyring::FromDataKey(snapshot, Secret::CopyOf(keyring().data_key().span()));
    if (!same.ok()) {
      return Status::Busy("the journal was given a new key meanwhile")
          .WithReason(JournalReason::kKeyChanged);
    }
    ATTUNE_ASSIGN_OR_RETURN(wrap, Keyring::ReadWrap(snapshot));
  }  // closed: SQLite folds its WAL back into the copy
  ATTUNE_ASSIGN_OR_RETURN(const Bytes snapshot_bytes, ReadSnapshotFile(copy));
  Bytes sealed;
  sealed.reserve(snapshot_bytes.size() + snapshot_bytes.size() / kBackupChunkBytes * 17 + 512);
  ATTUNE_RETURN_IF_ERROR(
      WriteBackup(keyring().data_key(), wrap, SourceOf(snapshot_bytes), [&sealed](ByteSpan bytes) {
        sealed.insert(sealed.end(), bytes.begin(), bytes.end());
        return Status::Ok();
      }));
  ATTUNE_RETURN_IF_ERROR(WritePrivateFile(out, sealed, existing));
  return BackupMade{sealed.size(), wrap.has_value()};
}

}  // namespace attune::node
