// What someone holding the database files sees, and what tampering with them achieves:
// no journal text, name, tag or field in the clear, and no way to move or alter a sealed body
// without the journal noticing.
#include <gtest/gtest.h>

#include <string>

#include "node/journal.h"
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
  EXPECT_CODE(journal.Get(b.id), kAuthFailed);
  EXPECT_CODE(journal.List({}), kAuthFailed);
  EXPECT_CODE(journal.Search({"entry"}), kAuthFailed);
  ASSERT_OK_AND_ASSIGN(Entry still_a, journal.Get(a.id));
  EXPECT_EQ(still_a.text, "entry a");
}

TEST_F(JournalSecurityTest, ARowWhoseKindChangedFailsToOpen) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK_AND_ASSIGN(Entry wound, AddEntry("wound", "relabel me"));
  CloseJournal();
  {
    ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
    ASSERT_OK_AND_ASSIGN(std::optional<storage::EntryRow> row, db.GetEntry(wound.id));
    ASSERT_TRUE(row);
    // UpdateEntry never changes the kind, so re-insert the row under another one.
    storage::EntryRow relabelled = *row;
    relabelled.kind = "note";
    relabelled.step = 0;
    ASSERT_OK(db.DeleteEntry(wound.id));
    ASSERT_OK(db.InsertEntry(relabelled));
  }
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  EXPECT_CODE(journal.Get(wound.id), kAuthFailed);
  EXPECT_CODE(journal.List(KindFilter("note")), kAuthFailed);
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

}  // namespace
}  // namespace attune::node::testing
