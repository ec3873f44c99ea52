#include "cli/sharing_messages.h"

#include <sstream>

#include "cli/console.h"

namespace attune::cli {

const char* DeliveryStateName(node::DeliveryState state) {
  switch (state) {
    case node::DeliveryState::kWaiting:
      return "waiting";
    case node::DeliveryState::kDelivered:
      return "delivered";
    case node::DeliveryState::kWithdrawing:
      return "withdrawing";
    case node::DeliveryState::kWithdrawn:
      return "withdrawn";
  }
  return "waiting";
}

const char* DeliveryStateText(node::DeliveryState state) {
  switch (state) {
    case node::DeliveryState::kWaiting:
      return "waiting (not yet delivered)";
    case node::DeliveryState::kDelivered:
      return "delivered";
    case node::DeliveryState::kWithdrawing:
      return "withdrawing (your partner's node has not confirmed the removal yet)";
    case node::DeliveryState::kWithdrawn:
      return "withdrawn (removed on partner's node)";
  }
  return "";
}

std::string SharedListText(const std::vector<node::SharedItem>& items, const ShortIds& short_ids) {
  if (items.empty()) {
    return "You have not shared anything. Nothing leaves your journal until you share it, entry "
           "by entry.\n";
  }
  std::ostringstream out;
  for (const node::SharedItem& item : items) {
    const std::string line =
        item.entry ? EntryLine(*item.entry, short_ids)
                   : Dim(item.entry_id.substr(0, 8)) + "  (deleted from your journal)";
    out << line << "\n      " << DeliveryStateText(item.state) << "\n";
    if (item.awaiting_confirmation) {
      out << "      changed since you shared it: the new version waits for you (`attune share "
          << item.entry_id.substr(0, 8) << "` shows it and sends it)\n";
    }
    if (item.damaged) out << "      failed its integrity check: it is not being sent\n";
  }
  return out.str();
}

std::string ShareDoneText(bool already, bool was_shared, const std::string& entry_id, bool paired) {
  if (already)
    return "Already shared, as it is now. `attune shared` shows whether it has arrived.\n";
  const std::string withdraw = "`attune unshare " + entry_id.substr(0, 8) + "` withdraws it.\n";
  if (!paired) {
    return std::string(was_shared ? "The new version is shared. " : "Shared. ") +
           ShareWaitsForPairingText() + " (`attune pair` pairs you, together); " + withdraw;
  }
  return std::string(was_shared ? "The new version is shared." : "Shared.") +
         " It reaches your partner at the next sync; " + withdraw;
}

std::string ShareWaitsForPairingText() {
  return "You are not paired yet: this entry will wait here, shared, and reach your partner once "
         "you pair and your attunes meet.";
}

std::string UnshareAllText(int64_t withdrawn) {
  return "Withdrawn: " + std::to_string(withdrawn) + (withdrawn == 1 ? " entry" : " entries") +
         ". Everything stays in your journal, private. Your partner's node removes all it holds "
         "from you at the next sync; share again whatever you want them to have.\n";
}

std::string ResponseSharedText(const std::string& entry_id, const std::string& name) {
  return entry_id + "\nYour response is shared with " + name +
         "; it reaches them at the next sync.\n";
}

std::string UnpairedText(int64_t unshared, bool kept, const std::string& name) {
  std::string text = "You are no longer paired. ";
  if (unshared > 0) {
    text += std::to_string(unshared) + (unshared == 1 ? " entry" : " entries") +
            " you had shared " + (unshared == 1 ? "is" : "are") + " private again. ";
  }
  text += kept ? "What " + name + " shared stays, read-only. "
               : "What " + name + " shared is deleted. ";
  return text + "`attune pair` starts again whenever you want.\n";
}

}  // namespace attune::cli
