#include "node/endpoint.h"

#include <charconv>

namespace attune::node {
namespace {

Status BadEndpoint(std::string_view text) {
  return Status::InvalidArgument("\"" + std::string(text) +
                                 "\" is not an address: use HOST:PORT, e.g. 192.168.1.20:47017 "
                                 "or [::1]:47017");
}

}  // namespace

std::string Endpoint::ToString() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<Endpoint> ParseEndpoint(std::string_view text, uint16_t default_port) {
  Endpoint endpoint;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return BadEndpoint(text);
    endpoint.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return BadEndpoint(text);
      port_text = rest.substr(1);
      if (port_text.empty()) return BadEndpoint(text);
    }
  } else {
    const size_t colon = text.rfind(':');
    // More than one colon without brackets is a bare IPv6 address (no port).
    if (colon != std::string_view::npos && text.find(':') == colon) {
      endpoint.host = std::string(text.substr(0, colon));
      port_text = text.substr(colon + 1);
      if (port_text.empty()) return BadEndpoint(text);
    } else {
      endpoint.host = std::string(text);
    }
  }
  if (endpoint.host.empty()) return BadEndpoint(text);
  if (port_text.empty()) {
    if (default_port == 0) return BadEndpoint(text);
    endpoint.port = default_port;
    return endpoint;
  }
  unsigned port = 0;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return BadEndpoint(text);
  }
  endpoint.port = static_cast<uint16_t>(port);
  return endpoint;
}

}  // namespace attune::node
