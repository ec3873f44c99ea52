// Starting over with sharing: unpairing (keeping or deleting the partner's entries), and
// export and import, which carry only the journal's own entries and keep the log honest.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "node/exercises.h"
#include "node/journal/exercise_link.h"
#include "tests/node/sharing_fixture.h"

namespace attune::node::testing {
namespace {

using nlohmann::json;

// ---- Unpairing ----

class JournalUnpairTest : public JournalSharingTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(JournalSharingTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(Pair());
    for (const char* text : {"theirs 1", "theirs 2"}) {
      clock_.Advance(1000);
      theirs_.push_back(PartnerEntry("boundary", text));
      ASSERT_NO_FATAL_FAILURE(ReceiveEntry(theirs_.back()));
    }
    ASSERT_OK_AND_ASSIGN(shared_a_, AddShared("need", "mine, shared"));
    ASSERT_OK_AND_ASSIGN(shared_b_, AddShared("trigger", "mine, shared too"));
    ASSERT_OK_AND_ASSIGN(private_, AddEntry("wound", "mine, private"));
    ASSERT_OK(journal().Unshare(shared_b_.id).status());
    ASSERT_OK(journal().Share(shared_b_.id).status());
    ASSERT_OK(store_->SetPeerAcked(OwnEpoch(), 2));
    ASSERT_OK_AND_ASSIGN(epoch_before_, store_->LocalEpoch());
  }

  // What every unpair does to this journal's own side.
  void ExpectOwnSideStartedOver() {
    for (const std::string& id : {shared_a_.id, shared_b_.id, private_.id}) {
      ASSERT_OK_AND_ASSIGN(Entry entry, journal().Get(id));
      EXPECT_EQ(entry.visibility, node::Visibility::kPrivate) << entry.text;
      EXPECT_EQ(entry.author, node::Author::kMe);
    }
    EXPECT_TRUE(Log().empty());
    ASSERT_OK_AND_ASSIGN(std::vector<SharedItem> items, journal().SharedItems());
    EXPECT_TRUE(items.empty());
    ASSERT_OK_AND_ASSIGN(Bytes epoch_after, store_->LocalEpoch());
    EXPECT_NE(epoch_after, epoch_before_);
    ASSERT_OK_AND_ASSIGN(uint64_t acked, JournalSyncStore::PeerAcked(journal()));
    EXPECT_EQ(acked, 0u);
    ASSERT_OK_AND_ASSIGN(protocol::PeerCursor cursor, store_->Cursor());
    EXPECT_TRUE(cursor.epoch.empty());
    EXPECT_EQ(cursor.applied_seq, 0u);
    ASSERT_OK_AND_ASSIGN(std::optional<Partner> partner, journal().GetPartner());
    EXPECT_FALSE(partner.has_value());
    ASSERT_OK_AND_ASSIGN(std::string name, journal().PartnerName());
    EXPECT_EQ(name, "your partner");
  }

  std::vector<Entry> theirs_;
  Entry shared_a_, shared_b_, private_;
  Bytes epoch_before_;
};

TEST_F(JournalUnpairTest, KeepTurnsThePartnersEntriesIntoAFormerPartnersReadOnlyOnes) {
  ASSERT_OK_AND_ASSIGN(int64_t unshared, journal().Unpair(/*keep_entries=*/true));
  EXPECT_EQ(unshared, 2);
  ASSERT_NO_FATAL_FAILURE(ExpectOwnSideStartedOver());
  EXPECT_TRUE(IdsBy(Author::kPartner).empty());
  EXPECT_EQ(IdsBy(Author::kFormer), (std::vector<std::string>{theirs_[0].id, theirs_[1].id}));
  ASSERT_OK_AND_ASSIGN(Entry kept, journal().Get(theirs_[1].id));
  EXPECT_EQ(kept.author, node::Author::kFormer);
  EXPECT_EQ(kept.text, "theirs 2");
  EXPECT_CODE(journal().EditText(kept.id, "x"), kInvalidArgument);
  EXPECT_CODE(journal().Remove(kept.id), kInvalidArgument);
  EXPECT_CODE(journal().Share(kept.id), kInvalidArgument);
  EXPECT_CODE(journal().Respond(kept.id, "late answer", ""), kInvalidArgument);

  // A new partner's first hello (a new epoch) does not touch a former partner's entries.
  peer_epoch_ = Bytes(protocol::kEpochBytes, 0x77);
  ASSERT_OK(store_->ResetPeer(peer_epoch_));
  EXPECT_EQ(IdsBy(Author::kFormer).size(), 2u);
  // Nor can a partner's row replace or remove one.
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts counts,
                       Receive({RowOf(theirs_[0]), TombstoneOf(theirs_[1].id)}));
  EXPECT_EQ(counts.refused, 2u);
  EXPECT_EQ(IdsBy(Author::kFormer).size(), 2u);
  EXPECT_REASON(journal().Unpair(true), kNotFound, node::JournalReason::kNotPaired);
}

TEST_F(JournalUnpairTest, DeleteRemovesThePartnersEntries) {
  ASSERT_OK_AND_ASSIGN(int64_t unshared, journal().Unpair(/*keep_entries=*/false));
  EXPECT_EQ(unshared, 2);
  ASSERT_NO_FATAL_FAILURE(ExpectOwnSideStartedOver());
  EXPECT_TRUE(IdsBy(Author::kPartner).empty());
  EXPECT_TRUE(IdsBy(Author::kFormer).empty());
  for (const Entry& entry : theirs_) EXPECT_CODE(journal().Get(entry.id), kNotFound);
  EXPECT_EQ(IdsBy(Author::kMe).size(), 3u);
}

TEST_F(JournalSharingTest, UnpairWithoutAPartnerChangesNothing) {
  ASSERT_OK_AND_ASSIGN(Entry shared, AddShared("need", "mine"));
  EXPECT_REASON(journal().Unpair(true), kNotFound, node::JournalReason::kNotPaired);
  EXPECT_REASON(journal().Unpair(false), kNotFound, node::JournalReason::kNotPaired);
  ASSERT_OK_AND_ASSIGN(Entry still, journal().Get(shared.id));
  EXPECT_EQ(still.visibility, node::Visibility::kShared);
  EXPECT_EQ(Log(), (std::vector<LogLine>{{1, shared.id, false}}));
}

// ---- Export and import ----

TEST_F(JournalSharingTest, ExportHoldsOnlyOwnEntriesAndImportRefusesOthers) {
  ASSERT_OK_AND_ASSIGN(Entry mine, AddShared("need", "mine"));
  ASSERT_NO_FATAL_FAILURE(ReceiveEntry(PartnerEntry("need", "theirs")));
  ASSERT_OK_AND_ASSIGN(std::string exported, journal().ExportJson());
  const json document = json::parse(exported);
  ASSERT_EQ(document["entries"].size(), 1u);
  EXPECT_EQ(document["entries"][0]["id"], mine.id);
  EXPECT_EQ(document["entries"][0]["visibility"], "shared");
  ASSERT_OK_AND_ASSIGN(JournalExport readable, journal().ExportEntries());
  ASSERT_EQ(readable.entries.size(), 1u);
  EXPECT_EQ(readable.entries[0].id, mine.id);

  json forged = document;
  json entry = forged["entries"][0];
  entry["id"] = NewId();
  entry["author"] = "partner";
  forged["entries"].push_back(entry);
  EXPECT_CODE(journal().ImportJson(forged.dump()), kInvalidArgument);
  EXPECT_EQ(IdsBy(Author::kMe).size(), 1u);
}

// Importing a newer version of a shared entry that is private in the file must withdraw it:
// otherwise its log row still says "shared" and the sync would send the private version.
TEST_F(JournalSharingTest, ImportingAPrivateNewerVersionOfASharedEntryWithdrawsIt) {
  ASSERT_OK_AND_ASSIGN(Entry entry, AddShared("need", "shared words"));
  ASSERT_OK_AND_ASSIGN(std::string exported, journal().ExportJson());
  json document = json::parse(exported);
  json& item = document["entries"][0];
  item["visibility"] = "private";
  item["text"] = "private words, edited elsewhere";
  clock_.Advance(60'000);
  item["updated"] = FormatRfc3339(clock_.Now());
  ASSERT_OK_AND_ASSIGN(ImportSummary summary, journal().ImportJson(document.dump()));
  EXPECT_EQ(summary.updated, 1);

  ASSERT_OK_AND_ASSIGN(Entry now, journal().Get(entry.id));
  EXPECT_EQ(now.visibility, node::Visibility::kPrivate);
  ASSERT_OK_AND_ASSIGN(std::vector<protocol::LogRow> rows, store_->ReadLog(OwnEpoch(), 0, 10));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].withdrawn);
  EXPECT_TRUE(rows[0].content.empty());
}

TEST_F(JournalSharingTest, ImportCannotRewriteAPartnersEntry) {
  const Entry theirs = PartnerEntry("need", "their words");
  ASSERT_NO_FATAL_FAILURE(ReceiveEntry(theirs));
  Entry forged = theirs;
  forged.text = "words put in their mouth";
  forged.visibility = node::Visibility::kShared;
  clock_.Advance(60'000);
  forged.updated = clock_.Now();
  const json document = {{"format", "attune-export"},
                         {"version", 1},
                         {"name", "Robin"},
                         {"exported", FormatRfc3339(clock_.Now())},
                         {"entries", {EntryToJson(forged)}}};
  EXPECT_CODE(journal().ImportJson(document.dump()), kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(Entry stored, journal().Get(theirs.id));
  EXPECT_EQ(stored.text, "their words");
  EXPECT_EQ(stored.author, node::Author::kPartner);
  EXPECT_TRUE(Log().empty());
}

TEST_F(JournalSharingTest, ImportingSharedEntriesLogsThem) {
  ASSERT_OK_AND_ASSIGN(Entry shared, AddShared("need", "shared"));
  ASSERT_OK_AND_ASSIGN(Entry kept_private, AddEntry("wound", "private"));
  ASSERT_OK_AND_ASSIGN(std::string exported, journal().ExportJson());

  ASSERT_OK_AND_ASSIGN(Journal restored, Journal::Init(Home(temp_.File("restored")),
                                                       FastOptions(true), MustNotAsk(), clock_));
  ASSERT_OK(restored.ImportJson(exported).status());
  JournalSyncStore restored_store(restored);
  ASSERT_OK_AND_ASSIGN(std::vector<protocol::LogRow> rows,
                       restored_store.ReadLog(*restored_store.LocalEpoch(), 0, 10));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].entry_id, shared.id);
  EXPECT_FALSE(rows[0].withdrawn);
  EXPECT_NE(rows[0].entry_id, kept_private.id);
}

// ---- Unpairing and the exercises of the pairing ----

// A pairing with exercises: one asked here and answered, one asked by the partner, and what the
// last session saw of the partner's attune.
class UnpairExercisesTest : public JournalUnpairTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(JournalUnpairTest::SetUp());
    Exercises exercises(journal());
    ASSERT_OK_AND_ASSIGN(ExerciseView mine, exercises.Ask("check-in"));
    ASSERT_OK(exercises.Answer(mine.id, "good: the walk").status());
    const protocol::ExerciseMessage ask{.kind = protocol::ExerciseMessage::Kind::kAsk,
                                        .exercise_id = std::string(32, 'e'),
                                        .exercise = "one-upside"};
    ASSERT_OK_AND_ASSIGN(ExerciseLink::Receipt receipt, ExerciseLink(journal()).Receive(ask));
    EXPECT_TRUE(receipt.news);
    ASSERT_OK(ExerciseLink(journal()).NotePartner({.lacks_exercises = true, .sent_unknown = true}));
    ASSERT_NO_FATAL_FAILURE(ExpectPairingsExercises());
  }

  void ExpectPairingsExercises() {
    ASSERT_OK_AND_ASSIGN(std::vector<ExerciseView> listed, Exercises(journal()).List());
    EXPECT_EQ(listed.size(), 2u);
    ASSERT_OK_AND_ASSIGN(PartnerSoftware seen, Exercises(journal()).Partner());
    EXPECT_TRUE(seen.lacks_exercises);
    EXPECT_TRUE(seen.sent_unknown);
  }

  void ExpectNoExercises() {
    ASSERT_OK_AND_ASSIGN(std::vector<ExerciseView> listed, Exercises(journal()).List());
    EXPECT_TRUE(listed.empty());
    ASSERT_OK_AND_ASSIGN(PartnerSoftware seen, Exercises(journal()).Partner());
    EXPECT_FALSE(seen.lacks_exercises);
    EXPECT_FALSE(seen.sent_unknown);
    ASSERT_OK_AND_ASSIGN(std::vector<protocol::ExerciseMessage> resends,
                         ExerciseLink(journal()).Due());
    EXPECT_TRUE(resends.empty());
  }
};

// Pairing again with the same partner key (the same person, or one who kept the key) is where
// the old record would show again: nothing of it is left.
TEST_F(UnpairExercisesTest, UnpairRemovesThePairingsExercisesAndWhatWasSeenOfThePartner) {
  for (const bool keep_entries : {true, false}) {
    SCOPED_TRACE(keep_entries ? "keeping entries" : "deleting entries");
    ASSERT_OK(journal().Unpair(keep_entries).status());
    ASSERT_NO_FATAL_FAILURE(Pair());
    ASSERT_NO_FATAL_FAILURE(ExpectNoExercises());
    // The new pairing's exercises start afresh, and go with it too.
    ASSERT_OK(Exercises(journal()).Ask("check-in").status());
    ASSERT_OK(ExerciseLink(journal()).NotePartner({.lacks_exercises = true}));
    ASSERT_OK_AND_ASSIGN(std::vector<ExerciseView> listed, Exercises(journal()).List());
    EXPECT_EQ(listed.size(), 1u);
  }
  ASSERT_OK(journal().Unpair(true).status());
  Partner other;
  other.public_key[0] = 8;
  other.display_name = "Robin";
  other.paired_at = clock_.Now();
  ASSERT_OK(journal().SavePartner(other, /*replace=*/false));
  ASSERT_NO_FATAL_FAILURE(ExpectNoExercises());
}

// A failure at the last step of unpair (forgetting the partner's record, after the exercises)
// undoes the whole of it, the exercises included; a failure in removing the exercises leaves
// the partner and their entries as they were.
TEST_F(UnpairExercisesTest, TheExercisesGoInTheUnpairsOneTransaction) {
  RawSql raw(home_.database_path());
  for (const char* key : {"link.partner", "exercises"}) {
    SCOPED_TRACE(key);
    raw.Exec(std::string("CREATE TRIGGER refuse_forget BEFORE DELETE ON meta WHEN old.key = '") +
             key + "' BEGIN SELECT RAISE(ABORT, 'injected'); END;");
    EXPECT_FALSE(journal().Unpair(/*keep_entries=*/false).ok());
    raw.Exec("DROP TRIGGER refuse_forget;");
    ASSERT_NO_FATAL_FAILURE(ExpectPairingsExercises());
    ASSERT_OK_AND_ASSIGN(std::optional<Partner> partner, journal().GetPartner());
    EXPECT_TRUE(partner.has_value());
    EXPECT_EQ(IdsBy(Author::kPartner).size(), theirs_.size());
    ASSERT_OK_AND_ASSIGN(Entry shared, journal().Get(shared_a_.id));
    EXPECT_EQ(shared.visibility, node::Visibility::kShared);
  }
  ASSERT_OK(journal().Unpair(/*keep_entries=*/false).status());
  ASSERT_NO_FATAL_FAILURE(Pair());
  ASSERT_NO_FATAL_FAILURE(ExpectNoExercises());
}

}  // namespace
}  // namespace attune::node::testing
