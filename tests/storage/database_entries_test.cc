// Entry CRUD, prefix lookup, filters and streaming.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "storage/database.h"
#include "tests/storage/test_util.h"

namespace attune::storage {
namespace {

using testing::MakeEntry;
using testing::PaddedId;

class DatabaseEntriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(Database db,
                         Database::Open(dir_.File("journal.db"), OpenMode::kCreateIfMissing));
    db_.emplace(std::move(db));
  }

  EntryRow Insert(std::string id, std::string kind, int step, int64_t created_ms,
                  std::string author = "me") {
    EntryRow row = MakeEntry(0, created_ms);
    row.id = std::move(id);
    row.kind = std::move(kind);
    row.step = step;
    row.author = std::move(author);
    EXPECT_OK(db_->InsertEntry(row));
    return row;
  }

  std::vector<std::string> ListIds(const EntryFilter& filter) {
    Result<std::vector<EntryRow>> rows = db_->ListEntries(filter);
    EXPECT_OK(rows.status());
    std::vector<std::string> ids;
    if (rows.ok()) {
      for (const EntryRow& row : *rows) ids.push_back(row.id);
    }
    return ids;
  }

  testing::TempDir dir_;
  std::optional<Database> db_;
};

TEST_F(DatabaseEntriesTest, InsertThenGetRoundTripsEveryField) {
  EntryRow row = MakeEntry(7);
  row.kind = "quiz";
  row.step = -3;
  row.created_offset_min = -570;
  row.updated_ms = row.created_ms + 5;
  row.updated_offset_min = 840;
  row.visibility = "shared";
  row.author = "partner";
  ASSERT_OK(db_->InsertEntry(row));
  ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> got, db_->GetEntry(row.id));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, row);
}

TEST_F(DatabaseEntriesTest, GetMissingIsEmpty) {
  ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> got, db_->GetEntry(PaddedId("f")));
  EXPECT_FALSE(got.has_value());
}

TEST_F(DatabaseEntriesTest, DuplicateIdIsAlreadyExists) {
  EntryRow row = MakeEntry(1);
  ASSERT_OK(db_->InsertEntry(row));
  row.body = testing::RandomBytes(8);
  Status status = db_->InsertEntry(row);
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.detail();
}

TEST_F(DatabaseEntriesTest, MalformedRowsAreInvalidArgument) {
  auto with = [](auto change) {
    EntryRow row = MakeEntry(1);
    change(row);
    return row;
  };
  const EntryRow bad_rows[] = {
      with([](EntryRow& r) { r.id = "abc"; }),
      with([](EntryRow& r) { r.id = PaddedId("A"); }),
      with([](EntryRow& r) { r.id = PaddedId("g"); }),
      with([](EntryRow& r) { r.id += "0"; }),
      with([](EntryRow& r) { r.kind.clear(); }),
      with([](EntryRow& r) { r.visibility = "public"; }),
      with([](EntryRow& r) { r.author = "stranger"; }),
      with([](EntryRow& r) { r.created_offset_min = 24 * 60 + 1; }),
      with([](EntryRow& r) { r.updated_offset_min = -24 * 60 - 1; }),
  };
  for (const EntryRow& row : bad_rows) {
    EXPECT_EQ(db_->InsertEntry(row).code(), StatusCode::kInvalidArgument) << row.id;
  }
  ASSERT_OK_AND_ASSIGN(int64_t count, db_->CountEntries({}));
  EXPECT_EQ(count, 0);
  EXPECT_EQ(db_->GetEntry("xyz").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(db_->DeleteEntry(PaddedId("G")).code(), StatusCode::kInvalidArgument);
}

// node seals every column together, so an update writes them all.
TEST_F(DatabaseEntriesTest, UpdateReplacesEveryColumnButTheId) {
  EntryRow original = MakeEntry(3);
  ASSERT_OK(db_->InsertEntry(original));
  EntryRow update = original;
  update.kind = "other";
  update.step = 99;
  update.created_ms = 1;
  update.author = "partner";
  update.updated_ms = original.updated_ms + 60000;
  update.updated_offset_min = -60;
  update.visibility = "shared";
  update.body = testing::RandomBytes(100);
  ASSERT_OK(db_->UpdateEntry(update));

  ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> got, db_->GetEntry(original.id));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, update);
  update.author = "stranger";
  EXPECT_EQ(db_->UpdateEntry(update).code(), StatusCode::kInvalidArgument);
}

TEST_F(DatabaseEntriesTest, UpdateOrDeleteMissingIsNotFound) {
  EXPECT_EQ(db_->UpdateEntry(MakeEntry(1)).code(), StatusCode::kNotFound);
  EXPECT_EQ(db_->DeleteEntry(MakeEntry(1).id).code(), StatusCode::kNotFound);
  EntryRow bad = MakeEntry(1);
  bad.visibility = "everyone";
  EXPECT_EQ(db_->UpdateEntry(bad).code(), StatusCode::kInvalidArgument);
}

TEST_F(DatabaseEntriesTest, DeleteRemovesOnlyThatEntry) {
  EntryRow a = MakeEntry(1);
  EntryRow b = MakeEntry(2);
  ASSERT_OK(db_->InsertEntry(a));
  ASSERT_OK(db_->InsertEntry(b));
  ASSERT_OK(db_->DeleteEntry(a.id));
  ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> gone, db_->GetEntry(a.id));
  EXPECT_FALSE(gone.has_value());
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> ids, db_->ListAllIds());
  EXPECT_EQ(ids, std::vector<std::string>{b.id});
}

TEST_F(DatabaseEntriesTest, PrefixLookup) {
  const std::string ab1 = PaddedId("ab1", '0');
  const std::string ab2 = PaddedId("ab2", '0');
  const std::string ab9 = PaddedId("ab9", 'f');
  const std::string aba = PaddedId("aba", '0');
  const std::string abf = PaddedId("abf", 'f');
  const std::string ac0 = PaddedId("ac0", '0');
  for (const std::string& id : {ac0, abf, aba, ab9, ab2, ab1}) Insert(id, "k", 0, 0);

  auto find = [this](std::string_view prefix, size_t limit) {
    Result<std::vector<std::string>> ids = db_->FindIdsByPrefix(prefix, limit);
    EXPECT_OK(ids.status());
    return ids.ok() ? *ids : std::vector<std::string>{"<error>"};
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(find("ab1", 2), Ids{ab1});        // unique
  EXPECT_EQ(find("ab", 2), (Ids{ab1, ab2}));  // ambiguous, capped at the limit
  EXPECT_EQ(find("ab", 10), (Ids{ab1, ab2, ab9, aba, abf}));
  EXPECT_EQ(find("ab9", 10), Ids{ab9});  // '9' is next to ':' in ASCII
  EXPECT_EQ(find("abf", 10), Ids{abf});  // 'f' is the last hex digit
  EXPECT_EQ(find("ac", 10), Ids{ac0});
  EXPECT_EQ(find("b", 10), Ids{});    // none
  EXPECT_EQ(find(ab2, 2), Ids{ab2});  // a full id
  EXPECT_EQ(find("a", 1), Ids{ab1});

  for (std::string_view bad : {"", "AB", "abz", "ab-"}) {
    EXPECT_EQ(db_->FindIdsByPrefix(bad, 2).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(db_->FindIdsByPrefix(ab1 + "0", 2).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(db_->FindIdsByPrefix("ab", 0).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DatabaseEntriesTest, ListsInCreatedOrderThenId) {
  Insert(PaddedId("c"), "k", 0, 300);
  Insert(PaddedId("b"), "k", 0, 100);
  Insert(PaddedId("a"), "k", 0, 300);
  Insert(PaddedId("d"), "k", 0, -5);
  EXPECT_EQ(ListIds({}),
            (std::vector<std::string>{PaddedId("d"), PaddedId("b"), PaddedId("a"), PaddedId("c")}));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> all, db_->ListAllIds());
  EXPECT_EQ(all,
            (std::vector<std::string>{PaddedId("a"), PaddedId("b"), PaddedId("c"), PaddedId("d")}));
}

TEST_F(DatabaseEntriesTest, FiltersCombine) {
  Insert(PaddedId("1"), "note", 1, 100, "me");
  Insert(PaddedId("2"), "note", 2, 200, "partner");
  Insert(PaddedId("3"), "quiz", 1, 300, "me");
  Insert(PaddedId("4"), "note", 1, 400, "partner");
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ListIds({.kind = "note"}), (Ids{PaddedId("1"), PaddedId("2"), PaddedId("4")}));
  EXPECT_EQ(ListIds({.step = 1}), (Ids{PaddedId("1"), PaddedId("3"), PaddedId("4")}));
  EXPECT_EQ(ListIds({.since_ms = 200}), (Ids{PaddedId("2"), PaddedId("3"), PaddedId("4")}));
  EXPECT_EQ(ListIds({.author = "partner"}), (Ids{PaddedId("2"), PaddedId("4")}));
  EXPECT_EQ(ListIds({.kind = "note", .step = 1, .since_ms = 150, .author = "partner"}),
            Ids{PaddedId("4")});
  EXPECT_EQ(ListIds({.kind = "missing"}), Ids{});

  ASSERT_OK_AND_ASSIGN(int64_t notes, db_->CountEntries({.kind = "note"}));
  EXPECT_EQ(notes, 3);
  ASSERT_OK_AND_ASSIGN(int64_t all, db_->CountEntries({}));
  EXPECT_EQ(all, 4);
  ASSERT_OK_AND_ASSIGN(int64_t mine_since, db_->CountEntries({.since_ms = 101, .author = "me"}));
  EXPECT_EQ(mine_since, 1);
  EXPECT_EQ(db_->CountEntries({.author = "them"}).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DatabaseEntriesTest, CountsByKindInOnePassWithTheSameFilters) {
  Insert(PaddedId("1"), "note", 1, 100, "me");
  Insert(PaddedId("2"), "note", 2, 200, "partner");
  Insert(PaddedId("3"), "quiz", 1, 300, "me");
  Insert(PaddedId("4"), "note", 1, 400, "me");
  using Counts = std::map<std::string, int64_t>;
  ASSERT_OK_AND_ASSIGN(Counts mine, db_->CountEntriesByKind({.author = "me"}));
  EXPECT_EQ(mine, (Counts{{"note", 2}, {"quiz", 1}}));
  ASSERT_OK_AND_ASSIGN(Counts all, db_->CountEntriesByKind({}));
  EXPECT_EQ(all, (Counts{{"note", 3}, {"quiz", 1}}));
  ASSERT_OK_AND_ASSIGN(Counts later, db_->CountEntriesByKind({.since_ms = 250}));
  EXPECT_EQ(later, (Counts{{"note", 1}, {"quiz", 1}}));
  ASSERT_OK_AND_ASSIGN(Counts none, db_->CountEntriesByKind({.author = "former"}));
  EXPECT_EQ(none, Counts{});
  EXPECT_EQ(db_->CountEntriesByKind({.kind = "note"}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(DatabaseEntriesTest, ForEachStopsWithTheVisitorsStatus) {
  for (int i = 0; i < 5; ++i) ASSERT_OK(db_->InsertEntry(MakeEntry(i, 1000 + i)));
  int visited = 0;
  Status status = db_->ForEachEntry({}, [&visited](const EntryRow&) {
    return ++visited == 3 ? Status::Cancelled("enough") : Status::Ok();
  });
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
  EXPECT_EQ(status.detail(), "enough");
  EXPECT_EQ(visited, 3);
  // The interrupted walk left no statement half-run: a new one starts from the beginning.
  visited = 0;
  ASSERT_OK(db_->ForEachEntry({}, [&visited](const EntryRow&) {
    ++visited;
    return Status::Ok();
  }));
  EXPECT_EQ(visited, 5);
}

TEST_F(DatabaseEntriesTest, VisitorMayReadAndListAgain) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(db_->InsertEntry(MakeEntry(i, 1000 + i)));
  std::vector<std::string> seen;
  ASSERT_OK(db_->ForEachEntry({}, [&](const EntryRow& row) {
    ATTUNE_ASSIGN_OR_RETURN(std::optional<EntryRow> again, db_->GetEntry(row.id));
    if (!again || *again != row) return Status::Internal("mismatch");
    ATTUNE_ASSIGN_OR_RETURN(std::vector<EntryRow> inner, db_->ListEntries({}));
    if (inner.size() != 3) return Status::Internal("inner list");
    seen.push_back(row.id);
    return Status::Ok();
  }));
  EXPECT_EQ(seen.size(), 3u);
}

TEST_F(DatabaseEntriesTest, StreamsManyEntriesInOrder) {
  constexpr int kCount = 3000;
  {
    ASSERT_OK_AND_ASSIGN(Transaction transaction, db_->BeginTransaction());
    // Inserted newest first so the order comes from the query, not the insert order.
    for (int i = kCount - 1; i >= 0; --i) ASSERT_OK(db_->InsertEntry(MakeEntry(i, 1000 + i)));
    ASSERT_OK(transaction.Commit());
  }
  int64_t previous = -1;
  int visited = 0;
  ASSERT_OK(db_->ForEachEntry({.kind = "entry"}, [&](const EntryRow& row) {
    if (row.created_ms <= previous) return Status::Internal("out of order");
    previous = row.created_ms;
    ++visited;
    return Status::Ok();
  }));
  EXPECT_EQ(visited, kCount);
  ASSERT_OK_AND_ASSIGN(int64_t count, db_->CountEntries({.since_ms = 1000 + kCount - 10}));
  EXPECT_EQ(count, 10);
}

// A row whose columns hold values attune never writes comes back with its id and an empty body
// (which no seal opens: node reports that one entry as damaged), and the rows around it as
// they are.
TEST_F(DatabaseEntriesTest, AnUnreadableRowComesBackWithItsIdAndNoBody) {
  const EntryRow damaged = MakeEntry(1), intact = MakeEntry(2);
  ASSERT_OK(db_->InsertEntry(damaged));
  ASSERT_OK(db_->InsertEntry(intact));
  testing::RawDb raw = testing::OpenRaw(dir_.File("journal.db"));
  ASSERT_EQ(
      testing::ExecRaw(raw.get(), "UPDATE entries SET body = 'text', step = 1e300 WHERE id = '" +
                                      damaged.id + "'"),
      SQLITE_OK);
  ASSERT_OK_AND_ASSIGN(std::optional<EntryRow> got, db_->GetEntry(damaged.id));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, damaged.id);
  EXPECT_TRUE(got->body.empty());
  EXPECT_TRUE(got->author.empty()) << "an unreadable row names no author";
  ASSERT_OK_AND_ASSIGN(std::vector<EntryRow> listed, db_->ListEntries({}));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_TRUE(listed[0].body.empty() != listed[1].body.empty());
  EXPECT_TRUE(listed[0] == intact || listed[1] == intact);
}

}  // namespace
}  // namespace attune::storage
