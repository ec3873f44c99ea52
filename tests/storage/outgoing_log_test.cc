// The outgoing log of shared entries (PutLogRow, ReadLog, GetLogRow, LastLogSeq, ClearLog), the
// author-wide deletion used on a partner's new epoch (DeleteEntriesBy), and PRAGMA data_version
// as serve uses it to notice other processes' commits.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "tests/storage/test_util.h"

namespace attune::storage {
namespace {

using testing::MakeEntry;
using testing::PaddedId;

struct SeqAndId {
  int64_t seq;
  std::string entry_id;
  bool operator==(const SeqAndId&) const = default;
};

void PrintTo(const SeqAndId& row, std::ostream* out) {
  *out << "{" << row.seq << ", " << row.entry_id << "}";
}

// The number a call returned, or -1 after recording its failure.
int64_t Number(const Result<int64_t>& result) {
  EXPECT_OK(result.status());
  return result.ok() ? *result : -1;
}

class OutgoingLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(Database db, Database::Open(path(), OpenMode::kCreateIfMissing));
    db_.emplace(std::move(db));
  }

  std::string path() const { return dir_.File("journal.db"); }

  EntryRow Insert(int n, std::string author = "me", std::string visibility = "shared") {
    EntryRow row = MakeEntry(n);
    row.author = std::move(author);
    row.visibility = std::move(visibility);
    EXPECT_OK(db_->InsertEntry(row));
    return row;
  }

  // Moves `id` to the end of the log, as node does: the next seq, and an opaque seal.
  int64_t Append(const std::string& id, bool withdrawn = false) {
    return Append(*db_, id, withdrawn);
  }
  static int64_t Append(Database& db, const std::string& id, bool withdrawn) {
    const int64_t seq = Number(db.LastLogSeq()) + 1;
    EXPECT_OK(db.PutLogRow(id, seq, withdrawn, AsBytes("sealed " + id)));
    return seq;
  }

  // The whole log as (seq, id) pairs, in log order.
  std::vector<SeqAndId> WholeLog() {
    Result<std::vector<OutgoingRow>> rows = db_->ReadLog(0, 1000);
    EXPECT_OK(rows.status());
    std::vector<SeqAndId> log;
    if (rows.ok()) {
      for (const OutgoingRow& row : *rows) log.push_back({row.seq, row.entry_id});
    }
    return log;
  }

  int64_t LastSeq() { return Number(db_->LastLogSeq()); }

  int64_t CountBy(const std::string& author) {
    return Number(db_->CountEntries({.author = author}));
  }

  testing::TempDir dir_;
  std::optional<Database> db_;
};

TEST_F(OutgoingLogTest, AnEmptyLogHasNoRowsAndLastSeqZero) {
  EXPECT_EQ(LastSeq(), 0);
  EXPECT_TRUE(WholeLog().empty());
  ASSERT_OK_AND_ASSIGN(std::optional<OutgoingRow> row, db_->GetLogRow(MakeEntry(1).id));
  EXPECT_FALSE(row.has_value());
}

TEST_F(OutgoingLogTest, EveryAppendTakesOnePastTheCurrentMaximum) {
  const std::string a = Insert(1).id, b = Insert(2).id, c = Insert(3).id;
  EXPECT_EQ(Append(a), 1);
  EXPECT_EQ(Append(b), 2);
  // Re-appending the row that holds the maximum still moves it up.
  EXPECT_EQ(Append(b), 3);
  EXPECT_EQ(Append(b, /*withdrawn=*/true), 4);
  EXPECT_EQ(Append(c), 5);
  EXPECT_EQ(Append(a), 6);
  EXPECT_EQ(LastSeq(), 6);
  EXPECT_EQ(WholeLog(), (std::vector<SeqAndId>{{4, b}, {5, c}, {6, a}}));
}

TEST_F(OutgoingLogTest, ReappendingMovesAnEntryToTheEndKeepingOneRowPerEntry) {
  const std::string a = Insert(1).id, b = Insert(2).id, c = Insert(3).id;
  Append(a);
  Append(b);
  Append(c);
  EXPECT_EQ(Append(a), 4);
  EXPECT_EQ(WholeLog(), (std::vector<SeqAndId>{{2, b}, {3, c}, {4, a}}));
  ASSERT_OK_AND_ASSIGN(std::optional<OutgoingRow> row, db_->GetLogRow(a));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->seq, 4);
  EXPECT_FALSE(row->withdrawn);
}

TEST_F(OutgoingLogTest, ReadLogCarriesTheCurrentEntryRowForSharedRowsOnly) {
  EntryRow shared = Insert(1);
  EntryRow withdrawn = Insert(2, "me", "private");
  const std::string deleted = Insert(3).id;
  Append(shared.id);
  Append(withdrawn.id, /*withdrawn=*/true);
  Append(deleted, /*withdrawn=*/true);
  ASSERT_OK(db_->DeleteEntry(deleted));
  // The log names the entry; the version read is whatever the entries table holds now.
  shared.body = testing::RandomBytes(64);
  shared.updated_ms += 1000;
  ASSERT_OK(db_->UpdateEntry(shared));

  ASSERT_OK_AND_ASSIGN(std::vector<OutgoingRow> rows, db_->ReadLog(0, 10));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].entry_id, shared.id);
  EXPECT_FALSE(rows[0].withdrawn);
  ASSERT_TRUE(rows[0].entry.has_value());
  EXPECT_EQ(*rows[0].entry, shared);
  EXPECT_EQ(rows[1].entry_id, withdrawn.id);
  EXPECT_TRUE(rows[1].withdrawn);
  EXPECT_FALSE(rows[1].entry.has_value()) << "a tombstone carries no entry, even if it exists";
  EXPECT_EQ(rows[2].entry_id, deleted);
  EXPECT_TRUE(rows[2].withdrawn);
  EXPECT_FALSE(rows[2].entry.has_value());

  ASSERT_OK_AND_ASSIGN(std::optional<OutgoingRow> one, db_->GetLogRow(withdrawn.id));
  ASSERT_TRUE(one.has_value());
  EXPECT_TRUE(one->withdrawn);
  EXPECT_FALSE(one->entry.has_value());
}

TEST_F(OutgoingLogTest, ReadLogPagesByAfterSeqAndLimit) {
  std::vector<std::string> ids;
  for (int n = 1; n <= 5; ++n) {
    ids.push_back(Insert(n).id);
    Append(ids.back());
  }
  ASSERT_OK_AND_ASSIGN(std::vector<OutgoingRow> page, db_->ReadLog(2, 2));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].seq, 3);
  EXPECT_EQ(page[0].entry_id, ids[2]);
  EXPECT_EQ(page[1].seq, 4);
  ASSERT_OK_AND_ASSIGN(std::vector<OutgoingRow> rest, db_->ReadLog(4, 100));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].entry_id, ids[4]);
  ASSERT_OK_AND_ASSIGN(std::vector<OutgoingRow> none, db_->ReadLog(5, 100));
  EXPECT_TRUE(none.empty());
  EXPECT_CODE(db_->ReadLog(0, 0), kInvalidArgument);
}

TEST_F(OutgoingLogTest, OwnerOfTellsTheAuthorAndWhetherTheLogNamesTheId) {
  const EntryRow mine = Insert(1);
  const EntryRow theirs = Insert(2, "partner");
  const EntryRow deleted = Insert(3);
  Append(mine.id);
  Append(deleted.id);
  ASSERT_OK(db_->DeleteEntry(deleted.id));
  Append(deleted.id, /*withdrawn=*/true);

  ASSERT_OK_AND_ASSIGN(Database::IdOwner of_mine, db_->OwnerOf(mine.id));
  EXPECT_EQ(of_mine.author, "me");
  EXPECT_TRUE(of_mine.in_log);
  ASSERT_OK_AND_ASSIGN(Database::IdOwner of_theirs, db_->OwnerOf(theirs.id));
  EXPECT_EQ(of_theirs.author, "partner");
  EXPECT_FALSE(of_theirs.in_log);
  ASSERT_OK_AND_ASSIGN(Database::IdOwner of_deleted, db_->OwnerOf(deleted.id));
  EXPECT_FALSE(of_deleted.author.has_value());
  EXPECT_TRUE(of_deleted.in_log);
  ASSERT_OK_AND_ASSIGN(Database::IdOwner of_nobody, db_->OwnerOf(MakeEntry(4).id));
  EXPECT_FALSE(of_nobody.author.has_value());
  EXPECT_FALSE(of_nobody.in_log);
  EXPECT_CODE(db_->OwnerOf("not-an-id"), kInvalidArgument);
}

TEST_F(OutgoingLogTest, InOutgoingLogAgreesWithOwnerOf) {
  const EntryRow shared = Insert(1);
  const EntryRow kept = Insert(2);
  Append(shared.id);
  ASSERT_OK(db_->DeleteEntry(shared.id));
  Append(shared.id, /*withdrawn=*/true);
  for (const std::string& id : {shared.id, kept.id, MakeEntry(3).id}) {
    ASSERT_OK_AND_ASSIGN(Database::IdOwner owner, db_->OwnerOf(id));
    ASSERT_OK_AND_ASSIGN(bool in_log, db_->InOutgoingLog(id));
    EXPECT_EQ(in_log, owner.in_log) << id;
  }
  EXPECT_CODE(db_->InOutgoingLog("not-an-id"), kInvalidArgument);
}

TEST_F(OutgoingLogTest, InsertUnlessPresentLeavesATakenIdAsItIs) {
  const EntryRow first = MakeEntry(1);
  ASSERT_OK_AND_ASSIGN(bool inserted, db_->InsertEntryUnlessPresent(first));
  EXPECT_TRUE(inserted);
  EntryRow second = MakeEntry(1);
  second.author = "partner";
  second.body = Bytes{1, 2, 3};
  ASSERT_OK_AND_ASSIGN(inserted, db_->InsertEntryUnlessPresent(second));
  EXPECT_FALSE(inserted);
  ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> stored, db_->GetEntry(first.id));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->author, first.author);
  EXPECT_EQ(stored->body, first.body);
  // Other constraints still refuse, rather than being skipped as a taken id is.
  EntryRow malformed = MakeEntry(2);
  malformed.visibility = "public";
  EXPECT_CODE(db_->InsertEntryUnlessPresent(malformed), kInvalidArgument);
}

TEST_F(OutgoingLogTest, MalformedIdsAndSeqsAreRefusedAndNothingIsLogged) {
  EXPECT_CODE(db_->PutLogRow("abc", 1, false, AsBytes("x")), kInvalidArgument);
  EXPECT_CODE(db_->PutLogRow(PaddedId("ABCD"), 1, false, AsBytes("x")), kInvalidArgument);
  EXPECT_CODE(db_->PutLogRow(Insert(1).id, 0, false, AsBytes("x")), kInvalidArgument);
  EXPECT_CODE(db_->GetLogRow("zz"), kInvalidArgument);
  EXPECT_EQ(LastSeq(), 0);
}

TEST_F(OutgoingLogTest, ARowCarriesItsSealAndASeqBelongsToOneRow) {
  const std::string a = Insert(1).id, b = Insert(2).id;
  ASSERT_OK(db_->PutLogRow(a, 1, false, AsBytes("seal of a")));
  ASSERT_OK_AND_ASSIGN(std::optional<OutgoingRow> row, db_->GetLogRow(a));
  ASSERT_TRUE(row.has_value());
  ASSERT_TRUE(row->sealed.has_value());
  EXPECT_EQ(*row->sealed, Bytes(AsBytes("seal of a").begin(), AsBytes("seal of a").end()));
  EXPECT_CODE(db_->PutLogRow(b, 1, false, AsBytes("seal of b")), kAlreadyExists);
  // A row without a blob in `sealed` (an older attune's, or one put there by hand) reads as
  // unsealed: node then refuses it.
  {
    testing::RawDb raw = testing::OpenRaw(path());
    ASSERT_EQ(testing::ExecRaw(raw.get(), "UPDATE outgoing SET sealed = NULL"), SQLITE_OK);
  }
  ASSERT_OK_AND_ASSIGN(row, db_->GetLogRow(a));
  ASSERT_TRUE(row.has_value());
  EXPECT_FALSE(row->sealed.has_value());
}

TEST_F(OutgoingLogTest, ClearLogEmptiesItAndNumberingStartsOver) {
  const std::string a = Insert(1).id, b = Insert(2).id;
  Append(a);
  Append(b);
  Append(a);
  ASSERT_OK(db_->ClearLog());
  EXPECT_EQ(LastSeq(), 0);
  EXPECT_TRUE(WholeLog().empty());
  EXPECT_EQ(Append(b), 1);
  ASSERT_OK(db_->ClearLog());
  ASSERT_OK(db_->ClearLog());  // an empty log clears as well
  ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> kept, db_->GetEntry(a));
  EXPECT_TRUE(kept.has_value()) << "the entries stay";
}

TEST_F(OutgoingLogTest, AnAppendRolledBackWithItsTransactionLeavesNoRow) {
  const std::string a = Insert(1).id;
  Append(a);
  {
    ASSERT_OK_AND_ASSIGN(Transaction txn, db_->BeginTransaction());
    Append(Insert(2).id);
    Append(a, /*withdrawn=*/true);
  }
  EXPECT_EQ(WholeLog(), (std::vector<SeqAndId>{{1, a}}));
  ASSERT_OK_AND_ASSIGN(std::optional<OutgoingRow> row, db_->GetLogRow(a));
  ASSERT_TRUE(row.has_value());
  EXPECT_FALSE(row->withdrawn);
}

TEST_F(OutgoingLogTest, DeleteEntriesByRemovesOnlyThatAuthorsRows) {
  Insert(1, "me");
  Insert(2, "partner");
  Insert(3, "partner");
  Insert(4, "former");
  EXPECT_EQ(Number(db_->DeleteEntriesBy("partner")), 2);
  EXPECT_EQ(CountBy("partner"), 0);
  EXPECT_EQ(CountBy("me"), 1);
  EXPECT_EQ(CountBy("former"), 1);
  EXPECT_EQ(Number(db_->DeleteEntriesBy("partner")), 0);
  EXPECT_EQ(Number(db_->DeleteEntriesBy("former")), 1);
  EXPECT_EQ(CountBy("former"), 0);
  EXPECT_CODE(db_->DeleteEntriesBy("stranger"), kInvalidArgument);
  EXPECT_CODE(db_->DeleteEntriesBy(""), kInvalidArgument);
  EXPECT_EQ(CountBy("me"), 1);
}

TEST_F(OutgoingLogTest, FormerIsAStoredAuthorLikeTheOthers) {
  EntryRow row = MakeEntry(9);
  row.author = "former";
  ASSERT_OK(db_->InsertEntry(row));
  ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> got, db_->GetEntry(row.id));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, row);
  row = MakeEntry(10);
  row.author = "stranger";
  EXPECT_CODE(db_->InsertEntry(row), kInvalidArgument);
}

TEST_F(OutgoingLogTest, DataVersionChangesForAnotherConnectionsCommitsOnly) {
  ASSERT_OK_AND_ASSIGN(Database other, Database::Open(path(), OpenMode::kMustExist));
  ASSERT_OK_AND_ASSIGN(int64_t start, db_->DataVersion());
  ASSERT_OK_AND_ASSIGN(int64_t other_start, other.DataVersion());

  // Our own commits, plain and in a transaction, and reads: no change seen here.
  ASSERT_OK(db_->PutMeta("k", AsBytes("1")));
  Append(Insert(1).id);
  {
    ASSERT_OK_AND_ASSIGN(Transaction txn, db_->BeginTransaction());
    ASSERT_OK(db_->PutMeta("k", AsBytes("2")));
    ASSERT_OK(txn.Commit());
  }
  EXPECT_EQ(LastSeq(), 1);
  EXPECT_EQ(Number(db_->DataVersion()), start);

  // ... but the other connection sees each of them.
  ASSERT_OK_AND_ASSIGN(int64_t other_after, other.DataVersion());
  EXPECT_NE(other_after, other_start);

  // Its commit is seen here, and the new value holds until the next foreign commit.
  Append(other, MakeEntry(1).id, /*withdrawn=*/true);
  ASSERT_OK_AND_ASSIGN(int64_t seen, db_->DataVersion());
  EXPECT_NE(seen, start);
  EXPECT_EQ(Number(db_->DataVersion()), seen);
  EXPECT_EQ(Number(other.DataVersion()), other_after);

  // A transaction the other connection rolls back is no change.
  {
    ASSERT_OK_AND_ASSIGN(Transaction txn, other.BeginTransaction());
    ASSERT_OK(other.PutMeta("k", AsBytes("3")));
  }
  EXPECT_EQ(Number(db_->DataVersion()), seen);
}

}  // namespace
}  // namespace attune::storage
