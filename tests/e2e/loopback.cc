#include "tests/e2e/loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <random>

#include "tests/e2e/child_process.h"

namespace attune::e2e {

sockaddr_in LoopbackAddress(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

namespace {

// Ports below Linux's ephemeral range (32768-60999 by default), so that no connection made by
// a test running alongside can be handed the port between choosing it and a child binding it.
// The kernel's bind-to-port-0 draws from that range, which is why it is not used: the doctor
// test failed once in CI when another test's outgoing connection got the port it had chosen.
constexpr uint16_t kFirstChosenPort = 20000;
constexpr uint16_t kChosenPortCount = 12000;

// Whether nothing is bound to `port` on any address (no SO_REUSEADDR, so a connection still in
// TIME_WAIT on it counts as taken too).
bool PortIsFree(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address = LoopbackAddress(port);
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  const bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return bound;
}

}  // namespace

uint16_t UnusedLoopbackPort() {
  // Tests run in parallel processes: each process starts at its own random place in the range,
  // then walks on from the port it gave last. Drawing afresh each time could hand one test the
  // same port twice before either was bound (CI saw Alex and Sam both given 29267).
  static std::mt19937 choose{std::random_device{}()};
  static uint32_t next = std::uniform_int_distribution<uint32_t>(0, kChosenPortCount - 1)(choose);
  for (uint32_t tried = 0; tried < kChosenPortCount; ++tried) {
    const auto port = static_cast<uint16_t>(kFirstChosenPort + next);
    next = (next + 1) % kChosenPortCount;
    if (PortIsFree(port)) return port;
  }
  return 0;
}

uint16_t PortOf(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return 0;
  const std::string digits = address.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return 0;
  }
  const unsigned long value = std::stoul(digits);
  return value > 65535 ? 0 : static_cast<uint16_t>(value);
}

}  // namespace attune::e2e
