// Journal::RestoreBackup: a sealed backup (node/journal/backup_file.h) back into a home.
//
// The order is what keeps everything safe: the header and the key are checked before anything
// is written; the body is opened into a temporary file in the home, which is then opened as a
// journal (integrity check, key check) and prepared for sync; only then does it take the name
// journal.db, in one rename. A journal it replaces is first given a second name of its own
// (a hard link, so that journal.db never goes missing), its WAL moved beside that name.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/scope_exit.h"
#include "base/system_error.h"
#include "base/unique_fd.h"
#include "crypto/recovery_code.h"
#include "node/journal.h"
#include "node/journal/backup_file.h"
#include "node/journal/journal_backing.h"
#include "node/journal/journal_sync.h"

namespace attune::node {
namespace {

Result<size_t> ReadFull(int fd, std::span<uint8_t> into) {
  size_t filled = 0;
  while (filled < into.size()) {
    const ssize_t got = ::read(fd, into.data() + filled, into.size() - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return SystemErrorStatus(errno, "cannot read the backup");
    if (got == 0) break;
    filled += static_cast<size_t>(got);
  }
  return filled;
}

// The backup, opened for reading: a regular file only (a FIFO or a device is not waited on).
Result<UniqueFd> OpenBackupFile(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!fd.valid() && errno == ENOENT) return Status::NotFound(path);
  if (!fd.valid()) return SystemErrorStatus(errno, "cannot read the backup");
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return Status::Corruption("not a regular file").WithReason(JournalReason::kNotABackup);
  }
  return fd;
}

// The data key, from the recovery code or from the passphrase the backup was made with.
Result<Secret> UnlockBackup(const BackupHeader& header, const BackupUnlock& unlock) {
  if (unlock.recovery_code) {
    ATTUNE_ASSIGN_OR_RETURN(Secret key, crypto::DecodeRecoveryCode(*unlock.recovery_code));
    if (!BackupKeyMatches(header, key)) {
      return Status::AuthFailed("recovery code not this backup's")
          .WithReason(JournalReason::kRecoveryCodeNotThisJournals);
    }
    return key;
  }
  if (!header.wrap) {
    return Status::InvalidArgument("the backup opens with the recovery code")
        .WithReason(JournalReason::kBackupNeedsRecoveryCode);
  }
  ATTUNE_ASSIGN_OR_RETURN(Secret passphrase, unlock.passphrase());
  Result<Secret> unwrapped = Keyring::Unwrap(*header.wrap, passphrase);
  if (!unwrapped.ok() && unwrapped.status().Is(JournalReason::kWrongPassphrase)) {
    return unwrapped.status().WithDetail("the passphrase does not open this backup");
  }
  ATTUNE_ASSIGN_OR_RETURN(Secret key, std::move(unwrapped));
  // The passphrase opened the wrapped key, but the header was not made with that key.
  if (!BackupKeyMatches(header, key)) {
    return Status::AuthFailed("the backup's key check does not match")
        .WithReason(JournalReason::kBackupDamaged);
  }
  return key;
}

// Opens the body into a new private file in the home; its path.
Result<std::string> OpenIntoTemporaryFile(const Home& home, const BackupHeader& header,
                                          const Secret& key, int backup_fd) {
  std::string temp = home.database_path() + ".restore-XXXXXX";
  const UniqueFd out(::mkostemp(temp.data(), O_CLOEXEC));  // O_CREAT | O_EXCL, mode 0600
  if (!out.valid()) return SystemErrorStatus(errno, "cannot write in the home");
  bool kept = false;
  ScopeExit remove_temp([&] {
    if (!kept) ::unlink(temp.c_str());
  });
  ATTUNE_RETURN_IF_ERROR(ReadBackupBody(
      header, key, [backup_fd](std::span<uint8_t> into) { return ReadFull(backup_fd, into); },
      [&out](ByteSpan bytes) -> Status {
        const int error = WriteAll(out.get(), bytes);
        return error == 0 ? Status::Ok() : SystemErrorStatus(error, "cannot write in the home");
      }));
  if (::fsync(out.get()) != 0) return SystemErrorStatus(errno, "cannot write in the home");
  kept = true;
  return temp;
}

// The name the journal replaced by a restore keeps: journal.db.before-restore-MS (MS the
// time in milliseconds, so that a second restore keeps the first one's copy too).
std::string ReplacedCopyPath(const Home& home, const Clock& clock) {
  return home.database_path() + ".before-restore-" + std::to_string(clock.Now().utc_ms);
}

// Gives the journal in the home a second name, with its WAL beside it, so that the rename
// that follows loses nothing: afterwards the copy is the whole journal as it was.
Result<std::string> KeepReplacedJournal(const Home& home, const Clock& clock) {
  const std::string db = home.database_path();
  {
    // Best effort: a journal that opens has its WAL folded in, so the copy is one file.
    Result<storage::Database> current = storage::Database::Open(db, storage::OpenMode::kMustExist);
    if (current.ok()) (void)current->Checkpoint();
  }
  const std::string copy = ReplacedCopyPath(home, clock);
  if (::link(db.c_str(), copy.c_str()) != 0) {
    return SystemErrorStatus(errno, "cannot keep the journal being replaced");
  }
  struct stat info {};
  if (::lstat((db + "-wal").c_str(), &info) == 0 &&
      std::rename((db + "-wal").c_str(), (copy + "-wal").c_str()) != 0) {
    const int error = errno;
    ::unlink(copy.c_str());
    return SystemErrorStatus(error, "cannot keep the journal being replaced");
  }
  // The shared-memory index belongs to the WAL just moved; SQLite rebuilds one.
  ::unlink((db + "-shm").c_str());
  return copy;
}

}  // namespace

Status Journal::PrepareRestored(const std::string& path, Secret key, const Clock& clock,
                                RestoredBackup& restored) {
  // What came out of the authenticated stream was written by attune: if it is no sound journal
  // of this key, the backup was damaged before it was sealed (or attune has a bug).
  const auto damaged = [](std::string_view what) {
    return Status::Corruption(std::string(what)).WithReason(JournalReason::kBackupDamaged);
  };
  Result<storage::Database> opened = storage::Database::Open(path, storage::OpenMode::kMustExist);
  if (!opened.ok() && opened.status().code() == StatusCode::kCorruption) {
    return damaged("the backup holds no attune journal");
  }
  if (!opened.ok()) return opened.status();  // a newer attune's (kUnsupported), a full disk
  ATTUNE_ASSIGN_OR_RETURN(const std::string integrity, opened->IntegrityCheck());
  if (integrity != "ok") return damaged("the restored journal fails SQLite's integrity check");
  Result<Keyring> keyring = Keyring::FromDataKey(*opened, std::move(key));
  if (!keyring.ok()) return damaged("the restored journal's key check does not match");
  restored.passphrase_protected = keyring->passphrase_protected();
  Journal journal(std::move(*opened), std::move(*keyring), clock);
  if (journal.keyring().format() >= 2) {
    ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal.GetPartner());
    restored.paired = partner.has_value();
  }
  // The partner may hold more of this log than the backup does (rows shared after it), and
  // would skip new rows of the numbers it has seen: a new epoch makes it start over.
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, journal.BeginWrite());
  ATTUNE_RETURN_IF_ERROR(JournalSyncStore::ForgetOwnEpoch(journal));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  // One file to rename: the WAL folded in (SQLite removes it when the connection closes).
  return journal.db().Checkpoint();
}

Result<RestoredBackup> Journal::RestoreBackup(const Home& home, const std::string& file,
                                              const BackupUnlock& unlock, bool replace,
                                              const Clock& clock) {
  const bool had_journal = home.HasJournal();
  if (had_journal && !replace) {
    return Status::AlreadyExists("the home has a journal")
        .WithReason(JournalReason::kHomeHasJournal);
  }
  // Not while `serve` or `ui` has the journal open (nor beside a re-key).
  std::optional<HomeLock> lock;
  if (had_journal) {
    Result<HomeLock> taken = HomeLock::Acquire(home);
    if (!taken.ok() && taken.status().code() == StatusCode::kBusy) {
      return taken.status().WithReason(JournalReason::kHomeInUse);
    }
    if (!taken.ok()) return taken.status();
    lock.emplace(std::move(*taken));
  }
  ATTUNE_ASSIGN_OR_RETURN(const UniqueFd backup, OpenBackupFile(file));
  const int backup_fd = backup.get();
  ATTUNE_ASSIGN_OR_RETURN(
      const BackupHeader header,
      ReadBackupHeader([backup_fd](std::span<uint8_t> into) { return ReadFull(backup_fd, into); }));
  ATTUNE_ASSIGN_OR_RETURN(Secret key, UnlockBackup(header, unlock));

  struct stat home_info {};
  const bool home_existed = ::stat(home.dir().c_str(), &home_info) == 0;
  ATTUNE_RETURN_IF_ERROR(home.Create());
  bool placed = false;
  std::string temp;
  ScopeExit clean_up([&] {
    if (placed) return;
    if (!temp.empty()) RemoveDatabaseFiles(temp);
    if (!home_existed) ::rmdir(home.dir().c_str());  // only if empty
  });
  ATTUNE_ASSIGN_OR_RETURN(temp, OpenIntoTemporaryFile(home, header, key, backup_fd));
  RestoredBackup restored;
  ATTUNE_RETURN_IF_ERROR(PrepareRestored(temp, std::move(key), clock, restored));
  if (had_journal) {
    ATTUNE_ASSIGN_OR_RETURN(restored.replaced_copy, KeepReplacedJournal(home, clock));
  }
  // Replacing only what was kept above; otherwise never a journal that appeared meanwhile.
  const int error = MoveIntoPlace(temp, home.database_path(),
                                  had_journal ? ExistingFile::kReplace : ExistingFile::kRefuse);
  if (error == EEXIST) {
    return Status::AlreadyExists("the home has a journal")
        .WithReason(JournalReason::kHomeHasJournal);
  }
  if (error != 0) return SystemErrorStatus(error, "cannot put the restored journal in place");
  placed = true;
  FlushDirectoryOf(home.database_path());
  return restored;
}

}  // namespace attune::node
