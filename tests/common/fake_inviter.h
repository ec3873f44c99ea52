// A pairing inviter of another attune version, played with plain sockets: it listens on an
// unused port of 127.0.0.1, takes one connection, reads the joiner's request and answers it with
// a fixed frame (a PairAbort), then closes. Header-only, so that the e2e suite, which links none
// of attune's code, can use it too.
#ifndef ATTUNE_TESTS_COMMON_FAKE_INVITER_H_
#define ATTUNE_TESTS_COMMON_FAKE_INVITER_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <thread>

#include "base/bytes.h"

namespace attune::test_common {

// PairingMessage{abort: PairAbort{reason: VERSION_MISMATCH}} as an inviter of `version` sends
// it: version 1 put no version in it (pass 0), later versions do.
inline Bytes VersionMismatchAbort(uint8_t version) {
  if (version == 0) return Bytes{0x2a, 0x02, 0x08, 0x02};
  return Bytes{0x2a, 0x04, 0x08, 0x02, 0x10, version};
}

class FakeInviter {
 public:
  // Answers the first request with `reply` (a frame's payload, under 256 bytes).
  explicit FakeInviter(Bytes reply) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof at;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&at), size) != 0 || listen(fd_, 1) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&at), &size) != 0) {
      return;
    }
    port_ = ntohs(at.sin_port);
    thread_ = std::thread([this, reply = std::move(reply)] { AnswerOnce(reply); });
  }
  ~FakeInviter() {
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) close(fd_);
  }
  FakeInviter(const FakeInviter&) = delete;
  FakeInviter& operator=(const FakeInviter&) = delete;

  // 0 if it could not listen.
  uint16_t port() const { return port_; }

 private:
  // Waits at most 20 s for each step, so that a joiner that never comes cannot hang the test.
  void AnswerOnce(const Bytes& reply) {
    pollfd ready{fd_, POLLIN, 0};
    if (poll(&ready, 1, 20'000) != 1) return;
    const int client = accept(fd_, nullptr, nullptr);
    if (client < 0) return;
    uint8_t request[512];
    pollfd readable{client, POLLIN, 0};
    if (poll(&readable, 1, 20'000) == 1 && recv(client, request, sizeof request, 0) > 0) {
      Bytes frame = {0, static_cast<uint8_t>(reply.size())};
      frame.insert(frame.end(), reply.begin(), reply.end());
      (void)send(client, frame.data(), frame.size(), MSG_NOSIGNAL);
    }
    close(client);
  }

  int fd_;
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace attune::test_common

#endif  // ATTUNE_TESTS_COMMON_FAKE_INVITER_H_
