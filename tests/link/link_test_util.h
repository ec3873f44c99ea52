// Two paired homes in one process, a real `Serve` loop on a thread, and a raw TCP client that
// can speak (and break) the protocol: the harness for the link's loopback tests.
#ifndef ATTUNE_TESTS_LINK_LINK_TEST_UTIL_H_
#define ATTUNE_TESTS_LINK_LINK_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "node/clock.h"
#include "node/home.h"
#include "node/journal.h"
#include "node/link.h"
#include "node/serve_events.h"
#include "node/stop_signal.h"
#include "protocol/session.h"
#include "tests/common/files.h"

namespace attune::link_testing {

// A blocking TCP client on loopback, with a receive timeout so a test never hangs.
class RawClient {
 public:
  // `socket_buffer_bytes` > 0 sets SO_RCVBUF and SO_SNDBUF before connecting (the kernel may
  // round it), so that a test can fill the pipe to the server with little data.
  explicit RawClient(uint16_t port, int socket_buffer_bytes = 0);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  void SendBytes(ByteSpan bytes);
  void SendFrame(ByteSpan payload);  // 2-byte length + payload
  // Sends as much of `bytes` as the server takes, giving up once no byte could be sent for
  // `stall` (the server stopped reading) or the connection failed. Returns the bytes sent.
  size_t SendUntilStalled(ByteSpan bytes, std::chrono::milliseconds stall);
  // The next frame's payload; nullopt on EOF, error or timeout.
  std::optional<Bytes> ReadFrame(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // True if the server closed the connection (EOF or reset) within `timeout`, skipping any
  // frames still in flight.
  bool ClosedByPeer(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // How many bytes the server sent before it closed the connection; nullopt if it did not
  // close it within `timeout`.
  std::optional<size_t> BytesBeforeClose(
      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  void ShutdownWrite();

 private:
  bool ReadExactly(uint8_t* out, size_t size, std::chrono::milliseconds timeout);
  int fd_ = -1;
};

// One node: a home with a passphrase-free journal.
struct TestNode {
  explicit TestNode(const std::string& dir, const std::string& name);
  node::Home home;
  node::ManualClock clock;
  std::optional<node::Journal> journal;
  crypto::X25519KeyPair identity;
};

// Makes `a` and `b` each other's partner directly in their journals, onion contacts included
// (pairing has its own tests).
void PairDirectly(TestNode& a, TestNode& b);

// What a ServeThread's serve does besides listening. By default it neither dials nor announces,
// so that parallel tests never hear each other's nodes.
struct ServeThreadOptions {
  bool dial = false;
  node::DiscoveryOptions discovery{.enabled = false, .on_looking = nullptr};
};

// Runs node::Serve for `node`'s home on its own thread and journal handle, listening on
// 127.0.0.1 with an OS-chosen port, until Stop() (through ServeOptions::stop, which is what
// serve does on SIGTERM, for this serve alone; the e2e tests send real signals to processes).
class ServeThread {
 public:
  ServeThread(const TestNode& node, node::LinkTimeouts timeouts,
              ServeThreadOptions options = ServeThreadOptions());
  ~ServeThread();

  uint16_t port() const { return port_; }
  // Waits until serve reported `count` events that `matches` (node/serve_events.h); true if it
  // did within `timeout`.
  bool WaitForEvents(const std::function<bool(const node::ServeEvent&)>& matches, size_t count,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Waits until serve reported one event of `kind` (and, if given, with a problem of `code`).
  bool WaitForEvent(node::ServeEventKind kind,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5));
  bool WaitForEvent(node::ServeEventKind kind, StatusCode code,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5));
  std::vector<node::ServeEvent> events();
  Status Stop();

 private:
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<node::ServeEvent> events_;
  std::optional<Status> result_;
  uint16_t port_ = 0;
  node::StopSignal stop_;
};

// A client session as `as` would open it (with a handshake counter from its journal), up to
// established, over `client`. Records a test failure and returns nullopt if the handshake does
// not complete.
std::optional<protocol::Session> Handshake(RawClient& client, TestNode& as,
                                           const crypto::X25519PublicKey& pinned);

// A TCP listener on 127.0.0.1 that accepts every connection and ends it without sending a
// byte. kAfterReading reads the first frame and then closes: what a partner's address looks
// like when another attune (or another program) now listens there. kResetting waits for the
// first bytes and closes with them unread, which resets the connection: what a partner's
// attune looks like when it is killed in the middle of a handshake.
class ClosingListener {
 public:
  enum class Ending { kAfterReading, kResetting };
  explicit ClosingListener(Ending ending = Ending::kAfterReading);
  ~ClosingListener();
  uint16_t port() const { return port_; }
  int accepted() const { return accepted_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<int> accepted_ = 0;
  std::thread thread_;
};

// Short timeouts so that stalls are seen quickly.
node::LinkTimeouts FastTimeouts();

// A UDP port on 127.0.0.1 that was free a moment ago (0 if none could be found).
uint16_t UnusedUdpPort();

}  // namespace attune::link_testing

#endif  // ATTUNE_TESTS_LINK_LINK_TEST_UTIL_H_
