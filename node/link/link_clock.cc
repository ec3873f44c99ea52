#include "node/link/link_clock.h"

namespace attune::node::link_io {
namespace {

using boost::system::error_code;

class SteadyTimer final : public Timer {
 public:
  explicit SteadyTimer(const asio::any_io_executor& executor) : timer_(executor) {}

  void ExpireAt(TimePoint deadline) override { timer_.expires_at(deadline); }
  void AsyncWait(Handler handler) override {
    timer_.async_wait([handler = std::move(handler)](const error_code& error) { handler(!error); });
  }
  void Cancel() override { timer_.cancel(); }

 private:
  asio::steady_timer timer_;
};

class SteadyClock final : public LinkClock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
  std::unique_ptr<Timer> MakeTimer(asio::any_io_executor executor) override {
    return std::make_unique<SteadyTimer>(std::move(executor));
  }
};

}  // namespace

LinkClock& SteadyLinkClock() {
  static SteadyClock clock;
  return clock;
}

class VirtualTimer final : public Timer {
 public:
  VirtualTimer(VirtualLinkClock& clock, asio::any_io_executor executor)
      : clock_(clock), executor_(std::move(executor)) {}
  ~VirtualTimer() override { Cancel(); }

  void ExpireAt(TimePoint deadline) override {
    Cancel();
    deadline_ = deadline;
  }
  void AsyncWait(Handler handler) override {
    waits_.push_back(clock_.Schedule(deadline_, {executor_, std::move(handler)}));
  }
  void Cancel() override {
    for (uint64_t id : waits_) clock_.Unschedule(id);
    waits_.clear();
  }

 private:
  VirtualLinkClock& clock_;
  asio::any_io_executor executor_;
  TimePoint deadline_{};
  std::vector<uint64_t> waits_;  // scheduled waits (fired ones are ignored by Unschedule)
};

std::unique_ptr<Timer> VirtualLinkClock::MakeTimer(asio::any_io_executor executor) {
  return std::make_unique<VirtualTimer>(*this, std::move(executor));
}

uint64_t VirtualLinkClock::Schedule(TimePoint deadline, Waiter waiter) {
  const uint64_t id = ++last_id_;
  if (deadline <= now_) {
    // Already due: fires at once, as a real timer would.
    asio::post(waiter.executor, [handler = std::move(waiter.handler)] { handler(true); });
    return id;
  }
  waiting_.emplace(std::make_pair(deadline, id), std::move(waiter));
  deadline_of_.emplace(id, deadline);
  return id;
}

void VirtualLinkClock::Unschedule(uint64_t id) {
  const auto found = deadline_of_.find(id);
  if (found == deadline_of_.end()) return;
  const auto waiting = waiting_.find({found->second, id});
  Waiter waiter = std::move(waiting->second);
  waiting_.erase(waiting);
  deadline_of_.erase(found);
  asio::post(waiter.executor, [handler = std::move(waiter.handler)] { handler(false); });
}

bool VirtualLinkClock::AdvanceToNextDeadline() {
  if (waiting_.empty()) return false;
  now_ = waiting_.begin()->first.first;
  while (!waiting_.empty() && waiting_.begin()->first.first <= now_) {
    auto due = waiting_.begin();
    Waiter waiter = std::move(due->second);
    deadline_of_.erase(due->first.second);
    waiting_.erase(due);
    asio::post(waiter.executor, [handler = std::move(waiter.handler)] { handler(true); });
  }
  return true;
}

Wakeup::Wakeup(const asio::any_io_executor& executor)
    : timer_(executor, asio::steady_timer::time_point::max()) {}

void Wakeup::Notify() {
  notified_ = true;
  timer_.cancel();
}

Task<void> Wakeup::Wait() {
  if (!notified_) {
    error_code ignored;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  notified_ = false;
}

Task<bool> WaitUntil(LinkClock& clock, TimePoint deadline, Wakeup& wakeup) {
  struct State {
    bool fired = false;
    bool over = false;  // the wait ended: a late handler must not touch `wakeup`
  };
  auto state = std::make_shared<State>();
  std::unique_ptr<Timer> timer = clock.MakeTimer(co_await asio::this_coro::executor);
  timer->ExpireAt(deadline);
  timer->AsyncWait([state, &wakeup](bool expired) {
    if (!expired || state->over) return;
    state->fired = true;
    wakeup.Notify();
  });
  co_await wakeup.Wait();
  state->over = true;
  co_return state->fired;
}

}  // namespace attune::node::link_io
