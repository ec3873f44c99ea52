// The trash (issue 19, jrnl's habits): `rm` moves an own entry there, private and withdrawn if
// it was shared; everything else leaves it out; `restore` brings it back private; what was
// trashed 30 days ago is deleted for good when the journal is opened, in the journal's own
// (here: manual) time; and what the file says about the trash outside the seals decides nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "node/journal.h"
#include "tests/node/sharing_fixture.h"

namespace attune::node::testing {
namespace {

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;

class JournalTrashTest : public JournalSharingTest {
 protected:
  // Closes the journal and opens it again (where the trash empties what is due).
  void Reopen() {
    store_.reset();
    CloseJournal();
    Result<Journal> opened = Journal::Open(home_, MustNotAsk(), clock_);
    ASSERT_OK(opened.status());
    journal_.emplace(std::move(opened).value());
  }

  std::vector<std::string> Ids(const Result<std::vector<Entry>>& entries) {
    EXPECT_OK(entries.status());
    std::vector<std::string> ids;
    if (!entries.ok()) return ids;
    for (const Entry& entry : *entries) ids.push_back(entry.id);
    return ids;
  }

  std::vector<std::string> TrashIds() { return Ids(journal().ListTrash()); }
  std::vector<std::string> OwnIds() { return Ids(journal().List({})); }
};

bool Holds(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST_F(JournalTrashTest, RmMovesAnEntryToTheTrashAndEverythingElseLeavesItOut) {
  ASSERT_OK_AND_ASSIGN(Entry trigger, AddEntry("trigger", "TRASHED-WORDS unanswered", {"waiting"}));
  ASSERT_OK_AND_ASSIGN(Entry kept, AddEntry("trigger", "kept words unanswered", {"waiting"}));
  NewEntry wound_draft = Draft("wound", "fear of being left");
  wound_draft.links = {trigger.id, kept.id};
  ASSERT_OK_AND_ASSIGN(Entry wound, journal().Add(wound_draft));

  clock_.Advance(5000);
  ASSERT_OK_AND_ASSIGN(Entry trashed, journal().MoveToTrash(trigger.id.substr(0, 6)));
  ASSERT_TRUE(trashed.trashed.has_value());
  EXPECT_EQ(trashed.trashed->utc_ms, clock_.Now().utc_ms);
  EXPECT_EQ(trashed.updated.utc_ms, trigger.updated.utc_ms) << "trashing is not an edit";

  EXPECT_FALSE(Holds(OwnIds(), trigger.id));
  EXPECT_EQ(TrashIds(), std::vector<std::string>{trigger.id});
  EXPECT_REASON(journal().Get(trigger.id).status(), kNotFound, JournalReason::kInTrash);
  EXPECT_FALSE(Holds(Ids(journal().Search({"unanswered"})), trigger.id));
  EXPECT_TRUE(Holds(Ids(journal().Search({"unanswered"})), kept.id));
  ASSERT_OK_AND_ASSIGN(auto counts, journal().CountByKind());
  EXPECT_EQ(counts["trigger"], 1);
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> matches, journal().Matches(trigger.id.substr(0, 8)));
  EXPECT_TRUE(matches.empty());
  ASSERT_OK_AND_ASSIGN(steps::Themes themes, journal().TriggerThemes());
  for (const steps::ThemeCount& tag : themes.tags) {
    EXPECT_EQ(std::count(tag.ids.begin(), tag.ids.end(), trigger.id), 0) << tag.term;
  }
  // Nothing may be done to it but restoring it (or deleting it for good).
  EXPECT_REASON(journal().EditText(trigger.id, "x").status(), kNotFound, JournalReason::kInTrash);
  EXPECT_REASON(journal().Share(trigger.id).status(), kNotFound, JournalReason::kInTrash);
  EXPECT_REASON(journal().MoveToTrash(trigger.id).status(), kNotFound, JournalReason::kInTrash);
  EXPECT_REASON(
      journal().Add(Draft("note", "n", {}, nlohmann::json::object(), {trigger.id})).status(),
      kNotFound, JournalReason::kInTrash);

  // What links to it keeps its links, and exports (without the link) into a journal that
  // imports it whole.
  ASSERT_OK_AND_ASSIGN(Entry linking, journal().Get(wound.id));
  EXPECT_EQ(linking.links, (std::vector<std::string>{trigger.id, kept.id}));
  ASSERT_OK_AND_ASSIGN(std::string exported, journal().ExportJson());
  EXPECT_EQ(exported.find("TRASHED-WORDS"), std::string::npos);
  EXPECT_EQ(exported.find(trigger.id), std::string::npos);
  Home other(temp_.File("other"));
  ASSERT_OK_AND_ASSIGN(Journal fresh,
                       Journal::Init(other, FastOptions(true), MustNotAsk(), clock_));
  ASSERT_OK_AND_ASSIGN(ImportSummary imported, fresh.ImportJson(exported));
  EXPECT_EQ(imported.added, 2);
  ASSERT_OK_AND_ASSIGN(Entry imported_wound, fresh.Get(wound.id));
  EXPECT_EQ(imported_wound.links, std::vector<std::string>{kept.id});
}

TEST_F(JournalTrashTest, ASharedEntryIsWithdrawnAndComesBackPrivateNeverResent) {
  ASSERT_OK_AND_ASSIGN(Entry need, AddShared("need", "a call when late"));
  ASSERT_EQ(Log(), (std::vector<LogLine>{{1, need.id, false}}));

  ASSERT_OK_AND_ASSIGN(Entry trashed, journal().MoveToTrash(need.id));
  EXPECT_EQ(trashed.visibility, Visibility::kPrivate);
  EXPECT_EQ(trashed.share, ShareState{});
  EXPECT_EQ(Log(), (std::vector<LogLine>{{2, need.id, true}})) << "withdrawn, as rm did";
  ASSERT_OK_AND_ASSIGN(std::vector<SharedItem> items, journal().SharedItems());
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].state, DeliveryState::kWithdrawing);
  EXPECT_FALSE(items[0].entry.has_value()) << "the trash is left out of `shared` too";

  ASSERT_OK_AND_ASSIGN(Entry restored, journal().RestoreFromTrash(need.id.substr(0, 6)));
  EXPECT_FALSE(restored.trashed.has_value());
  EXPECT_EQ(restored.visibility, Visibility::kPrivate);
  ASSERT_OK_AND_ASSIGN(Entry got, journal().Get(need.id));
  EXPECT_EQ(got.visibility, Visibility::kPrivate);
  EXPECT_EQ(got.text, "a call when late");
  EXPECT_EQ(Log(), (std::vector<LogLine>{{2, need.id, true}})) << "restoring sends nothing";
  EXPECT_TRUE(TrashIds().empty());
  EXPECT_TRUE(Holds(OwnIds(), need.id));
  EXPECT_REASON(journal().RestoreFromTrash(need.id).status(), kInvalidArgument,
                JournalReason::kNotInTrash);
}

TEST_F(JournalTrashTest, APreviewConfirmedAfterTheEntryWentToTheTrashSharesNothing) {
  ASSERT_OK_AND_ASSIGN(Entry need, AddEntry("need", "ten quiet minutes"));
  ASSERT_OK_AND_ASSIGN(SharePreview preview, journal().PreviewShare(need.id));
  ASSERT_OK(journal().MoveToTrash(need.id).status());
  EXPECT_REASON(journal().ConfirmShare(preview).status(), kNotFound, JournalReason::kInTrash);
  EXPECT_TRUE(Log().empty());
}

TEST_F(JournalTrashTest, ThePartnersEntriesAreNotTheirsToTrash) {
  const Entry theirs = PartnerEntry("need", "theirs");
  ASSERT_NO_FATAL_FAILURE(ReceiveEntry(theirs));
  EXPECT_REASON(journal().MoveToTrash(theirs.id).status(), kInvalidArgument,
                JournalReason::kNotOwnEntry);
  EXPECT_TRUE(TrashIds().empty());
}

TEST_F(JournalTrashTest, TheTrashIsEmptiedThirtyDaysLaterWhenTheJournalIsOpened) {
  ASSERT_OK_AND_ASSIGN(Entry early, AddEntry("note", "trashed first"));
  ASSERT_OK_AND_ASSIGN(Entry late, AddEntry("note", "trashed a day later"));
  ASSERT_OK(journal().MoveToTrash(early.id).status());
  clock_.Advance(kDayMs);
  ASSERT_OK(journal().MoveToTrash(late.id).status());

  clock_.Advance(28 * kDayMs);  // 29 days after the first
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(TrashIds(), (std::vector<std::string>{early.id, late.id}));

  clock_.Advance(2 * kDayMs);  // 31 days after the first, 30 after the second
  ASSERT_NO_FATAL_FAILURE(Reopen());
  const Status gone = journal().Get(early.id).status();
  EXPECT_CODE(gone, kNotFound);
  EXPECT_FALSE(gone.Is(JournalReason::kInTrash)) << "deleted for good, not in the trash";
  EXPECT_CODE(journal().Get(late.id).status(), kNotFound);
  EXPECT_FALSE(journal().Get(late.id).status().Is(JournalReason::kInTrash));
  EXPECT_TRUE(TrashIds().empty());
  EXPECT_TRUE(journal().damage()->empty());
}

TEST_F(JournalTrashTest, EmptyingTheTrashDeletesWhatIsInItAndNothingElse) {
  ASSERT_OK_AND_ASSIGN(Entry a, AddEntry("note", "a"));
  ASSERT_OK_AND_ASSIGN(Entry b, AddEntry("upside", "b"));
  ASSERT_OK_AND_ASSIGN(Entry kept, AddEntry("note", "kept"));
  ASSERT_OK(journal().MoveToTrash(a.id).status());
  ASSERT_OK(journal().MoveToTrash(b.id).status());
  ASSERT_OK_AND_ASSIGN(int64_t deleted, journal().EmptyTrash());
  EXPECT_EQ(deleted, 2);
  EXPECT_TRUE(TrashIds().empty());
  EXPECT_EQ(OwnIds(), std::vector<std::string>{kept.id});
  ASSERT_OK_AND_ASSIGN(int64_t again, journal().EmptyTrash());
  EXPECT_EQ(again, 0);
  // Deleting one in the trash for good (as the page's delete does) is fine too.
  ASSERT_OK(journal().MoveToTrash(kept.id).status());
  ASSERT_OK(journal().Remove(kept.id));
  EXPECT_TRUE(TrashIds().empty());
}

// The record of the trash is a hint: taking it away in the file un-trashes nothing, and the
// next listing rebuilds it from the seals, so what is due still goes.
TEST_F(JournalTrashTest, TheRecordOfTheTrashTakenAwayInTheFileDecidesNothing) {
  ASSERT_OK_AND_ASSIGN(Entry note, AddEntry("note", "in the trash"));
  ASSERT_OK(journal().MoveToTrash(note.id).status());
  RawSql(home_.database_path()).Exec("DELETE FROM meta WHERE key = 'trash.index'");
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_FALSE(Holds(OwnIds(), note.id));
  EXPECT_EQ(TrashIds(), std::vector<std::string>{note.id});
  ASSERT_OK_AND_ASSIGN(auto counts, journal().CountByKind());
  EXPECT_EQ(counts["note"], 0) << "the listing rebuilt the record";
  clock_.Advance(31 * kDayMs);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_CODE(journal().Get(note.id).status(), kNotFound);
  EXPECT_FALSE(journal().Get(note.id).status().Is(JournalReason::kInTrash));
}

// A record of the trash that fails its check is named, hides or un-trashes nothing, and the
// next listing rebuilds it.
TEST_F(JournalTrashTest, ADamagedRecordOfTheTrashIsRebuiltByTheListing) {
  ASSERT_OK_AND_ASSIGN(Entry note, AddEntry("note", "in the trash"));
  ASSERT_OK(journal().MoveToTrash(note.id).status());
  RawSql(home_.database_path())
      .Exec("UPDATE meta SET value = zeroblob(40) WHERE key = 'trash.index'");
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_TRUE(journal().damage()->records.count("trash.index"));
  EXPECT_FALSE(Holds(OwnIds(), note.id));
  EXPECT_EQ(TrashIds(), std::vector<std::string>{note.id});
  EXPECT_TRUE(journal().damage()->empty());
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_TRUE(journal().damage()->empty());
  EXPECT_EQ(TrashIds(), std::vector<std::string>{note.id});
}

// A trashed entry's state is inside its seal: making it visible again by its columns fails
// the seal (it is then damaged, never listed as a live entry, never sent).
TEST_F(JournalTrashTest, ChangingATrashedRowInTheFileDoesNotBringItBack) {
  ASSERT_OK_AND_ASSIGN(Entry need, AddShared("need", "was shared"));
  ASSERT_OK(journal().MoveToTrash(need.id).status());
  RawSql(home_.database_path())
      .Exec("UPDATE entries SET visibility = 'shared' WHERE id = '" + need.id + "'");
  EXPECT_FALSE(Holds(OwnIds(), need.id));
  EXPECT_TRUE(journal().damage()->entries.count(need.id));
  EXPECT_TRUE(TrashIds().empty());
}

}  // namespace
}  // namespace attune::node::testing
