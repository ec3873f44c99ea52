#include "tor/torrc.h"

#include <algorithm>

namespace attune::tor {
namespace {

// A path tor reads as one value: absolute, and nothing that would end or split the line.
bool IsPlainPath(const std::string& path) {
  if (path.empty() || path.front() != '/') return false;
  return std::none_of(path.begin(), path.end(),
                      [](char c) { return c == '\n' || c == '\r' || c == '"' || c == '\0'; });
}

std::string Line(std::string_view option, std::string_view value) {
  return std::string(option) + " " + std::string(value) + "\n";
}

}  // namespace

Result<std::string> ComposeTorrc(const TorrcOptions& options) {
  for (const std::string* path :
       {&options.data_directory, &options.control_port_file, &options.cookie_file}) {
    if (!IsPlainPath(*path)) return Status::InvalidArgument("not a path tor can be given");
  }
  if (options.owner_pid <= 0) return Status::InvalidArgument("no owning process");
  std::string torrc = "# Written by attune for its own tor; rewritten at every start.\n";
  torrc += Line("DataDirectory", options.data_directory);
  torrc += Line("ControlPort", "127.0.0.1:auto");
  torrc += Line("ControlPortWriteToFile", options.control_port_file);
  torrc += Line("ControlPortFileGroupReadable", "0");
  torrc += Line("CookieAuthentication", "1");
  torrc += Line("CookieAuthFile", options.cookie_file);
  torrc += Line("SocksPort", "127.0.0.1:auto ExtendedErrors");
  torrc += Line("__OwningControllerProcess", std::to_string(options.owner_pid));
  // Standard output only: node/ reads it; no log file inside or outside the home.
  torrc += Line("Log", "notice stdout");
  torrc += Line("ClientOnly", "1");
  // Parsing the GeoIP files costs seconds of CPU and attune picks no exit by country.
  torrc += Line("GeoIPFile", "/dev/null");
  torrc += Line("GeoIPv6File", "/dev/null");
  if (!options.extra.empty()) {
    torrc += "# From ATTUNE_TOR_EXTRA_TORRC:\n" + options.extra;
    if (torrc.back() != '\n') torrc.push_back('\n');
  }
  return torrc;
}

}  // namespace attune::tor
