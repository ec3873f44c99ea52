// Sharing in the journal service: what each change to an own entry does to the outgoing log
// (and that it does it in the same transaction as the change), the partner's entries as
// read-only, responses, and delivery states.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "node/shared_content.h"
#include "steps/kinds.h"
#include "tests/node/sharing_fixture.h"

namespace attune::node::testing {
namespace {

using nlohmann::json;

// ---- The outgoing log follows every change to an own shared entry ----

TEST_F(JournalSharingTest, PrivateEntriesNeverReachTheLog) {
  for (const steps::KindInfo& kind : steps::AllKinds()) {
    ASSERT_OK(AddEntry(std::string(kind.name), "private").status());
  }
  ASSERT_OK_AND_ASSIGN(Entry note, AddEntry("note", "still private"));
  ASSERT_OK(journal().EditText(note.id, "edited, private").status());
  ASSERT_OK(journal().Remove(note.id));
  EXPECT_TRUE(Log().empty());
  ASSERT_OK_AND_ASSIGN(std::vector<SharedItem> items, journal().SharedItems());
  EXPECT_TRUE(items.empty());
}

TEST_F(JournalSharingTest, ShareAndAddWithShareAppendToTheLog) {
  ASSERT_OK_AND_ASSIGN(Entry need, AddEntry("need", "ten quiet minutes"));
  EXPECT_EQ(need.visibility, node::Visibility::kPrivate);
  ASSERT_OK_AND_ASSIGN(Entry shared, journal().Share(need.id.substr(0, 6)));
  EXPECT_EQ(shared.visibility, node::Visibility::kShared);
  ASSERT_OK_AND_ASSIGN(Entry stored, journal().Get(need.id));
  EXPECT_EQ(stored.visibility, node::Visibility::kShared);
  EXPECT_EQ(stored.updated.utc_ms, need.updated.utc_ms) << "sharing is not an edit";
  EXPECT_EQ(Log(), (std::vector<LogLine>{{1, need.id, false}}));

  // Sharing what is already shared changes nothing.
  ASSERT_OK(journal().Share(need.id).status());
  EXPECT_EQ(Log(), (std::vector<LogLine>{{1, need.id, false}}));

  ASSERT_OK_AND_ASSIGN(Entry boundary, AddShared("boundary", "no phones at dinner"));
  EXPECT_EQ(boundary.visibility, node::Visibility::kShared);
  EXPECT_EQ(Log(), (std::vector<LogLine>{{1, need.id, false}, {2, boundary.id, false}}));
}

// The promise: the partner receives a shared entry in the words its author confirmed. A change
// is saved at once but leaves the log alone (the partner keeps the confirmed version) until the
// author confirms the new one, which then moves to the end of the log.
TEST_F(JournalSharingTest, AChangeToASharedEntryTravelsOnlyOnceConfirmed) {
  ASSERT_OK_AND_ASSIGN(Entry need, AddShared("need", "a call when late"));
  ASSERT_OK_AND_ASSIGN(Entry boundary, AddShared("boundary", "no phones at dinner"));
  ASSERT_OK_AND_ASSIGN(Entry repair, AddShared("repair", "we talked it through"));
  ASSERT_OK_AND_ASSIGN(Entry private_boundary, AddEntry("boundary", "kept to myself"));
  const std::vector<LogLine> confirmed = Log();

  clock_.Advance(1000);
  ASSERT_OK(journal().EditText(need.id, "UNCONFIRMED-EDIT a call or a text").status());
  ASSERT_OK(journal().RestateBoundary(boundary.id, "UNCONFIRMED-NOTE again on Sunday").status());
  ASSERT_OK(journal().UpdateFields(repair.id, {{"felt", "UNCONFIRMED-FIELD"}}).status());
  ASSERT_OK(journal().RestateBoundary(private_boundary.id, "").status());
  EXPECT_EQ(Log(), confirmed) << "nothing travels before it is confirmed";
  ASSERT_OK_AND_ASSIGN(std::vector<protocol::LogRow> before, store_->ReadLog(OwnEpoch(), 0, 10));
  for (const protocol::LogRow& row : before) {
    EXPECT_FALSE(BytesContain(row.content, "UNCONFIRMED")) << row.entry_id;
  }
  ASSERT_OK_AND_ASSIGN(std::vector<SharedItem> items, journal().SharedItems());
  ASSERT_EQ(items.size(), 3u);
  for (const SharedItem& item : items) EXPECT_TRUE(item.awaiting_confirmation) << item.entry_id;

  // Confirming the boundary's new version sends exactly what the preview showed.
  ASSERT_OK_AND_ASSIGN(SharePreview preview, journal().PreviewShare(boundary.id));
  EXPECT_FALSE(preview.partner_has_it);
  ASSERT_OK(journal().ConfirmShare(preview).status());
  EXPECT_EQ(LastSeq(), 4);
  ASSERT_OK_AND_ASSIGN(std::vector<protocol::LogRow> rows, store_->ReadLog(OwnEpoch(), 3, 10));
  ASSERT_EQ(rows.size(), 1u);
  const std::string content(rows[0].content.begin(), rows[0].content.end());
  ASSERT_OK_AND_ASSIGN(Entry sent_entry, DecodeSharedContent(content));
  EXPECT_EQ(EntryToJson(sent_entry), EntryToJson(preview.view));
  const json sent = EntryToJson(sent_entry);
  ASSERT_EQ(sent["fields"]["restatements"].size(), 1u);
  EXPECT_EQ(sent["fields"]["restatements"][0]["note"], "UNCONFIRMED-NOTE again on Sunday");
  // Whose it is and who may see it are not sent.
  EXPECT_EQ(content.find("\"visibility\""), std::string::npos);
  EXPECT_EQ(content.find("\"author\""), std::string::npos);
  ASSERT_OK_AND_ASSIGN(SharePreview again, journal().PreviewShare(boundary.id));
  EXPECT_TRUE(again.partner_has_it);
}

TEST_F(JournalSharingTest, UnshareKeepsTheEntryPrivateAndLogsATombstone) {
  ASSERT_OK_AND_ASSIGN(Entry statement, AddShared("statement", "I feel lonely when ..."));
  ASSERT_OK_AND_ASSIGN(Entry other, AddShared("need", "a hug"));
  ASSERT_OK_AND_ASSIGN(Entry unshared, journal().Unshare(statement.id));
  EXPECT_EQ(unshared.visibility, node::Visibility::kPrivate);
  ASSERT_OK_AND_ASSIGN(Entry stored, journal().Get(statement.id));
  EXPECT_EQ(stored.visibility, node::Visibility::kPrivate);
  EXPECT_EQ(stored.text, statement.text);
  EXPECT_EQ(Log(), (std::vector<LogLine>{{2, other.id, false}, {3, statement.id, true}}));
  // The tombstone carries nothing of the entry.
  ASSERT_OK_AND_ASSIGN(std::vector<protocol::LogRow> rows, store_->ReadLog(OwnEpoch(), 2, 10));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].withdrawn);
  EXPECT_TRUE(rows[0].content.empty());

  EXPECT_CODE(journal().Unshare(statement.id), kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(Entry never_shared, AddEntry("note", "mine"));
  EXPECT_CODE(journal().Unshare(never_shared.id), kInvalidArgument);
  EXPECT_EQ(LastSeq(), 3);

  // Sharing again revives the row at the end.
  ASSERT_OK(journal().Share(statement.id).status());
  EXPECT_EQ(Log(), (std::vector<LogLine>{{2, other.id, false}, {4, statement.id, false}}));
}

TEST_F(JournalSharingTest, RemovingASharedEntryWithdrawsIt) {
  ASSERT_OK_AND_ASSIGN(Entry need, AddShared("need", "to be asked"));
  ASSERT_OK_AND_ASSIGN(Entry private_note, AddEntry("note", "mine"));
  ASSERT_OK(journal().Remove(need.id));
  ASSERT_OK(journal().Remove(private_note.id));
  EXPECT_CODE(journal().Get(need.id), kNotFound);
  EXPECT_EQ(Log(), (std::vector<LogLine>{{2, need.id, true}}));
}

// A trigger that makes every write to the outgoing log fail shows that the entry's change and
// its log row commit together or not at all.
TEST_F(JournalSharingTest, AnEntryAndItsLogRowChangeInOneTransaction) {
  ASSERT_OK_AND_ASSIGN(Entry shared, AddShared("boundary", "no phones at dinner"));
  ASSERT_OK_AND_ASSIGN(Entry private_need, AddEntry("need", "quiet mornings"));
  ASSERT_OK_AND_ASSIGN(Entry private_note, AddEntry("note", "scratch"));
  const std::vector<LogLine> log_before = Log();
  RawSql raw(home_.database_path());
  raw.Exec(
      "CREATE TRIGGER refuse_log_insert BEFORE INSERT ON outgoing "
      "BEGIN SELECT RAISE(ABORT, 'injected'); END;"
      "CREATE TRIGGER refuse_log_update BEFORE UPDATE ON outgoing "
      "BEGIN SELECT RAISE(ABORT, 'injected'); END;");
  clock_.Advance(1000);

  EXPECT_FALSE(journal().Share(private_need.id).ok());
  EXPECT_FALSE(journal().Unshare(shared.id).ok());
  EXPECT_FALSE(journal().Remove(shared.id).ok());
  NewEntry draft = Draft("need", "shared at once");
  draft.share = true;
  EXPECT_FALSE(journal().Add(draft).ok());
  // Private work does not touch the log and goes on.
  EXPECT_OK(journal().EditText(private_note.id, "scratch, edited").status());

  ASSERT_OK_AND_ASSIGN(Entry need_now, journal().Get(private_need.id));
  EXPECT_EQ(need_now.visibility, node::Visibility::kPrivate);
  ASSERT_OK_AND_ASSIGN(Entry shared_now, journal().Get(shared.id));
  EXPECT_TRUE(SameEntry(shared, shared_now));
  EXPECT_EQ(IdsBy(Author::kMe).size(), 3u);
  EXPECT_EQ(Log(), log_before);

  // A change waits for its confirmation, and the confirmation is what needs the log.
  ASSERT_OK(journal().EditText(shared.id, "changed").status());
  EXPECT_FALSE(journal().Share(shared.id).ok());
  EXPECT_EQ(Log(), log_before);
  raw.Exec("DROP TRIGGER refuse_log_insert; DROP TRIGGER refuse_log_update;");
  EXPECT_OK(journal().Share(shared.id).status());
  EXPECT_EQ(LastSeq(), 2);
}

TEST_F(JournalSharingTest, AnEntryTooLargeToTravelCannotBeShared) {
  const json big = {{"notes", std::string(protocol::kMaxSharedEntryBytes, 'x')}};
  NewEntry draft = Draft("repair", "long notes", {}, big);
  draft.share = true;
  EXPECT_CODE(journal().Add(draft), kInvalidArgument);
  EXPECT_TRUE(IdsBy(Author::kMe).empty()) << "nothing stored";
  draft.share = false;
  ASSERT_OK_AND_ASSIGN(Entry kept, journal().Add(draft));
  EXPECT_CODE(journal().Share(kept.id), kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(Entry still, journal().Get(kept.id));
  EXPECT_EQ(still.visibility, node::Visibility::kPrivate);
  EXPECT_TRUE(Log().empty());
}

// ---- The partner's entries ----

TEST_F(JournalSharingTest, PartnerEntriesAreReadOnly) {
  const Entry theirs = PartnerEntry("boundary", "I need an hour alone after work");
  ASSERT_NO_FATAL_FAILURE(ReceiveEntry(theirs));
  ASSERT_OK_AND_ASSIGN(Entry stored, journal().Get(theirs.id));
  EXPECT_EQ(stored.author, node::Author::kPartner);
  EXPECT_EQ(stored.visibility, node::Visibility::kShared);

  EXPECT_CODE(journal().EditText(theirs.id, "changed"), kInvalidArgument);
  EXPECT_CODE(journal().UpdateFields(theirs.id, {{"x", 1}}), kInvalidArgument);
  EXPECT_CODE(journal().RestateBoundary(theirs.id, "again"), kInvalidArgument);
  EXPECT_CODE(journal().Remove(theirs.id), kInvalidArgument);
  EXPECT_CODE(journal().Share(theirs.id), kInvalidArgument);
  EXPECT_CODE(journal().Unshare(theirs.id), kInvalidArgument);
  EXPECT_TRUE(journal().EditText(theirs.id, "changed").status().Is(JournalReason::kNotOwnEntry));
  EXPECT_TRUE(journal().Remove(theirs.id).Is(JournalReason::kNotOwnEntry));

  ASSERT_OK_AND_ASSIGN(Entry after, journal().Get(theirs.id));
  EXPECT_TRUE(SameEntry(stored, after));
  EXPECT_TRUE(Log().empty()) << "a partner's entry is never in this journal's log";
}

TEST_F(JournalSharingTest, ListShowsOwnEntriesByDefaultAndThePartnersOnRequest) {
  ASSERT_OK_AND_ASSIGN(Entry mine_private, AddEntry("trigger", "mine"));
  clock_.Advance(1000);
  ASSERT_OK_AND_ASSIGN(Entry mine_shared, AddShared("need", "mine, shared"));
  clock_.Advance(1000);
  const Entry theirs = PartnerEntry("need", "theirs");
  ASSERT_NO_FATAL_FAILURE(ReceiveEntry(theirs));

  EXPECT_EQ(IdsBy(Author::kMe), (std::vector<std::string>{mine_private.id, mine_shared.id}));
  EXPECT_EQ(IdsBy(Author::kPartner), (std::vector<std::string>{theirs.id}));
  EXPECT_EQ(IdsBy(std::nullopt).size(), 3u);
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> together,
                       journal().List({.author = std::nullopt, .shared_only = true}));
  ASSERT_EQ(together.size(), 2u);
  EXPECT_EQ(together[0].id, mine_shared.id);
  EXPECT_EQ(together[1].id, theirs.id);
  ASSERT_OK_AND_ASSIGN(auto counts, journal().CountByKind());
  EXPECT_EQ(counts["need"], 1) << "steps count only own entries";
}

TEST_F(JournalSharingTest, RespondAnswersAPartnerEntryWithASharedResponse) {
  const Entry theirs = PartnerEntry("need", "to hear 'I'm on my way'");
  ASSERT_NO_FATAL_FAILURE(ReceiveEntry(theirs));
  ASSERT_OK_AND_ASSIGN(Entry response,
                       journal().Respond(theirs.id.substr(0, 8), "I'll text you", "will-try"));
  EXPECT_EQ(response.kind, "response");
  EXPECT_EQ(response.author, node::Author::kMe);
  EXPECT_EQ(response.visibility, node::Visibility::kShared);
  EXPECT_EQ(response.text, "I'll text you");
  EXPECT_EQ(response.fields,
            (json{{"responds_to", theirs.id}, {"responds_to_kind", "need"}, {"ack", "will-try"}}));
  EXPECT_EQ(Log(), (std::vector<LogLine>{{1, response.id, false}}));

  ASSERT_OK_AND_ASSIGN(Entry plain, journal().Respond(theirs.id, "heard you", ""));
  EXPECT_FALSE(plain.fields.contains("ack"));
  EXPECT_EQ(LastSeq(), 2);
}

TEST_F(JournalSharingTest, RespondRefusesOwnEntriesBadAcksAndEmptyText) {
  const Entry theirs = PartnerEntry("statement", "I feel ...");
  ASSERT_NO_FATAL_FAILURE(ReceiveEntry(theirs));
  ASSERT_OK_AND_ASSIGN(Entry mine, AddShared("need", "mine"));
  EXPECT_CODE(journal().Respond(mine.id, "to myself", ""), kInvalidArgument);
  EXPECT_TRUE(
      journal().Respond(mine.id, "to myself", "").status().Is(JournalReason::kRespondToOwnEntry));
  EXPECT_CODE(journal().Respond(theirs.id, "ok", "maybe"), kInvalidArgument);
  EXPECT_TRUE(journal().Respond(theirs.id, "ok", "maybe").status().Is(JournalReason::kUnknownAck));
  EXPECT_CODE(journal().Respond(theirs.id, "ok", "HEARD"), kInvalidArgument);
  EXPECT_CODE(journal().Respond(theirs.id, "   ", "heard"), kInvalidArgument);
  EXPECT_CODE(journal().Respond(NewId(), "ok", "heard"), kNotFound);
  for (std::string_view ack : kResponseAcks) {
    SCOPED_TRACE(ack);
    EXPECT_OK(journal().Respond(theirs.id, "ok", ack).status());
  }
  EXPECT_EQ(IdsBy(Author::kMe).size(), 1u + std::size(kResponseAcks));
}

// ---- Delivery states ----

TEST_F(JournalSharingTest, SharedItemsFollowThePartnersAcknowledgements) {
  ASSERT_OK_AND_ASSIGN(Entry a, AddShared("need", "a"));
  ASSERT_OK_AND_ASSIGN(Entry b, AddShared("need", "b"));
  ASSERT_OK_AND_ASSIGN(Entry c, AddShared("need", "c"));
  ASSERT_OK(journal().Unshare(b.id).status());  // seq 4
  ASSERT_OK(journal().Remove(c.id));            // seq 5

  auto states = [&]() {
    std::vector<std::pair<std::string, DeliveryState>> out;
    Result<std::vector<SharedItem>> items = journal().SharedItems();
    EXPECT_OK(items.status());
    if (items.ok()) {
      for (const SharedItem& item : *items) out.emplace_back(item.entry_id, item.state);
    }
    return out;
  };
  using State = DeliveryState;
  using Items = std::vector<std::pair<std::string, DeliveryState>>;
  EXPECT_EQ(
      states(),
      (Items{{a.id, State::kWaiting}, {b.id, State::kWithdrawing}, {c.id, State::kWithdrawing}}));
  ASSERT_OK(store_->SetPeerAcked(OwnEpoch(), 1));
  EXPECT_EQ(
      states(),
      (Items{{a.id, State::kDelivered}, {b.id, State::kWithdrawing}, {c.id, State::kWithdrawing}}));
  ASSERT_OK(store_->SetPeerAcked(OwnEpoch(), 5));
  EXPECT_EQ(
      states(),
      (Items{{a.id, State::kDelivered}, {b.id, State::kWithdrawn}, {c.id, State::kWithdrawn}}));
  // A new version, once confirmed, is waiting again until it is acknowledged.
  ASSERT_OK(journal().EditText(a.id, "a, edited").status());
  ASSERT_OK(journal().Share(a.id).status());
  EXPECT_EQ(states(),
            (Items{{b.id, State::kWithdrawn}, {c.id, State::kWithdrawn}, {a.id, State::kWaiting}}));

  ASSERT_OK_AND_ASSIGN(std::vector<SharedItem> items, journal().SharedItems());
  ASSERT_EQ(items.size(), 3u);
  ASSERT_TRUE(items[0].entry.has_value()) << "an unshared entry is still in the journal";
  EXPECT_EQ(items[0].entry->visibility, node::Visibility::kPrivate);
  EXPECT_FALSE(items[1].entry.has_value()) << "a deleted one is not";
  ASSERT_TRUE(items[2].entry.has_value());
  EXPECT_EQ(items[2].entry->text, "a, edited");

  // A new epoch forgets the acknowledgements: everything goes again.
  ASSERT_OK(store_->StartNewEpoch().status());
  EXPECT_EQ(
      states(),
      (Items{{b.id, State::kWithdrawing}, {c.id, State::kWithdrawing}, {a.id, State::kWaiting}}));
}

}  // namespace
}  // namespace attune::node::testing
