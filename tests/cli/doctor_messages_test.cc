// What `attune doctor` says about the link's checks and its findings. tests/e2e/doctor_test.cc
// checks the same outcomes through `doctor --json` (status, exit, reason, the port's user).
#include "cli/doctor_messages.h"

#include <gtest/gtest.h>

#include <string>

#include "cli/messages.h"
#include "node/journal_reason.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

TEST(DoctorMessagesTest, AnUnreachablePartnerGetsWhatToCheckOnTheirSide) {
  const std::string said = PartnerUnreachableText("127.0.0.1:47017: refused", 47017);
  EXPECT_TRUE(Says(said, "(127.0.0.1:47017: refused)")) << said;
  EXPECT_TRUE(Says(said, "`attune serve` runs on their machine")) << said;
  EXPECT_TRUE(Says(said, "`sudo ufw allow 47017/tcp`")) << said;
  EXPECT_TRUE(Says(said, "sudo firewall-cmd --permanent --add-port=47017/tcp")) << said;
  EXPECT_FALSE(said.ends_with(".")) << "doctor adds the full stop";
}

TEST(DoctorMessagesTest, TheServePortSaysWhoHoldsIt) {
  const std::string running = ServePortText({node::PortState::kUsedByAttuneServe, 4242}, 47017);
  EXPECT_TRUE(Says(running, "`attune serve` is running (pid 4242) on 0.0.0.0:47017")) << running;
  const std::string free = ServePortText({node::PortState::kFree, std::nullopt}, 47017);
  EXPECT_TRUE(Says(free, "attune-serve")) << "how to keep serve running: " << free;
  const std::string taken = ServePortText({node::PortState::kUsedByOther, std::nullopt}, 47017);
  EXPECT_TRUE(Says(taken, "port 47017 is taken by another program")) << taken;
  EXPECT_TRUE(Says(taken, "`ss -ltnp 'sport = :47017'`")) << taken;
}

TEST(DoctorMessagesTest, TheFirewallSaysWhatItSawAndHowToLetThePartnerIn) {
  node::FirewallReport report{"nftables", true, true, node::FirewallRefusal::kCatchAllRule,
                              "reject with icmpx type admin-prohibited"};
  const std::string rule = FirewallText(report, 47017);
  EXPECT_TRUE(Says(rule, "(nftables: the input chain ends with: reject with icmpx")) << rule;
  EXPECT_TRUE(Says(rule, "may turn away your partner's connections to port 47017")) << rule;
  EXPECT_TRUE(Says(rule, "`sudo ufw allow 47017/tcp`")) << rule;
  report.refusal = node::FirewallRefusal::kDefaultPolicy;
  EXPECT_TRUE(Says(FirewallText(report, 47017), "refused by default"));
  report = {"firewalld", true, true, node::FirewallRefusal::kPortNotInZone, ""};
  EXPECT_TRUE(Says(FirewallText(report, 47017), "port 47017/tcp is not open in the active zone"));
  EXPECT_STREQ(FirewallRefusalName(report.refusal), "port_not_in_zone");

  report = {"ufw", false, false, node::FirewallRefusal::kNone, ""};
  const std::string unread = FirewallText(report, 47017);
  EXPECT_TRUE(Says(unread, "could not read the firewall's rules (that needs root)")) << unread;
  report = {"ufw", true, false, node::FirewallRefusal::kNone, ""};
  EXPECT_EQ(FirewallText(report, 47017), "the firewall (ufw) lets in port 47017");
  report = {"", true, false, node::FirewallRefusal::kNone, ""};
  EXPECT_EQ(FirewallText(report, 47017), "no firewall here blocks port 47017");
}

TEST(DoctorMessagesTest, TheSummaryCountsTheProblems) {
  EXPECT_EQ(DoctorFoundText(1), "doctor found 1 problem, listed above; the first");
  EXPECT_EQ(DoctorFoundText(3), "doctor found 3 problems, listed above; the first");
}

// The home check and the skipped link checks say what Explain says for their reasons.
TEST(DoctorMessagesTest, NoJournalAndNotPairedSayWhichCommandHelps) {
  const std::string none = Explain(Status::NotFound("there is no journal in /h yet")
                                       .WithReason(node::JournalReason::kNoJournal));
  EXPECT_TRUE(Says(none, "attune init")) << none;
  const std::string unpaired =
      Explain(Status::NotFound("not paired yet").WithReason(node::JournalReason::kNotPaired));
  EXPECT_TRUE(Says(unpaired, "not paired")) << unpaired;
  EXPECT_TRUE(Says(unpaired, "`attune pair`")) << unpaired;
}

}  // namespace
}  // namespace attune::cli
