// attune's wire messages as plain structs, and their encoding.
//
// These structs are protocol's public face; the protobuf types generated from
// protocol/attune.proto stay private to protocol/. Every decoder here takes untrusted bytes from a
// peer: it never crashes on garbage and reports what is wrong with a code, never with the content.
//
// Versioning rules (docs/protocol.md section 3.3):
//  - The link protocol's version (kLinkProtocolVersion) travels in the handshake's Hello, and
//    its prologue names it: a node talks only to a partner of the same link version, and says
//    plainly when the partner's is older or newer.
//  - Within a link version, what a session may carry is negotiated as features: each Hello
//    lists the features its sender speaks, and each side sends only messages of the features
//    both listed (RequiredFeature). A receiver skips an envelope body it does not know.
//  - Envelope.version (kProtocolVersion) is the major of the envelope encoding itself, which
//    sessions and offline bundles share. It stays 1 across link versions, so that a bundle
//    written by either attune opens in both; a receiver refuses a higher one.
#ifndef ATTUNE_PROTOCOL_MESSAGES_H_
#define ATTUNE_PROTOCOL_MESSAGES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "protocol/exercise.h"

namespace attune::protocol {

// The envelope encoding's major version (see above), also sent in a PairRequest.
inline constexpr uint32_t kProtocolVersion = 1;

// The link protocol: its version, in the Hello, and its name, the Noise prologue.
inline constexpr uint32_t kLinkProtocolVersion = 2;
inline constexpr std::string_view kLinkProtocolName = "attune/2";
// The link protocol before it (Noise XX), which an older partner's attune still speaks.
inline constexpr uint32_t kLegacyLinkProtocolVersion = 1;
inline constexpr std::string_view kLegacyLinkProtocolName = "attune/1";

// Reasons (base/status.h) the protocol module attaches where one code covers several cases.
enum class ProtocolReason {
  kUnknownBody = 300,  // kUnsupported: an envelope without a body this build knows
  kPeerNewer = 301,    // kUnsupported: the peer's Hello names a newer link protocol
  kPeerOlder = 302,    // kUnsupported: the peer speaks the older link protocol (attune/1)
  kNotAdmitted = 303,  // kAuthFailed: the node refused a genuine first message (a replay)
};

// Features a Hello may list: what the sender's sessions can carry.
inline constexpr std::string_view kFeatureSync = "sync/1";          // SyncHello, SyncBatch, SyncAck
inline constexpr std::string_view kFeaturePing = "ping/1";          // Ping, Pong
inline constexpr std::string_view kFeatureOnion = "onion/1";        // OnionContact
inline constexpr std::string_view kFeatureExercise = "exercise/1";  // Exercise (exercise.h)
// At most this many features in a Hello, each 1 to kMaxFeatureBytes of printable ASCII.
inline constexpr size_t kMaxFeatures = 32;
inline constexpr size_t kMaxFeatureBytes = 32;
// Every feature this build speaks, in the order its Hello lists them.
std::vector<std::string> SupportedFeatures();

// The version of the Protocol Buffers runtime, e.g. "3.21.12". The library refuses at start-up
// to run with a runtime other than the one its generated code was made for, so the headers'
// version is the one running.
std::string ProtobufVersion();

// Longest display name, in bytes of UTF-8 (not characters). Names travel only at pairing.
inline constexpr size_t kMaxDisplayNameBytes = 64;

// The handshake payload: which link protocol the sender speaks and what its sessions carry.
// Names do not travel here: both partners know each other's from pairing.
struct HelloMessage {
  uint32_t protocol_version = kLinkProtocolVersion;
  uint16_t serve_port = 0;  // where the sender's `attune serve` listens; 0 if not announced
  bool one_shot = false;    // the sender closes after one exchange (sync, ping), not live
  // The initiator's handshake counter (docs/protocol.md 3.2); 0 in the responder's Hello.
  uint64_t handshake_counter = 0;
  std::vector<std::string> features = SupportedFeatures();

  bool operator==(const HelloMessage&) const = default;
};

struct PingMessage {
  uint64_t nonce = 0;

  bool operator==(const PingMessage&) const = default;
};

struct PongMessage {
  uint64_t nonce = 0;  // the nonce of the Ping being answered

  bool operator==(const PongMessage&) const = default;
};

// The sender closes the connection after this; not an error.
struct GoodbyeMessage {
  enum class Reason { kUnspecified, kFreshHandshake, kDone };
  Reason reason = Reason::kDone;
  bool operator==(const GoodbyeMessage&) const = default;
};

// ---- Sync (protocol/sync.h runs the exchange) ----

// A log epoch: 16 random bytes naming one numbering of a node's outgoing log.
inline constexpr size_t kEpochBytes = 16;
// An entry id: 32 lowercase hex digits.
inline constexpr size_t kEntryIdChars = 32;

struct SyncHelloMessage {
  Bytes epoch;               // the sender's log epoch (kEpochBytes)
  Bytes your_epoch;          // the receiver's epoch the sender applied rows of; empty: none
  uint64_t applied_seq = 0;  // the last seq of the receiver's log the sender applied (0: none)
  uint64_t last_seq = 0;     // the sender's last log seq at hello time (progress only; 0: unsaid)

  bool operator==(const SyncHelloMessage&) const = default;
};

// A log row or a fragment of one. Content is opaque here (node gives it meaning).
struct SyncRecord {
  uint64_t seq = 0;  // >= 1
  std::string entry_id;
  bool withdrawn = false;  // a tombstone: no content
  Bytes content;
  uint32_t part = 0;       // fragment number, from 0
  bool continues = false;  // more fragments of this row follow

  bool operator==(const SyncRecord&) const = default;
};

struct SyncBatchMessage {
  Bytes epoch;                // the sender's log epoch
  uint64_t batch_number = 0;  // 1, 2, ... per session and direction
  uint64_t after_seq = 0;     // the last complete row sent before this batch
  std::vector<SyncRecord> records;
  bool caught_up = false;  // the sender's log has nothing more for now

  bool operator==(const SyncBatchMessage&) const = default;
};

struct SyncAckMessage {
  Bytes epoch;                // the epoch of the log acknowledged (the receiver's own)
  uint64_t batch_number = 0;  // the last batch processed
  uint64_t applied_seq = 0;   // every row through this seq is applied and durable

  bool operator==(const SyncAckMessage&) const = default;
};

// How the sender is reached through Tor (feature onion/1), for a couple who paired before
// onion contacts travelled at pairing. Decoding checks the address strictly (its checksum and
// key: crypto/onion.h ParseOnionAddress, lowercase, no ".onion") and the key's length.
struct OnionContactMessage {
  std::string onion_address;
  Bytes client_key;  // 32 bytes

  bool operator==(const OnionContactMessage&) const = default;
};

// Any message sent after the handshake.
using Message =
    std::variant<PingMessage, PongMessage, GoodbyeMessage, SyncHelloMessage, SyncBatchMessage,
                 SyncAckMessage, OnionContactMessage, ExerciseMessage>;

// The feature both sides must have listed for `message` to be sent ("" for Goodbye: always).
std::string_view RequiredFeature(const Message& message);

// The encoded size of `record` inside a batch (tag, length and fields), for packing batches.
size_t EncodedRecordBytes(const SyncRecord& record);

// kInvalidArgument if protocol_version is 0 or a feature is malformed (see kMaxFeatures).
Result<Bytes> EncodeHello(const HelloMessage& hello);

// kCorruption for unparsable bytes, input longer than one frame, a missing (zero)
// protocol_version, a serve_port above 65535, or malformed features. Fields this build does not
// know are skipped, so a legacy (attune/1) Hello decodes too, without its display name. The
// version is returned as sent, even if higher than ours: negotiating (and refusing) it is the
// handshake's decision.
Result<HelloMessage> DecodeHello(ByteSpan bytes);

// Encodes `message` in an envelope stamped with kProtocolVersion. kInvalidArgument if the
// encoding would not fit in one frame (kMaxFrameBytes).
Result<Bytes> EncodeEnvelope(const Message& message);

// kCorruption for unparsable bytes, input longer than one frame, or a missing (zero) version,
// or a sync message whose fields are malformed (an epoch that is not 16 bytes, an entry id that is
// not 32 lowercase hex digits, a zero seq or batch number, a tombstone with content);
// kUnsupported for a version above kProtocolVersion, and kUnsupported with
// ProtocolReason::kUnknownBody for an envelope without a body this build knows (e.g. one a newer
// peer added): a session skips those, a bundle refuses them.
Result<Message> DecodeEnvelope(ByteSpan bytes);

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_MESSAGES_H_
