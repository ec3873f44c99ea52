#include "node/clock.h"

#include <chrono>
#include <ctime>

namespace attune::node {

Timestamp SystemClock::Now() const {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  Timestamp now;
  now.utc_ms = duration_cast<milliseconds>(since_epoch).count();
  const std::time_t seconds = static_cast<std::time_t>(now.utc_ms / 1000);
  std::tm local{};
  if (localtime_r(&seconds, &local) != nullptr) {
    now.offset_min = static_cast<int32_t>(local.tm_gmtoff / 60);
  }
  return now;
}

}  // namespace attune::node
