#include "cli/ui_messages.h"

#include <nlohmann/json.hpp>

#include "cli/exercise_messages.h"
#include "cli/format.h"
#include "cli/link_messages.h"
#include "cli/messages.h"
#include "cli/reflection_messages.h"
#include "cli/sharing_messages.h"
#include "node/exercises.h"
#include "node/journal_reason.h"
#include "node/link.h"
#include "steps/steps_guide.h"

namespace attune::cli {

namespace {

// The partner's name as the page puts it into these sentences: the page has it, the build does
// not.
constexpr const char* kPartnerPlaceholder = "{partner}";

// Each stage of an exercise in cli's words (keyed by node::ExerciseStageName), and the page's
// notes beside them.
nlohmann::json ExerciseWording() {
  using node::ExerciseStage;
  nlohmann::json stages;
  for (ExerciseStage stage :
       {ExerciseStage::kWaitingForBoth, ExerciseStage::kWaitingForYou,
        ExerciseStage::kWaitingForPartner, ExerciseStage::kRevealing, ExerciseStage::kRevealed,
        ExerciseStage::kMismatch, ExerciseStage::kWithdrawn}) {
    stages[std::string(node::ExerciseStageName(stage))] =
        ExerciseStageText(stage, kPartnerPlaceholder);
  }
  return {
      {"stages", stages},
      {"partner_lacks_exercises",
       PartnerSoftwareText({.lacks_exercises = true}, kPartnerPlaceholder)},
      {"partner_sent_unknown", PartnerSoftwareText({.sent_unknown = true}, kPartnerPlaceholder)},
      {"answer_hint",
       "{partner} sees your answer only once you have both answered, and you see theirs at the "
       "same moment. Once given, an answer cannot be changed."},
      {"asked_note",
       "Started. {partner} sees it when your attunes next meet; answer whenever you like."},
      {"answered_note", "Answered. Your answer stays sealed until {partner} has answered too."},
      {"answered_both_note",
       "Answered. You have both answered now: the answers appear side by side once they have "
       "reached each other."},
      {"withdrawn_note", WithdrawnText()},
  };
}

}  // namespace

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
      {"share_not_paired", ShareWaitsForPairingText()},
      {"shared_note", "Shared. It reaches your partner at the next sync."},
      {"unshared_note",
       "No longer shared. It stays in your journal, private; your partner's attune removes its "
       "copy at the next sync."},
      {"no_entries", NothingListedText(false)},
      {"no_matches", NoMatchesText()},
      {"no_search_matches", NothingFoundText()},
      {"acks",
       {{"heard", "I hear you"}, {"will-try", "I will try"}, {"lets-talk", "Let's talk about it"}}},
      {"support",
       "attune is a companion for reflection, not a diagnosis or a therapy; a trained "
       "psychotherapist can offer more support."},
      {"steps_preamble", steps::StepsPreamble()},
      {"safety_number_advice", SafetyNumberAdviceText()},
      {"statement_safety", SafetyConcernSentence()},
      {"support_full", steps::SupportNote()},
      {"pairing_shared_nothing", PairingSharedNothingText()},
      {"link",
       {{"connected", "Connected: what either of you shares arrives within moments."},
        {"not_connected",
         "Not connected right now. What you share waits here and travels when your attunes "
         "next meet."},
        {"not_paired", "You are not paired with a partner yet."}}},
      {"closed",
       "attune ui has ended and your journal is locked. Run `attune ui` in a terminal to open it "
       "again."},
      {"locked",
       "attune ui locked itself after a while without use, and your journal is locked. Run "
       "`attune ui` in a terminal to open it again."},
      {"exercises", ExerciseWording()},
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
  if (status.Is(UiReason::kPageFailed)) {
    return "attune serve runs on this journal but could not open the page (" + status.detail() +
           "); nothing was changed, and serve goes on syncing. Try again; if it keeps failing, "
           "stop serve (`systemctl --user stop attune-serve`, or Ctrl-C where it runs) and run "
           "`attune ui` again: it then runs the node itself.";
  }
  if (status.Is(UiReason::kNoSuchRoute)) return "attune ui has no such page; nothing was done.";
  if (status.Is(UiReason::kWrongMethod)) {
    return "attune ui does not take that request there; nothing was done.";
  }
  if (status.Is(UiReason::kNoSession)) {
    return "this browser has no session with attune ui: open the address your terminal shows, "
           "the one `attune ui` printed.";
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

std::string ExplainOnPage(const Status& status) {
  using node::JournalReason;
  using node::PairingReason;
  const std::string& detail = status.detail();
  if (status.Is(JournalReason::kNotPaired)) {
    return "you are not paired with anyone yet; the Partner page pairs you, together.";
  }
  if (status.Is(PairingReason::kCodeMismatch)) {
    return detail +
           ". Nothing was stored, and the code is used up: one of you makes a new code on the "
           "Partner page, and you read it out slowly.";
  }
  if (status.Is(PairingReason::kInviterUnreachable)) {
    return detail +
           ". Check that your partner's code is still waiting on their screen (a code works "
           "once, for 10 minutes) and the address you entered. Nothing was stored.";
  }
  if (status.Is(PairingReason::kInvitationNotFound)) {
    return "could not find your partner's invitation on this network; check that their code is "
           "still waiting on their screen and that you are on the same network, or enter the "
           "address their attune shows.";
  }
  if (status.Is(PairingReason::kAlreadyPaired)) {
    const std::string with = detail.empty() ? "" : " with " + detail;
    return "you are already paired" + with +
           "; unpair first on the Partner page if you want to pair anew. Nothing was changed.";
  }
  if (status.Is(PairingReason::kNeedsInviterAddress)) {
    return "enter the address your partner's attune shows beside the code; nothing was changed.";
  }
  if (status.Is(JournalReason::kEntryDamaged)) {
    return "the entry " + detail +
           " failed its integrity check: it was changed outside attune, or the disk damaged "
           "it. It is never sent to your partner, and the rest of your journal works as usual. "
           "You can delete it from the journal, or restore it from an export.";
  }
  if (status.Is(JournalReason::kRecordDamaged) && detail == node::kOutgoingLogName) {
    return "the list of what you share with your partner (the outgoing log) does not match "
           "its seal: something outside attune put back, removed or added to it. Nothing was "
           "sent. In a terminal, `attune unshare --all` withdraws everything you share and starts "
           "that list over; then share again, one by one, what you want your partner to have.";
  }
  if (status.Is(JournalReason::kStyleTextIsDerived)) {
    return "a style result's words come from your quiz answers, so they are not edited. Take "
           "the quiz again for a new result, or add a note of your own linked to it.";
  }
  if (status.Is(JournalReason::kStyleComesFromQuiz)) {
    return "a style result comes from the quiz, which keeps your answers and works out the "
           "blend; the Quiz page takes it. Nothing was saved. To write about your style in your "
           "own words, add a note.";
  }
  if (status.Is(JournalReason::kNotOwnEntry)) {
    return "that entry was shared by your partner; it is theirs to change (you can respond to "
           "it in Together).";
  }
  if (status.Is(JournalReason::kMalformedId)) {
    return "that is not an entry's id; nothing was changed. Reload the page to see your "
           "entries as they are now.";
  }
  if (status.Is(JournalReason::kRespondToOwnEntry)) {
    return "you can respond to what your partner shared (Together shows it), not to your own "
           "entries.";
  }
  if (status.Is(JournalReason::kUnknownAck) || status.Is(JournalReason::kResponseWithoutTarget)) {
    return "a response answers something your partner shared, with one of the three answers "
           "the page offers; nothing was changed.";
  }
  if (status.Is(JournalReason::kNoAnswersToShare)) {
    return "only a style result holds answers to the quiz items; this entry holds none, so "
           "there is nothing more to include.";
  }
  if (status.Is(JournalReason::kNotABoundary)) {
    return "that entry is not a boundary, so there is nothing to restate; nothing was changed.";
  }
  if (status.Is(JournalReason::kNotAStatement)) {
    return "only a need statement is put together from its three parts; that entry is not one. "
           "Edit changes the text of any entry.";
  }
  if (status.Is(JournalReason::kChangedSincePreview)) {
    return "the entry changed after you saw its preview, so nothing was shared. Look at the "
           "preview again to see the version as it is now.";
  }
  if (status.Is(JournalReason::kInTrash)) {
    return "that entry is in the trash, so it is left out here and nothing was changed. In a "
           "terminal, `attune restore " +
           detail.substr(0, 8) + "` brings it back, private.";
  }
  if (status.Is(JournalReason::kNotInTrash)) {
    return "that entry is not in the trash; nothing was changed.";
  }
  if (status.Is(JournalReason::kTextTooLong)) {
    return TextTooLongText(detail) + " Split it into two entries.";
  }
  if (status.Is(JournalReason::kTextNotUtf8)) return kTextNotUtf8Text;
  if (status.Is(node::ExerciseReason::kUnknownExercise)) {
    return "there is no exercise called \"" + detail +
           "\"; the exercises page lists the ones there are. Nothing was started.";
  }
  if (status.Is(node::ExerciseReason::kNoSuchExercise)) {
    return "no exercise with the id " + detail +
           " is shared with your partner. Reload the page to see your exercises as they are now.";
  }
  switch (status.code()) {
    case StatusCode::kNotFound:
      return detail + ". Reload the page to see your entries as they are now.";
    case StatusCode::kAlreadyExists:
      return detail + ". Nothing was changed.";
    case StatusCode::kAuthFailed:
      return "some stored data failed its integrity check (" + detail +
             "): it was changed outside attune. Nothing was modified; restore from a backup if "
             "this persists.";
    case StatusCode::kUnreachable:
      return detail +
             ". Check that your partner's attune is running and waiting with its code, and the "
             "address you entered.";
    default:
      break;
  }
  return Explain(status);
}

node::UiOptions PageOptions(std::string_view wording_json) {
  node::UiOptions options;
  options.wording_json = std::string(wording_json);
  options.describe_error = [](const Status& failure) {
    nlohmann::json error = ErrorJson(failure);
    error["error"]["message"] = ExplainOnPage(failure);
    return error;
  };
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
