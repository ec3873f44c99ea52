// Sends UDP datagrams to an IPv4 multicast group through loopback, from a chosen 127.x.y.z
// source (every one of them is this machine): how the discovery tests play another device on
// the network, replaying or forging announcements, now and then again (Repeating); and captures
// one datagram sent to the group, as such a device would record it. Header-only, so that the e2e
// suite, which links none of attune's code, can use it too.
#ifndef ATTUNE_TESTS_COMMON_GROUP_SENDER_H_
#define ATTUNE_TESTS_COMMON_GROUP_SENDER_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "base/bytes.h"

namespace attune::test_common {

class LoopbackGroupSender {
 public:
  explicit LoopbackGroupSender(const std::string& source = "127.0.0.1")
      : fd_(socket(AF_INET, SOCK_DGRAM, 0)) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    in_addr loopback{};
    loopback.s_addr = htonl(INADDR_LOOPBACK);
    // Linux's lo has no MULTICAST flag, yet delivers the group's datagrams when asked by
    // address (node/discovery.h does the same).
    ok_ = fd_ >= 0 && inet_pton(AF_INET, source.c_str(), &from.sin_addr) == 1 &&
          bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) == 0 &&
          setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_IF, &loopback, sizeof loopback) == 0;
  }
  ~LoopbackGroupSender() {
    if (fd_ >= 0) close(fd_);
  }
  LoopbackGroupSender(const LoopbackGroupSender&) = delete;
  LoopbackGroupSender& operator=(const LoopbackGroupSender&) = delete;

  bool ok() const { return ok_; }

  // Best effort, like the network: a datagram nobody hears is not an error.
  void Send(const void* packet, size_t size, const char* group, uint16_t port) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    inet_pton(AF_INET, group, &to.sin_addr);
    (void)sendto(fd_, packet, size, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  }
  void Send(std::string_view packet, const char* group, uint16_t port) {
    Send(packet.data(), packet.size(), group, port);
  }
  void Send(ByteSpan packet, const char* group, uint16_t port) {
    Send(packet.data(), packet.size(), group, port);
  }

 private:
  int fd_;
  bool ok_ = false;
};

// Joins `group` on 127.0.0.1 and waits up to `timeout` (per datagram) for one datagram sent to it
// on `port` from `source`; datagrams from elsewhere (this machine's other interfaces: multicast
// loops back on each) are skipped, up to a hundred of them.
inline std::optional<std::string> CaptureGroupDatagram(const char* group, uint16_t port,
                                                       const char* source,
                                                       std::chrono::milliseconds timeout) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return std::nullopt;
  const int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_port = htons(port);
  at.sin_addr.s_addr = htonl(INADDR_ANY);
  ip_mreq membership{};
  inet_pton(AF_INET, group, &membership.imr_multiaddr);
  inet_pton(AF_INET, "127.0.0.1", &membership.imr_interface);
  in_addr wanted{};
  inet_pton(AF_INET, source, &wanted);
  timeval wait{};
  wait.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  wait.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  std::optional<std::string> packet;
  if (bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0 &&
      setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &membership, sizeof membership) == 0 &&
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait) == 0) {
    for (int tries = 0; tries < 100 && !packet; ++tries) {
      char buffer[512];
      sockaddr_in from{};
      socklen_t from_size = sizeof from;
      const ssize_t size =
          recvfrom(fd, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &from_size);
      if (size <= 0) break;
      if (from.sin_addr.s_addr == wanted.s_addr) {
        packet = std::string(buffer, static_cast<size_t>(size));
      }
    }
  }
  close(fd);
  return packet;
}

// Calls `send` at once and then every `interval` on a thread of its own, until destroyed: a
// device on the network announcing. Between calls it waits on a condition variable, so that the
// destructor ends it at once.
class Repeating {
 public:
  Repeating(std::function<void()> send, std::chrono::milliseconds interval)
      : thread_([this, send = std::move(send), interval] {
          std::unique_lock<std::mutex> lock(mutex_);
          while (!stopping_) {
            send();
            stopped_.wait_for(lock, interval, [this] { return stopping_; });
          }
        }) {}
  ~Repeating() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    stopped_.notify_all();
    thread_.join();
  }
  Repeating(const Repeating&) = delete;
  Repeating& operator=(const Repeating&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable stopped_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members it uses exist
};

}  // namespace attune::test_common

#endif  // ATTUNE_TESTS_COMMON_GROUP_SENDER_H_
