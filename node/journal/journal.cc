#include "node/journal.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "base/text_util.h"
#include "crypto/random.h"
#include "crypto/secure_bytes.h"
#include "node/entry_rules.h"
#include "node/journal/entry_codec.h"
#include "node/journal/journal_backing.h"
#include "node/journal/journal_upgrade.h"
#include "node/shared_content.h"
#include "node/style_result.h"
#include "protocol/sync.h"
#include "steps/kinds.h"

namespace attune::node {
namespace {

constexpr std::string_view kNameSetting = "journal.name";
constexpr size_t kMinPrefix = 4;
constexpr size_t kShortIdMin = 6;

std::string NewEntryId() {
  return ToHex(crypto::RandomBytes(16));
}

Result<std::string> NormalizePrefix(std::string_view prefix) {
  std::string lower = ToLower(Trim(prefix));
  if (lower.size() < kMinPrefix || lower.size() > 32 ||
      lower.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Status::InvalidArgument("malformed entry id").WithReason(JournalReason::kMalformedId);
  }
  return lower;
}

// The author is left out on purpose: it is checked on the opened entry (where the seal vouches
// for it), so that a row whose author column was changed in the file is found damaged rather
// than silently passed over. Kind, step and time narrow what is opened; a row changed in those
// columns is found by an unfiltered listing and by `doctor`.
storage::EntryFilter ToStorageFilter(const ListFilter& filter) {
  storage::EntryFilter out;
  out.kind = filter.kind;
  out.step = filter.step;
  out.since_ms = filter.since_utc_ms;
  out.until_ms = filter.until_utc_ms;
  // The author column is in the clear, so own listings read every row and believe only the seal:
  // a row whose column was changed to "partner" is still opened there, and named as damaged.
  // A listing of the partner's (or a former partner's) entries may skip rows whose column says
  // "me": every such row is opened by the own listings, which name it if the seal disagrees.
  // (Steps and the partner's views read the partner's entries: three passes over the whole
  // journal without this.)
  if (filter.author && *filter.author != Author::kMe) {
    out.author = std::string(AuthorName(*filter.author));
  }
  return out;
}

bool HasTag(const Entry& entry, const std::string& tag) {
  return std::find(entry.tags.begin(), entry.tags.end(), tag) != entry.tags.end();
}

// kNotFound (kNoJournal) for a home without one.
Result<storage::Database> OpenExistingDatabase(const Home& home) {
  if (!home.HasJournal()) {
    return Status::NotFound("no journal in " + home.dir()).WithReason(JournalReason::kNoJournal);
  }
  return storage::Database::Open(home.database_path(), storage::OpenMode::kMustExist);
}

}  // namespace

Journal::Journal(storage::Database db, Keyring keyring, const Clock& clock)
    : backing_(std::make_unique<Backing>(Backing{std::move(db), std::move(keyring)})),
      clock_(&clock),
      damage_(std::make_shared<DamageReport>()) {}

Journal::Journal(Journal&&) noexcept = default;
Journal& Journal::operator=(Journal&&) noexcept = default;
Journal::~Journal() = default;

Result<std::string> Journal::RecoveryCode() const {
  return keyring().RecoveryCode();
}

bool Journal::passphrase_protected() const {
  return keyring().passphrase_protected();
}

Result<int64_t> Journal::DataVersion() {
  return db().DataVersion();
}

std::string Journal::DatabasePath() const {
  return db().FilePath();
}

Result<Journal> Journal::Init(const Home& home, const InitOptions& options,
                              const PassphraseSource& ask, const Clock& clock) {
  if (home.HasJournal()) return Status::AlreadyExists("a journal already exists in " + home.dir());
  if (Trim(options.name).empty()) return Status::InvalidArgument("the name is empty");
  // Ask before creating anything, so a missing passphrase leaves no half-made home behind.
  std::optional<Secret> passphrase;
  if (!options.no_passphrase) {
    ATTUNE_ASSIGN_OR_RETURN(Secret given, ask());
    passphrase = std::move(given);
  }
  ATTUNE_RETURN_IF_ERROR(home.Create());
  Result<Journal> made = CreateIn(home, options, passphrase, clock);
  // A journal without its key is no journal: take away the half-made file so `init` can be
  // run again.
  if (!made.ok()) RemoveDatabaseFiles(home.database_path());
  return made;
}

Result<Journal> Journal::CreateIn(const Home& home, const InitOptions& options,
                                  const std::optional<Secret>& passphrase, const Clock& clock) {
  ATTUNE_ASSIGN_OR_RETURN(
      storage::Database db,
      storage::Database::Open(home.database_path(), storage::OpenMode::kCreateIfMissing));
  // The transaction holds the connection, which moves into the journal with the database.
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, db.BeginTransaction());
  ATTUNE_ASSIGN_OR_RETURN(Keyring keyring, Keyring::Create(db, passphrase, options.kdf_strength));
  Journal journal(std::move(db), std::move(keyring), clock);
  ATTUNE_RETURN_IF_ERROR(journal.PutRecord(kNameSetting, Trim(options.name)));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  // The node's long-term link key is made now, so that it exists before any pairing, and so are
  // its onion keys (journals from before issue 17 make theirs on first use).
  ATTUNE_RETURN_IF_ERROR(journal.LinkIdentity().status());
  ATTUNE_RETURN_IF_ERROR(journal.OwnOnionContact().status());
  return journal;
}

Result<Journal> Journal::Open(const Home& home, const PassphraseSource& ask, const Clock& clock) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Database db, OpenExistingDatabase(home));
  ATTUNE_ASSIGN_OR_RETURN(Keyring keyring, Keyring::Unlock(db, ask));
  return Opened(home, std::move(db), std::move(keyring), clock);
}

Result<Journal> Journal::OpenWithRecoveryCode(const Home& home, std::string_view code,
                                              const Clock& clock) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Database db, OpenExistingDatabase(home));
  ATTUNE_ASSIGN_OR_RETURN(Keyring keyring, Keyring::FromRecoveryCode(db, code));
  return Opened(home, std::move(db), std::move(keyring), clock);
}

Result<Journal> Journal::OpenWithDataKey(const Home& home, Secret data_key, const Clock& clock) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Database db, OpenExistingDatabase(home));
  ATTUNE_ASSIGN_OR_RETURN(Keyring keyring, Keyring::FromDataKey(db, std::move(data_key)));
  return Opened(home, std::move(db), std::move(keyring), clock);
}

Secret Journal::CopyDataKey() const {
  return Secret::CopyOf(keyring().data_key().span());
}

Result<Journal> Journal::OpenAnother() const {
  ATTUNE_ASSIGN_OR_RETURN(storage::Database db,
                          storage::Database::Open(DatabasePath(), storage::OpenMode::kMustExist));
  return Journal(std::move(db), keyring().Copy(), *clock_);
}

Result<Journal> Journal::Opened(const Home& home, storage::Database db, Keyring keyring,
                                const Clock& clock) {
  Journal journal(std::move(db), std::move(keyring), clock);
  if (journal.keyring().format() < 2) {
    ATTUNE_RETURN_IF_ERROR(JournalUpgrade(journal, home).Run());
    journal.upgraded_ = true;
  }
  // What has been in the trash long enough goes now: attune keeps no timer. Best effort (a
  // read-only home still opens); a damaged record or entry is named in damage().
  (void)journal.PurgeTrash();
  return journal;
}

Result<std::string> Journal::Name() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<std::string> name, GetRecord(kNameSetting));
  if (!name) {
    return Status::Corruption(std::string(kNameSetting)).WithReason(JournalReason::kRecordDamaged);
  }
  return std::move(*name);
}

// ---- Entries ----

Result<Entry> Journal::Add(NewEntry draft) {
  ATTUNE_ASSIGN_OR_RETURN(const steps::KindInfo* kind, steps::FindKind(draft.kind));
  ATTUNE_RETURN_IF_ERROR(ValidateText(draft.text));
  ATTUNE_RETURN_IF_ERROR(ValidateFieldsOf(kind->name, draft.fields));
  // A style entry without the quiz's scores would be a result `attune style` cannot read.
  if (kind->name == "style" && !QuizScoreFromJson(draft.fields).ok()) {
    return Status::InvalidArgument("a style result comes from the quiz")
        .WithReason(JournalReason::kStyleComesFromQuiz);
  }
  Entry entry;
  entry.id = NewEntryId();
  entry.kind = std::string(kind->name);
  entry.step = kind->step;
  entry.text = std::move(draft.text);
  entry.fields = std::move(draft.fields);
  for (std::string& tag : InlineTags(entry.text)) draft.tags.push_back(std::move(tag));
  ATTUNE_ASSIGN_OR_RETURN(entry.tags, CleanTags(draft.tags));
  ATTUNE_ASSIGN_OR_RETURN(entry.links, ResolveLinks(draft.links));
  const Timestamp now = clock_->Now();
  if (draft.created && draft.created->utc_ms > now.utc_ms) {
    return Status::InvalidArgument("an entry's time cannot be later than now");
  }
  entry.created = entry.updated = draft.created.value_or(now);
  if (!draft.share) {
    ATTUNE_RETURN_IF_ERROR(StoreAtomically(entry, /*is_new=*/true));
    return entry;
  }
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_RETURN_IF_ERROR(Publish(entry, /*is_new=*/true));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  return entry;
}

Result<Entry> Journal::Get(std::string_view id_or_prefix) {
  ATTUNE_ASSIGN_OR_RETURN(std::string id, ResolveId(id_or_prefix));
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Load(id));
  if (!entry.trashed) return entry;
  crypto::Wipe(entry.text);
  return InTrash(id);
}

Result<Entry> Journal::EditText(std::string_view id_or_prefix, std::string text) {
  ATTUNE_RETURN_IF_ERROR(ValidateText(text));
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Get(id_or_prefix));
  ATTUNE_RETURN_IF_ERROR(RequireOwn(entry));
  if (entry.kind == "style") {
    return Status::InvalidArgument("a style result's words come from its answers")
        .WithReason(JournalReason::kStyleTextIsDerived);
  }
  // New #tags written into the text join the entry's tags (none is taken away).
  std::vector<std::string> tags = entry.tags;
  for (std::string& tag : InlineTags(text)) tags.push_back(std::move(tag));
  ATTUNE_ASSIGN_OR_RETURN(entry.tags, CleanTags(tags));
  entry.text = std::move(text);
  // A statement edited as free text is free text.
  DropStaleStatementParts(entry);
  entry.updated = clock_->Now();
  ATTUNE_RETURN_IF_ERROR(StoreAtomically(entry, /*is_new=*/false));
  return entry;
}

Result<Entry> Journal::RecomposeStatement(std::string_view id_or_prefix,
                                          const nlohmann::json& parts, std::string text) {
  ATTUNE_RETURN_IF_ERROR(ValidateText(text));
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Get(id_or_prefix));
  ATTUNE_RETURN_IF_ERROR(RequireOwn(entry));
  if (entry.kind != "statement") {
    return Status::InvalidArgument("not a statement").WithReason(JournalReason::kNotAStatement);
  }
  for (const char* part : {"feel", "when", "need"}) {
    if (!parts.contains(part) || !parts[part].is_string()) {
      return Status::InvalidArgument(std::string("the statement's ") + part + " is missing");
    }
    entry.fields[part] = parts[part];
  }
  entry.text = std::move(text);
  entry.updated = clock_->Now();
  ATTUNE_RETURN_IF_ERROR(StoreAtomically(entry, /*is_new=*/false));
  return entry;
}

Result<Entry> Journal::UpdateFields(std::string_view id_or_prefix, nlohmann::json fields) {
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Get(id_or_prefix));
  ATTUNE_RETURN_IF_ERROR(ValidateFieldsOf(entry.kind, fields));
  ATTUNE_RETURN_IF_ERROR(RequireOwn(entry));
  entry.fields = std::move(fields);
  entry.updated = clock_->Now();
  ATTUNE_RETURN_IF_ERROR(StoreAtomically(entry, /*is_new=*/false));
  return entry;
}

Result<Entry> Journal::RestateBoundary(std::string_view id_or_prefix, std::string note) {
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Get(id_or_prefix));
  ATTUNE_RETURN_IF_ERROR(RequireOwn(entry));
  if (entry.kind != "boundary") {
    return Status::InvalidArgument("not a boundary").WithReason(JournalReason::kNotABoundary);
  }
  if (note.size() > kMaxTextBytes) return Status::InvalidArgument("the note is too long");
  nlohmann::json fields = entry.fields;
  // push_back on anything but null or an array throws; such history was not written by us.
  if (!fields.is_object() ||
      (fields.contains("restatements") && !fields["restatements"].is_array())) {
    return Status::Corruption("the boundary's restatements are not a list");
  }
  const Timestamp now = clock_->Now();
  nlohmann::json restatement = {{"at", FormatRfc3339(now)}};
  if (!Trim(note).empty()) restatement["note"] = std::string(Trim(note));
  fields["restatements"].push_back(std::move(restatement));
  return UpdateFields(entry.id, std::move(fields));
}

Status Journal::Remove(std::string_view id_or_prefix) {
  ATTUNE_ASSIGN_OR_RETURN(std::string id, ResolveId(id_or_prefix));
  Result<Entry> entry = Load(id);
  // A damaged entry can still be deleted (it is how a person gets rid of one). Its columns are
  // not to be trusted, so it is withdrawn if it has a log row at all.
  const bool damaged = !entry.ok() && entry.status().Is(JournalReason::kEntryDamaged);
  if (!entry.ok() && !damaged) return entry.status();
  if (!damaged) ATTUNE_RETURN_IF_ERROR(RequireOwn(*entry));
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_RETURN_IF_ERROR(db().DeleteEntry(id));
  // Deleting a shared entry withdraws it from the partner's node.
  bool withdraw = !damaged && entry->visibility == Visibility::kShared;
  if (damaged) {
    ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::OutgoingRow> row, db().GetLogRow(id));
    withdraw = row.has_value();
  }
  ATTUNE_RETURN_IF_ERROR(Withdraw(id, withdraw));
  ATTUNE_RETURN_IF_ERROR(ForgetTrashed(id));
  ATTUNE_RETURN_IF_ERROR(txn.Commit());
  if (damaged) damage_->entries.erase(id);
  // secure_delete zeroes the row in the database file only when the WAL is checkpointed; do it
  // now so the deleted (sealed) body does not linger in the WAL. Best effort: another reader
  // may hold the WAL open, and the next checkpoint will finish the job.
  (void)db().Checkpoint();
  return Status::Ok();
}

Result<std::string> Journal::ResolveId(std::string_view prefix) {
  ATTUNE_ASSIGN_OR_RETURN(std::string lower, NormalizePrefix(prefix));
  ATTUNE_ASSIGN_OR_RETURN(std::vector<std::string> ids, db().FindIdsByPrefix(lower, 2));
  if (ids.empty()) return Status::NotFound("no entry has an id starting with " + lower);
  if (ids.size() > 1)
    return Status::InvalidArgument("more than one entry starts with " + lower)
        .WithReason(JournalReason::kAmbiguousId);
  return ids.front();
}

Result<std::vector<Entry>> Journal::Matches(std::string_view prefix) {
  ATTUNE_ASSIGN_OR_RETURN(std::string lower, NormalizePrefix(prefix));
  ATTUNE_ASSIGN_OR_RETURN(std::vector<std::string> ids, db().FindIdsByPrefix(lower, 20));
  std::vector<Entry> matches;
  for (const std::string& id : ids) {
    Result<Entry> entry = Load(id);
    if (entry.ok() && !entry->trashed) matches.push_back(std::move(*entry));
  }
  return matches;
}

Result<std::map<std::string, std::string>> Journal::ShortIds() {
  ATTUNE_ASSIGN_OR_RETURN(std::vector<std::string> ids, db().ListAllIds());
  // In sorted order, the longest prefix an id shares with anyone is shared with a neighbour.
  auto common = [](const std::string& a, const std::string& b) {
    size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    return n;
  };
  std::map<std::string, std::string> shortest;
  for (size_t i = 0; i < ids.size(); ++i) {
    size_t shared = 0;
    if (i > 0) shared = std::max(shared, common(ids[i], ids[i - 1]));
    if (i + 1 < ids.size()) shared = std::max(shared, common(ids[i], ids[i + 1]));
    shortest[ids[i]] = ids[i].substr(0, std::max(kShortIdMin, shared + 1));
  }
  return shortest;
}

Status Journal::ForEach(const ListFilter& filter, const std::function<Status(Entry&)>& visit,
                        TrashScope scope) {
  return db().ForEachEntry(ToStorageFilter(filter), [&](const storage::EntryRow& row) -> Status {
    if (filter.shared_only && row.author == storage::kAuthorMe &&
        row.visibility != storage::kVisibilityShared) {
      return Status::Ok();
    }
    // Only own private entries are ever in the trash (the seal vouches for both columns).
    if (scope == TrashScope::kInside &&
        (row.author != storage::kAuthorMe || row.visibility != storage::kVisibilityPrivate)) {
      return Status::Ok();
    }
    Result<Entry> entry = OpenRow(row);
    // A damaged entry is named in damage() and left out; the rest of the journal is listed.
    if (!entry.ok())
      return entry.status().Is(JournalReason::kEntryDamaged) ? Status::Ok() : entry.status();
    if (filter.author && entry->author != *filter.author) return Status::Ok();
    if (filter.tag && !HasTag(*entry, *filter.tag)) return Status::Ok();
    const bool trashed = entry->trashed.has_value();
    if ((scope == TrashScope::kOutside && trashed) || (scope == TrashScope::kInside && !trashed)) {
      crypto::Wipe(entry->text);
      return Status::Ok();
    }
    return visit(*entry);
  });
}

Result<std::vector<Entry>> Journal::List(const ListFilter& filter) {
  std::vector<Entry> entries;
  ATTUNE_RETURN_IF_ERROR(ForEach(filter, [&](Entry& entry) {
    entries.push_back(std::move(entry));
    return Status::Ok();
  }));
  return entries;
}

Result<std::vector<Entry>> Journal::Search(const std::vector<std::string>& words) {
  std::vector<std::string> needles;
  for (const std::string& word : words) {
    if (!Trim(word).empty()) needles.push_back(ToLower(Trim(word)));
  }
  if (needles.empty()) return Status::InvalidArgument("give at least one word to search for");
  std::vector<Entry> found;
  // Everything this journal holds: the partner's shared words are found too.
  ATTUNE_RETURN_IF_ERROR(ForEach({.author = std::nullopt}, [&](Entry& entry) {
    std::string haystack = ToLower(entry.text + "\n" + entry.fields.dump());
    for (const std::string& tag : entry.tags) haystack += "\n" + ToLower(tag);
    const bool all = std::all_of(needles.begin(), needles.end(), [&](const std::string& needle) {
      return haystack.find(needle) != std::string::npos;
    });
    if (all) found.push_back(std::move(entry));
    return Status::Ok();
  }));
  return found;
}

namespace {

// One pass over the journal's own entries (one query per kind read every row again for each).
Result<std::map<std::string, int>> CountOwnByKindIn(storage::Database& db) {
  storage::EntryFilter own;
  own.author = std::string(storage::kAuthorMe);
  ATTUNE_ASSIGN_OR_RETURN(const auto stored, db.CountEntriesByKind(own));
  std::map<std::string, int> counts;
  for (const steps::KindInfo& kind : steps::AllKinds()) {
    const auto found = stored.find(std::string(kind.name));
    counts[std::string(kind.name)] = found == stored.end() ? 0 : static_cast<int>(found->second);
  }
  return counts;
}

}  // namespace

Result<std::map<std::string, int>> CountOwnEntriesByKind(const Home& home) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Database db, OpenExistingDatabase(home));
  return CountOwnByKindIn(db);
}

Result<std::map<std::string, int>> Journal::CountByKind() {
  ATTUNE_ASSIGN_OR_RETURN(auto counts, CountOwnByKindIn(db()));
  ATTUNE_RETURN_IF_ERROR(LeaveOutTrashed(counts));
  return counts;
}

Result<std::map<std::string, int>> Journal::CountPartnerByKind() {
  std::map<std::string, int> counts;
  ATTUNE_RETURN_IF_ERROR(ForEach({.author = Author::kPartner}, [&](Entry& entry) {
    ++counts[entry.kind];
    return Status::Ok();
  }));
  return counts;
}

Result<Entry> Journal::EditTagsAndLinks(std::string_view id_or_prefix,
                                        const TagAndLinkChanges& changes) {
  ATTUNE_ASSIGN_OR_RETURN(Entry entry, Get(id_or_prefix));
  ATTUNE_RETURN_IF_ERROR(RequireOwn(entry));
  std::vector<std::string> tags;
  for (const std::string& tag : entry.tags) {
    if (std::find(changes.remove_tags.begin(), changes.remove_tags.end(), tag) ==
        changes.remove_tags.end()) {
      tags.push_back(tag);
    }
  }
  tags.insert(tags.end(), changes.add_tags.begin(), changes.add_tags.end());
  ATTUNE_ASSIGN_OR_RETURN(entry.tags, CleanTags(tags));
  for (const std::string& prefix : changes.remove_links) {
    const std::string lower = ToLower(prefix);
    const auto linked = std::find_if(entry.links.begin(), entry.links.end(),
                                     [&](const std::string& id) { return id.starts_with(lower); });
    if (lower.empty() || linked == entry.links.end()) {
      return Status::InvalidArgument("the entry is not linked to " + prefix);
    }
    entry.links.erase(linked);
  }
  ATTUNE_ASSIGN_OR_RETURN(std::vector<std::string> added, ResolveLinks(changes.add_links));
  for (std::string& id : added) {
    if (id == entry.id) return Status::InvalidArgument("an entry cannot link to itself");
    if (std::find(entry.links.begin(), entry.links.end(), id) == entry.links.end()) {
      entry.links.push_back(std::move(id));
    }
  }
  if (entry.links.size() > kMaxLinks) return Status::InvalidArgument("too many links");
  entry.updated = clock_->Now();
  ATTUNE_RETURN_IF_ERROR(StoreAtomically(entry, /*is_new=*/false));
  return entry;
}

Result<steps::Themes> Journal::TriggerThemes() {
  std::vector<steps::TriggerText> triggers;
  ListFilter filter;
  filter.kind = "trigger";
  ATTUNE_RETURN_IF_ERROR(ForEach(filter, [&](Entry& entry) {
    triggers.push_back({std::move(entry.text), std::move(entry.tags), entry.id});
    return Status::Ok();
  }));
  return steps::ComputeThemes(triggers);
}

nlohmann::json ThemesToJson(const steps::Themes& themes) {
  const auto list = [](const std::vector<steps::ThemeCount>& terms) {
    nlohmann::json out = nlohmann::json::array();
    for (const steps::ThemeCount& term : terms) {
      out.push_back({{"term", term.term}, {"count", term.count}, {"ids", term.ids}});
    }
    return out;
  };
  return {{"feelings", list(themes.feelings)},
          {"tags", list(themes.tags)},
          {"words", list(themes.words)}};
}

Result<Entry> Journal::RecordQuiz(const steps::QuizScore& score, const std::vector<int>& answers) {
  NewEntry draft;
  draft.kind = "style";
  draft.text = steps::DescribeBlend(score);
  draft.fields = QuizScoreToJson(score);
  draft.fields[std::string(kQuizAnswersField)] = answers;
  return Add(std::move(draft));
}

Status Journal::ChangePassphrase(const std::optional<Secret>& passphrase, KdfStrength strength) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_RETURN_IF_ERROR(keyring().Rewrap(db(), passphrase, strength));
  return txn.Commit();
}

Status Journal::Store(const Entry& entry, bool is_new) {
  const bool shared_by_me = entry.author == Author::kMe && entry.visibility == Visibility::kShared;
  // What cannot travel is refused before it is stored, not discovered when it is confirmed.
  if (shared_by_me) {
    std::string content = EncodeSharedContent(SharedView(entry));
    const size_t size = content.size();
    crypto::Wipe(content);
    if (size > protocol::kMaxSharedEntryBytes) {
      return Status::InvalidArgument("the entry is too large to share (at most " +
                                     std::to_string(protocol::kMaxSharedEntryBytes / 1024) +
                                     " KiB with its details)");
    }
  }
  ATTUNE_ASSIGN_OR_RETURN(storage::EntryRow row, SealEntry(keyring().data_key(), entry));
  return is_new ? db().InsertEntry(row) : db().UpdateEntry(row);
}

Status Journal::StoreAtomically(const Entry& entry, bool is_new) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction txn, BeginWrite());
  ATTUNE_RETURN_IF_ERROR(Store(entry, is_new));
  return txn.Commit();
}

Status Journal::RequireOwn(const Entry& entry) {
  if (entry.author == Author::kMe) return Status::Ok();
  return Status::InvalidArgument("the partner's entry").WithReason(JournalReason::kNotOwnEntry);
}

Result<Entry> Journal::Load(const std::string& id) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<storage::EntryRow> row, db().GetEntry(id));
  if (!row) return Status::NotFound("no entry with id " + id);
  return OpenRow(*row);
}

Result<std::vector<std::string>> Journal::ResolveLinks(const std::vector<std::string>& prefixes) {
  if (prefixes.size() > kMaxLinks) return Status::InvalidArgument("too many links");
  std::vector<std::string> ids;
  for (const std::string& prefix : prefixes) {
    ATTUNE_ASSIGN_OR_RETURN(std::string id, ResolveId(prefix));
    ATTUNE_RETURN_IF_ERROR(RequireOutsideTrash(id));
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

}  // namespace attune::node
