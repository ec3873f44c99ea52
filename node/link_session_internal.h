// Internal to node/: the pieces of a partner session that `ping`/`sync` (link_session.cc) and
// `serve` (link_serve.cc) share: what a session needs from the journal, the Noise handshake over
// a socket, reaching the partner at an address or through discovery, and remembering where they
// were reached. Only the link's .cc files include this (and so Asio).
#ifndef ATTUNE_NODE_LINK_SESSION_INTERNAL_H_
#define ATTUNE_NODE_LINK_SESSION_INTERNAL_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "base/status.h"
#include "crypto/x25519.h"
#include "node/endpoint.h"
#include "node/journal.h"
#include "node/link.h"
#include "node/link_io.h"
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
// hello this node sends.
struct SessionSetup {
  crypto::X25519KeyPair identity;
  Partner partner;
  protocol::HelloMessage hello;
};

// kNotPaired without a partner; journal errors otherwise.
Result<SessionSetup> LoadSetup(Journal& journal);

// What a session is for, told to the responder in the initiator's hello.
enum class Use { kLive, kOneShot };

protocol::SessionConfig MakeConfig(const SessionSetup& setup, protocol::SessionRole role,
                                   Use use = Use::kLive);

// Runs the Noise handshake to an established session, within `timeout` in all. A peer's fault
// is a link error (kUnknownPeer naming its fingerprint, kProtocolError), a silence kTimedOut.
Task<Result<protocol::Session>> Handshake(FramedSocket& socket, protocol::SessionConfig config,
                                          Duration timeout);

std::chrono::microseconds Since(SteadyClock::time_point start);

// A session with the partner, established from this side, and where it was reached.
struct Reached {
  FramedSocket socket;
  protocol::Session session;
  Endpoint at;
  std::chrono::microseconds connect{0};
  std::chrono::microseconds handshake{0};
};

// The handshake (as initiator) on a connection already made to `at`.
Task<Result<Reached>> HandshakeAt(FramedSocket socket, const Endpoint& at,
                                  const SessionSetup& setup, Use use, Duration timeout);

// Listens for the partner's announcements and tries each address heard (but `skip`) until the
// handshake succeeds with one. An address is only a hint: a replayed announcement can name a
// stranger, whose handshake fails (unknown peer) without stopping the search.
//   kUnreachable  nobody answering as the partner was heard within options.lookup
Task<Result<Reached>> Discover(Journal& journal, const SessionSetup& setup,
                               const LinkTimeouts& timeouts, const DiscoveryOptions& options,
                               Use use, const Endpoint& skip);

// Remembers that the partner was reached at `host`:`port` just now (port 0: the partner did
// not say; keep the port remembered before). Call only after a handshake proved it.
Status RecordContact(Journal& journal, const std::string& host, uint16_t port);

// Waits `pause` on the current executor (cut short only by the io_context stopping).
Task<void> Sleep(Duration pause);

}  // namespace attune::node::link_session

#endif  // ATTUNE_NODE_LINK_SESSION_INTERNAL_H_
