#include "tests/link/link_test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "node/journal/link_identity.h"
#include "node/runtime.h"

namespace attune::link_testing {

RawClient::RawClient(uint16_t port, int socket_buffer_bytes) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (socket_buffer_bytes > 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &socket_buffer_bytes, sizeof socket_buffer_bytes);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &socket_buffer_bytes, sizeof socket_buffer_bytes);
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

void RawClient::SendBytes(ByteSpan bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the server may already have closed: the test checks that separately
    sent += static_cast<size_t>(n);
  }
}

void RawClient::SendFrame(ByteSpan payload) {
  Bytes frame = {static_cast<uint8_t>(payload.size() >> 8), static_cast<uint8_t>(payload.size())};
  frame.insert(frame.end(), payload.begin(), payload.end());
  SendBytes(frame);
}

size_t RawClient::SendUntilStalled(ByteSpan bytes, std::chrono::milliseconds stall) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    pollfd poller{fd_, POLLOUT, 0};
    if (::poll(&poller, 1, static_cast<int>(stall.count())) <= 0) break;  // stalled
    const ssize_t n =
        ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) break;  // closed or failed
    sent += static_cast<size_t>(n);
  }
  return sent;
}

bool RawClient::ReadExactly(uint8_t* out, size_t size, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t got = 0;
  while (got < size) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd poller{fd_, POLLIN, 0};
    if (::poll(&poller, 1, static_cast<int>(left.count())) <= 0) return false;
    ssize_t n = ::recv(fd_, out + got, size - got, 0);
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

std::optional<Bytes> RawClient::ReadFrame(std::chrono::milliseconds timeout) {
  uint8_t header[2];
  if (!ReadExactly(header, 2, timeout)) return std::nullopt;
  Bytes payload(size_t{header[0]} << 8 | header[1]);
  if (!ReadExactly(payload.data(), payload.size(), timeout)) return std::nullopt;
  return payload;
}

bool RawClient::ClosedByPeer(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  uint8_t buffer[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd poller{fd_, POLLIN, 0};
    if (::poll(&poller, 1, 50) < 0) return false;
    if (poller.revents == 0) continue;
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return true;  // EOF or reset
  }
  return false;
}

std::optional<size_t> RawClient::BytesBeforeClose(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  uint8_t buffer[4096];
  size_t received = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd poller{fd_, POLLIN, 0};
    if (::poll(&poller, 1, 50) < 0) return std::nullopt;
    if (poller.revents == 0) continue;
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return received;  // EOF or reset
    received += static_cast<size_t>(n);
  }
  return std::nullopt;
}

void RawClient::ShutdownWrite() {
  ::shutdown(fd_, SHUT_WR);
}

TestNode::TestNode(const std::string& dir, const std::string& name)
    : home(dir), clock(node::Timestamp{1767225600000, 0}) {
  EXPECT_TRUE(node::InitializeProcess().ok());
  node::InitOptions options;
  options.name = name;
  options.no_passphrase = true;
  Result<node::Journal> made = node::Journal::Init(
      home, options, [] { return Result<node::Secret>(node::Secret()); }, clock);
  EXPECT_TRUE(made.ok()) << made.status().detail();
  journal.emplace(std::move(made).value());
  Result<crypto::X25519KeyPair> pair = LinkIdentityOf(*journal);
  EXPECT_TRUE(pair.ok());
  identity = std::move(pair).value();
}

void PairDirectly(TestNode& a, TestNode& b) {
  // As pairing does since issue 17, each tells the other its onion contact (made first: once a
  // node has told it, its keys may never be made anew).
  Result<node::OnionContact> a_contact = a.journal->OwnOnionContact();
  Result<node::OnionContact> b_contact = b.journal->OwnOnionContact();
  ASSERT_TRUE(a_contact.ok() && b_contact.ok());
  auto remember = [](TestNode& self, const TestNode& other, const node::OnionContact& contact,
                     const std::string& name) {
    node::Partner partner;
    partner.public_key = other.identity.public_key;
    partner.display_name = name;
    partner.paired_at = self.clock.Now();
    partner.last_address = "127.0.0.1:1";
    partner.onion = contact;
    partner.told_own_onion = true;
    ASSERT_TRUE(self.journal->SavePartner(partner, /*replace=*/false).ok());
  };
  remember(a, b, *b_contact, "B");
  remember(b, a, *a_contact, "A");
}

ServeThread::ServeThread(const TestNode& served, node::LinkTimeouts timeouts,
                         ServeThreadOptions serve_options) {
  const std::string dir = served.home.dir();
  thread_ = std::thread([this, dir, timeouts, serve_options] {
    node::Home home(dir);
    node::SystemClock clock;
    Result<node::Journal> journal = node::Journal::Open(
        home, [] { return Result<node::Secret>(node::Secret()); }, clock);
    Status outcome = journal.status();
    if (journal.ok()) {
      node::ServeOptions options;
      options.listen = node::Endpoint{"127.0.0.1", 0};
      options.timeouts = timeouts;
      options.dial = serve_options.dial;
      options.discovery = serve_options.discovery;
      options.stop = &stop_;
      options.on_event = [this](const node::ServeEvent& event) {
        std::lock_guard lock(mutex_);
        if (event.kind == node::ServeEventKind::kListening) port_ = event.port;
        events_.push_back(event);
        changed_.notify_all();
      };
      outcome = node::Serve(*journal, options);
    }
    std::lock_guard lock(mutex_);
    result_ = outcome;
    changed_.notify_all();
  });
  EXPECT_TRUE(WaitForEvent(node::ServeEventKind::kListening)) << "serve did not start";
}

ServeThread::~ServeThread() {
  if (thread_.joinable()) (void)Stop();
}

bool ServeThread::WaitForEvents(const std::function<bool(const node::ServeEvent&)>& matches,
                                size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    const size_t seen = std::count_if(events_.begin(), events_.end(), matches);
    return seen >= count || result_.has_value();
  }) && !result_.has_value();
}

bool ServeThread::WaitForEvent(node::ServeEventKind kind, std::chrono::milliseconds timeout) {
  return WaitForEvents([kind](const node::ServeEvent& event) { return event.kind == kind; }, 1,
                       timeout);
}

bool ServeThread::WaitForEvent(node::ServeEventKind kind, StatusCode code,
                               std::chrono::milliseconds timeout) {
  return WaitForEvents(
      [kind, code](const node::ServeEvent& event) {
        return event.kind == kind && event.problem.code() == code;
      },
      1, timeout);
}

std::vector<node::ServeEvent> ServeThread::events() {
  std::lock_guard lock(mutex_);
  return events_;
}

Status ServeThread::Stop() {
  // Not SIGTERM: it would reach every serve in this process, and a serve already ending (another
  // one's SIGTERM ended it too) no longer handles it, so the default action would end the test.
  stop_.Stop();
  thread_.join();
  return *result_;
}

std::optional<protocol::Session> Handshake(RawClient& client, TestNode& as,
                                           const crypto::X25519PublicKey& pinned) {
  Result<uint64_t> counter = as.journal->NextHandshakeCounter();
  if (!counter.ok()) {
    ADD_FAILURE() << counter.status().detail();
    return std::nullopt;
  }
  protocol::SessionConfig config;
  config.role = protocol::SessionRole::kInitiator;
  config.local_static = crypto::CopyKeyPair(as.identity);
  config.pinned_partner = pinned;
  config.handshake_counter = *counter;
  Result<protocol::Session> started = protocol::Session::Start(std::move(config));
  if (!started.ok()) {
    ADD_FAILURE() << started.status().detail();
    return std::nullopt;
  }
  protocol::Session session = std::move(started).value();
  while (true) {
    for (const Bytes& frame : session.TakeOutgoing()) client.SendFrame(frame);
    if (session.established()) return session;
    std::optional<Bytes> frame = client.ReadFrame();
    if (!frame) {
      ADD_FAILURE() << "the server sent no handshake reply";
      return std::nullopt;
    }
    Status received = session.Receive(*frame);
    if (!received.ok()) {
      ADD_FAILURE() << "handshake failed: " << received.detail();
      return std::nullopt;
    }
  }
}

ClosingListener::ClosingListener(Ending ending) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd_, 16) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ADD_FAILURE() << "could not listen on loopback";
    return;
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this, ending] {
    // accept() blocks until a connection comes or the destructor shuts the listener down.
    for (int connection; (connection = ::accept(fd_, nullptr, nullptr)) >= 0;) {
      ++accepted_;
      const timeval patience{.tv_sec = 5, .tv_usec = 0};  // a client that never sends
      ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
      pollfd readable{connection, POLLIN, 0};
      (void)::poll(&readable, 1, 5000);
      if (ending == Ending::kAfterReading) {
        uint8_t header[2];
        if (::recv(connection, header, sizeof header, MSG_WAITALL) == 2) {
          std::vector<uint8_t> payload(size_t{header[0]} << 8 | header[1]);
          (void)::recv(connection, payload.data(), payload.size(), MSG_WAITALL);
        }
      }
      ::close(connection);
    }
  });
}

ClosingListener::~ClosingListener() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);  // wakes the accept() above
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) ::close(fd_);
}

node::LinkTimeouts FastTimeouts() {
  node::LinkTimeouts timeouts;
  timeouts.connect = std::chrono::milliseconds(2000);
  timeouts.handshake = std::chrono::milliseconds(500);
  timeouts.idle = std::chrono::milliseconds(2000);
  timeouts.pairing_wait = std::chrono::milliseconds(5000);
  return timeouts;
}

uint16_t UnusedUdpPort() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof at;
  uint16_t port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&at), &size) == 0) {
    port = ntohs(at.sin_port);
  }
  if (fd >= 0) ::close(fd);
  return port;
}

}  // namespace attune::link_testing
