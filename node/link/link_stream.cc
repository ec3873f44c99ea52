#include "node/link/link_stream.h"

#include <algorithm>
#include <deque>

namespace attune::node::link_io {
namespace {

// One direction of an in-memory pair.
struct Pipe {
  explicit Pipe(const asio::any_io_executor& executor, size_t limit)
      : capacity(limit), readable(executor), writable(executor) {}
  std::deque<uint8_t> bytes;
  size_t capacity;
  bool writer_closed = false;  // the reader gets eof once `bytes` is empty
  bool reader_closed = false;  // the writer gets broken_pipe
  Wakeup readable;             // the reader's: bytes arrived, or the writer closed
  Wakeup writable;             // the writer's: room was made, or the reader closed
};

class MemoryStream final : public ByteStream {
 public:
  MemoryStream(asio::any_io_executor executor, std::shared_ptr<Pipe> in, std::shared_ptr<Pipe> out)
      : executor_(std::move(executor)), in_(std::move(in)), out_(std::move(out)) {}
  ~MemoryStream() override { Close(); }

  Task<error_code> ReadExactly(asio::mutable_buffer into) override {
    const uint64_t operation = cancelled_;
    auto* cursor = static_cast<uint8_t*>(into.data());
    size_t left = into.size();
    while (left > 0) {
      if (closed_ || cancelled_ != operation) co_return asio::error::operation_aborted;
      const size_t take = std::min(left, in_->bytes.size());
      std::copy_n(in_->bytes.begin(), take, cursor);
      in_->bytes.erase(in_->bytes.begin(), in_->bytes.begin() + static_cast<ptrdiff_t>(take));
      cursor += take;
      left -= take;
      if (take > 0) in_->writable.Notify();
      if (left == 0) break;
      if (in_->writer_closed) co_return asio::error::eof;
      co_await in_->readable.Wait();
    }
    co_return error_code();
  }

  Task<error_code> WriteAll(asio::const_buffer bytes) override {
    const uint64_t operation = cancelled_;
    const auto* cursor = static_cast<const uint8_t*>(bytes.data());
    size_t left = bytes.size();
    while (left > 0) {
      if (closed_ || cancelled_ != operation) co_return asio::error::operation_aborted;
      if (out_->reader_closed) co_return asio::error::broken_pipe;
      const size_t room = out_->capacity - std::min(out_->capacity, out_->bytes.size());
      const size_t put = std::min(left, room);
      out_->bytes.insert(out_->bytes.end(), cursor, cursor + put);
      cursor += put;
      left -= put;
      if (put > 0) out_->readable.Notify();
      if (left > 0) co_await out_->writable.Wait();
    }
    co_return error_code();
  }

  void CancelPending() override {
    ++cancelled_;
    in_->readable.Notify();
    out_->writable.Notify();
  }

  void Close() override {
    if (closed_) return;
    closed_ = true;
    in_->reader_closed = true;
    out_->writer_closed = true;
    in_->writable.Notify();   // the peer's writer
    out_->readable.Notify();  // the peer's reader
    CancelPending();          // this side's own operations
  }

  size_t Available() const override { return closed_ ? 0 : in_->bytes.size(); }
  std::optional<Endpoint> Remote() const override {
    if (closed_) return std::nullopt;
    return Endpoint{"memory", 0};
  }
  asio::any_io_executor executor() override { return executor_; }

 private:
  asio::any_io_executor executor_;
  std::shared_ptr<Pipe> in_;
  std::shared_ptr<Pipe> out_;
  uint64_t cancelled_ = 0;  // bumped by CancelPending: operations begun before it end
  bool closed_ = false;
};

}  // namespace

TcpStream::TcpStream(tcp::socket socket) : socket_(std::move(socket)) {
  // Frames are small and answered at once; Nagle's algorithm would hold a second small write
  // until the first is acknowledged (tens of milliseconds with delayed ACKs).
  error_code ignored;
  if (socket_.is_open()) socket_.set_option(tcp::no_delay(true), ignored);
}

Task<error_code> TcpStream::ReadExactly(asio::mutable_buffer into) {
  error_code error;
  co_await asio::async_read(socket_, into, WithError(error));
  co_return error;
}

Task<error_code> TcpStream::WriteAll(asio::const_buffer bytes) {
  error_code error;
  co_await asio::async_write(socket_, bytes, WithError(error));
  co_return error;
}

void TcpStream::CancelPending() {
  error_code ignored;
  socket_.cancel(ignored);
}

void TcpStream::Close() {
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

size_t TcpStream::Available() const {
  error_code error;
  const size_t waiting = socket_.available(error);
  return error ? 0 : waiting;
}

std::optional<Endpoint> TcpStream::Remote() const {
  error_code error;
  const tcp::endpoint remote = socket_.remote_endpoint(error);
  if (error) return std::nullopt;
  return Endpoint{remote.address().to_string(), remote.port()};
}

std::pair<std::unique_ptr<ByteStream>, std::unique_ptr<ByteStream>> MakeMemoryStreamPair(
    asio::any_io_executor executor, size_t capacity) {
  auto a_to_b = std::make_shared<Pipe>(executor, capacity);
  auto b_to_a = std::make_shared<Pipe>(executor, capacity);
  return {std::make_unique<MemoryStream>(executor, b_to_a, a_to_b),
          std::make_unique<MemoryStream>(executor, a_to_b, b_to_a)};
}

}  // namespace attune::node::link_io
