// The real `attune` binary reaching a partner through Tor (issue 17), on the suite's private
// Tor network (the onion_network fixture): ATTUNE_TOR_EXTRA_TORRC points each attune's own tor
// at it. Alex serves with Tor on; Sam reaches Alex through Alex's onion service only
// (--via onion), so nothing travels over the local network.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "tests/e2e/loopback.h"
#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using std::chrono::seconds;

// Starting tor and publishing a descriptor on the private network takes 5-10 s here; the bound
// only ends a broken run.
constexpr auto kTorStep = seconds(120);

// The start of a serve event for a live session begun by either side: partner_reached (dialed
// from here) or partner_connected.
constexpr const char* kSessionBegan = "\"event\":\"partner_";

class OnionTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    env["ATTUNE_TOR_EXTRA_TORRC"] = std::string(ATTUNE_ONION_NETWORK_DIR) + "/client.torrc";
  }

  // `doctor --json` in `home`, by check name (its exit code depends on checks not looked at).
  std::map<std::string, nlohmann::json> DoctorChecks(const std::string& home) {
    const RunResult doctor = RunAt(home, {"doctor", "--json"});
    std::map<std::string, nlohmann::json> checks;
    const nlohmann::json all = ParseJson(doctor.out);
    EXPECT_TRUE(all.is_array()) << doctor;
    if (!all.is_array()) return checks;
    for (const nlohmann::json& check : all) checks[check["check"].get<std::string>()] = check;
    return checks;
  }

  std::string OwnOnion(const std::string& home) {
    return JsonAt(home, {"partner"})["onion_address"].get<std::string>();
  }
};

TEST_F(OnionTest, SyncAndPingReachAServeThroughItsOnionServiceAlone) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  for (const std::string& home : {alex_, sam_}) {
    const RunResult on = RunAt(home, {"tor", "on", "--json"});
    ASSERT_EQ(on.exit_code, kExitOk) << on;
  }
  // Before Alex serves, doctor finds no descriptor of Alex's service, by tor's own reason.
  std::map<std::string, nlohmann::json> before = DoctorChecks(sam_);
  EXPECT_EQ(before["tor-bootstrap"]["status"], "ok") << before["tor-bootstrap"];
  EXPECT_FALSE(before["tor-bootstrap"]["version"].get<std::string>().empty());
  EXPECT_EQ(before["partner-onion"]["status"], "problem") << before["partner-onion"];
  EXPECT_EQ(before["partner-onion"]["reason"], "tor_descriptor_unavailable");
  EXPECT_EQ(before["onion-published"]["status"], "skipped");  // Sam runs no serve

  BackgroundProcess serve =
      StartAt(alex_, {"serve", "--json", "--listen", "127.0.0.1:0", "--no-discovery"});
  const std::optional<std::string> published =
      serve.ReadLineContaining(ServeEvent("onion_published"), kTorStep);
  ASSERT_TRUE(published.has_value()) << serve.Wait(kStep);
  const nlohmann::json event = ParseJson(*published);
  EXPECT_EQ(event["host"], OwnOnion(alex_));
  EXPECT_EQ(event["port"], 47017);
  // With Alex's service up, doctor on both sides sees it.
  EXPECT_EQ(DoctorChecks(alex_)["onion-published"]["address"], OwnOnion(alex_));
  EXPECT_EQ(DoctorChecks(sam_)["partner-onion"]["status"], "ok");

  const std::string id = AddAt(sam_, "need", "To be met halfway, even from far away.");
  ASSERT_EQ(RunAt(sam_, {"share", id, "--yes"}).exit_code, kExitOk);
  const RunResult synced = RunAt(sam_, {"sync", "--via", "onion", "--no-discovery", "--json"});
  ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  const nlohmann::json summary = ParseJson(synced.out);
  EXPECT_EQ(summary["address"], OwnOnion(alex_) + ":47017");
  EXPECT_EQ(summary["sent"], 1);
  EXPECT_TRUE(PartnerHas(alex_, id));
  const std::optional<std::string> came =
      serve.ReadLineContaining(ServeEvent("partner_connected_once"), kStep);
  ASSERT_TRUE(came.has_value());
  EXPECT_EQ(ParseJson(*came)["host"], "onion");  // Tor hides where it came from

  const RunResult pinged = RunAt(sam_, {"ping", "--via", "onion", "--json"});
  ASSERT_EQ(pinged.exit_code, kExitOk) << pinged;
  EXPECT_EQ(ParseJson(pinged.out)["address"], OwnOnion(alex_) + ":47017");
  // An address seen through Tor is never remembered as one to dial.
  EXPECT_EQ(JsonAt(sam_, {"partner"})["last_address"], "127.0.0.1:" + std::to_string(alex_port_));
  Stop(serve);
}

// Alex invites with `pair --onion`; Sam joins at the onion address, as a couple living apart
// would after sending it by a messenger. The code and address come only once the invitation's
// descriptor is up, so Sam's first try works.
TEST_F(OnionTest, PairAtADistanceThenSyncBothWaysThroughTorAlone) {
  alex_ = NewHome("Alex");
  sam_ = NewHome("Sam");
  BackgroundProcess invitation = StartAt(alex_, {"pair", "--onion", "--json"});
  const std::optional<std::string> offer_line = invitation.ReadLine(kTorStep);
  ASSERT_TRUE(offer_line.has_value()) << invitation.Wait(kStep);
  const nlohmann::json offer = ParseJson(*offer_line);
  const std::string address = offer["address"].get<std::string>();
  ASSERT_TRUE(address.ends_with(".onion:47016")) << address;
  const RunResult joined =
      RunAt(sam_, {"pair", "--join", offer["code"].get<std::string>(), "--to", address, "--json"});
  // On a failure, what the inviter saw says which side ended the exchange.
  ASSERT_EQ(joined.exit_code, kExitOk) << joined << "\n--- the invitation ---\n"
                                       << invitation.Wait(kTorStep);
  const RunResult invited = invitation.Wait(kTorStep);
  ASSERT_EQ(invited.exit_code, kExitOk) << invited;
  const std::string paired_line =
      invited.out.substr(invited.out.find('\n') + 1);  // after the offer
  EXPECT_EQ(ParseJson(joined.out)["safety_number"], ParseJson(paired_line)["safety_number"]);

  for (const std::string& home : {alex_, sam_}) {
    const nlohmann::json partner = JsonAt(home, {"partner"});
    EXPECT_EQ(partner["last_address"], "");  // no address was seen: Tor hid both
    EXPECT_FALSE(partner["partner_onion_address"].get<std::string>().empty());
    EXPECT_EQ(JsonAt(home, {"tor"})["tor"], "on");  // pairing turned it on
  }
  // The invitation's onion was one of its own, not Alex's service.
  EXPECT_FALSE(address.starts_with(OwnOnion(alex_)));

  // Neither knows an address on this network, so sync goes straight on through Tor.
  BackgroundProcess alex_serves = StartAt(alex_, {"serve", "--json", "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(alex_serves.ReadLineContaining(ServeEvent("onion_published"), kTorStep).has_value())
      << alex_serves.Wait(kStep);
  const std::string from_sam = AddAt(sam_, "need", "To hear your voice before I sleep.");
  ASSERT_EQ(RunAt(sam_, {"share", from_sam, "--yes"}).exit_code, kExitOk);
  const RunResult to_alex = RunAt(sam_, {"sync", "--no-discovery", "--json"});
  ASSERT_EQ(to_alex.exit_code, kExitOk) << to_alex;
  EXPECT_EQ(ParseJson(to_alex.out)["sent"], 1);
  EXPECT_TRUE(PartnerHas(alex_, from_sam));
  Stop(alex_serves);

  BackgroundProcess sam_serves = StartAt(sam_, {"serve", "--json", "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(sam_serves.ReadLineContaining(ServeEvent("onion_published"), kTorStep).has_value())
      << sam_serves.Wait(kStep);
  const std::string from_alex = AddAt(alex_, "boundary", "I need an hour alone after work.");
  ASSERT_EQ(RunAt(alex_, {"share", from_alex, "--yes"}).exit_code, kExitOk);
  const RunResult to_sam = RunAt(alex_, {"sync", "--no-discovery", "--json"});
  ASSERT_EQ(to_sam.exit_code, kExitOk) << to_sam;
  EXPECT_EQ(ParseJson(to_sam.out)["sent"], 1);
  EXPECT_TRUE(PartnerHas(sam_, from_alex));
  Stop(sam_serves);
}

// The tor that `serve` in `home` started (serve's child named tor); -1 if none.
pid_t TorChildOf(pid_t serve) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string pid, name, state;
    pid_t parent = -1;
    if (stat >> pid >> name >> state >> parent && parent == serve && name == "(tor)") {
      return static_cast<pid_t>(std::stol(pid));
    }
  }
  return -1;
}

// Both serve with Tor on, and neither can reach the other's listener directly (each listens on
// a port it did not tell the other, and discovery is off): the live session runs through Tor.
// When Alex's tor is killed, Alex's serve starts a new one and the session comes back.
TEST_F(OnionTest, TwoServesSyncLiveThroughTorAndReconnectAfterATorIsKilled) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  for (const std::string& home : {alex_, sam_}) {
    ASSERT_EQ(RunAt(home, {"tor", "on"}).exit_code, kExitOk);
  }
  const std::vector<std::string> args = {"serve", "--json", "--listen", "127.0.0.1:0",
                                         "--no-discovery"};
  BackgroundProcess alex_serves = StartAt(alex_, args);
  BackgroundProcess sam_serves = StartAt(sam_, args);
  for (BackgroundProcess* serve : {&alex_serves, &sam_serves}) {
    const std::optional<std::string> reached = serve->ReadLineContaining(kSessionBegan, kTorStep);
    ASSERT_TRUE(reached.has_value()) << serve->Wait(kStep);
    EXPECT_EQ(ParseJson(*reached)["host"], "onion") << *reached;
  }
  EXPECT_FALSE(ArrivesLive(alex_, sam_, "To know you are thinking of me.").empty());
  EXPECT_FALSE(ArrivesLive(sam_, alex_, "A call on Sunday evenings.").empty());

  // A one-shot command beside serve uses serve's tor (two tors cannot share the home's tor
  // folder) and leaves it running; so does doctor.
  const pid_t tor = TorChildOf(alex_serves.pid());
  ASSERT_GT(tor, 0);
  const RunResult beside = RunAt(alex_, {"sync", "--via", "onion", "--json"});
  ASSERT_EQ(beside.exit_code, kExitOk) << beside;
  EXPECT_EQ(DoctorChecks(alex_)["tor-bootstrap"]["serves_tor"], true);
  EXPECT_EQ(TorChildOf(alex_serves.pid()), tor);
  ASSERT_EQ(::kill(tor, SIGKILL), 0);
  const std::optional<std::string> problem =
      alex_serves.ReadLineContaining(ServeEvent("tor_problem"), kTorStep);
  ASSERT_TRUE(problem.has_value()) << alex_serves.Wait(kStep);
  ASSERT_TRUE(alex_serves.ReadLineContaining(ServeEvent("onion_published"), kTorStep).has_value())
      << alex_serves.Wait(kStep);
  EXPECT_NE(TorChildOf(alex_serves.pid()), tor);
  const std::string after = AddAt(sam_, "need", "To hear back, even late.", {"--share"});
  EXPECT_TRUE(Eventually([&] { return PartnerHas(alex_, after); }, kTorStep));
  Stop(alex_serves);
  Stop(sam_serves);
}

// Forwards the discovery announcements sent from 127.0.0.1 to the IPv4 group on UDP port `from`
// on to the group on port `to`, from 127.0.0.1: to discovery it is as if the network behind
// `from` had just been joined to the one behind `to` (a partner's laptop coming home). Runs on a
// thread of its own, which waits in poll() on the socket and on a pipe that stops it.
class AnnouncementRelay {
 public:
  AnnouncementRelay(uint16_t from, uint16_t to) : to_(to) {
    in_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    out_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(in_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_port = htons(from);
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    sockaddr_in loopback{};
    loopback.sin_family = AF_INET;
    loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ip_mreq join{};
    ::inet_pton(AF_INET, kGroupV4, &join.imr_multiaddr);
    join.imr_interface.s_addr = htonl(INADDR_LOOPBACK);
    const in_addr out_interface{htonl(INADDR_LOOPBACK)};
    ready_ = ::bind(in_, reinterpret_cast<sockaddr*>(&any), sizeof any) == 0 &&
             ::setsockopt(in_, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) == 0 &&
             ::bind(out_, reinterpret_cast<sockaddr*>(&loopback), sizeof loopback) == 0 &&
             ::setsockopt(out_, IPPROTO_IP, IP_MULTICAST_IF, &out_interface,
                          sizeof out_interface) == 0 &&
             ::pipe2(stop_, O_CLOEXEC) == 0;
    if (ready_) thread_ = std::thread([this] { Forward(); });
  }

  ~AnnouncementRelay() {
    if (thread_.joinable()) {
      (void)!::write(stop_[1], "x", 1);
      thread_.join();
    }
    for (int fd : {in_, out_, stop_[0], stop_[1]}) {
      if (fd >= 0) ::close(fd);
    }
  }

  bool ready() const { return ready_; }

 private:
  static constexpr const char* kGroupV4 = "239.255.71.18";  // docs/protocol.md, discovery

  void Forward() {
    pollfd waiting[2] = {{in_, POLLIN, 0}, {stop_[0], POLLIN, 0}};
    while (::poll(waiting, 2, -1) > 0 && (waiting[1].revents & POLLIN) == 0) {
      char packet[512];
      sockaddr_in source{};
      socklen_t size = sizeof source;
      const ssize_t got =
          ::recvfrom(in_, packet, sizeof packet, 0, reinterpret_cast<sockaddr*>(&source), &size);
      if (got <= 0 || source.sin_addr.s_addr != htonl(INADDR_LOOPBACK)) continue;
      sockaddr_in group{};
      group.sin_family = AF_INET;
      group.sin_port = htons(to_);
      ::inet_pton(AF_INET, kGroupV4, &group.sin_addr);
      (void)::sendto(out_, packet, static_cast<size_t>(got), 0, reinterpret_cast<sockaddr*>(&group),
                     sizeof group);
    }
  }

  uint16_t to_;
  int in_ = -1, out_ = -1;
  int stop_[2] = {-1, -1};
  bool ready_ = false;
  std::thread thread_;
};

// A live session through Tor moves to the direct path when the partner appears on this network.
// Alex and Sam announce on discovery ports of their own, so at first neither hears the other
// and their session runs through Tor; then Alex's announcements are relayed to Sam's port, and
// Sam's serve, listening meanwhile, connects directly: both sides keep the direct session.
TEST_F(OnionTest, ALiveSessionThroughTorMovesToTheDirectPathWhenThePartnerAppears) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  for (const std::string& home : {alex_, sam_}) {
    ASSERT_EQ(RunAt(home, {"tor", "on"}).exit_code, kExitOk);
  }
  const uint16_t alex_discovery = UnusedLoopbackPort();
  const uint16_t sam_discovery = UnusedLoopbackPort();
  ASSERT_NE(alex_discovery, sam_discovery);
  // Ports nobody was told, so neither reaches the other's listener until discovery says where.
  BackgroundProcess alex_serves =
      StartAt(alex_, {"serve", "--json", "--listen", "127.0.0.1:0", "--discovery-port",
                      std::to_string(alex_discovery)});
  BackgroundProcess sam_serves = StartAt(sam_, {"serve", "--json", "--listen", "127.0.0.1:0",
                                                "--discovery-port", std::to_string(sam_discovery)});
  const std::optional<std::string> through_tor =
      sam_serves.ReadLineContaining(kSessionBegan, kTorStep);
  ASSERT_TRUE(through_tor.has_value()) << sam_serves.Wait(kStep);
  EXPECT_EQ(ParseJson(*through_tor)["host"], "onion") << *through_tor;

  AnnouncementRelay relay(alex_discovery, sam_discovery);
  ASSERT_TRUE(relay.ready());
  const std::optional<std::string> direct = sam_serves.ReadLineContaining(
      "\"event\":\"partner_reached\",\"host\":\"127.0.0.1\"", kTorStep);
  ASSERT_TRUE(direct.has_value()) << sam_serves.Wait(kStep);
  const std::optional<std::string> accepted = alex_serves.ReadLineContaining(
      "\"event\":\"partner_connected\",\"host\":\"127.0.0.1\"", kStep);
  EXPECT_TRUE(accepted.has_value());
  EXPECT_FALSE(ArrivesLive(alex_, sam_, "To find you at home tonight.").empty());
  EXPECT_EQ(JsonAt(sam_, {"partner"})["last_address"].get<std::string>().rfind("127.0.0.1:", 0),
            0u);
  Stop(alex_serves);
  Stop(sam_serves);
}

// With Tor on and the partner's serve reachable on this network, both sides use the direct
// path: the live session, and a sync without --via.
TEST_F(OnionTest, WithBothPathsOpenTheDirectOneIsUsed) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  for (const std::string& home : {alex_, sam_}) {
    ASSERT_EQ(RunAt(home, {"tor", "on"}).exit_code, kExitOk);
  }
  BackgroundProcess alex_serves = Serve(alex_, {"--no-discovery"});
  ASSERT_TRUE(alex_serves.ReadLineContaining(ServeEvent("onion_published"), kTorStep).has_value())
      << alex_serves.Wait(kStep);
  const RunResult synced = RunAt(sam_, {"sync", "--no-discovery", "--json"});
  ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  EXPECT_EQ(ParseJson(synced.out)["address"], "127.0.0.1:" + std::to_string(alex_port_));
  BackgroundProcess sam_serves = Serve(sam_, {"--no-discovery"});
  const std::optional<std::string> reached = sam_serves.ReadLineContaining(kSessionBegan, kTorStep);
  ASSERT_TRUE(reached.has_value()) << sam_serves.Wait(kStep);
  EXPECT_EQ(ParseJson(*reached)["host"], "127.0.0.1") << *reached;
  Stop(sam_serves);
  Stop(alex_serves);
}

// Only the partner can even find a node's onion service: Alex unpairs from Sam and pairs with
// Robin, keeping the same onion address, which now admits Robin's client key alone. Sam, who
// still knows the address, is refused by tor itself with an extended SOCKS error naming the
// client authorisation (the descriptor cannot be read), not by a timeout; Robin gets through.
TEST_F(OnionTest, AFormerPartnerIsRefusedTheDescriptorByTorItself) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  const std::string address = OwnOnion(alex_);
  ASSERT_EQ(RunAt(alex_, {"unpair", "--delete", "--yes"}).exit_code, kExitOk);
  const std::string robin = NewHome("Robin");
  ASSERT_NO_FATAL_FAILURE(Pair(alex_, alex_port_, robin, UnusedLoopbackPort()));
  EXPECT_EQ(OwnOnion(alex_), address);  // never made anew once told
  for (const std::string& home : {alex_, sam_, robin}) {
    ASSERT_EQ(RunAt(home, {"tor", "on"}).exit_code, kExitOk);
  }
  BackgroundProcess serve =
      StartAt(alex_, {"serve", "--json", "--listen", "127.0.0.1:0", "--no-discovery"});
  ASSERT_TRUE(serve.ReadLineContaining(ServeEvent("onion_published"), kTorStep).has_value())
      << serve.Wait(kStep);

  const RunResult former = RunAt(sam_, {"ping", "--via", "onion", "--json"});
  EXPECT_EQ(former.exit_code, kExitUnreachable) << former;
  EXPECT_EQ(FailureReason(former), "tor_socks_refused") << former;
  const std::string said = FailureField(former, "message");
  EXPECT_TRUE(Contains(said, "missing_client_auth") || Contains(said, "wrong_client_auth")) << said;
  const RunResult current = RunAt(robin, {"ping", "--via", "onion", "--json"});
  EXPECT_EQ(current.exit_code, kExitOk) << current;
  Stop(serve);
}

TEST_F(OnionTest, ViaOnionWhileTorIsOffSaysHowToTurnItOn) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  const RunResult refused = RunAt(sam_, {"sync", "--via", "onion", "--json"});
  EXPECT_EQ(refused.exit_code, kExitUsage) << refused;
  EXPECT_EQ(FailureCode(refused), "invalid_argument");
  ASSERT_EQ(RunAt(sam_, {"tor", "on"}).exit_code, kExitOk);
  const RunResult no_tor = RunAt(sam_, {"ping", "--via", "onion", "--no-tor"});
  EXPECT_EQ(no_tor.exit_code, kExitUsage) << no_tor;
}

}  // namespace
}  // namespace attune::e2e
