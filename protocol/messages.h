// attune's wire messages as plain structs, and their encoding.
//
// These structs are protocol's public face; the protobuf types generated from
// protocol/attune.proto stay private to protocol/. Every decoder here takes untrusted bytes from a
// peer: it never crashes on garbage and reports what is wrong with a code, never with the content.
//
// Versioning rule: Envelope carries the protocol's major version (kProtocolVersion). A receiver
// refuses an envelope whose major is higher than its own with kUnsupported; compatible changes
// keep the major and add fields, which older receivers skip (unknown fields are tolerated).
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

namespace attune::protocol {

inline constexpr uint32_t kProtocolVersion = 1;
inline constexpr std::string_view kProtocolName = "attune/1";

// The version of the Protocol Buffers runtime, e.g. "3.21.12". The library refuses at start-up
// to run with a runtime other than the one its generated code was made for, so the headers'
// version is the one running.
std::string ProtobufVersion();

// Longest display name, in bytes of UTF-8 (not characters).
inline constexpr size_t kMaxDisplayNameBytes = 64;

// The handshake payload: who is speaking and which protocol major it speaks.
struct HelloMessage {
  uint32_t protocol_version = kProtocolVersion;
  std::string display_name;  // UTF-8 without control characters, at most kMaxDisplayNameBytes
  uint16_t serve_port = 0;   // where the sender's `attune serve` listens; 0 if not announced
  bool one_shot = false;     // the sender closes after one exchange (sync, ping), not live

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

// Any message sent after the handshake.
using Message = std::variant<PingMessage, PongMessage, GoodbyeMessage, SyncHelloMessage,
                             SyncBatchMessage, SyncAckMessage>;

// The encoded size of `record` inside a batch (tag, length and fields), for packing batches.
size_t EncodedRecordBytes(const SyncRecord& record);

// kInvalidArgument if protocol_version is 0, or display_name is too long or not valid UTF-8.
Result<Bytes> EncodeHello(const HelloMessage& hello);

// kCorruption for unparsable bytes, input longer than one frame, a missing (zero) protocol_version,
// a serve_port above 65535, or a display name that is too long or not valid UTF-8. The version is
// returned as sent, even if higher than ours: negotiating (and refusing) it is the handshake's
// decision.
Result<HelloMessage> DecodeHello(ByteSpan bytes);

// Encodes `message` in an envelope stamped with kProtocolVersion. kInvalidArgument if the
// encoding would not fit in one frame (kMaxFrameBytes).
Result<Bytes> EncodeEnvelope(const Message& message);

// kCorruption for unparsable bytes, input longer than one frame, or a missing (zero) version,
// or a sync message whose fields are malformed (an epoch that is not 16 bytes, an entry id that is
// not 32 lowercase hex digits, a zero seq or batch number, a tombstone with content);
// kUnsupported for a version above kProtocolVersion or an envelope without a body this build
// knows (e.g. one a newer peer added).
Result<Message> DecodeEnvelope(ByteSpan bytes);

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_MESSAGES_H_
