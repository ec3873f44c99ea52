// JournalSyncStore as the receiving end: what a partner's rows may and may not do to this
// journal, idempotent application, the cursor, and a partner's new epoch.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "node/entry.h"
#include "node/shared_content.h"
#include "tests/node/sharing_fixture.h"

namespace attune::node::testing {
namespace {

using nlohmann::json;

// ---- What the partner sends ----

TEST_F(JournalSharingTest, SharedContentIsTheEntryWithoutVisibilityAndAuthor) {
  ASSERT_OK_AND_ASSIGN(Entry entry, AddShared("need", "a walk together"));
  const std::string content = EncodeSharedContent(entry);
  EXPECT_EQ(content[0], '\x02');
  EXPECT_EQ(content.substr(5, entry.text.size()), entry.text) << "the text travels as it is";
  ASSERT_OK_AND_ASSIGN(Entry received, DecodeSharedContent(content));
  json expected = EntryToJson(entry);
  expected.erase("visibility");
  expected.erase("author");
  json got = EntryToJson(received);
  got.erase("visibility");
  got.erase("author");
  EXPECT_EQ(got, expected);
  // Format 1, the same entry as one JSON object, is read too.
  ASSERT_OK_AND_ASSIGN(Entry from_json, DecodeSharedContent(expected.dump()));
  EXPECT_EQ(from_json.text, entry.text);
}

TEST_F(JournalSharingTest, MalformedSharedContentIsRefused) {
  const std::string two(1, '\x02');
  for (const std::string& content : std::vector<std::string>{
           "", two, two + std::string("\x09\0\0\0short", 9), two + std::string("\x02\0\0\0hi[]", 8),
           two + std::string("\x02\0\0\0hi{\"text\":\"twice\"}", 22), "{not json"}) {
    EXPECT_CODE(DecodeSharedContent(content), kInvalidArgument) << content;
  }
}

TEST_F(JournalSharingTest, ApplyStoresPartnerEntriesAsThePartnersWhateverTheContentSays) {
  Entry theirs = PartnerEntry("repair", "we made up");
  theirs.tags = {"sunday"};
  theirs.fields = {{"felt", "relief"}};
  json content = EntryToJson(theirs);
  content["author"] = "me";
  content["visibility"] = "private";
  content["step"] = 3;
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts counts, Receive({RawRow(theirs.id, content.dump())}));
  EXPECT_EQ(counts.received, 1u);
  ASSERT_OK_AND_ASSIGN(Entry stored, journal().Get(theirs.id));
  EXPECT_EQ(stored.author, node::Author::kPartner);
  EXPECT_EQ(stored.visibility, node::Visibility::kShared);
  EXPECT_EQ(stored.step, 9);
  EXPECT_EQ(stored.text, "we made up");
  EXPECT_EQ(stored.tags, theirs.tags);
  EXPECT_EQ(stored.fields, theirs.fields);
  EXPECT_EQ(stored.created.utc_ms, theirs.created.utc_ms);
}

TEST_F(JournalSharingTest, ApplyRefusesRowsNamingOwnEntries) {
  ASSERT_OK_AND_ASSIGN(Entry mine, AddShared("need", "mine"));
  ASSERT_OK_AND_ASSIGN(Entry mine_private, AddEntry("wound", "mine too"));
  Entry impostor = PartnerEntry("need", "overwritten!");
  impostor.id = mine.id;
  Entry impostor_private = PartnerEntry("wound", "overwritten!");
  impostor_private.id = mine_private.id;
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts counts,
                       Receive({RowOf(impostor), RowOf(impostor_private), TombstoneOf(mine.id),
                                TombstoneOf(mine_private.id)}));
  EXPECT_EQ(counts.refused, 4u);
  EXPECT_EQ(counts.received, 0u);
  EXPECT_EQ(counts.removed, 0u);
  ASSERT_OK_AND_ASSIGN(Entry still, journal().Get(mine.id));
  EXPECT_TRUE(SameEntry(mine, still));
  ASSERT_OK_AND_ASSIGN(Entry still_private, journal().Get(mine_private.id));
  EXPECT_TRUE(SameEntry(mine_private, still_private));
  ASSERT_OK_AND_ASSIGN(protocol::PeerCursor cursor, store_->Cursor());
  EXPECT_EQ(cursor.applied_seq, 4u);
}

TEST_F(JournalSharingTest, ApplyRefusesTheIdOfAnOwnEntryDeletedSinceSharing) {
  ASSERT_OK_AND_ASSIGN(Entry mine, AddShared("need", "mine, then deleted"));
  ASSERT_OK(journal().Remove(mine.id));
  Entry reuse = PartnerEntry("need", "the partner's words under my old id");
  reuse.id = mine.id;
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts counts, Receive({RowOf(reuse)}));
  EXPECT_EQ(counts.refused, 1u);
  EXPECT_CODE(journal().Get(mine.id), kNotFound);
  ASSERT_OK_AND_ASSIGN(std::vector<SharedItem> items, journal().SharedItems());
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].entry.has_value()) << "a withdrawn entry shows no text";
}

TEST_F(JournalSharingTest, ApplyRefusesResponsesThatDoNotNameAnEntry) {
  std::vector<protocol::LogRow> rows;
  for (const json& fields : {json::object(), json{{"responds_to", "\x1b[2Jgotcha"}},
                             json{{"responds_to", std::string(32, 'a')}, {"ack", "\x1b[31m"}},
                             json{{"responds_to", 7}}}) {
    Entry response = PartnerEntry("response", "an answer");
    response.fields = fields;
    rows.push_back(RawRow(response.id, EncodeSharedContent(response)));
  }
  Entry good = PartnerEntry("response", "heard you");
  good.fields = {{"responds_to", std::string(32, 'b')}, {"ack", "heard"}};
  rows.push_back(RowOf(good));
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts counts, Receive(rows));
  EXPECT_EQ(counts.refused, 4u);
  EXPECT_EQ(IdsBy(Author::kPartner), (std::vector<std::string>{good.id}));
}

TEST_F(JournalSharingTest, ApplyRefusesMalformedRowsButMovesTheCursorPastThem) {
  const Entry good = PartnerEntry("need", "good");
  Entry other = PartnerEntry("need", "the id inside differs");
  json unknown_kind = EntryToJson(PartnerEntry("need", "x"));
  unknown_kind["kind"] = "diary";
  json empty_text = EntryToJson(PartnerEntry("need", "x"));
  empty_text["text"] = "  ";
  json too_many_tags = EntryToJson(PartnerEntry("need", "x"));
  too_many_tags["tags"] = json::array();
  for (size_t i = 0; i <= kMaxTags; ++i) too_many_tags["tags"].push_back("t" + std::to_string(i));
  json bad_link = EntryToJson(PartnerEntry("need", "x"));
  bad_link["links"] = {"not-an-id"};
  const std::string wrong_id = NewId();
  // Fields nested 100,000 deep (200 KB, under the size limit): copying or showing it would
  // recurse once per level.
  const Entry deep_entry = PartnerEntry("need", "x");
  json without_fields = EntryToJson(deep_entry);
  without_fields.erase("fields");
  std::string deep = without_fields.dump();
  deep.insert(deep.size() - 1,
              ",\"fields\":{\"a\":" + std::string(100'000, '[') + std::string(100'000, ']') + "}");

  const std::vector<protocol::LogRow> rows = {
      RawRow(NewId(), "{not json"),
      RawRow(NewId(), "[1, 2, 3]"),
      RawRow(NewId(), std::string("\xff\xfe", 2)),
      RawRow(unknown_kind["id"], unknown_kind.dump()),
      RawRow(empty_text["id"], empty_text.dump()),
      RawRow(too_many_tags["id"], too_many_tags.dump()),
      RawRow(bad_link["id"], bad_link.dump()),
      RawRow(wrong_id, EncodeSharedContent(other)),
      RawRow(deep_entry.id, deep),
      RowOf(good),
  };
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts counts, Receive(rows));
  EXPECT_EQ(counts.refused, rows.size() - 1);
  EXPECT_EQ(counts.received, 1u);
  EXPECT_EQ(IdsBy(Author::kPartner), (std::vector<std::string>{good.id}));
  EXPECT_CODE(journal().Get(wrong_id), kNotFound);
  EXPECT_CODE(journal().Get(other.id), kNotFound);
  ASSERT_OK_AND_ASSIGN(protocol::PeerCursor cursor, store_->Cursor());
  EXPECT_EQ(cursor.epoch, peer_epoch_);
  EXPECT_EQ(cursor.applied_seq, rows.back().seq);
}

TEST_F(JournalSharingTest, ApplyIsIdempotentAndNeverMovesBack) {
  Entry theirs = PartnerEntry("need", "first version");
  const Entry gone = PartnerEntry("need", "soon withdrawn");
  const std::vector<protocol::LogRow> first = {RowOf(theirs), RowOf(gone)};
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts once, Receive(first));
  EXPECT_EQ(once.received, 2u);
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts twice, Receive(first));
  EXPECT_EQ(twice.received, 0u) << "rows at or below the cursor are skipped";

  theirs.text = "second version";
  clock_.Advance(1000);
  theirs.updated = clock_.Now();
  const std::vector<protocol::LogRow> second = {RowOf(theirs), TombstoneOf(gone.id)};
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts changed, Receive(second));
  EXPECT_EQ(changed.received, 1u);
  EXPECT_EQ(changed.removed, 1u);
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts again, Receive(second));
  EXPECT_EQ(again.received + again.removed + again.refused, 0u);
  // An old batch delivered late (another process applied newer rows meanwhile) changes nothing.
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts late, Receive(first));
  EXPECT_EQ(late.received, 0u);
  ASSERT_OK_AND_ASSIGN(Entry stored, journal().Get(theirs.id));
  EXPECT_EQ(stored.text, "second version");
  EXPECT_CODE(journal().Get(gone.id), kNotFound);
  ASSERT_OK_AND_ASSIGN(protocol::PeerCursor cursor, store_->Cursor());
  EXPECT_EQ(cursor.applied_seq, 4u);

  // The same content again at a higher seq, and a tombstone for what is already gone.
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts repeated,
                       Receive({RowOf(theirs), TombstoneOf(gone.id)}));
  EXPECT_EQ(repeated.removed, 0u);
  EXPECT_EQ(IdsBy(Author::kPartner), (std::vector<std::string>{theirs.id}));
  ASSERT_OK_AND_ASSIGN(Entry same, journal().Get(theirs.id));
  EXPECT_TRUE(SameEntry(stored, same));
}

// A first sync applies thousands of rows at once: they are decoded and sealed on a second
// thread, a group at a time, while the groups before them are stored. What is stored is what
// one row after another would store: later versions win, a tombstone removes what came before
// it, malformed rows and rows naming own entries are refused wherever they fall.
TEST_F(JournalSharingTest, AGroupOfThousandsOfRowsIsAppliedAsOneRowAfterAnother) {
  ASSERT_OK_AND_ASSIGN(Entry mine, AddShared("need", "mine"));
  std::vector<protocol::LogRow> rows;
  std::vector<std::string> kept;
  Entry changed = PartnerEntry("need", "first words");
  const Entry withdrawn = PartnerEntry("need", "taken back");
  rows.push_back(RowOf(changed));
  rows.push_back(RowOf(withdrawn));
  size_t refused = 0;
  for (int i = 0; i < 1500; ++i) {
    if (i % 97 == 0) {
      rows.push_back(RawRow(NewId(), "{not json"));
      ++refused;
    } else if (i == 700) {
      Entry impostor = PartnerEntry("need", "over mine");
      impostor.id = mine.id;
      rows.push_back(RowOf(impostor));
      ++refused;
    } else {
      const Entry entry = PartnerEntry("need", "theirs " + std::to_string(i));
      rows.push_back(RowOf(entry));
      kept.push_back(entry.id);
    }
  }
  changed.text = "last words";
  clock_.Advance(1000);
  changed.updated = clock_.Now();
  rows.push_back(RowOf(changed));
  rows.push_back(TombstoneOf(withdrawn.id));
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts counts, Receive(rows));
  EXPECT_EQ(counts.refused, refused);
  EXPECT_EQ(counts.received, kept.size() + 3) << "each version of `changed` and `withdrawn`";
  EXPECT_EQ(counts.removed, 1u);
  ASSERT_OK_AND_ASSIGN(Entry stored, journal().Get(changed.id));
  EXPECT_EQ(stored.text, "last words");
  EXPECT_CODE(journal().Get(withdrawn.id), kNotFound);
  ASSERT_OK_AND_ASSIGN(Entry still_mine, journal().Get(mine.id));
  EXPECT_TRUE(SameEntry(mine, still_mine));
  kept.push_back(changed.id);
  std::vector<std::string> theirs = IdsBy(Author::kPartner);
  std::sort(theirs.begin(), theirs.end());
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(theirs, kept);
  ASSERT_OK_AND_ASSIGN(protocol::PeerCursor cursor, store_->Cursor());
  EXPECT_EQ(cursor.applied_seq, rows.back().seq);
}

TEST_F(JournalSharingTest, ResetPeerDropsEveryPartnerEntryAndRestartsTheCursor) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_NO_FATAL_FAILURE(ReceiveEntry(PartnerEntry("need", "theirs " + std::to_string(i))));
  }
  ASSERT_OK_AND_ASSIGN(Entry mine, AddShared("need", "mine"));
  const Bytes new_epoch(protocol::kEpochBytes, 0x33);
  ASSERT_OK(store_->ResetPeer(new_epoch));
  EXPECT_TRUE(IdsBy(Author::kPartner).empty());
  EXPECT_EQ(IdsBy(Author::kMe), (std::vector<std::string>{mine.id}));
  EXPECT_EQ(Log(), (std::vector<LogLine>{{1, mine.id, false}}));
  ASSERT_OK_AND_ASSIGN(protocol::PeerCursor cursor, store_->Cursor());
  EXPECT_EQ(cursor.epoch, new_epoch);
  EXPECT_EQ(cursor.applied_seq, 0u);

  // The new epoch's numbering starts over: seq 1 is taken again.
  peer_epoch_ = new_epoch;
  peer_seq_ = 0;
  ASSERT_NO_FATAL_FAILURE(ReceiveEntry(PartnerEntry("need", "after the reset")));
  EXPECT_EQ(IdsBy(Author::kPartner).size(), 1u);
}

// ---- Sessions that outlive a change of epoch ----

TEST_F(JournalSharingTest, ApplyOfAnEpochNoLongerFollowedChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(ReceiveEntry(PartnerEntry("need", "before")));
  const Bytes stale_epoch = peer_epoch_;
  ASSERT_OK(store_->ResetPeer(Bytes(protocol::kEpochBytes, 0x44)));  // another session's doing
  EXPECT_CODE(store_->Apply(stale_epoch, {RowOf(PartnerEntry("need", "from the old epoch"))}),
              kBusy);
  EXPECT_TRUE(IdsBy(Author::kPartner).empty());
  ASSERT_OK_AND_ASSIGN(protocol::PeerCursor cursor, store_->Cursor());
  EXPECT_EQ(cursor.applied_seq, 0u);
}

TEST_F(JournalSharingTest, AfterUnpairTheOldEpochCanNeitherBeReadNorAcknowledged) {
  ASSERT_NO_FATAL_FAILURE(Pair());
  ASSERT_OK(AddShared("need", "shared before unpairing").status());
  const Bytes before = OwnEpoch();
  ASSERT_OK(journal().Unpair(/*keep_entries=*/false).status());
  EXPECT_CODE(store_->ReadLog(before, 0, 10), kBusy);
  EXPECT_CODE(store_->SetPeerAcked(before, 1), kBusy);
  EXPECT_NE(OwnEpoch(), before);
}

TEST_F(JournalSharingTest, ALogRowWhoseEntryIsNoLongerSharedGoesOutAsATombstone) {
  ASSERT_OK_AND_ASSIGN(Entry entry, AddShared("need", "shared, then made private behind the log"));
  // Journal never does this; another writer of the file could.
  ASSERT_OK_AND_ASSIGN(std::optional<storage::EntryRow> row, log_reader_->GetEntry(entry.id));
  ASSERT_TRUE(row.has_value());
  row->visibility = "private";
  ASSERT_OK(log_reader_->UpdateEntry(*row));

  ASSERT_OK_AND_ASSIGN(std::vector<protocol::LogRow> rows, store_->ReadLog(OwnEpoch(), 0, 10));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].withdrawn);
  EXPECT_TRUE(rows[0].content.empty());
}

}  // namespace
}  // namespace attune::node::testing
