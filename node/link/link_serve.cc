// `attune serve`: accepting the partner's connections, dialing them while no session is up,
// announcing this node on the local network, and syncing live over whichever session wins.
#include <algorithm>
#include <csignal>
#include <map>
#include <memory>

#include "base/scope_exit.h"
#include "node/journal/link_identity.h"
#include "node/link.h"
#include "node/link/desktop_notifier.h"
#include "node/link/discovery.h"
#include "node/link/link_change_watch.h"
#include "node/link/link_clock.h"
#include "node/link/link_conversation.h"
#include "node/link/link_io.h"
#include "node/link/link_session_internal.h"
#include "node/link/tor_process.h"
#include "protocol/discovery.h"
#include "protocol/session.h"

namespace attune::node {
namespace link_session {
namespace {

// How long each search for the partner on this network listens while the live session runs
// through Tor (the partner announces every 2 s): long enough that the listener is not
// reopened often, short enough that a Tor session that ended is redialled soon.
constexpr std::chrono::milliseconds kDirectPathLookup = std::chrono::seconds(10);

class Server {
 public:
  Server(Journal& journal, const ServeOptions& options, tcp::acceptor acceptor)
      : journal_(journal),
        options_(options),
        acceptor_(std::move(acceptor)),
        dial_wakeup_(acceptor_.get_executor()),
        onion_wakeup_(acceptor_.get_executor()),
        path_wakeup_(acceptor_.get_executor()) {}

  Task<Status> AcceptLoop() { return AcceptLoopOn(acceptor_, /*through_tor=*/false); }

  // Connections on `acceptor`; through_tor: it is the onion service's own listener.
  Task<Status> AcceptLoopOn(tcp::acceptor& acceptor, bool through_tor) {
    auto executor = co_await asio::this_coro::executor;
    while (true) {
      boost::system::error_code error;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
      if (stopping_) co_return Status::Ok();
      if (error) co_return Status::IoError("accepting connections failed: " + error.message());
      if (options_.max_pending_handshakes <= 0) continue;  // `socket` closes here
      if (pending_.size() >= static_cast<size_t>(options_.max_pending_handshakes)) {
        EvictOldestPending();
      }
      // Registered here, not in the coroutine: it starts only after this loop yields, and a
      // burst of connections must already see the others.
      auto framed = std::make_unique<FramedSocket>(std::move(socket));
      const uint64_t ticket = ++last_ticket_;
      pending_.emplace(ticket, framed.get());
      asio::co_spawn(executor, HandleConnection(std::move(framed), ticket, through_tor),
                     asio::detached);
    }
  }

  // Keeps a session with the partner up from this side too: while there is none, connects to
  // their last known address, backing off after failures.
  Task<void> DialLoop() {
    Duration backoff = options_.dial_backoff_min;
    while (!stopping_) {
      if (active_ != nullptr) {
        co_await dial_wakeup_.Wait();  // until the session ends
        continue;
      }
      Result<SessionSetup> setup = LoadSetup(journal_);
      Result<std::optional<Endpoint>> to = setup.ok()
                                               ? LastAddress(setup->partner)
                                               : Result<std::optional<Endpoint>>(setup.status());
      Status dialed = to.status();
      if (to.ok()) dialed = co_await DialOnce(*setup, *to);
      if (stopping_) break;
      if (dialed.ok()) {
        backoff = options_.dial_backoff_min;
        continue;
      }
      if (dialed.Is(LinkReason::kPeerOlder) || dialed.Is(LinkReason::kPeerNewer)) {
        Report({.kind = dialed.Is(LinkReason::kPeerOlder) ? ServeEventKind::kPartnerOlder
                                                          : ServeEventKind::kPartnerNewer,
                .host = to.ok() && *to ? (*to)->host : ""});
      } else if (dialed.code() != StatusCode::kCancelled) {
        Report({.kind = ServeEventKind::kDialFailed,
                .host = to.ok() && *to ? (*to)->host : "",
                .port = to.ok() && *to ? (*to)->port : uint16_t{0},
                .retry_in = std::chrono::duration_cast<std::chrono::seconds>(backoff),
                .problem = dialed});
      }
      // Waits out the backoff, unless the partner opens a session (or tor comes up) meanwhile.
      const link_io::TimePoint until = clock_.Now() + backoff;
      dial_now_ = false;
      while (!stopping_ && active_ == nullptr && !dial_now_ && clock_.Now() < until) {
        co_await link_io::WaitUntil(clock_, until, dial_wakeup_);
      }
      backoff = std::min<Duration>(backoff * 2, options_.dial_backoff_max);
    }
  }

  // Keeps this node's onion service up while serve runs: starts tor, publishes the service
  // (admitting only the partner's client key) in front of `onion_acceptor`, and when tor stops
  // or fails, reports it and starts again after a backoff.
  Task<void> OnionLoop(tcp::acceptor& onion_acceptor) {
    onion_acceptor_ = &onion_acceptor;
    Duration backoff = options_.dial_backoff_min;
    bool said_no_onion = false;
    while (!stopping_) {
      bool published = false;
      const Status ended = co_await PublishAndHold(published);
      if (stopping_) break;
      if (ended.Is(LinkReason::kPartnerHasNoOnion)) {
        // Nothing to publish the service for until a session tells the partner's contact
        // (onion/1, for couples who paired before contacts travelled at pairing): looked at
        // again whenever the journal changes.
        if (!said_no_onion) Report({.kind = ServeEventKind::kTorProblem, .problem = ended});
        said_no_onion = true;
        co_await onion_wakeup_.Wait();
        continue;
      }
      if (published) backoff = options_.dial_backoff_min;
      Report({.kind = ServeEventKind::kTorProblem,
              .retry_in = std::chrono::duration_cast<std::chrono::seconds>(backoff),
              .problem = ended});
      const link_io::TimePoint until = clock_.Now() + backoff;
      while (!stopping_ && clock_.Now() < until) {
        co_await link_io::WaitUntil(clock_, until, dial_wakeup_);
      }
      backoff = std::min<Duration>(backoff * 2, options_.dial_backoff_max);
    }
  }

  // With discovery on: whenever the live session runs through Tor, looks for a direct path. A
  // loop of its own, because the dial loop is busy inside the session it dialled.
  Task<void> DirectPathLoop() {
    while (!stopping_) {
      if (active_ == nullptr || !active_->through_tor) {
        co_await path_wakeup_.Wait();  // until a session begins or ends
        continue;
      }
      co_await LookForDirectPath();
    }
  }

  bool stopping() const { return stopping_; }

  // Another command may have committed to the journal: the sessions look at once.
  void JournalMayHaveChanged() {
    onion_wakeup_.Notify();
    if (active_) active_->conversation->JournalMayHaveChanged();
    if (one_shot_) one_shot_->JournalMayHaveChanged();
  }

  // Told when rows from the partner were applied; none without desktop notifications.
  void NotifyWith(link_io::DesktopNotifier* notifier) { notifier_ = notifier; }

  // Without notices of the journal's changes, sessions look every `interval` instead.
  void PollJournalEvery(Duration interval) { poll_ = interval; }

  void Stop() {
    stopping_ = true;
    dial_wakeup_.Notify();
    onion_wakeup_.Notify();
    path_wakeup_.Notify();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    if (onion_acceptor_) onion_acceptor_->close(ignored);
    if (tor_) tor_->Stop();
    if (active_) active_->conversation->Stop();
    if (one_shot_) one_shot_->Stop();
  }

 private:
  struct Active {
    link_io::Conversation* conversation;
    bool initiated_here;
    bool through_tor;
  };

  // Connects to the partner at `to`; if that fails (nobody accepts the connection there, or the
  // handshake there fails) or no address is known, wherever discovery finds them, and then
  // remembers that address, the handshake having proved it theirs. If that fails too and this
  // serve's onion service is up, through Tor to the partner's (no address is remembered).
  Task<Status> DialOnce(const SessionSetup& setup, const std::optional<Endpoint>& to) {
    // (Plain statements around co_await: GCC 12 mishandles temporaries and conditionals there.)
    Result<Reached> reached = Status::Unreachable("").WithReason(LinkReason::kPartnerNotFound);
    if (to) reached = co_await ReachAt(journal_, setup, *to, options_.timeouts, Use::kLive);
    const bool search = !reached.ok() && WorthSearchingElsewhere(reached.status()) &&
                        options_.discovery.enabled && !stopping_;
    if (search) {
      const Endpoint skip = to.value_or(Endpoint{});
      Result<Reached> found = co_await Discover(journal_, setup, options_.timeouts,
                                                options_.discovery, Use::kLive, skip);
      if (found.ok() || found.status().code() != StatusCode::kUnreachable) {
        reached = std::move(found);
      }
    }
    if (!reached.ok() && WorthSearchingElsewhere(reached.status()) && onion_published_ &&
        setup.partner.onion && !stopping_) {
      co_return co_await DialThroughTor(setup);
    }
    if (!reached.ok()) co_return reached.status();
    if (stopping_) co_return Status::Cancelled("stopping");
    if (search) {
      const Status recorded = RecordContact(journal_, reached->at.host, reached->at.port);
      if (!recorded.ok()) {
        Report({.kind = ServeEventKind::kAddressNotRemembered,
                .host = reached->at.host,
                .problem = recorded});
      }
    }
    co_await Converse(reached->socket, reached->session, setup, reached->at.host,
                      /*initiated_here=*/true);
    co_return Status::Ok();
  }

  // While the live session runs through Tor: listens for the partner's announcements on this
  // network, and once a handshake with an address heard succeeds, moves the session there (the
  // direct session replaces the one through Tor on both sides: NewSessionWins). Each search
  // listens kDirectPathLookup, then the dial loop looks again at how things stand.
  Task<void> LookForDirectPath() {
    Result<SessionSetup> setup = LoadSetup(journal_);
    if (!setup.ok()) {
      co_await path_wakeup_.Wait();
      co_return;
    }
    DiscoveryOptions listen = options_.discovery;
    listen.lookup = kDirectPathLookup;
    listen.on_looking = nullptr;  // quietly: this is no failure to report
    const Endpoint nowhere;
    Result<Reached> found =
        co_await Discover(journal_, *setup, options_.timeouts, listen, Use::kLive, nowhere);
    if (!found.ok() || stopping_ || active_ == nullptr || !active_->through_tor) co_return;
    const Status recorded = RecordContact(journal_, found->at.host, found->at.port);
    if (!recorded.ok()) {
      Report({.kind = ServeEventKind::kAddressNotRemembered,
              .host = found->at.host,
              .problem = recorded});
    }
    co_await Converse(found->socket, found->session, *setup, found->at.host,
                      /*initiated_here=*/true);
  }

  // A live session through this serve's tor to the partner's onion service.
  Task<Status> DialThroughTor(const SessionSetup& setup) {
    const std::shared_ptr<link_io::TorProcess> tor = tor_;  // kept alive while in use
    Result<Reached> reached =
        co_await ReachThroughTor(journal_, setup, *tor, *options_.tor, Use::kLive);
    if (!reached.ok()) co_return reached.status();
    if (stopping_) co_return Status::Cancelled("stopping");
    const Status recorded = RecordContactTime(journal_);
    if (!recorded.ok()) co_return recorded;
    co_await Converse(reached->socket, reached->session, setup, std::string(kThroughTorHost),
                      /*initiated_here=*/true, /*through_tor=*/true);
    co_return Status::Ok();
  }

  // One life of tor: start, publish, then wait until it stops. The status says why it ended.
  Task<Status> PublishAndHold(bool& published) {
    const TorOptions& tor = *options_.tor;
    Result<SessionSetup> setup = LoadSetup(journal_);
    if (!setup.ok()) co_return setup.status();
    if (!setup->partner.onion) {
      co_return Status::NotFound("no onion address").WithReason(LinkReason::kPartnerHasNoOnion);
    }
    Result<OnionKeys> keys = OnionKeysOf(journal_);
    if (!keys.ok()) co_return keys.status();
    link_io::TorStartOptions start = StartOptions(tor);
    start.on_progress = [this](int percent) {
      Report({.kind = ServeEventKind::kTorBootstrap, .count = static_cast<uint64_t>(percent)});
    };
    Result<std::shared_ptr<link_io::TorProcess>> started =
        co_await link_io::TorProcess::Start(std::move(start));
    if (!started.ok()) co_return started.status();
    tor_ = *started;
    if (stopping_) co_return Status::Cancelled("stopping");
    std::vector<std::string> authorised;
    authorised.push_back(crypto::ClientAuthPublicText(setup->partner.onion->client_key));
    const crypto::SecureBytes key_blob = keys->service.ControlPortKeyBlob();
    Result<std::string> service = co_await tor_->PublishOnion(
        key_blob, {kOnionPort, onion_acceptor_->local_endpoint().port()}, authorised,
        tor.bootstrap_timeout);
    if (!service.ok()) co_return service.status();
    published = true;
    Report(
        {.kind = ServeEventKind::kOnionPublished, .host = *service + ".onion", .port = kOnionPort});
    // Dialing may now go through Tor: at once, not after its backoff.
    onion_published_ = true;
    link_io::MarkOnionPublished(tor.folder, *service + ".onion");
    dial_now_ = true;
    dial_wakeup_.Notify();
    co_await tor_->WaitUntilGone();
    onion_published_ = false;
    link_io::ClearOnionPublished(tor.folder);
    co_return Status::Unreachable("tor stopped").WithReason(tor::TorReason::kExitedEarly);
  }

  struct Accepted {
    SessionSetup setup;
    protocol::Session session;
  };

  // At capacity, a new connection closes the one that has waited longest in its handshake
  // instead of being turned away itself. A partner completes its handshake within one round
  // trip, so the oldest unfinished one is the least likely to be the partner: connections that
  // open and go silent (a scan, or a flood meant to keep the partner out) then delay the
  // partner only if they arrive faster than max_pending_handshakes per handshake round trip.
  // One whose bytes have arrived but not yet been read (a busy machine runs the accepts first)
  // is spared while a silent one is left.
  void EvictOldestPending() {
    auto chosen = std::find_if(pending_.begin(), pending_.end(),
                               [](const auto& pending) { return !pending.second->HasInput(); });
    if (chosen == pending_.end()) chosen = pending_.begin();
    chosen->second->Close();  // its handshake ends with an error, and its coroutine with it
    pending_.erase(chosen);
    Report({.kind = ServeEventKind::kTurnedAwayOldest});
  }

  // The responder's side up to an established session. Listed in pending_ (by AcceptLoop)
  // until it ends, however it ends, unless evicted from there first.
  Task<Result<Accepted>> AcceptHandshake(FramedSocket& socket, uint64_t ticket) {
    const ScopeExit handshake_over([this, ticket] { pending_.erase(ticket); });
    Result<SessionSetup> setup = LoadSetup(journal_);
    if (!setup.ok()) co_return setup.status();
    Result<protocol::Session> session =
        co_await AnswerHandshake(journal_, socket, *setup, options_.timeouts.handshake);
    if (!session.ok()) co_return session.status();
    co_return Accepted{std::move(*setup), std::move(*session)};
  }

  Task<void> HandleConnection(std::unique_ptr<FramedSocket> connection, uint64_t ticket,
                              bool through_tor) {
    FramedSocket& socket = *connection;
    const std::string where = through_tor ? std::string(kThroughTorHost) : socket.RemoteHost();
    Result<Accepted> accepted = co_await AcceptHandshake(socket, ticket);
    if (!accepted.ok()) {
      socket.Close();  // nothing was written to it
      ReportRefused(where, accepted.status());
      co_return;
    }
    protocol::Session& session = accepted->session;
    const SessionSetup& setup = accepted->setup;
    if (stopping_) co_return;
    if (session.peer_hello()->one_shot) {
      co_await ConverseOnce(socket, session, where, through_tor);
    } else {
      co_await Converse(socket, session, setup, where, /*initiated_here=*/false, through_tor);
    }
  }

  // Of two sessions with the partner, the one both nodes keep: a reconnect from the same side
  // replaces the old one; of two made from opposite sides, a direct one replaces one through
  // Tor (the partner appeared on this network), and otherwise (both made at once) the one made
  // by the node whose public key sorts first. Both nodes know which side made each session and
  // which path it took, so they agree without talking about it.
  static bool NewSessionWins(bool new_here, bool new_tor, const Active& old,
                             const SessionSetup& setup) {
    if (new_here == old.initiated_here) return true;
    if (old.through_tor && !new_tor) return true;
    const bool own_key_first = setup.identity.public_key < setup.partner.public_key;
    return new_here == own_key_first;
  }

  Task<void> Converse(FramedSocket& socket, protocol::Session& session, const SessionSetup& setup,
                      const std::string& host, bool initiated_here, bool through_tor = false) {
    if (active_ && !NewSessionWins(initiated_here, through_tor, *active_, setup)) {
      socket.Close();  // both nodes keep the other connection
      co_return;
    }
    // The older session is given up at once: the partner reconnected, or (connections from
    // opposite sides) both nodes close it.
    if (active_) active_->conversation->Drop();
    link_io::Conversation conversation(journal_, socket, session, LiveOptions(host));
    Active self{&conversation, initiated_here, through_tor};
    active_ = &self;
    dial_wakeup_.Notify();
    path_wakeup_.Notify();
    // Reset however this frame ends: an exception escaping a detached coroutine is dropped,
    // and a pointer left behind would dangle.
    const ScopeExit forget([this, &self] {
      if (active_ == &self) active_ = nullptr;
      dial_wakeup_.Notify();
      path_wakeup_.Notify();
    });
    const uint16_t port = initiated_here ? 0 : session.peer_hello()->serve_port;
    Status recorded = initiated_here ? Status::Ok()
                      : through_tor  ? RecordContactTime(journal_)
                                     : RecordContact(journal_, host, port);
    Report({.kind = initiated_here ? ServeEventKind::kPartnerReached
                                   : ServeEventKind::kPartnerConnected,
            .host = host,
            .problem = recorded});
    Status ended = co_await conversation.Run();
    socket.Close();
    EventEnded(conversation, host, ended);
  }

  // A session the partner opened for one `sync` or `ping`: it runs beside the live session
  // (which it must not replace, or a sync from a node that also serves would end the live
  // link, or be turned away by the rule above). At most one at a time: a newer one replaces it.
  Task<void> ConverseOnce(FramedSocket& socket, protocol::Session& session, const std::string& host,
                          bool through_tor) {
    if (one_shot_) one_shot_->Drop();
    link_io::Conversation conversation(journal_, socket, session, LiveOptions(host));
    one_shot_ = &conversation;
    const ScopeExit forget([this, &conversation] {
      if (one_shot_ == &conversation) one_shot_ = nullptr;
    });
    const Status recorded = through_tor
                                ? RecordContactTime(journal_)
                                : RecordContact(journal_, host, session.peer_hello()->serve_port);
    Report({.kind = ServeEventKind::kPartnerConnectedForOneExchange,
            .host = host,
            .problem = recorded});
    const Status ended = co_await conversation.Run();
    socket.Close();
    EventEnded(conversation, host, ended);
  }

  // A conversation of serve's: live, and each batch of the partner's rows applied is news.
  link_io::ConversationOptions LiveOptions(const std::string& host) {
    return {.live = true,
            .idle = options_.timeouts.idle,
            .poll = poll_,
            .on_received = [this, host](uint64_t received) {
              Report({.kind = ServeEventKind::kPartnerNews, .host = host, .count = received});
              if (notifier_) notifier_->Arrived();
            }};
  }

  void EventEnded(const link_io::Conversation& conversation, const std::string& host,
                  const Status& ended) {
    const protocol::SyncCounts& counts = conversation.counts();
    if (!conversation.withheld().empty()) {
      Report({.kind = ServeEventKind::kWithheldDamaged,
              .host = host,
              .count = conversation.withheld().size()});
    }
    Report({.kind = ServeEventKind::kSessionEnded,
            .host = host,
            .counts = {.sent = counts.sent,
                       .withdrew = counts.withdrew,
                       .received = counts.applied.received,
                       .removed = counts.applied.removed,
                       .refused = counts.applied.refused},
            .problem = ended});
  }

  void Report(const ServeEvent& event) {
    if (options_.on_event) options_.on_event(event);
  }

  // A connection closed before a session: an older or newer attune is an event of its own, the
  // person may act on it; anything else (a stranger, a replay, a silence) says why it closed.
  void ReportRefused(const std::string& where, const Status& why) {
    if (why.Is(LinkReason::kPeerOlder)) {
      Report({.kind = ServeEventKind::kOlderAttuneTriedToConnect, .host = where});
    } else if (why.Is(LinkReason::kPeerNewer)) {
      Report({.kind = ServeEventKind::kPartnerNewer, .host = where});
    } else {
      Report({.kind = ServeEventKind::kConnectionClosed, .host = where, .problem = why});
    }
  }

  Journal& journal_;
  const ServeOptions& options_;
  tcp::acceptor acceptor_;
  // Connections in their handshake, by ticket: the lowest ticket has waited longest.
  std::map<uint64_t, FramedSocket*> pending_;
  uint64_t last_ticket_ = 0;
  Active* active_ = nullptr;
  link_io::Conversation* one_shot_ = nullptr;
  bool stopping_ = false;
  link_io::LinkClock& clock_ = link_io::SteadyLinkClock();
  // DialLoop's: notified when a session begins or ends, and when serve stops.
  link_io::Wakeup dial_wakeup_;
  // The onion loop's, while the partner's onion contact is unknown: the journal may have changed.
  link_io::Wakeup onion_wakeup_;
  // The direct-path loop's: a session began or ended.
  link_io::Wakeup path_wakeup_;
  Duration poll_ = Duration::max();
  tcp::acceptor* onion_acceptor_ = nullptr;  // the onion service's listener, with Tor
  std::shared_ptr<link_io::TorProcess> tor_;
  bool onion_published_ = false;  // tor_ is up and this node's service published
  bool dial_now_ = false;         // ends the dial loop's backoff early
  link_io::DesktopNotifier* notifier_ = nullptr;
};

// Announces serve's port to the partner now and every options.announce_every, for as long as
// `io` runs.
Result<std::unique_ptr<discovery::Announcer>> StartAnnouncing(asio::io_context& io,
                                                              Journal& journal, uint16_t port,
                                                              const DiscoveryOptions& options) {
  ATTUNE_ASSIGN_OR_RETURN(SessionSetup setup, LoadSetup(journal));
  ATTUNE_ASSIGN_OR_RETURN(protocol::DiscoveryKey key,
                          protocol::DiscoveryKey::Paired(setup.identity, setup.partner.public_key));
  auto announcer = std::make_unique<discovery::Announcer>(io.get_executor(), options.port);
  auto shared_key = std::make_shared<protocol::DiscoveryKey>(std::move(key));
  auto make = [&journal, shared_key, port](const protocol::DiscoveryAddress& from) {
    return shared_key->Announce(port, discovery::WindowAt(journal.clock().Now()), from);
  };
  asio::co_spawn(io, discovery::AnnounceEvery(*announcer, make, options.announce_every),
                 asio::detached);
  return announcer;
}

}  // namespace
}  // namespace link_session

Status Serve(Journal& journal, const ServeOptions& options) {
  using link_session::LoadSetup;
  using link_session::Server;
  using link_session::StartAnnouncing;
  namespace asio = link_io::asio;
  using link_io::tcp;
  ATTUNE_RETURN_IF_ERROR(LoadSetup(journal).status());
  asio::io_context io;
  ATTUNE_ASSIGN_OR_RETURN(tcp::acceptor acceptor, link_io::Listen(io, options.listen));
  const std::string host = acceptor.local_endpoint().address().to_string();
  const uint16_t port = acceptor.local_endpoint().port();
  Server server(journal, options, std::move(acceptor));
  // Declared after `io`, so destroyed first: it reaps notify-send children once `io` stopped.
  std::optional<link_io::DesktopNotifier> notifier;
  if (options.word_notice) {
    notifier.emplace(io.get_executor(), journal,
                     link_io::DesktopNotifierOptions{
                         .word = options.word_notice,
                         .interval = options.notify_interval,
                         .on_unavailable = [&options](const Status& why) {
                           if (options.on_event) {
                             options.on_event({.kind = ServeEventKind::kNotificationsUnavailable,
                                               .problem = why});
                           }
                         }});
    server.NotifyWith(&*notifier);
  }
  // Other commands' commits wake the sessions; without inotify they look every options.poll.
  Result<std::shared_ptr<link_io::DatabaseWatch>> watch = link_io::DatabaseWatch::Start(
      io.get_executor(), journal.DatabasePath(), [&server] { server.JournalMayHaveChanged(); });
  if (!watch.ok()) server.PollJournalEvery(options.poll);
  std::unique_ptr<discovery::Announcer> announcer;
  if (options.discovery.enabled) {
    ATTUNE_ASSIGN_OR_RETURN(announcer, StartAnnouncing(io, journal, port, options.discovery));
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::steady_timer grace(io);
  auto begin_stopping = [&] {
    if (server.stopping()) return;
    if (options.on_event) options.on_event({.kind = ServeEventKind::kStopping});
    server.Stop();
    if (watch.ok()) (*watch)->Stop();
    // A moment for the goodbye to reach the partner, then stop whatever is left.
    grace.expires_after(std::chrono::milliseconds(200));
    grace.async_wait([&io](const boost::system::error_code&) { io.stop(); });
  };
  signals.async_wait([&](const boost::system::error_code& error, int) {
    if (!error) begin_stopping();
  });
  if (options.stop) {
    options.stop->SetHandler([&io, &begin_stopping] { asio::post(io, begin_stopping); });
  }
  if (options.journal_written) {
    options.journal_written->SetHandler(
        [&io, &server] { asio::post(io, [&server] { server.JournalMayHaveChanged(); }); });
  }
  if (options.on_event) {
    options.on_event({.kind = ServeEventKind::kListening, .host = host, .port = port});
  }
  if (announcer && options.on_event) {
    options.on_event({.kind = ServeEventKind::kAnnouncing, .port = options.discovery.port});
  }
  Status outcome;
  asio::co_spawn(io, server.AcceptLoop(), [&](std::exception_ptr error, Status status) {
    if (server.stopping()) return;  // a signal: the grace timer ends the loop
    // Accepting failed: nothing else may keep serve running.
    outcome = error ? Status::Internal("unexpected exception in the network code") : status;
    server.Stop();
    if (watch.ok()) (*watch)->Stop();
    io.stop();
  });
  if (options.dial) asio::co_spawn(io, server.DialLoop(), asio::detached);
  // With Tor: a listener of its own on 127.0.0.1 for the onion service, so that a connection
  // is known to come through Tor.
  std::optional<tcp::acceptor> onion_acceptor;
  if (options.tor) {
    ATTUNE_ASSIGN_OR_RETURN(tcp::acceptor made, link_io::Listen(io, Endpoint{"127.0.0.1", 0}));
    onion_acceptor.emplace(std::move(made));
    asio::co_spawn(io, server.AcceptLoopOn(*onion_acceptor, /*through_tor=*/true), asio::detached);
    asio::co_spawn(io, server.OnionLoop(*onion_acceptor), asio::detached);
    if (options.dial && options.discovery.enabled) {
      asio::co_spawn(io, server.DirectPathLoop(), asio::detached);
    }
  }
  io.run();
  if (options.stop) options.stop->SetHandler(nullptr);
  if (options.journal_written) options.journal_written->SetHandler(nullptr);
  if (options.tor) link_io::ClearOnionPublished(options.tor->folder);  // tor is gone with serve
  return server.stopping() && outcome.ok() ? Status::Ok() : outcome;
}

}  // namespace attune::node
