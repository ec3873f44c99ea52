// Issue 6, "hostile input": a real node::Serve against a scripted partner that holds the
// partner's real key (a buggy build, or the partner's machine in the wrong hands) and sends what
// attune never would. Each case has a defined outcome (docs/protocol.md, "Hostile peers: defined
// outcomes"): the message is refused, ignored, or the session is closed. After every one, A's own
// entries are unchanged field for field, A holds no partner entry it should not, and A still
// serves: the real partner's next sync works. Floods, trickles, replays and the serve limits are
// in hostile_limits_test.cc.
#include <gtest/gtest.h>

#include <cctype>
#include <ostream>

#include "protocol/sync.h"
#include "tests/common/status_assertions.h"
#include "tests/link/hostile_peer.h"

namespace attune::link_testing {
namespace {

using nlohmann::json;
using protocol::SyncRecord;

// ---- Hand-made protobuf, for envelopes attune's encoder cannot produce ----

void AppendVarint(Bytes& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<uint8_t>(value));
}

void AppendVarintField(Bytes& out, uint32_t field, uint64_t value) {
  AppendVarint(out, uint64_t{field} << 3);
  AppendVarint(out, value);
}

void AppendBytesField(Bytes& out, uint32_t field, ByteSpan value) {
  AppendVarint(out, uint64_t{field} << 3 | 2);
  AppendVarint(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
}

// An Envelope{version} with one length-delimited body field.
Bytes Envelope(uint64_t version, uint32_t body_field, ByteSpan body) {
  Bytes out;
  AppendVarintField(out, 1, version);
  AppendBytesField(out, body_field, body);
  return out;
}

constexpr uint32_t kPingField = 10;  // Envelope.ping in protocol/attune.proto

// ---- Cases that close the session ----

struct ClosingCase {
  const char* name;
  void (*act)(HostilePeer& peer);
  const char* event;  // what A's serve says when the session ends
};

// ctest shows the case's name rather than its bytes.
void PrintTo(const ClosingCase& closing, std::ostream* out) {
  *out << closing.name;
}

class ClosingTest : public HostilePeerTest, public ::testing::WithParamInterface<ClosingCase> {};

TEST_P(ClosingTest, ClosesTheSessionKeepsEverythingAndServesOn) {
  Serve();
  std::unique_ptr<HostilePeer> peer = ConnectAsPartner();
  ASSERT_NE(peer, nullptr);
  GetParam().act(*peer);
  ExpectClosed(*peer, GetParam().event);
  ExpectOwnEntriesUnchanged();
  EXPECT_TRUE(PartnerEntryIds().empty());
  ExpectHonestSyncWorks();
}

// (a) An entry over kMaxSharedEntryBytes can only arrive in parts: refused at the part that
// crosses the limit, before the reassembly buffer grows past it.
void FragmentsPastTheLimit(HostilePeer& peer) {
  OpenSync(peer);
  const std::string id = NewEntryId();
  constexpr size_t kPart = 60'000;
  for (uint32_t part = 0; part * kPart <= protocol::kMaxSharedEntryBytes; ++part) {
    peer.Send(protocol::SyncBatchMessage{
        kRogueEpoch, part + 1, 0, {Part(1, id, part, Bytes(kPart, 'x'), true)}, false});
  }
}

// (b) Batches are numbered 1, 2, 3 ... and continue from the last complete row.
void BatchNumberFarAhead(HostilePeer& peer) {
  OpenSync(peer);
  peer.Send(protocol::SyncBatchMessage{kRogueEpoch, 1'000'000, 0, {}, true});
}

void BatchAfterASeqFarAhead(HostilePeer& peer) {
  OpenSync(peer);
  peer.Send(protocol::SyncBatchMessage{kRogueEpoch, 1, 1'000'000, {}, true});
}

void BatchBeforeTheHello(HostilePeer& peer) {
  peer.Send(protocol::SyncBatchMessage{kRogueEpoch, 1, 0, {}, true});
}

void AckForABatchNeverSent(HostilePeer& peer) {
  std::optional<protocol::SyncHelloMessage> theirs = OpenSync(peer);
  peer.Send(protocol::SyncAckMessage{theirs ? theirs->epoch : Bytes(16, 0), 1'000, 0});
}

void MalformedEntryId(HostilePeer& peer) {
  OpenSync(peer);
  std::string shouting = NewEntryId();
  for (char& c : shouting) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  peer.Send(protocol::SyncBatchMessage{kRogueEpoch, 1, 0, {Tombstone(1, shouting)}, true});
}

void TombstoneWithContent(HostilePeer& peer) {
  OpenSync(peer);
  SyncRecord record = Tombstone(1, NewEntryId());
  record.content = Bytes{'{', '}'};
  peer.Send(protocol::SyncBatchMessage{kRogueEpoch, 1, 0, {record}, true});
}

void NewerMajorVersion(HostilePeer& peer) {
  peer.SendSealed(Envelope(2, kPingField, {}));
}

void EnvelopeWithoutVersion(HostilePeer& peer) {
  Bytes envelope;
  AppendBytesField(envelope, kPingField, {});
  peer.SendSealed(envelope);
}

// (h) Garbage: inside a valid seal, or instead of one; a length the frame never fills.
void GarbageInsideAValidSeal(HostilePeer& peer) {
  peer.SendSealed(Bytes(300, 0xff));
}

void GarbageFrame(HostilePeer& peer) {
  peer.client().SendFrame(Bytes(300, 0x5a));
}

void ZeroLengthFrame(HostilePeer& peer) {
  peer.client().SendBytes(Bytes{0, 0});
}

void LengthTheFrameNeverFills(HostilePeer& peer) {
  Bytes bytes = {0xff, 0xff};  // 65,535 announced, 100 sent, then silence
  bytes.resize(bytes.size() + 100, 0x11);
  peer.client().SendBytes(bytes);
}

// (i) A frame replayed within its session (across sessions: hostile_limits_test.cc).
void ReplayedFrame(HostilePeer& peer) {
  peer.Send(protocol::PingMessage{1});
  peer.client().SendFrame(peer.sealed().back());
}

INSTANTIATE_TEST_SUITE_P(
    Hostile, ClosingTest,
    ::testing::Values(
        ClosingCase{"fragments past the limit", FragmentsPastTheLimit, "larger than attune allows"},
        ClosingCase{"batch number far ahead", BatchNumberFarAhead, "a batch is missing"},
        ClosingCase{"batch after a seq far ahead", BatchAfterASeqFarAhead,
                    "does not continue the last one"},
        ClosingCase{"batch before the hello", BatchBeforeTheHello, "before the partner's hello"},
        ClosingCase{"ack for a batch never sent", AckForABatchNeverSent, "batch never sent"},
        ClosingCase{"malformed entry id", MalformedEntryId, "bad entry id"},
        ClosingCase{"tombstone with content", TombstoneWithContent, "tombstone with content"},
        ClosingCase{"newer major version", NewerMajorVersion, "newer protocol major version"},
        ClosingCase{"envelope without version", EnvelopeWithoutVersion, "without version"},
        ClosingCase{"garbage inside a valid seal", GarbageInsideAValidSeal, "unparsable message"},
        ClosingCase{"garbage frame", GarbageFrame, "failed authentication"},
        ClosingCase{"zero length frame", ZeroLengthFrame, "zero-length frame"},
        ClosingCase{"length the frame never fills", LengthTheFrameNeverFills,
                    "stopped in the middle of a message"},
        ClosingCase{"replayed frame", ReplayedFrame, "failed authentication"}),
    [](const ::testing::TestParamInfo<ClosingCase>& param_info) {
      std::string name = param_info.param.name;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

// ---- Rows that are refused or kept, in a session that goes on ----

// (c) A partner can neither remove nor overwrite the receiver's own entries, nor take over the
// id of one it shared and deleted (still named by its outgoing log).
TEST_F(HostilePeerTest, RowsNamingTheReceiversOwnEntriesAreRefusedAndTheSessionGoesOn) {
  Serve();
  std::unique_ptr<HostilePeer> peer = ConnectAsPartner();
  ASSERT_NE(peer, nullptr);
  OpenSync(*peer);
  std::vector<SyncRecord> rows;
  uint64_t seq = 0;
  for (const std::string& own : {own_private_, own_shared_, own_withdrawn_}) {
    rows.push_back(Tombstone(++seq, own));
    rows.push_back(ContentRow(++seq, own, EntryContent(own, "note", "Taken over by the peer.")));
  }
  std::optional<protocol::SyncAckMessage> ack = SendBatch(*peer, 1, 0, rows);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->applied_seq, seq);  // refused rows still count as applied: nothing stalls
  ExpectAnswersPings(*peer);
  ExpectOwnEntriesUnchanged();
  EXPECT_TRUE(PartnerEntryIds().empty());

  peer->Send(protocol::GoodbyeMessage{});
  // Five refused: the tombstone for the deleted entry finds nothing to remove, a no-op.
  EXPECT_TRUE(WaitForSessionEnd([](const node::ServeCounts& counts) {
    return counts.received == 0 && counts.removed == 0 && counts.refused == 5;
  }));
  ExpectHonestSyncWorks();
}

// (d) A response names the entry it answers by id; the receiver may have deleted that entry
// since (a race honest nodes run into), so a response to an entry that is not there is kept.
// One whose fields are malformed is refused. Links to entries not here are kept the same way
// (they name the partner's own entries, which may be private).
TEST_F(HostilePeerTest, AResponseToAnEntryThatIsNotThereIsKeptAndMalformedOnesAreRefused) {
  Serve();
  std::unique_ptr<HostilePeer> peer = ConnectAsPartner();
  ASSERT_NE(peer, nullptr);
  OpenSync(*peer);
  const std::string kept_response = NewEntryId();
  const std::string kept_note = NewEntryId();
  const std::vector<std::pair<std::string, json>> refused_fields = {
      {NewEntryId(), json::object()},                                   // answers nothing
      {NewEntryId(), {{"responds_to", "not-an-id"}}},                   // not a full id
      {NewEntryId(), {{"responds_to", NewEntryId()}, {"ack", "meh"}}},  // an unknown ack
  };
  std::vector<SyncRecord> rows = {
      ContentRow(1, kept_response,
                 EntryContent(kept_response, "response", "I hear you.",
                              {{"responds_to", NewEntryId()}, {"ack", "heard"}})),
      ContentRow(2, kept_note,
                 EntryContent(kept_note, "note", "See those.", json::object(),
                              {NewEntryId(), NewEntryId()})),
  };
  for (const auto& [id, fields] : refused_fields) {
    rows.push_back(ContentRow(rows.size() + 1, id, EntryContent(id, "response", "Hm.", fields)));
  }
  std::optional<protocol::SyncAckMessage> ack = SendBatch(*peer, 1, 0, rows);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->applied_seq, rows.size());
  std::vector<std::string> expected = {kept_response, kept_note};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(PartnerEntryIds(), expected);
  ExpectOwnEntriesUnchanged();

  peer->Send(protocol::GoodbyeMessage{});
  EXPECT_TRUE(WaitForSessionEnd([](const node::ServeCounts& counts) {
    return counts.received == 2 && counts.removed == 0 && counts.refused == 3;
  }));
  ExpectHonestSyncWorks();  // B's real epoch: A drops the rogue log's entries
}

// (a) Within the protocol's row limit but over the entry rules (text over 64 KiB): reassembled,
// then refused like any invalid row.
TEST_F(HostilePeerTest, AnEntryOverTheEntryRulesButWithinTheRowLimitIsRefused) {
  Serve();
  std::unique_ptr<HostilePeer> peer = ConnectAsPartner();
  ASSERT_NE(peer, nullptr);
  OpenSync(*peer);
  const std::string id = NewEntryId();
  const Bytes content = EntryContent(id, "note", std::string(100 * 1024, 'y'));
  constexpr size_t kPart = 60'000;
  ASSERT_GT(content.size(), kPart);
  ASSERT_LE(content.size(), 2 * kPart);
  SyncRecord first = Part(1, id, 0, Bytes(content.begin(), content.begin() + kPart), true);
  SyncRecord second = Part(1, id, 1, Bytes(content.begin() + kPart, content.end()), false);
  peer->Send(protocol::SyncBatchMessage{kRogueEpoch, 1, 0, {first}, false});
  std::optional<protocol::SyncAckMessage> ack = SendBatch(*peer, 2, 0, {second});
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->applied_seq, 1u);
  EXPECT_TRUE(PartnerEntryIds().empty());
  ExpectAnswersPings(*peer);

  peer->Send(protocol::GoodbyeMessage{});
  EXPECT_TRUE(
      WaitForSessionEnd([](const node::ServeCounts& counts) { return counts.refused == 1; }));
  ExpectOwnEntriesUnchanged();
  ExpectHonestSyncWorks();
}

// Memory: a long row that never finishes is held (at most kMaxSharedEntryBytes) until the session
// ends, never applied, and the cursor stays before it; parts that add nothing do not grow it.
TEST_F(HostilePeerTest, FragmentsThatNeverFinishAreHeldWithinTheLimitAndDropped) {
  Serve();
  std::unique_ptr<HostilePeer> peer = ConnectAsPartner();
  ASSERT_NE(peer, nullptr);
  OpenSync(*peer);
  const std::string id = NewEntryId();
  constexpr size_t kPart = 60'000;
  uint32_t part = 0;
  for (; part < protocol::kMaxSharedEntryBytes / kPart; ++part) {
    peer->Send(protocol::SyncBatchMessage{
        kRogueEpoch, part + 1, 0, {Part(1, id, part, Bytes(kPart, 'z'), true)}, false});
  }
  for (int empty = 0; empty < 200; ++empty, ++part) {
    std::optional<protocol::SyncAckMessage> ack =
        SendBatch(*peer, part + 1, 0, {Part(1, id, part, {}, true)});
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->applied_seq, 0u);
  }
  ExpectAnswersPings(*peer);
  EXPECT_TRUE(PartnerEntryIds().empty());
  peer.reset();  // the session ends with the row unfinished
  EXPECT_TRUE(serve_->WaitForEvent(node::ServeEventKind::kSessionEnded));
  EXPECT_TRUE(PartnerEntryIds().empty());
  ExpectOwnEntriesUnchanged();
  ExpectHonestSyncWorks();
}

// (b) Seqs may leave gaps (every change takes a new one), so a seq far ahead is applied; the
// cursor then never moves back, and the next honest session, under B's real epoch, starts over.
TEST_F(HostilePeerTest, ASeqFarAheadIsAGapThatIsAppliedButSeqsNeverGoBack) {
  Serve();
  std::unique_ptr<HostilePeer> peer = ConnectAsPartner();
  ASSERT_NE(peer, nullptr);
  OpenSync(*peer);
  const uint64_t far = uint64_t{1} << 62;
  const std::string id = NewEntryId();
  std::optional<protocol::SyncAckMessage> ack =
      SendBatch(*peer, 1, 0, {ContentRow(far, id, EntryContent(id, "note", "Far ahead."))});
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->applied_seq, far);
  EXPECT_EQ(PartnerEntryIds(), std::vector<std::string>{id});

  const std::string behind = NewEntryId();
  peer->Send(protocol::SyncBatchMessage{
      kRogueEpoch, 2, far, {ContentRow(5, behind, EntryContent(behind, "note", "Back."))}, true});
  ExpectClosed(*peer, "sequence numbers do not increase");
  EXPECT_EQ(PartnerEntryIds(), std::vector<std::string>{id});
  ExpectOwnEntriesUnchanged();
  ExpectHonestSyncWorks();
}

// (b) A hello that claims A's log reached further than it did is what a journal restored from an
// older copy looks like: A renumbers its log (a new epoch) and sends it all again.
TEST_F(HostilePeerTest, AHelloClaimingMoreThanTheLogHoldsMakesTheNodeStartANewEpoch) {
  Serve();
  std::unique_ptr<HostilePeer> peer = ConnectAsPartner();
  ASSERT_NE(peer, nullptr);
  std::optional<protocol::SyncHelloMessage> first = peer->ReceiveA<protocol::SyncHelloMessage>();
  ASSERT_TRUE(first.has_value());
  peer->Send(protocol::SyncHelloMessage{kRogueEpoch, first->epoch, uint64_t{1} << 62});
  std::optional<protocol::SyncHelloMessage> renumbered =
      peer->ReceiveA<protocol::SyncHelloMessage>();
  ASSERT_TRUE(renumbered.has_value());
  EXPECT_NE(renumbered->epoch, first->epoch);
  std::optional<protocol::SyncBatchMessage> batch = peer->ReceiveA<protocol::SyncBatchMessage>();
  ASSERT_TRUE(batch.has_value());
  EXPECT_EQ(batch->epoch, renumbered->epoch);
  EXPECT_EQ(batch->after_seq, 0u);  // the whole log again
  peer.reset();
  ExpectOwnEntriesUnchanged();
  ExpectHonestSyncWorks();
}

// (e) A body this build does not know (a later version's, under a feature this one does not
// speak, or garbage that parses) is skipped: the session goes on.
TEST_F(HostilePeerTest, AnEnvelopeWhoseBodyThisBuildDoesNotKnowIsSkipped) {
  Serve();
  std::unique_ptr<HostilePeer> peer = ConnectAsPartner();
  ASSERT_NE(peer, nullptr);
  OpenSync(*peer);
  peer->SendSealed(Envelope(1, 20, {}));
  peer->SendSealed(Envelope(1, 99, Bytes(1000, 0x42)));
  peer->SendSealed(Envelope(1, 21, Bytes{0x08, 0x01}));
  const std::string id = NewEntryId();
  std::optional<protocol::SyncAckMessage> ack =
      SendBatch(*peer, 1, 0, {ContentRow(1, id, EntryContent(id, "note", "Still here."))});
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(PartnerEntryIds(), std::vector<std::string>{id});
  ExpectAnswersPings(*peer);
  peer.reset();
  ExpectOwnEntriesUnchanged();
  ExpectHonestSyncWorks();
}

// Features: a node sends only messages of features both Hellos listed. A partner that offers
// only pings gets no sync message from the node (its log stays unsent) and its own sync
// messages are skipped; pings are answered. An unknown feature is never agreed.
TEST_F(HostilePeerTest, ANodeSendsOnlyWhatThePartnerAgreedToAndSkipsTheRest) {
  Serve();
  std::unique_ptr<HostilePeer> peer =
      ConnectAsPartner({.features = {std::string(protocol::kFeaturePing), "teleport/9"}});
  ASSERT_NE(peer, nullptr);
  EXPECT_EQ(peer->server_hello().features, protocol::SupportedFeatures());
  // The node would open with its SyncHello at once if sync were agreed; a pong comes first.
  const uint64_t nonce = 0x77;
  peer->Send(protocol::PingMessage{nonce});
  std::optional<protocol::Message> first = peer->Receive();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(std::holds_alternative<protocol::PongMessage>(*first)) << first->index();
  EXPECT_EQ(std::get<protocol::PongMessage>(*first).nonce, nonce);
  // Sync messages the node did not agree to are skipped, not applied and not fatal.
  peer->Send(protocol::SyncHelloMessage{kRogueEpoch, {}, 0});
  const std::string id = NewEntryId();
  peer->Send(protocol::SyncBatchMessage{
      kRogueEpoch, 1, 0, {ContentRow(1, id, EntryContent(id, "note", "Unasked."))}, true});
  ExpectAnswersPings(*peer);
  EXPECT_TRUE(PartnerEntryIds().empty());
  peer->Send(protocol::GoodbyeMessage{});
  EXPECT_TRUE(serve_->WaitForEvents(
      [](const node::ServeEvent& event) {
        return event.kind == node::ServeEventKind::kSessionEnded && event.counts.sent == 0;
      },
      1));
  ExpectOwnEntriesUnchanged();
  ExpectHonestSyncWorks();
}

// (e) Unknown fields inside a known message are skipped (a newer peer's additions), also when
// they fill most of a frame; a pong nobody asked for is ignored.
TEST_F(HostilePeerTest, UnknownFieldsAreSkippedAndUnaskedPongsIgnored) {
  Serve();
  std::unique_ptr<HostilePeer> peer = ConnectAsPartner();
  ASSERT_NE(peer, nullptr);
  Bytes ping;
  AppendVarintField(ping, 1, 42);                   // nonce
  AppendBytesField(ping, 99, Bytes(60'000, 0x77));  // unknown to this build
  Bytes envelope = Envelope(1, kPingField, ping);
  AppendVarintField(envelope, 98, 1);  // unknown at the top level too
  peer->SendSealed(envelope);
  std::optional<protocol::PongMessage> pong = peer->ReceiveA<protocol::PongMessage>();
  ASSERT_TRUE(pong.has_value());
  EXPECT_EQ(pong->nonce, 42u);

  peer->Send(protocol::PongMessage{7});
  ExpectAnswersPings(*peer);
  peer.reset();
  ExpectOwnEntriesUnchanged();
  ExpectHonestSyncWorks();
}

}  // namespace
}  // namespace attune::link_testing
