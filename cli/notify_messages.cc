#include "cli/notify_messages.h"

#include "node/journal_reason.h"

namespace attune::cli {
namespace {

constexpr const char* kInstallNotifySend = "sudo apt install libnotify-bin";

// What the choice shows, in a phrase.
std::string ShowsText(node::NotifyChoice choice) {
  switch (choice) {
    case node::NotifyChoice::kOff:
      return "no desktop notifications";
    case node::NotifyChoice::kNeutral:
      return std::string("\"") + kNewsNoticeText + "\" (never what was written, never a name)";
    case node::NotifyChoice::kWithName:
      return std::string("\"") + kNewsNoticeText +
             " from NAME\" with your partner's name (never what was written)";
  }
  return "";
}

// Where this session stands, if notifications could not be shown from it.
std::string ReadinessText(bool bus, bool installed) {
  if (!installed) {
    return "notify-send is not installed here: `" + std::string(kInstallNotifySend) +
           "` lets serve show them.\n";
  }
  if (!bus) {
    return "This session has no desktop bus (DBUS_SESSION_BUS_ADDRESS), so none could be shown "
           "from here; serve in your desktop session (or as the user service) shows them.\n";
  }
  return "";
}

}  // namespace

node::DesktopNotice NewsNoticeWords(const node::NewsNotice& news) {
  if (news.choice == node::NotifyChoice::kWithName && !news.partner_name.empty()) {
    return {.summary = std::string(kNewsNoticeText) + " from " + news.partner_name};
  }
  return {.summary = kNewsNoticeText};
}

node::DesktopNotice CheckinNoticeWords() {
  return {.summary = kCheckinNoticeText};
}

std::string NotifyStatusText(node::NotifyChoice choice, bool bus, bool installed) {
  std::string text = "When something new arrives from your partner, `attune serve` shows " +
                     ShowsText(choice) + ".\n";
  if (choice != node::NotifyChoice::kOff) text += ReadinessText(bus, installed);
  text +=
      "Change it with `attune notify off`, `attune notify neutral` or "
      "`attune notify with-name`.\n";
  return text;
}

std::string NotifySetText(node::NotifyChoice choice, bool bus, bool installed) {
  std::string text =
      "From now on, when something new arrives from your partner, `attune serve` "
      "shows " +
      ShowsText(choice) + ".\n";
  if (choice == node::NotifyChoice::kWithName) {
    text += "Anyone who sees your screen then sees your partner's name with it.\n";
  }
  if (choice != node::NotifyChoice::kOff) text += ReadinessText(bus, installed);
  return text;
}

std::string CheckinShownText() {
  return "Shown on your desktop: \"" + std::string(kCheckinNoticeText) + "\".\n";
}

std::string NotificationsUnavailableText(const Status& why) {
  return "desktop notifications are unavailable: " +
         ExplainNotifyFailure(why).value_or(why.detail()) +
         " serve goes on without them (`attune notify off` stops trying).";
}

std::optional<std::string> ExplainNotifyFailure(const Status& status) {
  if (status.Is(node::JournalReason::kNotifyNoSessionBus)) {
    return std::string(
        "there is no desktop session bus here (DBUS_SESSION_BUS_ADDRESS is not "
        "set, and there is no $XDG_RUNTIME_DIR/bus), so nothing can be shown on "
        "a desktop.");
  }
  if (status.Is(node::JournalReason::kNotifyNotInstalled)) {
    return "notify-send is not installed; `" + std::string(kInstallNotifySend) + "` installs it.";
  }
  if (status.Is(node::JournalReason::kNotifyFailed)) {
    return "notify-send could not show it (" + status.detail() +
           "): most often no notification daemon runs in this desktop session.";
  }
  return std::nullopt;
}

}  // namespace attune::cli
