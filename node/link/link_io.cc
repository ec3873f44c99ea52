#include "node/link/link_io.h"

#include <array>

#include "node/link.h"
#include "protocol/frame.h"

namespace attune::node::link_io {
namespace {

using boost::system::error_code;

bool IsResetByPeer(const error_code& error) {
  return error == asio::error::connection_reset || error == asio::error::broken_pipe;
}

// What a connection that ended without a timeout says: the peer closed it (eof) or reset it.
Status ClosedByPeer(const error_code& error) {
  if (IsResetByPeer(error)) {
    return Status::Unreachable("the other side reset the connection")
        .WithReason(LinkReason::kConnectionReset);
  }
  if (error == asio::error::eof) return Status::Unreachable("the other side closed the connection");
  return Status::Unreachable("the connection failed: " + error.message());
}

}  // namespace

struct FramedSocket::Channel {
  Channel(std::unique_ptr<ByteStream> connection, LinkClock& link_clock)
      : stream(std::move(connection)),
        clock(link_clock),
        deadlines{Deadline(clock.MakeTimer(stream->executor())),
                  Deadline(clock.MakeTimer(stream->executor()))} {}

  // A read and a write may be in flight at once (a live session reads while it sends), so each
  // direction has its own deadline.
  struct Deadline {
    explicit Deadline(std::unique_ptr<Timer> made) : timer(std::move(made)) {}
    std::unique_ptr<Timer> timer;
    uint64_t operation = 0;  // which operation the armed timer belongs to
    bool timed_out = false;
  };

  std::unique_ptr<ByteStream> stream;
  LinkClock& clock;
  Deadline deadlines[2];    // indexed by Direction
  uint64_t bytes_read = 0;  // whole frames, headers included
  uint64_t bytes_written = 0;
};

FramedSocket::FramedSocket(tcp::socket socket)
    : FramedSocket(std::make_unique<TcpStream>(std::move(socket)), SteadyLinkClock()) {}

FramedSocket::FramedSocket(std::unique_ptr<ByteStream> stream, LinkClock& clock)
    : channel_(std::make_shared<Channel>(std::move(stream), clock)) {}

void FramedSocket::ArmDeadline(Direction direction, Duration timeout) {
  Channel::Deadline& deadline = channel_->deadlines[static_cast<int>(direction)];
  const uint64_t operation = ++deadline.operation;
  deadline.timed_out = false;
  deadline.timer->ExpireAt(channel_->clock.Now() + timeout);
  deadline.timer->AsyncWait(
      [weak = std::weak_ptr<Channel>(channel_), direction, operation](bool expired) {
        std::shared_ptr<Channel> channel = weak.lock();
        if (!expired || !channel) return;
        Channel::Deadline& due = channel->deadlines[static_cast<int>(direction)];
        if (due.operation != operation) return;
        due.timed_out = true;
        // Cancels both directions: a connection that missed a deadline is given up.
        channel->stream->CancelPending();
      });
}

void FramedSocket::DisarmDeadline(Direction direction) {
  Channel::Deadline& deadline = channel_->deadlines[static_cast<int>(direction)];
  ++deadline.operation;  // a handler already queued for this operation now does nothing
  deadline.timer->Cancel();
}

bool FramedSocket::timed_out(Direction direction) const {
  return channel_->deadlines[static_cast<int>(direction)].timed_out;
}

Task<Result<Bytes>> FramedSocket::ReadFrame(Duration timeout) {
  std::array<uint8_t, protocol::kFrameHeaderBytes> header{};
  error_code error;
  ArmDeadline(Direction::kRead, timeout);
  error = co_await channel_->stream->ReadExactly(asio::buffer(header));
  if (!error) {
    Result<size_t> length = protocol::DecodeFrameHeader(header);
    if (!length.ok()) {
      DisarmDeadline(Direction::kRead);
      co_return Status::ProtocolError("the peer sent a zero-length frame");
    }
    Bytes payload(*length);
    error = co_await channel_->stream->ReadExactly(asio::buffer(payload));
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
  co_return ClosedByPeer(error);
}

Task<Status> FramedSocket::WriteFrames(const std::vector<Bytes>& payloads, Duration timeout) {
  for (const Bytes& payload : payloads) {
    Result<Bytes> frame = protocol::EncodeFrame(payload);
    if (!frame.ok()) co_return frame.status();
    ArmDeadline(Direction::kWrite, timeout);
    const error_code error = co_await channel_->stream->WriteAll(asio::buffer(*frame));
    DisarmDeadline(Direction::kWrite);
    if (!error) channel_->bytes_written += frame->size();
    if (timed_out(Direction::kWrite)) co_return Status::TimedOut("the other side stopped reading");
    if (error) co_return ClosedByPeer(error);
  }
  co_return Status::Ok();
}

bool FramedSocket::HasInput() const {
  return channel_->stream->Available() > 0;
}

uint64_t FramedSocket::bytes_read() const {
  return channel_->bytes_read;
}

uint64_t FramedSocket::bytes_written() const {
  return channel_->bytes_written;
}

std::string FramedSocket::RemoteAddress() const {
  const std::optional<Endpoint> remote = channel_->stream->Remote();
  return remote ? remote->ToString() : "";
}

std::string FramedSocket::RemoteHost() const {
  const std::optional<Endpoint> remote = channel_->stream->Remote();
  return remote ? remote->host : "";
}

void FramedSocket::Close() {
  channel_->stream->Close();
}

asio::any_io_executor FramedSocket::executor() {
  return channel_->stream->executor();
}

LinkClock& FramedSocket::clock() const {
  return channel_->clock;
}

Task<Result<FramedSocket>> Connect(const Endpoint& to, Duration timeout) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  error_code error;
  auto addresses =
      co_await resolver.async_resolve(to.host, std::to_string(to.port), WithError(error));
  if (error) co_return Status::Unreachable("could not find " + to.host + ": " + error.message());

  // The connection's own deadline: cancelling the socket ends async_connect. The handler may
  // run after the connection is made (already queued), so it checks `attempt` first.
  tcp::socket socket(executor);
  struct Attempt {
    bool over = false;
    bool timed_out = false;
  };
  auto attempt = std::make_shared<Attempt>();
  std::unique_ptr<Timer> deadline = SteadyLinkClock().MakeTimer(executor);
  deadline->ExpireAt(SteadyLinkClock().Now() + timeout);
  deadline->AsyncWait([attempt, &socket](bool expired) {
    if (!expired || attempt->over) return;
    attempt->timed_out = true;
    error_code ignored;
    socket.cancel(ignored);
  });
  co_await asio::async_connect(socket, addresses, WithError(error));
  attempt->over = true;
  const bool timed_out = attempt->timed_out;
  if (timed_out) co_return Status::TimedOut("nobody answered at " + to.ToString());
  if (error) {
    co_return Status::Unreachable("could not connect to " + to.ToString() + ": " + error.message());
  }
  co_return FramedSocket(std::move(socket));
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
