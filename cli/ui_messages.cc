#include "cli/ui_messages.h"

#include <nlohmann/json.hpp>

#include "cli/format.h"
#include "cli/messages.h"
#include "cli/sharing_messages.h"
#include "steps/steps_guide.h"

namespace attune::cli {

std::string UiWordingJson() {
  using node::DeliveryState;
  nlohmann::json delivery;
  for (DeliveryState state : {DeliveryState::kWaiting, DeliveryState::kDelivered,
                              DeliveryState::kWithdrawing, DeliveryState::kWithdrawn}) {
    delivery[DeliveryStateName(state)] = DeliveryStateText(state);
  }
  const nlohmann::json wording = {
      {"delivery", delivery},
      {"awaiting_confirmation",
       "changed since you shared it: your partner keeps the version you confirmed until you "
       "share the new words"},
      {"preview_heading", "This is exactly what your partner will see:"},
      {"preview_answers_withheld",
       "Your answers to the quiz items stay private: only the scores and the blend are shared."},
      {"preview_answers_included", "Your answers to the quiz items are included."},
      {"preview_partner_has_it", "Your partner already has exactly this version."},
      {"share_not_paired",
       "You are not paired yet: this entry will wait here, shared, and reach your partner once "
       "you pair and your attunes meet."},
      {"shared_note", "Shared. It reaches your partner at the next sync."},
      {"unshared_note",
       "No longer shared. It stays in your journal, private; your partner's attune removes its "
       "copy at the next sync."},
      {"no_entries", NothingListedText(false)},
      {"no_matches", "No entries match these filters."},
      {"no_search_matches", NothingFoundText()},
      {"acks",
       {{"heard", "I hear you"}, {"will-try", "I will try"}, {"lets-talk", "Let's talk about it"}}},
      {"support",
       "attune is a companion for reflection, not a diagnosis or a therapy; a trained "
       "psychotherapist can offer more support."},
      {"steps_preamble", steps::StepsPreamble()},
      {"link",
       {{"connected", "Connected: what either of you shares arrives within moments."},
        {"not_connected",
         "Not connected right now. What you share waits here and travels when your attunes "
         "next meet."},
        {"not_paired", "You are not paired with a partner yet."}}},
      {"closed",
       "attune ui has ended and your journal is locked. Run `attune ui` to open it again."},
      {"locked",
       "attune ui locked itself after a while without use, and your journal is locked. Run "
       "`attune ui` to open it again."},
  };
  return wording.dump();
}

std::optional<std::string> ExplainUiFailure(const Status& status) {
  using node::UiReason;
  if (status.Is(UiReason::kNotLoopback)) {
    return "attune ui listens only on this machine (" + status.detail() +
           " is another address). Use --listen 127.0.0.1:PORT, or leave --listen out for a free "
           "port.";
  }
  if (status.Is(UiReason::kTooLarge)) {
    return "that request was too large for attune ui (" + status.detail() +
           "); nothing was changed. An entry holds up to 64 KiB of text.";
  }
  if (status.Is(UiReason::kWrongHost)) {
    return "attune ui answers only requests addressed to 127.0.0.1 and its port; nothing was "
           "done.";
  }
  if (status.Is(UiReason::kNoSuchRoute)) return "attune ui has no such page; nothing was done.";
  if (status.Is(UiReason::kWrongMethod)) {
    return "attune ui does not take that request there; nothing was done.";
  }
  if (status.Is(UiReason::kNoSession)) {
    return "this browser has no session with attune ui: open the address `attune ui` printed.";
  }
  if (status.Is(UiReason::kWrongOrigin)) {
    return "attune ui takes changes only from its own page; nothing was changed.";
  }
  if (status.Is(UiReason::kBadRequest)) {
    return "attune ui could not read that request (" + status.detail() + "); nothing was changed.";
  }
  return std::nullopt;
}

std::string UiStartedText(bool opened_browser, bool runs_link) {
  std::string text = opened_browser ? "Your browser opens your journal at the address above.\n"
                                    : "Open the address above in your browser.\n";
  text +=
      "It is for you alone: anyone with the address can read your journal while attune ui runs.\n";
  if (runs_link) text += "What your partner shares arrives while this runs.\n";
  text += "Ctrl-C ends it and locks your journal.\n";
  return text;
}

std::string UiEndedText(node::UiEnd end) {
  switch (end) {
    case node::UiEnd::kClosed:
      return "The page was closed; your journal is locked.";
    case node::UiEnd::kIdle:
      return "attune ui locked itself after a while without use; your journal is locked.";
    case node::UiEnd::kStopped:
      break;
  }
  return "attune ui has ended; your journal is locked.";
}

node::UiOptions PageOptions() {
  node::UiOptions options;
  options.wording_json = UiWordingJson();
  options.describe_error = [](const Status& failure) { return ErrorJson(failure); };
  options.describe_event = [](const node::ServeEvent& event) { return ServeEventJson(event); };
  return options;
}

std::string HostedPageText(bool opened_browser) {
  return std::string(opened_browser ? "Your browser opens your journal at the address above.\n"
                                    : "Open the address above in your browser.\n") +
         "attune serve runs on this journal and serves the page; it goes on syncing after.\n"
         "It is for you alone: anyone with the address can read your journal while it is open.\n"
         "Ctrl-C closes the page.\n";
}

std::string HostedPageEndedText(node::HostedPageEnd end) {
  return end == node::HostedPageEnd::kSignal
             ? "The page is closed; attune serve goes on syncing."
             : "The page has ended (closed, locked after a while without use, or serve "
               "stopped).";
}

}  // namespace attune::cli
