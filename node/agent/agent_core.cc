#include "node/agent/agent_core.h"

#include <algorithm>
#include <utility>

namespace attune::node::agent {
namespace {

constexpr size_t kStateBytes = 1 + 8 + 4;

Secret OneByte(uint8_t kind) {
  Secret reply(1);
  reply.data()[0] = kind;
  return reply;
}

void PutBigEndian(uint64_t value, std::span<uint8_t> out) {
  for (size_t i = out.size(); i-- > 0;) {
    out[i] = static_cast<uint8_t>(value & 0xff);
    value >>= 8;
  }
}

uint64_t GetBigEndian(std::span<const uint8_t> in) {
  uint64_t value = 0;
  for (uint8_t byte : in) value = (value << 8) | byte;
  return value;
}

}  // namespace

AgentCore::AgentCore(Secret key, int64_t deadline_ms, uint32_t owner_uid, int pid)
    : key_(std::move(key)), deadline_ms_(deadline_ms), owner_uid_(owner_uid), pid_(pid) {}

Answer AgentCore::Handle(std::span<const uint8_t> request, int64_t now_ms, uint32_t caller_uid) {
  if (caller_uid != owner_uid_) return {OneByte(kReplyRefused), false};
  // The timer may be late (a busy machine); the deadline holds at every request regardless.
  if (now_ms >= deadline_ms_) Forget();
  if (!holds_key()) return {OneByte(kReplyNoKey), true};
  if (request.size() != 1) return {OneByte(kReplyUnknown), false};
  switch (request[0]) {
    case kAskKey: {
      Secret reply(1 + key_.size());
      reply.data()[0] = kReplyKey;
      std::copy(key_.span().begin(), key_.span().end(), reply.data() + 1);
      return {std::move(reply), false};
    }
    case kAskState: {
      Secret reply(kStateBytes);
      reply.data()[0] = kReplyState;
      PutBigEndian(static_cast<uint64_t>(deadline_ms_ - now_ms),
                   reply.mutable_span().subspan(1, 8));
      PutBigEndian(static_cast<uint32_t>(pid_), reply.mutable_span().subspan(9, 4));
      return {std::move(reply), false};
    }
    case kAskForget:
      Forget();
      return {OneByte(kReplyForgotten), true};
    default:
      return {OneByte(kReplyUnknown), false};
  }
}

Result<AgentReply> ParseAgentReply(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return Status::Corruption("the agent's reply is empty");
  AgentReply reply;
  reply.kind = bytes[0];
  const std::span<const uint8_t> rest = bytes.subspan(1);
  switch (reply.kind) {
    case kReplyKey:
      if (rest.size() != kKeyBytes) return Status::Corruption("the agent's key has a wrong size");
      reply.key = Secret::CopyOf(rest);
      return reply;
    case kReplyState:
      if (bytes.size() != kStateBytes) return Status::Corruption("the agent's state is malformed");
      reply.remaining_ms = static_cast<int64_t>(GetBigEndian(rest.subspan(0, 8)));
      reply.pid = static_cast<int>(GetBigEndian(rest.subspan(8, 4)));
      if (reply.remaining_ms < 0 || reply.pid <= 0) {
        return Status::Corruption("the agent's state is out of range");
      }
      return reply;
    case kReplyForgotten:
    case kReplyNoKey:
    case kReplyRefused:
    case kReplyUnknown:
      if (!rest.empty()) return Status::Corruption("the agent's reply is too long");
      return reply;
    default:
      return Status::Corruption("the agent's reply is of an unknown kind");
  }
}

}  // namespace attune::node::agent
