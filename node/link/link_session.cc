// Sessions between paired partners (protocol/session.h) over TCP: reaching the partner (at an
// address, or through discovery), `attune ping` and `attune sync`. `attune serve` is in
// link_serve.cc, on the pieces declared in link_session_internal.h.
#include <optional>
#include <vector>

#include "crypto/random.h"
#include "node/journal/link_identity.h"
#include "node/link.h"
#include "node/link/discovery.h"
#include "node/link/link_conversation.h"
#include "node/link/link_errors.h"
#include "node/link/link_io.h"
#include "node/link/link_session_internal.h"
#include "node/link/tor_process.h"
#include "protocol/discovery.h"
#include "protocol/session.h"

namespace attune::node {
namespace link_session {

Result<SessionSetup> LoadSetup(Journal& journal) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal.GetPartner());
  if (!partner) {
    return Status::NotFound("no partner").WithReason(JournalReason::kNotPaired);
  }
  ATTUNE_ASSIGN_OR_RETURN(crypto::X25519KeyPair identity, LinkIdentityOf(journal));
  ATTUNE_ASSIGN_OR_RETURN(uint16_t serve_port, journal.ServePort());
  protocol::HelloMessage hello;
  hello.serve_port = serve_port;
  return SessionSetup{std::move(identity), std::move(*partner), std::move(hello)};
}

protocol::SessionConfig MakeConfig(const SessionSetup& setup, protocol::SessionRole role, Use use) {
  protocol::SessionConfig config;
  config.role = role;
  config.local_static = crypto::CopyKeyPair(setup.identity);
  config.pinned_partner = setup.partner.public_key;
  config.hello = setup.hello;
  config.hello.one_shot = role == protocol::SessionRole::kInitiator && use == Use::kOneShot;
  return config;
}

Task<Status> SendMessage(FramedSocket& socket, protocol::Session& session,
                         const protocol::Message& message, Duration timeout) {
  ATTUNE_CO_RETURN_IF_ERROR(session.Send(message));
  co_return co_await socket.WriteFrames(session.TakeOutgoing(), timeout);
}

// The next application message, reading frames as needed.
Task<Result<protocol::Message>> ReceiveMessage(FramedSocket& socket, protocol::Session& session,
                                               std::vector<protocol::Message>& pending,
                                               Duration timeout) {
  while (pending.empty()) {
    Result<Bytes> frame = co_await socket.ReadFrame(timeout);
    if (!frame.ok()) co_return frame.status();
    Status received = session.Receive(*frame);
    if (!received.ok()) co_return AsLinkError(received);
    pending = session.TakeIncoming();
  }
  protocol::Message message = std::move(pending.front());
  pending.erase(pending.begin());
  co_return message;
}

std::chrono::microseconds Since(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start);
}

// ---- reaching the partner ----

Task<Result<Reached>> ReachAt(Journal& journal, const SessionSetup& setup, const Endpoint& at,
                              const LinkTimeouts& timeouts, Use use) {
  const SteadyClock::time_point start = SteadyClock::now();
  Result<FramedSocket> socket = co_await link_io::Connect(at, timeouts.connect);
  if (!socket.ok()) co_return socket.status();
  const std::chrono::microseconds connected = Since(start);
  Result<protocol::Session> session =
      co_await InitiateHandshake(journal, *socket, setup, use, timeouts.handshake);
  if (session.ok()) {
    co_return Reached{std::move(*socket), std::move(*session), at, connected,
                      Since(start) - connected};
  }
  socket->Close();
  if (!session.status().Is(LinkReason::kNotAnswered)) co_return session.status();
  co_return co_await ProbeForOlderAttune(setup, at, timeouts, session.status());
}

// A search that found nobody: kUnreachable, with one line per address heard, what trying it
// said (Reach makes it a LinkReason::kPartnerNotFound).
Status NobodyFound(const std::vector<Status>& failures) {
  std::string heard;
  for (const Status& failure : failures) {
    if (!heard.empty()) heard += "\n";
    heard += failure.detail();
  }
  return Status::Unreachable(std::move(heard));
}

Task<Result<Reached>> Discover(Journal& journal, const SessionSetup& setup,
                               const LinkTimeouts& timeouts, const DiscoveryOptions& options,
                               Use use, const Endpoint& skip) {
  Result<protocol::DiscoveryKey> key =
      protocol::DiscoveryKey::Paired(setup.identity, setup.partner.public_key);
  if (!key.ok()) co_return key.status();
  Result<discovery::Listener> listener =
      discovery::Listener::Open(co_await asio::this_coro::executor, options.port);
  if (!listener.ok()) {
    const std::string detail =
        "could not look for your partner on this network: " + listener.status().detail();
    co_return Status::Unreachable(detail);
  }
  if (options.on_looking) options.on_looking();
  const discovery::Recognizer recognize =
      [&key, &journal](ByteSpan packet, const protocol::DiscoveryAddress& source) {
        return key->Recognize(packet, discovery::WindowAt(journal.clock().Now()), source);
      };
  const std::function<Task<Result<Reached>>(const Endpoint&)> attempt =
      [&journal, &setup, &timeouts, use](const Endpoint& at) {
        return ReachAt(journal, setup, at, timeouts, use);
      };
  std::vector<Status> failures;
  std::vector<Endpoint> tried(1, skip);
  std::optional<Reached> reached = co_await discovery::FirstThatAnswers<Reached>(
      *listener, recognize, options, std::move(tried), attempt, failures);
  if (reached) co_return std::move(*reached);
  // The partner was heard, but speaks another version: that is the news, not "not found".
  for (const Status& failure : failures) {
    if (failure.Is(LinkReason::kPeerOlder) || failure.Is(LinkReason::kPeerNewer)) {
      co_return failure;
    }
  }
  co_return NobodyFound(failures);
}

// A partner paired through Tor has no address here until one is proved: only discovery (and
// then Tor, if the command uses it) can find them.
Task<Result<Reached>> SearchOnly(Journal& journal, const SessionSetup& setup,
                                 const LinkTimeouts& timeouts, const DiscoveryOptions& options) {
  if (!options.enabled) {
    co_return Status::Unreachable("").WithReason(LinkReason::kPartnerNotFound);
  }
  const Endpoint nowhere;
  Result<Reached> found =
      co_await Discover(journal, setup, timeouts, options, Use::kOneShot, nowhere);
  if (found.ok() || found.status().code() != StatusCode::kUnreachable) co_return found;
  co_return Status::Unreachable("").WithReason(LinkReason::kPartnerNotFound);
}

// The partner at `to`, or else at their last known address; if that fails (nobody accepts the
// connection, or the handshake there fails) and discovery is on, wherever discovery finds them.
// With `to`, exactly there. An older or newer partner is reported as such, without a search.
Task<Result<Reached>> Reach(Journal& journal, const SessionSetup& setup,
                            const std::optional<Endpoint>& to, const LinkTimeouts& timeouts,
                            const DiscoveryOptions& options) {
  if (to) co_return co_await ReachAt(journal, setup, *to, timeouts, Use::kOneShot);
  Result<std::optional<Endpoint>> remembered = LastAddress(setup.partner);
  if (!remembered.ok()) co_return remembered.status();
  if (!*remembered) co_return co_await SearchOnly(journal, setup, timeouts, options);
  const std::optional<Endpoint>& last = *remembered;
  Result<Reached> direct = co_await ReachAt(journal, setup, *last, timeouts, Use::kOneShot);
  if (direct.ok() || !options.enabled || !WorthSearchingElsewhere(direct.status())) {
    co_return direct;
  }
  Result<Reached> found =
      co_await Discover(journal, setup, timeouts, options, Use::kOneShot, *last);
  if (found.ok() || found.status().code() != StatusCode::kUnreachable) co_return found;
  // Nobody found: the last address's code (what it said is the more useful news), with the
  // facts of both (LinkReason::kPartnerNotFound).
  const std::string heard = found.status().detail();
  co_return direct.status()
      .WithDetail(last->ToString() + "\n" + direct.status().detail() +
                  (heard.empty() ? "" : "\n" + heard))
      .WithReason(LinkReason::kPartnerNotFound);
}

Task<Result<PingResult>> RunPing(Reached& reached, const LinkTimeouts& timeouts) {
  PingResult result;
  result.address = reached.at.ToString();
  result.connect = reached.connect;
  result.handshake = reached.handshake;
  FramedSocket* const socket = &reached.socket;  // (pointers: the code below predates Reached)
  protocol::Session* const session = &reached.session;

  if (!session->Agreed(protocol::kFeaturePing)) {
    socket->Close();
    co_return Status::Unsupported("your partner's attune does not answer pings")
        .WithReason(LinkReason::kPeerLacksFeature);
  }
  SteadyClock::time_point start = SteadyClock::now();
  uint64_t nonce = 0;
  crypto::FillRandom({reinterpret_cast<uint8_t*>(&nonce), sizeof nonce});
  ATTUNE_CO_RETURN_IF_ERROR(
      co_await SendMessage(*socket, *session, protocol::PingMessage{nonce}, timeouts.idle));
  std::vector<protocol::Message> pending;
  while (true) {
    Result<protocol::Message> message =
        co_await ReceiveMessage(*socket, *session, pending, timeouts.idle);
    if (!message.ok()) co_return message.status();
    if (const auto* pong = std::get_if<protocol::PongMessage>(&*message)) {
      if (pong->nonce == nonce) break;
      continue;  // a stale pong: not ours
    }
    if (std::holds_alternative<protocol::GoodbyeMessage>(*message)) {
      co_return Status::Unreachable(
          "your partner's attune closed the connection before "
          "answering");
    }
  }
  result.round_trip = Since(start);
  (void)co_await SendMessage(*socket, *session,
                             protocol::GoodbyeMessage{protocol::GoodbyeMessage::Reason::kDone},
                             timeouts.idle);
  socket->Close();
  co_return result;
}

Result<std::optional<Endpoint>> LastAddress(const Partner& partner) {
  if (partner.last_address.empty()) return std::optional<Endpoint>();
  ATTUNE_ASSIGN_OR_RETURN(Endpoint last, ParseEndpoint(partner.last_address, kDefaultServePort));
  return std::optional<Endpoint>(std::move(last));
}

Status RecordContact(Journal& journal, const std::string& host, uint16_t port) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal.GetPartner());
  if (!partner) return Status::Ok();  // unpaired meanwhile: nothing to remember
  if (port == 0) {
    Result<Endpoint> before = ParseEndpoint(partner->last_address, kDefaultServePort);
    port = before.ok() ? before->port : kDefaultServePort;
  }
  partner->last_address = Endpoint{host, port}.ToString();
  partner->last_contact = journal.clock().Now();
  return journal.SavePartner(*partner, /*replace=*/true);
}

// ---- sync ----

Task<Result<SyncResult>> RunSync(Journal& journal, Reached& reached, SteadyClock::time_point start,
                                 const LinkTimeouts& timeouts, const ProgressCallback& progress) {
  const Endpoint& to = reached.at;
  FramedSocket* const socket = &reached.socket;  // (pointers: the code below predates Reached)
  protocol::Session* const session = &reached.session;
  link_io::Conversation conversation(journal, *socket, *session,
                                     {.live = false, .idle = timeouts.idle, .progress = progress});
  Status ended = co_await conversation.Run();
  socket->Close();
  if (!ended.ok()) co_return ended;
  const protocol::SyncCounts& counts = conversation.counts();
  co_return SyncResult{to.ToString(),
                       counts.sent,
                       counts.withdrew,
                       counts.applied.received,
                       counts.applied.removed,
                       counts.applied.refused,
                       socket->bytes_written(),
                       socket->bytes_read(),
                       Since(start)};
}

// ---- through Tor ----

link_io::TorStartOptions StartOptions(const TorOptions& tor) {
  link_io::TorStartOptions options;
  options.folder = tor.folder;
  options.extra_torrc = tor.extra_torrc;
  options.on_progress = tor.on_progress;
  options.bootstrap_timeout = tor.bootstrap_timeout;
  options.attach_to_running = tor.serve_runs;
  return options;
}

Task<Result<Reached>> ReachThroughTor(Journal& journal, const SessionSetup& setup,
                                      link_io::TorProcess& tor, const TorOptions& options,
                                      Use use) {
  if (!setup.partner.onion) {
    co_return Status::NotFound("no onion address").WithReason(LinkReason::kPartnerHasNoOnion);
  }
  const std::string& service = setup.partner.onion->address;
  Result<OnionKeys> keys = OnionKeysOf(journal);
  if (!keys.ok()) co_return keys.status();
  const crypto::SecureBytes client_key = crypto::ClientAuthPrivateText(keys->client);
  ATTUNE_CO_RETURN_IF_ERROR(
      co_await tor.AddClientAuth(service, client_key, options.handshake_timeout));
  const SteadyClock::time_point start = SteadyClock::now();
  const Endpoint at{service + ".onion", kOnionPort};
  Result<tcp::socket> connected =
      co_await link_io::ConnectThroughTor(co_await asio::this_coro::executor, tor.socks_port(),
                                          at.host, at.port, options.connect_timeout);
  if (!connected.ok()) co_return connected.status();
  FramedSocket socket(std::move(*connected));
  const std::chrono::microseconds connect = Since(start);
  Result<protocol::Session> session =
      co_await InitiateHandshake(journal, socket, setup, use, options.handshake_timeout);
  if (!session.ok()) co_return session.status();
  co_return Reached{std::move(socket), std::move(*session), at, connect, Since(start) - connect};
}

// The contact time only: an address seen through Tor is not one to dial.
Status RecordContactTime(Journal& journal) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal.GetPartner());
  if (!partner) return Status::Ok();
  partner->last_contact = journal.clock().Now();
  return journal.SavePartner(*partner, /*replace=*/true);
}

// Starts this command's own tor, then runs `exchange` on the partner reached through it.
template <typename T>
Result<T> ThroughTor(Journal& journal, const TorOptions& options,
                     const std::function<Task<Result<T>>(Reached&)>& exchange) {
  ATTUNE_ASSIGN_OR_RETURN(SessionSetup setup, LoadSetup(journal));
  if (!setup.partner.onion) {
    return Status::NotFound("no onion address").WithReason(LinkReason::kPartnerHasNoOnion);
  }
  asio::io_context io;
  auto exchange_through = [&](link_io::TorProcess& started) -> Task<Result<T>> {
    Result<Reached> reached =
        co_await ReachThroughTor(journal, setup, started, options, Use::kOneShot);
    if (!reached.ok()) co_return reached.status();
    Result<T> result = co_await exchange(*reached);
    if (result.ok()) ATTUNE_CO_RETURN_IF_ERROR(RecordContactTime(journal));
    co_return result;
  };
  auto run = [&]() -> Task<Result<T>> {
    Result<std::shared_ptr<link_io::TorProcess>> started =
        co_await link_io::TorProcess::StartOrAttach(StartOptions(options));
    if (!started.ok()) co_return started.status();
    Result<T> result = co_await exchange_through(**started);
    (*started)->Stop();  // tor exits and its readers end, so the loop runs out
    co_return result;
  };
  return link_io::RunToCompletion(io, run());
}

}  // namespace link_session

using link_session::LoadSetup;
using link_session::Reach;
using link_session::Reached;
using link_session::RecordContact;
using link_session::RunPing;
using link_session::RunSync;
using link_session::SessionSetup;
using link_session::SteadyClock;
using link_session::Task;
namespace asio = link_io::asio;

Result<PingResult> PingPartner(Journal& journal, const std::optional<Endpoint>& to,
                               const LinkTimeouts& timeouts, const DiscoveryOptions& discovery) {
  ATTUNE_ASSIGN_OR_RETURN(SessionSetup setup, LoadSetup(journal));
  asio::io_context io;
  auto ping = [&]() -> Task<Result<PingResult>> {
    Result<Reached> reached = co_await Reach(journal, setup, to, timeouts, discovery);
    if (!reached.ok()) co_return reached.status();
    Result<PingResult> result = co_await RunPing(*reached, timeouts);
    // Only now, with the handshake done, is the address known to be the partner's.
    if (result.ok()) {
      ATTUNE_CO_RETURN_IF_ERROR(RecordContact(journal, reached->at.host, reached->at.port));
    }
    co_return result;
  };
  return link_io::RunToCompletion(io, ping());
}

Result<SyncResult> SyncWithPartner(Journal& journal, const std::optional<Endpoint>& to,
                                   const LinkTimeouts& timeouts, const DiscoveryOptions& discovery,
                                   const ProgressCallback& progress) {
  ATTUNE_ASSIGN_OR_RETURN(SessionSetup setup, LoadSetup(journal));
  asio::io_context io;
  auto sync = [&]() -> Task<Result<SyncResult>> {
    const SteadyClock::time_point start = SteadyClock::now();
    Result<Reached> reached = co_await Reach(journal, setup, to, timeouts, discovery);
    if (!reached.ok()) co_return reached.status();
    Result<SyncResult> result = co_await RunSync(journal, *reached, start, timeouts, progress);
    if (result.ok()) {
      ATTUNE_CO_RETURN_IF_ERROR(RecordContact(journal, reached->at.host, reached->at.port));
    }
    co_return result;
  };
  return link_io::RunToCompletion(io, sync());
}

bool TorInstalled() {
  return link_io::FindTorBinary().ok();
}

Result<PingResult> PingPartnerThroughTor(Journal& journal, const LinkTimeouts& timeouts,
                                         const TorOptions& tor) {
  return link_session::ThroughTor<PingResult>(
      journal, tor, [&timeouts](Reached& reached) { return RunPing(reached, timeouts); });
}

Result<SyncResult> SyncWithPartnerThroughTor(Journal& journal, const LinkTimeouts& timeouts,
                                             const TorOptions& tor,
                                             const ProgressCallback& progress) {
  const SteadyClock::time_point start = SteadyClock::now();
  return link_session::ThroughTor<SyncResult>(journal, tor, [&](Reached& reached) {
    return RunSync(journal, reached, start, timeouts, progress);
  });
}

}  // namespace attune::node
