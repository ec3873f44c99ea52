// The link between two partners' nodes: pairing with a one-time code, and the Noise sessions
// that carry Envelopes between paired nodes (ping, and the sync of shared entries). This is the
// only part of attune that touches the network. The protocols themselves are sans-I/O state
// machines in protocol/ (pairing.h, session.h); this code moves their frames over Boost.Asio TCP
// and keeps the time (timeouts, session age).
//
// Every function here runs its own event loop on the calling thread and returns when done.
// Errors (also see cli/exit_codes.h):
//   kAlreadyExists  pairing while already paired (PairingReason::kAlreadyPaired)
//   kNotFound       no partner yet (JournalReason::kNotPaired)
//   kAuthFailed     the pairing codes differ (PairingReason::kCodeMismatch: both sides fail;
//                   the code is used up)
//   kUnknownPeer    the other side is not the paired partner: it closed the handshake without
//                   answering (LinkReason::kNotAnswered), or it is an older attune with another
//                   key. A responder sends a stranger nothing at all.
//   kUnsupported    the partner's attune speaks an older or a newer link protocol
//                   (LinkReason::kPeerOlder, kPeerNewer), or lacks a feature the command needs
//                   (kPeerLacksFeature); nothing was exchanged
//   kUnreachable    could not connect / the other side closed early (even mid-message), or
//                   reset the connection (LinkReason::kConnectionReset: its attune went away)
//   kTimedOut       nobody came in time, or the other side stopped answering
//   kProtocolError  tampered, replayed or malformed bytes: the session was dropped
//   kUnsupported    pairing only: the two attunes speak different versions (PairingReason)
//   kInvalidArgument  a bad code or address, or a port in use    kIoError  other socket refusals
#ifndef ATTUNE_NODE_LINK_H_
#define ATTUNE_NODE_LINK_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "base/status.h"
#include "node/endpoint.h"
#include "node/journal.h"
#include "node/notify.h"
#include "node/partner.h"
#include "node/progress.h"
#include "node/serve_events.h"
#include "node/stop_signal.h"
#include "tor/control.h"

namespace attune::node {

// Reasons (base/status.h) the link attaches where one code covers several situations.
enum class LinkReason {
  kPeerOlder = 400,         // kUnsupported: the partner's attune is older (attune/1)
  kPeerNewer = 401,         // kUnsupported: the partner's attune speaks a newer link protocol
  kNotAnswered = 402,       // kUnknownPeer: the node there closed the handshake without a word
  kPeerLacksFeature = 403,  // kUnsupported: the partner's attune does not offer what is needed
  // kProtocolError: a first handshake message whose counter was admitted before (a replay).
  kReplayedHandshake = 404,
  // kTimedOut: the other side stopped in the middle of a frame for longer than allowed.
  kStalledMidMessage = 405,
  // kInvalidArgument: another program (or another attune) listens on the port asked for; the
  // detail is the address.
  kPortInUse = 406,
  // kUnreachable (or kTimedOut, kUnknownPeer: the last address's code): the partner's last
  // known address failed and discovery found them nowhere else. The detail's lines: that
  // address, what trying it said, then one line for each address heard (what trying it said),
  // in the order heard.
  kPartnerNotFound = 407,
  // kUnreachable: the other side reset the connection rather than closing it. An attune that
  // read what it was sent and refused it closes; one that was stopped, killed or crashed with
  // the connection open (or still waiting to be accepted) resets it. So a reset during the
  // handshake says the partner's attune went away, never that it is not the partner's.
  kConnectionReset = 408,
  // kNotFound: the partner's attune told no onion address when you paired (it was older).
  kPartnerHasNoOnion = 409,
};

struct LinkTimeouts {
  std::chrono::milliseconds connect{10'000};
  // For the whole handshake, and for each pairing message once someone connected.
  std::chrono::milliseconds handshake{15'000};
  // Longest silence on an established session before it is dropped.
  std::chrono::milliseconds idle{60'000};
  // How long `attune pair` waits for the partner to connect.
  std::chrono::milliseconds pairing_wait{10 * 60'000};
  // How long a connection to `attune pair` has to deliver its first frame, the PairRequest,
  // before it is closed (`handshake` then applies to each message after it). A joiner has its
  // request ready before it connects and sends it at once, so it needs half a round trip; 3 s
  // also covers a slow link (a satellite or congested round trip of a second) and the request's
  // segment lost and sent again, while a connection that says nothing holds a place for little.
  std::chrono::milliseconds first_frame{3'000};
};

// Finding each other on the local network (docs/protocol.md, "Discovery"): `pair` and `serve`
// announce themselves with UDP multicast; `pair --join` without an address, and `ping`, `sync`
// and serve's dialing when the last known address does not answer or its handshake fails,
// listen for the partner's announcement. An announcement is accepted only from the address
// sealed in it (a copy replayed from elsewhere is ignored), and even then is only a hint where to
// connect: CPace or the Noise handshake decides who answered, and an address is remembered only
// after the handshake proved it.
inline constexpr uint16_t kDefaultDiscoveryPort = 47018;

struct DiscoveryOptions {
  bool enabled = true;                    // false: neither announce nor listen (--no-discovery)
  uint16_t port = kDefaultDiscoveryPort;  // the UDP port of both groups (--discovery-port)
  // How long one search listens in all, and how long it goes on listening after the first
  // address heard (to hear every sender, a replayed or forged announcement's too).
  std::chrono::milliseconds lookup{3'000};
  std::chrono::milliseconds settle{300};
  // How often `pair` and `serve` announce themselves (and once at the start).
  std::chrono::milliseconds announce_every{2'000};
  // Called when a search starts, so the person knows why there is a pause (no secrets in it).
  std::function<void()> on_looking;
};

// ---- Identity, as people compare it (protocol/identity.h) ----

// 32 hex digits in groups of 4.
std::string KeyFingerprint(const crypto::X25519PublicKey& key);
// 60 digits in groups of 5, the same on both partners' machines.
std::string PairSafetyNumber(const crypto::X25519PublicKey& a, const crypto::X25519PublicKey& b);

// ---- Tor (issue 17) ----

// Why tor could not help (tor/control.h): not installed, stopped early, timed out, refused.
using TorReason = tor::TorReason;

// The port of every node's onion service (each forwards it to its own listener on 127.0.0.1).
inline constexpr uint16_t kOnionPort = 47017;

// The tor that attune starts for the command (node/link/tor_process.h); tor/ holds the
// protocols. Failures carry tor::TorReason (tor/control.h): not installed, exited early,
// bootstrap or publication timed out, refused.
struct TorOptions {
  std::string folder;       // Home::tor_folder()
  std::string extra_torrc;  // lines appended to the torrc (ATTUNE_TOR_EXTRA_TORRC)
  std::function<void(int percent)> on_progress;  // tor's bootstrap, 0..100
  std::chrono::seconds bootstrap_timeout{120};
  // A first connection through Tor builds circuits and fetches a descriptor: seconds, not
  // milliseconds. These replace LinkTimeouts' connect and handshake on this path.
  std::chrono::seconds connect_timeout{90};
  std::chrono::seconds handshake_timeout{60};
  // How long a connection to `pair --onion` has to deliver its first frame (LinkTimeouts'
  // first_frame on this path): a connection reaches the invitation when the joiner's stream
  // opens, and its request follows one circuit round trip later, which is about 0.5-3 s
  // through six relays; 30 s leaves room for a slow circuit while a silent connection still
  // gives its place back.
  std::chrono::seconds first_frame_timeout{30};
  // The home's `serve` runs (it holds the home lock, node/home.h): a one-shot command then uses
  // serve's tor instead of starting one (two tors cannot share the home's tor folder), and
  // leaves it running.
  bool serve_runs = false;
};

// ---- Pairing ----

// Why pairing failed, where the code alone does not say (Status::Is).
enum class PairingReason {
  // kUnsupported: the two attunes speak different versions of the protocol, so they would not
  // be able to talk once paired; nothing was stored. The older one must be updated.
  kPartnerOlder = 450,  // the other side's attune is older than this one
  kPartnerNewer = 451,  // the other side's attune is newer
  // kUnreachable: a join without an address heard no invitation on the code's channel.
  kInvitationNotFound = 452,
  // kAlreadyExists: this journal already has a partner; the detail is their display name
  // (empty if not known here), for the person's own screen only.
  kAlreadyPaired = 453,
  // kInvalidArgument: a join without the inviter's address, and discovery switched off.
  kNeedsInviterAddress = 454,
  // kInvalidArgument: a join at an onion address without Tor options, or at an onion address
  // that is not one (a typo: its checksum fails); the detail says which.
  kOnionAddressNeedsTor = 456,
  kNotAnOnionAddress = 457,
  // kAuthFailed: the two sides used different pairing codes (either side's check, or the
  // peer's notice); both fail, and the code is used up.
  kCodeMismatch = 455,
  // kUnreachable: a join at an address where no invitation answered (the partner's `pair` is
  // not waiting there, or the address is wrong).
  kInviterUnreachable = 458,
};

struct PairingOffer {
  std::string code;     // e.g. "7-maple-lagoon-violet"
  std::string address;  // where the partner connects, "HOST:PORT" (or "X.onion:PORT")
};

struct PairingResult {
  Partner partner;
  std::string own_fingerprint;
  std::string partner_fingerprint;
  std::string safety_number;
};

struct InviteOptions {
  Endpoint listen{"0.0.0.0", kDefaultPairPort};
  LinkTimeouts timeouts;
  // The invitation is announced on the code's channel while it waits (unless disabled).
  DiscoveryOptions discovery;
  // Called once the code exists and the port is open; the CLI prints the offer here.
  std::function<void(const PairingOffer&)> on_ready;
  // Pairing at a distance (`pair --onion`): the invitation is an onion service of its own,
  // under a key made for this pairing and never stored, without client authorisation (whoever
  // has the address may connect; CPace still lets only the holder of the code pair). It
  // forwards to a listener on 127.0.0.1, so `listen` and discovery are not used. on_ready is
  // called only once every descriptor upload tor began was answered, with the address
  // "X.onion:47016". The partner is stored with no address to dial (none was seen).
  std::optional<TorOptions> tor;
  // Withdraws the invitation when asked (from another thread: `attune ui`'s page), unless a
  // pairing attempt is under way: kCancelled. Not with `tor`. Must outlive InvitePartner.
  StopSignal* stop = nullptr;
};

// Shows a fresh code (through on_ready) and waits for one partner to join with it. Connections
// that do not start a pairing (a port scan, garbage, silence until timeouts.first_frame) are
// dropped and waiting goes on; at most 8 wait for their first frame at once, and a ninth closes
// the one that has waited longest. The first real attempt uses the code up, matching or not
// (a joiner of another version too: kUnsupported with a PairingReason).
Result<PairingResult> InvitePartner(Journal& journal, const InviteOptions& options);

// Joins the pairing the partner started at `inviter`, with the code they gave. Without
// `inviter`, looks for invitations announced on the code's channel and runs the pairing with
// each one heard (a fresh CPace run each, so a stranger announcing on the same channel gets one
// guess at the code and cannot spoil the pairing with the real inviter) until one succeeds.
//   kUnreachable  nobody announced the channel within discovery.lookup
//   kInvalidArgument  no `inviter` and discovery disabled
//   kUnsupported  the inviter's attune speaks another version (PairingReason says which way)
// An `inviter` at an onion address ("X.onion:PORT") is reached through a tor started with
// `tor` (and stopped again), within tor's deadlines instead of `timeouts`' connect and
// handshake:
//   kInvalidArgument  kNotAnOnionAddress (a mistyped address: its checksum fails), or
//                     kOnionAddressNeedsTor (no `tor`)
//   and every failure of TorProcess (tor/control.h's TorReason).
Result<PairingResult> JoinPartner(Journal& journal, std::string_view code,
                                  const std::optional<Endpoint>& inviter,
                                  const LinkTimeouts& timeouts,
                                  const DiscoveryOptions& discovery = {},
                                  const std::optional<TorOptions>& tor = {});

// Whether `host` names an onion service (ends in ".onion").
bool IsOnionHost(std::string_view host);

// ---- Sessions ----

struct PingResult {
  std::string address;  // where the partner was reached
  std::chrono::microseconds connect{0};
  std::chrono::microseconds handshake{0};   // Noise KK, two messages
  std::chrono::microseconds round_trip{0};  // one Ping/Pong on the established session
};

// Connects to the partner (`to`, else their last known address), runs the handshake, and times
// one ping. Remembers the address and the time on success. Without `to`, if the last known
// address fails (nobody accepts the connection, or the handshake there fails: closed without
// an answer, timed out, not the partner), looks for the partner's announcement (`discovery`)
// and tries every address heard until the handshake succeeds with one. A partner found to run
// an older or newer attune is reported as such (kUnsupported), without searching further.
Result<PingResult> PingPartner(Journal& journal, const std::optional<Endpoint>& to,
                               const LinkTimeouts& timeouts,
                               const DiscoveryOptions& discovery = {});

struct SyncResult {
  std::string address;    // where the partner was reached
  uint64_t sent = 0;      // own entries (new or changed) the partner's node now holds
  uint64_t withdrew = 0;  // own entries withdrawn from the partner's node
  uint64_t received = 0;  // partner entries added or updated here
  uint64_t removed = 0;   // partner entries removed here (they withdrew them)
  uint64_t refused = 0;   // rows from the partner that were not valid entries (none, normally)
  // The connection itself, from connecting to the goodbye (no process start, no unlocking):
  uint64_t bytes_sent = 0;      // TCP payload bytes written, handshake and frame headers included
  uint64_t bytes_received = 0;  // the same, read
  std::chrono::microseconds elapsed{0};
};

// One sync with the partner (`to`, else their last known address): both directions, then
// goodbye. Resumes where the last sync stopped; safe to interrupt at any point. Remembers the
// address and the time on success. Finds the partner on the network as PingPartner does.
// `progress` hears how far the exchange has come, counted in changes of both logs (node/
// progress.h), from the handshake on.
Result<SyncResult> SyncWithPartner(Journal& journal, const std::optional<Endpoint>& to,
                                   const LinkTimeouts& timeouts,
                                   const DiscoveryOptions& discovery = {},
                                   const ProgressCallback& progress = {});

// ---- Through Tor ----

// Whether a tor binary is found (as TorOptions would start it: $ATTUNE_TOR, PATH, /usr/sbin).
bool TorInstalled();

// PingPartner and SyncWithPartner through the partner's onion service: this home's tor
// presents its client key (the only one the partner's service admits) and connects to the
// partner's onion address; the Noise session then runs end to end as on any other path.
// kNotFound (kPartnerHasNoOnion) when the partner's attune told none at pairing. The partner's
// remembered address is left as it was; the contact time is recorded.
Result<PingResult> PingPartnerThroughTor(Journal& journal, const LinkTimeouts& timeouts,
                                         const TorOptions& tor);
Result<SyncResult> SyncWithPartnerThroughTor(Journal& journal, const LinkTimeouts& timeouts,
                                             const TorOptions& tor,
                                             const ProgressCallback& progress = {});

// ---- `attune doctor`'s look at Tor ----

struct TorDiagnosis {
  std::string version;                     // of the tor started for the check
  bool serves = false;                     // it is serve's tor (TorOptions::serve_runs)
  std::chrono::milliseconds bootstrap{0};  // from its start until 100% (attaching, if serve's)
  // The partner's onion service, fetched with this node's client key: ok when a descriptor was
  // found and readable; kNotFound (LinkReason::kPartnerHasNoOnion) when their contact is not
  // known yet, kNotFound (JournalReason::kNotPaired) without a partner; else why
  // (tor::TorReason::kDescriptorUnavailable with tor's reason).
  Status partner_descriptor;
};

// Starts a tor of its own (as `sync` through Tor would), asks it its version, fetches the
// partner's descriptor, and stops it. Fails as TorProcess::Start does (not installed, exited
// early, no bootstrap in time).
Result<TorDiagnosis> DiagnoseTor(Journal& journal, const TorOptions& tor);

// The onion address ("X.onion") this home's `serve` has published right now, as serve keeps it
// in `tor_folder` while it is; none when no serve has it published (or a killed serve left it:
// check that serve runs).
std::optional<std::string> PublishedOnionAddress(const std::string& tor_folder);

struct ServeOptions {
  Endpoint listen{"0.0.0.0", kDefaultServePort};
  LinkTimeouts timeouts;
  // Serve learns of changes other attune commands make to the journal from inotify on the
  // database's WAL, and then looks (PRAGMA data_version, one cheap query on its connection).
  // Only where inotify is unavailable does it look every `poll` instead.
  std::chrono::milliseconds poll{50};
  // Whether serve also keeps connecting to the partner's last known address while no session
  // is up (or, when that fails, wherever discovery finds them), waiting dial_backoff_min after
  // a failure, doubling up to dial_backoff_max.
  bool dial = true;
  std::chrono::milliseconds dial_backoff_min{1'000};
  std::chrono::milliseconds dial_backoff_max{60'000};
  // At most this many connections may be in their handshake at once. At capacity, a new one
  // closes the one that has waited longest (a partner finishes within one round trip, so a
  // flood of connections that go silent cannot keep it out); 0 or less refuses every one.
  int max_pending_handshakes = 8;
  // Serve announces itself every discovery.announce_every, and its dialing looks for the
  // partner on the network when their last known address does not answer, or answers but the
  // handshake there fails.
  DiscoveryOptions discovery;
  // What happens, as typed events (node/serve_events.h), called on serve's thread.
  std::function<void(const ServeEvent&)> on_event;
  // With Tor (issue 17): serve also starts tor and publishes this node's onion service, which
  // admits only the partner's client key and forwards to a listener of its own on 127.0.0.1
  // (connections on it are known to come through Tor, so no address is remembered from them).
  // A tor that fails is reported (kTorProblem) and started again after a backoff doubling from
  // dial_backoff_min to dial_backoff_max; serve keeps serving on the local network meanwhile.
  std::optional<TorOptions> tor;
  // Besides SIGINT and SIGTERM, this asks serve to stop (from another thread: `attune ui`
  // when its page is closed). Must outlive Serve.
  StopSignal* stop = nullptr;
  // Wakes serve's sessions to look at the journal at once, as a commit of another command
  // does: the browser page writes through a connection that stays open, which the watch on the
  // database's files may see late. Must outlive Serve.
  WakeSignal* journal_written = nullptr;
  // Desktop notifications (issue 20): with `word_notice` set, when rows from the partner were
  // applied (kPartnerNews), serve runs `notify-send` as Journal::DesktopNotifyChoice says, with
  // the words `word_notice` gives (never content), paced by a NotificationPacer of
  // `notify_interval`, without waiting for it. A failure is reported once
  // (kNotificationsUnavailable). Unset: no notifications (`attune ui`).
  std::function<DesktopNotice(const NewsNotice&)> word_notice;
  std::chrono::milliseconds notify_interval{60'000};
};

// Accepts the partner's connections (and, with `dial`, connects to them) until SIGINT or
// SIGTERM, and syncs live: what either side shares reaches the other while the session lasts.
// A connection that is not the partner's (a stranger, a replay, attune/1's first message) gets
// no byte back.
// One partner session at a time: a reconnect replaces the old session, and when both nodes
// connected to each other at once, both keep the connection made by the node whose public key
// sorts first, so they agree without talking about it. While the session runs through Tor,
// serve listens for the partner on this network (with discovery) and moves the session to the
// direct path once a handshake there succeeds: a direct session replaces one through Tor.
Status Serve(Journal& journal, const ServeOptions& options);

}  // namespace attune::node

#endif  // ATTUNE_NODE_LINK_H_
