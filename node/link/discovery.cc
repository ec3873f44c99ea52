#include "node/link/discovery.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <memory>

#include "protocol/discovery.h"

namespace attune::node::discovery {
namespace {

using boost::system::error_code;
namespace ip = asio::ip;

// What one datagram may be: announcements are 83 bytes; anything longer is cut and refused.
constexpr size_t kReceiveBytes = 128;
// Collect looks at the sockets this often. Announcements come every few seconds, so 20 ms adds
// nothing noticeable, and polling keeps no asynchronous operation (and its buffer) alive past
// the Listener.
constexpr auto kPollEvery = std::chrono::milliseconds(20);

struct Interfaces {
  std::vector<ip::address_v4> v4;          // every address of each interface up (loopback too)
  std::vector<unsigned> v6;                // the index of each interface up with IPv6
  std::vector<ip::address_v6> link_local;  // their link-local addresses, scope = the interface
};

template <typename T>
void AddOnce(std::vector<T>& list, const T& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

void AddIPv6(const ifaddrs& entry, Interfaces& found) {
  const unsigned index = if_nametoindex(entry.ifa_name);
  if (index == 0) return;
  AddOnce(found.v6, index);
  const auto* in6 = reinterpret_cast<const sockaddr_in6*>(entry.ifa_addr);
  ip::address_v6::bytes_type bytes;
  std::copy(std::begin(in6->sin6_addr.s6_addr), std::end(in6->sin6_addr.s6_addr), bytes.begin());
  const ip::address_v6 address(bytes, index);
  if (address.is_link_local()) AddOnce(found.link_local, address);
}

// The interfaces that can carry the groups now: up, and multicast-capable or loopback. Linux's
// lo has no MULTICAST flag, yet delivers IPv4 multicast sent with IP_MULTICAST_IF 127.0.0.1 to
// members joined on 127.0.0.1 (IP_MULTICAST_LOOP is on by default): that is what lets two
// nodes on one machine, and the tests, find each other.
Interfaces InterfacesUp() {
  Interfaces found;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return found;
  for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr || (entry->ifa_flags & IFF_UP) == 0) continue;
    if ((entry->ifa_flags & (IFF_MULTICAST | IFF_LOOPBACK)) == 0) continue;
    if (entry->ifa_addr->sa_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(entry->ifa_addr);
      AddOnce(found.v4, ip::address_v4(ntohl(in->sin_addr.s_addr)));
    } else if (entry->ifa_addr->sa_family == AF_INET6) {
      AddIPv6(*entry, found);
    }
  }
  freeifaddrs(list);
  return found;
}

ip::address_v4 GroupV4() {
  return ip::make_address_v4(kGroupV4);
}
ip::address_v6 GroupV6() {
  return ip::make_address_v6(kGroupV6);
}

// A socket bound to the discovery port with address reuse (several attune processes on one
// machine may listen at once; each receives every multicast datagram).
std::optional<udp::socket> BoundSocket(const asio::any_io_executor& executor,
                                       const udp::endpoint& at, error_code& error) {
  udp::socket socket(executor);
  socket.open(at.protocol(), error);
  if (!error) socket.set_option(udp::socket::reuse_address(true), error);
  if (!error && at.address().is_v6()) socket.set_option(ip::v6_only(true), error);
  if (!error) socket.bind(at, error);
  if (!error) socket.non_blocking(true, error);
  if (error) return std::nullopt;
  return socket;
}

// Sends `packet` to `to` out of the interface `via`, from a socket bound to `from`: the bound
// address is the datagram's source, so it is certainly the one sealed in the packet. False if
// anything refused (then nothing was sent).
template <typename OutboundInterface>
bool SendFrom(const asio::any_io_executor& executor, const ip::address& from,
              const OutboundInterface& via, const udp::endpoint& to, ByteSpan packet) {
  udp::socket socket(executor);
  error_code error;
  socket.open(to.protocol(), error);
  if (!error) socket.set_option(ip::multicast::hops(1), error);  // never routed off the link
  if (!error) socket.set_option(ip::multicast::enable_loopback(true), error);
  if (!error) socket.bind(udp::endpoint(from, 0), error);
  if (!error) socket.set_option(via, error);
  if (!error) socket.send_to(asio::buffer(packet.data(), packet.size()), to, 0, error);
  return !error;
}

}  // namespace

uint64_t WindowAt(Timestamp now) {
  return protocol::DiscoveryWindow(now.utc_ms / 1000);
}

protocol::DiscoveryAddress SealedForm(const ip::address& address) {
  if (address.is_v4()) return protocol::DiscoveryAddress::IPv4(address.to_v4().to_bytes());
  const ip::address_v6 v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    return protocol::DiscoveryAddress::IPv4(ip::make_address_v4(ip::v4_mapped, v6).to_bytes());
  }
  return protocol::DiscoveryAddress::IPv6(v6.to_bytes());
}

Announcer::Announcer(const asio::any_io_executor& executor, uint16_t port)
    : executor_(executor), port_(port) {}

int Announcer::Send(const Announcement& make) {
  const Interfaces interfaces = InterfacesUp();
  int sent = 0;
  for (const ip::address_v4& address : interfaces.v4) {
    const Bytes packet = make(SealedForm(address));
    sent += SendFrom(executor_, address, ip::multicast::outbound_interface(address),
                     {GroupV4(), port_}, packet);
  }
  for (const ip::address_v6& address : interfaces.link_local) {
    ip::address_v6 group = GroupV6();
    group.scope_id(address.scope_id());
    const Bytes packet = make(SealedForm(address));
    sent += SendFrom(executor_, address,
                     ip::multicast::outbound_interface(static_cast<unsigned>(address.scope_id())),
                     {group, port_}, packet);
  }
  return sent;
}

Task<void> AnnounceEvery(Announcer& announcer, Announcement make, Duration interval) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (true) {
    announcer.Send(make);
    timer.expires_after(interval);
    error_code error;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return;
  }
}

Result<Listener> Listener::Open(const asio::any_io_executor& executor, uint16_t port) {
  error_code v4_error, v6_error;
  std::optional<udp::socket> v4 = BoundSocket(executor, {ip::address_v4::any(), port}, v4_error);
  std::optional<udp::socket> v6 = BoundSocket(executor, {ip::address_v6::any(), port}, v6_error);
  if (!v4 && !v6) {
    return Status::IoError("cannot listen for your partner on UDP port " + std::to_string(port) +
                           ": " + v4_error.message());
  }
  const Interfaces interfaces = InterfacesUp();
  error_code ignored;  // an interface that refuses to join is skipped
  for (const ip::address_v4& address : interfaces.v4) {
    if (v4) v4->set_option(ip::multicast::join_group(GroupV4(), address), ignored);
  }
  for (unsigned index : interfaces.v6) {
    if (v6) v6->set_option(ip::multicast::join_group(GroupV6(), index), ignored);
  }
  return Listener(std::move(v4), std::move(v6));
}

void Listener::Drain(udp::socket& socket, const Recognizer& recognize,
                     const std::vector<Endpoint>& skip, std::vector<Endpoint>& heard) {
  std::array<uint8_t, kReceiveBytes> buffer;
  while (true) {
    udp::endpoint source;
    error_code error;
    const size_t size = socket.receive_from(asio::buffer(buffer), source, 0, error);
    if (error) return;  // would_block: nothing more now (or a transient error: try later)
    const std::optional<uint16_t> port =
        recognize(ByteSpan(buffer.data(), size), SealedForm(source.address()));
    if (!port) continue;
    const Endpoint at{source.address().to_string(), *port};
    const auto seen = [&at](const std::vector<Endpoint>& list) {
      return std::find(list.begin(), list.end(), at) != list.end();
    };
    if (!seen(skip) && !seen(heard)) heard.push_back(at);
  }
}

Task<std::vector<Endpoint>> Listener::Collect(const Recognizer& recognize, Duration budget,
                                              Duration settle, const std::vector<Endpoint>& skip) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto deadline = std::chrono::steady_clock::now() + budget;
  std::vector<Endpoint> heard;
  while (true) {
    const bool had_any = !heard.empty();
    if (v4_) Drain(*v4_, recognize, skip, heard);
    if (v6_) Drain(*v6_, recognize, skip, heard);
    const auto now = std::chrono::steady_clock::now();
    if (!had_any && !heard.empty()) deadline = std::min(deadline, now + settle);
    if (now >= deadline) break;
    timer.expires_after(std::min<Duration>(kPollEvery, deadline - now));
    error_code error;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, error));
    if (error) break;
  }
  co_return heard;
}

}  // namespace attune::node::discovery
