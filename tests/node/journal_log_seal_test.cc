// The outgoing log as a whole (node/journal/journal_log_seal.cc), and rows whose plain columns were
// changed in the file: what someone who can write journal.db without the passphrase can make
// attune send, show or hide. Each test makes the change with a second connection to the file,
// as such a person would, then looks at what leaves through the sync store.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
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

  // What a session would send now, from the start of the log.
  Result<std::vector<protocol::LogRow>> WhatWouldLeave(Journal& journal) {
    JournalSyncStore store(journal);
    ATTUNE_ASSIGN_OR_RETURN(Bytes epoch, store.LocalEpoch());
    return store.ReadLog(epoch, 0, 1000);
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
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK(journal().SavePartner(SomePartner("Alex"), /*replace=*/false));
  ASSERT_OK_AND_ASSIGN(Entry secret, journal().Add(Draft("need", std::string(kWithdrawnMarker))));
  ASSERT_OK(journal().Share(secret.id).status());
  ASSERT_OK_AND_ASSIGN(Entry kept, journal().Add(Draft("need", "still shared")));
  ASSERT_OK(journal().Share(kept.id).status());
  CloseJournal();
  std::optional<storage::EntryRow> old_entry;
  std::optional<storage::OutgoingRow> old_row;
  {
    ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
    ASSERT_OK_AND_ASSIGN(old_entry, db.GetEntry(secret.id));
    ASSERT_OK_AND_ASSIGN(old_row, db.GetLogRow(secret.id));
    ASSERT_TRUE(old_entry && old_row && old_row->sealed);
  }
  {
    ASSERT_OK_AND_ASSIGN(Journal journal, Journal::Open(home_, MustNotAsk(), clock_));
    ASSERT_OK(journal.Unshare(secret.id).status());
    ASSERT_OK_AND_ASSIGN(Entry later, journal.Add(Draft("need", "shared later")));
    ASSERT_OK(journal.Share(later.id).status());
  }
  {
    ASSERT_OK_AND_ASSIGN(storage::Database db, OpenStorage());
    ASSERT_OK(db.UpdateEntry(*old_entry));
    ASSERT_OK(db.PutLogRow(secret.id, old_row->seq, false, *old_row->sealed));
  }
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
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK(journal().SavePartner(SomePartner("Alex"), /*replace=*/false));
  ASSERT_OK_AND_ASSIGN(Entry first, journal().Add(Draft("need", "first")));
  ASSERT_OK(journal().Share(first.id).status());
  ASSERT_OK_AND_ASSIGN(Entry second, journal().Add(Draft("need", "second")));
  ASSERT_OK(journal().Share(second.id).status());
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
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK(journal().SavePartner(SomePartner("Alex"), /*replace=*/false));
  ASSERT_OK_AND_ASSIGN(Entry for_alex, journal().Add(Draft("need", "for Alex only")));
  ASSERT_OK(journal().Share(for_alex.id).status());
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
  ASSERT_OK_AND_ASSIGN(Entry early, journal().Add(Draft("need", "shared before pairing")));
  ASSERT_OK(journal().Share(early.id).status());
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
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK(journal().SavePartner(SomePartner("Alex"), /*replace=*/false));
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

}  // namespace
}  // namespace attune::node::testing
