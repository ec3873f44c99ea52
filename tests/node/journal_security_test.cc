// What someone holding the database files sees, and what tampering with them achieves:
// no journal text, name, tag or field in the clear, and no way to move or alter a sealed body
// without the journal noticing.
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "crypto/random.h"
#include "node/journal.h"
#include "node/journal/journal_sync.h"
#include "node/journal_reason.h"
#include "storage/database.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

constexpr std::string_view kTextMarker = "ZEBRAQUARTZTEXT";
constexpr std::string_view kTagMarker = "ZEBRAQUARTZTAG";
constexpr std::string_view kFieldMarker = "ZEBRAQUARTZFIELD";
constexpr std::string_view kNameMarker = "ZEBRAQUARTZNAME";
constexpr std::string_view kEditMarker = "ZEBRAQUARTZEDIT";

class JournalSecurityTest : public JournalTest {
 protected:
  // Both files as they are on disk right now.
  Bytes DatabaseBytes() { return ReadFileBytes(home_.database_path()); }
  Bytes WalBytes() { return ReadFileBytes(home_.database_path() + "-wal"); }

  void ExpectNoMarkers(const Bytes& bytes, const char* which) {
    for (std::string_view marker :
         {kTextMarker, kTagMarker, kFieldMarker, kNameMarker, kEditMarker}) {
      EXPECT_FALSE(BytesContain(bytes, marker)) << marker << " is readable in " << which;
    }
  }

  // A second, storage-level connection to the home's database, as an attacker would use.
  Result<storage::Database> OpenStorage() {
    return storage::Database::Open(home_.database_path(), storage::OpenMode::kMustExist);
  }

  // Changes the clear columns of entry `id`'s row in the file, as that attacker would.
  void RewriteRow(const std::string& id, const std::function<void(storage::EntryRow&)>& change) {
    ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
    ASSERT_OK_AND_ASSIGN(std::optional<storage::EntryRow> row, db.GetEntry(id));
    ASSERT_TRUE(row);
    change(*row);
    ASSERT_OK(db.UpdateEntry(*row));
  }
};

TEST_F(JournalSecurityTest, NothingWrittenIsReadableInTheFiles) {
  CountingPassphrase ask("marker test passphrase");
  ASSERT_OK_AND_ASSIGN(
      Journal journal,
      Journal::Init(home_, FastOptions(false, std::string(kNameMarker)), ask.source(), clock_));
  const NewEntry draft = Draft("trigger", "I feel " + std::string(kTextMarker) + " when",
                               {std::string(kTagMarker)}, {{"detail", std::string(kFieldMarker)}});
  ASSERT_OK_AND_ASSIGN(Entry added, journal.Add(draft));
  ASSERT_OK(journal.EditText(added.id, std::string(kEditMarker) + " edited").status());
  ASSERT_OK_AND_ASSIGN(Entry boundary, journal.Add(Draft("boundary", std::string(kTextMarker))));
  ASSERT_OK(journal.RestateBoundary(boundary.id, std::string(kFieldMarker)).status());

  // While open, recent writes sit in the WAL.
  const Bytes open_db = DatabaseBytes();
  const Bytes open_wal = WalBytes();
  ASSERT_FALSE(open_db.empty());
  ASSERT_FALSE(open_wal.empty()) << "expected the recent writes in the WAL";
  ExpectNoMarkers(open_db, "journal.db (open)");
  ExpectNoMarkers(open_wal, "journal.db-wal (open)");
  // The reader works: structural columns are stored in the clear.
  EXPECT_TRUE(BytesContain(open_db, "trigger") || BytesContain(open_wal, "trigger"));
  EXPECT_TRUE(BytesContain(open_db, added.id) || BytesContain(open_wal, added.id));

  { Journal closing = std::move(journal); }
  const Bytes closed_db = DatabaseBytes();
  const Bytes closed_wal = WalBytes();
  ExpectNoMarkers(closed_db, "journal.db (closed)");
  ExpectNoMarkers(closed_wal, "journal.db-wal (closed)");
  EXPECT_TRUE(BytesContain(closed_db, "trigger") || BytesContain(closed_wal, "trigger"));
  EXPECT_TRUE(BytesContain(closed_db, added.id) || BytesContain(closed_wal, added.id));

  // And it all comes back with the passphrase.
  ASSERT_OK_AND_ASSIGN(Journal reopened, Journal::Open(home_, ask.source(), clock_));
  ASSERT_OK_AND_ASSIGN(Entry back, reopened.Get(added.id));
  EXPECT_EQ(back.text, std::string(kEditMarker) + " edited");
  EXPECT_EQ(back.tags, std::vector<std::string>{std::string(kTagMarker)});
  EXPECT_EQ(back.fields["detail"], kFieldMarker);
  ASSERT_OK_AND_ASSIGN(std::string name, reopened.Name());
  EXPECT_EQ(name, kNameMarker);
}

TEST_F(JournalSecurityTest, ABodyCopiedOntoAnotherRowFailsToOpen) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK_AND_ASSIGN(Entry a, AddEntry("need", "entry a"));
  ASSERT_OK_AND_ASSIGN(Entry b, AddEntry("need", "entry b"));
  CloseJournal();
  {
    ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
    ASSERT_OK_AND_ASSIGN(std::optional<storage::EntryRow> row_a, db.GetEntry(a.id));
    ASSERT_OK_AND_ASSIGN(std::optional<storage::EntryRow> row_b, db.GetEntry(b.id));
    ASSERT_TRUE(row_a && row_b);
    row_b->body = row_a->body;  // same kind, so only the id in the associated data differs
    ASSERT_OK(db.UpdateEntry(*row_b));
  }
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  const Result<Entry> got = journal.Get(b.id);
  EXPECT_CODE(got, kAuthFailed);
  EXPECT_TRUE(got.status().Is(JournalReason::kEntryDamaged));
  EXPECT_EQ(got.status().detail(), b.id);
  // Quarantined, not fatal: the rest of the journal lists and searches, and the damaged entry
  // is named.
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> listed, journal.List({}));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, a.id);
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> found, journal.Search({"entry"}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(journal.damage()->entries, std::set<std::string>{b.id});
  ASSERT_OK_AND_ASSIGN(Entry still_a, journal.Get(a.id));
  EXPECT_EQ(still_a.text, "entry a");
  // And a damaged entry can be let go.
  ASSERT_OK(journal.Remove(b.id));
  EXPECT_CODE(journal.Get(b.id), kNotFound);
  EXPECT_TRUE(journal.damage()->empty());
}

TEST_F(JournalSecurityTest, ARowWhoseKindChangedFailsToOpen) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK_AND_ASSIGN(Entry wound, AddEntry("wound", "relabel me"));
  CloseJournal();
  ASSERT_NO_FATAL_FAILURE(RewriteRow(wound.id, [](storage::EntryRow& row) {
    row.kind = "note";
    row.step = 0;
  }));
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  EXPECT_CODE(journal.Get(wound.id), kAuthFailed);
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> notes, journal.List(KindFilter("note")));
  EXPECT_TRUE(notes.empty());
  EXPECT_EQ(journal.damage()->entries, std::set<std::string>{wound.id});
}

// The seal binds every column (node/entry_codec.h): a private entry made to look shared in
// the file, with a log row planted for it, never leaves. The planted row leaves the log unlike
// its seal, so the session sends nothing at all (the row by itself would also fail its checks
// and go out as a withdrawal, the second line of defence).
TEST_F(JournalSecurityTest, APrivateEntryMadeToLookSharedInTheFileNeverLeaves) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK_AND_ASSIGN(Entry secret, AddEntry("wound", "PRIVATE-WOUND-MARKER"));
  ASSERT_OK_AND_ASSIGN(Entry shared, AddShared("need", "a shared need"));
  CloseJournal();
  {
    ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
    ASSERT_OK_AND_ASSIGN(std::optional<storage::EntryRow> row, db.GetEntry(secret.id));
    ASSERT_TRUE(row);
    row->visibility = "shared";
    ASSERT_OK(db.UpdateEntry(*row));
    // The shared entry's own log row, copied under the secret's id with the next seq.
    ASSERT_OK_AND_ASSIGN(std::optional<storage::OutgoingRow> real, db.GetLogRow(shared.id));
    ASSERT_TRUE(real && real->sealed);
    ASSERT_OK(db.PutLogRow(secret.id, real->seq + 1, false, *real->sealed));
  }
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  JournalSyncStore store(journal);
  ASSERT_OK_AND_ASSIGN(Bytes epoch, store.LocalEpoch());
  const Result<std::vector<protocol::LogRow>> rows = store.ReadLog(epoch, 0, 100);
  EXPECT_CODE(rows, kAuthFailed);
  EXPECT_TRUE(rows.status().Is(JournalReason::kRecordDamaged))
      << test_common::Describe(rows.status());
  EXPECT_TRUE(journal.damage()->records.contains(std::string(kOutgoingLogName)));
}

// An older version of a shared entry's log row put back in the file (a rollback of one row) is
// refused: the log no longer matches its seal, and the session sends nothing
// (journal_log_seal_test.cc has the rest of such changes).
TEST_F(JournalSecurityTest, AnOlderLogRowPutBackIsWithheld) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK_AND_ASSIGN(Entry need, AddShared("need", "OLD-WORDING-MARKER"));
  CloseJournal();
  std::optional<storage::OutgoingRow> old_row;
  {
    ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
    ASSERT_OK_AND_ASSIGN(old_row, db.GetLogRow(need.id));
    ASSERT_TRUE(old_row && old_row->sealed);
  }
  {
    ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
    ASSERT_OK(journal.EditText(need.id, "the new wording").status());
    ASSERT_OK(journal.Share(need.id).status());
  }
  {
    ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
    ASSERT_OK(db.PutLogRow(need.id, old_row->seq + 10, false, *old_row->sealed));
  }
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  JournalSyncStore store(journal);
  ASSERT_OK_AND_ASSIGN(Bytes epoch, store.LocalEpoch());
  const Result<std::vector<protocol::LogRow>> rows = store.ReadLog(epoch, 0, 100);
  EXPECT_CODE(rows, kAuthFailed);
  EXPECT_TRUE(rows.status().Is(JournalReason::kRecordDamaged))
      << test_common::Describe(rows.status());
}

// attune never writes an unprotected key beside a protected one: a file that has both was
// changed to switch the passphrase off, and is refused before anything is read or written.
TEST_F(JournalSecurityTest, AnUnprotectedKeyPlantedBesideTheProtectedOneIsRefused) {
  CountingPassphrase ask("the real passphrase");
  {
    ASSERT_OK_AND_ASSIGN(Journal journal,
                         Journal::Init(home_, FastOptions(false), ask.source(), clock_));
    ASSERT_OK(journal.Add(Draft("need", "protected")).status());
  }
  {
    ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
    ASSERT_OK(db.PutMeta("key.plain", crypto::RandomBytes(32)));
  }
  const Bytes before = ReadFileBytes(home_.database_path());
  const Result<Journal> opened = Journal::Open(home_, ask.source(), clock_);
  EXPECT_CODE(opened, kCorruption);
  EXPECT_TRUE(opened.status().Is(JournalReason::kPlainKeyBesideWrapped));
  EXPECT_EQ(ReadFileBytes(home_.database_path()), before);
}

TEST_F(JournalSecurityTest, AFlippedBodyByteFailsToOpen) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK_AND_ASSIGN(Entry entry, AddEntry("repair", "flip a bit"));
  CloseJournal();
  for (size_t position : {size_t{0}, size_t{30}, size_t{0} - 1}) {
    {
      ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
      ASSERT_OK_AND_ASSIGN(std::optional<storage::EntryRow> row, db.GetEntry(entry.id));
      ASSERT_TRUE(row);
      storage::EntryRow tampered = *row;
      const size_t at = position < tampered.body.size() ? position : tampered.body.size() - 1;
      tampered.body[at] ^= 0x01;
      ASSERT_OK(db.UpdateEntry(tampered));
      ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
      EXPECT_CODE(journal.Get(entry.id), kAuthFailed) << "byte " << at;
      ASSERT_OK(db.UpdateEntry(*row));  // put it back for the next position
    }
    ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
    EXPECT_OK(journal.Get(entry.id).status());
  }
}

TEST_F(JournalSecurityTest, ATamperedNameFailsToOpen) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  CloseJournal();
  {
    ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
    ASSERT_OK_AND_ASSIGN(std::optional<Bytes> name, db.GetMeta("journal.name"));
    ASSERT_TRUE(name);
    name->back() ^= 0x80;
    ASSERT_OK(db.PutMeta("journal.name", *name));
  }
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  EXPECT_CODE(journal.Name(), kAuthFailed);
}

// The partner's listings skip rows whose clear author column says "me"; the own listings read
// every row; both believe only the seal. An own entry relabelled "partner" in the file is named
// as damaged by either: it is never shown as the partner's, nor silently missing from the own.
TEST_F(JournalSecurityTest, ARowWhoseAuthorColumnChangedIsNamedWhicheverListingReadsIt) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK_AND_ASSIGN(Entry mine, AddEntry("need", "relabel my author"));
  ASSERT_OK_AND_ASSIGN(Entry kept, AddEntry("need", "left alone"));
  CloseJournal();
  ASSERT_NO_FATAL_FAILURE(RewriteRow(
      mine.id, [](storage::EntryRow& row) { row.author = std::string(storage::kAuthorPartner); }));
  {
    ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
    ASSERT_OK_AND_ASSIGN(std::vector<Entry> theirs, journal.List({.author = Author::kPartner}));
    EXPECT_TRUE(theirs.empty());
    EXPECT_EQ(journal.damage()->entries, std::set<std::string>{mine.id});
  }
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> own, journal.List({}));
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0].id, kept.id);
  EXPECT_EQ(journal.damage()->entries, std::set<std::string>{mine.id});
}

}  // namespace
}  // namespace attune::node::testing
