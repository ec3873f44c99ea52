// Time as a dependency: the journal asks a Clock, so tests can pin it.
#ifndef ATTUNE_NODE_CLOCK_H_
#define ATTUNE_NODE_CLOCK_H_

#include <cstdint>

namespace attune::node {

// A moment as the journal stores it: UTC plus the writer's offset from UTC at that moment, so
// an entry can be shown both in the reader's local time and as the writer experienced it.
struct Timestamp {
  int64_t utc_ms = 0;
  int32_t offset_min = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

// The wall clock and the system's time zone. Thread-safe.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// A clock that only moves when told to. For tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start) {}
  Timestamp Now() const override { return now_; }
  void Advance(int64_t ms) { now_.utc_ms += ms; }

 private:
  Timestamp now_;
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_CLOCK_H_
