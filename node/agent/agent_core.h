// The unlock agent's decisions, without I/O (node/agent.h): what to answer to a request's bytes,
// given the time and who asks. The driver (agent_server.cc) reads the request, asks the core and
// writes the reply; the client (agent_client.cc) parses the reply.
//
// The exchange is one request and one reply per connection. A request is one byte:
//   'k' the key          -> 'K' and the 32-byte data key
//   's' the agent's state -> 'S', the remaining hold in milliseconds (8 bytes, big-endian) and
//                            the agent's process id (4 bytes, big-endian)
//   'f' forget the key    -> 'F'; the agent then ends
// Any other request is answered 'E'; a caller of another user 'R'; and once the hold has run out
// every request is answered 'N' (the key is forgotten then, whatever the timer did).
#ifndef ATTUNE_NODE_AGENT_AGENT_CORE_H_
#define ATTUNE_NODE_AGENT_AGENT_CORE_H_

#include <cstdint>
#include <optional>
#include <span>

#include "base/status.h"
#include "node/secret.h"

namespace attune::node::agent {

inline constexpr uint8_t kAskKey = 'k';
inline constexpr uint8_t kAskState = 's';
inline constexpr uint8_t kAskForget = 'f';

inline constexpr uint8_t kReplyKey = 'K';
inline constexpr uint8_t kReplyState = 'S';
inline constexpr uint8_t kReplyForgotten = 'F';
inline constexpr uint8_t kReplyNoKey = 'N';
inline constexpr uint8_t kReplyRefused = 'R';
inline constexpr uint8_t kReplyUnknown = 'E';

inline constexpr size_t kKeyBytes = 32;
// The longest reply: the key's.
inline constexpr size_t kMaxReplyBytes = 1 + kKeyBytes;

struct Answer {
  Secret reply;      // in secure memory: it may be the key
  bool end = false;  // the agent has forgotten its key and ends after sending this
};

class AgentCore {
 public:
  // Holds `key` (kKeyBytes) until `deadline_ms`, by a clock that only moves forward; answers
  // only callers of user `owner_uid`; `pid` is reported in its state.
  AgentCore(Secret key, int64_t deadline_ms, uint32_t owner_uid, int pid);

  Answer Handle(std::span<const uint8_t> request, int64_t now_ms, uint32_t caller_uid);

  // For the timer and for signals: wipes the key.
  void Forget() { key_ = Secret(); }
  bool holds_key() const { return !key_.empty(); }
  int64_t deadline_ms() const { return deadline_ms_; }

 private:
  Secret key_;
  int64_t deadline_ms_;
  uint32_t owner_uid_;
  int pid_;
};

// A reply as the client reads it.
struct AgentReply {
  uint8_t kind = 0;          // one of the kReply* bytes
  Secret key;                // kReplyKey
  int64_t remaining_ms = 0;  // kReplyState
  int pid = 0;               // kReplyState
};

// kCorruption for bytes that are not a whole reply of a known kind with its exact length.
Result<AgentReply> ParseAgentReply(std::span<const uint8_t> bytes);

}  // namespace attune::node::agent

#endif  // ATTUNE_NODE_AGENT_AGENT_CORE_H_
