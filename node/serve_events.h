// What `attune serve` reports while it runs, as typed events: the CLI words them as log lines
// (cli/messages.h, ServeEventText), and a browser interface can show the same events its own
// way. An event never carries a name, a key or entry content: the partner is "the partner".
#ifndef ATTUNE_NODE_SERVE_EVENTS_H_
#define ATTUNE_NODE_SERVE_EVENTS_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace attune::node {

enum class ServeEventKind {
  kListening,   // serve accepts connections at host:port
  kAnnouncing,  // serve announces itself on the local network; port is the UDP port
  kStopping,    // a signal asked serve to stop; it says goodbye and returns
  // The partner connected from host and a live session began. `problem`: why their address
  // could not be remembered (ok when it was).
  kPartnerConnected,
  kPartnerReached,  // dialing reached the partner at host; a live session began
  // The partner connected from host for one `sync` or `ping`, beside any live session.
  // `problem` as for kPartnerConnected.
  kPartnerConnectedForOneExchange,
  // A session with the partner at host ended: `counts` says what it exchanged, `problem` why
  // it ended (ok: a goodbye, or serve stopping).
  kSessionEnded,
  // Dialing could not reach the partner at host:port (host empty when no address is known):
  // `problem` says why; serve tries again after `retry_in`.
  kDialFailed,
  // Discovery found the partner elsewhere, but `problem` kept serve from remembering where.
  kAddressNotRemembered,
  // A connection from host was closed before a session: not the partner's, a replay, a silence
  // past the handshake timeout (`problem` says which, by code and reason).
  kConnectionClosed,
  // Too many connections were in their handshake at once: the one waiting longest was closed.
  kTurnedAwayOldest,
  // A first message of the older link protocol (attune/1) from host was closed unanswered: an
  // older attune tried to connect (the partner's, if they have not updated), or someone posing
  // as one.
  kOlderAttuneTriedToConnect,
  kPartnerOlder,  // dialing found the partner's attune at host, and it is older
  kPartnerNewer,  // the partner's attune (at host, if known) speaks a newer link protocol
  // `count` shared entries failed their integrity check in the session with host that just
  // ended and were sent as withdrawals, never as content (`attune doctor` names them).
  kWithheldDamaged,
  // With Tor (ServeOptions::tor): tor's bootstrap reached `count` percent.
  kTorBootstrap,
  // This node's onion service is published: partners reach it at host (the onion address,
  // with ".onion") and port.
  kOnionPublished,
  // Tor could not be started or the service not published: `problem` says why (tor::TorReason);
  // serve tries again after `retry_in` and keeps serving on the local network.
  kTorProblem,
  // Rows from the partner were applied: `count` entries of theirs, new or changed (one event per
  // batch applied; a withdrawal is none). Desktop notifications follow these (node/notify.h).
  kPartnerNews,
  // A desktop notification could not be shown: `problem` says why (JournalReason 570-572).
  // Reported once per serve; serve goes on without them.
  kNotificationsUnavailable,
};

// What one session exchanged, in entries (as protocol::SyncCounts counts them).
struct ServeCounts {
  uint64_t sent = 0;      // own entries (new or changed) the partner's node now holds
  uint64_t withdrew = 0;  // own entries withdrawn from the partner's node
  uint64_t received = 0;  // partner entries added or updated here
  uint64_t removed = 0;   // partner entries removed here
  uint64_t refused = 0;   // rows from the partner that were not valid entries (none, normally)
  bool operator==(const ServeCounts&) const = default;
};

// The host of events about a connection that came through this node's onion service: Tor
// hides where it came from.
inline constexpr std::string_view kThroughTorHost = "onion";

// One event; only the fields its kind names above are set.
struct ServeEvent {
  ServeEventKind kind;
  std::string host{};  // the address the event is about, without the port
  uint16_t port = 0;   // kListening, kDialFailed: the TCP port; kAnnouncing: the UDP port
  ServeCounts counts{};
  uint64_t count = 0;
  std::chrono::seconds retry_in{0};
  // The failure the event is about: its code and reason (base/status.h) tell the situations
  // apart; its detail is a developer's fact (never a name, a key or content).
  Status problem{};
};

// Whether serve has a session with the partner under way, followed from its events. Every session
// that begins ends with one kSessionEnded, and two may overlap (both nodes dialled at once and
// one is dropped; a partner's one-shot sync beside the live session), so the link is up while
// any is. Not thread-safe: fed on one thread.
class LinkSessions {
 public:
  void Apply(const ServeEvent& event) {
    switch (event.kind) {
      case ServeEventKind::kPartnerConnected:
      case ServeEventKind::kPartnerReached:
        ++open_;
        through_tor_ = event.host == kThroughTorHost;
        break;
      case ServeEventKind::kPartnerConnectedForOneExchange:
        ++open_;
        break;
      case ServeEventKind::kSessionEnded:
        if (open_ > 0) --open_;
        break;
      default:
        break;
    }
  }
  bool connected() const { return open_ > 0; }
  // Whether the live session that began last came through Tor.
  bool through_tor() const { return through_tor_; }

 private:
  int open_ = 0;
  bool through_tor_ = false;
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_SERVE_EVENTS_H_
