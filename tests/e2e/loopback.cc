#include "tests/e2e/loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "tests/e2e/child_process.h"

namespace attune::e2e {

sockaddr_in LoopbackAddress(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

uint16_t UnusedLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address = LoopbackAddress(0);
  socklen_t size = sizeof address;
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), size) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
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

RawConnection::RawConnection(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in address = LoopbackAddress(port);
  if (fd_ >= 0 &&
      ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    child_process::CloseFd(fd_);
  }
}

RawConnection::~RawConnection() {
  child_process::CloseFd(fd_);
}

void RawConnection::Send(std::string_view bytes) {
  while (fd_ >= 0 && !bytes.empty()) {
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
}

void RawConnection::ShutdownWrite() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

bool RawConnection::ClosedByPeerWithin(std::chrono::milliseconds timeout) {
  if (fd_ < 0) return false;
  const auto deadline = child_process::SteadyClock::now() + timeout;
  char discard[1024];
  for (;;) {
    pollfd ready{fd_, POLLIN, 0};
    const int polled = ::poll(&ready, 1, child_process::MillisUntil(deadline));
    if (polled < 0 && errno != EINTR) return false;
    if (polled == 0) return false;  // the deadline passed with the connection still open
    if (polled < 0) continue;
    const ssize_t got = ::recv(fd_, discard, sizeof discard, 0);
    if (got == 0 || (got < 0 && (errno == ECONNRESET || errno == ENOTCONN))) return true;
    if (got < 0 && errno != EINTR && errno != EAGAIN) return false;
  }
}

}  // namespace attune::e2e
