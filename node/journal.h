// The private journal: the node's service for everything a partner writes about the nine steps.
//
// A Journal owns one open database connection and the unlocked keys for one home. Every entry
// and record is sealed (see entry_codec.h) before it reaches storage and opened after it is
// read; plaintext exists only in memory. Not thread-safe: one Journal per thread of work.
// Several processes may open the same home; SQLite serializes their writes, and every write
// first checks that the journal's key is still the one this Journal holds (another process may
// have re-keyed it: kBusy, reason kKeyChanged).
//
// Damage is contained. An entry or log row that fails its integrity check (changed outside
// attune, or damaged) is quarantined: never sent, skipped by listings, reported by name in
// damage() and by the commands that open it directly (kAuthFailed or kCorruption, reason
// JournalReason::kEntryDamaged, the entry's id as the detail); the rest of the journal works.
#ifndef ATTUNE_NODE_JOURNAL_H_
#define ATTUNE_NODE_JOURNAL_H_

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "crypto/x25519.h"
#include "node/clock.h"
#include "node/entry.h"
#include "node/entry_rules.h"
#include "node/home.h"
#include "node/journal_reason.h"
#include "node/notify.h"
#include "node/partner.h"
#include "node/private_file.h"
#include "node/progress.h"
#include "node/secret.h"
#include "steps/quiz.h"
#include "steps/themes.h"

namespace attune::storage {
class Database;
class Transaction;
struct EntryRow;
struct OutgoingRow;
}  // namespace attune::storage

namespace attune::node {

class Keyring;
struct OnionKeys;

struct InitOptions {
  std::string name;  // the display name this partner goes by
  bool no_passphrase = false;
  KdfStrength kdf_strength = KdfStrength::kModerate;
};

// How far below the highest admitted handshake counter (milliseconds, as the counters are made)
// a counter not seen before is still admitted, and how many admitted counters are remembered
// within that window (the oldest beyond that are refused as if below the window).
inline constexpr uint64_t kHandshakeCounterWindow = 120'000;
inline constexpr size_t kHandshakeCountersKept = 64;

struct NewEntry {
  std::string kind;
  std::string text;
  nlohmann::json fields = nlohmann::json::object();
  std::vector<std::string> tags;
  std::vector<std::string> links;  // id prefixes; each must name exactly one entry
  bool share = false;              // share with the partner at once (see Share)
  // When it happened, if not now (`add --at "yesterday 21:00"`); never later than now.
  std::optional<Timestamp> created = std::nullopt;
};

// Default initializers let callers name only the conditions they use ({.author =
// Author::kPartner}).
struct ListFilter {
  std::optional<std::string> kind = std::nullopt;
  std::optional<int> step = std::nullopt;
  std::optional<std::string> tag = std::nullopt;
  std::optional<int64_t> since_utc_ms = std::nullopt;  // written at or after
  std::optional<int64_t> until_utc_ms = std::nullopt;  // written before
  // Whose entries: the journal's own (the default), the partner's, a former partner's, or
  // nullopt for all of them.
  std::optional<Author> author = Author::kMe;
  // Only entries shared with the partner (own entries marked shared, and partner entries).
  bool shared_only = false;
};

// Whether the partner's node should hold a style result's quiz item answers (`share
// --with-answers`); unset: as the entry already has it (not, unless chosen before).
struct ShareOptions {
  std::optional<bool> with_answers = std::nullopt;
};

// Exactly what the partner's node would hold of one of the journal's own entries if it were
// shared now: the one rendering of what is shared (node/shared_content.h). `view` is decoded
// from the very bytes that would travel.
struct SharePreview {
  std::string entry_id;
  Entry view;    // as the partner's `show --json` will show it, less author and visibility
  Bytes digest;  // of those bytes: ConfirmShare sends them only if they are still these
  bool answers_withheld = false;  // a style result whose quiz item answers stay private
  bool answers_included = false;  // ... whose answers are included (--with-answers)
  bool partner_has_it = false;    // shared, and this is the version last confirmed
};

// Where one of this journal's shared (or withdrawn) entries stands on the partner's node.
enum class DeliveryState {
  kWaiting,      // shared, not yet acknowledged by the partner's node
  kDelivered,    // the partner's node acknowledged this version
  kWithdrawing,  // withdrawn here; the partner's node has not confirmed the removal yet
  kWithdrawn,    // the partner's node confirmed it removed its copy
};

struct SharedItem {
  std::string entry_id;
  DeliveryState state = DeliveryState::kWaiting;
  std::optional<Entry> entry;  // absent once the entry was deleted here
  // Changed since it was shared, and the new version not yet confirmed (`attune share ID`): the
  // partner keeps the version confirmed before.
  bool awaiting_confirmation = false;
  bool damaged = false;  // the log row or the entry failed its integrity check: never sent
};

// Rows found failing their integrity check while a Journal was open, each named once.
// The name DamageReport::records (and a kRecordDamaged status's detail) gives the outgoing log
// when it does not match its seal; `UnshareAll` starts it over.
inline constexpr std::string_view kOutgoingLogName = "outgoing log";

struct DamageReport {
  std::set<std::string> entries;  // entry ids
  std::set<std::string> records;  // names of other records ("sync state", "log row ID", ...)
  bool empty() const { return entries.empty() && records.empty(); }
};

// The journal's own entries as a person would keep them (`attune export --format md`, which
// cli lays out): plaintext, in the order of Journal::List.
struct JournalExport {
  std::string name;    // the journal owner's name
  Timestamp exported;  // when, by the journal's clock
  std::vector<Entry> entries;
};

// How `attune restore-backup` opens a backup: with the recovery code if one is given, else with
// the passphrase that was current when the backup was made (asked only if the backup has one).
struct BackupUnlock {
  PassphraseSource passphrase;
  std::optional<std::string> recovery_code = std::nullopt;
};

struct BackupMade {
  uint64_t bytes = 0;                 // the backup file's size
  bool passphrase_protected = false;  // else it opens with the recovery code only
};

struct RestoredBackup {
  // Where the journal that was replaced is kept (journal.db.before-restore-N in the home, with
  // its -wal if it had one), when one was.
  std::optional<std::string> replaced_copy = std::nullopt;
  bool passphrase_protected = false;  // the restored journal asks for the backup's passphrase
  bool paired = false;                // ... and its sync with the partner starts over
};

struct ImportSummary {
  int added = 0;
  int updated = 0;
  int unchanged = 0;
};

// How long an entry stays in the trash (Journal::MoveToTrash) before it is deleted for good.
inline constexpr int64_t kTrashKeepDays = 30;
// When an entry trashed at `trashed` is deleted for good (in the offset it was trashed in).
Timestamp TrashEmptiesAt(const Timestamp& trashed);

// How many of the journal's own entries there are of each kind (as Journal::CountByKind, but
// entries in the trash are counted too), read without the data key: kinds are stored in the
// clear (see "What is not protected" in docs/security.md). For a gentle hint after a command,
// which must not ask for the passphrase again.
Result<std::map<std::string, int>> CountOwnEntriesByKind(const Home& home);

class Journal {
 public:
  // Creates the home and a new journal in it. `ask` is not called with no_passphrase.
  // kAlreadyExists if the home already holds a journal; nothing is touched then.
  static Result<Journal> Init(const Home& home, const InitOptions& options,
                              const PassphraseSource& ask, const Clock& clock);

  // Opens an existing journal. kNotFound (JournalReason::kNoJournal) if there is none;
  // kAuthFailed (JournalReason::kWrongPassphrase) leaves the database untouched.
  static Result<Journal> Open(const Home& home, const PassphraseSource& ask, const Clock& clock);

  // Opens with the recovery code instead of the passphrase (for `passwd --recover`).
  static Result<Journal> OpenWithRecoveryCode(const Home& home, std::string_view code,
                                              const Clock& clock);

  // Opens with a data key held elsewhere: the unlock agent's (node/agent.h). kCorruption with
  // JournalReason::kKeyCheckFailed if it is not this journal's key (re-keyed since).
  static Result<Journal> OpenWithDataKey(const Home& home, Secret data_key, const Clock& clock);

  // A copy of the data key, for the unlock agent only (StartAgent), in secure memory.
  Secret CopyDataKey() const;

  // A second Journal on the same home and keys, with a connection of its own, for another
  // thread of this process (`attune ui` serves the page on one thread while the link runs on
  // another): no passphrase is asked again. Each Journal stays confined to its own thread.
  Result<Journal> OpenAnother() const;

  Journal(Journal&&) noexcept;
  Journal& operator=(Journal&&) noexcept;
  ~Journal();

  Result<std::string> Name();
  bool passphrase_protected() const;
  // What failed its integrity check so far (shared with the caller, who may outlive this
  // Journal: a command reports it once it is done).
  std::shared_ptr<const DamageReport> damage() const { return damage_; }
  // Whether Open upgraded a journal made before format 2 (journal_upgrade.cc): every entry
  // re-sealed with its metadata, and every shared entry sent again in its current form.
  bool upgraded() const { return upgraded_; }

  // Validates (kind, non-empty text within kMaxTextBytes, tags, links) and stores a new entry.
  // Entries are private unless draft.share is set (then shared at once, as Share). #tags in
  // the text join the tags (InlineTags). A style
  // entry must carry the quiz's scores (RecordQuiz); as text it is refused, kInvalidArgument
  // with JournalReason::kStyleComesFromQuiz.
  Result<Entry> Add(NewEntry draft);
  // kNotFound with reason kInTrash (the full id as the detail) for an entry in the trash.
  Result<Entry> Get(std::string_view id_or_prefix);
  // Replaces the text. Structured fields that said the same as the old text go: a statement
  // whose text no longer is its parts' composition becomes free text (its parts are dropped;
  // StatementEdit re-composes). A style result's text comes from its answers: refused
  // (kInvalidArgument, reason kStyleTextIsDerived). For a shared entry, the new version does
  // not travel until confirmed (PreviewShare, ConfirmShare): the partner keeps the confirmed one.
  Result<Entry> EditText(std::string_view id_or_prefix, std::string text);
  // Replaces a statement's three parts and its text with their composition (reason
  // kNotAStatement for another kind). Shared: as EditText.
  Result<Entry> RecomposeStatement(std::string_view id_or_prefix, const nlohmann::json& parts,
                                   std::string text);
  // Adds and removes tags and links of an own entry (`edit --tag/--untag/--link/--unlink`).
  // Links are id prefixes, resolved as Add's; one to remove must be among the entry's links
  // (kInvalidArgument otherwise), as must stay the rules on tags (CleanTags). Shared: as EditText.
  struct TagAndLinkChanges {
    std::vector<std::string> add_tags = {};
    std::vector<std::string> remove_tags = {};
    std::vector<std::string> add_links = {};
    std::vector<std::string> remove_links = {};
  };
  Result<Entry> EditTagsAndLinks(std::string_view id_or_prefix, const TagAndLinkChanges& changes);
  // Replaces the fields (and bumps `updated`); for kinds that keep structured history.
  Result<Entry> UpdateFields(std::string_view id_or_prefix, nlohmann::json fields);
  // Appends a restatement (now, optional note) to a boundary. Shared: as EditText.
  Result<Entry> RestateBoundary(std::string_view id_or_prefix, std::string note);
  // Deletes an entry for good: an own entry (withdrawing it if shared), one in the trash, or one
  // that failed its integrity check (whose trash state cannot be read: it is never moved to the
  // trash, only deleted).
  Status Remove(std::string_view id_or_prefix);

  // ---- The trash (journal_trash.cc) ----
  //
  // `attune rm` moves an own entry to the trash, which is private: a shared entry is withdrawn
  // first (the partner's node removes its copy at the next sync), and nothing in the trash is
  // ever sent. An entry in the trash is left out of everything else: Get and the commands built
  // on it (kNotFound, reason kInTrash, the id as the detail), List, Search, Matches, the counts,
  // the themes and the export. Entries that link to it keep their links. When it was trashed is
  // sealed in the entry's body (entry_codec.h); a sealed record lists what is in the trash, as
  // a hint, so that emptying what is due opens only those entries. What was trashed
  // kTrashKeepDays or more ago is deleted for good when the journal is opened (Open, and
  // OpenWithRecoveryCode) and by ListTrash, by this journal's clock: there is no timer.

  // Moves an own entry to the trash, private. kNotFound (reason kInTrash) if it is there
  // already; kInvalidArgument (reason kNotOwnEntry) for a partner's entry.
  Result<Entry> MoveToTrash(std::string_view id_or_prefix);
  // Brings an entry back from the trash as a private entry: it is never shared again by itself.
  // kInvalidArgument (reason kNotInTrash) for an entry outside the trash.
  Result<Entry> RestoreFromTrash(std::string_view id_or_prefix);
  // What is in the trash (each with `trashed` set), the longest there first; empties what is due
  // first, and repairs the record of the trash if it disagrees with the entries' seals.
  Result<std::vector<Entry>> ListTrash();
  // Deletes everything in the trash for good; how many entries that was.
  Result<int64_t> EmptyTrash();
  // Deletes for good what was trashed kTrashKeepDays or more ago; how many entries that was.
  // Writes nothing when nothing is due.
  Result<int64_t> PurgeTrash();

  // A full id for a prefix of at least 4 hex characters. kInvalidArgument
  // (JournalReason::kAmbiguousId): see Matches().
  Result<std::string> ResolveId(std::string_view prefix);
  Result<std::vector<Entry>> Matches(std::string_view prefix);
  // Shortest unique prefix (at least 6 characters) of every entry id.
  Result<std::map<std::string, std::string>> ShortIds();

  // Entries in the order they were written.
  Result<std::vector<Entry>> List(const ListFilter& filter);
  // Entries whose text, tags or fields contain every word (case-insensitive): the journal's own
  // and those the partner (or a former partner) shared. Decrypts in memory; no index of
  // plaintext exists on disk.
  Result<std::vector<Entry>> Search(const std::vector<std::string>& words);
  Result<std::map<std::string, int>> CountByKind();
  // The same for what the partner shared with this journal (their progress, as far as what
  // they chose to share shows it; never what they keep private).
  Result<std::map<std::string, int>> CountPartnerByKind();
  Result<steps::Themes> TriggerThemes();

  // Stores a quiz result as a `style` entry.
  Result<Entry> RecordQuiz(const steps::QuizScore& score, const std::vector<int>& answers);

  // The own entries for a readable export (cli words and lays it out), or the JSON document
  // ImportJson restores. Plaintext: the caller decides where it goes. `progress` counts entries
  // read (see node/progress.h).
  Result<JournalExport> ExportEntries(const ProgressCallback& progress = {});
  Result<std::string> ExportJson(const ProgressCallback& progress = {});
  // Idempotent by id: an entry already present is kept unless the import holds a newer edit.
  // `progress` counts entries written.
  Result<ImportSummary> ImportJson(const std::string& text, const ProgressCallback& progress = {});
  // The same for entries already parsed (ImportJson's second half): every entry must be the
  // journal's own and valid (ValidateEntryContent), and links must resolve within `entries`
  // or the journal. All or nothing, in one transaction.
  Result<ImportSummary> ImportEntries(std::vector<Entry> entries,
                                      const ProgressCallback& progress = {});

  // ---- Sealed backups (journal_backup.cc, node/journal/backup_file.h) ----

  // Writes a sealed backup of the whole journal to `out` (mode 0600, whole or not at all, as
  // WritePrivateFile with `existing`): a consistent copy of the database (SQLite's VACUUM INTO,
  // into a temporary file in the home that is removed afterwards) sealed under a key derived
  // from the data key, behind a header holding the data key wrapped as the passphrase protects
  // it now. Holds the copy and the sealed file in memory (about twice the database's size).
  // kBusy (reason kKeyChanged) if another process re-keyed the journal meanwhile.
  Result<BackupMade> Backup(const std::string& out, ExistingFile existing);

  // Restores the backup `file` as the journal of `home`. Nothing in the home changes unless the
  // backup was opened, verified to its last byte and found to be a sound journal of the same
  // key: it is written to a temporary file in the home first and moved into place only then.
  // Afterwards the restored journal's own log starts a new epoch, so that at the next sync the
  // partner's node drops everything it held from this journal and receives again exactly what
  // the restored journal shares (see docs/security.md, "Backups").
  //   kAlreadyExists, reason kHomeHasJournal  the home has a journal and `replace` is false
  //   kBusy, reason kHomeInUse                `serve` or `ui` runs on the home (HomeLock)
  //   kNotFound / kIoError                    the file cannot be read
  //   kCorruption, reason kNotABackup         not an attune backup (or not a regular file)
  //   kUnsupported                            made by a newer attune
  //   kAuthFailed, reason kWrongPassphrase    the passphrase does not open it
  //   kInvalidArgument                        a mistyped recovery code (its checksum)
  //   kAuthFailed, reason kRecoveryCodeNotThisJournals  another journal's recovery code
  //   kInvalidArgument, reason kBackupNeedsRecoveryCode  no passphrase in it and no code given
  //   kAuthFailed/kCorruption, reason kBackupDamaged     changed, cut short, or not a journal
  // With `replace`, the journal there is kept beside it (RestoredBackup::replaced_copy) and the
  // restored one takes its name in one rename.
  static Result<RestoredBackup> RestoreBackup(const Home& home, const std::string& file,
                                              const BackupUnlock& unlock, bool replace,
                                              const Clock& clock);

  // ---- Sharing with the partner (journal_sharing.cc) ----
  //
  // Changing an entry (edit, fields, restatement) and deleting it are for the journal's own
  // entries only: a partner's entry is theirs, read-only here (kInvalidArgument). Every change
  // to a shared entry is logged for the partner, in the same transaction as the change;
  // deleting a shared entry withdraws it.

  // What the partner's node would hold of an own entry if shared now (or, for a shared entry
  // changed since, if its new version were confirmed). Changes nothing. kInvalidArgument
  // (reason kNotOwnEntry) for a partner's entry; reason kNoAnswersToShare for with_answers on
  // an entry without quiz answers.
  Result<SharePreview> PreviewShare(std::string_view id_or_prefix,
                                    const ShareOptions& options = {});
  // Shares exactly what `preview` showed: the entry becomes shared (or its new version
  // replaces the confirmed one) and travels at the next sync. kBusy (reason
  // kChangedSincePreview) if the entry changed since the preview; nothing is shared then.
  Result<Entry> ConfirmShare(const SharePreview& preview);
  // PreviewShare and ConfirmShare in one, for a caller with nobody to show the preview to
  // (`add --share`, `respond`, an author's --yes). A no-op for a shared entry whose current
  // version is the confirmed one.
  Result<Entry> Share(std::string_view id_or_prefix, const ShareOptions& options = {});
  // Withdraws a shared entry; it stays in this journal, private. kInvalidArgument (reason
  // kNotShared) if not shared.
  Result<Entry> Unshare(std::string_view id_or_prefix);
  // Withdraws everything this journal shares at once: every own shared entry becomes private
  // and the log starts over under a new epoch, so the partner's node removes all it holds from
  // here at the next sync. The way back from a damaged outgoing log. Returns how many entries
  // were shared.
  Result<int64_t> UnshareAll();
  // Writes a response to a partner's shared entry: an own `response` entry linked to it, shared.
  // `ack` is empty or one of kResponseAcks.
  Result<Entry> Respond(std::string_view partner_entry, std::string text, std::string_view ack);
  // Every entry in the outgoing log, in log order, with its delivery state.
  Result<std::vector<SharedItem>> SharedItems();
  // Where each of `entries` that is in the outgoing log stands, as SharedItems says, without
  // opening the entries again (for a listing that has them open): keyed by entry id. A log row
  // that fails its check is named in damage() and left out.
  struct Delivery {
    DeliveryState state = DeliveryState::kWaiting;
    bool awaiting_confirmation = false;
  };
  Result<std::map<std::string, Delivery>> DeliveryOf(const std::vector<Entry>& entries);
  // The partner's display name for messages ("your partner" when unpaired).
  Result<std::string> PartnerName();
  // Forgets the partner and starts over: with keep_entries their entries stay (as a former
  // partner's), else they are deleted; own entries all become private again and the log
  // starts a new epoch, so nothing reaches a future partner without being shared anew.
  // Returns how many own entries were shared. kNotFound (JournalReason::kNotPaired)
  // if there is no partner.
  Result<int64_t> Unpair(bool keep_entries);
  // Opens every entry, outgoing log row and record, as `attune doctor` does: how many there
  // were; what failed is named in damage().
  struct SealCheck {
    uint64_t entries = 0, log_rows = 0, records = 0;
  };
  Result<SealCheck> CheckSeals();

  // PRAGMA data_version of the journal's connection: changes when another process commits.
  Result<int64_t> DataVersion();
  // The database file (serve watches its WAL for other commands' commits).
  std::string DatabasePath() const;

  // Re-wraps the data key; entries are not re-encrypted.
  Status ChangePassphrase(const std::optional<Secret>& passphrase, KdfStrength strength);
  // A new data key (and so a new recovery code), wrapped under `passphrase`: every entry,
  // record and log row is re-sealed under it in one transaction (a kill at any point leaves the
  // journal as it was before, or wholly re-keyed), and the old key is wiped. Whoever had the
  // old passphrase, the old recovery code or an old copy of the database cannot read what is
  // written after. kBusy (reason kServeRunning) while `attune serve` runs on the home; an
  // entry or record that fails its check stops it (reason kEntryDamaged / kRecordDamaged),
  // changing nothing. `progress` counts entries re-sealed.
  Status Rekey(const Home& home, const std::optional<Secret>& passphrase, KdfStrength strength,
               const ProgressCallback& progress = {});
  Result<std::string> RecoveryCode() const;

  // ---- The link (journal_link.cc) ----

  // The public half of this node's long-term link key, for fingerprints and safety numbers:
  // what a caller outside the link needs. The key pair itself stays inside node (LinkIdentityOf
  // in node/journal/link_identity.h).
  Result<crypto::X25519PublicKey> LinkPublicKey();
  // This node's onion address and the public key of its tor as a client (issue 17): what the
  // partner learns at pairing. The keys behind them are made and sealed on first use; the
  // secret halves stay inside node (OnionKeysOf in node/journal/link_identity.h).
  Result<OnionContact> OwnOnionContact();
  // The paired partner, if any.
  Result<std::optional<Partner>> GetPartner();
  // Stores the partner. kAlreadyExists if there is one (unpair first); with `replace`, updates
  // the stored record (for the same partner's address and contact times).
  Status SavePartner(const Partner& partner, bool replace);
  // The port this node's `attune serve` listens on (kDefaultServePort until set).
  Result<uint16_t> ServePort();
  Status SetServePort(uint16_t port);
  // Which of the partner's entries are new since the person last looked (`list --partner`,
  // `together`): an entry counts as seen in the version (its `updated`) that was listed then.
  // The last look is a sealed record of ids and versions, kept here only.
  Result<std::set<std::string>> PartnerNews(const std::vector<Entry>& partner_entries);
  // Remembers `partner_entries`, as they are, as seen (added to what was seen before).
  Status MarkPartnerSeen(const std::vector<Entry>& partner_entries);
  // How many minutes without use `attune ui` waits before it locks itself (15 until set;
  // `attune ui --idle-lock N` sets it). 1 to 1440.
  Result<int> UiIdleLockMinutes();
  Status SetUiIdleLockMinutes(int minutes);
  // Whether this home reaches the partner through Tor (issue 17): off until turned on, since
  // using Tor is visible to whoever runs the network.
  Result<bool> TorEnabled();
  Status SetTorEnabled(bool enabled);
  // What `serve` shows on the desktop when something new arrives from the partner (issue 20):
  // kNeutral until set (`attune notify`).
  Result<NotifyChoice> DesktopNotifyChoice();
  Status SetDesktopNotifyChoice(NotifyChoice choice);
  const Clock& clock() const { return *clock_; }

  // ---- Handshake replay protection (journal_handshake.cc) ----
  //
  // The first message of a partner handshake (docs/protocol.md section 3.2) carries a counter
  // that its receiver admits once. Both are stored sealed in meta; each call runs in one
  // transaction of its own, so several attune processes on one home (`sync` while `serve`
  // runs) issue and admit counters as one.

  // The counter for this node's next handshake as initiator: max(now in ms since the epoch,
  // the last one issued + 1), recorded before it is returned. Never the same value twice for
  // one home, even when the clock is set back.
  Result<uint64_t> NextHandshakeCounter();
  // Whether a handshake from `partner` carrying `counter` may be answered, recording it if so.
  // Admitted: a counter above every one admitted before, or one within
  // kHandshakeCounterWindow below the highest that was not admitted yet (two initiators of
  // one home whose messages arrive in the other order). Refused (false): 0, a counter admitted
  // before, or one below the window. The record is the last partner's: a counter from another
  // key starts a new one.
  Result<bool> AdmitHandshakeCounter(const crypto::X25519PublicKey& partner, uint64_t counter);

 private:
  friend class JournalSyncStore;
  friend Result<crypto::X25519KeyPair> LinkIdentityOf(Journal& journal);
  friend Result<OnionKeys> OnionKeysOf(Journal& journal);
  friend class JournalUpgrade;
  friend class JournalRekey;
  friend class ExerciseRecords;

  // The database and the keys (node/journal/journal_backing.h), behind a pointer so that the
  // callers of this header see neither storage's types nor the keyring.
  struct Backing;

  Journal(storage::Database db, Keyring keyring, const Clock& clock);
  storage::Database& db() const;
  Keyring& keyring() const;

  static Result<Journal> CreateIn(const Home& home, const InitOptions& options,
                                  const std::optional<Secret>& passphrase, const Clock& clock);
  static Result<Journal> Opened(const Home& home, storage::Database db, Keyring keyring,
                                const Clock& clock);
  // RestoreBackup's check of the journal restored at `path` under `key`, and its sync state
  // made safe (journal_restore.cc).
  static Status PrepareRestored(const std::string& path, Secret key, const Clock& clock,
                                RestoredBackup& restored);

  // A write transaction, once the journal's key is known to be still this Journal's (kBusy,
  // reason kKeyChanged, if another process re-keyed it). Every write goes through it.
  Result<storage::Transaction> BeginWrite();
  // Seals and writes an entry as it is (the outgoing log is the caller's business). Refuses a
  // shared entry whose shared form would not fit a sync row. Joins the caller's transaction.
  Status Store(const Entry& entry, bool is_new);
  Status StoreAtomically(const Entry& entry, bool is_new);
  // Stores `entry` as shared with its current version as the one that travels: the log row
  // gets a new seq and the sealed content, the entry the same seq. Joins the transaction.
  Status Publish(Entry& entry, bool is_new);
  // Replaces the entry's log row (if any, or always with `force`) with a tombstone of a new
  // seq. Joins the caller's transaction; the entry is the caller's business.
  Status Withdraw(const std::string& entry_id, bool force = false);
  // Stores an entry from an export: shared ones travel as they are in the file.
  Status StoreImported(Entry& entry, bool is_new);
  // The next seq of the outgoing log (inside the caller's transaction).
  Result<int64_t> NextLogSeq();
  // What a log row may send: for a withdrawn row "", for a shared one its content, once its
  // seal opens and the entry it names opens as this journal's own shared entry naming this very
  // row. nullopt (and the row named in damage()) for a row that fails any of that.
  Result<std::optional<std::string>> CheckedLogRow(const storage::OutgoingRow& row);
  // Whether `content` is the version of `entry` its log row holds for the partner.
  Result<bool> IsConfirmedVersion(const Entry& entry, std::string_view content);
  // kInvalidArgument (reason kNotOwnEntry) unless the entry is the journal's own.
  static Status RequireOwn(const Entry& entry);
  Result<Entry> Load(const std::string& id);
  // Opens a stored row; a row that fails its check is recorded in damage() and reported with
  // reason kEntryDamaged, or as kBusy (kKeyChanged) if the journal was re-keyed meanwhile.
  Result<Entry> OpenRow(const storage::EntryRow& row);
  Status Damaged(const std::string& entry_id, const Status& failure);
  Status RecordDamaged(std::string_view name, const Status& failure);
  // kBusy (reason kKeyChanged) once another process gave the journal a new key.
  Status RequireCurrentKey();
  Result<std::vector<std::string>> ResolveLinks(const std::vector<std::string>& prefixes);
  // Visits the entries `filter` matches (those outside the trash, those in it, or all); a
  // damaged one is recorded and skipped.
  enum class TrashScope { kOutside, kInside, kAll };
  Status ForEach(const ListFilter& filter, const std::function<Status(Entry&)>& visit,
                 TrashScope scope = TrashScope::kOutside);

  // The trash (journal_trash.cc). The record of what is in it: entry id -> when it was trashed
  // (ms). Only a hint: each entry's seal decides. A damaged record reads as empty (and is named
  // in damage()).
  using TrashIndex = std::map<std::string, int64_t>;
  Result<TrashIndex> ReadTrashIndex();
  Status WriteTrashIndex(const TrashIndex& index);  // joins the caller's transaction
  // kNotFound with reason kInTrash for `id`.
  static Status InTrash(const std::string& id);
  // Own entries in the trash, the longest there first.
  Result<std::vector<Entry>> EntriesInTrash();
  // Joins the caller's transaction: deletes for good each of `ids` whose seal says it was
  // trashed at `cutoff_ms` or before, and brings `index` in line with what it found. How many.
  Result<int64_t> DeleteFromTrash(const std::vector<std::string>& ids, int64_t cutoff_ms,
                                  TrashIndex& index);
  // Takes `id` out of the record of the trash, if there (joins the caller's transaction).
  Status ForgetTrashed(const std::string& id);
  // kNotFound (reason kInTrash) if `id` is in the trash: links may not name it anew. A damaged
  // entry is not refused here.
  Status RequireOutsideTrash(const std::string& id);
  // Takes the entries in the trash out of CountByKind's counts.
  Status LeaveOutTrashed(std::map<std::string, int>& counts);
  // How many own entries there are outside the trash (what an export holds).
  Result<uint64_t> CountOwnOutsideTrash();
  // This node's long-term X25519 key pair; made and stored sealed on first use (journals made
  // before pairing existed get theirs then).
  Result<crypto::X25519KeyPair> LinkIdentity();
  Result<std::optional<crypto::X25519KeyPair>> StoredLinkIdentity();
  // The onion service seed and the tor client secret, 32 bytes each, made on first use.
  Result<Secret> OnionSecrets();
  // Deletes the partner record (joins the caller's transaction). kNotFound
  // (JournalReason::kNotPaired) if there is none.
  Status ForgetPartnerRecord();

  // The outgoing log's seal over all its rows, range by range (journal_log_seal.cc). Every
  // write to the log goes through PutLogRow or StartLogOver, which keep it up to date.
  struct LogSeal;
  Result<std::optional<LogSeal>> ReadLogSeal();
  // A seal stored in the older whole-log format, its ranges worked out from the rows.
  Result<std::optional<LogSeal>> ConvertWholeLogSeal(ByteSpan stored);
  // Sets the seal's ranges to the digests of the rows as they are now, under its key.
  Status SealRowsAsTheyAre(LogSeal& seal);
  Status WriteLogSeal(const LogSeal& seal);
  Status PutLogRow(const std::string& entry_id, int64_t seq, bool withdrawn, ByteSpan sealed);
  // Empties the log, under a new seal bound to nobody.
  Status StartLogOver();
  // A new seal over the log as it is now (the format-1 upgrade), for `partner` if paired.
  Status SealLogAsItIs(const std::optional<crypto::X25519PublicKey>& partner);
  // Whether the rows a partner holding everything up to `after_seq` lacks match the seal (and
  // the seal's top range, always), and the seal names `partner` or nobody (nullptr: any).
  // after_seq 0 checks the whole log.
  Result<bool> LogIsIntact(const crypto::X25519PublicKey* partner, int64_t after_seq = 0);
  // Every own shared entry private again, the log started over under a new epoch (joins the
  // caller's transaction); how many entries were made private.
  Result<int64_t> ResetSharing();
  // Binds the log to `partner` (pairing). A log bound to someone else, or not matching its
  // seal, is reset first (ResetSharing): returns how many entries that made private.
  Result<int64_t> BindLogTo(const crypto::X25519PublicKey& partner);
  // kAuthFailed (reason kRecordDamaged, "outgoing log") unless the log matches its seal from
  // the rows after `after_seq` on (LogIsIntact) and the seal names the stored partner or
  // nobody. Before anything is sent.
  Status RequireIntactLog(int64_t after_seq = 0);

  // Records: small values in the meta table sealed under the record key (entry_codec.h). A
  // record that fails its check is reported with reason kRecordDamaged.
  Result<std::optional<std::string>> GetRecord(std::string_view name);
  Status PutRecord(std::string_view name, std::string_view value);
  Result<std::optional<Secret>> GetSecretRecord(std::string_view name);
  Status PutSecretRecord(std::string_view name, const Secret& value);
  Status DeleteRecord(std::string_view name);  // absent is fine

  std::unique_ptr<Backing> backing_;
  const Clock* clock_;
  std::shared_ptr<DamageReport> damage_;
  bool upgraded_ = false;
};

// What `attune themes --json` and the page's GET /api/themes print: {"feelings", "tags",
// "words"}, each a list of {"term", "count", "ids"}.
nlohmann::json ThemesToJson(const steps::Themes& themes);

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_H_
