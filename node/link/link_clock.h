// Internal to node/: the link's time as a dependency. Every deadline of the link (a frame's
// read or write, the idle silence, the keepalive, the session's age, serve's dialing backoff)
// reads a LinkClock and waits on its Timers, so that tests can run the link in virtual time
// (VirtualLinkClock) and nothing there waits for the wall clock. Only the link's .cc files
// include this (and so Asio).
//
// Why a small Timer interface rather than asio::basic_waitable_timer over a custom clock: a
// custom Asio clock's now() is static, so a test clock would be a process-wide mutable global,
// and every timer type in the link would become a template parameter. Here the clock is an
// object handed to the link, and the product code sees one concrete Timer API.
#ifndef ATTUNE_NODE_LINK_LINK_CLOCK_H_
#define ATTUNE_NODE_LINK_LINK_CLOCK_H_

// <utility> first: Boost 1.74's awaitable.hpp uses std::exchange without including it.
#include <utility>

#include <boost/asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

namespace attune::node::link_io {

namespace asio = boost::asio;
using Duration = std::chrono::steady_clock::duration;
using TimePoint = std::chrono::steady_clock::time_point;

template <typename T>
using Task = asio::awaitable<T>;

// A one-shot timer, re-armable. Not thread-safe; its handlers run on its executor.
class Timer {
 public:
  // Called once per AsyncWait: `expired` true when the deadline passed, false when the wait was
  // cancelled (Cancel, ExpireAt, or the timer's destruction).
  using Handler = std::function<void(bool expired)>;

  virtual ~Timer() = default;
  // Sets the deadline; a wait in progress is cancelled.
  virtual void ExpireAt(TimePoint deadline) = 0;
  virtual void AsyncWait(Handler handler) = 0;
  virtual void Cancel() = 0;
};

class LinkClock {
 public:
  virtual ~LinkClock() = default;
  virtual TimePoint Now() const = 0;
  virtual std::unique_ptr<Timer> MakeTimer(asio::any_io_executor executor) = 0;
};

// std::chrono::steady_clock with asio::steady_timer. Stateless; shared by every real link.
LinkClock& SteadyLinkClock();

// A clock that moves only when told to. Timers whose deadline is reached fire (their handlers
// are posted to their executors, in deadline order) when time is advanced past them. For tests;
// not thread-safe.
class VirtualLinkClock final : public LinkClock {
 public:
  VirtualLinkClock() = default;
  VirtualLinkClock(const VirtualLinkClock&) = delete;
  VirtualLinkClock& operator=(const VirtualLinkClock&) = delete;

  TimePoint Now() const override { return now_; }
  std::unique_ptr<Timer> MakeTimer(asio::any_io_executor executor) override;

  // Moves time to the earliest deadline of a waiting timer and fires every timer due then.
  // False (time unchanged) if no timer is waiting.
  bool AdvanceToNextDeadline();
  // How far virtual time has moved since the clock was made.
  Duration elapsed() const { return now_ - TimePoint(); }

 private:
  friend class VirtualTimer;
  struct Waiter {
    asio::any_io_executor executor;
    Timer::Handler handler;
  };
  uint64_t Schedule(TimePoint deadline, Waiter waiter);
  // Posts the waiter's handler with `expired` = false, if it is still waiting.
  void Unschedule(uint64_t id);

  TimePoint now_{};
  uint64_t last_id_ = 0;
  std::map<std::pair<TimePoint, uint64_t>, Waiter> waiting_;
  std::map<uint64_t, TimePoint> deadline_of_;
};

// A wake-up for one coroutine on one thread, level-triggered: Wait() completes at once if
// Notify() was called since the last Wait() ended, else at the next Notify(). It never
// completes by itself (its timer never expires), so it is no wall-clock wait.
class Wakeup {
 public:
  explicit Wakeup(const asio::any_io_executor& executor);
  void Notify();
  Task<void> Wait();

 private:
  asio::steady_timer timer_;
  bool notified_ = false;
};

// Waits until `deadline` on `clock`, or until `wakeup` is notified, whichever comes first.
// True if the deadline passed.
Task<bool> WaitUntil(LinkClock& clock, TimePoint deadline, Wakeup& wakeup);

}  // namespace attune::node::link_io

#endif  // ATTUNE_NODE_LINK_LINK_CLOCK_H_
