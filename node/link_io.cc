#include "node/link_io.h"

#include <array>

#include "node/link.h"
#include "protocol/frame.h"

namespace attune::node::link_io {
namespace {

using boost::system::error_code;

auto WithError(error_code& error) {
  return asio::redirect_error(asio::use_awaitable, error);
}

bool IsClosedByPeer(const error_code& error) {
  return error == asio::error::eof || error == asio::error::connection_reset ||
         error == asio::error::broken_pipe;
}

}  // namespace

struct FramedSocket::Channel {
  explicit Channel(tcp::socket connection)
      : socket(std::move(connection)),
        deadlines{Deadline(socket.get_executor()), Deadline(socket.get_executor())} {}

  // A read and a write may be in flight at once (a live session reads while it sends), so each
  // direction has its own deadline.
  struct Deadline {
    explicit Deadline(const tcp::socket::executor_type& executor) : timer(executor) {}
    asio::steady_timer timer;
    uint64_t operation = 0;  // which operation the armed timer belongs to
    bool timed_out = false;
  };

  tcp::socket socket;
  Deadline deadlines[2];    // indexed by Direction
  uint64_t bytes_read = 0;  // whole frames, headers included
  uint64_t bytes_written = 0;
};

FramedSocket::FramedSocket(tcp::socket socket)
    : channel_(std::make_shared<Channel>(std::move(socket))) {
  // Frames are small and answered at once; Nagle's algorithm would hold a second small write
  // until the first is acknowledged (tens of milliseconds with delayed ACKs).
  error_code ignored;
  if (channel_->socket.is_open()) channel_->socket.set_option(tcp::no_delay(true), ignored);
}

void FramedSocket::ArmDeadline(Direction direction, Duration timeout) {
  Channel::Deadline& deadline = channel_->deadlines[static_cast<int>(direction)];
  const uint64_t operation = ++deadline.operation;
  deadline.timed_out = false;
  deadline.timer.expires_after(timeout);
  deadline.timer.async_wait(
      [weak = std::weak_ptr<Channel>(channel_), direction, operation](const error_code& error) {
        std::shared_ptr<Channel> channel = weak.lock();
        if (error || !channel) return;
        Channel::Deadline& expired = channel->deadlines[static_cast<int>(direction)];
        if (expired.operation != operation) return;
        expired.timed_out = true;
        // Cancels both directions: a connection that missed a deadline is given up.
        error_code ignored;
        channel->socket.cancel(ignored);
      });
}

void FramedSocket::DisarmDeadline(Direction direction) {
  Channel::Deadline& deadline = channel_->deadlines[static_cast<int>(direction)];
  ++deadline.operation;  // a handler already queued for this operation now does nothing
  deadline.timer.cancel();
}

bool FramedSocket::timed_out(Direction direction) const {
  return channel_->deadlines[static_cast<int>(direction)].timed_out;
}

Task<Result<Bytes>> FramedSocket::ReadFrame(Duration timeout) {
  std::array<uint8_t, protocol::kFrameHeaderBytes> header{};
  error_code error;
  ArmDeadline(Direction::kRead, timeout);
  co_await asio::async_read(channel_->socket, asio::buffer(header), WithError(error));
  if (!error) {
    Result<size_t> length = protocol::DecodeFrameHeader(header);
    if (!length.ok()) {
      DisarmDeadline(Direction::kRead);
      co_return Status::ProtocolError("the peer sent a zero-length frame");
    }
    Bytes payload(*length);
    co_await asio::async_read(channel_->socket, asio::buffer(payload), WithError(error));
    DisarmDeadline(Direction::kRead);
    if (!error) {
      channel_->bytes_read += header.size() + payload.size();
      co_return payload;
    }
    if (timed_out(Direction::kRead))
      co_return Status::TimedOut("the other side stopped in the middle of a message")
          .WithReason(LinkReason::kStalledMidMessage);
    // A peer that crashed or was killed mid-write looks like this, as does a cut cable: the
    // connection went away. (Nothing of a partial frame is ever used: it is not decrypted.)
    co_return Status::Unreachable(
        "the other side closed the connection in the middle of a message (truncated)");
  }
  DisarmDeadline(Direction::kRead);
  if (timed_out(Direction::kRead)) {
    co_return Status::TimedOut("the other side did not answer in time");
  }
  if (IsClosedByPeer(error)) co_return Status::Unreachable("the other side closed the connection");
  co_return Status::Unreachable("the connection failed: " + error.message());
}

Task<Status> FramedSocket::WriteFrames(const std::vector<Bytes>& payloads, Duration timeout) {
  for (const Bytes& payload : payloads) {
    Result<Bytes> frame = protocol::EncodeFrame(payload);
    if (!frame.ok()) co_return frame.status();
    error_code error;
    ArmDeadline(Direction::kWrite, timeout);
    co_await asio::async_write(channel_->socket, asio::buffer(*frame), WithError(error));
    DisarmDeadline(Direction::kWrite);
    if (!error) channel_->bytes_written += frame->size();
    if (timed_out(Direction::kWrite)) co_return Status::TimedOut("the other side stopped reading");
    if (IsClosedByPeer(error))
      co_return Status::Unreachable("the other side closed the connection");
    if (error) co_return Status::Unreachable("the connection failed: " + error.message());
  }
  co_return Status::Ok();
}

bool FramedSocket::HasInput() const {
  error_code error;
  const size_t waiting = channel_->socket.available(error);
  return !error && waiting > 0;
}

uint64_t FramedSocket::bytes_read() const {
  return channel_->bytes_read;
}

uint64_t FramedSocket::bytes_written() const {
  return channel_->bytes_written;
}

std::string FramedSocket::RemoteAddress() const {
  error_code error;
  tcp::endpoint remote = channel_->socket.remote_endpoint(error);
  if (error) return "";
  return Endpoint{remote.address().to_string(), remote.port()}.ToString();
}

std::string FramedSocket::RemoteHost() const {
  error_code error;
  tcp::endpoint remote = channel_->socket.remote_endpoint(error);
  return error ? std::string() : remote.address().to_string();
}

void FramedSocket::Close() {
  error_code ignored;
  channel_->socket.shutdown(tcp::socket::shutdown_both, ignored);
  channel_->socket.close(ignored);
}

asio::any_io_executor FramedSocket::executor() {
  return channel_->socket.get_executor();
}

Task<Result<FramedSocket>> Connect(const Endpoint& to, Duration timeout) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  error_code error;
  auto addresses =
      co_await resolver.async_resolve(to.host, std::to_string(to.port), WithError(error));
  if (error) co_return Status::Unreachable("could not find " + to.host + ": " + error.message());

  FramedSocket framed{tcp::socket(executor)};
  framed.ArmDeadline(FramedSocket::Direction::kWrite, timeout);
  co_await asio::async_connect(framed.channel_->socket, addresses, WithError(error));
  framed.DisarmDeadline(FramedSocket::Direction::kWrite);
  if (framed.timed_out(FramedSocket::Direction::kWrite)) {
    co_return Status::TimedOut("nobody answered at " + to.ToString());
  }
  if (error) {
    co_return Status::Unreachable("could not connect to " + to.ToString() + ": " + error.message());
  }
  framed.channel_->socket.set_option(tcp::no_delay(true), error);
  co_return std::move(framed);
}

Result<tcp::acceptor> Listen(asio::io_context& io, const Endpoint& at) {
  error_code error;
  asio::ip::address address = asio::ip::make_address(at.host, error);
  if (error) {
    return Status::InvalidArgument(
        "listen on a local IP address (e.g. 0.0.0.0 or 127.0.0.1), "
        "not \"" +
        at.host + "\"");
  }
  tcp::endpoint endpoint(address, at.port);
  tcp::acceptor acceptor(io);
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error == asio::error::address_in_use) {
    // The person chose (or defaulted to) a port that is taken: a choice to change, not a fault.
    return Status::InvalidArgument(at.ToString()).WithReason(LinkReason::kPortInUse);
  }
  if (error) {
    return Status::IoError("cannot listen on " + at.ToString() + ": " + error.message());
  }
  return acceptor;
}

std::string AdvertisedAddress(asio::io_context& io, const tcp::endpoint& bound) {
  asio::ip::address address = bound.address();
  if (address.is_unspecified()) {
    // A UDP "connect" only picks a route and a source address; nothing is sent. 192.0.2.1 is
    // TEST-NET-1, so no real host is even named.
    error_code error;
    asio::ip::udp::socket probe(io);
    probe.connect({asio::ip::make_address("192.0.2.1"), 9}, error);
    address = error ? asio::ip::make_address("127.0.0.1") : probe.local_endpoint(error).address();
    if (error) address = asio::ip::make_address("127.0.0.1");
  }
  return Endpoint{address.to_string(), bound.port()}.ToString();
}

}  // namespace attune::node::link_io
