// Issue 6, "hostile input", continued: what a peer can do with volume and time rather than
// content, over real loopback TCP against a real serve. Thousands of pings read in order,
// recorded messages replayed, a partner reconnecting over a session that stopped reading, and
// half-open handshakes meant to keep the partner out. The idle, trickle and flood cases run in
// virtual time on an in-memory pair (virtual_link_test.cc). The outcomes are in
// docs/protocol.md, "Hostile peers: defined outcomes".
#include <gtest/gtest.h>

#include "crypto/random.h"
#include "protocol/frame.h"
#include "protocol/session.h"
#include "tests/common/status_assertions.h"
#include "tests/link/hostile_peer.h"

namespace attune::link_testing {
namespace {

using std::chrono::milliseconds;

// Nonces from here on take 9 bytes, so that every ping frame has the same size.
constexpr uint64_t kWideNonce = uint64_t{1} << 56;

// Frames (headers included) carrying pings `first`, `first + 1`, ... on `peer`'s session.
Bytes PingFrames(HostilePeer& peer, uint64_t first, size_t count) {
  Bytes out;
  for (uint64_t nonce = first; nonce < first + count; ++nonce) {
    Result<Bytes> envelope = protocol::EncodeEnvelope(protocol::PingMessage{nonce});
    Result<Bytes> frame = protocol::EncodeFrame(peer.Seal(*envelope));
    out.insert(out.end(), frame->begin(), frame->end());
  }
  return out;
}

struct Flood {
  size_t sent = 0;       // bytes of ping frames the server took
  bool stalled = false;  // it stopped taking them for a while
};

// Sends pings until the server stops taking them for `stall`, or `most` were sent. After a
// stall it finishes the frame it was in (waiting as long as that takes), so that the server is
// never left waiting for the rest of a frame.
Flood FloodWithPings(HostilePeer& peer, size_t most, milliseconds stall) {
  constexpr size_t kChunk = 20'000;
  Flood flood;
  for (uint64_t nonce = kWideNonce; nonce < kWideNonce + most && !flood.stalled; nonce += kChunk) {
    const Bytes chunk = PingFrames(peer, nonce, kChunk);
    const size_t taken = peer.client().SendUntilStalled(chunk, stall);
    flood.sent += taken;
    flood.stalled = taken < chunk.size();
    const size_t frame_bytes = chunk.size() / kChunk;
    const size_t rest = (frame_bytes - taken % frame_bytes) % frame_bytes;
    if (flood.stalled) peer.client().SendBytes(ByteSpan(chunk).subspan(taken, rest));
  }
  return flood;
}

// (f) Pings are answered one for one, in order, however many. (A flood that never reads, and
// frames or handshakes trickled byte by byte, run in virtual time: virtual_link_test.cc.)
TEST_F(HostilePeerTest, ThousandsOfPingsAreEachAnsweredInOrder) {
  Serve();
  std::unique_ptr<HostilePeer> peer = ConnectAsPartner();
  ASSERT_NE(peer, nullptr);
  constexpr uint64_t kRounds = 5;
  constexpr uint64_t kPerRound = 1'000;
  for (uint64_t round = 0; round < kRounds; ++round) {
    const uint64_t first = round * kPerRound;
    peer->client().SendBytes(PingFrames(*peer, first, kPerRound));
    for (uint64_t nonce = first; nonce < first + kPerRound; ++nonce) {
      std::optional<protocol::PongMessage> pong = peer->ReceiveA<protocol::PongMessage>();
      ASSERT_TRUE(pong.has_value()) << "no pong for ping " << nonce;
      ASSERT_EQ(pong->nonce, nonce);
    }
  }
  peer.reset();
  ExpectOwnEntriesUnchanged();
  ExpectHonestSyncWorks();
}

// (i) Recorded messages mean nothing later: the partner's genuine first handshake message,
// replayed on a new connection, gets no byte back (its counter was admitted once), even while
// the original session is still up; and a recorded transport frame sent into a fresh session
// fails authentication. Nothing is applied twice.
TEST_F(HostilePeerTest, ARecordedSessionReplayedOnANewConnectionGetsNowhere) {
  Serve();
  std::unique_ptr<HostilePeer> recorded = ConnectAsPartner();
  ASSERT_NE(recorded, nullptr);
  OpenSync(*recorded);
  const std::string id = NewEntryId();
  ASSERT_TRUE(SendBatch(*recorded, 1, 0, {ContentRow(1, id, EntryContent(id, "note", "Once."))})
                  .has_value());
  {  // message 1 again while its session is up, then the rest of the partner's side
    RawClient replay(serve_->port());
    replay.SendFrame(recorded->first_message());
    for (const Bytes& frame : recorded->sealed()) replay.SendFrame(frame);
    EXPECT_EQ(replay.BytesBeforeClose(), std::optional<size_t>(0));
    EXPECT_TRUE(serve_->WaitForEvents(
        [](const node::ServeEvent& event) {
          return event.kind == node::ServeEventKind::kConnectionClosed &&
                 event.problem.Is(node::LinkReason::kReplayedHandshake);
        },
        1));
  }
  recorded->Send(protocol::GoodbyeMessage{});
  ASSERT_TRUE(recorded->client().ClosedByPeer());
  {  // and after it ended
    RawClient replay(serve_->port());
    replay.SendFrame(recorded->first_message());
    EXPECT_EQ(replay.BytesBeforeClose(), std::optional<size_t>(0));
  }
  ASSERT_EQ(PartnerEntryIds(), std::vector<std::string>{id});
  {  // a recorded transport frame inside a fresh, valid session
    std::unique_ptr<HostilePeer> fresh = ConnectAsPartner();
    ASSERT_NE(fresh, nullptr);
    fresh->client().SendFrame(recorded->sealed()[1]);  // the batch
    ExpectClosed(*fresh, "failed authentication");
  }
  EXPECT_EQ(PartnerEntryIds(), std::vector<std::string>{id});
  ExpectOwnEntriesUnchanged();
  ExpectHonestSyncWorks();
}

// One partner session at a time: a reconnect replaces the old session, and closes it at once
// even when its peer stopped reading (a goodbye could not get out before the write timeout, and
// a partner reconnecting in a loop would otherwise leave one such session behind per attempt).
TEST_F(HostilePeerTest, AReconnectClosesTheOldSessionAtOnceEvenIfItStoppedReading) {
  node::LinkTimeouts timeouts = FastTimeouts();
  timeouts.idle = milliseconds(60'000);  // only replacing it can close the first session soon
  Serve(timeouts);
  std::unique_ptr<HostilePeer> stuck = ConnectAsPartner({.socket_buffer_bytes = 4096});
  ASSERT_NE(stuck, nullptr);
  // Its writer now waits on a peer that does not read.
  ASSERT_TRUE(FloodWithPings(*stuck, 2'000'000, milliseconds(1'500)).stalled);

  std::unique_ptr<HostilePeer> again = ConnectAsPartner();
  ASSERT_NE(again, nullptr);
  // Seen from the node (the stuck peer reads nothing, which would let the node write again).
  EXPECT_TRUE(serve_->WaitForEvent(node::ServeEventKind::kSessionEnded, milliseconds(10'000)));
  EXPECT_TRUE(stuck->client().ClosedByPeer());
  ExpectAnswersPings(*again);
  again->Send(protocol::GoodbyeMessage{});
  ExpectOwnEntriesUnchanged();
  ExpectHonestSyncWorks();
}

// Before its first message is complete, a node cannot tell the partner from anyone else.
// Half-open handshakes (half a message 1 and silence, or nothing at all) each hold a place
// until the handshake timeout; a flood of them fills the places, and the partner's connection
// then takes the place of the one that has waited longest instead of being turned away. (A
// complete first message from anyone but the partner is closed at once.)
TEST_F(HostilePeerTest, AFloodOfHalfOpenHandshakesDoesNotKeepThePartnerOut) {
  node::LinkTimeouts timeouts = FastTimeouts();
  timeouts.handshake = milliseconds(30'000);  // the flood would outlast the test
  Serve(timeouts);
  std::vector<std::unique_ptr<RawClient>> flood;
  protocol::HelloMessage hello;
  hello.handshake_counter = 1;
  for (int i = 0; i < 50; ++i) {
    std::optional<FirstMessage> first =
        WriteFirstMessage(crypto::GenerateX25519KeyPair(), a_.identity.public_key, hello);
    ASSERT_TRUE(first.has_value());
    ASSERT_OK_AND_ASSIGN(Bytes frame, protocol::EncodeFrame(first->message));
    flood.push_back(std::make_unique<RawClient>(serve_->port()));
    flood.back()->SendBytes(ByteSpan(frame).first(frame.size() / 2));
  }
  for (int i = 0; i < 10; ++i) flood.push_back(std::make_unique<RawClient>(serve_->port()));
  // Every place taken: all but 8 of the 60 were turned away to make room for later ones.
  const size_t places = static_cast<size_t>(node::ServeOptions{}.max_pending_handshakes);
  ASSERT_TRUE(serve_->WaitForEvents(
      [](const node::ServeEvent& event) {
        return event.kind == node::ServeEventKind::kTurnedAwayOldest;
      },
      flood.size() - places, milliseconds(20'000)));

  // The partner's own handshake timeout (FastTimeouts: 0.5 s) is far shorter than the flood's.
  ExpectHonestSyncWorks();
  Result<node::PingResult> ping =
      node::PingPartner(*b_.journal, node::Endpoint{"127.0.0.1", serve_->port()}, FastTimeouts());
  EXPECT_TRUE(ping.ok()) << ping.status().detail();
}

}  // namespace
}  // namespace attune::link_testing
