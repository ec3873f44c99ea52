// Finding each other across a real link: two network namespaces joined by a veth pair (the only
// link each has; even loopback stays down), created by the test. One attune in each pairs with
// the code alone and then syncs after the serve moved, with no address typed anywhere; and, on a
// link with IPv6 link-local addresses only, pairs through the IPv6 group alone (announcements
// sent from the link-local address, accepted from it). Needs root (CAP_NET_ADMIN) and iproute2;
// skipped otherwise. The namespaces are deleted however the test ends (deleting a namespace
// deletes its end of the veth, and with it the pair).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

constexpr const char* kIp = "/usr/sbin/ip";

// Two namespaces and a veth between them, named after this process so that parallel runs do not
// collide. Setup failures are recorded; ok() tells whether the link is up.
class VethPair {
 public:
  enum class Addresses {
    kIPv4,           // 10.213.7.1 and .2 (and the link-local addresses the kernel adds)
    kLinkLocalOnly,  // fe80::a and fe80::b only, without duplicate address detection
  };

  VethPair(const Environment& env, Addresses addresses) : env_(env) {
    const std::string id = std::to_string(getpid());
    a_ = "attune-" + id + "-a";
    b_ = "attune-" + id + "-b";
    const std::string veth_a = "atv" + id + "a";  // interface names: at most 15 characters
    const std::string veth_b = "atv" + id + "b";
    ok_ = Ip({"netns", "add", a_}) && Ip({"netns", "add", b_}) &&
          Ip({"link", "add", veth_a, "type", "veth", "peer", "name", veth_b}) &&
          Ip({"link", "set", veth_a, "netns", a_}) && Ip({"link", "set", veth_b, "netns", b_});
    if (ok_ && addresses == Addresses::kIPv4) {
      ok_ = Ip({"-n", a_, "addr", "add", std::string(kAddressA) + "/24", "dev", veth_a}) &&
            Ip({"-n", b_, "addr", "add", "10.213.7.2/24", "dev", veth_b});
    } else if (ok_) {
      // No address the kernel would make (so none still in duplicate address detection): the
      // only addresses are these two, usable at once.
      ok_ = Ip({"-n", a_, "link", "set", veth_a, "addrgenmode", "none"}) &&
            Ip({"-n", b_, "link", "set", veth_b, "addrgenmode", "none"}) &&
            Ip({"-n", a_, "addr", "add", "fe80::a/64", "dev", veth_a, "nodad"}) &&
            Ip({"-n", b_, "addr", "add", "fe80::b/64", "dev", veth_b, "nodad"});
    }
    ok_ = ok_ && Ip({"-n", a_, "link", "set", veth_a, "up"}) &&
          Ip({"-n", b_, "link", "set", veth_b, "up"});
  }
  ~VethPair() {
    Ip({"netns", "del", a_});
    Ip({"netns", "del", b_});
  }
  VethPair(const VethPair&) = delete;
  VethPair& operator=(const VethPair&) = delete;

  static constexpr const char* kAddressA = "10.213.7.1";

  bool ok() const { return ok_; }
  const std::string& a() const { return a_; }
  const std::string& b() const { return b_; }

  // `attune --home HOME ARGS...` inside namespace `ns`.
  RunRequest In(const std::string& ns, const std::string& home,
                const std::vector<std::string>& args) const {
    std::vector<std::string> full = {"netns", "exec", ns, ATTUNE_BINARY, "--home", home};
    full.insert(full.end(), args.begin(), args.end());
    return RunRequest{kIp, full, env_, "", kDefaultTimeout};
  }

 private:
  bool Ip(const std::vector<std::string>& args) {
    const RunResult result = RunProcess(RunRequest{kIp, args, env_, "", kDefaultTimeout});
    if (result.exit_code != 0) {
      ADD_FAILURE() << "ip failed: " << result;
      return false;
    }
    return true;
  }

  Environment env_;
  std::string a_, b_;
  bool ok_ = false;
};

class LanDiscoveryNetnsTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    if (geteuid() != 0 || access(kIp, X_OK) != 0) {
      GTEST_SKIP() << "needs root and " << kIp << " to create network namespaces";
    }
  }
};

TEST_F(LanDiscoveryNetnsTest, PartnersOnTwoEndsOfAVethPairAndSyncWithNoAddressTyped) {
  const std::string alex = NewHome("Alex");
  const std::string sam = NewHome("Sam");
  VethPair link(env, VethPair::Addresses::kIPv4);
  ASSERT_TRUE(link.ok());

  BackgroundProcess inviter(link.In(
      link.a(), alex, {"pair", "--listen", "0.0.0.0:0", "--serve-port", "47017", "--json"}));
  const std::optional<std::string> offer_line = inviter.ReadLine(kStep);
  ASSERT_TRUE(offer_line.has_value()) << inviter.Wait(kStep);
  const nlohmann::json offer = ParseJson(*offer_line);
  ASSERT_TRUE(offer.contains("code")) << *offer_line;
  const RunResult joined = RunProcess(
      link.In(link.b(), sam, {"pair", "--join", offer["code"].get<std::string>(), "--json"}));
  ASSERT_EQ(joined.exit_code, kExitOk) << joined;
  const RunResult invited = inviter.Wait(kStep);
  ASSERT_EQ(invited.exit_code, kExitOk) << invited;
  EXPECT_EQ(JsonAt(sam, {"partner"})["partner"], "Alex");
  EXPECT_EQ(JsonAt(alex, {"partner"})["partner"], "Sam");

  // Alex's serve listens on another port than the one told while pairing: Sam's sync finds it
  // by its announcement, through the veth, and remembers where.
  const std::string need = AddAt(sam, "need", "Ten minutes to talk after work.", {"--share"});
  BackgroundProcess serve(
      link.In(link.a(), alex, {"serve", "--json", "--listen", "0.0.0.0:47100"}));
  ASSERT_TRUE(serve.ReadLineContaining(ServeEvent("listening"), kStep).has_value())
      << serve.Wait(kStep);
  const RunResult synced = RunProcess(link.In(link.b(), sam, {"sync", "--json"}));
  EXPECT_EQ(synced.exit_code, kExitOk) << synced;
  EXPECT_EQ(ParseJson(synced.out)["searched"], true) << synced;
  const std::string remembered = JsonAt(sam, {"partner"})["last_address"].get<std::string>();
  std::cout << "[ figures  ] across the veth, sync found the moved serve; Sam remembers "
            << remembered << "\n";
  EXPECT_TRUE(remembered.size() > 6 && remembered.substr(remembered.size() - 6) == ":47100")
      << remembered;
  EXPECT_TRUE(serve.Signal(SIGTERM));
  EXPECT_EQ(serve.Wait(kStep).exit_code, kExitOk);
  EXPECT_TRUE(PartnerHas(alex, need));
}

// Only IPv6 link-local addresses on the link: the invitation can reach the joiner only as an IPv6
// announcement sent from fe80::a in the veth's scope, and is accepted only because that is the
// address sealed in it; the joiner then connects to it, scope and all.
TEST_F(LanDiscoveryNetnsTest, PartnersOnALinkWithOnlyIPv6LinkLocalAddressesPairWithTheCodeAlone) {
  const std::string alex = NewHome("Alex");
  const std::string sam = NewHome("Sam");
  VethPair link(env, VethPair::Addresses::kLinkLocalOnly);
  ASSERT_TRUE(link.ok());

  BackgroundProcess inviter(
      link.In(link.a(), alex, {"pair", "--listen", "[::]:0", "--serve-port", "47017", "--json"}));
  const std::optional<std::string> offer_line = inviter.ReadLine(kStep);
  ASSERT_TRUE(offer_line.has_value()) << inviter.Wait(kStep);
  const nlohmann::json offer = ParseJson(*offer_line);
  ASSERT_TRUE(offer.contains("code")) << *offer_line;
  const RunResult joined = RunProcess(
      link.In(link.b(), sam, {"pair", "--join", offer["code"].get<std::string>(), "--json"}));
  ASSERT_EQ(joined.exit_code, kExitOk) << joined;
  ASSERT_EQ(inviter.Wait(kStep).exit_code, kExitOk);
  const std::string remembered = JsonAt(sam, {"partner"})["last_address"].get<std::string>();
  std::cout << "[ figures  ] on an IPv6 link-local-only veth, Sam paired with Alex at "
            << remembered << "\n";
  EXPECT_EQ(remembered.rfind("[fe80::a%", 0), 0u) << remembered;
  EXPECT_EQ(JsonAt(alex, {"partner"})["partner"], "Sam");
}

}  // namespace
}  // namespace attune::e2e
