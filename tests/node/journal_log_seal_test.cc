// The outgoing log as a whole (node/journal/journal_log_seal.cc), and rows whose plain columns were
// changed in the file: what someone who can write journal.db without the passphrase can make
// attune send, show or hide. Each test makes the change with a second connection to the file,
// as such a person would, then looks at what leaves through the sync store.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "crypto/random.h"
#include "node/journal.h"
#include "node/journal/journal_sync.h"
#include "node/journal_reason.h"
#include "storage/database.h"
#include "tests/common/status_assertions.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

constexpr std::string_view kWithdrawnMarker = "WITHDRAWN-WORDS";

class JournalLogSealTest : public JournalTest {
 protected:
  Result<storage::Database> OpenStorage() {
    return storage::Database::Open(home_.database_path(), storage::OpenMode::kMustExist);
  }

  // Runs `sql` on the file directly: a change storage itself would refuse to make.
  void RunSql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(home_.database_path().c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  static Partner SomePartner(std::string name) {
    Partner partner;
    crypto::FillRandom(partner.public_key);
    partner.display_name = std::move(name);
    return partner;
  }

  // A new journal paired with a partner ("Alex") whose node this test never runs.
  void InitPairedJournal() {
    ASSERT_NO_FATAL_FAILURE(InitJournal());
    ASSERT_OK(journal().SavePartner(SomePartner("Alex"), /*replace=*/false));
  }

  // What a session would send now to a partner holding every row up to `after_seq` (0: from
  // the start of the log), at most `max_rows`.
  Result<std::vector<protocol::LogRow>> WhatWouldLeave(Journal& journal, uint64_t after_seq = 0,
                                                       size_t max_rows = 1000) {
    JournalSyncStore store(journal);
    ATTUNE_ASSIGN_OR_RETURN(Bytes epoch, store.LocalEpoch());
    return store.ReadLog(epoch, after_seq, max_rows);
  }

  // An entry's row and its log row as the file holds them now (the journal closed), for
  // PutBack: what someone who kept an earlier copy of the file can do.
  struct KeptRows {
    storage::EntryRow entry;
    storage::OutgoingRow log_row;
  };
  void KeepRows(const std::string& id, KeptRows& kept) {
    ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
    ASSERT_OK_AND_ASSIGN(std::optional<storage::EntryRow> entry, db.GetEntry(id));
    ASSERT_OK_AND_ASSIGN(std::optional<storage::OutgoingRow> row, db.GetLogRow(id));
    ASSERT_TRUE(entry && row && row->sealed);
    kept = {*entry, *row};
  }
  void PutBack(const KeptRows& kept) {
    ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
    ASSERT_OK(db.UpdateEntry(kept.entry));
    ASSERT_OK(db.PutLogRow(kept.entry.id, kept.log_row.seq, false, *kept.log_row.sealed));
  }

  // Shares and withdraws `id` (private when called) in turn until the log's top seq is `seq`:
  // each write takes the next seq, which is how a long-used journal's log climbs through the
  // seal's ranges (1,024 seqs each).
  static void ClimbLogTo(Journal& journal, const std::string& id, int64_t seq) {
    JournalSyncStore store(journal);
    Result<uint64_t> last = store.LastLocalSeq();
    ASSERT_OK(last.status());
    for (auto at = static_cast<int64_t>(*last); at < seq; ++at) {
      const bool share = (at - static_cast<int64_t>(*last)) % 2 == 0;
      const Status written = (share ? journal.Share(id) : journal.Unshare(id)).status();
      ASSERT_TRUE(written.ok()) << "at seq " << at << ": " << test_common::Describe(written);
    }
  }

  static void ExpectDamagedLog(const Status& status) {
    EXPECT_TRUE(status.Is(JournalReason::kRecordDamaged)) << test_common::Describe(status);
    EXPECT_EQ(status.detail(), kOutgoingLogName);
  }

  static bool AnyCarries(const std::vector<protocol::LogRow>& rows, std::string_view marker) {
    for (const protocol::LogRow& row : rows) {
      if (BytesContain(row.content, marker)) return true;
    }
    return false;
  }
};

// The withdrawn entry's row and its log row, both authentic once, put back after the author
// withdrew it: each passes the checks of one row, but the log no longer matches its seal, so
// nothing is sent. `unshare --all` starts the log over and nothing withdrawn comes back.
TEST_F(JournalLogSealTest, AWithdrawnEntryRolledBackWithItsLogRowIsNeverSentAgain) {
  ASSERT_NO_FATAL_FAILURE(InitPairedJournal());
  ASSERT_OK_AND_ASSIGN(Entry secret, AddShared("need", std::string(kWithdrawnMarker)));
  ASSERT_OK_AND_ASSIGN(Entry kept, AddShared("need", "still shared"));
  CloseJournal();
  KeptRows old;
  ASSERT_NO_FATAL_FAILURE(KeepRows(secret.id, old));
  {
    ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
    ASSERT_OK(journal.Unshare(secret.id).status());
    ASSERT_OK_AND_ASSIGN(Entry later, journal.Add(Draft("need", "shared later")));
    ASSERT_OK(journal.Share(later.id).status());
  }
  ASSERT_NO_FATAL_FAILURE(PutBack(old));
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  const Result<std::vector<protocol::LogRow>> refused = WhatWouldLeave(journal);
  EXPECT_CODE(refused, kAuthFailed);
  EXPECT_TRUE(refused.status().Is(JournalReason::kRecordDamaged))
      << test_common::Describe(refused.status());
  EXPECT_EQ(refused.status().detail(), kOutgoingLogName);
  EXPECT_TRUE(journal.damage()->records.contains(std::string(kOutgoingLogName)));

  // Starting over: everything private, nothing in the log, the partner's copies withdrawn by
  // the new epoch.
  ASSERT_OK_AND_ASSIGN(int64_t withdrawn, journal.UnshareAll());
  EXPECT_EQ(withdrawn, 3) << "the rolled-back entry looks shared again, and so is withdrawn";
  ASSERT_OK_AND_ASSIGN(std::vector<protocol::LogRow> rows, WhatWouldLeave(journal));
  EXPECT_TRUE(rows.empty());
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> shared, journal.List({.shared_only = true}));
  EXPECT_TRUE(shared.empty());
}

// Rows taken out of the log, or a row copied in for another entry, leave it unlike its seal.
TEST_F(JournalLogSealTest, ARowRemovedOrAddedStopsEverySend) {
  ASSERT_NO_FATAL_FAILURE(InitPairedJournal());
  ASSERT_OK_AND_ASSIGN(Entry first, AddShared("need", "first"));
  ASSERT_OK_AND_ASSIGN(Entry second, AddShared("need", "second"));
  CloseJournal();
  RunSql("DELETE FROM outgoing WHERE entry_id = '" + first.id + "'");
  {
    ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
    EXPECT_CODE(WhatWouldLeave(journal), kAuthFailed);
    // Another share does not paper over it: the seal is only ever updated row by row.
    ASSERT_OK(journal.EditText(first.id, "first, reworded").status());
    ASSERT_OK(journal.Share(first.id).status());
    EXPECT_CODE(WhatWouldLeave(journal), kAuthFailed);
  }
  RunSql("DELETE FROM meta WHERE key = 'log.seal'");
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  EXPECT_CODE(WhatWouldLeave(journal), kAuthFailed) << "a log with rows and no seal";
  ASSERT_OK_AND_ASSIGN(Entry third, journal.Add(Draft("need", "third")));
  EXPECT_CODE(journal.Share(third.id), kAuthFailed) << "nor is a new seal made over such a log";
}

// The log is bound to the partner it was kept for. The partner record deleted in the file, then
// someone else paired: what was shared for the first partner is made private, never sent.
TEST_F(JournalLogSealTest, ALogKeptForOnePartnerNeverReachesAnother) {
  ASSERT_NO_FATAL_FAILURE(InitPairedJournal());
  ASSERT_OK_AND_ASSIGN(Entry for_alex, AddShared("need", "for Alex only"));
  CloseJournal();
  RunSql("DELETE FROM meta WHERE key = 'link.partner'");
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  ASSERT_OK(journal.SavePartner(SomePartner("Robin"), /*replace=*/false));
  ASSERT_OK_AND_ASSIGN(std::vector<protocol::LogRow> rows, WhatWouldLeave(journal));
  EXPECT_TRUE(rows.empty());
  ASSERT_OK_AND_ASSIGN(Entry now, journal.Get(for_alex.id));
  EXPECT_EQ(now.visibility, Visibility::kPrivate);
}

// What was shared before pairing is for whoever pairs first: binding the log to them keeps it.
TEST_F(JournalLogSealTest, WhatWasSharedBeforePairingReachesTheFirstPartner) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK_AND_ASSIGN(Entry early, AddShared("need", "shared before pairing"));
  ASSERT_OK(journal().SavePartner(SomePartner("Alex"), /*replace=*/false));
  ASSERT_OK_AND_ASSIGN(std::vector<protocol::LogRow> rows, WhatWouldLeave(journal()));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].withdrawn);
  EXPECT_TRUE(AnyCarries(rows, "shared before pairing"));
}

// A row whose author column was changed (own -> partner's) is found damaged by the own listing,
// not passed over as someone else's: the author is checked on the opened, sealed entry.
TEST_F(JournalLogSealTest, AnEntryWhoseAuthorColumnChangedIsFoundDamagedNotHidden) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK_AND_ASSIGN(Entry mine, journal().Add(Draft("need", "mine")));
  ASSERT_OK_AND_ASSIGN(Entry other, journal().Add(Draft("need", "also mine")));
  CloseJournal();
  RunSql("UPDATE entries SET author = 'partner' WHERE id = '" + mine.id + "'");
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> listed, journal.List({}));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, other.id);
  EXPECT_TRUE(journal.damage()->entries.contains(mine.id));
}

// A column given a value of another type (or out of range) damages that one entry; the rest of
// the journal lists, and the entry can be shown as damaged and removed.
TEST_F(JournalLogSealTest, AColumnOfTheWrongTypeDamagesOneEntryNotTheListing) {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK_AND_ASSIGN(Entry odd, journal().Add(Draft("need", "odd")));
  ASSERT_OK_AND_ASSIGN(Entry fine, journal().Add(Draft("need", "fine")));
  ASSERT_OK_AND_ASSIGN(Entry far, journal().Add(Draft("need", "far")));
  CloseJournal();
  RunSql("UPDATE entries SET step = 'x' WHERE id = '" + odd.id + "'");
  RunSql("UPDATE entries SET created_offset_min = 99999 WHERE id = '" + far.id + "'");
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> listed, journal.List({}));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, fine.id);
  EXPECT_TRUE(journal.damage()->entries.contains(odd.id));
  EXPECT_TRUE(journal.damage()->entries.contains(far.id));
  const Result<Entry> shown = journal.Get(odd.id);
  EXPECT_TRUE(shown.status().Is(JournalReason::kEntryDamaged))
      << test_common::Describe(shown.status());
  ASSERT_OK(journal.Remove(odd.id));
  EXPECT_CODE(journal.Get(odd.id), kNotFound);
}

// Another process (a `share` beside a running `serve`) writes the log and its seal while this
// one checks them. The check reads both from one snapshot of the file, so a write landing
// between reading the seal and reading the rows is never taken for damage.
TEST_F(JournalLogSealTest, SharingInAnotherProcessMeanwhileIsNeverTakenForDamage) {
  ASSERT_NO_FATAL_FAILURE(InitPairedJournal());
  ASSERT_OK_AND_ASSIGN(Entry entry, journal().Add(Draft("need", "shared and withdrawn")));
  ASSERT_OK_AND_ASSIGN(Journal writer, Journal::Open(home_, MustNotAsk(), clock_));
  constexpr int kWrites = 300;
  std::atomic<bool> done = false;
  Status written = Status::Ok();
  std::thread sharer([&] {
    for (int i = 0; i < kWrites && written.ok(); ++i) {
      written = (i % 2 == 0 ? writer.Share(entry.id) : writer.Unshare(entry.id)).status();
    }
    done = true;
  });
  JournalSyncStore store(journal());
  int checks = 0;
  Status checked = Status::Ok();
  while (!done && checked.ok()) {
    checked = store.LastLocalSeq().status();
    ++checks;
  }
  sharer.join();
  ASSERT_OK(written);
  EXPECT_TRUE(checked.ok()) << Describe(checked) << " after " << checks << " checks";
  EXPECT_OK(store.LastLocalSeq().status());
}

// The seal is kept by range, so that a sync reads what the partner lacks, not the whole log. A
// long-used log (past two ranges); the partner holds everything up to kPartnerHolds; then
// `moved`, shared at seq 1, is withdrawn, and more is written above. Its older shared row and
// entry put back hide the withdrawal: the older row's seq is one the partner's next read never
// reaches, so the partner would keep the words. The range the withdrawal lay in, below the top,
// no longer matches.
TEST_F(JournalLogSealTest, AWithdrawalHiddenAboveThePartnersPlaceStopsTheNextSend) {
  constexpr int64_t kPartnerHolds = 2100;
  ASSERT_NO_FATAL_FAILURE(InitPairedJournal());
  ASSERT_OK_AND_ASSIGN(Entry moved, AddShared("need", std::string(kWithdrawnMarker)));
  CloseJournal();
  KeptRows old;
  ASSERT_NO_FATAL_FAILURE(KeepRows(moved.id, old));
  ASSERT_EQ(old.log_row.seq, 1);
  {
    ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
    ASSERT_OK_AND_ASSIGN(Entry filler, journal.Add(Draft("need", "said again and again")));
    ASSERT_NO_FATAL_FAILURE(ClimbLogTo(journal, filler.id, kPartnerHolds));
    ASSERT_OK(journal.Unshare(moved.id).status());  // in range 2
    ASSERT_OK_AND_ASSIGN(Entry later, journal.Add(Draft("need", "said later")));
    ASSERT_NO_FATAL_FAILURE(ClimbLogTo(journal, later.id, 3100));  // the top in range 3
    ASSERT_OK_AND_ASSIGN(std::vector<protocol::LogRow> due,
                         WhatWouldLeave(journal, kPartnerHolds, 1));
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].entry_id, moved.id) << "the withdrawal goes first";
    EXPECT_TRUE(due[0].withdrawn);
  }
  ASSERT_NO_FATAL_FAILURE(PutBack(old));
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  const Result<std::vector<protocol::LogRow>> refused = WhatWouldLeave(journal, kPartnerHolds, 1);
  EXPECT_CODE(refused, kAuthFailed);
  ExpectDamagedLog(refused.status());
}

// Rows taken off the top of the log leave it looking shorter: a partner that holds the rest
// would be told there is nothing to fetch. The top range is checked whatever the partner holds.
TEST_F(JournalLogSealTest, RowsTakenOffTheTopAreFoundWhenASessionStarts) {
  ASSERT_NO_FATAL_FAILURE(InitPairedJournal());
  ASSERT_OK_AND_ASSIGN(Entry moved, AddShared("need", std::string(kWithdrawnMarker)));
  ASSERT_OK_AND_ASSIGN(Entry filler, journal().Add(Draft("need", "said again and again")));
  ASSERT_NO_FATAL_FAILURE(ClimbLogTo(journal(), filler.id, 1030));
  ASSERT_OK(journal().Unshare(moved.id).status());  // seq 1031, alone at the top
  CloseJournal();
  RunSql("DELETE FROM outgoing WHERE seq = (SELECT max(seq) FROM outgoing)");
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  JournalSyncStore store(journal);
  const Result<uint64_t> last = store.LastLocalSeq();
  EXPECT_CODE(last, kAuthFailed) << "the top is checked before the partner is told it";
  ExpectDamagedLog(last.status());
}

// A row planted far above the log (a seq no write of attune would reach) is damage, and the
// next share neither grows the seal to reach it nor papers over it.
TEST_F(JournalLogSealTest, ARowPlantedFarAboveTheLogIsDamageAndGrowsNothing) {
  ASSERT_NO_FATAL_FAILURE(InitPairedJournal());
  ASSERT_OK_AND_ASSIGN(Entry shared, AddShared("need", "shared"));
  ASSERT_OK_AND_ASSIGN(Entry later, journal().Add(Draft("need", "shared later")));
  CloseJournal();
  RunSql("UPDATE outgoing SET seq = 1000000000000 WHERE entry_id = '" + shared.id + "'");
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  JournalSyncStore store(journal);
  EXPECT_CODE(store.LastLocalSeq(), kAuthFailed);
  const Result<Entry> share = journal.Share(later.id);
  EXPECT_CODE(share, kAuthFailed);
  ExpectDamagedLog(share.status());
  EXPECT_CODE(WhatWouldLeave(journal), kAuthFailed);
}

// A change below what the partner holds can make nothing leave (a row put back keeps its older,
// lower seq; the row it replaced lay higher, in a range read whenever it was still to go), so a
// sync leaves it to the whole-log check of `doctor` (CheckSeals) and of pairing, and reads only
// what the partner lacks: here 1 range of 3.
TEST_F(JournalLogSealTest, AChangeBelowThePartnersPlaceIsLeftToTheWholeLogCheck) {
  constexpr int64_t kPartnerHolds = 2500;
  ASSERT_NO_FATAL_FAILURE(InitPairedJournal());
  ASSERT_OK_AND_ASSIGN(Entry early, AddShared("need", "shared early"));
  ASSERT_OK_AND_ASSIGN(Entry filler, journal().Add(Draft("need", "said again and again")));
  ASSERT_NO_FATAL_FAILURE(ClimbLogTo(journal(), filler.id, kPartnerHolds + 5));
  CloseJournal();
  RunSql("DELETE FROM outgoing WHERE entry_id = '" + early.id + "'");
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  ASSERT_OK_AND_ASSIGN(std::vector<protocol::LogRow> due,
                       WhatWouldLeave(journal, kPartnerHolds, 10));
  EXPECT_EQ(due.size(), 1u) << "the filler's one row above the partner's place";
  EXPECT_CODE(WhatWouldLeave(journal, 0, 10), kAuthFailed)
      << "a partner starting over reads it all";
  ASSERT_OK(journal.CheckSeals().status());
  EXPECT_TRUE(journal.damage()->records.contains(std::string(kOutgoingLogName)));
}

// ---- A seal an earlier attune kept as one digest over the whole log ----
// tests/e2e/fixtures/whole-log-seal (make.sh there): Sam's log, paired with Alex, top seq 1,100;
// "early" shared at seq 1, "again" shared and withdrawn in turn above it.

const std::string kWholeLogSeal =
    std::string(ATTUNE_SOURCE_DIR) + "/tests/e2e/fixtures/whole-log-seal";

class WholeLogSealTest : public JournalLogSealTest {
 protected:
  void SetUp() override {
    JournalLogSealTest::SetUp();
    ASSERT_OK(home_.Create());
    const Bytes bytes = ReadFileBytes(kWholeLogSeal + "/sam/journal.db");
    ASSERT_FALSE(bytes.empty());
    test_common::WriteFileBytes(home_.database_path(), bytes);
    ASSERT_EQ(::chmod(home_.database_path().c_str(), 0600), 0);
    std::ifstream in(kWholeLogSeal + "/ids.txt");
    std::string what, id;
    while (in >> what >> id) ids_[what] = id;
    ASSERT_EQ(ids_.size(), 2u);
  }

  // The stored seal's size: the whole-log form is 64 or 96 bytes before sealing, a ranged one
  // 2 more than a multiple of 32.
  size_t StoredSealSize() {
    Result<storage::Database> db = OpenStorage();
    EXPECT_OK(db.status());
    if (!db.ok()) return 0;
    Result<std::optional<Bytes>> stored = db->GetMeta("log.seal");
    EXPECT_OK(stored.status());
    return stored.ok() && *stored ? (*stored)->size() : 0;
  }

  std::map<std::string, std::string> ids_;
};

// The first session converts it: the same rows leave, the seal is stored by range from then
// on, and a change made afterwards is still found.
TEST_F(WholeLogSealTest, ASealKeptWholeIsKeptByRangeOnceASessionChecksIt) {
  const size_t whole = StoredSealSize();
  {
    ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
    JournalSyncStore store(journal);
    ASSERT_OK_AND_ASSIGN(uint64_t last, store.LastLocalSeq());
    EXPECT_EQ(last, 1100u);
    ASSERT_OK_AND_ASSIGN(std::vector<protocol::LogRow> rows, WhatWouldLeave(journal));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].entry_id, ids_["early"]);
    EXPECT_TRUE(AnyCarries(rows, "EARLY-NEED-MARKER"));
  }
  const size_t ranged = StoredSealSize();
  // The form, the key, the partner's key and its length, and two ranges for the whole log's one
  // digest.
  EXPECT_EQ(ranged, whole - 96 + (1 + 32 + 1 + 32 + 2 * 32));
  RunSql("DELETE FROM outgoing WHERE entry_id = '" + ids_["early"] + "'");
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  EXPECT_CODE(WhatWouldLeave(journal), kAuthFailed);
}

// A row changed before the conversion stays a changed row after it, whatever range it lay in:
// the difference from the whole-log digest goes into the top range, which every check reads.
// Here "early" (range 0) is removed and only the top range (1) is read when a session starts.
TEST_F(WholeLogSealTest, ARowChangedUnderASealKeptWholeIsStillFoundOnceKeptByRange) {
  RunSql("DELETE FROM outgoing WHERE entry_id = '" + ids_["early"] + "'");
  ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
  JournalSyncStore store(journal);
  const Result<uint64_t> last = store.LastLocalSeq();
  EXPECT_CODE(last, kAuthFailed);
  ExpectDamagedLog(last.status());
  // A share converts and stores the seal; the damage goes with it.
  ASSERT_OK_AND_ASSIGN(Entry later, journal.Add(Draft("need", "shared after the change")));
  ASSERT_OK(journal.Share(later.id).status());
  EXPECT_CODE(store.LastLocalSeq(), kAuthFailed);
  EXPECT_CODE(WhatWouldLeave(journal), kAuthFailed);
  // `unshare --all` starts the log over, by range.
  ASSERT_OK(journal.UnshareAll().status());
  EXPECT_OK(store.LastLocalSeq().status());
}

}  // namespace
}  // namespace attune::node::testing
