// How `attune serve` words its typed events (node::ServeEvent): one line each, naming nobody,
// saying what to do where there is something to do.
#include <gtest/gtest.h>

#include <string>

#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "node/link.h"
#include "node/serve_events.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using node::ServeEvent;
using node::ServeEventKind;

using testing::Says;

TEST(ServeMessagesTest, ListeningAndAnnouncingNameTheAddressAndPort) {
  EXPECT_EQ(
      ServeEventText({.kind = ServeEventKind::kListening, .host = "127.0.0.1", .port = 47017}),
      "listening on 127.0.0.1:47017");
  EXPECT_EQ(ServeEventText({.kind = ServeEventKind::kAnnouncing, .port = 47018}),
            "announcing itself to your partner on this network (UDP port 47018)");
  EXPECT_EQ(ServeEventText({.kind = ServeEventKind::kStopping}), "stopping");
}

TEST(ServeMessagesTest, ASessionStartingSaysWhereThePartnerIs) {
  EXPECT_EQ(ServeEventText({.kind = ServeEventKind::kPartnerConnected, .host = "10.0.0.2"}),
            "your partner connected from 10.0.0.2; syncing live");
  EXPECT_EQ(ServeEventText({.kind = ServeEventKind::kPartnerReached, .host = "10.0.0.2"}),
            "your partner is reachable at 10.0.0.2; syncing live");
  EXPECT_EQ(ServeEventText({.kind = ServeEventKind::kPartnerConnectedForOneExchange,
                            .host = "10.0.0.2",
                            .problem = Status::IoError("read-only")}),
            "your partner connected from 10.0.0.2 for one exchange (could not remember the "
            "address: read-only)");
}

TEST(ServeMessagesTest, ASessionEndingCountsWhatItExchangedAndRefusedRowsOnlyWhenThereWereAny) {
  ServeEvent ended{.kind = ServeEventKind::kSessionEnded,
                   .host = "10.0.0.2",
                   .counts = {.sent = 1, .withdrew = 2, .received = 3, .removed = 4}};
  EXPECT_EQ(ServeEventText(ended),
            "the connection with your partner ended (sent 1, withdrew 2, received 3, removed 4)");
  ended.counts.refused = 5;
  ended.problem = Status::TimedOut("the other side did not answer in time");
  EXPECT_EQ(ServeEventText(ended),
            "the connection with your partner ended (sent 1, withdrew 2, received 3, removed 4, "
            "refused 5): the other side did not answer in time");
}

TEST(ServeMessagesTest, FailuresSayWhyAndWhatComesNext) {
  const std::string dial = ServeEventText({.kind = ServeEventKind::kDialFailed,
                                           .host = "10.0.0.2",
                                           .port = 47017,
                                           .retry_in = std::chrono::seconds(4),
                                           .problem = Status::TimedOut("nobody answered")});
  EXPECT_EQ(dial,
            "could not reach your partner at 10.0.0.2:47017 (nobody answered); trying again in "
            "4 s");
  EXPECT_EQ(ServeEventText({.kind = ServeEventKind::kConnectionClosed,
                            .host = "10.0.0.9",
                            .problem = Status::ProtocolError("the handshake failed")}),
            "a connection from 10.0.0.9 was closed: the handshake failed");
  EXPECT_TRUE(Says(ServeEventText({.kind = ServeEventKind::kTurnedAwayOldest}),
                   "turned one away (the one waiting longest)"));
}

TEST(ServeMessagesTest, NoticesNameNobodyAndSayWhatToDo) {
  const std::string knock =
      ServeEventText({.kind = ServeEventKind::kOlderAttuneTriedToConnect, .host = "192.0.2.7"});
  EXPECT_TRUE(Says(knock, "an older attune tried to connect from 192.0.2.7")) << knock;
  EXPECT_TRUE(Says(knock, "if it is your partner's, ask them to update")) << knock;
  EXPECT_TRUE(Says(ServeEventText({.kind = ServeEventKind::kPartnerOlder, .host = "192.0.2.7"}),
                   "your partner's attune at 192.0.2.7 is older; ask them to update"));
  EXPECT_TRUE(Says(ServeEventText({.kind = ServeEventKind::kPartnerNewer}),
                   "your partner's attune is newer; update attune"));
  const std::string withheld =
      ServeEventText({.kind = ServeEventKind::kWithheldDamaged, .count = 2});
  EXPECT_TRUE(Says(withheld, "2 of your shared entries failed their integrity check")) << withheld;
  EXPECT_TRUE(Says(withheld, "`attune doctor` names them")) << withheld;
}

TEST(ServeMessagesTest, JsonNamesTheKindAndCarriesTheFactsAndTheProblemsExitCode) {
  const nlohmann::json ended =
      ServeEventJson({.kind = ServeEventKind::kSessionEnded,
                      .host = "10.0.0.2",
                      .counts = {.sent = 1, .received = 2, .refused = 3},
                      .problem = Status::TimedOut("x").WithReason(node::LinkReason::kPeerNewer)});
  EXPECT_EQ(ended["event"], "session_ended");
  EXPECT_EQ(ended["host"], "10.0.0.2");
  EXPECT_EQ(ended["sent"], 1);
  EXPECT_EQ(ended["withdrew"], 0);
  EXPECT_EQ(ended["received"], 2);
  EXPECT_EQ(ended["refused"], 3);
  EXPECT_EQ(ended["problem"]["exit"],
            ExitCodeFor(Status::Unsupported("").WithReason(node::LinkReason::kPeerNewer)));
  EXPECT_EQ(ended["problem"]["reason"], static_cast<int>(node::LinkReason::kPeerNewer));

  const nlohmann::json listening =
      ServeEventJson({.kind = ServeEventKind::kListening, .host = "127.0.0.1", .port = 47017});
  EXPECT_EQ(listening,
            (nlohmann::json{{"event", "listening"}, {"host", "127.0.0.1"}, {"port", 47017}}));
  EXPECT_FALSE(
      ServeEventJson({.kind = ServeEventKind::kPartnerConnected, .host = "h"}).contains("problem"))
      << "an address remembered is no problem";
}

// With Tor (issue 17): progress, where the onion service is, connections through it (Tor hides
// where from), and a tor that failed, with what to do and that the local network still works.
TEST(ServeMessagesTest, TorEventsSayWhereAndThatOnlyThePartnerCanUseIt) {
  EXPECT_EQ(ServeEventText({.kind = ServeEventKind::kTorBootstrap, .count = 45}),
            "starting Tor: 45%");
  EXPECT_EQ(
      ServeEventText(
          {.kind = ServeEventKind::kOnionPublished, .host = "abc.onion", .port = node::kOnionPort}),
      "reachable through Tor at abc.onion:47017 (only your partner's attune can use it)");
  EXPECT_EQ(ServeEventText({.kind = ServeEventKind::kPartnerConnectedForOneExchange,
                            .host = std::string(node::kThroughTorHost)}),
            "your partner connected through Tor for one exchange");
  const std::string problem = ServeEventText(
      {.kind = ServeEventKind::kTorProblem,
       .retry_in = std::chrono::seconds(4),
       .problem = Status::NotFound("no tor").WithReason(node::TorReason::kNotInstalled)});
  EXPECT_TRUE(Says(problem, "sudo apt install tor")) << problem;
  EXPECT_TRUE(Says(problem, "Trying again in 4 s; this network keeps working.")) << problem;
  const nlohmann::json json = ServeEventJson(
      {.kind = ServeEventKind::kTorProblem,
       .retry_in = std::chrono::seconds(4),
       .problem = Status::NotFound("no tor").WithReason(node::TorReason::kNotInstalled)});
  EXPECT_EQ(json["event"], "tor_problem");
  EXPECT_EQ(json["retry_in_s"], 4);
  EXPECT_EQ(json["problem"]["exit"], kExitTorUnavailable);
  EXPECT_EQ(ServeEventJson({.kind = ServeEventKind::kTorBootstrap, .count = 100})["percent"], 100);
}

}  // namespace
}  // namespace attune::cli
