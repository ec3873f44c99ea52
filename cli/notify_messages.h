// What attune says about desktop notifications (issue 20): the notifications themselves (never
// content; the partner's name only when chosen), `attune notify`, serve's line when they are
// unavailable, and why one could not be shown.
#ifndef ATTUNE_CLI_NOTIFY_MESSAGES_H_
#define ATTUNE_CLI_NOTIFY_MESSAGES_H_

#include <optional>
#include <string>

#include "base/status.h"
#include "node/notify.h"

namespace attune::cli {

// The neutral line, and the one with the name.
inline constexpr const char* kNewsNoticeText = "attune: something new";
inline constexpr const char* kCheckinNoticeText =
    "attune: a moment for your weekly check-in, whenever it suits you";

// What serve's notification says: the neutral line, or with kWithName "... from NAME".
node::DesktopNotice NewsNoticeWords(const node::NewsNotice& news);
// The weekly check-in reminder: no streak, no count, no date.
node::DesktopNotice CheckinNoticeWords();

// `attune notify` without a choice: the setting, and whether this session can show them.
std::string NotifyStatusText(node::NotifyChoice choice, bool bus, bool installed);
// `attune notify CHOICE`: what the notifications will say from now on.
std::string NotifySetText(node::NotifyChoice choice, bool bus, bool installed);
// `attune checkin-reminder` after showing the reminder.
std::string CheckinShownText();

// serve's line the first time a notification could not be shown (why: Explain of it).
std::string NotificationsUnavailableText(const Status& why);

// The sentence for JournalReason 570-572 (node/notify.h), or nullopt.
std::optional<std::string> ExplainNotifyFailure(const Status& status);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_NOTIFY_MESSAGES_H_
