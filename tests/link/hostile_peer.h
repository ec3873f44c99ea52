// A scripted partner for the hostile-input tests: it completes a valid Noise KK handshake with a
// real node::Serve as the paired partner (it holds the partner's static key and issues its
// handshake counters from the partner's journal, as a buggy build or a compromised machine of
// the partner would), then sends whatever such a partner could: well-formed messages, envelopes
// of any bytes sealed under the session's keys, raw frames and raw bytes. It runs the handshake
// with crypto::noise itself rather than protocol::Session, because Session seals only envelopes
// it encoded. Blocking, with a timeout on every read.
#ifndef ATTUNE_TESTS_LINK_HOSTILE_PEER_H_
#define ATTUNE_TESTS_LINK_HOSTILE_PEER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "crypto/noise.h"
#include "protocol/messages.h"
#include "tests/common/files.h"
#include "tests/link/link_test_util.h"

namespace attune::link_testing {

struct HostileOptions {
  // What the peer's Hello says: a live session replaces the partner's live one; a one-shot
  // session runs beside it.
  bool one_shot = false;
  // The features the peer's Hello lists.
  std::vector<std::string> features = protocol::SupportedFeatures();
  int socket_buffer_bytes = 0;  // see RawClient
};

// The KK handshake message 1 `as` would send to `server` (prologue attune/2), with `hello`
// (its counter included) as the payload, and the handshake state to read message 2 with.
struct FirstMessage {
  crypto::noise::HandshakeState handshake;
  Bytes message;
};
std::optional<FirstMessage> WriteFirstMessage(const crypto::X25519KeyPair& as,
                                              const crypto::X25519PublicKey& server,
                                              const protocol::HelloMessage& hello);

class HostilePeer {
 public:
  // Connects to `port` and runs the handshake as `as` (with a counter from its journal),
  // expecting the server to be `server`. nullptr, with a test failure, if it does not complete.
  static std::unique_ptr<HostilePeer> Connect(uint16_t port, TestNode& as,
                                              const crypto::X25519PublicKey& server,
                                              HostileOptions options = {});

  // The frame payload carrying `plaintext` as the next transport message, not sent. Sealing
  // uses up a nonce: frames must then be sent in the order they were sealed.
  Bytes Seal(ByteSpan plaintext);
  // Seals `plaintext` (any bytes, e.g. a hand-made envelope) and sends it in one frame.
  void SendSealed(ByteSpan plaintext);
  // Encodes `message` as attune would and sends it.
  void Send(const protocol::Message& message);

  // The server's next message. nullopt if the connection closed, nothing came within
  // `timeout`, or the frame did not decrypt or decode (a test failure then).
  std::optional<protocol::Message> Receive(
      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Reads until a message of type T arrives, skipping others. nullopt as Receive.
  template <typename T>
  std::optional<T> ReceiveA(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    while (std::optional<protocol::Message> message = Receive(timeout)) {
      if (T* wanted = std::get_if<T>(&*message)) return std::move(*wanted);
    }
    return std::nullopt;
  }

  // Frames sent so far in the transport phase, as sealed (for replays).
  const std::vector<Bytes>& sealed() const { return sealed_; }
  // The handshake message this side sent, message 1 (for replays).
  const Bytes& first_message() const { return first_message_; }
  // What the server's Hello said.
  const protocol::HelloMessage& server_hello() const { return server_hello_; }

  RawClient& client() { return *client_; }

 private:
  HostilePeer(std::unique_ptr<RawClient> client, crypto::noise::TransportSession transport,
              Bytes first_message, protocol::HelloMessage server_hello)
      : client_(std::move(client)),
        transport_(std::move(transport)),
        first_message_(std::move(first_message)),
        server_hello_(std::move(server_hello)) {}

  std::unique_ptr<RawClient> client_;
  crypto::noise::TransportSession transport_;
  Bytes first_message_;
  protocol::HelloMessage server_hello_;
  std::vector<Bytes> sealed_;
};

// ---- The fixture: A serves, and B's key is in the hands of the scripted peer ----

// A random epoch for the peer's log, as a reinstalled partner would announce: A drops what it
// held of B's old log, and an honest sync afterwards starts over from B's real epoch.
inline const Bytes kRogueEpoch(protocol::kEpochBytes, 0x5e);

// A sync record: a row with content, a tombstone, or a part of a long row.
protocol::SyncRecord ContentRow(uint64_t seq, const std::string& id, Bytes content);
protocol::SyncRecord Tombstone(uint64_t seq, const std::string& id);
protocol::SyncRecord Part(uint64_t seq, const std::string& id, uint32_t part, Bytes content,
                          bool continues);

// What a partner's node shares for a `kind` entry `id` (format 2 of docs/protocol.md 4.3).
Bytes EntryContent(const std::string& id, const std::string& kind, const std::string& text,
                   nlohmann::json fields = nlohmann::json::object(),
                   std::vector<std::string> links = {});
std::string NewEntryId();

// Every entry of `author` as the journal lists it, each as its whole JSON (every field, the
// text included), oldest first.
std::vector<std::string> Snapshot(node::Journal& journal, node::Author author);
std::vector<std::string> EntryIds(node::Journal& journal, node::Author author);

// Reads A's SyncHello and answers with B's hello for `epoch` (A then sends its log, which the
// peer's reads skip). Returns A's hello.
std::optional<protocol::SyncHelloMessage> OpenSync(HostilePeer& peer,
                                                   const Bytes& epoch = kRogueEpoch,
                                                   const Bytes& your_epoch = {},
                                                   uint64_t applied_seq = 0);
// Sends batch `number` of the rogue epoch and returns A's acknowledgement of it (acks are
// cumulative: the first ack at or past `number`).
std::optional<protocol::SyncAckMessage> SendBatch(HostilePeer& peer, uint64_t number,
                                                  uint64_t after_seq,
                                                  std::vector<protocol::SyncRecord> records,
                                                  bool caught_up = true);

// A (Sam) serves; B (Alex) is the partner. A holds a private entry, a shared one and one it
// shared and then deleted (its id stays in A's outgoing log); B shares one entry.
class HostilePeerTest : public ::testing::Test {
 protected:
  HostilePeerTest();
  void SetUp() override;

  void Serve(node::LinkTimeouts timeouts = FastTimeouts());
  std::unique_ptr<HostilePeer> ConnectAsPartner(HostileOptions options = {});

  // The defined outcomes, and what must hold after every one of them.
  // The session ended with a failure whose developer detail names `check`, the protocol check
  // that fired (a fact for the developer, not wording a person reads).
  void ExpectClosed(HostilePeer& peer, const std::string& check);
  // Waits until a session ended whose counts are as `counted` wants them.
  bool WaitForSessionEnd(const std::function<bool(const node::ServeCounts&)>& counted);
  void ExpectAnswersPings(HostilePeer& peer);
  void ExpectOwnEntriesUnchanged();
  std::vector<std::string> PartnerEntryIds() {
    return EntryIds(*a_.journal, node::Author::kPartner);
  }
  // B syncs for real: it works, and A then holds exactly B's shared entry.
  void ExpectHonestSyncWorks();

  test_common::TempDir temp_;
  TestNode a_;
  TestNode b_;
  std::unique_ptr<ServeThread> serve_;
  std::string own_private_;
  std::string own_shared_;
  std::string own_withdrawn_;
  std::string partner_shared_;
  std::vector<std::string> own_before_;
};

}  // namespace attune::link_testing

#endif  // ATTUNE_TESTS_LINK_HOSTILE_PEER_H_
