// Internal to node/: the byte stream under a FramedSocket (link_io.h), with two kinds: a TCP
// connection, and an in-memory pair whose buffers are bounded (so a reader that stops reading
// stalls its writer, as TCP's windows do). Tests run the link over the pair, in virtual time
// (link_clock.h); nothing in the pair waits for the wall clock. Only the link's .cc files and
// the link's tests include this (and so Asio).
#ifndef ATTUNE_NODE_LINK_LINK_STREAM_H_
#define ATTUNE_NODE_LINK_LINK_STREAM_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

#include "node/endpoint.h"
#include "node/link/link_clock.h"

namespace attune::node::link_io {

using asio::ip::tcp;
using boost::system::error_code;

// The completion token for `co_await`ing an Asio operation whose failure is a value, not an
// exception: the error lands in `error`.
inline auto WithError(error_code& error) {
  return asio::redirect_error(asio::use_awaitable, error);
}

// An ordered, reliable byte stream. Not thread-safe: at most one read and one write in flight.
// Errors follow Asio's: eof (the peer closed its end, everything it sent was read),
// broken_pipe (writing to a peer that closed), operation_aborted (CancelPending or Close).
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual Task<error_code> ReadExactly(asio::mutable_buffer into) = 0;
  virtual Task<error_code> WriteAll(asio::const_buffer bytes) = 0;
  // Ends the read and write in flight with operation_aborted; the stream stays usable.
  virtual void CancelPending() = 0;
  // Closes both directions: the peer reads eof, and its writes fail.
  virtual void Close() = 0;
  // Bytes that a read would take without waiting.
  virtual size_t Available() const = 0;
  // The peer's address, if it has one (an in-memory peer is "memory", port 0).
  virtual std::optional<Endpoint> Remote() const = 0;
  virtual asio::any_io_executor executor() = 0;
};

class TcpStream final : public ByteStream {
 public:
  explicit TcpStream(tcp::socket socket);

  Task<error_code> ReadExactly(asio::mutable_buffer into) override;
  Task<error_code> WriteAll(asio::const_buffer bytes) override;
  void CancelPending() override;
  void Close() override;
  size_t Available() const override;
  std::optional<Endpoint> Remote() const override;
  asio::any_io_executor executor() override { return socket_.get_executor(); }

 private:
  tcp::socket socket_;
};

// Two connected in-memory streams on `executor`. Each direction buffers at most `capacity`
// bytes: a writer whose peer does not read waits (until its deadline, in FramedSocket).
std::pair<std::unique_ptr<ByteStream>, std::unique_ptr<ByteStream>> MakeMemoryStreamPair(
    asio::any_io_executor executor, size_t capacity);

}  // namespace attune::node::link_io

#endif  // ATTUNE_NODE_LINK_LINK_STREAM_H_
