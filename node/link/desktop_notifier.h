// Internal to node/: serve's desktop notifications (node/notify.h). Told that something new from
// the partner was applied, it reads the setting (Journal::DesktopNotifyChoice), paces with a
// NotificationPacer, and runs `notify-send` without a shell and without waiting: the child's end
// is watched through its pidfd on serve's executor, so serve's loop never blocks on it. A failure
// (no session bus, no notify-send, notify-send failing) is reported once per serve; serve goes
// on, and later arrivals try again quietly. Only the link's .cc files include this (and so Asio).
#ifndef ATTUNE_NODE_LINK_DESKTOP_NOTIFIER_H_
#define ATTUNE_NODE_LINK_DESKTOP_NOTIFIER_H_

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>

#include "node/journal.h"
#include "node/link/link_clock.h"
#include "node/notify.h"

namespace attune::node::link_io {

struct DesktopNotifierOptions {
  // Words the notification (cli); never given content.
  std::function<DesktopNotice(const NewsNotice&)> word;
  std::chrono::milliseconds interval{60'000};
  // Called once, the first time a notification could not be shown.
  std::function<void(const Status&)> on_unavailable;
};

// Not thread-safe: every call and handler runs on `executor`'s thread. `journal` must outlive
// it. The destructor waits (up to 2 s in all) for notify-send children still running, and drops
// a notification still held by the pacer: serve is stopping.
class DesktopNotifier {
 public:
  DesktopNotifier(asio::any_io_executor executor, Journal& journal, DesktopNotifierOptions options);
  ~DesktopNotifier();
  DesktopNotifier(const DesktopNotifier&) = delete;
  DesktopNotifier& operator=(const DesktopNotifier&) = delete;

  // Rows from the partner were applied (new or changed entries).
  void Arrived();

 private:
  void ArmHeld();
  void Show();
  void Watch(pid_t pid);
  void Unavailable(const Status& why);

  asio::any_io_executor executor_;
  Journal& journal_;
  DesktopNotifierOptions options_;
  NotificationPacer pacer_;
  asio::steady_timer held_timer_;
  // notify-send children still running, each with its pidfd (watched for its end).
  std::map<pid_t, std::unique_ptr<asio::posix::stream_descriptor>> children_;
  bool said_unavailable_ = false;
};

}  // namespace attune::node::link_io

#endif  // ATTUNE_NODE_LINK_DESKTOP_NOTIFIER_H_
