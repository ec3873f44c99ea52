#include "protocol/sync.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "protocol/messages.h"
#include "protocol/session.h"
#include "tests/common/status_assertions.h"
#include "tests/protocol/memory_sync_store.h"

namespace attune::protocol::sync_testing {
namespace {

// `size` bytes of text that start with `label`, so a mismatch shows which version it was.
Bytes Content(const std::string& label, size_t size = 0) {
  Bytes content(label.begin(), label.end());
  if (content.size() < size) content.resize(size, static_cast<uint8_t>('a' + label.size() % 26));
  return content;
}

// Says which entry differs instead of printing entries of hundreds of kilobytes.
::testing::AssertionResult SameEntries(const EntrySet& held, const EntrySet& shared) {
  for (const auto& [id, content] : shared) {
    auto it = held.find(id);
    if (it == held.end()) return ::testing::AssertionFailure() << "missing " << id;
    if (it->second != content) return ::testing::AssertionFailure() << "stale version of " << id;
  }
  for (const auto& [id, content] : held) {
    if (!shared.contains(id)) return ::testing::AssertionFailure() << "holds unshared " << id;
  }
  return ::testing::AssertionSuccess();
}

void ExpectConverged(const MemorySyncStore& a, const MemorySyncStore& b) {
  EXPECT_TRUE(SameEntries(a.PeerEntries(), b.SharedSet())) << "A's view of B";
  EXPECT_TRUE(SameEntries(b.PeerEntries(), a.SharedSet())) << "B's view of A";
  EXPECT_EQ(a.stale_rows_offered(), 0u) << "A was offered a row twice";
  EXPECT_EQ(b.stale_rows_offered(), 0u) << "B was offered a row twice";
}

// Two engines joined by a wire of encoded envelopes that the test moves by hand. Every envelope
// is encoded, checked against the session's size limit, and decoded again on delivery.
class Link {
 public:
  struct InFlight {
    bool to_b = false;
    Bytes envelope;
  };

  Link(MemorySyncStore& a, MemorySyncStore& b) : a_store_(a), b_store_(b) {}

  // A new session: new engines on the same stores, nothing in flight.
  Status Connect() {
    wire_.clear();
    for (Direction& direction : directions_) direction = Direction{};
    a_ = std::make_unique<SyncEngine>(a_store_);
    b_ = std::make_unique<SyncEngine>(b_store_);
    ATTUNE_RETURN_IF_ERROR(a_->Start());
    ATTUNE_RETURN_IF_ERROR(b_->Start());
    return Collect();
  }

  // Puts both engines' outgoing messages on the wire.
  Status Collect() {
    ATTUNE_RETURN_IF_ERROR(Send(*a_, /*to_b=*/true));
    return Send(*b_, /*to_b=*/false);
  }

  Status Deliver(const InFlight& message) {
    ATTUNE_ASSIGN_OR_RETURN(Message decoded, DecodeEnvelope(message.envelope));
    if (const auto* ack = std::get_if<SyncAckMessage>(&decoded)) {
      Direction& acked = directions_[message.to_b ? 1 : 0];
      acked.acked = std::max(acked.acked, ack->batch_number);
    }
    ++delivered_;
    ATTUNE_RETURN_IF_ERROR((message.to_b ? *b_ : *a_).Receive(decoded));
    return Collect();
  }

  Status DeliverNext() {
    InFlight next = std::move(wire_.front());
    wire_.pop_front();
    return Deliver(next);
  }

  // Delivers in order until the wire is empty or `limit` messages were delivered.
  Status Run(size_t limit = std::numeric_limits<size_t>::max()) {
    for (size_t i = 0; i < limit && !wire_.empty(); ++i) ATTUNE_RETURN_IF_ERROR(DeliverNext());
    return Status::Ok();
  }

  Status ConnectAndRun() {
    ATTUNE_RETURN_IF_ERROR(Connect());
    return Run();
  }

  bool Settled() const { return a_->Settled() && b_->Settled(); }
  SyncEngine& a() { return *a_; }
  SyncEngine& b() { return *b_; }
  std::deque<InFlight>& wire() { return wire_; }
  size_t delivered() const { return delivered_; }
  // Everything A (or B) sent this session, decoded.
  const std::vector<Message>& sent_by_a() const { return directions_[0].sent; }
  const std::vector<Message>& sent_by_b() const { return directions_[1].sent; }
  // The most batches of one side that were sent and not yet acknowledged, this session.
  uint64_t most_outstanding() const {
    return std::max(directions_[0].most_outstanding, directions_[1].most_outstanding);
  }

 private:
  struct Direction {
    std::vector<Message> sent;
    uint64_t batches = 0;
    uint64_t acked = 0;  // the highest batch number the sender was told was processed
    uint64_t most_outstanding = 0;
  };

  Status Send(SyncEngine& engine, bool to_b) {
    Direction& direction = directions_[to_b ? 0 : 1];
    for (Message& message : engine.TakeOutgoing()) {
      ATTUNE_ASSIGN_OR_RETURN(Bytes envelope, EncodeEnvelope(message));
      if (envelope.size() > kMaxEnvelopeBytes) {
        return Status::Internal("an envelope over kMaxEnvelopeBytes: " +
                                std::to_string(envelope.size()));
      }
      if (std::holds_alternative<SyncBatchMessage>(message)) ++direction.batches;
      if (direction.batches - direction.acked > engine.window()) {
        return Status::Internal("more batches unacknowledged than the sender's window");
      }
      direction.most_outstanding =
          std::max(direction.most_outstanding, direction.batches - direction.acked);
      direction.sent.push_back(std::move(message));
      wire_.push_back(InFlight{to_b, std::move(envelope)});
    }
    return Status::Ok();
  }

  MemorySyncStore& a_store_;
  MemorySyncStore& b_store_;
  std::unique_ptr<SyncEngine> a_;
  std::unique_ptr<SyncEngine> b_;
  std::deque<InFlight> wire_;
  Direction directions_[2];  // [0]: A to B, [1]: B to A
  size_t delivered_ = 0;
};

std::vector<SyncBatchMessage> Batches(const std::vector<Message>& messages) {
  std::vector<SyncBatchMessage> batches;
  for (const Message& message : messages) {
    if (const auto* batch = std::get_if<SyncBatchMessage>(&message)) batches.push_back(*batch);
  }
  return batches;
}

size_t CountHellos(const std::vector<Message>& messages) {
  return static_cast<size_t>(std::count_if(messages.begin(), messages.end(), [](const Message& m) {
    return std::holds_alternative<SyncHelloMessage>(m);
  }));
}

// Two stores, A's entries numbered from 1 and B's from 1001 so their ids never meet.
struct Partners {
  MemorySyncStore a{1};
  MemorySyncStore b{2};
};

// ---- First sync and counts ----

TEST(SyncEngineTest, FirstSyncConvergesBothWays) {
  Partners p;
  for (uint64_t n = 1; n <= 5; ++n)
    ASSERT_OK(p.a.Share(EntryId(n), Content("a" + std::to_string(n))));
  ASSERT_OK(p.a.Withdraw(EntryId(2)));
  for (uint64_t n = 1001; n <= 1003; ++n) ASSERT_OK(p.b.Share(EntryId(n), Content("b")));
  Link link(p.a, p.b);
  ASSERT_OK(link.ConnectAndRun());

  EXPECT_TRUE(link.Settled());
  ExpectConverged(p.a, p.b);
  EXPECT_EQ(link.a().counts().sent, 4u);
  EXPECT_EQ(link.a().counts().withdrew, 1u);
  EXPECT_EQ(link.a().counts().applied.received, 3u);
  EXPECT_EQ(link.b().counts().applied.received, 4u);
  EXPECT_EQ(link.b().counts().applied.removed, 0u);  // B never had entry 2
  EXPECT_EQ(p.a.peer_acked(), 6u);
  EXPECT_EQ(p.b.peer_acked(), 3u);
  EXPECT_EQ(p.b.cursor().epoch, p.a.epoch());
  EXPECT_EQ(p.b.cursor().applied_seq, 6u);
}

// Progress, counted in log seqs: A has 300 changes for B (seqs 1..300, entry 7 shared three
// times), B 40 for A. It starts at 0 of 340, never goes back or past the total, and ends at
// 340 of 340; a second session has nothing to do.
TEST(SyncEngineTest, ProgressCountsBothLogsFromZeroToTheTotal) {
  Partners p;
  for (uint64_t n = 1; n <= 298; ++n) ASSERT_OK(p.a.Share(EntryId(n), Content("a", 900)));
  ASSERT_OK(p.a.Share(EntryId(7), Content("a7 again")));
  ASSERT_OK(p.a.Share(EntryId(7), Content("a7 once more")));
  for (uint64_t n = 1001; n <= 1040; ++n) ASSERT_OK(p.b.Share(EntryId(n), Content("b", 900)));
  Link link(p.a, p.b);
  ASSERT_OK(link.Connect());
  EXPECT_EQ(link.a().Progress().total, 0u) << "nothing is known before the peer's hello";
  uint64_t last_done = 0;
  size_t steps_in_between = 0;
  while (!link.wire().empty()) {
    ASSERT_OK(link.DeliverNext());
    const SyncProgress progress = link.a().Progress();
    if (progress.total == 0) continue;
    ASSERT_EQ(progress.total, 340u);
    ASSERT_GE(progress.done, last_done) << "progress went back";
    ASSERT_LE(progress.done, progress.total);
    if (progress.done > 0 && progress.done < progress.total) ++steps_in_between;
    last_done = progress.done;
  }
  EXPECT_TRUE(link.Settled());
  EXPECT_EQ(link.a().Progress().done, 340u);
  EXPECT_EQ(link.b().Progress().done, 340u);
  EXPECT_GE(steps_in_between, 3u) << "the bar should move during the sync, not only at its end";

  ASSERT_OK(link.ConnectAndRun());
  EXPECT_EQ(link.a().Progress().total, 0u);
  EXPECT_EQ(link.a().Progress().done, 0u);
}

// A node that does not say its last seq (an older attune): its direction counts as nothing to
// receive, and progress still ends at its total.
TEST(SyncEngineTest, ProgressWithoutThePeersLastSeqCountsOnlyWhatThisSideSends) {
  Partners p;
  for (uint64_t n = 1; n <= 5; ++n) ASSERT_OK(p.a.Share(EntryId(n), Content("a")));
  SyncEngine engine(p.a);
  ASSERT_OK(engine.Start());
  ASSERT_OK(engine.Receive(SyncHelloMessage{p.b.epoch(), {}, 0, /*last_seq=*/0}));
  EXPECT_EQ(engine.Progress().total, 5u);
  EXPECT_EQ(engine.Progress().done, 0u);
}

// The peer's last_seq is only its word: the largest possible one cannot wrap the total around.
TEST(SyncEngineTest, ProgressSurvivesAnAbsurdLastSeq) {
  Partners p;
  for (uint64_t n = 1; n <= 5; ++n) ASSERT_OK(p.a.Share(EntryId(n), Content("a")));
  SyncEngine engine(p.a);
  ASSERT_OK(engine.Start());
  ASSERT_OK(
      engine.Receive(SyncHelloMessage{p.b.epoch(), {}, 0, std::numeric_limits<uint64_t>::max()}));
  EXPECT_EQ(engine.Progress().total, std::numeric_limits<uint64_t>::max());
  EXPECT_LE(engine.Progress().done, engine.Progress().total);
}

TEST(SyncEngineTest, EmptyLogsSettleWithOneEmptyBatchEachWay) {
  Partners p;
  Link link(p.a, p.b);
  ASSERT_OK(link.ConnectAndRun());
  EXPECT_TRUE(link.Settled());
  ASSERT_EQ(Batches(link.sent_by_a()).size(), 1u);
  EXPECT_TRUE(Batches(link.sent_by_a())[0].caught_up);
  EXPECT_TRUE(Batches(link.sent_by_a())[0].records.empty());
  EXPECT_TRUE(p.a.PeerEntries().empty());
  EXPECT_EQ(p.a.cursor().epoch, p.b.epoch());
}

TEST(SyncEngineTest, SecondSessionSendsNothingOld) {
  Partners p;
  ASSERT_OK(p.a.Share(EntryId(1), Content("one")));
  Link link(p.a, p.b);
  ASSERT_OK(link.ConnectAndRun());
  ASSERT_OK(link.ConnectAndRun());
  EXPECT_TRUE(link.Settled());
  EXPECT_EQ(link.a().counts().sent, 0u);
  ExpectConverged(p.a, p.b);
}

TEST(SyncEngineTest, IgnoresMessagesThatAreNotSync) {
  Partners p;
  SyncEngine engine(p.a);
  EXPECT_CODE(engine.Receive(PingMessage{1}), kInvalidArgument);  // not started
  ASSERT_OK(engine.Start());
  EXPECT_CODE(engine.Start(), kInvalidArgument);
  (void)engine.TakeOutgoing();
  EXPECT_OK(engine.Receive(PingMessage{1}));
  EXPECT_OK(engine.Receive(GoodbyeMessage{}));
  EXPECT_TRUE(engine.TakeOutgoing().empty());
}

// ---- Cuts ----

// A and B after one sync, each with changes since: edits, withdrawals, rows that need several
// batches (more than a window's worth from A) and a row long enough to be fragmented.
Partners ChangedSinceLastSync() {
  Partners p;
  for (uint64_t n = 1; n <= 6; ++n) (void)p.a.Share(EntryId(n), Content("a-v1", 100));
  for (uint64_t n = 1001; n <= 1004; ++n) (void)p.b.Share(EntryId(n), Content("b-v1", 100));
  Link link(p.a, p.b);
  (void)link.ConnectAndRun();
  (void)p.a.Withdraw(EntryId(1));
  (void)p.a.Share(EntryId(2), Content("a-v2", 300));
  for (uint64_t n = 7; n <= 36; ++n) (void)p.a.Share(EntryId(n), Content("a-bulk", 20'000));
  (void)p.a.Share(EntryId(37), Content("a-long", 200 * 1024));
  (void)p.a.Withdraw(EntryId(8));
  (void)p.b.Share(EntryId(1005), Content("b-long", 100 * 1024));
  (void)p.b.Withdraw(EntryId(1002));
  (void)p.b.Share(EntryId(1003), Content("b-v2", 50));
  return p;
}

TEST(SyncEngineTest, ResumesAfterACutAtEveryMessage) {
  size_t total = 0;
  {
    Partners p = ChangedSinceLastSync();
    Link link(p.a, p.b);
    ASSERT_OK(link.ConnectAndRun());
    ASSERT_TRUE(link.Settled());
    ExpectConverged(p.a, p.b);
    total = link.delivered();
  }
  ASSERT_GT(total, 20u);
  for (size_t k = 0; k <= total; ++k) {
    SCOPED_TRACE("cut after " + std::to_string(k) + " of " + std::to_string(total) + " messages");
    Partners p = ChangedSinceLastSync();
    Link link(p.a, p.b);
    ASSERT_OK(link.Connect());
    ASSERT_OK(link.Run(k));
    ASSERT_OK(link.ConnectAndRun());
    EXPECT_TRUE(link.Settled());
    ExpectConverged(p.a, p.b);
    EXPECT_LE(link.most_outstanding(), kSyncWindowBatches);
  }
}

TEST(SyncEngineTest, FailedApplyChangesNothingAndTheNextSessionResumes) {
  Partners p = ChangedSinceLastSync();
  const EntrySet before = p.b.PeerEntries();
  const PeerCursor cursor = p.b.cursor();
  p.b.FailNextApply();
  Link link(p.a, p.b);
  ASSERT_OK(link.Connect());
  Status status = link.Run();
  EXPECT_CODE(status, kIoError);
  EXPECT_TRUE(SameEntries(p.b.PeerEntries(), before));
  EXPECT_EQ(p.b.cursor().applied_seq, cursor.applied_seq);
  EXPECT_CODE(link.b().Receive(PingMessage{}), kIoError);  // the engine stays failed
  EXPECT_TRUE(link.b().TakeOutgoing().empty());
  EXPECT_FALSE(link.b().Settled());

  ASSERT_OK(link.ConnectAndRun());
  EXPECT_TRUE(link.Settled());
  ExpectConverged(p.a, p.b);
}

// ---- Out-of-order and malformed exchanges ----

// A and B connected with the hellos delivered. A has three rows of one batch each: its batches
// are taken off the wire for the test to deliver (to_b); B's traffic stays on it.
struct ThreeBatches {
  ThreeBatches() {
    for (uint64_t n = 1; n <= 3; ++n) (void)p.a.Share(EntryId(n), Content("big", 40'000));
    (void)link.Connect();
    (void)link.DeliverNext();  // A's hello
    (void)link.DeliverNext();  // B's hello
    std::deque<Link::InFlight> rest;
    for (Link::InFlight& message : link.wire()) {
      if (message.to_b) {
        to_b.push_back(std::move(message));
      } else {
        rest.push_back(std::move(message));
      }
    }
    link.wire().swap(rest);
  }
  Partners p;
  Link link{p.a, p.b};
  std::vector<Link::InFlight> to_b;
};

TEST(SyncEngineTest, DuplicateBatchIsIgnored) {
  ThreeBatches t;
  const std::vector<Link::InFlight>& to_b = t.to_b;
  ASSERT_GE(to_b.size(), 3u);
  ASSERT_OK(t.link.Deliver(to_b[0]));
  const size_t acks = t.link.sent_by_b().size();
  const EntrySet held = t.p.b.PeerEntries();
  ASSERT_OK(t.link.Deliver(to_b[0]));
  EXPECT_EQ(t.link.sent_by_b().size(), acks);  // not even acknowledged again
  EXPECT_TRUE(SameEntries(t.p.b.PeerEntries(), held));

  for (size_t i = 1; i < to_b.size(); ++i) ASSERT_OK(t.link.Deliver(to_b[i]));
  ASSERT_OK(t.link.Run());
  EXPECT_TRUE(t.link.Settled());
  ExpectConverged(t.p.a, t.p.b);
}

TEST(SyncEngineTest, NotSettledUntilThePeersLastBatchIsApplied) {
  ThreeBatches t;
  ASSERT_OK(t.link.Deliver(t.to_b[0]));
  ASSERT_OK(t.link.Deliver(t.to_b[1]));
  ASSERT_OK(t.link.Run());  // B's own (empty) log is sent and acknowledged
  EXPECT_FALSE(t.link.b().Settled());
  EXPECT_FALSE(t.link.a().Settled());
  ASSERT_OK(t.link.Deliver(t.to_b[2]));
  ASSERT_OK(t.link.Run());
  EXPECT_TRUE(t.link.Settled());
}

TEST(SyncEngineTest, MissingBatchIsAProtocolError) {
  ThreeBatches t;
  const std::vector<Link::InFlight>& to_b = t.to_b;
  ASSERT_GE(to_b.size(), 2u);
  EXPECT_CODE(t.link.Deliver(to_b[1]), kProtocolError);
  EXPECT_TRUE(t.p.b.PeerEntries().empty());
  EXPECT_CODE(t.link.Deliver(to_b[0]), kProtocolError);  // unusable after the error
}

TEST(SyncEngineTest, ReorderedBatchesAreAProtocolError) {
  ThreeBatches t;
  const std::vector<Link::InFlight>& to_b = t.to_b;
  ASSERT_GE(to_b.size(), 3u);
  ASSERT_OK(t.link.Deliver(to_b[0]));
  EXPECT_CODE(t.link.Deliver(to_b[2]), kProtocolError);
  EXPECT_EQ(t.p.b.PeerEntries().size(), 1u);
}

TEST(SyncEngineTest, BatchBeforeHelloIsAProtocolError) {
  Partners p;
  SyncEngine engine(p.a);
  ASSERT_OK(engine.Start());
  EXPECT_CODE(engine.Receive(SyncBatchMessage{p.b.epoch(), 1, 0, {}, true}), kProtocolError);
  EXPECT_TRUE(engine.TakeOutgoing().empty());
  EXPECT_FALSE(engine.Settled());
}

TEST(SyncEngineTest, AckForABatchNeverSentIsAProtocolError) {
  Partners p;
  SyncEngine engine(p.a);
  ASSERT_OK(engine.Start());
  EXPECT_CODE(engine.Receive(SyncAckMessage{p.a.epoch(), 1, 0}), kProtocolError);

  SyncEngine ready(p.a);  // after the hello, one (empty) batch was sent
  ASSERT_OK(ready.Start());
  ASSERT_OK(ready.Receive(SyncHelloMessage{p.b.epoch(), {}, 0}));
  EXPECT_CODE(ready.Receive(SyncAckMessage{p.a.epoch(), 2, 0}), kProtocolError);
}

TEST(SyncEngineTest, AckForRowsNeverSentIsAProtocolError) {
  Partners p;
  ASSERT_OK(p.a.Share(EntryId(1), Content("one")));
  SyncEngine engine(p.a);
  ASSERT_OK(engine.Start());
  ASSERT_OK(engine.Receive(SyncHelloMessage{p.b.epoch(), {}, 0}));
  EXPECT_CODE(engine.Receive(SyncAckMessage{p.a.epoch(), 1, 2}), kProtocolError);
}

TEST(SyncEngineTest, AckOfAnotherEpochSaysNothingAboutRows) {
  Partners p;
  ASSERT_OK(p.a.Share(EntryId(1), Content("one")));
  SyncEngine engine(p.a);
  ASSERT_OK(engine.Start());
  ASSERT_OK(engine.Receive(SyncHelloMessage{p.b.epoch(), {}, 0}));
  ASSERT_OK(engine.Receive(SyncAckMessage{p.b.epoch(), 1, 99}));
  EXPECT_EQ(p.a.peer_acked(), 0u);
}

// B's engine after A's hello, for batches written by hand.
struct Receiver {
  Receiver() {
    (void)engine.Start();
    (void)engine.Receive(SyncHelloMessage{p.a.epoch(), {}, 0});
    (void)engine.TakeOutgoing();
  }
  Status Take(uint64_t number, uint64_t after_seq, std::vector<SyncRecord> records) {
    return engine.Receive(SyncBatchMessage{p.a.epoch(), number, after_seq, std::move(records)});
  }
  Partners p;
  SyncEngine engine{p.b};
};

SyncRecord Row(uint64_t seq, uint64_t entry, size_t size = 10) {
  return SyncRecord{seq, EntryId(entry), false, Content("row", size), 0, false};
}

SyncRecord Part(uint64_t seq, uint32_t part, bool continues, size_t size) {
  return SyncRecord{seq, EntryId(1), false, Content("part", size), part, continues};
}

TEST(SyncEngineTest, BatchOfAnotherEpochIsAProtocolError) {
  Receiver r;
  EXPECT_CODE(r.engine.Receive(SyncBatchMessage{r.p.b.epoch(), 1, 0, {Row(1, 1)}}), kProtocolError);
}

TEST(SyncEngineTest, BatchThatDoesNotContinueIsAProtocolError) {
  Receiver r;
  ASSERT_OK(r.Take(1, 0, {Row(1, 1), Row(2, 2)}));
  EXPECT_CODE(r.Take(2, 1, {Row(3, 3)}), kProtocolError);
}

TEST(SyncEngineTest, SeqsThatDoNotIncreaseAreAProtocolError) {
  Receiver r;
  EXPECT_CODE(r.Take(1, 0, {Row(2, 1), Row(2, 2)}), kProtocolError);
  Receiver below;
  ASSERT_OK(below.Take(1, 0, {Row(5, 1)}));
  EXPECT_CODE(below.Take(2, 5, {Row(4, 2)}), kProtocolError);
}

TEST(SyncEngineTest, FragmentsOutOfPlaceAreAProtocolError) {
  Receiver missing_first;
  EXPECT_CODE(missing_first.Take(1, 0, {Part(1, 1, false, 10)}), kProtocolError);
  Receiver skipped;
  ASSERT_OK(skipped.Take(1, 0, {Part(1, 0, true, 10)}));
  EXPECT_CODE(skipped.Take(2, 0, {Part(1, 2, false, 10)}), kProtocolError);
  Receiver interrupted;
  ASSERT_OK(interrupted.Take(1, 0, {Part(1, 0, true, 10)}));
  EXPECT_CODE(interrupted.Take(2, 0, {Row(2, 2)}), kProtocolError);
  EXPECT_TRUE(interrupted.p.b.PeerEntries().empty());
}

TEST(SyncEngineTest, HandMadeFragmentsAreReassembled) {
  Receiver r;
  ASSERT_OK(r.Take(1, 0, {Row(1, 7), Part(2, 0, true, 5)}));
  ASSERT_OK(r.Take(2, 1, {Part(2, 1, true, 6)}));
  EXPECT_FALSE(r.engine.Settled());
  ASSERT_OK(r.Take(3, 1, {Part(2, 2, false, 7), Row(3, 8)}));
  Bytes whole = Content("part", 5);
  for (size_t size : {6, 7}) {
    Bytes part = Content("part", size);
    whole.insert(whole.end(), part.begin(), part.end());
  }
  ASSERT_TRUE(r.p.b.PeerEntries().contains(EntryId(1)));
  EXPECT_EQ(r.p.b.PeerEntries().at(EntryId(1)), whole);
  EXPECT_EQ(r.p.b.cursor().applied_seq, 3u);
  EXPECT_EQ(r.p.b.PeerEntries().size(), 3u);
}

TEST(SyncEngineTest, NewEpochDropsAHalfReceivedEntry) {
  Receiver r;
  ASSERT_OK(r.Take(1, 0, {Row(1, 7), Part(2, 0, true, 10)}));
  const Bytes renumbered(kEpochBytes, 0x5a);
  ASSERT_OK(r.engine.Receive(SyncHelloMessage{renumbered, {}, 0}));
  EXPECT_TRUE(r.p.b.PeerEntries().empty());
  ASSERT_OK(r.engine.Receive(SyncBatchMessage{renumbered, 2, 0, {Row(1, 8)}, true}));
  EXPECT_EQ(r.p.b.PeerEntries().size(), 1u);
  EXPECT_EQ(r.p.b.cursor().epoch, renumbered);
}

// ---- Long entries ----

TEST(SyncEngineTest, LongEntriesAreFragmentedAndReassembled) {
  for (size_t size : {size_t{200 * 1024}, kMaxSharedEntryBytes}) {
    SCOPED_TRACE(size);
    Partners p;
    ASSERT_OK(p.a.Share(EntryId(1), Content("short", 10)));
    ASSERT_OK(p.a.Share(EntryId(2), Content("long", size)));
    ASSERT_OK(p.a.Share(EntryId(3), Content("after", 10)));
    Link link(p.a, p.b);
    ASSERT_OK(link.ConnectAndRun());
    EXPECT_TRUE(link.Settled());
    ExpectConverged(p.a, p.b);
    size_t parts = 0;
    for (const SyncBatchMessage& batch : Batches(link.sent_by_a())) {
      for (const SyncRecord& record : batch.records) {
        if (record.seq == 2) ++parts;
      }
    }
    EXPECT_GE(parts, (size + kMaxEnvelopeBytes - 1) / kMaxEnvelopeBytes);
  }
}

TEST(SyncEngineTest, ReceiverRefusesAnEntryOverTheLimit) {
  Receiver r;
  constexpr size_t kPart = 60'000;
  uint32_t part = 0;
  uint64_t number = 1;
  size_t sent = 0;
  Status status;
  while (status.ok() && sent <= kMaxSharedEntryBytes) {
    // Every batch encodes within a frame, as a real peer's would.
    SyncBatchMessage batch{r.p.a.epoch(), number++, 0, {Part(1, part++, true, kPart)}};
    ASSERT_OK_AND_ASSIGN(Bytes envelope, EncodeEnvelope(batch));
    ASSERT_LE(envelope.size(), kMaxEnvelopeBytes);
    ASSERT_OK_AND_ASSIGN(Message decoded, DecodeEnvelope(envelope));
    status = r.engine.Receive(decoded);
    sent += kPart;
  }
  EXPECT_CODE(status, kProtocolError);
  EXPECT_EQ(sent, 5 * kPart);  // refused at the part that crossed the limit

  Receiver whole;  // one record over the limit, as no envelope could carry it
  EXPECT_CODE(whole.Take(1, 0, {Row(1, 1, kMaxSharedEntryBytes + 1)}), kProtocolError);
  EXPECT_OK(Receiver().Take(1, 0, {Row(1, 1, kMaxSharedEntryBytes)}));
}

TEST(SyncEngineTest, StoreRefusesToShareAnEntryOverTheLimit) {
  MemorySyncStore store(1);
  EXPECT_CODE(store.Share(EntryId(1), Content("x", kMaxSharedEntryBytes + 1)), kInvalidArgument);
}

// ---- Tombstones ----

TEST(SyncEngineTest, TombstonesRemoveAndResharedEntriesComeBack) {
  Partners p;
  ASSERT_OK(p.a.Share(EntryId(1), Content("x-v1")));
  ASSERT_OK(p.a.Share(EntryId(2), Content("y")));
  Link link(p.a, p.b);
  ASSERT_OK(link.ConnectAndRun());
  ASSERT_TRUE(p.b.PeerEntries().contains(EntryId(1)));

  ASSERT_OK(p.a.Withdraw(EntryId(1)));
  ASSERT_OK(link.ConnectAndRun());
  EXPECT_FALSE(p.b.PeerEntries().contains(EntryId(1)));
  EXPECT_EQ(link.b().counts().applied.removed, 1u);
  EXPECT_EQ(link.a().counts().withdrew, 1u);
  ExpectConverged(p.a, p.b);

  ASSERT_OK(p.a.Share(EntryId(1), Content("x-v2")));
  ASSERT_OK(link.ConnectAndRun());
  ASSERT_TRUE(p.b.PeerEntries().contains(EntryId(1)));
  EXPECT_EQ(p.b.PeerEntries().at(EntryId(1)), Content("x-v2"));
  ExpectConverged(p.a, p.b);
}

TEST(SyncEngineTest, WithdrawingTwiceIsRefusedByTheLog) {
  MemorySyncStore store(1);
  ASSERT_OK(store.Share(EntryId(1), Content("x")));
  ASSERT_OK(store.Withdraw(EntryId(1)));
  EXPECT_CODE(store.Withdraw(EntryId(1)), kNotFound);
  EXPECT_CODE(store.Withdraw(EntryId(2)), kNotFound);
}

// ---- Epochs ----

TEST(SyncEngineTest, ReinstallMakesThePartnerDropTheOldEpoch) {
  Partners p;
  for (uint64_t n = 1; n <= 4; ++n) ASSERT_OK(p.a.Share(EntryId(n), Content("old")));
  ASSERT_OK(p.b.Share(EntryId(1001), Content("b")));
  Link link(p.a, p.b);
  ASSERT_OK(link.ConnectAndRun());
  ASSERT_EQ(p.b.PeerEntries().size(), 4u);
  const Bytes old_epoch = p.a.epoch();

  p.a.ReinstallNewEpoch();
  ASSERT_NE(p.a.epoch(), old_epoch);
  ASSERT_OK(p.a.Share(EntryId(9), Content("new")));  // seq 1 of the new epoch
  ASSERT_OK(link.ConnectAndRun());
  EXPECT_TRUE(link.Settled());
  ExpectConverged(p.a, p.b);
  EXPECT_EQ(p.b.PeerEntries().size(), 1u);
  EXPECT_EQ(p.b.cursor().epoch, p.a.epoch());
  EXPECT_EQ(p.a.PeerEntries().size(), 1u);  // the fresh install got B's entry again
}

TEST(SyncEngineTest, RestoredCopyBehindThePartnerStartsANewEpoch) {
  Partners p;
  ASSERT_OK(p.a.Share(EntryId(1), Content("x")));
  ASSERT_OK(p.a.Share(EntryId(2), Content("y")));
  const MemorySyncStore::State copy = p.a.Snapshot();
  ASSERT_OK(p.a.Share(EntryId(3), Content("z")));
  ASSERT_OK(p.a.Withdraw(EntryId(1)));
  Link link(p.a, p.b);
  ASSERT_OK(link.ConnectAndRun());
  ASSERT_EQ(p.b.cursor().applied_seq, 4u);

  p.a.RestoreFromOlderCopy(copy);  // seq 2, and B says it applied 4 of the same epoch
  ASSERT_OK(link.ConnectAndRun());
  EXPECT_TRUE(link.Settled());
  EXPECT_NE(p.a.epoch(), copy.epoch);
  EXPECT_EQ(CountHellos(link.sent_by_a()), 2u);
  ExpectConverged(p.a, p.b);
  EXPECT_EQ(p.b.PeerEntries().size(), 2u);  // x is back, z is gone

  ASSERT_OK(p.a.Share(EntryId(4), Content("w")));  // seq 3 of the new epoch
  ASSERT_OK(link.ConnectAndRun());
  ExpectConverged(p.a, p.b);
}

TEST(SyncEngineTest, RestoredCopyAheadOfThePartnerKeepsTheEpoch) {
  Partners p;
  ASSERT_OK(p.a.Share(EntryId(1), Content("x")));
  Link link(p.a, p.b);
  ASSERT_OK(link.ConnectAndRun());
  ASSERT_OK(p.a.Share(EntryId(2), Content("y")));
  const MemorySyncStore::State copy = p.a.Snapshot();
  ASSERT_OK(p.a.Share(EntryId(3), Content("z")));  // never reached B

  p.a.RestoreFromOlderCopy(copy);
  ASSERT_OK(link.ConnectAndRun());
  EXPECT_EQ(p.a.epoch(), copy.epoch);
  EXPECT_EQ(link.a().counts().sent, 1u);  // only y
  ExpectConverged(p.a, p.b);
}

// ---- Window and live sync ----

TEST(SyncEngineTest, BatchesAreAsFullAsAFrameAllowsWhileAcksTrickleIn) {
  // 3000 rows of 1 KiB: about 60 to a batch. Acks arrive one at a time, as on a real link,
  // and each must not make the sender flush a batch holding a row or two.
  Partners p;
  for (uint64_t n = 1; n <= 3000; ++n) ASSERT_OK(p.a.Share(EntryId(n), Content("row", 1024)));
  Link link(p.a, p.b);
  ASSERT_OK(link.ConnectAndRun());
  ASSERT_TRUE(link.Settled());
  ExpectConverged(p.a, p.b);
  const std::vector<SyncBatchMessage> batches = Batches(link.sent_by_a());
  size_t records = 0;
  for (const SyncBatchMessage& batch : batches) records += batch.records.size();
  EXPECT_EQ(records, 3000u);
  const size_t per_frame = kMaxEnvelopeBytes / 1100;  // rows of 1 KiB and their framing
  EXPECT_LE(batches.size(), 3000 / per_frame + 3) << "batches of " << 3000.0 / batches.size();
}

TEST(SyncEngineTest, NoMoreThanAWindowOfBatchesIsUnacknowledged) {
  // Rows of one batch each, and rows of several fragments each.
  for (size_t size : {size_t{40'000}, size_t{200 * 1024}}) {
    SCOPED_TRACE(size);
    Partners p;
    for (uint64_t n = 1; n <= 20; ++n) ASSERT_OK(p.a.Share(EntryId(n), Content("row", size)));
    Link link(p.a, p.b);
    ASSERT_OK(link.Connect());
    // Everything but B's acks to A.
    std::vector<Link::InFlight> held;
    while (!link.wire().empty()) {
      Link::InFlight next = std::move(link.wire().front());
      link.wire().pop_front();
      ASSERT_OK_AND_ASSIGN(Message decoded, DecodeEnvelope(next.envelope));
      if (!next.to_b && std::holds_alternative<SyncAckMessage>(decoded)) {
        held.push_back(std::move(next));
      } else {
        ASSERT_OK(link.Deliver(next));
      }
    }
    EXPECT_LE(Batches(link.sent_by_a()).size(), kSyncWindowBatches);
    EXPECT_GE(Batches(link.sent_by_a()).size(), kSyncWindowBatches - 4);  // and it fills it

    for (Link::InFlight& ack : held) link.wire().push_back(std::move(ack));
    ASSERT_OK(link.Run());  // which checks every batch sent against the sender's window
    EXPECT_TRUE(link.Settled());
    EXPECT_LE(link.most_outstanding(), kSyncMaxWindowBatches);
    ExpectConverged(p.a, p.b);
  }
}

TEST(SyncEngineTest, LiveChangesSendOnlyTheNewRows) {
  Partners p;
  for (uint64_t n = 1; n <= 3; ++n) ASSERT_OK(p.a.Share(EntryId(n), Content("a")));
  Link link(p.a, p.b);
  ASSERT_OK(link.ConnectAndRun());
  ASSERT_TRUE(link.Settled());
  const size_t sent_before = link.sent_by_a().size();

  ASSERT_OK(link.a().LocalChanged());  // nothing new
  ASSERT_OK(link.Collect());
  EXPECT_EQ(link.sent_by_a().size(), sent_before);

  ASSERT_OK(p.a.Share(EntryId(4), Content("d")));
  ASSERT_OK(p.a.Withdraw(EntryId(1)));
  ASSERT_OK(link.a().LocalChanged());
  ASSERT_OK(link.Collect());
  EXPECT_FALSE(link.a().Settled());
  ASSERT_EQ(link.sent_by_a().size(), sent_before + 1);
  const auto* batch = std::get_if<SyncBatchMessage>(&link.sent_by_a().back());
  ASSERT_NE(batch, nullptr);
  EXPECT_TRUE(batch->caught_up);
  EXPECT_EQ(batch->after_seq, 3u);
  ASSERT_EQ(batch->records.size(), 2u);
  EXPECT_EQ(batch->records[0].seq, 4u);
  EXPECT_EQ(batch->records[1].seq, 5u);
  EXPECT_TRUE(batch->records[1].withdrawn);

  ASSERT_OK(link.Run());
  EXPECT_TRUE(link.Settled());
  ExpectConverged(p.a, p.b);
}

TEST(SyncEngineTest, LocalChangeBeforeThePeerIsReadyWaits) {
  Partners p;
  Link link(p.a, p.b);
  ASSERT_OK(link.Connect());
  ASSERT_OK(p.a.Share(EntryId(1), Content("a")));
  ASSERT_OK(link.a().LocalChanged());
  ASSERT_OK(link.Collect());
  EXPECT_EQ(link.sent_by_a().size(), 1u);  // the hello only
  ASSERT_OK(link.Run());
  EXPECT_TRUE(link.Settled());
  ExpectConverged(p.a, p.b);
}

// ---- Several sessions on one store ----

TEST(SyncEngineTest, ALogStartedOverByAnotherCommandEndsTheSession) {
  Partners p;
  ASSERT_OK(p.a.Share(EntryId(1), Content("x")));
  Link link(p.a, p.b);
  ASSERT_OK(link.ConnectAndRun());
  ASSERT_TRUE(link.Settled());

  // `attune unpair` (another process) gives A's log a new epoch while the session runs.
  ASSERT_OK(p.a.StartNewEpoch().status());
  ASSERT_OK(p.a.Share(EntryId(2), Content("y")));
  EXPECT_CODE(link.a().LocalChanged(), kBusy);
  ASSERT_OK(link.Collect());
  EXPECT_TRUE(link.wire().empty()) << "nothing of the new epoch went out under the old one";
}

TEST(SyncEngineTest, RowsOfAnEpochTheStoreLeftAreNotApplied) {
  Partners p;
  ASSERT_OK(p.a.Share(EntryId(1), Content("x")));
  Link link(p.a, p.b);
  ASSERT_OK(link.ConnectAndRun());
  ASSERT_EQ(p.b.PeerEntries().size(), 1u);

  // Another session on B's node saw A start over and reset B's cursor meanwhile.
  const Bytes elsewhere(kEpochBytes, 0x42);
  ASSERT_OK(p.b.ResetPeer(elsewhere));
  ASSERT_OK(p.a.Share(EntryId(2), Content("y")));
  ASSERT_OK(link.a().LocalChanged());
  ASSERT_OK(link.Collect());
  EXPECT_CODE(link.Run(), kBusy);
  EXPECT_TRUE(p.b.PeerEntries().empty()) << "the old epoch's row came back";
  EXPECT_EQ(p.b.cursor().epoch, elsewhere);
}

TEST(SyncEngineTest, ACursorMovedOnByAnotherSessionAfterTheHelloIsNoError) {
  Partners p;
  for (uint64_t n = 1; n <= 3; ++n) ASSERT_OK(p.a.Share(EntryId(n), Content("x")));
  Link first(p.a, p.b);
  ASSERT_OK(first.ConnectAndRun());
  ASSERT_OK(p.a.Share(EntryId(4), Content("y")));
  ASSERT_OK(p.a.Share(EntryId(5), Content("z")));

  Link link(p.a, p.b);
  ASSERT_OK(link.Connect());  // B announced it applied through 3
  // Before A's batches arrive, another session on B's node applies row 4.
  ASSERT_OK_AND_ASSIGN(std::vector<LogRow> row_4, p.a.ReadLog(p.a.epoch(), 3, 1));
  ASSERT_OK(p.b.Apply(p.a.epoch(), row_4).status());
  ASSERT_OK(link.Run());
  EXPECT_TRUE(link.Settled());
  EXPECT_TRUE(SameEntries(p.b.PeerEntries(), p.a.SharedSet()));
  EXPECT_EQ(p.b.stale_rows_offered(), 1u);  // row 4, skipped by the store
  EXPECT_EQ(p.b.cursor().applied_seq, 5u);
}

// ---- Deferred apply: batches that arrive together share one transaction ----

// A's batches to B, delivered by hand, with B deferring.
struct DeferredReceiver {
  Partners p;
  SyncEngine a{p.a};
  SyncEngine b{p.b};
  std::vector<Message> to_b;

  explicit DeferredReceiver(uint64_t rows) {
    for (uint64_t n = 1; n <= rows; ++n) EXPECT_OK(p.a.Share(EntryId(n), Content("row", 1024)));
    b.SetDeferApply(true);
    EXPECT_OK(a.Start());
    EXPECT_OK(b.Start());
    std::vector<Message> from_b = b.TakeOutgoing();
    for (const Message& hello : a.TakeOutgoing()) EXPECT_OK(b.Receive(hello));
    for (const Message& hello : from_b) EXPECT_OK(a.Receive(hello));
    to_b = a.TakeOutgoing();
    b.TakeOutgoing();  // B's empty batch to A: not what these tests look at
  }
};

TEST(SyncEngineTest, DeferredBatchesAreAppliedAtFlushWithOneAck) {
  DeferredReceiver r(150);  // three batches, the last one caught up
  ASSERT_EQ(Batches(r.to_b).size(), 3u);
  ASSERT_OK(r.b.Receive(r.to_b[0]));
  ASSERT_OK(r.b.Receive(r.to_b[1]));
  EXPECT_TRUE(r.b.HasUnapplied());
  EXPECT_TRUE(r.b.TakeOutgoing().empty()) << "no ack before the rows are applied";
  EXPECT_EQ(r.p.b.cursor().applied_seq, 0u);
  ASSERT_OK(r.b.Flush());
  EXPECT_FALSE(r.b.HasUnapplied());
  const std::vector<Message> acks = r.b.TakeOutgoing();
  ASSERT_EQ(acks.size(), 1u);
  const auto& ack = std::get<SyncAckMessage>(acks[0]);
  EXPECT_EQ(ack.batch_number, 2u);
  EXPECT_EQ(ack.applied_seq, r.p.b.cursor().applied_seq);
  EXPECT_GT(ack.applied_seq, 0u);
  ASSERT_OK(r.b.Flush());
  EXPECT_TRUE(r.b.TakeOutgoing().empty()) << "nothing new to acknowledge";

  // The peer's "caught up" batch is applied at once.
  ASSERT_OK(r.b.Receive(r.to_b[2]));
  EXPECT_FALSE(r.b.HasUnapplied());
  EXPECT_EQ(r.p.b.PeerEntries().size(), 150u);
}

TEST(SyncEngineTest, DeferredRowsAreAppliedAfterAGroupOfBatchesWithoutAFlush) {
  // A's batches as a prompt receiver's acks let A send them (its window growing), then handed
  // to B, which defers: B applies and acknowledges after kApplyAfterBatches by itself.
  Partners p;
  for (uint64_t n = 1; n <= 6000; ++n) ASSERT_OK(p.a.Share(EntryId(n), Content("row", 1024)));
  MemorySyncStore prompt_store{3};
  SyncEngine a(p.a);
  SyncEngine prompt(prompt_store);
  SyncEngine b(p.b);
  b.SetDeferApply(true);
  ASSERT_OK(a.Start());
  ASSERT_OK(prompt.Start());
  ASSERT_OK(b.Start());
  const std::vector<Message> a_hello = a.TakeOutgoing();
  for (const Message& hello : prompt.TakeOutgoing()) ASSERT_OK(a.Receive(hello));
  for (const Message& hello : a_hello) {
    ASSERT_OK(prompt.Receive(hello));
    ASSERT_OK(b.Receive(hello));
  }
  b.TakeOutgoing();
  std::vector<Message> batches;
  while (Batches(batches).size() < kApplyAfterBatches) {
    const std::vector<Message> sent = a.TakeOutgoing();
    ASSERT_FALSE(sent.empty());
    for (const Message& message : sent) {
      if (std::holds_alternative<SyncBatchMessage>(message)) batches.push_back(message);
      ASSERT_OK(prompt.Receive(message));
    }
    for (const Message& ack : prompt.TakeOutgoing()) ASSERT_OK(a.Receive(ack));
  }
  for (uint64_t i = 0; i + 1 < kApplyAfterBatches; ++i) ASSERT_OK(b.Receive(batches[i]));
  EXPECT_TRUE(b.HasUnapplied());
  EXPECT_EQ(p.b.cursor().applied_seq, 0u);
  ASSERT_OK(b.Receive(batches[kApplyAfterBatches - 1]));
  EXPECT_FALSE(b.HasUnapplied());
  const auto& last = std::get<SyncBatchMessage>(batches[kApplyAfterBatches - 1]);
  EXPECT_EQ(p.b.cursor().applied_seq, last.records.back().seq);
  const std::vector<Message> acks = b.TakeOutgoing();
  ASSERT_EQ(acks.size(), 1u);  // one ack for the whole group
  EXPECT_EQ(std::get<SyncAckMessage>(acks[0]).batch_number, last.batch_number);
}

TEST(SyncEngineTest, ACutBeforeTheFlushLosesNothing) {
  DeferredReceiver r(150);
  ASSERT_OK(r.b.Receive(r.to_b[0]));
  ASSERT_OK(r.b.Receive(r.to_b[1]));
  // The connection drops: the rows B held were never applied nor acknowledged.
  Link link(r.p.a, r.p.b);
  ASSERT_OK(link.ConnectAndRun());
  EXPECT_TRUE(link.Settled());
  ExpectConverged(r.p.a, r.p.b);
}

// ---- The window over a long round trip ----

// A's first sync to B in round trips, each row one batch: every round, B receives everything A
// sent, and A then receives every answer of B, told whether its link still holds unwritten
// frames. Returns the batches A sent in each round.
std::vector<uint64_t> BatchesPerRoundTrip(uint64_t rows, bool link_backlogged) {
  Partners p;
  for (uint64_t n = 1; n <= rows; ++n) {
    EXPECT_OK(p.a.Share(EntryId(n), Content("row", 40'000)));
  }
  SyncEngine a(p.a);
  SyncEngine b(p.b);
  EXPECT_OK(a.Start());
  EXPECT_OK(b.Start());
  for (const Message& hello : b.TakeOutgoing()) EXPECT_OK(a.Receive(hello));
  std::vector<uint64_t> rounds;
  std::vector<Message> from_a = a.TakeOutgoing();
  while (!from_a.empty()) {
    uint64_t batches = 0;
    for (const Message& message : from_a) {
      batches += std::holds_alternative<SyncBatchMessage>(message) ? 1 : 0;
      EXPECT_OK(b.Receive(message));
    }
    if (batches > 0) rounds.push_back(batches);
    for (const Message& answer : b.TakeOutgoing()) {
      a.SetLinkBacklogged(link_backlogged);
      EXPECT_OK(a.Receive(answer));
    }
    from_a = a.TakeOutgoing();
  }
  EXPECT_TRUE(a.Settled());
  EXPECT_EQ(p.b.PeerEntries().size(), rows);
  return rounds;
}

TEST(SyncWindowTest, TheWindowDoublesEachRoundTripWhileItHoldsTheSenderBack) {
  EXPECT_EQ(BatchesPerRoundTrip(300, /*link_backlogged=*/false),
            (std::vector<uint64_t>{16, 32, 64, 128, 60}));
}

TEST(SyncWindowTest, TheWindowNeverPassesItsBound) {
  const std::vector<uint64_t> rounds = BatchesPerRoundTrip(700, /*link_backlogged=*/false);
  EXPECT_EQ(rounds, (std::vector<uint64_t>{16, 32, 64, 128, 128, 128, 128, 76}));
  EXPECT_EQ(*std::max_element(rounds.begin(), rounds.end()), kSyncMaxWindowBatches);
}

TEST(SyncWindowTest, AWindowTheLinkHoldsBackDoesNotGrow) {
  EXPECT_EQ(BatchesPerRoundTrip(40, /*link_backlogged=*/true), (std::vector<uint64_t>{16, 16, 8}));
}

TEST(SyncWindowTest, AWindowThatIsNotFullDoesNotGrow) {
  // Live changes a few at a time never fill the window: it stays where it started.
  Partners p;
  Link link(p.a, p.b);
  ASSERT_OK(link.ConnectAndRun());
  for (uint64_t n = 1; n <= 50; ++n) {
    ASSERT_OK(p.a.Share(EntryId(n), Content("row", 40'000)));
    ASSERT_OK(link.a().LocalChanged());
    ASSERT_OK(link.Collect());
    ASSERT_OK(link.Run());
  }
  ExpectConverged(p.a, p.b);
  EXPECT_EQ(link.a().window(), kSyncWindowBatches);
}

}  // namespace
}  // namespace attune::protocol::sync_testing
