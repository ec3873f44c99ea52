// Feeds arbitrary bytes to what the unlock agent and its client parse (node/agent): the
// client's reading of a reply and of a start report, and the agent's core answering requests.
// The core must never give its key to another user, nor after its deadline, nor after "forget".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "crypto/random.h"
#include "crypto/sodium.h"
#include "node/agent/agent_core.h"
#include "node/agent/agent_process.h"

namespace {

namespace agent = attune::node::agent;

void Check(bool condition) {
  if (!condition) std::abort();
}

void FuzzReply(attune::ByteSpan bytes) {
  attune::Result<agent::AgentReply> reply = agent::ParseAgentReply(bytes);
  if (!reply.ok()) {
    Check(reply.status().code() == attune::StatusCode::kCorruption);
    return;
  }
  if (reply->kind == agent::kReplyKey) Check(reply->key.size() == agent::kKeyBytes);
  if (reply->kind == agent::kReplyState) Check(reply->remaining_ms >= 0 && reply->pid > 0);
}

void FuzzStartReport(attune::ByteSpan bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  attune::Result<int> pid = agent::ParseStartReport(text);
  Check(!pid.ok() || *pid > 0);
  Check(pid.ok() || pid.status().code() == attune::StatusCode::kIoError);
}

// Each step: a caller (owner or not), a time step, and a request byte.
void FuzzCore(attune::ByteSpan bytes) {
  constexpr uint32_t kOwner = 1000;
  constexpr int64_t kDeadline = 1000;
  agent::AgentCore core(attune::crypto::RandomSecret(agent::kKeyBytes), kDeadline, kOwner, 7);
  int64_t now = 0;
  bool forgotten = false;
  for (size_t at = 0; at + 3 <= bytes.size(); at += 3) {
    const uint32_t caller = (bytes[at] & 1) ? kOwner : kOwner + bytes[at];
    now += bytes[at + 1];
    const uint8_t request[1] = {bytes[at + 2]};
    agent::Answer answer = core.Handle(request, now, caller);
    Check(!answer.reply.empty());
    const bool gave_key = answer.reply.data()[0] == agent::kReplyKey;
    if (gave_key) Check(caller == kOwner && now < kDeadline && !forgotten);
    if (answer.end) forgotten = true;
    Check(core.holds_key() != forgotten);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool ready = attune::crypto::Init().ok();
  Check(ready);
  if (size == 0) return 0;
  const attune::ByteSpan rest(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      FuzzReply(rest);
      break;
    case 1:
      FuzzStartReport(rest);
      break;
    default:
      FuzzCore(rest);
      break;
  }
  return 0;
}
