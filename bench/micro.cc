// attune_micro: Google Benchmark micro-benchmarks of the steps every shared entry passes through
// on its way between nodes: sealing for storage, framing, the Noise transport, and parsing the
// JSON a partner sends. They show where a slow end-to-end figure could come from.
#include <benchmark/benchmark.h>

#include <optional>
#include <string>
#include <utility>

#include "crypto/aead.h"
#include "crypto/noise.h"
#include "crypto/random.h"
#include "crypto/sodium.h"
#include "node/entry.h"
#include "node/journal/bounded_json.h"
#include "node/journal/entry_codec.h"
#include "node/shared_content.h"
#include "protocol/frame.h"
#include "protocol/session.h"

namespace attune::bench {
namespace {

constexpr size_t kKiB = 1024;
// The most plaintext one transport message carries (with its 16-byte tag, Noise's 65,535).
constexpr size_t kFullFrameBytes = crypto::noise::kMaxMessageBytes - 16;

node::Entry OneKibEntry() {
  node::Entry entry;
  entry.id = ToHex(crypto::RandomBytes(16));
  entry.kind = "need";
  entry.step = 6;
  entry.text = std::string(kKiB, 'a');
  entry.created = {1'790'000'000'000, 60};
  entry.updated = entry.created;
  entry.visibility = node::Visibility::kShared;
  return entry;
}

void BM_SealOpenEntry(benchmark::State& state) {
  const node::Secret key = crypto::RandomSecret(crypto::aead::kKeyBytes);
  const node::Entry entry = OneKibEntry();
  for (auto _ : state) {
    Result<storage::EntryRow> row = node::SealEntry(key, entry);
    Result<node::Entry> opened = row.ok() ? node::OpenEntry(key, *row) : row.status();
    if (!opened.ok()) return state.SkipWithError(opened.status().detail().c_str());
    benchmark::DoNotOptimize(opened->text.data());
  }
}
BENCHMARK(BM_SealOpenEntry);

void BM_FrameEncodeDecode(benchmark::State& state) {
  const Bytes payload = crypto::RandomBytes(kKiB);
  protocol::FrameDecoder decoder;
  for (auto _ : state) {
    Result<Bytes> frame = protocol::EncodeFrame(payload);
    Result<std::vector<Bytes>> decoded =
        frame.ok() ? decoder.Feed(*frame) : Result<std::vector<Bytes>>(frame.status());
    if (!decoded.ok() || decoded->size() != 1) return state.SkipWithError("frame round trip");
    benchmark::DoNotOptimize(decoded->front().data());
  }
}
BENCHMARK(BM_FrameEncodeDecode);

// Runs attune's Noise KK handshake between two fresh identities in memory.
std::optional<std::pair<crypto::noise::TransportSession, crypto::noise::TransportSession>>
EstablishedSessions() {
  const crypto::X25519KeyPair initiator_keys = crypto::GenerateX25519KeyPair();
  const crypto::X25519KeyPair responder_keys = crypto::GenerateX25519KeyPair();
  auto create = [](crypto::noise::Role role, const crypto::X25519KeyPair& own,
                   const crypto::X25519PublicKey& peer) {
    crypto::noise::HandshakeOptions options;
    options.role = role;
    options.protocol_name = std::string(protocol::kNoiseProtocolName);
    options.prologue =
        Bytes(protocol::kLinkProtocolName.begin(), protocol::kLinkProtocolName.end());
    options.local_static = crypto::CopyKeyPair(own);
    options.remote_static = peer;
    return crypto::noise::HandshakeState::Create(std::move(options));
  };
  Result<crypto::noise::HandshakeState> initiator =
      create(crypto::noise::Role::kInitiator, initiator_keys, responder_keys.public_key);
  Result<crypto::noise::HandshakeState> responder =
      create(crypto::noise::Role::kResponder, responder_keys, initiator_keys.public_key);
  if (!initiator.ok() || !responder.ok()) return std::nullopt;
  crypto::noise::HandshakeState* writer = &*initiator;
  crypto::noise::HandshakeState* reader = &*responder;
  while (writer->next_step() == crypto::noise::HandshakeStep::kWrite) {
    Result<Bytes> message = writer->WriteMessage({});
    if (!message.ok() || !reader->ReadMessage(*message).ok()) return std::nullopt;
    std::swap(writer, reader);
  }
  Result<crypto::noise::TransportSession> sending = std::move(*initiator).Finish();
  Result<crypto::noise::TransportSession> receiving = std::move(*responder).Finish();
  if (!sending.ok() || !receiving.ok()) return std::nullopt;
  return std::make_pair(std::move(sending).value(), std::move(receiving).value());
}

// One message each way through the transport, decrypted into a fresh locked buffer: an entry's
// size, and a full frame (64 KiB) as a first sync sends them.
void BM_NoiseTransport(benchmark::State& state) {
  auto sessions = EstablishedSessions();
  if (!sessions) return state.SkipWithError("handshake failed");
  const Bytes plaintext = crypto::RandomBytes(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    Result<Bytes> ciphertext = sessions->first.Encrypt(plaintext);
    Result<crypto::SecureBytes> decrypted = ciphertext.ok()
                                                ? sessions->second.Decrypt(*ciphertext)
                                                : Result<crypto::SecureBytes>(ciphertext.status());
    if (!decrypted.ok()) return state.SkipWithError(decrypted.status().detail().c_str());
    benchmark::DoNotOptimize(decrypted->size());
  }
}
BENCHMARK(BM_NoiseTransport)->Arg(kKiB)->Arg(kFullFrameBytes);

// As a node reads a partner's shared entry: bounded parse, then conversion and validation.
void BM_EntryFromJson(benchmark::State& state) {
  const std::string text = node::EntryToJson(OneKibEntry()).dump();
  for (auto _ : state) {
    Result<node::Entry> entry = node::EntryFromJson(node::ParseBoundedJson(text));
    if (!entry.ok()) return state.SkipWithError(entry.status().detail().c_str());
    benchmark::DoNotOptimize(entry->text.data());
  }
}
BENCHMARK(BM_EntryFromJson);

// A receiver's work on each row of a first sync before storing it: decode the shared content,
// check it under the entry rules, seal it under its own key.
void BM_ReceiveSharedEntry(benchmark::State& state) {
  const node::Secret key = crypto::RandomSecret(crypto::aead::kKeyBytes);
  const node::Entry entry = OneKibEntry();
  const std::string content = node::EncodeSharedContent(entry);
  for (auto _ : state) {
    Result<node::Entry> accepted = node::AcceptPartnerEntry(content, entry.id);
    Result<storage::EntryRow> row =
        accepted.ok() ? node::SealEntry(key, *accepted) : accepted.status();
    if (!row.ok()) return state.SkipWithError(row.status().detail().c_str());
    benchmark::DoNotOptimize(row->body.data());
  }
}
BENCHMARK(BM_ReceiveSharedEntry);

// BM_NoiseTransport's messages, decrypted into one scratch reused from message to message as a
// session receives them (a fresh 64 KiB locked buffer is an mmap, an mlock and their undoing).
void BM_NoiseTransportIntoScratch(benchmark::State& state) {
  auto sessions = EstablishedSessions();
  if (!sessions) return state.SkipWithError("handshake failed");
  const Bytes plaintext = crypto::RandomBytes(static_cast<size_t>(state.range(0)));
  crypto::SecureScratch scratch;
  for (auto _ : state) {
    Result<Bytes> ciphertext = sessions->first.Encrypt(plaintext);
    Result<ByteSpan> decrypted = ciphertext.ok()
                                     ? sessions->second.DecryptInto(*ciphertext, scratch)
                                     : Result<ByteSpan>(ciphertext.status());
    if (!decrypted.ok()) return state.SkipWithError(decrypted.status().detail().c_str());
    benchmark::DoNotOptimize(decrypted->data());
    scratch.Wipe();
  }
}
BENCHMARK(BM_NoiseTransportIntoScratch)->Arg(kKiB)->Arg(kFullFrameBytes);

}  // namespace
}  // namespace attune::bench

int main(int argc, char** argv) {
  if (!attune::crypto::Init().ok()) return 1;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
