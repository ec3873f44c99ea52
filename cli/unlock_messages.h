// What `attune unlock` and `attune lock` say, and the agent's failures in words (node/agent.h).
// Pure functions: tests/cli owns the wording; the end-to-end tests assert on codes and JSON.
#ifndef ATTUNE_CLI_UNLOCK_MESSAGES_H_
#define ATTUNE_CLI_UNLOCK_MESSAGES_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "node/clock.h"

namespace attune::cli {

// "15m", "90s", "2h": a whole number and one unit. kInvalidArgument (worded) otherwise.
Result<std::chrono::seconds> ParseHoldTime(std::string_view text);

// "15 minutes", "1 hour 30 minutes", "45 seconds".
std::string HoldTimeText(std::chrono::seconds hold);

// After `unlock`: until when (`until_local`, as LocalTime prints it), and how to lock sooner.
std::string UnlockedText(const std::string& until_local, std::chrono::seconds hold);
// `unlock` on a journal without a passphrase: there is nothing to hold.
std::string NothingToUnlockText();
// `lock`: whether an agent held the key.
std::string LockedText(bool was_unlocked);
// `unlock --status`.
std::string UnlockStatusText(std::optional<std::chrono::milliseconds> remaining);

// The agent's failures (node::AgentReason) in words; nullopt for other failures.
std::optional<std::string> ExplainAgentFailure(const Status& status);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_UNLOCK_MESSAGES_H_
