// Sends UDP datagrams to an IPv4 multicast group through loopback, from a chosen 127.x.y.z
// source (every one of them is this machine): how the discovery tests play another device on
// the network, replaying or forging announcements. Header-only, so that the e2e suite, which
// links none of attune's code, can use it too.
#ifndef ATTUNE_TESTS_COMMON_GROUP_SENDER_H_
#define ATTUNE_TESTS_COMMON_GROUP_SENDER_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>

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

}  // namespace attune::test_common

#endif  // ATTUNE_TESTS_COMMON_GROUP_SENDER_H_
