// `attune pair`: the pairing exchange (protocol/pairing.h) over one TCP connection.
#include <algorithm>
#include <map>
#include <memory>

#include "crypto/onion.h"
#include "node/journal/link_identity.h"
#include "node/link.h"
#include "node/link/discovery.h"
#include "node/link/link_errors.h"
#include "node/link/link_io.h"
#include "node/link/link_session_internal.h"
#include "node/link/tor_process.h"
#include "protocol/discovery.h"
#include "protocol/identity.h"
#include "protocol/pairing.h"
#include "protocol/pairing_code.h"

namespace attune::node {
namespace {

using link_io::FramedSocket;
using link_io::Task;
namespace asio = link_io::asio;
using link_io::tcp;

// Our side of the pairing: who we are, and where our serve listens.
Result<protocol::PairingIdentity> OwnIdentity(Journal& journal) {
  ATTUNE_ASSIGN_OR_RETURN(crypto::X25519KeyPair identity, LinkIdentityOf(journal));
  ATTUNE_ASSIGN_OR_RETURN(std::string name, journal.Name());
  ATTUNE_ASSIGN_OR_RETURN(uint16_t serve_port, journal.ServePort());
  // The onion contact travels whether or not this home uses Tor yet: sealed, to the partner
  // only, so that turning Tor on later needs no new pairing.
  ATTUNE_ASSIGN_OR_RETURN(OnionContact onion, journal.OwnOnionContact());
  return protocol::PairingIdentity{identity.public_key, std::move(name), serve_port,
                                   std::move(onion.address), onion.client_key};
}

Status RequireNoPartner(Journal& journal) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Partner> partner, journal.GetPartner());
  if (partner) {
    return Status::AlreadyExists(partner->display_name).WithReason(PairingReason::kAlreadyPaired);
  }
  return Status::Ok();
}

// Stores the partner and describes the result.
Result<PairingResult> Remember(Journal& journal, const protocol::PairingIdentity& own,
                               const protocol::PairingIdentity& peer, const std::string& host) {
  Partner partner;
  partner.public_key = peer.static_key;
  partner.display_name = peer.display_name;
  partner.paired_at = journal.clock().Now();
  // Paired through Tor, no address of theirs was seen: none is remembered until a handshake
  // on the network proves one (discovery finds them there, or Tor reaches them).
  if (!host.empty()) {
    partner.last_address =
        Endpoint{host, peer.serve_port != 0 ? peer.serve_port : kDefaultServePort}.ToString();
  }
  partner.told_own_onion = own.onion_client_key.has_value();
  if (peer.onion_client_key) {
    partner.onion = OnionContact{peer.onion_address, *peer.onion_client_key};
  }
  ATTUNE_RETURN_IF_ERROR(journal.SavePartner(partner, /*replace=*/false));
  PairingResult result;
  result.own_fingerprint = protocol::Fingerprint(own.static_key);
  result.partner_fingerprint = protocol::Fingerprint(peer.static_key);
  result.safety_number = protocol::SafetyNumber(own.static_key, peer.static_key);
  result.partner = std::move(partner);
  return result;
}

// Runs the exchange after the first message (already fed to `pairing` by the caller for the
// inviter, or sent by the joiner): reply, read, until finished. On a detected code mismatch the
// abort notice goes out before the error returns.
Task<Status> Exchange(FramedSocket& socket, protocol::Pairing& pairing,
                      std::optional<Bytes> first_reply, const LinkTimeouts& timeouts) {
  std::optional<Bytes> reply = std::move(first_reply);
  while (true) {
    if (reply) {
      std::vector<Bytes> frames;
      frames.push_back(std::move(*reply));
      ATTUNE_CO_RETURN_IF_ERROR(co_await socket.WriteFrames(frames, timeouts.handshake));
    }
    if (pairing.finished()) co_return Status::Ok();
    Result<Bytes> frame = co_await socket.ReadFrame(timeouts.handshake);
    if (!frame.ok()) co_return frame.status();
    Result<std::optional<Bytes>> next = pairing.Receive(*frame);
    if (!next.ok()) {
      if (pairing.abort_message()) {
        std::vector<Bytes> frames(1, *pairing.abort_message());
        (void)co_await socket.WriteFrames(frames, timeouts.handshake);
      }
      co_return AsLinkError(next.status());
    }
    reply = std::move(*next);
  }
}

// The inviter's side: accepts connections concurrently, so that a silent or garbage connection
// cannot hold up the partner's. The first connection that makes a real pairing attempt (a
// well-formed PairRequest) claims the code; from then on nothing else is accepted, and its
// outcome, success or failure, ends the invitation.
class Invitation {
 public:
  Invitation(asio::io_context& io, tcp::acceptor& acceptor, const protocol::PairingCode& code,
             const protocol::PairingIdentity& own, const LinkTimeouts& timeouts)
      : io_(io),
        acceptor_(acceptor),
        code_(code),
        own_(own),
        timeouts_(timeouts),
        give_up_(acceptor.get_executor()) {}

  // Starts accepting, and the clock of the code's validity.
  void Open() {
    give_up_.expires_after(timeouts_.pairing_wait);
    give_up_.async_wait([this](const boost::system::error_code& error) {
      if (!error && !claimed_) {
        End(Status::TimedOut("nobody joined within the time the code is valid; it has expired"));
      }
    });
    asio::co_spawn(io_, AcceptLoop(), asio::detached);
  }

  // Ends the invitation with `failure` (nothing if it already ended): its tor stopped.
  void Fail(Status failure) { End(std::move(failure)); }

  // Runs the loop until the outcome is known; then stops it, abandoning idle connections.
  Result<protocol::PairingIdentity> Run() {
    io_.run();
    if (!outcome_) return Status::Internal("pairing ended without an outcome");
    return std::move(*outcome_);
  }

  const std::string& peer_host() const { return peer_host_; }

  // Withdraws the invitation (InviteOptions::stop), unless a pairing attempt is under way: that
  // one finishes as it would have.
  void Cancel() {
    if (!claimed_) End(Status::Cancelled("the invitation was withdrawn"));
  }

 private:
  static constexpr size_t kMaxWaitingConnections = 8;

  Task<void> AcceptLoop() {
    auto executor = co_await asio::this_coro::executor;
    while (!outcome_ && !claimed_) {
      boost::system::error_code error;
      tcp::socket socket =
          co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, error));
      if (outcome_ || claimed_) co_return;
      if (error) {
        End(Status::IoError("waiting for your partner failed: " + error.message()));
        co_return;
      }
      if (waiting_.size() >= kMaxWaitingConnections) CloseLongestWaiting();
      // Registered here, not in the coroutine: it starts only after this loop yields, and a
      // burst of connections must already see the others.
      auto framed = std::make_unique<FramedSocket>(std::move(socket));
      const uint64_t ticket = ++last_ticket_;
      waiting_.emplace(ticket, framed.get());
      asio::co_spawn(executor, Attempt(std::move(framed), ticket), asio::detached);
    }
  }

  // At capacity, a new connection closes the one that has waited longest for its first frame,
  // as serve does, instead of being turned away itself. The partner's request follows its
  // connection within half a round trip, so silent connections (a scan, or a flood meant to keep
  // the partner out) delay it only if more than kMaxWaitingConnections of them arrive in that
  // time; turning the newest away instead let eight of them, renewed, block pairing for good.
  // One whose bytes have arrived but not yet been read (a busy machine runs the accepts first)
  // is spared while a silent one is left: it is most likely the joiner.
  void CloseLongestWaiting() {
    auto chosen = std::find_if(waiting_.begin(), waiting_.end(),
                               [](const auto& waiting) { return !waiting.second->HasInput(); });
    if (chosen == waiting_.end()) chosen = waiting_.begin();
    chosen->second->Close();  // its read ends with an error, and its coroutine with it
    waiting_.erase(chosen);
  }

  Task<void> Attempt(std::unique_ptr<FramedSocket> socket, uint64_t ticket) {
    Result<protocol::Pairing> pairing =
        protocol::Pairing::Create(protocol::PairingRole::kInviter, code_, own_);
    if (!pairing.ok()) {
      waiting_.erase(ticket);
      co_return End(pairing.status());
    }
    // A short deadline for the first frame: a connection that says nothing (or dribbles a
    // frame out byte by byte) gives its place back soon.
    Result<Bytes> first = co_await socket->ReadFrame(timeouts_.first_frame);
    // A connection closed to make room may still have read its frame: the read completed, and
    // this coroutine waited its turn while the accept loop chose it as the one waiting longest
    // (its bytes, already read, no longer spare it). Its request is dropped unanswered, as the
    // joiner expects of a connection closed to make room; taking it up on a closed socket would
    // fail the whole invitation.
    const bool closed_to_make_room = waiting_.erase(ticket) == 0;
    if (!first.ok() || closed_to_make_room || claimed_ || outcome_) co_return;
    Result<std::optional<Bytes>> reply = pairing->Receive(*first);
    if (!reply.ok() && reply.status().code() == StatusCode::kCorruption) {
      co_return;  // not a pairing request: a scanner or a stray client
    }
    // A real attempt: the code is used up, whatever happens next, and its exchange runs under
    // its own per-message deadlines, not the invitation's.
    claimed_ = true;
    give_up_.cancel();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    peer_host_ = socket->RemoteHost();
    if (!reply.ok()) {
      if (pairing->abort_message()) {
        std::vector<Bytes> frames(1, *pairing->abort_message());
        (void)co_await socket->WriteFrames(frames, timeouts_.handshake);
      }
      co_return End(AsLinkError(reply.status()));
    }
    Status exchanged = co_await Exchange(*socket, *pairing, std::move(*reply), timeouts_);
    if (exchanged.ok()) co_await AwaitJoinerClose(*socket);
    socket->Close();
    if (!exchanged.ok()) co_return End(exchanged);
    End(pairing->peer());
  }

  // The inviter speaks last (PairFinish), and its write returns once the bytes are with the
  // kernel, or through Tor with this side's tor, which the inviter stops as soon as it is done:
  // ending at once could cut the finish off before it crossed, leaving the inviter paired and
  // the joiner not. The joiner closes the connection once it has read the finish, so the
  // inviter waits for that close (a frame or the handshake deadline ends the wait too).
  Task<void> AwaitJoinerClose(FramedSocket& socket) {
    (void)co_await socket.ReadFrame(timeouts_.handshake);
  }

  void End(Result<protocol::PairingIdentity> outcome) {
    if (outcome_) return;
    outcome_.emplace(std::move(outcome));
    give_up_.cancel();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    // Connections still waiting for a first frame are abandoned with the loop.
    io_.stop();
  }

  asio::io_context& io_;
  tcp::acceptor& acceptor_;
  const protocol::PairingCode& code_;
  const protocol::PairingIdentity& own_;
  const LinkTimeouts& timeouts_;
  asio::steady_timer give_up_;
  // The connections waiting for their first frame, oldest first (tickets grow).
  std::map<uint64_t, FramedSocket*> waiting_;
  uint64_t last_ticket_ = 0;
  bool claimed_ = false;
  std::optional<Result<protocol::PairingIdentity>> outcome_;
  std::string peer_host_;
};

// The pairing is announced every second at most: it lasts minutes, and the joiner listens for
// only a few seconds.
constexpr auto kPairingAnnounceEvery = std::chrono::milliseconds(1'000);

// Announces the invitation on the code's channel until the loop stops (the pairing ended).
Status AnnounceInvitation(asio::io_context& io, Journal& journal, uint32_t channel, uint16_t port,
                          const DiscoveryOptions& options,
                          std::unique_ptr<discovery::Announcer>& announcer) {
  ATTUNE_ASSIGN_OR_RETURN(protocol::DiscoveryKey key, protocol::DiscoveryKey::Pairing(channel));
  announcer = std::make_unique<discovery::Announcer>(io.get_executor(), options.port);
  auto shared_key = std::make_shared<protocol::DiscoveryKey>(std::move(key));
  auto make = [&journal, shared_key, port](const protocol::DiscoveryAddress& from) {
    return shared_key->Announce(port, discovery::WindowAt(journal.clock().Now()), from);
  };
  asio::co_spawn(io,
                 discovery::AnnounceEvery(
                     *announcer, make,
                     std::min<link_io::Duration>(options.announce_every, kPairingAnnounceEvery)),
                 asio::detached);
  return Status::Ok();
}

// An inviter at capacity closes the connection that waited longest for its first frame to make
// room (Invitation::CloseLongestWaiting). When a flood of silent connections outpaces the
// joiner's request, that can be the joiner's, closed unread: the code is not used up then, so
// the joiner tries again on a new connection with a fresh pairing, a few times. A connection
// that got any byte back is never retried: the inviter read the request and the code is spent.
constexpr int kJoinAttempts = 3;

// A new connection to the inviter, directly or through tor.
using Connector = std::function<Task<Result<FramedSocket>>()>;

// Pairing with the inviter that `connect` reaches: connect, then the whole exchange.
Task<Result<protocol::PairingIdentity>> JoinWith(const Connector& connect,
                                                 const protocol::PairingCode& code,
                                                 const protocol::PairingIdentity& own,
                                                 const LinkTimeouts& timeouts) {
  for (int attempt = 1;; ++attempt) {
    Result<protocol::Pairing> pairing =
        protocol::Pairing::Create(protocol::PairingRole::kJoiner, code, own);
    if (!pairing.ok()) co_return pairing.status();
    Result<Bytes> request = pairing->Start();
    if (!request.ok()) co_return request.status();
    Result<FramedSocket> socket = co_await connect();
    if (!socket.ok()) co_return socket.status();
    Status exchanged = co_await Exchange(*socket, *pairing, std::move(*request), timeouts);
    const bool closed_unanswered =
        exchanged.code() == StatusCode::kUnreachable && socket->bytes_read() == 0;
    socket->Close();
    if (exchanged.ok()) co_return pairing->peer();
    if (!closed_unanswered || attempt == kJoinAttempts) co_return exchanged;
  }
}

Task<Result<protocol::PairingIdentity>> JoinAt(const Endpoint& at,
                                               const protocol::PairingCode& code,
                                               const protocol::PairingIdentity& own,
                                               const LinkTimeouts& timeouts) {
  const Connector connect = [&at, &timeouts]() { return link_io::Connect(at, timeouts.connect); };
  co_return co_await JoinWith(connect, code, own, timeouts);
}

struct Joined {
  protocol::PairingIdentity peer;
  std::string host;
};

// Listens for invitations on the code's channel and runs a fresh pairing with each inviter
// heard until one succeeds. A stranger announcing the same channel cannot make the real
// inviter's pairing fail: it gets its own run (one guess at the code, which CPace makes worth
// 2^-33), and the real inviter is tried after it.
Result<Joined> JoinDiscovered(Journal& journal, const protocol::PairingCode& code,
                              const protocol::PairingIdentity& own, const LinkTimeouts& timeouts,
                              const DiscoveryOptions& options) {
  ATTUNE_ASSIGN_OR_RETURN(protocol::DiscoveryKey key,
                          protocol::DiscoveryKey::Pairing(code.channel));
  asio::io_context io;
  ATTUNE_ASSIGN_OR_RETURN(discovery::Listener listener,
                          discovery::Listener::Open(io.get_executor(), options.port));
  if (options.on_looking) options.on_looking();
  const discovery::Recognizer recognize =
      [&key, &journal](ByteSpan packet, const protocol::DiscoveryAddress& source) {
        return key.Recognize(packet, discovery::WindowAt(journal.clock().Now()), source);
      };
  const std::function<Task<Result<Joined>>(const Endpoint&)> attempt =
      [&](const Endpoint& at) -> Task<Result<Joined>> {
    Result<protocol::PairingIdentity> peer = co_await JoinAt(at, code, own, timeouts);
    if (!peer.ok()) co_return peer.status();
    co_return Joined{std::move(*peer), at.host};
  };
  std::vector<Status> failures;
  auto search = [&]() -> Task<Result<Joined>> {
    std::optional<Joined> joined = co_await discovery::FirstThatAnswers<Joined>(
        listener, recognize, options, std::vector<Endpoint>(), attempt, failures);
    if (joined) co_return std::move(*joined);
    co_return Status::Unreachable("");
  };
  Result<Joined> joined = link_io::RunToCompletion(io, search());
  if (joined.ok() || joined.status().code() != StatusCode::kUnreachable) return joined;
  if (failures.empty()) {
    return Status::Unreachable("no invitation heard")
        .WithReason(PairingReason::kInvitationNotFound);
  }
  // Versions that differ, then a wrong code, say more than a stranger's address that did not
  // answer.
  for (const Status& failure : failures) {
    if (failure.code() == StatusCode::kUnsupported) return failure;
  }
  for (const Status& failure : failures) {
    if (failure.Is(PairingReason::kCodeMismatch)) return failure;
  }
  return failures.back();
}

// ---- At a distance, through Tor ----

// The port in the invitation's onion address ("X.onion:47016"), the same as on the network.
constexpr uint16_t kInvitationOnionPort = kDefaultPairPort;

// The deadlines of an exchange through Tor, where each message crosses six relays.
LinkTimeouts ThroughTorTimeouts(LinkTimeouts timeouts, const TorOptions& tor) {
  timeouts.connect = tor.connect_timeout;
  timeouts.handshake = tor.handshake_timeout;
  timeouts.first_frame = tor.first_frame_timeout;
  return timeouts;
}

// Starts tor, publishes the invitation's onion service in front of `target_port` under a key
// made now (and forgotten with this tor), and only then shows the offer and opens the
// invitation. Ends the invitation if tor fails or stops before it ended.
Task<void> PublishInvitation(Invitation& invitation, const TorOptions& options,
                             const protocol::PairingCode& code, uint16_t target_port,
                             const std::function<void(const PairingOffer&)>& on_ready,
                             std::shared_ptr<link_io::TorProcess>& tor) {
  Result<std::shared_ptr<link_io::TorProcess>> started =
      co_await link_io::TorProcess::StartOrAttach(link_session::StartOptions(options));
  if (!started.ok()) co_return invitation.Fail(started.status());
  tor = *started;
  const crypto::OnionServiceKey key = crypto::OnionServiceKey::Generate();
  std::vector<std::string> anyone;  // no client authorisation: the code is the secret
  Result<std::string> service =
      co_await tor->PublishOnion(key.ControlPortKeyBlob(), {kInvitationOnionPort, target_port},
                                 std::move(anyone), options.bootstrap_timeout);
  if (!service.ok()) co_return invitation.Fail(service.status());
  const Endpoint address{*service + ".onion", kInvitationOnionPort};
  if (on_ready) on_ready(PairingOffer{code.ToString(), address.ToString()});
  invitation.Open();
  co_await tor->WaitUntilGone();
  invitation.Fail(Status::Unreachable("tor stopped").WithReason(TorReason::kExitedEarly));
}

Result<protocol::PairingIdentity> InviteThroughTor(const InviteOptions& options,
                                                   const protocol::PairingCode& code,
                                                   const protocol::PairingIdentity& own) {
  asio::io_context io;
  // Only the local tor connects here: the service forwards to this port on 127.0.0.1.
  ATTUNE_ASSIGN_OR_RETURN(tcp::acceptor acceptor, link_io::Listen(io, Endpoint{"127.0.0.1", 0}));
  const LinkTimeouts timeouts = ThroughTorTimeouts(options.timeouts, *options.tor);
  Invitation invitation(io, acceptor, code, own, timeouts);
  std::shared_ptr<link_io::TorProcess> tor;
  asio::co_spawn(io,
                 PublishInvitation(invitation, *options.tor, code, acceptor.local_endpoint().port(),
                                   options.on_ready, tor),
                 asio::detached);
  Result<protocol::PairingIdentity> peer = invitation.Run();
  if (tor) tor->Stop();
  return peer;
}

// Joins the invitation at the onion address `at` through a tor of its own, stopped after.
Result<protocol::PairingIdentity> JoinThroughTor(const Endpoint& at,
                                                 const protocol::PairingCode& code,
                                                 const protocol::PairingIdentity& own,
                                                 const LinkTimeouts& timeouts,
                                                 const TorOptions& options) {
  const LinkTimeouts through = ThroughTorTimeouts(timeouts, options);
  asio::io_context io;
  auto run = [&]() -> Task<Result<protocol::PairingIdentity>> {
    Result<std::shared_ptr<link_io::TorProcess>> started =
        co_await link_io::TorProcess::StartOrAttach(link_session::StartOptions(options));
    if (!started.ok()) co_return started.status();
    const asio::any_io_executor executor = co_await asio::this_coro::executor;
    const uint16_t socks_port = (*started)->socks_port();
    const Connector connect = [&, executor, socks_port]() -> Task<Result<FramedSocket>> {
      Result<tcp::socket> socket = co_await link_io::ConnectThroughTor(
          executor, socks_port, at.host, at.port, through.connect);
      if (!socket.ok()) co_return socket.status();
      co_return FramedSocket(std::move(*socket));
    };
    Result<protocol::PairingIdentity> peer = co_await JoinWith(connect, code, own, through);
    (*started)->Stop();  // tor exits and its readers end, so the loop runs out
    co_return peer;
  };
  return link_io::RunToCompletion(io, run());
}

}  // namespace

std::string KeyFingerprint(const crypto::X25519PublicKey& key) {
  return protocol::Fingerprint(key);
}

std::string PairSafetyNumber(const crypto::X25519PublicKey& a, const crypto::X25519PublicKey& b) {
  return protocol::SafetyNumber(a, b);
}

bool IsOnionHost(std::string_view host) {
  return host.ends_with(".onion");
}

Result<PairingResult> InvitePartner(Journal& journal, const InviteOptions& options) {
  ATTUNE_RETURN_IF_ERROR(RequireNoPartner(journal));
  ATTUNE_ASSIGN_OR_RETURN(protocol::PairingIdentity own, OwnIdentity(journal));
  if (options.tor) {
    const protocol::PairingCode code = protocol::NewPairingCode();
    ATTUNE_ASSIGN_OR_RETURN(protocol::PairingIdentity peer, InviteThroughTor(options, code, own));
    return Remember(journal, own, peer, /*host=*/"");
  }
  asio::io_context io;
  ATTUNE_ASSIGN_OR_RETURN(tcp::acceptor acceptor, link_io::Listen(io, options.listen));
  const protocol::PairingCode code = protocol::NewPairingCode();
  if (options.on_ready) {
    options.on_ready(
        PairingOffer{code.ToString(), link_io::AdvertisedAddress(io, acceptor.local_endpoint())});
  }
  std::unique_ptr<discovery::Announcer> announcer;
  if (options.discovery.enabled) {
    ATTUNE_RETURN_IF_ERROR(AnnounceInvitation(
        io, journal, code.channel, acceptor.local_endpoint().port(), options.discovery, announcer));
  }
  Invitation invitation(io, acceptor, code, own, options.timeouts);
  invitation.Open();
  if (options.stop) {
    options.stop->SetHandler(
        [&io, &invitation] { asio::post(io, [&invitation] { invitation.Cancel(); }); });
  }
  Result<protocol::PairingIdentity> outcome = invitation.Run();
  if (options.stop) options.stop->SetHandler(nullptr);
  ATTUNE_ASSIGN_OR_RETURN(protocol::PairingIdentity peer, std::move(outcome));
  return Remember(journal, own, peer, invitation.peer_host());
}

Result<PairingResult> JoinPartner(Journal& journal, std::string_view typed_code,
                                  const std::optional<Endpoint>& inviter,
                                  const LinkTimeouts& timeouts, const DiscoveryOptions& discovery,
                                  const std::optional<TorOptions>& tor) {
  ATTUNE_ASSIGN_OR_RETURN(protocol::PairingCode code, protocol::ParsePairingCode(typed_code));
  ATTUNE_RETURN_IF_ERROR(RequireNoPartner(journal));
  if (inviter && IsOnionHost(inviter->host)) {
    Result<crypto::Ed25519PublicKey> service = crypto::ParseOnionAddress(inviter->host);
    if (!service.ok()) {
      return Status::InvalidArgument(service.status().detail())
          .WithReason(PairingReason::kNotAnOnionAddress);
    }
    if (!tor) {
      return Status::InvalidArgument("an onion address, and no tor")
          .WithReason(PairingReason::kOnionAddressNeedsTor);
    }
  }
  ATTUNE_ASSIGN_OR_RETURN(protocol::PairingIdentity own, OwnIdentity(journal));
  if (inviter && IsOnionHost(inviter->host)) {
    ATTUNE_ASSIGN_OR_RETURN(protocol::PairingIdentity peer,
                            JoinThroughTor(*inviter, code, own, timeouts, *tor));
    return Remember(journal, own, peer, /*host=*/"");
  }
  if (!inviter) {
    if (!discovery.enabled) {
      return Status::InvalidArgument("no address and no discovery")
          .WithReason(PairingReason::kNeedsInviterAddress);
    }
    ATTUNE_ASSIGN_OR_RETURN(Joined joined, JoinDiscovered(journal, code, own, timeouts, discovery));
    return Remember(journal, own, joined.peer, joined.host);
  }
  asio::io_context io;
  Result<protocol::PairingIdentity> peer =
      link_io::RunToCompletion(io, JoinAt(*inviter, code, own, timeouts));
  // Nothing answered at the address: what is missing is the partner's `pair`, not a serve.
  if (peer.status().code() == StatusCode::kUnreachable && peer.status().reason() == 0) {
    return peer.status().WithReason(PairingReason::kInviterUnreachable);
  }
  ATTUNE_RETURN_IF_ERROR(peer.status());
  return Remember(journal, own, *peer, inviter->host);
}

}  // namespace attune::node
