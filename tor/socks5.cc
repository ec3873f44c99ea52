#include "tor/socks5.h"

#include <utility>

#include "tor/control.h"

namespace attune::tor {
namespace {

constexpr uint8_t kVersion = 0x05;
constexpr uint8_t kNoAuthentication = 0x00;
constexpr uint8_t kConnect = 0x01;
constexpr uint8_t kAddressIpv4 = 0x01;
constexpr uint8_t kAddressDomain = 0x03;
constexpr uint8_t kAddressIpv6 = 0x04;
constexpr size_t kMaxHost = 255;

}  // namespace

std::string_view SocksReplyName(uint8_t reply) {
  switch (static_cast<SocksReply>(reply)) {
    case SocksReply::kSucceeded:
      return "succeeded";
    case SocksReply::kGeneralFailure:
      return "general_failure";
    case SocksReply::kNotAllowed:
      return "not_allowed";
    case SocksReply::kNetworkUnreachable:
      return "network_unreachable";
    case SocksReply::kHostUnreachable:
      return "host_unreachable";
    case SocksReply::kConnectionRefused:
      return "connection_refused";
    case SocksReply::kTtlExpired:
      return "ttl_expired";
    case SocksReply::kCommandNotSupported:
      return "command_not_supported";
    case SocksReply::kAddressTypeNotSupported:
      return "address_type_not_supported";
    case SocksReply::kDescriptorNotFound:
      return "descriptor_not_found";
    case SocksReply::kDescriptorInvalid:
      return "descriptor_invalid";
    case SocksReply::kIntroductionFailed:
      return "introduction_failed";
    case SocksReply::kRendezvousFailed:
      return "rendezvous_failed";
    case SocksReply::kMissingClientAuth:
      return "missing_client_auth";
    case SocksReply::kWrongClientAuth:
      return "wrong_client_auth";
    case SocksReply::kBadOnionAddress:
      return "bad_onion_address";
    case SocksReply::kIntroductionTimedOut:
      return "introduction_timed_out";
  }
  return "unknown";
}

Result<Socks5Connect> Socks5Connect::To(std::string_view host, uint16_t port) {
  if (host.empty() || host.size() > kMaxHost || port == 0) {
    return Status::InvalidArgument("not a host and port SOCKS5 can name");
  }
  return Socks5Connect(std::string(host), port);
}

Bytes Socks5Connect::Start() const {
  return {kVersion, 1, kNoAuthentication};
}

Bytes Socks5Connect::TakeRequest() {
  return std::move(request_);
}

Status Socks5Connect::Fail(Status status) {
  state_ = State::kFailed;
  error_ = std::move(status);
  return error_;
}

Status Socks5Connect::Receive(ByteSpan bytes) {
  if (!error_.ok()) return error_;
  if (state_ == State::kConnected) {
    leftover_.insert(leftover_.end(), bytes.begin(), bytes.end());
    return Status::Ok();
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  if (state_ == State::kAwaitingMethod) {
    if (buffer_.size() < 2) return Status::Ok();
    if (buffer_[0] != kVersion || buffer_[1] != kNoAuthentication) {
      return Fail(Status::ProtocolError("the SOCKS server wants authentication"));
    }
    buffer_.erase(buffer_.begin(), buffer_.begin() + 2);
    request_ = {kVersion, kConnect, 0x00, kAddressDomain, static_cast<uint8_t>(host_.size())};
    request_.insert(request_.end(), host_.begin(), host_.end());
    request_.push_back(static_cast<uint8_t>(port_ >> 8));
    request_.push_back(static_cast<uint8_t>(port_ & 0xff));
    state_ = State::kAwaitingReply;
  }
  return ParseReply();
}

// VER REP RSV ATYP BND.ADDR BND.PORT; tor sends a reply of this shape for refusals too.
Status Socks5Connect::ParseReply() {
  if (buffer_.size() < 5) return Status::Ok();
  if (buffer_[0] != kVersion) return Fail(Status::ProtocolError("not a SOCKS5 reply"));
  size_t address_bytes = 0;
  switch (buffer_[3]) {
    case kAddressIpv4:
      address_bytes = 4;
      break;
    case kAddressIpv6:
      address_bytes = 16;
      break;
    case kAddressDomain:
      address_bytes = 1 + buffer_[4];
      break;
    default:
      return Fail(Status::ProtocolError("a SOCKS5 reply of unknown address type"));
  }
  const size_t reply_bytes = 4 + address_bytes + 2;
  if (buffer_.size() < reply_bytes) return Status::Ok();
  reply_ = buffer_[1];
  if (reply_ != static_cast<uint8_t>(SocksReply::kSucceeded)) {
    return Fail(
        Status::Unreachable("tor refused the connection: " + std::string(SocksReplyName(reply_)))
            .WithReason(TorReason::kSocksRefused));
  }
  leftover_.assign(buffer_.begin() + static_cast<std::ptrdiff_t>(reply_bytes), buffer_.end());
  buffer_.clear();
  state_ = State::kConnected;
  return Status::Ok();
}

}  // namespace attune::tor
