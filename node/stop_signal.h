// Ways for one thread to reach a loop running on another: to ask it to stop, as SIGTERM asks
// `serve` (`attune ui` ends its link when the page is closed or locks itself), or to wake it to
// look at the journal (the page wrote to it).
#ifndef ATTUNE_NODE_STOP_SIGNAL_H_
#define ATTUNE_NODE_STOP_SIGNAL_H_

#include <functional>
#include <mutex>

namespace attune::node {

class StopSignal {
 public:
  // Asks once; later calls do nothing. Any thread.
  void Stop() {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    if (handler_) handler_();
  }

  // The loop that honours the signal says how to stop it; at once if Stop came first. The
  // handler runs on the thread that calls Stop, under this object's lock, so it must only hand
  // the request to the loop (a post) and never call back in here. The loop clears it (nullptr)
  // before it ends: once that returns, the handler is not running and never runs again.
  void SetHandler(std::function<void()> handler) {
    std::lock_guard lock(mutex_);
    handler_ = std::move(handler);
    if (stopped_ && handler_) handler_();
  }

  bool stopped() const {
    std::lock_guard lock(mutex_);
    return stopped_;
  }

 private:
  mutable std::mutex mutex_;
  bool stopped_ = false;
  std::function<void()> handler_;
};

// As StopSignal, but for as many wakes as there are: each Wake calls the loop's handler (which
// must only post to the loop). Wakes before the handler is set are not kept.
class WakeSignal {
 public:
  void Wake() {
    std::lock_guard lock(mutex_);
    if (handler_) handler_();
  }
  void SetHandler(std::function<void()> handler) {
    std::lock_guard lock(mutex_);
    handler_ = std::move(handler);
  }

 private:
  std::mutex mutex_;
  std::function<void()> handler_;
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_STOP_SIGNAL_H_
