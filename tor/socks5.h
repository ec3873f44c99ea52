// A SOCKS5 CONNECT by host name (RFC 1928, no authentication), as tor's SOCKS port speaks it,
// with tor's extended error replies (proposal 304, SocksPort flag ExtendedErrors) that say why
// an onion service could not be reached. Pure, sans-I/O: node/ writes Start() and Request() to
// the connection, feeds what it reads, and once Done() hands the connection to the Noise
// session together with any bytes read past the reply.
#ifndef ATTUNE_TOR_SOCKS5_H_
#define ATTUNE_TOR_SOCKS5_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

namespace attune::tor {

// The reply codes: RFC 1928's, then tor's extended ones for onion services.
enum class SocksReply : uint8_t {
  kSucceeded = 0x00,
  kGeneralFailure = 0x01,
  kNotAllowed = 0x02,
  kNetworkUnreachable = 0x03,
  kHostUnreachable = 0x04,
  kConnectionRefused = 0x05,
  kTtlExpired = 0x06,
  kCommandNotSupported = 0x07,
  kAddressTypeNotSupported = 0x08,
  kDescriptorNotFound = 0xF0,    // no HSDir has the service's descriptor
  kDescriptorInvalid = 0xF1,     // found, but it cannot be parsed or checked
  kIntroductionFailed = 0xF2,    // every introduction point failed
  kRendezvousFailed = 0xF3,      // the rendezvous did not complete
  kMissingClientAuth = 0xF4,     // the descriptor needs a client key this tor lacks
  kWrongClientAuth = 0xF5,       // this tor's client key does not open the descriptor
  kBadOnionAddress = 0xF6,       // not a valid onion address
  kIntroductionTimedOut = 0xF7,  // an introduction took too long
};

// Reply code of a refused connection, as the SocksReply value (any other byte too).
std::string_view SocksReplyName(uint8_t reply);

class Socks5Connect {
 public:
  // kInvalidArgument for an empty host, one longer than 255 bytes, or port 0.
  static Result<Socks5Connect> To(std::string_view host, uint16_t port);

  // The greeting: version 5, one method, "no authentication".
  Bytes Start() const;

  // Takes bytes read from the connection. Once the method choice has come, Request() has the
  // CONNECT to write; once the whole reply has come, Done() is true. A refusal is kUnreachable
  // with reason TorReason::kSocksRefused; reply() then gives tor's code. Any other violation of
  // the protocol is kProtocolError. Both poison the exchange.
  Status Receive(ByteSpan bytes);

  // The CONNECT request, once the server has chosen "no authentication" (empty before).
  Bytes TakeRequest();

  bool Done() const { return state_ == State::kConnected; }
  uint8_t reply() const { return reply_; }
  // Bytes that came after the reply: the start of the tunnelled stream.
  Bytes TakeLeftover() { return std::move(leftover_); }

 private:
  enum class State { kAwaitingMethod, kAwaitingReply, kConnected, kFailed };

  Socks5Connect(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}
  Status Fail(Status status);
  Status ParseReply();

  std::string host_;
  uint16_t port_;
  State state_ = State::kAwaitingMethod;
  Bytes buffer_;
  Bytes request_;
  Bytes leftover_;
  uint8_t reply_ = 0xFF;
  Status error_;
};

}  // namespace attune::tor

#endif  // ATTUNE_TOR_SOCKS5_H_
