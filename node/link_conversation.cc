#include "node/link_conversation.h"

#include "base/scope_exit.h"
#include "crypto/random.h"
#include "node/link.h"

namespace attune::node::link_io {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Frames (at most 65,535 bytes each) waiting for the writer before Run stops reading.
constexpr size_t kMaxQueuedFrames = 32;

auto WithError(boost::system::error_code& error) {
  return asio::redirect_error(asio::use_awaitable, error);
}

// Lets other coroutines on this thread run for about `pause`.
Task<void> Pause(Duration pause) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(pause);
  boost::system::error_code ignored;
  co_await timer.async_wait(WithError(ignored));
}

}  // namespace

Conversation::Conversation(Journal& journal, FramedSocket& socket, protocol::Session& session,
                           ConversationOptions options)
    : journal_(journal),
      socket_(socket),
      session_(session),
      options_(options),
      store_(journal),
      engine_(store_) {
  engine_.SetDeferApply(true);
}

Task<Status> Conversation::Run() {
  started_ = last_sent_ = SteadyClock::now();
  auto executor = co_await asio::this_coro::executor;
  Status outcome = Status::Ok();
  if (syncing()) {
    outcome = engine_.Start();
    if (outcome.ok()) outcome = SendEngineOutput();
  } else if (!options_.live) {
    // A one-shot sync with a partner whose attune does not offer sync: say goodbye and why.
    (void)Send(protocol::GoodbyeMessage{protocol::GoodbyeMessage::Reason::kDone});
    outcome = Status::Unsupported("your partner's attune does not offer sync")
                  .WithReason(LinkReason::kPeerLacksFeature);
  }
  if (outcome.ok() && options_.live) {
    watching_ = true;
    asio::co_spawn(executor, WatchJournal(), asio::detached);
  }
  bool done = !outcome.ok();
  while (!done) {
    if (options_.live && protocol::SessionDue(session_, SteadyClock::now() - started_)) {
      // Renewal: the peer reconnects for a fresh handshake (new ephemeral keys).
      outcome = Send(protocol::GoodbyeMessage{protocol::GoodbyeMessage::Reason::kFreshHandshake});
      break;
    }
    // Backpressure: while the peer does not read what this side answers (pongs, acks), stop
    // reading what it sends, so that a peer cannot grow the queue without bound. The writer's
    // own timeout ends the session if the peer never reads again.
    while (queued_.size() > kMaxQueuedFrames && write_error_.ok() && !stopping_) {
      co_await Pause(std::chrono::milliseconds(1));
    }
    Result<Bytes> frame = co_await socket_.ReadFrame(options_.idle);
    if (stopping_) break;  // Stop() closed the socket after its goodbye
    if (!frame.ok()) {
      outcome = frame.status();
      if (!write_error_.ok()) outcome = write_error_;
      break;
    }
    if (Status received = session_.Receive(*frame); !received.ok()) {
      outcome =
          received.code() == StatusCode::kAuthFailed || received.code() == StatusCode::kCorruption
              ? Status::ProtocolError(received.detail())
              : received;
      break;
    }
    for (const protocol::Message& message : session_.TakeIncoming()) {
      outcome = Handle(message, done);
      if (!outcome.ok() || done) break;
    }
    if (outcome.ok() && !done) outcome = AfterFrame(done);
    if (outcome.ok() && !write_error_.ok()) outcome = write_error_;
    if (!outcome.ok()) break;
    ReportProgressSoFar();
  }
  finished_ = true;
  co_await WaitForWrites();
  co_return outcome;
}

void Conversation::ReportProgressSoFar() const {
  if (!options_.progress) return;
  const protocol::SyncProgress progress = engine_.Progress();
  options_.progress(progress.done, progress.total);
}

void Conversation::Stop() {
  if (stopping_ || finished_) return;
  stopping_ = true;
  // The writer closes the socket once the goodbye is out, which ends Run's read.
  if (!Send(protocol::GoodbyeMessage{protocol::GoodbyeMessage::Reason::kDone}).ok()) {
    socket_.Close();
  }
}

void Conversation::Drop() {
  if (finished_) return;
  stopping_ = true;
  socket_.Close();  // ends Run's read and the writer's write, if one is waiting
}

Status Conversation::Handle(const protocol::Message& message, bool& done) {
  if (const auto* ping = std::get_if<protocol::PingMessage>(&message)) {
    return Send(protocol::PongMessage{ping->nonce});
  }
  if (std::holds_alternative<protocol::PongMessage>(message)) return Status::Ok();
  if (std::holds_alternative<protocol::GoodbyeMessage>(message)) {
    done = true;
    if (!syncing()) return Status::Ok();
    ATTUNE_RETURN_IF_ERROR(engine_.Flush());  // what arrived before the goodbye is good
    if (!options_.live && !engine_.Settled()) {
      return Status::Unreachable(
          "your partner's attune ended the connection before the sync finished; nothing was "
          "lost, and the next sync goes on from where this one stopped");
    }
    return Status::Ok();
  }
  return engine_.Receive(message);
}

Status Conversation::AfterFrame(bool& done) {
  if (!syncing()) return Status::Ok();
  // More of the peer's frames already waiting: the batches among them share one transaction.
  if (engine_.HasUnapplied() && socket_.HasInput()) return Status::Ok();
  ATTUNE_RETURN_IF_ERROR(engine_.Flush());
  ATTUNE_RETURN_IF_ERROR(SendEngineOutput());
  if (!options_.live && engine_.Settled()) {
    done = true;
    return Send(protocol::GoodbyeMessage{protocol::GoodbyeMessage::Reason::kDone});
  }
  return Status::Ok();
}

Status Conversation::SendEngineOutput() {
  for (const protocol::Message& message : engine_.TakeOutgoing()) {
    ATTUNE_RETURN_IF_ERROR(Send(message));
  }
  return Status::Ok();
}

Status Conversation::Send(const protocol::Message& message) {
  if (!write_error_.ok()) return write_error_;
  // Encrypted now, in call order: the Noise nonces must follow the order frames are written.
  ATTUNE_RETURN_IF_ERROR(session_.Send(message));
  for (Bytes& frame : session_.TakeOutgoing()) queued_.push_back(std::move(frame));
  last_sent_ = SteadyClock::now();
  if (!writing_) {
    writing_ = true;
    asio::co_spawn(socket_executor(), WriteQueued(), asio::detached);
  }
  return Status::Ok();
}

void Conversation::Abort(Status status) {
  if (write_error_.ok()) write_error_ = std::move(status);
  socket_.Close();  // ends Run's read too
}

// WriteQueued and WatchJournal run detached, and an exception escaping a detached coroutine
// is dropped silently: each catches its own and ends the session, and resets its flag however
// it ends, or Run would wait for it forever.

Task<void> Conversation::WriteQueued() {
  {
    const ScopeExit done([this] { writing_ = false; });
    try {
      while (!queued_.empty() && write_error_.ok()) {
        std::vector<Bytes> frames;
        frames.swap(queued_);
        Status written = co_await socket_.WriteFrames(frames, options_.idle);
        if (!written.ok()) Abort(written);
      }
    } catch (const std::exception&) {
      Abort(Status::Internal("unexpected error while sending to your partner"));
    }
  }
  if (stopping_) socket_.Close();  // the goodbye is out
}

Task<void> Conversation::WatchJournal() {
  const ScopeExit done([this] {
    watch_timer_ = nullptr;
    watching_ = false;
  });
  try {
    co_await WatchChanges();
  } catch (const std::exception&) {
    Abort(Status::Internal("unexpected error while watching the journal for changes"));
  }
}

Task<void> Conversation::WatchChanges() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  watch_timer_ = &timer;  // so that the end of Run wakes this loop at once
  Result<int64_t> seen = journal_.DataVersion();
  while (!finished_ && seen.ok()) {
    timer.expires_after(options_.poll);
    boost::system::error_code ignored;
    co_await timer.async_wait(WithError(ignored));
    if (finished_ || stopping_) break;
    Result<int64_t> now = journal_.DataVersion();
    Status status = now.status();
    if (now.ok() && *now != *seen && syncing()) {
      seen = now;
      status = engine_.LocalChanged();
      if (status.ok()) status = SendEngineOutput();
    }
    // Keep the peer's idle timer from expiring on a quiet link.
    if (status.ok() && session_.Agreed(protocol::kFeaturePing) &&
        SteadyClock::now() - last_sent_ > options_.idle / 3) {
      uint64_t nonce = 0;
      crypto::FillRandom({reinterpret_cast<uint8_t*>(&nonce), sizeof nonce});
      status = Send(protocol::PingMessage{nonce});
    }
    if (!status.ok()) {
      Abort(status);
      break;
    }
  }
}

Task<void> Conversation::WaitForWrites() {
  if (watch_timer_ != nullptr) watch_timer_->cancel();
  while (writing_ || watching_) co_await Pause(std::chrono::milliseconds(1));
}

}  // namespace attune::node::link_io
