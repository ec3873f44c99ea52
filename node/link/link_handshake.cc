// The partner handshake over a socket (protocol/session.h): the initiator's side with its
// counter from the journal, the responder's side that admits a counter once and otherwise says
// nothing, and the probe that tells an older partner's attune from a stranger.
#include <algorithm>
#include <string>

#include "node/link.h"
#include "node/link/link_errors.h"
#include "node/link/link_io.h"
#include "node/link/link_session_internal.h"
#include "protocol/identity.h"
#include "protocol/legacy_probe.h"
#include "protocol/session.h"

namespace attune::node::link_session {
namespace {

// Time left until `deadline` on the socket's clock.
Duration Remaining(const FramedSocket& socket, link_io::TimePoint deadline) {
  return std::max<Duration>(deadline - socket.clock().Now(), Duration::zero());
}

// The other side ended the connection by closing it, as an attune does that read the first
// message and would not answer it. A reset (LinkReason::kConnectionReset) is not that: the
// attune there went away without reading, which says nothing about whose it was.
bool ClosedWithoutReset(const Status& status) {
  return status.code() == StatusCode::kUnreachable && !status.Is(LinkReason::kConnectionReset);
}

Status HandshakeReadError(const Status& status, const std::string& where) {
  if (status.code() == StatusCode::kTimedOut) {
    return Status::TimedOut("the handshake with " + where + " did not finish in time");
  }
  return status;
}

}  // namespace

Task<Result<protocol::Session>> InitiateHandshake(Journal& journal, FramedSocket& socket,
                                                  const SessionSetup& setup, Use use,
                                                  Duration timeout) {
  const link_io::TimePoint deadline = socket.clock().Now() + timeout;
  const std::string where = socket.RemoteAddress();
  // Issued only now that the connection is up, so that it reaches the responder soon after.
  Result<uint64_t> counter = journal.NextHandshakeCounter();
  if (!counter.ok()) co_return counter.status();
  protocol::SessionConfig config = MakeConfig(setup, protocol::SessionRole::kInitiator, use);
  config.handshake_counter = *counter;
  Result<protocol::Session> started = protocol::Session::Start(std::move(config));
  if (!started.ok()) co_return started.status();
  protocol::Session session = std::move(*started);
  const Status unanswered =
      Status::Unreachable("the attune at " + where + " closed the connection without answering")
          .WithReason(LinkReason::kNotAnswered);
  const Status sent =
      co_await socket.WriteFrames(session.TakeOutgoing(), Remaining(socket, deadline));
  const Status went_away =
      Status::Unreachable("the attune at " + where + " went away during the handshake")
          .WithReason(LinkReason::kConnectionReset);
  if (ClosedWithoutReset(sent)) co_return unanswered;
  if (sent.Is(LinkReason::kConnectionReset)) co_return went_away;
  if (!sent.ok()) co_return sent;
  Result<Bytes> frame = co_await socket.ReadFrame(Remaining(socket, deadline));
  if (!frame.ok()) {
    if (ClosedWithoutReset(frame.status())) co_return unanswered;
    if (frame.status().Is(LinkReason::kConnectionReset)) co_return went_away;
    co_return HandshakeReadError(frame.status(), where);
  }
  Status received = session.Receive(*frame);
  if (!received.ok()) co_return AsLinkError(received);
  if (!session.established()) co_return Status::Internal("the handshake did not finish");
  co_return std::move(session);
}

Task<Result<protocol::Session>> AnswerHandshake(Journal& journal, FramedSocket& socket,
                                                const SessionSetup& setup, Duration timeout) {
  const link_io::TimePoint deadline = socket.clock().Now() + timeout;
  Result<protocol::Session> started =
      protocol::Session::Start(MakeConfig(setup, protocol::SessionRole::kResponder));
  if (!started.ok()) co_return started.status();
  protocol::Session session = std::move(*started);
  Result<Bytes> frame = co_await socket.ReadFrame(Remaining(socket, deadline));
  if (!frame.ok()) co_return HandshakeReadError(frame.status(), socket.RemoteAddress());
  Status received = session.Receive(*frame);
  if (!received.ok()) co_return AsLinkError(received);
  // Message 1 is the partner's: its counter decides whether it is a replay. Checked and
  // recorded in one transaction, so two connections (or two processes) cannot both pass it.
  Result<bool> admitted = journal.AdmitHandshakeCounter(setup.partner.public_key,
                                                        session.peer_hello()->handshake_counter);
  if (!admitted.ok() || !*admitted) {
    session.Reject();
    if (!admitted.ok()) co_return admitted.status();
    co_return Status::ProtocolError("a replayed handshake (its first message was answered before)")
        .WithReason(LinkReason::kReplayedHandshake);
  }
  ATTUNE_CO_RETURN_IF_ERROR(session.Admit());
  ATTUNE_CO_RETURN_IF_ERROR(
      co_await socket.WriteFrames(session.TakeOutgoing(), Remaining(socket, deadline)));
  co_return std::move(session);
}

Task<Status> ProbeForOlderAttune(const SessionSetup& setup, const Endpoint& at,
                                 const LinkTimeouts& timeouts, const Status& unanswered) {
  const Status nobody =
      Status::UnknownPeer(unanswered.detail() + ", in either version of the protocol")
          .WithReason(LinkReason::kNotAnswered);
  Result<FramedSocket> socket = co_await link_io::Connect(at, timeouts.connect);
  // Nobody listens there any more: the node that closed the first connection went away (a
  // partner's attune stopped or was killed mid-handshake), which says nothing about who it was.
  if (!socket.ok()) co_return socket.status();
  Result<protocol::LegacyProbe> probe =
      protocol::LegacyProbe::Start(crypto::CopyKeyPair(setup.identity), setup.partner.public_key);
  if (!probe.ok()) co_return probe.status();
  const std::vector<Bytes> first = {probe->first_message()};
  const Status sent = co_await socket->WriteFrames(first, timeouts.handshake);
  if (sent.Is(LinkReason::kConnectionReset)) co_return sent;
  if (!sent.ok()) co_return nobody;
  const Result<Bytes> answer = co_await socket->ReadFrame(timeouts.handshake);
  socket->Close();  // never message 3: the older node learns nothing of who asked
  if (answer.status().Is(LinkReason::kConnectionReset)) co_return answer.status();
  if (!answer.ok()) co_return nobody;
  const Status read = probe->Read(*answer);
  if (read.ok()) {
    co_return Status::Unsupported("your partner's attune at " + at.ToString() +
                                  " speaks the older protocol attune/1")
        .WithReason(LinkReason::kPeerOlder);
  }
  if (read.code() == StatusCode::kUnknownPeer && probe->unknown_peer_key()) {
    co_return Status::UnknownPeer("unknown peer: the attune at " + at.ToString() +
                                  " is an older attune that is not your partner's (its "
                                  "fingerprint is " +
                                  protocol::Fingerprint(*probe->unknown_peer_key()) + ")");
  }
  co_return nobody;
}

bool WorthSearchingElsewhere(const Status& failure) {
  switch (failure.code()) {
    case StatusCode::kUnreachable:
    case StatusCode::kTimedOut:
    case StatusCode::kUnknownPeer:
    case StatusCode::kProtocolError:
      return true;
    default:
      return false;
  }
}

}  // namespace attune::node::link_session
