#include "cli/unlock_messages.h"

#include <charconv>

#include "cli/messages.h"
#include "node/agent.h"

namespace attune::cli {
namespace {

std::string Counted(int64_t count, std::string_view unit) {
  return std::to_string(count) + " " + std::string(unit) + (count == 1 ? "" : "s");
}

Status BadHoldTime(std::string_view text) {
  return Status::InvalidArgument("\"" + std::string(text) +
                                 "\" is not a time to stay unlocked: give a whole number and a "
                                 "unit, such as 90s, 15m or 2h (at most 24h).")
      .WithReason(CliReason::kWorded);
}

}  // namespace

Result<std::chrono::seconds> ParseHoldTime(std::string_view text) {
  if (text.size() < 2) return BadHoldTime(text);
  int64_t count = 0;
  const char* begin = text.data();
  const char* unit = text.data() + text.size() - 1;
  const auto [end, error] = std::from_chars(begin, unit, count);
  if (error != std::errc() || end != unit || count <= 0) return BadHoldTime(text);
  int64_t per_unit = 0;
  switch (*unit) {
    case 's':
      per_unit = 1;
      break;
    case 'm':
      per_unit = 60;
      break;
    case 'h':
      per_unit = 3600;
      break;
    default:
      return BadHoldTime(text);
  }
  const int64_t most = node::kAgentMaxHold.count() / per_unit;
  if (count > most) return BadHoldTime(text);
  return std::chrono::seconds(count * per_unit);
}

std::string HoldTimeText(std::chrono::seconds hold) {
  const int64_t total = hold.count();
  const int64_t hours = total / 3600, minutes = total % 3600 / 60, seconds = total % 60;
  std::string said;
  auto add = [&said](int64_t count, std::string_view unit) {
    if (count == 0) return;
    if (!said.empty()) said += " ";
    said += Counted(count, unit);
  };
  add(hours, "hour");
  add(minutes, "minute");
  add(seconds, "second");
  return said.empty() ? Counted(0, "second") : said;
}

std::string UnlockedText(const std::string& until_local, std::chrono::seconds hold) {
  return "Unlocked for " + HoldTimeText(hold) + ", until " + until_local +
         ". Until then, attune commands on this journal do not ask for your passphrase. "
         "`attune lock` forgets it sooner; so does logging out.\n"
         "Anyone who can use this computer as you meanwhile can read your journal too: lock it "
         "before you step away.\n";
}

std::string NothingToUnlockText() {
  return "This journal has no passphrase, so there is nothing to unlock: every command opens it "
         "without asking. `attune passwd` gives it one.\n";
}

std::string LockedText(bool was_unlocked) {
  return was_unlocked ? "Locked: attune forgot the key, and asks for your passphrase again.\n"
                      : "Nothing to lock: no agent holds this journal's key.\n";
}

std::string UnlockStatusText(std::optional<std::chrono::milliseconds> remaining) {
  if (!remaining) return "Locked: commands ask for your passphrase.\n";
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(*remaining);
  return "Unlocked for " + HoldTimeText(seconds) + " more (`attune lock` forgets the key now).\n";
}

std::optional<std::string> ExplainAgentFailure(const Status& status) {
  if (status.Is(node::AgentReason::kUnsafeFolder)) {
    return "the folder for the unlock agent, " + status.detail() +
           ", is not private to you (another owner, a link, or permissions others can use), so "
           "attune will not leave your key behind a socket there. Nothing was started. Remove "
           "it, or set XDG_RUNTIME_DIR to a folder of yours with mode 0700, and unlock again.";
  }
  if (status.Is(node::AgentReason::kHoldOutOfRange)) {
    return "attune can stay unlocked for 1 second to 24 hours; choose a time in between with "
           "--for, such as --for 15m.";
  }
  if (status.Is(node::AgentReason::kStartFailed)) {
    return "the unlock agent did not start (" + status.detail() +
           "). Nothing holds your key; commands ask for the passphrase as before. Try `attune "
           "unlock` again, and `attune lock` first if an earlier one seems stuck.";
  }
  return std::nullopt;
}

}  // namespace attune::cli
