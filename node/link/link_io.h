// Internal to node/: frames over a byte stream (link_stream.h: TCP, or an in-memory pair in
// tests) with Boost.Asio coroutines, and a deadline on the link's clock (link_clock.h) for every
// operation. Only the link's .cc files include this (and so Asio).
#ifndef ATTUNE_NODE_LINK_LINK_IO_H_
#define ATTUNE_NODE_LINK_LINK_IO_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "node/endpoint.h"
#include "node/link/link_clock.h"
#include "node/link/link_stream.h"

// ATTUNE_RETURN_IF_ERROR for coroutines: co_returns the status of `expr` if it is an error.
#define ATTUNE_CO_RETURN_IF_ERROR(expr)                       \
  do {                                                        \
    ::attune::Status attune_co_status_ = expr;                \
    if (!attune_co_status_.ok()) co_return attune_co_status_; \
  } while (false)

namespace attune::node::link_io {

// One connection carrying frames (protocol/frame.h). Owns the stream; lives as long as the
// coroutines that use it. Not thread-safe (the loops here are single-threaded): at most one
// ReadFrame and one WriteFrames may be in flight at a time, each with its own deadline.
class FramedSocket {
 public:
  // A TCP connection, with deadlines on the steady clock.
  explicit FramedSocket(tcp::socket socket);
  // Any stream, with deadlines on `clock` (which must outlive this socket).
  FramedSocket(std::unique_ptr<ByteStream> stream, LinkClock& clock);
  FramedSocket(FramedSocket&&) = default;
  FramedSocket& operator=(FramedSocket&&) = default;

  // Reads one frame: the 2-byte header, then exactly the announced length (at most 65,535)
  // into a buffer of that size.
  //   kTimedOut      nothing complete arrived within `timeout`
  //   kUnreachable   the peer closed the connection, between frames or in the middle of one
  //   kProtocolError a zero length
  Task<Result<Bytes>> ReadFrame(Duration timeout);

  // Writes each payload as one frame, in order. kTimedOut / kUnreachable as above.
  Task<Status> WriteFrames(const std::vector<Bytes>& payloads, Duration timeout);

  // The peer's address as "HOST:PORT" and the host alone ("" if the socket is closed).
  std::string RemoteAddress() const;
  std::string RemoteHost() const;

  void Close();

  // Whether bytes have arrived that no ReadFrame has taken yet (reading them would not wait).
  bool HasInput() const;

  // Bytes of whole frames (headers included) read and written so far, handshake included.
  uint64_t bytes_read() const;
  uint64_t bytes_written() const;

  asio::any_io_executor executor();
  // The clock its deadlines run on; the link's other timers use it too.
  LinkClock& clock() const;

 private:
  struct Channel;
  enum class Direction { kRead = 0, kWrite = 1 };

  // Every operation runs under a deadline. When it expires, the stream's pending operations are
  // cancelled (they report operation_aborted and timed_out() tells why). The timer's handler
  // holds only a weak reference and the number of the operation it was armed for, so a handler
  // that runs late (after the operation finished, the next one began, or the socket is gone)
  // does nothing.
  void ArmDeadline(Direction direction, Duration timeout);
  void DisarmDeadline(Direction direction);
  bool timed_out(Direction direction) const;

  std::shared_ptr<Channel> channel_;
};

// Resolves and connects, trying each resolved address in turn. kUnreachable or kTimedOut.
Task<Result<FramedSocket>> Connect(const Endpoint& to, Duration timeout);

// Opens a listening socket. kInvalidArgument for a host that is not an IP address or a port
// already in use; kIoError for other refusals (e.g. a port below 1024 without privilege).
Result<tcp::acceptor> Listen(asio::io_context& io, const Endpoint& at);

// The address to give a partner for a socket bound to `bound`: itself, unless it is the
// unspecified address, in which case the address of the interface that routes outward (found
// without sending a packet), or 127.0.0.1 if there is none.
std::string AdvertisedAddress(asio::io_context& io, const tcp::endpoint& bound);

// Runs `task` on `io` (on this thread) until `io` has no more work, and returns its result.
template <typename T>
Result<T> RunToCompletion(asio::io_context& io, Task<Result<T>> task);

}  // namespace attune::node::link_io

#include "node/link/link_io_inl.h"

#endif  // ATTUNE_NODE_LINK_LINK_IO_H_
