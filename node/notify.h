// Desktop notifications (issue 20): `attune serve` tells the desktop that something new arrived
// from the partner, and `attune checkin-reminder` offers the weekly check-in. A notification never
// carries content; by default not the partner's name either (NotifyChoice). node decides when and
// runs Debian's `notify-send` (libnotify-bin); cli words what it says (DesktopNotice).
#ifndef ATTUNE_NODE_NOTIFY_H_
#define ATTUNE_NODE_NOTIFY_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "node/clock.h"

namespace attune::node {

// What `serve` shows when something new arrives (the sealed record `notify.desktop`, set with
// `attune notify`): nothing, a neutral line (the default), or a line with the partner's name.
enum class NotifyChoice { kOff, kNeutral, kWithName };

// The stable names of the choices ("off", "neutral", "with-name"): stored, typed and printed.
std::string_view NotifyChoiceName(NotifyChoice choice);
std::optional<NotifyChoice> ParseNotifyChoice(std::string_view name);

// What one notification shows. Never entry text: cli words it from a NewsNotice, or the
// check-in reminder's fixed line. An empty body is left out.
struct DesktopNotice {
  std::string summary;
  std::string body{};
};

// What a notification of news is about, for cli to word: the choice (never kOff) and, only with
// kWithName, the partner's display name.
struct NewsNotice {
  NotifyChoice choice = NotifyChoice::kNeutral;
  std::string partner_name{};
};

// Whether a session bus is there to carry a notification: DBUS_SESSION_BUS_ADDRESS is set, or
// the systemd user bus socket $XDG_RUNTIME_DIR/bus exists (notify-send finds it there too).
bool SessionBusPresent();
// Whether `notify-send` is in PATH (as posix_spawnp looks for it).
bool NotifySendInstalled();

// Shows `notice` with `notify-send` (no shell; the words are its only arguments) and waits up to
// `timeout` for it to end. Errors, all kUnreachable (nothing to retry at once):
//   JournalReason::kNotifyNoSessionBus   no session bus (SessionBusPresent)
//   JournalReason::kNotifyNotInstalled   no notify-send in PATH
//   JournalReason::kNotifyFailed         notify-send failed (exit status in the detail): most
//                                        often no notification daemon answers on the bus
// One-shot commands only (it blocks); `serve` runs notify-send without waiting (ServeOptions).
Status ShowDesktopNotice(const DesktopNotice& notice, std::chrono::milliseconds timeout);

// When `serve` notifies, so that a burst of arrivals (500 entries in one sync, applied in one
// batch or several) makes one notification, not 500: the first arrival notifies at once, and
// arrivals that follow each other within `burst_gap` continue the burst it told of. Beyond that,
// at most one notification per `interval`: whatever else arrives within it is told by one more
// notification when the interval has passed. Sans-I/O: it reads the time from `clock` (a clock
// set back counts as the interval having passed), and the caller arms a timer at due_at(). Not
// thread-safe.
class NotificationPacer {
 public:
  NotificationPacer(const Clock& clock, std::chrono::milliseconds interval,
                    std::chrono::milliseconds burst_gap = std::chrono::seconds(5))
      : clock_(clock), interval_ms_(interval.count()), burst_gap_ms_(burst_gap.count()) {}

  // Something new arrived: true when a notification goes out now; otherwise one is held for
  // due_at() (several arrivals meanwhile still hold one).
  bool Arrived();
  // At or after due_at(): true when the held notification goes out now (and is no longer held).
  bool TakeDue();
  // When the held notification is due (UTC ms, as Clock tells it), if one is held.
  std::optional<int64_t> due_at() const;

 private:
  bool IntervalPassed(int64_t now) const;

  const Clock& clock_;
  int64_t interval_ms_;
  int64_t burst_gap_ms_;
  std::optional<int64_t> last_ms_;  // when the last notification went out
  std::optional<int64_t> last_arrival_ms_;
  bool in_told_burst_ = false;  // the arrivals since the last notification continue its burst
  bool held_ = false;
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_NOTIFY_H_
