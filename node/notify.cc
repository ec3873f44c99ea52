#include "node/notify.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace attune::node {

std::string_view NotifyChoiceName(NotifyChoice choice) {
  switch (choice) {
    case NotifyChoice::kOff:
      return "off";
    case NotifyChoice::kNeutral:
      return "neutral";
    case NotifyChoice::kWithName:
      return "with-name";
  }
  return "neutral";
}

std::optional<NotifyChoice> ParseNotifyChoice(std::string_view name) {
  for (NotifyChoice choice :
       {NotifyChoice::kOff, NotifyChoice::kNeutral, NotifyChoice::kWithName}) {
    if (name == NotifyChoiceName(choice)) return choice;
  }
  return std::nullopt;
}

bool SessionBusPresent() {
  const char* address = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  if (address != nullptr && *address != '\0') return true;
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (runtime == nullptr || *runtime == '\0') return false;
  std::error_code error;
  return std::filesystem::is_socket(std::filesystem::path(runtime) / "bus", error);
}

bool NotifySendInstalled() {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
  while (true) {
    const size_t colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    const std::string candidate = (dir.empty() ? "." : dir) + "/notify-send";
    if (::access(candidate.c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) return false;
    rest.remove_prefix(colon + 1);
  }
}

bool NotificationPacer::IntervalPassed(int64_t now) const {
  return !last_ms_ || now < *last_ms_ || now - *last_ms_ >= interval_ms_;
}

bool NotificationPacer::Arrived() {
  const int64_t now = clock_.Now().utc_ms;
  const bool continues =
      last_arrival_ms_ && now >= *last_arrival_ms_ && now - *last_arrival_ms_ <= burst_gap_ms_;
  last_arrival_ms_ = now;
  if (IntervalPassed(now)) {
    last_ms_ = now;
    held_ = false;
    in_told_burst_ = true;
    return true;
  }
  // The rest of a sync's batches: the notification that began the burst told of them.
  if (in_told_burst_ && continues && !held_) return false;
  in_told_burst_ = false;
  held_ = true;
  return false;
}

bool NotificationPacer::TakeDue() {
  const int64_t now = clock_.Now().utc_ms;
  if (!held_ || !IntervalPassed(now)) return false;
  last_ms_ = now;
  held_ = false;
  in_told_burst_ = false;
  return true;
}

std::optional<int64_t> NotificationPacer::due_at() const {
  if (!held_) return std::nullopt;
  return *last_ms_ + interval_ms_;
}

}  // namespace attune::node
