#include "protocol/messages.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "crypto/onion.h"
#include "protocol/frame.h"
#include "tests/common/status_assertions.h"

namespace attune::protocol {
namespace {

// Protobuf wire bytes are written out by hand below so the tests pin the format independently of
// the generated code. Tag byte = field_number << 3 | wire_type (0 varint, 2 length-delimited).
constexpr uint8_t kVersionTag = 0x08;      // field 1, varint (Envelope.version, Hello.version)
constexpr uint8_t kDisplayNameTag = 0x12;  // field 2, length-delimited
constexpr uint8_t kPingTag = 0x52;         // field 10, length-delimited
constexpr uint8_t kNonceTag = 0x08;        // field 1, varint (Ping.nonce, Pong.nonce)
// Field 999, length-delimited (a two-byte tag): a body no version of attune defines yet.
constexpr uint8_t kFutureBodyTag[] = {0xBA, 0x3E};

Bytes Append(Bytes bytes, ByteSpan more) {
  bytes.insert(bytes.end(), more.begin(), more.end());
  return bytes;
}

void ExpectCode(const Status& status, StatusCode code) {
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), code) << status.detail();
}

TEST(ProtocolConstantsTest, NamesCarryTheVersions) {
  EXPECT_EQ(kLinkProtocolName, "attune/" + std::to_string(kLinkProtocolVersion));
  EXPECT_EQ(kLegacyLinkProtocolName, "attune/" + std::to_string(kLegacyLinkProtocolVersion));
  EXPECT_EQ(kLinkProtocolVersion, 2u);
  // Envelopes (and so bundles) keep major version 1 across link versions.
  EXPECT_EQ(kProtocolVersion, 1u);
}

TEST(HelloTest, RoundTrips) {
  for (const HelloMessage& hello :
       {HelloMessage{}, HelloMessage{kLinkProtocolVersion, 47017, true, 1767225600000, {}},
        HelloMessage{7, 0, false, std::numeric_limits<uint64_t>::max(), {"x/1"}},
        HelloMessage{kLinkProtocolVersion, 1, false, 0,
                     std::vector<std::string>(kMaxFeatures, std::string(kMaxFeatureBytes, 'f'))}}) {
    Result<Bytes> bytes = EncodeHello(hello);
    ASSERT_TRUE(bytes.ok()) << bytes.status().detail();
    Result<HelloMessage> decoded = DecodeHello(*bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().detail();
    EXPECT_EQ(*decoded, hello);
  }
}

TEST(HelloTest, ADefaultHelloSpeaksThisVersionAndEveryFeature) {
  const HelloMessage hello;
  EXPECT_EQ(hello.protocol_version, kLinkProtocolVersion);
  EXPECT_EQ(hello.features,
            (std::vector<std::string>{"sync/1", "ping/1", "onion/1", "exercise/1"}));
  EXPECT_EQ(SupportedFeatures(), hello.features);
}

TEST(HelloTest, WireBytesAreStable) {
  // version 2, serve_port 47017 (varint a9 ef 02), one_shot, handshake_counter as 8 bytes
  // little-endian (fixed64: its size never varies), then each feature.
  HelloMessage hello{kLinkProtocolVersion, 47017, true, 0x0102030405060708, {"sync/1"}};
  ASSERT_OK_AND_ASSIGN(Bytes bytes, EncodeHello(hello));
  const Bytes expected = {0x08, 0x02, 0x18, 0xa9, 0xef, 0x02, 0x20, 0x01, 0x29,
                          0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x32,
                          0x06, 's',  'y',  'n',  'c',  '/',  '1'};
  EXPECT_EQ(ToHex(bytes), ToHex(expected));
}

TEST(HelloTest, AnAttune1HelloDecodesWithoutItsName) {
  // version 1, display_name "Sam" (field 2, no longer read), serve_port 42.
  const Bytes legacy = {kVersionTag, 0x01, kDisplayNameTag, 0x03, 'S', 'a', 'm', 0x18, 0x2a};
  ASSERT_OK_AND_ASSIGN(HelloMessage hello, DecodeHello(legacy));
  EXPECT_EQ(hello.protocol_version, kLegacyLinkProtocolVersion);
  EXPECT_EQ(hello.serve_port, 42);
  EXPECT_TRUE(hello.features.empty());
  EXPECT_EQ(hello.handshake_counter, 0u);
}

TEST(HelloTest, EncodeRejectsZeroVersion) {
  ExpectCode(EncodeHello({0}).status(), StatusCode::kInvalidArgument);
}

TEST(HelloTest, MalformedFeaturesAreRefusedBothWays) {
  const std::vector<std::vector<std::string>> bad = {
      {""},         {"sync 1"},        {std::string(kMaxFeatureBytes + 1, 'f')},
      {"a\x1b[2J"}, {"caf\xc3\xa9/1"}, std::vector<std::string>(kMaxFeatures + 1, "f/1"),
  };
  for (const std::vector<std::string>& features : bad) {
    HelloMessage hello;
    hello.features = features;
    ExpectCode(EncodeHello(hello).status(), StatusCode::kInvalidArgument);
    // The same bytes from a peer: field 6, length-delimited, each.
    Bytes raw = {kVersionTag, 0x02};
    for (const std::string& feature : features) {
      raw = Append(raw, Bytes{0x32, static_cast<uint8_t>(feature.size())});
      raw = Append(raw, AsBytes(feature));
    }
    ExpectCode(DecodeHello(raw).status(), StatusCode::kCorruption);
  }
}

TEST(HelloTest, DecodeRejectsMissingVersionAndAPortOutOfRange) {
  ExpectCode(DecodeHello(Bytes{0x18, 0x01}).status(), StatusCode::kCorruption);
  ExpectCode(DecodeHello(Bytes{kVersionTag, 0x02, 0x18, 0x80, 0x80, 0x04}).status(),
             StatusCode::kCorruption);
}

TEST(HelloTest, DecodeLeavesVersionNegotiationToTheCaller) {
  Result<HelloMessage> hello = DecodeHello(Bytes{kVersionTag, 0x09});
  ASSERT_TRUE(hello.ok()) << hello.status().detail();
  EXPECT_EQ(hello->protocol_version, 9u);
}

TEST(FeatureTest, EveryMessageNeedsItsFeatureButGoodbye) {
  EXPECT_EQ(RequiredFeature(PingMessage{}), kFeaturePing);
  EXPECT_EQ(RequiredFeature(PongMessage{}), kFeaturePing);
  EXPECT_EQ(RequiredFeature(GoodbyeMessage{}), "");
  EXPECT_EQ(RequiredFeature(SyncHelloMessage{}), kFeatureSync);
  EXPECT_EQ(RequiredFeature(SyncBatchMessage{}), kFeatureSync);
  EXPECT_EQ(RequiredFeature(SyncAckMessage{}), kFeatureSync);
  EXPECT_EQ(RequiredFeature(OnionContactMessage{}), kFeatureOnion);
  EXPECT_EQ(RequiredFeature(ExerciseMessage{}), kFeatureExercise);
}

const std::string kExerciseId = "0123456789abcdef0123456789abcdef";

TEST(ExerciseMessageTest, EachKindRoundTrips) {
  using Kind = ExerciseMessage::Kind;
  const std::vector<ExerciseMessage> messages = {
      {.kind = Kind::kAsk, .exercise_id = kExerciseId, .exercise = "check-in"},
      {.kind = Kind::kCommit, .exercise_id = kExerciseId, .commitment = Bytes(32, 7)},
      {.kind = Kind::kReveal,
       .exercise_id = kExerciseId,
       .opening = Bytes(32, 9),
       .answer = "Je me sens écouté."},
      {.kind = Kind::kReveal, .exercise_id = kExerciseId, .opening = Bytes(32, 9), .answer = ""},
      {.kind = Kind::kWithdraw, .exercise_id = kExerciseId},
  };
  for (const ExerciseMessage& message : messages) {
    ASSERT_OK_AND_ASSIGN(Bytes bytes, EncodeEnvelope(message));
    ASSERT_OK_AND_ASSIGN(Message decoded, DecodeEnvelope(bytes));
    EXPECT_EQ(decoded, Message{message});
  }
}

TEST(ExerciseMessageTest, OnlyTheFieldsOfItsKindAtTheirSizes) {
  using Kind = ExerciseMessage::Kind;
  const std::vector<ExerciseMessage> malformed = {
      {.kind = Kind::kAsk, .exercise_id = "0123", .exercise = "check-in"},
      {.kind = Kind::kAsk, .exercise_id = kExerciseId, .exercise = ""},
      {.kind = Kind::kAsk, .exercise_id = kExerciseId, .exercise = "Check In"},
      {.kind = Kind::kAsk, .exercise_id = kExerciseId, .exercise = std::string(33, 'a')},
      {.kind = Kind::kAsk, .exercise_id = kExerciseId, .exercise = "x", .commitment = Bytes(32)},
      {.kind = Kind::kCommit, .exercise_id = kExerciseId, .commitment = Bytes(31, 7)},
      {.kind = Kind::kCommit,
       .exercise_id = kExerciseId,
       .commitment = Bytes(32, 7),
       .answer = "peek"},
      {.kind = Kind::kReveal, .exercise_id = kExerciseId, .opening = Bytes(16, 9), .answer = "a"},
      {.kind = Kind::kReveal,
       .exercise_id = kExerciseId,
       .opening = Bytes(32, 9),
       .answer = "caf\xe9"},
      {.kind = Kind::kReveal,
       .exercise_id = kExerciseId,
       .opening = Bytes(32, 9),
       .answer = std::string(kMaxExerciseAnswerBytes + 1, 'a')},
      {.kind = Kind::kWithdraw, .exercise_id = kExerciseId, .exercise = "check-in"},
      {.kind = Kind::kWithdraw, .exercise_id = "0123456789ABCDEF0123456789ABCDEF"},
  };
  for (const ExerciseMessage& bad : malformed) {
    ASSERT_OK_AND_ASSIGN(Bytes encoded, EncodeEnvelope(bad));
    ExpectCode(DecodeEnvelope(encoded).status(), StatusCode::kCorruption);
  }
}

// A node's own onion address and a client key, as a node sends them.
OnionContactMessage SomeOnionContact() {
  const crypto::OnionServiceKey key = crypto::OnionServiceKey::Generate();
  return OnionContactMessage{crypto::OnionAddress(key.public_key()), Bytes(32, 0x42)};
}

TEST(OnionContactTest, RoundTripsAndRefusesAnythingButAnAddressAsANodeSendsIt) {
  const OnionContactMessage contact = SomeOnionContact();
  ASSERT_OK_AND_ASSIGN(Bytes bytes, EncodeEnvelope(contact));
  ASSERT_OK_AND_ASSIGN(Message decoded, DecodeEnvelope(bytes));
  EXPECT_EQ(decoded, Message{contact});

  std::string upper = contact.onion_address;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string wrong_checksum = contact.onion_address;
  wrong_checksum[50] = wrong_checksum[50] == 'a' ? 'b' : 'a';
  const std::vector<OnionContactMessage> malformed = {
      {contact.onion_address + ".onion", contact.client_key},
      {upper, contact.client_key},
      {wrong_checksum, contact.client_key},
      {contact.onion_address.substr(1), contact.client_key},
      {"", contact.client_key},
      {contact.onion_address, Bytes(31, 0x42)},
      {contact.onion_address, Bytes()},
  };
  for (const OnionContactMessage& bad : malformed) {
    ASSERT_OK_AND_ASSIGN(Bytes encoded, EncodeEnvelope(bad));
    ExpectCode(DecodeEnvelope(encoded).status(), StatusCode::kCorruption);
  }
}

TEST(EnvelopeTest, RoundTripsEveryBody) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  for (const Message& message : {Message{PingMessage{0}}, Message{PingMessage{kMax}},
                                 Message{PongMessage{1}}, Message{PongMessage{kMax}}}) {
    Result<Bytes> bytes = EncodeEnvelope(message);
    ASSERT_TRUE(bytes.ok()) << bytes.status().detail();
    Result<Message> decoded = DecodeEnvelope(*bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().detail();
    EXPECT_EQ(*decoded, message);
  }
}

TEST(EnvelopeTest, WireBytesAreStable) {
  Result<Bytes> bytes = EncodeEnvelope(PingMessage{42});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(ToHex(*bytes), ToHex(Bytes{kVersionTag, 0x01, kPingTag, 0x02, kNonceTag, 0x2a}));
}

TEST(EnvelopeTest, ToleratesUnknownFields) {
  // Field 99 (varint) at the top level and field 15 (length-delimited) inside the Ping.
  Bytes bytes = {kVersionTag, 0x01, 0x98, 0x06, 0x07, kPingTag, 0x06,
                 kNonceTag,   0x2a, 0x7a, 0x02, 'h',  'i'};
  Result<Message> message = DecodeEnvelope(bytes);
  ASSERT_TRUE(message.ok()) << message.status().detail();
  EXPECT_EQ(*message, Message{PingMessage{42}});
}

TEST(EnvelopeTest, UnknownBodyIsUnsupportedWithItsReason) {
  Bytes bytes = {kVersionTag, 0x01, kFutureBodyTag[0], kFutureBodyTag[1], 0x02, kNonceTag, 0x01};
  ExpectCode(DecodeEnvelope(bytes).status(), StatusCode::kUnsupported);
  EXPECT_TRUE(DecodeEnvelope(bytes).status().Is(ProtocolReason::kUnknownBody));
}

TEST(EnvelopeTest, MissingBodyIsUnsupported) {
  ExpectCode(DecodeEnvelope(Bytes{kVersionTag, 0x01}).status(), StatusCode::kUnsupported);
  EXPECT_TRUE(DecodeEnvelope(Bytes{kVersionTag, 0x01}).status().Is(ProtocolReason::kUnknownBody));
}

TEST(EnvelopeTest, NewerMajorVersionIsUnsupported) {
  Bytes bytes = {kVersionTag, kProtocolVersion + 1, kPingTag, 0x00};
  ExpectCode(DecodeEnvelope(bytes).status(), StatusCode::kUnsupported);
}

TEST(EnvelopeTest, MissingVersionIsCorruption) {
  ExpectCode(DecodeEnvelope(Bytes{kPingTag, 0x00}).status(), StatusCode::kCorruption);
  ExpectCode(DecodeEnvelope(Bytes()).status(), StatusCode::kCorruption);
}

TEST(EnvelopeTest, GarbageIsCorruption) {
  const std::vector<Bytes> cases = {
      {0xff},                                     // a tag that never ends
      {kVersionTag},                              // a varint cut short
      {0x0f, 0x01},                               // wire type 7 does not exist
      {0x00, 0x00},                               // field number 0 is invalid
      {kVersionTag, 0x01, kPingTag, 0x05, 0x08},  // a body longer than the input
      {kVersionTag, 0x01, kPingTag, 0x01, 0xff},  // a body holding a broken tag
  };
  for (const Bytes& bytes : cases) {
    SCOPED_TRACE(ToHex(bytes));
    ExpectCode(DecodeEnvelope(bytes).status(), StatusCode::kCorruption);
  }
}

TEST(HelloTest, GarbageIsCorruption) {
  // Only top-level damage: to a Hello, field 10 is an unknown field it may skip.
  const std::vector<Bytes> cases = {{0xff},
                                    {kVersionTag},
                                    {0x0f, 0x01},
                                    {0x00, 0x00},
                                    {kVersionTag, 0x01, kDisplayNameTag, 0x04, 'a'}};
  for (const Bytes& bytes : cases) {
    SCOPED_TRACE(ToHex(bytes));
    ExpectCode(DecodeHello(bytes).status(), StatusCode::kCorruption);
  }
}

TEST(EnvelopeTest, InputLongerThanAFrameIsCorruption) {
  Bytes bytes = Append({kVersionTag, 0x01, kPingTag, 0x00}, Bytes(kMaxFrameBytes, 0x00));
  ExpectCode(DecodeEnvelope(bytes).status(), StatusCode::kCorruption);
}

TEST(EnvelopeTest, PseudoRandomBytesNeverCrash) {
  uint32_t state = 0x2545f491;  // a fixed seed keeps the test reproducible
  for (int round = 0; round < 2000; ++round) {
    Bytes bytes(static_cast<size_t>(round % 40));
    for (uint8_t& byte : bytes) {
      state = state * 1664525u + 1013904223u;
      byte = static_cast<uint8_t>(state >> 24);
    }
    Result<Message> message = DecodeEnvelope(bytes);
    if (!message.ok()) {
      StatusCode code = message.status().code();
      EXPECT_TRUE(code == StatusCode::kCorruption || code == StatusCode::kUnsupported)
          << ToHex(bytes);
    }
  }
}

// ---- Sync messages ----

const Bytes kEpochA(kEpochBytes, 0xa1);
const Bytes kEpochB(kEpochBytes, 0xb2);
const std::string kId = "0123456789abcdef0123456789abcdef";

SyncBatchMessage SampleBatch() {
  SyncBatchMessage batch{kEpochA, 3, 41, {}, true};
  batch.records.push_back({42, kId, false, Bytes{'{', '}'}, 0, false});
  batch.records.push_back({43, "ffffffffffffffffffffffffffffffff", true, {}, 0, false});
  batch.records.push_back({44, kId, false, Bytes(100, 'x'), 2, true});
  return batch;
}

TEST(SyncMessagesTest, RoundTripEveryBody) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  for (const Message& message :
       {Message{SyncHelloMessage{kEpochA, {}, 0}},
        Message{SyncHelloMessage{kEpochA, kEpochB, kMax, kMax}},
        Message{SyncHelloMessage{kEpochA, kEpochB, 3, 17}}, Message{SampleBatch()},
        Message{SyncBatchMessage{kEpochB, 1, 0, {}, true}},
        Message{SyncAckMessage{kEpochB, kMax, 17}}}) {
    Result<Bytes> bytes = EncodeEnvelope(message);
    ASSERT_TRUE(bytes.ok()) << bytes.status().detail();
    Result<Message> decoded = DecodeEnvelope(*bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status().detail();
    EXPECT_EQ(*decoded, message);
  }
}

// The engine packs batches with EncodedRecordBytes; it must never undercount what a record adds.
// (The batch's own length prefix in the envelope grows too, by at most 2 bytes up to a frame;
// the engine counts that in its fixed per-batch overhead, so the base batch here is already
// past the 3-byte prefix size.)
TEST(SyncMessagesTest, EncodedRecordBytesCoversWhatARecordAdds) {
  for (size_t content : {size_t{0}, size_t{1}, size_t{127}, size_t{128}, size_t{16383},
                         size_t{16384}, size_t{40000}}) {
    SyncBatchMessage batch{kEpochA, 1, 0, {{1, kId, false, Bytes(20000, 'b'), 0, false}}, false};
    ASSERT_OK_AND_ASSIGN(Bytes base, EncodeEnvelope(batch));
    SyncRecord record{uint64_t{1} << 40, kId, false, Bytes(content, 'c'), 7, true};
    batch.records.push_back(record);
    ASSERT_OK_AND_ASSIGN(Bytes more, EncodeEnvelope(batch));
    EXPECT_GE(EncodedRecordBytes(record), more.size() - base.size()) << content;
    EXPECT_LE(EncodedRecordBytes(record), more.size() - base.size() + 4) << content;
  }
}

TEST(SyncMessagesTest, DecoderRejectsMalformedFields) {
  auto reject = [](const Message& message, const char* why) {
    Result<Bytes> bytes = EncodeEnvelope(message);
    ASSERT_TRUE(bytes.ok()) << why;
    ExpectCode(DecodeEnvelope(*bytes).status(), StatusCode::kCorruption);
  };
  reject(SyncHelloMessage{Bytes(15, 1), {}, 0}, "short epoch");
  reject(SyncHelloMessage{kEpochA, Bytes(17, 1), 3}, "long your_epoch");
  reject(SyncHelloMessage{kEpochA, {}, 3}, "applied rows of no epoch");
  reject(SyncAckMessage{kEpochA, 0, 1}, "ack without batch number");
  reject(SyncAckMessage{{}, 1, 1}, "ack without epoch");
  reject(SyncBatchMessage{kEpochA, 0, 0, {}, true}, "batch without number");
  for (SyncRecord bad :
       {SyncRecord{0, kId, false, {}, 0, false},
        SyncRecord{1, "0123456789ABCDEF0123456789ABCDEF", false, {}, 0, false},
        SyncRecord{1, kId + "0", false, {}, 0, false},
        SyncRecord{1, kId, true, Bytes{'x'}, 0, false}, SyncRecord{1, kId, true, {}, 1, false},
        SyncRecord{1, kId, true, {}, 0, true}}) {
    SyncBatchMessage batch{kEpochA, 1, 0, {bad}, false};
    reject(batch, "bad record");
  }
}

}  // namespace
}  // namespace attune::protocol
