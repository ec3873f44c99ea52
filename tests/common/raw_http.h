// A plain TCP connection to 127.0.0.1 that sends exactly the bytes a test writes, and a minimal
// HTTP/1.1 client on it for the tests of `attune ui`'s server (a forged Host, a missing Origin,
// an oversize body: what a real client library would refuse or correct). The link's end-to-end
// tests use the connection for strangers' bytes (tests/e2e/loopback.h).
#ifndef ATTUNE_TESTS_COMMON_RAW_HTTP_H_
#define ATTUNE_TESTS_COMMON_RAW_HTTP_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace attune::test_common {

// One connection to 127.0.0.1:port. A receive timeout (20 s) only keeps a broken server from
// hanging the test.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  // False if the other side has dropped the connection (which some tests then check).
  bool Send(std::string_view bytes);
  // Says "no more from me" (a FIN) while still listening for the other side.
  void ShutdownWrite();
  // True if the other side closed the connection (end of file or reset) within `timeout`;
  // bytes it sends meanwhile are read and dropped.
  bool ClosedByPeerWithin(std::chrono::milliseconds timeout);
  // Reads until `marker` has arrived at or after offset `from` of what was read, or the
  // connection ends; all read so far.
  std::string ReadUntil(std::string_view marker, size_t from = 0);
  // Reads until the server closes the connection.
  std::string ReadAll();

 private:
  int fd_;
  bool connected_ = false;
  std::string received_;
};

// A TCP listener on 127.0.0.1 at a port the OS chose, held until destroyed: a port in use for
// a server that must fail to listen there, or a raw peer that accepts on fd().
class LoopbackListener {
 public:
  LoopbackListener();
  ~LoopbackListener();
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  int fd() const { return fd_; }
  uint16_t port() const { return port_; }  // 0 if the listener could not be made

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

struct HttpAnswer {
  int status = 0;
  std::string head;  // the status line and the headers
  std::string body;
};

HttpAnswer ParseHttpAnswer(const std::string& raw);

// `method target` to 127.0.0.1:port with `headers` (each "Name: value\r\n"), `Connection:
// close`, and `body` with its length; the whole answer.
HttpAnswer HttpRequest(uint16_t port, std::string_view method, std::string_view target,
                       const std::string& headers, std::string_view body = "");

// The value of the session cookie a page answer sets ("attune_session_PORT=HEX"), or "".
std::string SessionCookieOf(const HttpAnswer& answer);

}  // namespace attune::test_common

#endif  // ATTUNE_TESTS_COMMON_RAW_HTTP_H_
