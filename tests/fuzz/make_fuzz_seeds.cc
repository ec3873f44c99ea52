// Writes the seed corpora checked in under tests/fuzz/corpus/: OUTDIR/<target>/<seed name> for
// noise_handshake_fuzz, frame_decoder_fuzz, envelope_fuzz, session_fuzz, pairing_fuzz,
// sync_engine_fuzz, shared_content_fuzz, discovery_fuzz, bundle_fuzz, backup_fuzz and
// exercise_fuzz. Seeds are genuine messages from the real code (and a few hand-made edge cases),
// each prefixed with the selector byte its target expects (where it has one), so the fuzzers
// start from inputs that get deep.
//
//   build/fuzz/tests/fuzz/make_fuzz_seeds tests/fuzz/corpus
//
// Everything but the pairing seeds is deterministic (fixed keys and ephemerals); CPace draws
// fresh randomness, so pairing seeds differ from run to run (any run's are equally good).
// Existing files with other names are left alone.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/onion.h"
#include "crypto/sodium.h"
#include "crypto/x25519.h"
#include "node/entry.h"
#include "node/entry_rules.h"
#include "node/journal/backup_file.h"
#include "node/shared_content.h"
#include "protocol/bundle.h"
#include "protocol/bundle_seal.h"
#include "protocol/exercise.h"
#include "protocol/frame.h"
#include "protocol/messages.h"
#include "protocol/pairing.h"
#include "protocol/session.h"
#include "protocol/sync.h"
#include "tests/fuzz/backup_fixture.h"
#include "tests/fuzz/bundle_fixture.h"
#include "tests/fuzz/discovery_fixture.h"
#include "tests/fuzz/exercise_fixture.h"
#include "tests/fuzz/noise_fixture.h"
#include "tests/fuzz/sync_fixture.h"
#include "tests/protocol/memory_sync_store.h"

namespace {

namespace fuzz = attune::fuzz;
namespace crypto = attune::crypto;
namespace protocol = attune::protocol;
namespace node = attune::node;
using attune::Bytes;
using attune::ByteSpan;
using fuzz::Check;

struct Seed {
  std::string target;
  std::string name;
  Bytes bytes;
};

// `first` (the target's selector byte) followed by every part in order.
Bytes Join(uint8_t first, std::initializer_list<ByteSpan> parts) {
  Bytes joined{first};
  for (ByteSpan part : parts) joined.insert(joined.end(), part.begin(), part.end());
  return joined;
}

Bytes Frame(ByteSpan payload) {
  attune::Result<Bytes> frame = protocol::EncodeFrame(payload);
  Check(frame.ok());
  return std::move(frame).value();
}

Bytes Envelope(const protocol::Message& message) {
  attune::Result<Bytes> envelope = protocol::EncodeEnvelope(message);
  Check(envelope.ok());
  return std::move(envelope).value();
}

Bytes Hello(const protocol::HelloMessage& hello) {
  attune::Result<Bytes> encoded = protocol::EncodeHello(hello);
  Check(encoded.ok());
  return std::move(encoded).value();
}

std::vector<Seed> NoiseHandshakeSeeds() {
  const std::string target = "noise_handshake_fuzz";
  const fuzz::Transcript genuine = fuzz::GenuineHandshake();
  const Bytes low_order_key(attune::crypto::kX25519PublicBytes, 0);  // u = 0: DH gives zeros
  return {
      {target, "message1", Join(fuzz::kResponderReadsMessage1, {genuine.message1})},
      {target, "message1_low_order_e", Join(fuzz::kResponderReadsMessage1, {low_order_key})},
      {target, "message2", Join(fuzz::kInitiatorReadsMessage2, {genuine.message2})},
  };
}

std::vector<Seed> FrameDecoderSeeds() {
  // The first byte is the piece size minus one.
  const std::string target = "frame_decoder_fuzz";
  const fuzz::Transcript noise = fuzz::GenuineHandshake();
  const Bytes ping = Envelope(protocol::PingMessage{7});
  const Bytes pong = Envelope(protocol::PongMessage{7});
  const Bytes zero_length = {0x00, 0x00};
  const Bytes longest_header = {0xff, 0xff, 0x01, 0x02, 0x03};
  const ByteSpan message2(noise.message2);
  return {
      {target, "handshake_whole", Join(0xff, {Frame(noise.message1), Frame(noise.message2)})},
      {target, "handshake_bytewise", Join(0x00, {Frame(noise.message1)})},
      {target, "envelopes_in_7s", Join(0x06, {Frame(ping), Frame(pong)})},
      {target, "zero_length_after_frame", Join(0xff, {Frame(ping), zero_length, Frame(pong)})},
      {target, "truncated", Join(0xff, {ByteSpan(Frame(message2)).first(message2.size() - 5)})},
      {target, "longest_header_partial", Join(0x10, {longest_header})},
  };
}

// An onion contact as a node sends its own (onion/1), under a service key from a fixed seed.
protocol::OnionContactMessage FixedOnionContact() {
  crypto::SecureBytes seed(crypto::kOnionSeedBytes);
  for (size_t i = 0; i < seed.size(); ++i) seed.data()[i] = static_cast<uint8_t>(0x40 + i);
  attune::Result<crypto::OnionServiceKey> key = crypto::OnionServiceKey::FromSeed(std::move(seed));
  Check(key.ok());
  return {crypto::OnionAddress(key->public_key()), Bytes(crypto::kX25519PublicBytes, 0x42)};
}

std::vector<Seed> EnvelopeSeeds() {
  using Goodbye = protocol::GoodbyeMessage;
  const std::string target = "envelope_fuzz";
  // Hand-made protobuf: version 2 (newer than ours) with a ping; version 1 with an unknown body
  // field 13; a ping with an unknown varint field 99 (to be skipped).
  const Bytes newer_version = {0x08, 0x02, 0x52, 0x02, 0x08, 0x01};
  const Bytes unknown_body = {0x08, 0x01, 0x6a, 0x00};
  const Bytes unknown_field = {0x08, 0x01, 0x52, 0x02, 0x08, 0x07, 0x98, 0x06, 0x01};
  return {
      {target, "ping", Envelope(protocol::PingMessage{0x0123456789abcdef})},
      {target, "pong", Envelope(protocol::PongMessage{1})},
      {target, "goodbye_fresh_handshake", Envelope(Goodbye{Goodbye::Reason::kFreshHandshake})},
      {target, "goodbye_done", Envelope(Goodbye{Goodbye::Reason::kDone})},
      {target, "onion_contact", Envelope(FixedOnionContact())},
      {target, "exercise_ask",
       Envelope(protocol::ExerciseMessage{.kind = protocol::ExerciseMessage::Kind::kAsk,
                                          .exercise_id = std::string(32, 'a'),
                                          .exercise = "check-in"})},
      {target, "exercise_commit",
       Envelope(protocol::ExerciseMessage{.kind = protocol::ExerciseMessage::Kind::kCommit,
                                          .exercise_id = std::string(32, 'b'),
                                          .commitment = Bytes(32, 0x5c)})},
      {target, "exercise_reveal",
       Envelope(protocol::ExerciseMessage{.kind = protocol::ExerciseMessage::Kind::kReveal,
                                          .exercise_id = std::string(32, 'c'),
                                          .opening = Bytes(32, 0x7e),
                                          .answer = "I think anxious leads."})},
      {target, "hello", Hello({protocol::kLinkProtocolVersion, 47017, true, 1767225600000})},
      {target, "newer_version", newer_version},
      {target, "unknown_body", unknown_body},
      {target, "unknown_field", unknown_field},
  };
}

// The same parties as session_fuzz.cc's Start(); keep the two in step.
protocol::Session StartSession(protocol::SessionRole role) {
  const bool initiator = role == protocol::SessionRole::kInitiator;
  protocol::SessionConfig config;
  config.role = role;
  config.local_static = fuzz::FixedKey(initiator ? 1 : 2);
  config.pinned_partner = fuzz::FixedKey(initiator ? 2 : 1).public_key;
  config.hello.serve_port = initiator ? 4100 : 4200;
  config.handshake_counter = 1767225600000;
  config.fixed_ephemeral_for_testing = fuzz::FixedKey(initiator ? 3 : 4);
  attune::Result<protocol::Session> session = protocol::Session::Start(std::move(config));
  Check(session.ok());
  return std::move(session).value();
}

// Moves the single pending frame from one session to the other and returns it.
Bytes Pass(protocol::Session& from, protocol::Session& to) {
  std::vector<Bytes> frames = from.TakeOutgoing();
  Check(frames.size() == 1 && to.Receive(frames[0]).ok());
  return std::move(frames[0]);
}

std::vector<Seed> SessionSeeds() {
  // session_fuzz's first byte: 0 message 1, 1 message 2, 2 a frame while admission waits,
  // 3 a transport message.
  const std::string target = "session_fuzz";
  protocol::Session initiator = StartSession(protocol::SessionRole::kInitiator);
  protocol::Session responder = StartSession(protocol::SessionRole::kResponder);
  const Bytes message1 = Pass(initiator, responder);
  Check(responder.Admit().ok());
  const Bytes message2 = Pass(responder, initiator);
  Check(initiator.Send(protocol::PingMessage{1}).ok());
  const Bytes ping = Pass(initiator, responder);
  const Bytes legacy_message1(protocol::kLegacyFirstMessageBytes, 0x42);
  return {
      {target, "message1", Join(0, {message1})},
      {target, "message1_attune1_size", Join(0, {legacy_message1})},
      {target, "message2", Join(1, {message2})},
      {target, "while_admitting", Join(2, {message1})},
      {target, "transport_ping", Join(3, {ping})},
  };
}

std::vector<Seed> PairingSeeds() {
  // pairing_fuzz's first byte: 0 the request, 1 the response, 2 the confirmation; same code.
  const std::string target = "pairing_fuzz";
  const protocol::PairingCode code{7, {1, 2, 3}};
  auto make = [&](protocol::PairingRole role) {
    protocol::PairingIdentity own{attune::crypto::GenerateX25519KeyPair().public_key, "f", 47017,
                                  "", std::nullopt};
    attune::Result<protocol::Pairing> pairing = protocol::Pairing::Create(role, code, own);
    Check(pairing.ok());
    return std::move(pairing).value();
  };
  protocol::Pairing joiner = make(protocol::PairingRole::kJoiner);
  protocol::Pairing inviter = make(protocol::PairingRole::kInviter);
  attune::Result<Bytes> request = joiner.Start();
  Check(request.ok());
  attune::Result<std::optional<Bytes>> response = inviter.Receive(*request);
  Check(response.ok() && response->has_value());
  attune::Result<std::optional<Bytes>> confirm = joiner.Receive(**response);
  Check(confirm.ok() && confirm->has_value());
  // The request as version 1 sent it (byte 3 is PairRequest.protocol_version's value), and
  // PairAbort{VERSION_MISMATCH} as version 1 sent it (no version) and as version 3 would.
  Bytes old_request = *request;
  Check(old_request.size() > 3 && old_request[2] == 0x08 && old_request[3] == 2);
  old_request[3] = 1;
  const Bytes old_abort = {0x2a, 0x02, 0x08, 0x02};
  const Bytes newer_abort = {0x2a, 0x04, 0x08, 0x02, 0x10, 0x03};
  return {
      {target, "request", Join(0, {*request})},
      {target, "request_version1", Join(0, {old_request})},
      {target, "response", Join(1, {**response})},
      {target, "abort_version1", Join(1, {old_abort})},
      {target, "abort_version3", Join(1, {newer_abort})},
      {target, "confirm", Join(2, {**confirm})},
  };
}

// A genuine exchange between sync_engine_fuzz's node (its fixture store) and a partner, recorded
// as that target's input: the setup byte, every envelope the partner sent the node in order, and
// the node's local steps where they happened.
class SyncRecorder {
 public:
  explicit SyncRecorder(uint8_t setup)
      : node_(fuzz::kSyncNodeSeed), partner_(fuzz::kSyncPartnerSeed), input_{setup} {
    fuzz::PrepareNodeStore(node_, setup);
  }

  fuzz::MemorySyncStore& partner() { return partner_; }

  void Connect() {
    node_engine_ = std::make_unique<protocol::SyncEngine>(node_);
    partner_engine_ = std::make_unique<protocol::SyncEngine>(partner_);
    Check(node_engine_->Start().ok() && partner_engine_->Start().ok());
  }

  // Moves messages both ways until neither side has anything to send.
  void Run() {
    for (bool moved = true; moved;) {
      moved = false;
      for (const protocol::Message& message : node_engine_->TakeOutgoing()) {
        Check(partner_engine_->Receive(message).ok());
        moved = true;
      }
      for (const protocol::Message& message : partner_engine_->TakeOutgoing()) {
        fuzz::AppendEnvelopeStep(input_, Envelope(message));
        Check(node_engine_->Receive(message).ok());
        moved = true;
      }
    }
  }

  void PartnerChanged() { Check(partner_engine_->LocalChanged().ok()); }

  // As sync_engine_fuzz's kShareShortRow does it, so the partner's acks match the node's batches.
  void NodeSharesAShortRow() {
    Check(node_.Share(fuzz::EntryId(2001), fuzz::SyncContent("local", 40)).ok());
    Check(node_engine_->LocalChanged().ok());
    fuzz::AppendLocalStep(input_, fuzz::kShareShortRow);
  }

  Bytes Finish() {
    Check(node_engine_->Settled() && partner_engine_->Settled());
    return input_;
  }

 private:
  fuzz::MemorySyncStore node_;
  fuzz::MemorySyncStore partner_;
  std::unique_ptr<protocol::SyncEngine> node_engine_;
  std::unique_ptr<protocol::SyncEngine> partner_engine_;
  Bytes input_;
};

Bytes FirstSyncAndLiveChanges() {
  SyncRecorder sync(fuzz::kNodeHasRows);
  for (uint64_t n = 1001; n <= 1004; ++n) {
    Check(sync.partner().Share(fuzz::EntryId(n), fuzz::SyncContent("partner", 30)).ok());
  }
  Check(sync.partner().Withdraw(fuzz::EntryId(1002)).ok());
  sync.Connect();
  sync.Run();
  Check(sync.partner().Share(fuzz::EntryId(1005), fuzz::SyncContent("live", 30)).ok());
  sync.PartnerChanged();
  sync.Run();
  sync.NodeSharesAShortRow();
  sync.Run();
  return sync.Finish();
}

// The node applied the partner's rows 1 and 2 in an earlier session; the partner continues.
Bytes Resumed() {
  SyncRecorder sync(fuzz::kNodeHasRows | fuzz::kNodeAppliedPartner);
  for (const protocol::LogRow& row : fuzz::AppliedPartnerRows()) {
    Check(sync.partner().Share(row.entry_id, row.content).ok());
  }
  Check(sync.partner().Share(fuzz::EntryId(1003), fuzz::SyncContent("partner", 30)).ok());
  Check(sync.partner().Withdraw(fuzz::EntryId(1001)).ok());
  sync.Connect();
  sync.Run();
  return sync.Finish();
}

// The partner's log is behind what the node applied (restored from an older copy): it starts a
// new epoch and sends a second hello.
Bytes PartnerRestored() {
  SyncRecorder sync(fuzz::kNodeAppliedPartner);
  const protocol::LogRow first = fuzz::AppliedPartnerRows()[0];
  Check(sync.partner().Share(first.entry_id, first.content).ok());
  sync.Connect();
  sync.Run();
  return sync.Finish();
}

// Hand-made: a row in three small parts between two whole rows (a real peer only splits rows
// longer than a batch, but the receiver takes parts of any size).
Bytes SmallFragments() {
  const Bytes epoch = fuzz::PartnerEpoch();
  auto record = [](uint64_t seq, uint64_t entry, const char* text, uint32_t part, bool more) {
    return protocol::SyncRecord{seq, fuzz::EntryId(entry), false, fuzz::SyncContent(text, 8), part,
                                more};
  };
  Bytes input{0};
  for (const protocol::Message& message : std::initializer_list<protocol::Message>{
           protocol::SyncHelloMessage{epoch, {}, 0},
           protocol::SyncBatchMessage{
               epoch, 1, 0, {record(1, 1001, "whole", 0, false), record(2, 1002, "a", 0, true)}},
           protocol::SyncBatchMessage{epoch, 2, 1, {record(2, 1002, "b", 1, true)}},
           protocol::SyncBatchMessage{
               epoch,
               3,
               1,
               {record(2, 1002, "c", 2, false), record(3, 1003, "whole", 0, false)},
               true},
       }) {
    fuzz::AppendEnvelopeStep(input, Envelope(message));
  }
  return input;
}

std::vector<Seed> SyncEngineSeeds() {
  const std::string target = "sync_engine_fuzz";
  return {
      {target, "first_sync_and_live", FirstSyncAndLiveChanges()},
      {target, "resumed", Resumed()},
      {target, "partner_restored", PartnerRestored()},
      {target, "small_fragments", SmallFragments()},
  };
}

// What a partner's node sends for a few entries of the kinds people share most, in both formats
// of docs/protocol.md 4.3: as EncodeSharedContent writes them today (format 2) and as one
// JSON object (format 1, still read).
std::vector<Seed> SharedContentSeeds() {
  namespace node = attune::node;
  auto entry = [](const char* id, const char* kind, const char* text, nlohmann::json fields,
                  std::vector<std::string> tags, std::vector<std::string> links) {
    node::Entry made;
    made.id = id;
    made.kind = kind;
    made.text = text;
    made.fields = std::move(fields);
    made.tags = std::move(tags);
    made.links = std::move(links);
    made.created = {1795000000000, 60};
    made.updated = {1795000360000, 60};
    made.visibility = node::Visibility::kShared;
    Check(node::ValidateEntryContent(made).ok());
    return made;
  };
  const char* need_id = "0123456789abcdef0123456789abcdef";
  const std::vector<std::pair<std::string, node::Entry>> entries = {
      {"need", entry(need_id, "need", "To know you will come back after we argue.",
                     nlohmann::json::object(), {"closeness"}, {})},
      {"statement",
       entry("11111111111111111111111111111111", "statement",
             "I feel anxious when plans change without a word.\nI feel loved and connected when "
             "you text me first.",
             {{"feel", "anxious"}, {"when", "plans change"}}, {}, {need_id})},
      {"boundary", entry("22222222222222222222222222222222", "boundary", "No phones at dinner.",
                         {{"restatements", nlohmann::json::array({"2026-11-02: said it gently"})}},
                         {"home"}, {})},
      {"style", entry("33333333333333333333333333333333", "style", "Mostly anxious, some secure.",
                      {{"blend", {{"anxious", 0.6}, {"secure", 0.3}, {"avoidant", 0.1}}}}, {}, {})},
      {"response",
       entry("44444444444444444444444444444444", "response", "Thank you for telling me.",
             {{"responds_to", need_id}, {"ack", "heard"}, {"responds_to_kind", "need"}}, {}, {})},
  };
  std::vector<Seed> seeds;
  for (const auto& [name, made] : entries) {
    const std::string format2 = node::EncodeSharedContent(made);
    nlohmann::json format1 = node::EntryToJson(made);
    format1.erase("visibility");
    format1.erase("author");
    const std::string format1_text = format1.dump();
    seeds.push_back({"shared_content_fuzz", name, Bytes(format2.begin(), format2.end())});
    seeds.push_back({"shared_content_fuzz", name + "_format1",
                     Bytes(format1_text.begin(), format1_text.end())});
  }
  return seeds;
}

std::vector<Seed> DiscoverySeeds() {
  // discovery_fuzz's input: the window offset + 2 (so 2 is the fixed window itself), the source
  // address as sealed (17 bytes), the packet.
  const std::string target = "discovery_fuzz";
  const protocol::DiscoveryKey partner = fuzz::FixedPairedKey(/*first_partner=*/true);
  const protocol::DiscoveryKey own = fuzz::FixedPairedKey(/*first_partner=*/false);
  const protocol::DiscoveryKey inviter = fuzz::FixedPairingKey();
  const protocol::DiscoveryAddress from = fuzz::FixedDiscoverySource();
  const auto source = from.Encode();
  const Bytes from_partner = partner.Announce(47017, fuzz::kDiscoveryWindow, from);
  const Bytes from_inviter = inviter.Announce(47016, fuzz::kDiscoveryWindow, from);
  const Bytes own_echo = own.Announce(47017, fuzz::kDiscoveryWindow, from);
  const Bytes next_window = partner.Announce(47017, fuzz::kDiscoveryWindow + 1, from);
  protocol::DiscoveryAddress elsewhere = from;
  elsewhere.bytes[15] ^= 0x01;
  const auto replayed_from = elsewhere.Encode();
  return {{target, "partner", Join(2, {source, from_partner})},
          {target, "inviter", Join(2, {source, from_inviter})},
          {target, "own_echo", Join(2, {source, own_echo})},
          {target, "partner_next_window", Join(3, {source, next_window})},
          {target, "replayed_elsewhere", Join(2, {replayed_from, from_partner})},
          {target, "short", Join(2, {source, ByteSpan(from_partner).first(20)})}};
}

std::vector<Seed> BundleSeeds() {
  // bundle_fuzz's first byte: fuzz::kBundleContent or fuzz::kSealedBundle (bundle_fixture.h).
  const std::string target = "bundle_fuzz";
  protocol::sync_testing::MemorySyncStore writer(/*epoch_seed=*/3);
  const Bytes empty = protocol::BuildBundleContent(writer, 0).value().content;
  fuzz::FillPartnerLog(writer);
  const Bytes full = protocol::BuildBundleContent(writer, 0).value().content;
  const Bytes after_one = protocol::BuildBundleContent(writer, 1).value().content;
  const Bytes sealed =
      protocol::SealBundle(fuzz::BundleWriterKey(), fuzz::BundleRecipientKey().public_key, full,
                           fuzz::BundleEphemeralKey())
          .value();
  return {{target, "content_empty", Join(fuzz::kBundleContent, {empty})},
          {target, "content_full", Join(fuzz::kBundleContent, {full})},
          {target, "content_after_one", Join(fuzz::kBundleContent, {after_one})},
          {target, "sealed_full", Join(fuzz::kSealedBundle, {sealed})}};
}

std::vector<Seed> BackupSeeds() {
  // A genuine backup of a small "snapshot" under the fixed key, one of a snapshot that fills a
  // chunk exactly (so the final chunk is empty), and one with a passphrase's wrap in its header.
  const std::string target = "backup_fuzz";
  const auto sealed = [](size_t snapshot_size, bool wrapped) {
    const Bytes snapshot(snapshot_size, 0x5a);
    std::optional<node::Keyring::StoredWrap> wrap;
    if (wrapped) {
      wrap = node::Keyring::StoredWrap{
          crypto::EncodeKdfParams(crypto::NewKdfParams(crypto::KdfStrength::kInteractive)),
          Bytes(node::kBackupWrappedKeyBytes, 0x11)};
    }
    Bytes out;
    size_t at = 0;
    Check(node::WriteBackup(
              fuzz::BackupDataKey(), wrap,
              [&](std::span<uint8_t> into) -> attune::Result<size_t> {
                const size_t n = std::min(into.size(), snapshot.size() - at);
                std::copy_n(snapshot.begin() + static_cast<ptrdiff_t>(at), n, into.begin());
                at += n;
                return n;
              },
              [&](ByteSpan bytes) {
                out.insert(out.end(), bytes.begin(), bytes.end());
                return attune::Status::Ok();
              })
              .ok());
    return out;
  };
  return {{target, "small", sealed(300, false)},
          {target, "one_full_chunk", sealed(node::kBackupChunkBytes, false)},
          {target, "wrapped", sealed(100, true)}};
}

// One exercise_fuzz step: its op byte, the length in two bytes, the bytes.
Bytes ExerciseStep(bool side_b, fuzz::ExerciseOp op, ByteSpan bytes) {
  Bytes step{fuzz::ExerciseStepOp(side_b, op), static_cast<uint8_t>(bytes.size() >> 8),
             static_cast<uint8_t>(bytes.size() & 0xff)};
  step.insert(step.end(), bytes.begin(), bytes.end());
  return step;
}

Bytes ExerciseRun(uint8_t setup, std::initializer_list<Bytes> steps) {
  Bytes run{setup};
  for (const Bytes& step : steps) run.insert(run.end(), step.begin(), step.end());
  return run;
}

std::vector<Seed> ExerciseSeeds() {
  // exercise_fuzz's setup byte, then its steps (exercise_fixture.h). The hostile partner's
  // envelopes are B's genuine commitment and reveal for an exercise A started and answered as
  // the target's setup kAStarted | kAAnswered has it, so they open under B's key.
  using protocol::ExerciseExchange;
  using protocol::ExerciseMessage;
  const std::string target = "exercise_fuzz";
  const auto step = ExerciseStep;
  constexpr bool kA = false, kB = true;
  auto [started, ask] = ExerciseExchange::Ask(fuzz::FuzzExerciseId(), fuzz::kFuzzExerciseName);
  ExerciseExchange a(started, fuzz::ExerciseSideKey(kA), fuzz::ExerciseSideKey(kB));
  ExerciseExchange b(ExerciseExchange::Asked(ask), fuzz::ExerciseSideKey(kB),
                     fuzz::ExerciseSideKey(kA));
  const ExerciseMessage a_commit =
      a.Answer("A's answer, given before", fuzz::ExerciseSideOpening(kA)).value().at(0);
  const ExerciseMessage b_commit =
      b.Answer("good: Sunday", fuzz::ExerciseSideOpening(kB)).value().at(0);
  const ExerciseMessage b_reveal = b.Receive(a_commit).value().at(0);
  ExerciseMessage forged = b_reveal;
  forged.answer = "good: Saturday";
  const Bytes none;
  const uint8_t a_answered = fuzz::kAStarted | fuzz::kAAnswered;
  return {
      {target, "honest_both_reveal",
       ExerciseRun(fuzz::kAStarted,
                   {step(kA, fuzz::kAnswerOp, attune::AsBytes("good: the walk")),
                    step(kB, fuzz::kDeliver, none),
                    step(kB, fuzz::kAnswerOp, attune::AsBytes("good: Sunday")),
                    step(kA, fuzz::kDeliver, none), step(kB, fuzz::kDeliver, none)})},
      {target, "hostile_partner_reveals",
       ExerciseRun(a_answered, {step(kA, fuzz::kHostile, Envelope(b_commit)),
                                step(kA, fuzz::kHostile, Envelope(b_reveal))})},
      {target, "hostile_reveal_mismatch",
       ExerciseRun(a_answered, {step(kA, fuzz::kHostile, Envelope(b_commit)),
                                step(kA, fuzz::kHostile, Envelope(forged))})},
      {target, "hostile_copies_own_commitment",
       ExerciseRun(a_answered, {step(kA, fuzz::kHostile, Envelope(a_commit)),
                                step(kA, fuzz::kHostile, Envelope(b_reveal))})},
      {target, "b_withdraws_before_a_answers",
       ExerciseRun(
           fuzz::kBAnswered,
           {step(kA, fuzz::kDeliver, none), step(kB, fuzz::kWithdrawOp, none),
            step(kA, fuzz::kDeliver, none), step(kA, fuzz::kAnswerOp, attune::AsBytes("late"))})},
      {target, "resend_after_cuts",
       ExerciseRun(fuzz::kAStarted | fuzz::kAAnswered | fuzz::kBAnswered,
                   {step(kA, fuzz::kResendOp, none), step(kB, fuzz::kDeliver, none),
                    step(kB, fuzz::kResendOp, none), step(kA, fuzz::kDeliver, none),
                    step(kA, fuzz::kResendOp, none), step(kB, fuzz::kDeliver, none)})},
  };
}

bool Write(const std::filesystem::path& root, const Seed& seed) {
  std::error_code error;
  std::filesystem::create_directories(root / seed.target, error);
  std::ofstream out(root / seed.target / seed.name, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(seed.bytes.data()),
            static_cast<std::streamsize>(seed.bytes.size()));
  out.close();
  return !error && out.good();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTDIR   (normally tests/fuzz/corpus)\n", argv[0]);
    return 2;
  }
  Check(attune::crypto::Init().ok());
  std::vector<Seed> seeds;
  for (auto make : {NoiseHandshakeSeeds, FrameDecoderSeeds, EnvelopeSeeds, SessionSeeds,
                    PairingSeeds, SyncEngineSeeds, SharedContentSeeds, DiscoverySeeds, BundleSeeds,
                    BackupSeeds, ExerciseSeeds}) {
    std::vector<Seed> more = make();
    seeds.insert(seeds.end(), more.begin(), more.end());
  }
  for (const Seed& seed : seeds) {
    if (!Write(argv[1], seed)) {
      std::fprintf(stderr, "cannot write %s/%s\n", seed.target.c_str(), seed.name.c_str());
      return 1;
    }
  }
  std::printf("wrote %zu seeds under %s\n", seeds.size(), argv[1]);
  return 0;
}
