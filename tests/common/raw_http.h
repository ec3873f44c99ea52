// A minimal HTTP/1.1 client on a plain socket, for the tests of `attune ui`'s server: it sends
// exactly the bytes a test writes (a forged Host, a missing Origin, an oversize body), which a
// real client library would refuse or correct.
#ifndef ATTUNE_TESTS_COMMON_RAW_HTTP_H_
#define ATTUNE_TESTS_COMMON_RAW_HTTP_H_

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
  bool Send(std::string_view bytes);
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
