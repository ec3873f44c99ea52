#include "tests/common/raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace attune::test_common {

LoopbackListener::LoopbackListener() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::listen(fd_, 4) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size)) {
    return;
  }
  port_ = ntohs(address.sin_port);
}

LoopbackListener::~LoopbackListener() {
  if (fd_ >= 0) ::close(fd_);
}

RawConnection::RawConnection(uint16_t port)
    : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  timeval timeout{.tv_sec = 20, .tv_usec = 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

void RawConnection::ShutdownWrite() {
  if (connected_) ::shutdown(fd_, SHUT_WR);
}

bool RawConnection::ClosedByPeerWithin(std::chrono::milliseconds timeout) {
  if (!connected_) return false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char discard[1024];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd ready{fd_, POLLIN, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(std::max<int64_t>(0, left.count())));
    if (polled < 0 && errno != EINTR) return false;
    if (polled == 0) return false;  // the deadline passed with the connection still open
    if (polled < 0) continue;
    const ssize_t got = ::recv(fd_, discard, sizeof discard, 0);
    if (got == 0 || (got < 0 && (errno == ECONNRESET || errno == ENOTCONN))) return true;
    if (got < 0 && errno != EINTR && errno != EAGAIN) return false;
  }
}

std::string RawConnection::ReadUntil(std::string_view marker, size_t from) {
  char buffer[4096];
  while (marker.empty() || received_.size() < from ||
         received_.find(marker, from) == std::string::npos) {
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got <= 0) break;
    received_.append(buffer, static_cast<size_t>(got));
  }
  return received_;
}

std::string RawConnection::ReadAll() {
  return ReadUntil("");
}

HttpAnswer ParseHttpAnswer(const std::string& raw) {
  HttpAnswer answer;
  const size_t end = raw.find("\r\n\r\n");
  answer.head = raw.substr(0, end);
  if (end != std::string::npos) answer.body = raw.substr(end + 4);
  if (raw.size() > 12 && raw.compare(0, 5, "HTTP/") == 0)
    answer.status = std::stoi(raw.substr(9, 3));
  return answer;
}

HttpAnswer HttpRequest(uint16_t port, std::string_view method, std::string_view target,
                       const std::string& headers, std::string_view body) {
  std::string text = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n" + headers +
                     "Connection: close\r\n";
  if (!body.empty()) {
    text +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  text += "\r\n" + std::string(body);
  RawConnection connection(port);
  if (!connection.connected() || !connection.Send(text)) return {};
  return ParseHttpAnswer(connection.ReadAll());
}

std::string SessionCookieOf(const HttpAnswer& answer) {
  const size_t at = answer.head.find("Set-Cookie: ");
  if (at == std::string::npos) return "";
  const size_t end = answer.head.find(';', at);
  return answer.head.substr(at + 12, end - at - 12);
}

}  // namespace attune::test_common
