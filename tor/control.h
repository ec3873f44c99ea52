// The Tor control protocol (tor's control-spec.txt, sections 2 and 4) as pure, sans-I/O code:
// bytes from tor's control port in, replies and events out; commands as bytes to write. node/
// owns the socket. The only tor attune talks to is the one it started itself, on 127.0.0.1, but
// its bytes are still bytes from outside the process: every limit below holds against any input
// (tests/fuzz/tor_control_fuzz.cc).
//
// A reply is one or more lines "CODE" SP|"-"|"+" TEXT CRLF. "-" continues the reply, SP ends
// it, "+" starts a data block (lines up to a lone ".", with a leading ".." meaning ".").
// Status 650 marks an asynchronous event, which tor may send between any two replies.
#ifndef ATTUNE_TOR_CONTROL_H_
#define ATTUNE_TOR_CONTROL_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace attune::tor {

// Reasons within tor's codes (see base/status.h), from 800.
enum class TorReason {
  kNotInstalled = 800,       // kNotFound: no tor binary
  kExitedEarly = 801,        // kUnreachable: tor stopped before its control port was up
  kBootstrapTimedOut = 802,  // kTimedOut: tor did not reach 100% in time
  kControlRefused = 803,     // kProtocolError: tor answered a command with an error status
  kPublishTimedOut = 804,    // kTimedOut: the onion service's descriptor was never uploaded
  kPublishFailed = 805,      // kUnreachable: every upload of the descriptor failed
  kSocksRefused = 806,       // kUnreachable: tor's SOCKS port refused the connection (see Socks5)
  // kUnreachable (every HSDir asked said why, e.g. NOT_FOUND) or kTimedOut: a service's
  // descriptor could not be fetched.
  kDescriptorUnavailable = 807,
};

inline constexpr int kStatusOk = 250;
inline constexpr int kStatusEvent = 650;
// Bounds on what one reply may hold; tor's replies to attune's commands are far smaller.
inline constexpr size_t kMaxLineBytes = 16 * 1024;
inline constexpr size_t kMaxReplyLines = 256;

struct ReplyLine {
  std::string text;  // after the status and separator, without CRLF
  std::string data;  // the data block of a "+" line (lines joined with "\n"), else empty
};

struct Reply {
  int status = 0;
  std::vector<ReplyLine> lines;

  // 2xx: 250, and e.g. ONION_CLIENT_AUTH_ADD's 251 (replaced) and 252 (descriptor decrypted).
  bool ok() const { return status >= 200 && status < 300; }
  bool is_event() const { return status == kStatusEvent; }
};

// Splits the control connection's byte stream into replies and events.
//
// Feed() takes bytes in any split and returns every reply completed by them, in order. A line
// longer than kMaxLineBytes, a reply of more than kMaxReplyLines lines, a malformed status or a
// line whose status differs from its reply's first line is kProtocolError, and poisons the
// reader: every later call returns the same error. Not thread-safe.
class ReplyReader {
 public:
  Result<std::vector<Reply>> Feed(ByteSpan bytes);

 private:
  Status TakeLine(std::string line, std::vector<Reply>& done);
  Status TakeDataLine(std::string line);
  Status Poison(std::string detail);

  std::string partial_;     // bytes of an unfinished line
  Reply current_;           // lines of an unfinished reply
  bool in_data_ = false;    // inside a "+" data block
  bool last_line_ = false;  // the data block belongs to the reply's final line
  Status error_;
};

// The words of a reply line or event: positional words first, then KEY=VALUE pairs, with quoted
// values unescaped (\" \\ \n \t \r). A quoted value that never ends is kProtocolError.
struct Words {
  std::vector<std::string> positional;
  std::map<std::string, std::string> keyed;

  std::optional<std::string> Get(const std::string& key) const;
};
Result<Words> SplitWords(std::string_view text);

// What ControlPortWriteToFile writes, "PORT=127.0.0.1:NNNN" on one line: the port. A file that
// names another address than 127.0.0.1 or is not in this form is kProtocolError.
Result<uint16_t> ParseControlPortFile(std::string_view content);

// The port of "127.0.0.1:NNNN" (as in GETINFO net/listeners/socks, quoted or not).
Result<uint16_t> ParseLoopbackPort(std::string_view text);

}  // namespace attune::tor

#endif  // ATTUNE_TOR_CONTROL_H_
