// How `attune doctor` reads a firewall's rules (node/doctor.h): a drop policy or a final
// catch-all drop on incoming traffic blocks the serve port unless a rule accepts it.
#include "node/doctor.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "tests/common/files.h"

namespace attune::node {
namespace {

constexpr uint16_t kPort = 47017;

// PATH as a test sets it, restored when the test ends.
class ScopedPath {
 public:
  explicit ScopedPath(const std::string& path) {
    if (const char* old = std::getenv("PATH")) old_ = old;
    ::setenv("PATH", path.c_str(), 1);
  }
  ~ScopedPath() {
    if (old_) {
      ::setenv("PATH", old_->c_str(), 1);
    } else {
      ::unsetenv("PATH");
    }
  }

 private:
  std::optional<std::string> old_;
};

// doctor runs the firewall's tool itself, found in PATH, with no shell in between: the
// arguments arrive as they are, and the tool answers in the C locale.
TEST(DoctorFirewallTest, TheToolInPathIsRunWithItsArgumentsAndTheCLocale) {
  test_common::TempDir tools;
  {
    std::ofstream nft(tools.File("nft"));
    nft << "#!/bin/sh\n"
           "[ \"$1 $2 $#\" = \"list ruleset 2\" ] && [ \"$LC_ALL\" = C ] || exit 3\n"
           "printf 'table inet filter {\\n\\tchain input {\\n\\t\\ttype filter hook input "
           "priority 0; policy drop;\\n\\t}\\n}\\n'\n";
  }
  ASSERT_EQ(::chmod(tools.File("nft").c_str(), 0700), 0);
  const ScopedPath path(tools.path());
  const FirewallReport report = InspectFirewall(kPort);
  if (report.name == "ufw" || report.name == "firewalld") {
    GTEST_SKIP() << "this machine runs " << report.name << ", which doctor asks first";
  }
  EXPECT_EQ(report.name, "nftables");
  EXPECT_TRUE(report.readable) << "the tool did not run, or not as expected";
  EXPECT_TRUE(report.may_block);
}

TEST(DoctorFirewallTest, NftInputPolicyDropBlocksUnlessThePortIsAccepted) {
  const std::string dropping = R"(table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		tcp dport 22 accept
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
	}
})";
  const FirewallReport blocked = JudgeNftRuleset(dropping, kPort);
  EXPECT_EQ(blocked.name, "nftables");
  EXPECT_TRUE(blocked.readable);
  EXPECT_TRUE(blocked.may_block);
  EXPECT_EQ(blocked.refusal, FirewallRefusal::kDefaultPolicy);

  std::string allowing = dropping;
  allowing.replace(allowing.find("tcp dport 22 accept"), 19, "tcp dport { 22, 47017 } accept");
  EXPECT_FALSE(JudgeNftRuleset(allowing, kPort).may_block);
  std::string other_port = dropping;
  other_port.replace(other_port.find("tcp dport 22 accept"), 19, "tcp dport 470170 accept");
  EXPECT_TRUE(JudgeNftRuleset(other_port, kPort).may_block) << "470170 is not 47017";
}

TEST(DoctorFirewallTest, NftCatchAllRejectAtTheEndOfInputBlocks) {
  const std::string rejecting = R"(table inet filter {
	chain input {
		type filter hook input priority 0; policy accept;
		iif "lo" accept
		reject with icmpx type admin-prohibited
	}
})";
  const FirewallReport rejected = JudgeNftRuleset(rejecting, kPort);
  EXPECT_TRUE(rejected.may_block);
  EXPECT_EQ(rejected.refusal, FirewallRefusal::kCatchAllRule);
  EXPECT_EQ(rejected.rule, "reject with icmpx type admin-prohibited")
      << "the rule as nft prints it";
  const std::string counted = R"(table ip filter {
	chain INPUT {
		type filter hook input priority filter; policy accept;
		tcp dport 22 counter packets 3 bytes 180 drop
		counter packets 9 bytes 540 reject
	}
})";
  EXPECT_TRUE(JudgeNftRuleset(counted, kPort).may_block);
  std::string specific_only = counted;
  specific_only.erase(specific_only.find("\t\tcounter packets 9"), 35);
  EXPECT_FALSE(JudgeNftRuleset(specific_only, kPort).may_block)
      << "a drop for port 22 alone does not block 47017";
}

TEST(DoctorFirewallTest, NftWithoutAnInputHookNamesNothing) {
  const FirewallReport none = JudgeNftRuleset(
      "table ip nat {\n\tchain postrouting {\n\t\ttype nat hook postrouting priority 100; "
      "policy accept;\n\t\tmasquerade\n\t}\n}\n",
      kPort);
  EXPECT_EQ(none.name, "");
  EXPECT_TRUE(none.readable);
  EXPECT_FALSE(none.may_block);
  EXPECT_FALSE(JudgeNftRuleset("", kPort).may_block);
}

TEST(DoctorFirewallTest, IptablesDropPolicyOrFinalRejectBlocksUnlessAccepted) {
  EXPECT_TRUE(JudgeIptablesRules("-P INPUT DROP\n-A INPUT -i lo -j ACCEPT\n", kPort).may_block);
  const FirewallReport rejected = JudgeIptablesRules(
      "-P INPUT ACCEPT\n-A INPUT -i lo -j ACCEPT\n-A INPUT -j REJECT "
      "--reject-with icmp-host-prohibited\n",
      kPort);
  EXPECT_TRUE(rejected.may_block);
  EXPECT_EQ(rejected.refusal, FirewallRefusal::kCatchAllRule);
  EXPECT_EQ(rejected.rule, "-A INPUT -j REJECT --reject-with icmp-host-prohibited");
  EXPECT_FALSE(
      JudgeIptablesRules("-P INPUT DROP\n-A INPUT -p tcp -m tcp --dport 47017 -j ACCEPT\n", kPort)
          .may_block);
  const FirewallReport open = JudgeIptablesRules("-P INPUT ACCEPT\n", kPort);
  EXPECT_FALSE(open.may_block);
  EXPECT_EQ(open.refusal, FirewallRefusal::kNone);
  EXPECT_EQ(open.name, "") << "no rules at all is no firewall";
}

}  // namespace
}  // namespace attune::node
