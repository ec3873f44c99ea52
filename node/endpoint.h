// A network address as people type it: "HOST:PORT", "[IPv6]:PORT", or "HOST" alone.
#ifndef ATTUNE_NODE_ENDPOINT_H_
#define ATTUNE_NODE_ENDPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace attune::node {

struct Endpoint {
  std::string host;  // a name, IPv4 or IPv6 address (without brackets)
  uint16_t port = 0;

  // "host:port", with brackets around an IPv6 address.
  std::string ToString() const;
  bool operator==(const Endpoint&) const = default;
};

// kInvalidArgument with a message naming the expected form. `default_port` fills a missing
// port; 0 means the port is required.
Result<Endpoint> ParseEndpoint(std::string_view text, uint16_t default_port);

}  // namespace attune::node

#endif  // ATTUNE_NODE_ENDPOINT_H_
