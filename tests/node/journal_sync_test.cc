// Two real journals syncing through protocol::SyncEngine, each over its JournalSyncStore, with
// every message encoded and decoded as an envelope in memory (no sockets, no encryption: the
// tap sees exactly what the session would encrypt). Checks the two promises of sharing: nothing
// private crosses, and each side converges on exactly the other's shared set, through edits,
// withdrawals, cuts, a reinstall and a restore from an older database copy.
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "node/journal.h"
#include "node/journal/journal_sync.h"
#include "node/shared_content.h"
#include "protocol/messages.h"
#include "protocol/sync.h"
#include "steps/kinds.h"
#include "tests/node/journal_node.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

constexpr std::string_view kPrivateMarker = "PRIVATE-MARKER-";

// One session between two nodes, in memory: each engine's messages are encoded, recorded in
// the tap, decoded and handed to the other engine, in order.
class MemorySession {
 public:
  MemorySession(JournalNode& a, JournalNode& b, std::vector<Bytes>& tap)
      : a_(a.store()), b_(b.store()), tap_(tap) {}

  Status Start() {
    ATTUNE_RETURN_IF_ERROR(a_.Start());
    return b_.Start();
  }

  // Moves messages until neither side has any, or until `limit` envelopes were moved in this
  // session (a cut: the rest is lost, as when a connection drops).
  Status Pump(size_t limit = std::numeric_limits<size_t>::max()) {
    bool moved = true;
    while (moved) {
      moved = false;
      for (auto [from, to] : {std::pair{&a_, &b_}, std::pair{&b_, &a_}}) {
        for (const protocol::Message& message : from->TakeOutgoing()) {
          if (delivered_ == limit) return Status::Ok();
          ATTUNE_ASSIGN_OR_RETURN(Bytes envelope, protocol::EncodeEnvelope(message));
          tap_.push_back(envelope);
          ATTUNE_ASSIGN_OR_RETURN(protocol::Message decoded, protocol::DecodeEnvelope(envelope));
          ATTUNE_RETURN_IF_ERROR(to->Receive(decoded));
          ++delivered_;
          moved = true;
        }
      }
    }
    return Status::Ok();
  }

  // Live sync: both journals may have changed.
  Status LocalChanged() {
    ATTUNE_RETURN_IF_ERROR(a_.LocalChanged());
    return b_.LocalChanged();
  }

  bool Settled() const { return a_.Settled() && b_.Settled(); }
  const protocol::SyncCounts& a_counts() const { return a_.counts(); }
  const protocol::SyncCounts& b_counts() const { return b_.counts(); }

 private:
  protocol::SyncEngine a_;
  protocol::SyncEngine b_;
  std::vector<Bytes>& tap_;
  size_t delivered_ = 0;
};

// id -> the content the partner's node is meant to hold for it.
using SharedSet = std::map<std::string, std::string>;

class JournalSyncTest : public ::testing::Test {
 protected:
  JournalSyncTest()
      : clock_(kStartTime),
        alex_(std::make_unique<JournalNode>(temp_.File("alex"), "Alex", clock_)),
        sam_(std::make_unique<JournalNode>(temp_.File("sam"), "Sam", clock_)) {}

  // One whole session between alex and sam; asserts it settles.
  void Sync() {
    MemorySession session(*alex_, *sam_, tap_);
    ASSERT_OK(session.Start());
    ASSERT_OK(session.Pump());
    ASSERT_TRUE(session.Settled());
    EXPECT_EQ(session.a_counts().applied.refused, 0u);
    EXPECT_EQ(session.b_counts().applied.refused, 0u);
  }

  // A session cut after `envelopes` messages.
  void SyncCutAfter(size_t envelopes) {
    MemorySession session(*alex_, *sam_, tap_);
    ASSERT_OK(session.Start());
    ASSERT_OK(session.Pump(envelopes));
  }

  Entry Add(JournalNode& node, std::string kind, std::string text, bool share,
            std::vector<std::string> tags = {}, nlohmann::json fields = nlohmann::json::object(),
            std::vector<std::string> links = {}) {
    clock_.Advance(1000);
    NewEntry draft = Draft(std::move(kind), std::move(text), std::move(tags), std::move(fields),
                           std::move(links));
    draft.share = share;
    Result<Entry> added = node.journal().Add(std::move(draft));
    EXPECT_OK(added.status());
    return added.ok() ? *added : Entry{};
  }

  // A private entry of `kind` carrying a fresh marker in its text, a tag and its fields.
  Entry AddPrivate(JournalNode& node, std::string kind) {
    const std::string marker = std::string(kPrivateMarker) + std::to_string(++markers_);
    return Add(node, std::move(kind), "secret " + marker + " words", false, {marker},
               {{"detail", marker}});
  }

  // Private entries of every kind, and shared ones of every kind that link to them.
  void WriteJournal(JournalNode& node, const std::string& who) {
    for (const steps::KindInfo& kind : steps::AllKinds()) {
      const Entry hidden = AddPrivate(node, std::string(kind.name));
      Add(node, std::string(kind.name), "shared by " + who + ": " + std::string(kind.name), true,
          {"ours"}, {{"about", std::string(kind.name)}}, {hidden.id});
    }
  }

  static SharedSet OwnShared(JournalNode& node) {
    Result<std::vector<Entry>> entries =
        node.journal().List({.author = node::Author::kMe, .shared_only = true});
    EXPECT_OK(entries.status());
    SharedSet set;
    if (entries.ok()) {
      for (const Entry& entry : *entries) set[entry.id] = EncodeSharedContent(entry);
    }
    return set;
  }

  static SharedSet PartnerView(JournalNode& node) {
    Result<std::vector<Entry>> entries = node.journal().List({.author = node::Author::kPartner});
    EXPECT_OK(entries.status());
    SharedSet set;
    if (entries.ok()) {
      for (const Entry& entry : *entries) {
        EXPECT_EQ(entry.visibility, node::Visibility::kShared);
        set[entry.id] = EncodeSharedContent(entry);
      }
    }
    return set;
  }

  void ExpectConverged() {
    const SharedSet alex_shares = OwnShared(*alex_);
    const SharedSet sam_shares = OwnShared(*sam_);
    EXPECT_FALSE(alex_shares.empty());
    EXPECT_EQ(PartnerView(*sam_), alex_shares);
    EXPECT_EQ(PartnerView(*alex_), sam_shares);
  }

  void ExpectNothingPrivateCrossed() {
    ASSERT_FALSE(tap_.empty());
    for (size_t i = 0; i < tap_.size(); ++i) {
      EXPECT_FALSE(BytesContain(tap_[i], kPrivateMarker)) << "envelope " << i;
    }
  }

  bool TapContains(std::string_view text) const {
    for (const Bytes& envelope : tap_) {
      if (BytesContain(envelope, text)) return true;
    }
    return false;
  }

  void ExpectEverythingAcknowledged(JournalNode& node) {
    ASSERT_OK_AND_ASSIGN(std::vector<SharedItem> items, node.journal().SharedItems());
    for (const SharedItem& item : items) {
      EXPECT_TRUE(item.state == DeliveryState::kDelivered ||
                  item.state == DeliveryState::kWithdrawn)
          << item.entry_id;
    }
  }

  TempDir temp_;
  ManualClock clock_;
  std::unique_ptr<JournalNode> alex_;
  std::unique_ptr<JournalNode> sam_;
  std::vector<Bytes> tap_;
  int markers_ = 0;
};

TEST_F(JournalSyncTest, NothingPrivateCrossesAndEachSideGetsExactlyTheOthersSharedSet) {
  WriteJournal(*alex_, "alex");
  WriteJournal(*sam_, "sam");
  // A shared entry withdrawn and then rewritten in private words before the first sync: only
  // its tombstone may travel.
  const Entry withdrawn = Add(*alex_, "need", "once shared", true);
  ASSERT_OK(alex_->journal().Unshare(withdrawn.id).status());
  ASSERT_OK(alex_->journal().EditText(withdrawn.id, "now PRIVATE-MARKER-unshared").status());

  ASSERT_NO_FATAL_FAILURE(Sync());
  ExpectNothingPrivateCrossed();
  EXPECT_TRUE(TapContains("shared by alex: trigger")) << "the tap sees shared content";
  EXPECT_TRUE(TapContains("shared by sam: wound"));
  ExpectConverged();
  EXPECT_EQ(PartnerView(*sam_).size(), steps::AllKinds().size());
  EXPECT_CODE(sam_->journal().Get(withdrawn.id), kNotFound);
  ExpectEverythingAcknowledged(*alex_);
  ExpectEverythingAcknowledged(*sam_);

  // A second session has nothing new to move.
  MemorySession again(*alex_, *sam_, tap_);
  ASSERT_OK(again.Start());
  ASSERT_OK(again.Pump());
  EXPECT_TRUE(again.Settled());
  EXPECT_EQ(again.a_counts().sent + again.a_counts().withdrew, 0u);
  EXPECT_EQ(again.b_counts().sent + again.b_counts().withdrew, 0u);
}

TEST_F(JournalSyncTest, EditsWithdrawalsAndDeletionsConvergeAtTheNextSync) {
  WriteJournal(*alex_, "alex");
  WriteJournal(*sam_, "sam");
  const Entry boundary = Add(*alex_, "boundary", "no phones at dinner", true);
  const Entry to_unshare = Add(*alex_, "statement", "I feel rushed when ...", true);
  const Entry to_delete = Add(*alex_, "repair", "we took a walk", true);
  const Entry to_edit = Add(*sam_, "need", "a text when late", true);
  const Entry later_shared = Add(*sam_, "need", "mornings slow", false);
  ASSERT_NO_FATAL_FAILURE(Sync());
  ExpectConverged();

  clock_.Advance(60'000);
  ASSERT_OK(alex_->journal().RestateBoundary(boundary.id, "again").status());
  ASSERT_OK(alex_->journal().Share(boundary.id).status());  // the author confirms it
  ASSERT_OK(alex_->journal().Unshare(to_unshare.id).status());
  ASSERT_OK(alex_->journal().EditText(to_unshare.id, "PRIVATE-MARKER-after-unshare").status());
  ASSERT_OK(alex_->journal().Remove(to_delete.id));
  ASSERT_OK(sam_->journal().EditText(to_edit.id, "a text or a call when late").status());
  ASSERT_OK(sam_->journal().Share(to_edit.id).status());
  ASSERT_OK(sam_->journal().Share(later_shared.id).status());
  ASSERT_OK_AND_ASSIGN(Entry response,
                       alex_->journal().Respond(to_edit.id, "I will try", "will-try"));

  MemorySession session(*alex_, *sam_, tap_);
  ASSERT_OK(session.Start());
  ASSERT_OK(session.Pump());
  ASSERT_TRUE(session.Settled());
  EXPECT_EQ(session.a_counts().sent, 2u);      // the restated boundary, the response
  EXPECT_EQ(session.a_counts().withdrew, 2u);  // the unshared and the deleted entry
  EXPECT_EQ(session.b_counts().applied.received, 2u);
  EXPECT_EQ(session.b_counts().applied.removed, 2u);
  EXPECT_EQ(session.a_counts().applied.received, 2u);

  ExpectNothingPrivateCrossed();
  ExpectConverged();
  ASSERT_OK_AND_ASSIGN(Entry restated, sam_->journal().Get(boundary.id));
  EXPECT_EQ(restated.fields["restatements"].size(), 1u);
  ASSERT_OK_AND_ASSIGN(Entry edited, alex_->journal().Get(to_edit.id));
  EXPECT_EQ(edited.text, "a text or a call when late");
  ASSERT_OK_AND_ASSIGN(Entry answer, sam_->journal().Get(response.id));
  EXPECT_EQ(answer.fields["responds_to"], to_edit.id);
  EXPECT_EQ(answer.author, node::Author::kPartner);
  EXPECT_CODE(sam_->journal().Get(to_unshare.id), kNotFound);
  EXPECT_CODE(sam_->journal().Get(to_delete.id), kNotFound);
  ExpectEverythingAcknowledged(*alex_);
  ExpectEverythingAcknowledged(*sam_);
}

// Issue 19, the trash: a shared entry moved there leaves the partner at the next sync, and
// nothing of it travels again, neither while it is in the trash nor once restored (private).
TEST_F(JournalSyncTest, TheTrashIsWithdrawnFromThePartnerAndARestoreSendsNothing) {
  const Entry need = Add(*alex_, "need", "TRASHED-SHARED a hug at the door", true);
  const Entry kept = Add(*alex_, "need", "kept shared", true);
  ASSERT_NO_FATAL_FAILURE(Sync());
  ASSERT_OK(sam_->journal().Get(need.id).status());

  ASSERT_OK(alex_->journal().MoveToTrash(need.id).status());
  tap_.clear();
  MemorySession session(*alex_, *sam_, tap_);
  ASSERT_OK(session.Start());
  ASSERT_OK(session.Pump());
  ASSERT_TRUE(session.Settled());
  EXPECT_EQ(session.a_counts().withdrew, 1u);
  EXPECT_EQ(session.a_counts().sent, 0u);
  EXPECT_EQ(session.b_counts().applied.removed, 1u);
  EXPECT_FALSE(TapContains("TRASHED-SHARED"));
  EXPECT_CODE(sam_->journal().Get(need.id), kNotFound);
  ASSERT_OK(sam_->journal().Get(kept.id).status());

  ASSERT_OK(alex_->journal().RestoreFromTrash(need.id).status());
  tap_.clear();
  ASSERT_NO_FATAL_FAILURE(Sync());
  EXPECT_FALSE(TapContains("TRASHED-SHARED")) << "restored private: nothing is sent";
  EXPECT_CODE(sam_->journal().Get(need.id), kNotFound);
  ExpectConverged();
}

TEST_F(JournalSyncTest, ChangesDuringALiveSessionFlowWithoutANewSession) {
  WriteJournal(*alex_, "alex");
  MemorySession session(*alex_, *sam_, tap_);
  ASSERT_OK(session.Start());
  ASSERT_OK(session.Pump());
  ASSERT_TRUE(session.Settled());

  const Entry need = Add(*sam_, "need", "live need", true);
  const SharedSet alex_shares = OwnShared(*alex_);
  ASSERT_FALSE(alex_shares.empty());
  const std::string withdrawn = alex_shares.begin()->first;
  ASSERT_OK(alex_->journal().Unshare(withdrawn).status());
  ASSERT_OK(session.LocalChanged());
  ASSERT_OK(session.Pump());
  EXPECT_TRUE(session.Settled());
  ExpectConverged();
  ASSERT_OK_AND_ASSIGN(Entry arrived, alex_->journal().Get(need.id));
  EXPECT_EQ(arrived.text, "live need");
  EXPECT_CODE(sam_->journal().Get(withdrawn), kNotFound);
  ExpectNothingPrivateCrossed();
}

TEST_F(JournalSyncTest, CutSessionsResumeWithoutLossOrDuplicates) {
  // Enough rows for several batches each way, and one entry that travels in fragments.
  for (int i = 0; i < 150; ++i) {
    Add(*alex_, "need", "alex need " + std::to_string(i) + std::string(1000, '.'), true);
  }
  for (int i = 0; i < 90; ++i) {
    Add(*sam_, "repair", "sam repair " + std::to_string(i) + std::string(500, '.'), true);
  }
  AddPrivate(*alex_, "wound");
  Add(*alex_, "repair", "long", true, {}, {{"notes", std::string(200 * 1024, 'n')}});
  for (int i = 0; i < 40; ++i) {
    Add(*alex_, "need", "after the long one " + std::to_string(i), true);
  }

  int round = 0;
  for (size_t cut : {1, 2, 3, 4, 6, 9, 13}) {
    SCOPED_TRACE("cut after " + std::to_string(cut) + " envelopes");
    ASSERT_NO_FATAL_FAILURE(SyncCutAfter(cut));
    // Both sides keep writing between the broken sessions.
    const std::string n = std::to_string(++round);
    Add(*alex_, "need", "between sessions " + n, true);
    Add(*sam_, "need", "between sessions " + n, true);
    if (round % 2 == 0) {
      const std::string oldest = OwnShared(*sam_).begin()->first;
      ASSERT_OK(sam_->journal().Remove(oldest));
    }
  }
  ASSERT_NO_FATAL_FAILURE(Sync());
  ExpectNothingPrivateCrossed();
  ExpectConverged();
  ExpectEverythingAcknowledged(*alex_);
  ExpectEverythingAcknowledged(*sam_);
}

// A partner who reinstalls and restores from an export starts a new log: the other side drops
// everything it held of the old one and ends with exactly the restored shared set.
TEST_F(JournalSyncTest, APartnerRestoredFromAnExportIsMirroredExactly) {
  WriteJournal(*alex_, "alex");
  WriteJournal(*sam_, "sam");
  ASSERT_NO_FATAL_FAILURE(Sync());
  ASSERT_OK_AND_ASSIGN(std::string backup, sam_->journal().ExportJson());
  // After the backup: more sharing that the restored journal will not have.
  const Entry after_backup = Add(*sam_, "need", "shared after the backup", true);
  const Entry unshared_after = Add(*sam_, "boundary", "shared, later withdrawn", true);
  ASSERT_NO_FATAL_FAILURE(Sync());
  ASSERT_OK(alex_->journal().Get(after_backup.id).status());

  sam_ = std::make_unique<JournalNode>(temp_.File("sam-reinstalled"), "Sam", clock_);
  ASSERT_OK_AND_ASSIGN(ImportSummary restored, sam_->journal().ImportJson(backup));
  EXPECT_GT(restored.added, 0);

  ASSERT_NO_FATAL_FAILURE(Sync());
  ExpectNothingPrivateCrossed();
  ExpectConverged();
  EXPECT_CODE(alex_->journal().Get(after_backup.id), kNotFound);
  EXPECT_CODE(alex_->journal().Get(unshared_after.id), kNotFound);
  EXPECT_EQ(PartnerView(*alex_).size(), steps::AllKinds().size());
  // The restored journal got alex's shared entries again, too.
  EXPECT_EQ(PartnerView(*sam_).size(), steps::AllKinds().size());
}

// The same for a journal whose database file was put back from an older copy: its log reuses
// seqs the partner already applied, so it must start a new epoch.
TEST_F(JournalSyncTest, APartnerRestoredFromAnOlderDatabaseCopyIsMirroredExactly) {
  WriteJournal(*alex_, "alex");
  WriteJournal(*sam_, "sam");
  ASSERT_NO_FATAL_FAILURE(Sync());
  const std::string db = sam_->home().database_path();
  sam_->Close();
  const Bytes old_copy = ReadFileBytes(db);
  ASSERT_FALSE(FileExists(db + "-wal") && !ReadFileBytes(db + "-wal").empty())
      << "a closed journal leaves everything in the main file";
  ASSERT_OK(sam_->Reopen());

  // The entry to edit is one the copy holds, so it is chosen before `later` exists, and one
  // whose words may be edited (a style result's come from its answers; ids are random, so the
  // first one may be any kind).
  std::string edited;
  for (const auto& [id, content] : OwnShared(*sam_)) {
    ASSERT_OK_AND_ASSIGN(Entry entry, sam_->journal().Get(id));
    if (entry.kind != "style") {
      edited = id;
      break;
    }
  }
  ASSERT_FALSE(edited.empty());
  const Entry later = Add(*sam_, "need", "shared after the copy", true);
  ASSERT_OK(sam_->journal().EditText(edited, "edited after the copy").status());
  // Alex's side moves on too; the restored journal must get this again.
  const Entry alex_later = Add(*alex_, "repair", "alex, after the copy", true);
  ASSERT_NO_FATAL_FAILURE(Sync());
  ASSERT_OK(alex_->journal().Get(later.id).status());

  sam_->Close();
  test_common::WriteFileBytes(db, old_copy);
  ASSERT_OK(sam_->Reopen());
  ASSERT_NO_FATAL_FAILURE(Sync());
  ExpectConverged();
  EXPECT_CODE(alex_->journal().Get(later.id), kNotFound);
  ASSERT_OK_AND_ASSIGN(Entry reverted, alex_->journal().Get(edited));
  EXPECT_NE(reverted.text, "edited after the copy");
  ASSERT_OK_AND_ASSIGN(Entry again, sam_->journal().Get(alex_later.id));
  EXPECT_EQ(again.author, node::Author::kPartner);
}

}  // namespace
}  // namespace attune::node::testing
