#include "tests/link/hostile_peer.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "crypto/random.h"
#include "node/entry.h"
#include "node/shared_content.h"
#include "protocol/session.h"
#include "tests/common/status_assertions.h"

namespace attune::link_testing {
std::optional<FirstMessage> WriteFirstMessage(const crypto::X25519KeyPair& as,
                                              const crypto::X25519PublicKey& server,
                                              const protocol::HelloMessage& hello) {
  crypto::noise::HandshakeOptions options;
  options.role = crypto::noise::Role::kInitiator;
  options.protocol_name = std::string(protocol::kNoiseProtocolName);
  options.prologue = Bytes(protocol::kLinkProtocolName.begin(), protocol::kLinkProtocolName.end());
  options.local_static = crypto::CopyKeyPair(as);
  options.remote_static = server;
  Result<crypto::noise::HandshakeState> handshake =
      crypto::noise::HandshakeState::Create(std::move(options));
  Result<Bytes> payload = protocol::EncodeHello(hello);
  if (!handshake.ok() || !payload.ok()) {
    ADD_FAILURE() << "could not start a KK handshake";
    return std::nullopt;
  }
  Result<Bytes> message = handshake->WriteMessage(*payload);
  if (!message.ok()) {
    ADD_FAILURE() << message.status().detail();
    return std::nullopt;
  }
  return FirstMessage{std::move(*handshake), std::move(*message)};
}

std::unique_ptr<HostilePeer> HostilePeer::Connect(uint16_t port, TestNode& as,
                                                  const crypto::X25519PublicKey& server,
                                                  HostileOptions options) {
  auto client = std::make_unique<RawClient>(port, options.socket_buffer_bytes);
  if (!client->connected()) {
    ADD_FAILURE() << "could not connect to port " << port;
    return nullptr;
  }
  Result<uint64_t> counter = as.journal->NextHandshakeCounter();
  if (!counter.ok()) {
    ADD_FAILURE() << counter.status().detail();
    return nullptr;
  }
  protocol::HelloMessage hello;
  hello.one_shot = options.one_shot;
  hello.handshake_counter = *counter;
  hello.features = options.features;
  // -> e, es, ss with our Hello
  std::optional<FirstMessage> first = WriteFirstMessage(as.identity, server, hello);
  if (!first) return nullptr;
  client->SendFrame(first->message);
  // <- e, ee, se with the server's Hello
  std::optional<Bytes> second = client->ReadFrame();
  if (!second) {
    ADD_FAILURE() << "the server sent no handshake message 2";
    return nullptr;
  }
  Result<crypto::SecureBytes> payload = first->handshake.ReadMessage(*second);
  Result<protocol::HelloMessage> server_hello =
      payload.ok() ? protocol::DecodeHello(payload->span()) : payload.status();
  if (!server_hello.ok()) {
    ADD_FAILURE() << "handshake message 2 did not come from the expected server";
    return nullptr;
  }
  Result<crypto::noise::TransportSession> transport = std::move(first->handshake).Finish();
  if (!transport.ok()) {
    ADD_FAILURE() << transport.status().detail();
    return nullptr;
  }
  return std::unique_ptr<HostilePeer>(new HostilePeer(std::move(client), std::move(*transport),
                                                      std::move(first->message),
                                                      std::move(*server_hello)));
}

Bytes HostilePeer::Seal(ByteSpan plaintext) {
  Result<Bytes> sealed = transport_.Encrypt(plaintext);
  EXPECT_TRUE(sealed.ok()) << sealed.status().detail();
  return sealed.ok() ? std::move(*sealed) : Bytes();
}

void HostilePeer::SendSealed(ByteSpan plaintext) {
  Bytes frame = Seal(plaintext);
  client_->SendFrame(frame);
  sealed_.push_back(std::move(frame));
}

void HostilePeer::Send(const protocol::Message& message) {
  Result<Bytes> envelope = protocol::EncodeEnvelope(message);
  ASSERT_TRUE(envelope.ok()) << envelope.status().detail();
  SendSealed(*envelope);
}

std::optional<protocol::Message> HostilePeer::Receive(std::chrono::milliseconds timeout) {
  std::optional<Bytes> frame = client_->ReadFrame(timeout);
  if (!frame) return std::nullopt;
  Result<crypto::SecureBytes> plain = transport_.Decrypt(*frame);
  if (!plain.ok()) {
    ADD_FAILURE() << "a frame from the server did not decrypt: " << plain.status().detail();
    return std::nullopt;
  }
  Result<protocol::Message> message = protocol::DecodeEnvelope(plain->span());
  if (!message.ok()) {
    ADD_FAILURE() << "an envelope from the server did not decode: " << message.status().detail();
    return std::nullopt;
  }
  return std::move(*message);
}

// ---- Rows ----

protocol::SyncRecord ContentRow(uint64_t seq, const std::string& id, Bytes content) {
  return protocol::SyncRecord{seq, id, false, std::move(content), 0, false};
}

protocol::SyncRecord Tombstone(uint64_t seq, const std::string& id) {
  return protocol::SyncRecord{seq, id, true, {}, 0, false};
}

protocol::SyncRecord Part(uint64_t seq, const std::string& id, uint32_t part, Bytes content,
                          bool continues) {
  return protocol::SyncRecord{seq, id, false, std::move(content), part, continues};
}

Bytes EntryContent(const std::string& id, const std::string& kind, const std::string& text,
                   nlohmann::json fields, std::vector<std::string> links) {
  node::Entry entry;
  entry.id = id;
  entry.kind = kind;
  entry.text = text;
  entry.fields = std::move(fields);
  entry.links = std::move(links);
  entry.created = entry.updated = node::Timestamp{1767225600000, 60};
  const std::string content = node::EncodeSharedContent(entry);
  return Bytes(content.begin(), content.end());
}

std::string NewEntryId() {
  return ToHex(crypto::RandomBytes(16));
}

std::vector<std::string> Snapshot(node::Journal& journal, node::Author author) {
  Result<std::vector<node::Entry>> entries = journal.List({.author = author});
  EXPECT_TRUE(entries.ok()) << entries.status().detail();
  std::vector<std::string> out;
  if (!entries.ok()) return out;
  for (const node::Entry& entry : *entries) out.push_back(node::EntryToJson(entry).dump());
  return out;
}

std::vector<std::string> EntryIds(node::Journal& journal, node::Author author) {
  Result<std::vector<node::Entry>> entries = journal.List({.author = author});
  EXPECT_TRUE(entries.ok()) << entries.status().detail();
  std::vector<std::string> ids;
  if (!entries.ok()) return ids;
  for (const node::Entry& entry : *entries) ids.push_back(entry.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// ---- Sync openings ----

std::optional<protocol::SyncHelloMessage> OpenSync(HostilePeer& peer, const Bytes& epoch,
                                                   const Bytes& your_epoch, uint64_t applied_seq) {
  std::optional<protocol::SyncHelloMessage> theirs = peer.ReceiveA<protocol::SyncHelloMessage>();
  EXPECT_TRUE(theirs.has_value()) << "A sent no SyncHello";
  peer.Send(protocol::SyncHelloMessage{epoch, your_epoch, applied_seq});
  return theirs;
}

std::optional<protocol::SyncAckMessage> SendBatch(HostilePeer& peer, uint64_t number,
                                                  uint64_t after_seq,
                                                  std::vector<protocol::SyncRecord> records,
                                                  bool caught_up) {
  peer.Send(
      protocol::SyncBatchMessage{kRogueEpoch, number, after_seq, std::move(records), caught_up});
  while (std::optional<protocol::SyncAckMessage> ack = peer.ReceiveA<protocol::SyncAckMessage>()) {
    if (ack->batch_number >= number) return ack;
  }
  return std::nullopt;
}

// ---- The fixture ----

namespace {

node::Entry AddEntry(TestNode& node, const std::string& kind, const std::string& text, bool share) {
  node::NewEntry draft;
  draft.kind = kind;
  draft.text = text;
  draft.share = share;
  Result<node::Entry> added = node.journal->Add(std::move(draft));
  EXPECT_TRUE(added.ok()) << added.status().detail();
  return added.ok() ? std::move(*added) : node::Entry{};
}

}  // namespace

HostilePeerTest::HostilePeerTest() : a_(temp_.File("a"), "Sam"), b_(temp_.File("b"), "Alex") {}

void HostilePeerTest::SetUp() {
  PairDirectly(a_, b_);
  own_private_ = AddEntry(a_, "trigger", "I feel anxious when plans change.", false).id;
  own_shared_ = AddEntry(a_, "note", "We walked by the river and talked.", true).id;
  own_withdrawn_ = AddEntry(a_, "need", "Reassurance before a change of plans.", true).id;
  ASSERT_OK(a_.journal->Remove(own_withdrawn_));
  partner_shared_ = AddEntry(b_, "note", "Thank you for listening yesterday.", true).id;
  own_before_ = Snapshot(*a_.journal, node::Author::kMe);
  ASSERT_EQ(own_before_.size(), 2u);
}

void HostilePeerTest::Serve(node::LinkTimeouts timeouts) {
  serve_ = std::make_unique<ServeThread>(a_, timeouts);
}

std::unique_ptr<HostilePeer> HostilePeerTest::ConnectAsPartner(HostileOptions options) {
  return HostilePeer::Connect(serve_->port(), b_, a_.identity.public_key, options);
}

void HostilePeerTest::ExpectClosed(HostilePeer& peer, const std::string& check) {
  EXPECT_TRUE(peer.client().ClosedByPeer()) << "the session was not closed";
  EXPECT_TRUE(serve_->WaitForEvents(
      [&check](const node::ServeEvent& event) {
        return event.kind == node::ServeEventKind::kSessionEnded && !event.problem.ok() &&
               event.problem.detail().find(check) != std::string::npos;
      },
      1))
      << "no session ended by the check \"" << check << "\"";
}

bool HostilePeerTest::WaitForSessionEnd(
    const std::function<bool(const node::ServeCounts&)>& counted) {
  return serve_->WaitForEvents(
      [&counted](const node::ServeEvent& event) {
        return event.kind == node::ServeEventKind::kSessionEnded && counted(event.counts);
      },
      1);
}

void HostilePeerTest::ExpectAnswersPings(HostilePeer& peer) {
  const uint64_t nonce = 0x5eed;
  peer.Send(protocol::PingMessage{nonce});
  std::optional<protocol::PongMessage> pong = peer.ReceiveA<protocol::PongMessage>();
  ASSERT_TRUE(pong.has_value()) << "the session no longer answers";
  EXPECT_EQ(pong->nonce, nonce);
}

void HostilePeerTest::ExpectOwnEntriesUnchanged() {
  EXPECT_EQ(Snapshot(*a_.journal, node::Author::kMe), own_before_);
}

void HostilePeerTest::ExpectHonestSyncWorks() {
  Result<node::SyncResult> synced = node::SyncWithPartner(
      *b_.journal, node::Endpoint{"127.0.0.1", serve_->port()}, FastTimeouts());
  ASSERT_TRUE(synced.ok()) << synced.status().detail();
  EXPECT_EQ(PartnerEntryIds(), std::vector<std::string>{partner_shared_});
  EXPECT_EQ(EntryIds(*b_.journal, node::Author::kPartner), std::vector<std::string>{own_shared_});
  ExpectOwnEntriesUnchanged();
}

}  // namespace attune::link_testing
