// Internal to node/: finding the partner's attune on the local network with UDP multicast
// (docs/protocol.md, "Discovery"). protocol/discovery.h makes and recognises the announcements;
// this sends them to the group on every interface that is up and listens for them. Only the
// link's .cc files include this (and so Asio).
//
// Announcements go to one IPv4 group (TTL 1, never routed) and one IPv6 link-local group (hop
// limit 1), on every multicast-capable interface that is up and on loopback: joining and sending
// per interface (IP_ADD_MEMBERSHIP / IP_MULTICAST_IF by address, IPV6_JOIN_GROUP /
// IPV6_MULTICAST_IF by index) rather than through the default route makes it work on a machine
// with several links, on a machine without a default route, and in a network namespace whose
// only link is a veth. Everything here is best effort: an interface that refuses a join or a
// send (IPv6 on loopback, for one) is skipped.
//
// Every announcement carries, sealed, the address it is sent from, and a receiver accepts it only
// from there. So each copy leaves from a socket bound to the address sealed in it, never from
// whatever source the kernel would pick: IPv4 from each address of an interface (also its
// IP_MULTICAST_IF), IPv6 from each link-local address, in its interface's scope (the address a
// receiver on that link sees). An address that cannot be bound (a link-local address still in
// duplicate address detection, one removed meanwhile) is skipped until the next announcement.
//
// Single-threaded, like the rest of the link: use from the io_context's thread only.
#ifndef ATTUNE_NODE_LINK_DISCOVERY_H_
#define ATTUNE_NODE_LINK_DISCOVERY_H_

#include <functional>
#include <optional>
#include <vector>

#include "node/clock.h"
#include "node/endpoint.h"
#include "node/link.h"
#include "node/link/link_io.h"
#include "protocol/discovery.h"

namespace attune::node::discovery {

using link_io::Duration;
using link_io::Task;
namespace asio = link_io::asio;
using asio::ip::udp;

// The groups (docs/protocol.md): 239.255.0.0/16 is the IPv4 organisation-local scope, ff02::/16
// IPv6's link-local scope.
inline constexpr const char* kGroupV4 = "239.255.71.18";
inline constexpr const char* kGroupV6 = "ff02::a77e:4718";

// The discovery window (protocol/discovery.h) at `now`.
uint64_t WindowAt(Timestamp now);

// How an address is sealed in an announcement (protocol::DiscoveryAddress): an IPv4-mapped IPv6
// address counts as the IPv4 address it maps, and an IPv6 scope id is left out.
protocol::DiscoveryAddress SealedForm(const asio::ip::address& address);

// The port a received announcement names, if it is one the caller accepts; `source` is the
// address the datagram came from.
using Recognizer = std::function<std::optional<uint16_t>(ByteSpan packet,
                                                         const protocol::DiscoveryAddress& source)>;

// The announcement to send from `from` (protocol::DiscoveryKey::Announce with that address).
using Announcement = std::function<Bytes(const protocol::DiscoveryAddress& from)>;

// Sends datagrams to both groups on every interface up, each from a socket of its own bound to
// the address it names (opened for the one datagram: interfaces come and go while serve runs).
class Announcer {
 public:
  Announcer(const asio::any_io_executor& executor, uint16_t port);

  // One copy per address of each interface up (IPv4, and IPv6 link-local), each made by `make`
  // for the address it leaves from; how many left this machine's stack.
  int Send(const Announcement& make);

 private:
  asio::any_io_executor executor_;
  uint16_t port_;
};

// Sends `make`'s announcements at once and then every `interval`, for as long as the io_context
// runs.
Task<void> AnnounceEvery(Announcer& announcer, Announcement make, Duration interval);

// Receives announcements on the discovery port, joined to both groups on every interface up.
class Listener {
 public:
  // kIoError if neither family could be bound (the message says why).
  static Result<Listener> Open(const asio::any_io_executor& executor, uint16_t port);

  // The addresses of the announcements `recognize` accepts, in the order first heard, each
  // once, leaving out `skip`: the packet's source address and the port it names. Listens
  // until `budget` has passed, or `settle` after the first new address (so that several
  // senders, a forger among them, are all heard without always waiting the whole budget).
  Task<std::vector<Endpoint>> Collect(const Recognizer& recognize, Duration budget, Duration settle,
                                      const std::vector<Endpoint>& skip);

 private:
  Listener(std::optional<udp::socket> v4, std::optional<udp::socket> v6)
      : v4_(std::move(v4)), v6_(std::move(v6)) {}

  // Reads whatever has arrived on `socket` without waiting; adds the new addresses to `heard`.
  void Drain(udp::socket& socket, const Recognizer& recognize, const std::vector<Endpoint>& skip,
             std::vector<Endpoint>& heard);

  std::optional<udp::socket> v4_;
  std::optional<udp::socket> v6_;
};

// At most this many addresses are tried per search: someone flooding the group with replayed
// (or, for invitations, forged) announcements from many source addresses can delay a search,
// not make it run forever. An honest network has one or two (one per interface of the sender).
inline constexpr size_t kMaxAttempts = 8;

// Tries `attempt` on each address discovery hears (never twice the same, never one in `skip`),
// listening again while `options.lookup` lasts, until one succeeds or kMaxAttempts failed.
// nullopt if none succeeded: the failures of those tried are in `failures` (empty: nobody was
// heard at all).
template <typename T>
Task<std::optional<T>> FirstThatAnswers(
    Listener& listener, const Recognizer& recognize, const DiscoveryOptions& options,
    std::vector<Endpoint> skip, const std::function<Task<Result<T>>(const Endpoint&)>& attempt,
    std::vector<Status>& failures) {
  const auto deadline = std::chrono::steady_clock::now() + options.lookup;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::vector<Endpoint> heard = co_await listener.Collect(
        recognize, deadline - std::chrono::steady_clock::now(), options.settle, skip);
    if (heard.empty()) break;
    for (const Endpoint& at : heard) {
      if (failures.size() >= kMaxAttempts) co_return std::nullopt;
      skip.push_back(at);
      Result<T> outcome = co_await attempt(at);
      if (outcome.ok()) co_return std::move(outcome).value();
      failures.push_back(outcome.status());
    }
  }
  co_return std::nullopt;
}

}  // namespace attune::node::discovery

#endif  // ATTUNE_NODE_LINK_DISCOVERY_H_
