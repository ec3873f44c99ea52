// What the randomized tests share: one seeded source of every random choice, and the seeds a
// run covers. A run draws everything from its Dice, so its seed replays it exactly.
#ifndef ATTUNE_TESTS_COMMON_RANDOM_RUNS_H_
#define ATTUNE_TESTS_COMMON_RANDOM_RUNS_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <string_view>
#include <vector>

namespace attune::test_common {

// A std::mt19937_64 with the draws the simulations make. Not thread-safe.
class Dice {
 public:
  explicit Dice(uint64_t seed) : engine_(seed) {}

  uint64_t Next() { return engine_(); }
  // Uniform in [low, high], both included.
  uint64_t Uniform(uint64_t low, uint64_t high) {
    return std::uniform_int_distribution<uint64_t>(low, high)(engine_);
  }
  bool Chance(double probability) { return std::bernoulli_distribution(probability)(engine_); }
  // One element of a non-empty container, by position (so the pick depends only on the
  // container's order, which the caller must keep independent of anything not seeded).
  template <typename Container>
  auto Pick(Container& items) -> decltype(items.begin()) {
    return std::next(items.begin(), static_cast<std::ptrdiff_t>(Uniform(0, items.size() - 1)));
  }

 private:
  std::mt19937_64 engine_;
};

// The seeds of a randomized test named `name` ("SYNC", "SHARING"): ATTUNE_<name>_SEED=<seed>
// alone if set (to replay one run), else 1..count, or 1..N with ATTUNE_<name>_SEEDS=<N> (for a
// longer soak).
std::vector<uint64_t> SeedsToRun(std::string_view name, uint64_t count);

// Whether ATTUNE_<name>_TRACE is set: a replayed run then prints every event.
bool TracingRuns(std::string_view name);

}  // namespace attune::test_common

#endif  // ATTUNE_TESTS_COMMON_RANDOM_RUNS_H_
