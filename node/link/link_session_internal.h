// Internal to node/: the pieces of a partner session that `ping`/`sync` (link_session.cc) and
// `serve` (link_serve.cc) share: what a session needs from the journal, the Noise handshake over
// a socket (link_handshake.cc), reaching the partner at an address or through discovery, and
// remembering where they were reached. Only the link's .cc files include this (and so Asio).
#ifndef ATTUNE_NODE_LINK_LINK_SESSION_INTERNAL_H_
#define ATTUNE_NODE_LINK_LINK_SESSION_INTERNAL_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "crypto/x25519.h"
#include "node/endpoint.h"
#include "node/journal.h"
#include "node/link.h"
#include "node/link/link_io.h"
#include "node/link/tor_process.h"
#include "node/partner.h"
#include "protocol/session.h"

namespace attune::node::link_session {

using link_io::Duration;
using link_io::FramedSocket;
using link_io::Task;
namespace asio = link_io::asio;
using link_io::tcp;
using SteadyClock = std::chrono::steady_clock;

// What every session needs from the journal: this node's key pair, the pinned partner, and the
// hello this node sends (its serve port and features; never its name).
struct SessionSetup {
  crypto::X25519KeyPair identity;
  Partner partner;
  protocol::HelloMessage hello;
};

// kNotFound (JournalReason::kNotPaired) without a partner; journal errors otherwise.
Result<SessionSetup> LoadSetup(Journal& journal);

// What a session is for, told to the responder in the initiator's hello.
enum class Use { kLive, kOneShot };

// The session's configuration; an initiator's still needs its handshake counter.
protocol::SessionConfig MakeConfig(const SessionSetup& setup, protocol::SessionRole role,
                                   Use use = Use::kLive);

// ---- The handshake (link_handshake.cc) ----

// The initiator's side on a connected socket, within `timeout` in all: a counter from the
// journal, then the KK handshake. A peer's fault is a link error (kProtocolError, kUnsupported
// with LinkReason::kPeerNewer), a silence kTimedOut. A handshake closed by the peer without a
// byte back is kUnreachable with LinkReason::kNotAnswered: a stranger's attune, an attune/1
// node, or the partner's refusing a replay; ProbeForOlderAttune tells which.
Task<Result<protocol::Session>> InitiateHandshake(Journal& journal, FramedSocket& socket,
                                                  const SessionSetup& setup, Use use,
                                                  Duration timeout);

// The responder's side, within `timeout`: reads message 1 and, only if it is the partner's and
// its counter was never admitted before (recorded in the journal now), answers. Anything else
// gets no byte back; the caller closes the connection. Errors: kProtocolError (not the
// partner's, or a replay), kUnsupported with LinkReason::kPeerOlder (an attune/1 first
// message) or kPeerNewer, kTimedOut, kUnreachable, journal errors.
Task<Result<protocol::Session>> AnswerHandshake(Journal& journal, FramedSocket& socket,
                                                const SessionSetup& setup, Duration timeout);

// After the handshake at `at` was closed unanswered (`unanswered`), asks once more on a new
// connection in attune/1 (protocol::LegacyProbe) and never completes that handshake. Returns:
// kUnsupported with LinkReason::kPeerOlder if the partner's key answered; kUnknownPeer with the
// key's fingerprint if another attune/1 node did; else kUnknownPeer with kNotAnswered.
Task<Status> ProbeForOlderAttune(const SessionSetup& setup, const Endpoint& at,
                                 const LinkTimeouts& timeouts, const Status& unanswered);

// Whether a failure to reach the partner at an address means "look elsewhere": nobody
// accepted the connection there, or whoever did is not the partner's attune (closed without
// an answer, silent, not the partner). Not for an older or newer partner, nor journal errors.
bool WorthSearchingElsewhere(const Status& failure);

std::chrono::microseconds Since(SteadyClock::time_point start);

// A session with the partner, established from this side, and where it was reached.
struct Reached {
  FramedSocket socket;
  protocol::Session session;
  Endpoint at;
  std::chrono::microseconds connect{0};
  std::chrono::microseconds handshake{0};
};

// Connects to `at` and runs the handshake as initiator (with ProbeForOlderAttune if it is
// closed unanswered).
Task<Result<Reached>> ReachAt(Journal& journal, const SessionSetup& setup, const Endpoint& at,
                              const LinkTimeouts& timeouts, Use use);

// Listens for the partner's announcements and tries each address heard (but `skip`) until the
// handshake succeeds with one. An address is only a hint: a replayed announcement can name a
// stranger, whose handshake fails (unknown peer) without stopping the search.
//   kUnreachable  nobody answering as the partner was heard within options.lookup
//   kUnsupported  the partner was heard, but their attune is older or newer (LinkReason)
Task<Result<Reached>> Discover(Journal& journal, const SessionSetup& setup,
                               const LinkTimeouts& timeouts, const DiscoveryOptions& options,
                               Use use, const Endpoint& skip);

// Where the partner's serve was last reached; none for a partner paired through Tor and not
// found on a network since. kInvalidArgument if the remembered text is not an address.
Result<std::optional<Endpoint>> LastAddress(const Partner& partner);

// Remembers that the partner was reached at `host`:`port` just now (port 0: the partner did
// not say; keep the port remembered before). Call only after a handshake proved it.
Status RecordContact(Journal& journal, const std::string& host, uint16_t port);
// The contact time only, for a session through Tor: an address seen there is not one to dial.
Status RecordContactTime(Journal& journal);
// Through `tor` to the partner's onion service, presenting this node's client key (added to
// `tor` first), then the handshake as on any path, within `options`' deadlines. kNotFound
// (LinkReason::kPartnerHasNoOnion) when the partner told no onion address.
Task<Result<Reached>> ReachThroughTor(Journal& journal, const SessionSetup& setup,
                                      link_io::TorProcess& tor, const TorOptions& options, Use use);

// How a command's TorOptions start its tor (node/link/tor_process.h).
link_io::TorStartOptions StartOptions(const TorOptions& tor);

}  // namespace attune::node::link_session

#endif  // ATTUNE_NODE_LINK_LINK_SESSION_INTERNAL_H_
