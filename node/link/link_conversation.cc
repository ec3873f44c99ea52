#include "node/link/link_conversation.h"

#include "base/scope_exit.h"
#include "crypto/random.h"
#include "node/link.h"

namespace attune::node::link_io {
namespace {

// Frames (at most 65,535 bytes each) waiting for the writer before Run stops reading.
constexpr size_t kMaxQueuedFrames = 32;

}  // namespace

Conversation::Conversation(Journal& journal, FramedSocket& socket, protocol::Session& session,
                           ConversationOptions options)
    : journal_(journal),
      socket_(socket),
      session_(session),
      options_(options),
      store_(journal),
      engine_(store_),
      exercises_(journal),
      progress_(socket.executor()),
      journal_wakeup_(socket.executor()) {
  engine_.SetDeferApply(true);
}

Task<Status> Conversation::Run() {
  started_ = last_sent_ = clock().Now();
  auto executor = co_await asio::this_coro::executor;
  Status outcome = Status::Ok();
  if (syncing()) {
    // A first sync commits tens of megabytes: its checkpoints go to a thread of their own, so
    // that this session never waits for them. If that thread cannot start, commits checkpoint
    // as they always did: nothing is lost but time.
    (void)store_.CheckpointInBackground();
    outcome = engine_.Start();
    if (outcome.ok()) outcome = SendEngineOutput();
  } else if (!options_.live) {
    // A one-shot sync with a partner whose attune does not offer sync: say goodbye and why.
    (void)Send(protocol::GoodbyeMessage{protocol::GoodbyeMessage::Reason::kDone});
    outcome = Status::Unsupported("your partner's attune does not offer sync")
                  .WithReason(LinkReason::kPeerLacksFeature);
  }
  if (outcome.ok()) outcome = TellOwnOnion();
  if (outcome.ok()) outcome = SendExercisesDue();
  if (outcome.ok() && options_.live) {
    watching_ = true;
    asio::co_spawn(executor, WatchJournal(), asio::detached);
  }
  bool done = !outcome.ok();
  while (!done) {
    if (options_.live && protocol::SessionDue(session_, clock().Now() - started_)) {
      // Renewal: the peer reconnects for a fresh handshake (new ephemeral keys).
      outcome = Send(protocol::GoodbyeMessage{protocol::GoodbyeMessage::Reason::kFreshHandshake});
      break;
    }
    // Backpressure: while the peer does not read what this side answers (pongs, acks), stop
    // reading what it sends, so that a peer cannot grow the queue without bound. The writer's
    // own timeout ends the session if the peer never reads again.
    while (queued_.size() > kMaxQueuedFrames && write_error_.ok() && !stopping_) {
      co_await progress_.Wait();
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
  // Best effort: what this session showed of the partner's attune, for `attune together`.
  (void)exercises_.NotePartner({.lacks_exercises = !session_.Agreed(protocol::kFeatureExercise),
                                .sent_unknown = session_.messages_skipped() > 0});
  // A clean end: the partner read what was sent before its goodbye, the contact included.
  if (outcome.ok() && told_own_onion_) outcome = RememberOwnOnionTold();
  co_return outcome;
}

Status Conversation::TellOwnOnion() {
  if (!session_.Agreed(protocol::kFeatureOnion)) return Status::Ok();
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal_.GetPartner());
  if (!partner || partner->told_own_onion) return Status::Ok();
  ATTUNE_ASSIGN_OR_RETURN(OnionContact own, journal_.OwnOnionContact());
  ATTUNE_RETURN_IF_ERROR(Send(protocol::OnionContactMessage{
      own.address, Bytes(own.client_key.begin(), own.client_key.end())}));
  told_own_onion_ = true;
  return Status::Ok();
}

Status Conversation::LearnPartnerOnion(const protocol::OnionContactMessage& contact) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal_.GetPartner());
  if (!partner || partner->onion) return Status::Ok();  // known: a contact is never replaced
  OnionContact learned{contact.onion_address, {}};
  std::copy(contact.client_key.begin(), contact.client_key.end(), learned.client_key.begin());
  partner->onion = std::move(learned);
  return journal_.SavePartner(*partner, /*replace=*/true);
}

Status Conversation::SendExercisesDue() {
  if (!session_.Agreed(protocol::kFeatureExercise)) return Status::Ok();
  ATTUNE_ASSIGN_OR_RETURN(std::vector<protocol::ExerciseMessage> due, exercises_.Due());
  return SendExercises(due);
}

Status Conversation::SendExercises(const std::vector<protocol::ExerciseMessage>& messages) {
  for (const protocol::ExerciseMessage& message : messages) {
    ATTUNE_RETURN_IF_ERROR(Send(message));
  }
  return Status::Ok();
}

Status Conversation::ReceiveExercise(const protocol::ExerciseMessage& message) {
  if (!session_.Agreed(protocol::kFeatureExercise)) return Status::Ok();  // not agreed: skipped
  ATTUNE_ASSIGN_OR_RETURN(ExerciseLink::Receipt receipt, exercises_.Receive(message));
  // Something new from the partner, as an arriving entry is (serve's kPartnerNews).
  if (receipt.news && options_.on_received) options_.on_received(1);
  return SendExercises(receipt.reply);
}

Status Conversation::RememberOwnOnionTold() {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal_.GetPartner());
  if (!partner || partner->told_own_onion) return Status::Ok();
  partner->told_own_onion = true;
  return journal_.SavePartner(*partner, /*replace=*/true);
}

void Conversation::ReportProgressSoFar() const {
  if (!options_.progress) return;
  const protocol::SyncProgress progress = engine_.Progress();
  options_.progress(progress.done, progress.total);
}

void Conversation::Stop() {
  if (stopping_ || finished_) return;
  stopping_ = true;
  progress_.Notify();  // Run stops waiting for room in the queue
  // The writer closes the socket once the goodbye is out, which ends Run's read.
  if (!Send(protocol::GoodbyeMessage{protocol::GoodbyeMessage::Reason::kDone}).ok()) {
    socket_.Close();
  }
}

void Conversation::JournalMayHaveChanged() {
  journal_wakeup_.Notify();
}

void Conversation::Drop() {
  if (finished_) return;
  stopping_ = true;
  socket_.Close();  // ends Run's read and the writer's write, if one is waiting
  progress_.Notify();
}

Status Conversation::Handle(const protocol::Message& message, bool& done) {
  if (const auto* ping = std::get_if<protocol::PingMessage>(&message)) {
    return Send(protocol::PongMessage{ping->nonce});
  }
  if (std::holds_alternative<protocol::PongMessage>(message)) return Status::Ok();
  if (const auto* contact = std::get_if<protocol::OnionContactMessage>(&message)) {
    return LearnPartnerOnion(*contact);
  }
  if (const auto* exercise = std::get_if<protocol::ExerciseMessage>(&message)) {
    return ReceiveExercise(*exercise);
  }
  if (std::holds_alternative<protocol::GoodbyeMessage>(message)) {
    done = true;
    if (!syncing()) return Status::Ok();
    ATTUNE_RETURN_IF_ERROR(Apply());  // what arrived before the goodbye is good
    if (!options_.live && !engine_.Settled()) {
      return Status::Unreachable(
          "your partner's attune ended the connection before the sync finished; nothing was "
          "lost, and the next sync goes on from where this one stopped");
    }
    return Status::Ok();
  }
  // Frames still waiting to be written: the link, not the window, holds the sender back.
  engine_.SetLinkBacklogged(writing_ || !queued_.empty());
  return engine_.Receive(message);
}

Status Conversation::AfterFrame(bool& done) {
  if (!syncing()) return Status::Ok();
  TellReceived();
  // More of the peer's frames already waiting: the batches among them share one transaction.
  if (engine_.HasUnapplied() && socket_.HasInput()) return Status::Ok();
  ATTUNE_RETURN_IF_ERROR(Apply());
  ATTUNE_RETURN_IF_ERROR(SendEngineOutput());
  if (!options_.live && engine_.Settled()) {
    done = true;
    return Send(protocol::GoodbyeMessage{protocol::GoodbyeMessage::Reason::kDone});
  }
  return Status::Ok();
}

Status Conversation::Apply() {
  ATTUNE_RETURN_IF_ERROR(engine_.Flush());
  TellReceived();
  return Status::Ok();
}

void Conversation::TellReceived() {
  // The engine applies on its own too (a full window, the peer caught up): counted here.
  const uint64_t received = engine_.counts().applied.received;
  if (received == told_received_) return;
  const uint64_t news = received - told_received_;
  told_received_ = received;
  if (options_.on_received) options_.on_received(news);
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
  last_sent_ = clock().Now();
  if (!writing_) {
    writing_ = true;
    asio::co_spawn(socket_executor(), WriteQueued(), asio::detached);
  }
  return Status::Ok();
}

void Conversation::Abort(Status status) {
  if (write_error_.ok()) write_error_ = std::move(status);
  socket_.Close();  // ends Run's read too
  progress_.Notify();
}

// WriteQueued and WatchJournal run detached, and an exception escaping a detached coroutine
// is dropped silently: each catches its own and ends the session, and resets its flag however
// it ends, or Run would wait for it forever.

Task<void> Conversation::WriteQueued() {
  {
    const ScopeExit done([this] {
      writing_ = false;
      progress_.Notify();
    });
    try {
      while (!queued_.empty() && write_error_.ok()) {
        std::vector<Bytes> frames;
        frames.swap(queued_);
        Status written = co_await socket_.WriteFrames(frames, options_.idle);
        if (!written.ok()) Abort(written);
        progress_.Notify();  // room in the queue again
      }
    } catch (const std::exception&) {
      Abort(Status::Internal("unexpected error while sending to your partner"));
    }
  }
  if (stopping_) socket_.Close();  // the goodbye is out
}

Task<void> Conversation::WatchJournal() {
  const ScopeExit done([this] {
    watching_ = false;
    progress_.Notify();
  });
  try {
    co_await WatchChanges();
  } catch (const std::exception&) {
    Abort(Status::Internal("unexpected error while watching the journal for changes"));
  }
}

Task<void> Conversation::WatchChanges() {
  Result<int64_t> seen = journal_.DataVersion();
  if (!seen.ok()) co_return;
  while (!finished_ && !stopping_) {
    // Wakes for a change notice, for the next keepalive, and (if set) for the next look. (A
    // keepalive already due but not sent, the peer not agreeing to pings, waits a period anew.)
    const TimePoint now = clock().Now();
    TimePoint next = last_sent_ + options_.idle / 3;
    if (next <= now) next = now + options_.idle / 3;
    if (options_.poll != Duration::max()) next = std::min(next, now + options_.poll);
    co_await WaitUntil(clock(), next, journal_wakeup_);
    if (finished_ || stopping_) break;
    // After every wake, whatever woke it: a notice may stand for several commits, or come
    // before the commit it announces is visible; data_version tells what is new.
    if (Status status = SendWhatIsDue(*seen); !status.ok()) {
      Abort(status);
      break;
    }
  }
}

Status Conversation::SendWhatIsDue(int64_t& seen_version) {
  ATTUNE_ASSIGN_OR_RETURN(const int64_t version, journal_.DataVersion());
  if (version != seen_version) {
    seen_version = version;
    if (syncing()) {
      ATTUNE_RETURN_IF_ERROR(engine_.LocalChanged());
      ATTUNE_RETURN_IF_ERROR(SendEngineOutput());
    }
    ATTUNE_RETURN_IF_ERROR(SendExercisesDue());
  }
  // Keep the peer's idle timer from expiring on a quiet link.
  if (session_.Agreed(protocol::kFeaturePing) && clock().Now() - last_sent_ >= options_.idle / 3) {
    uint64_t nonce = 0;
    crypto::FillRandom({reinterpret_cast<uint8_t*>(&nonce), sizeof nonce});
    return Send(protocol::PingMessage{nonce});
  }
  return Status::Ok();
}

Task<void> Conversation::WaitForWrites() {
  journal_wakeup_.Notify();  // the watcher sees finished_ and ends
  while (writing_ || watching_) co_await progress_.Wait();
}

}  // namespace attune::node::link_io
