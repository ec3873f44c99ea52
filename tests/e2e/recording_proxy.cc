#include "tests/e2e/recording_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "tests/e2e/child_process.h"
#include "tests/e2e/loopback.h"

namespace attune::e2e {
namespace {

using child_process::CloseFd;

// A listening socket on `host`:`port` (0: an unused one, stored in `port`); -1 on failure.
int ListenOnLoopback(const std::string& host, uint16_t& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = LoopbackAddress(port);
  socklen_t size = sizeof address;
  if (fd < 0 || ::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1 ||
      ::bind(fd, reinterpret_cast<const sockaddr*>(&address), size) != 0 || ::listen(fd, 8) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    CloseFd(fd);
    return -1;
  }
  port = ntohs(address.sin_port);
  return fd;
}

int ConnectToLoopback(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in address = LoopbackAddress(port);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    CloseFd(fd);
  }
  return fd;
}

bool SendAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data += sent;
    size -= static_cast<size_t>(sent);
  }
  return true;
}

// Moves what `from` has to `to`, keeping a copy in `record`. False once `from` has ended (or
// failed, or `to` refuses it), after passing the end on to `to` as a half-close.
bool CopyOnce(int from, int to, std::string& record) {
  char buffer[16384];
  const ssize_t got = ::recv(from, buffer, sizeof buffer, 0);
  if (got < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (got > 0) {
    record.append(buffer, static_cast<size_t>(got));
    if (SendAll(to, buffer, static_cast<size_t>(got))) return true;
  }
  ::shutdown(to, SHUT_WR);
  return false;
}

}  // namespace

RecordingProxy::RecordingProxy(uint16_t target_port)
    : RecordingProxy(target_port, "127.0.0.1", 0) {}

RecordingProxy::RecordingProxy(uint16_t target_port, const std::string& host, uint16_t port)
    : target_port_(target_port), port_(port) {
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) {
    port_ = 0;
    return;
  }
  listener_ = ListenOnLoopback(host, port_);
  if (listener_ < 0) {
    port_ = 0;
    return;
  }
  thread_ = std::thread([this] { Serve(); });
}

RecordingProxy::~RecordingProxy() {
  Stop();
  CloseFd(stop_pipe_[0]);
  CloseFd(stop_pipe_[1]);
}

const std::vector<RecordingProxy::Connection>& RecordingProxy::Stop() {
  if (thread_.joinable()) {
    const char stop = 's';
    while (::write(stop_pipe_[1], &stop, 1) < 0 && errno == EINTR) {
    }
    thread_.join();
  }
  CloseFd(listener_);
  return connections_;
}

void RecordingProxy::Serve() {
  for (;;) {
    pollfd ready[2] = {{listener_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(ready, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (ready[1].revents != 0) return;
    int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    int server = ConnectToLoopback(target_port_);
    connections_.emplace_back();
    if (server >= 0) Relay(client, server, connections_.back());
    CloseFd(client);
    CloseFd(server);
  }
}

void RecordingProxy::Relay(int client, int server, Connection& record) {
  bool client_open = true;
  bool server_open = true;
  while (client_open || server_open) {
    // A side that has ended is no longer polled: POLLHUP would keep waking the loop.
    pollfd ready[3] = {{client_open ? client : -1, POLLIN, 0},
                       {server_open ? server : -1, POLLIN, 0},
                       {stop_pipe_[0], POLLIN, 0}};
    if (::poll(ready, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (ready[2].revents != 0) return;
    if (client_open && ready[0].revents != 0) {
      client_open = CopyOnce(client, server, record.from_client);
    }
    if (server_open && ready[1].revents != 0) {
      server_open = CopyOnce(server, client, record.from_server);
    }
  }
}

}  // namespace attune::e2e
