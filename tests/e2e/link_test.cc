// The link between two partners, end to end: two (or four) real attune processes on loopback,
// each with its own home, pairing with a code, then `serve` on one side and `ping` from the
// other. Everything is observed from outside: exit codes, the first line `pair` prints,
// `partner --json`, the lines `serve` prints, and raw TCP connections that are not attune.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/background_process.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/loopback.h"
#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using SteadyClock = std::chrono::steady_clock;

// Exit codes of pairing, from docs/guide.md and cli/exit_codes.h (the link's are in partners.h).
inline constexpr int kExitAlreadyPaired = kExitNoJournal;  // kAlreadyExists shares 7 with init
inline constexpr int kExitCodeMismatch = kExitWrongPassphrase;

// The guide's example code (docs/guide.md): well-formed, made of words from attune's list.
constexpr const char* kExampleCode = "7-maple-lagoon-violet";

// `code` with its last word changed to another word from the list; the channel stays.
std::string WithOtherLastWord(const std::string& code) {
  const size_t dash = code.rfind('-');
  const std::string last = code.substr(dash + 1);
  return code.substr(0, dash + 1) + (last == "maple" ? "lagoon" : "maple");
}

// `pair` waiting for its partner, and the offer it printed.
struct Invitation {
  BackgroundProcess inviter;
  std::string code;
  std::string address;
};

class LinkTest : public PartnersTest {
 protected:
  nlohmann::json PartnerJson(const std::string& home) {
    const RunResult shown = RunAt(home, {"partner", "--json"});
    EXPECT_EQ(shown.exit_code, kExitOk) << shown;
    return ParseJson(shown.out);
  }

  // Starts `pair --json` in `home` on an OS-chosen loopback port and reads the offer from its
  // first line. On failure records it and returns an empty code.
  Invitation Invite(const std::string& home, uint16_t serve_port) {
    Invitation invitation{StartAt(home, {"pair", "--listen", "127.0.0.1:0", "--serve-port",
                                         std::to_string(serve_port), "--json"}),
                          "", ""};
    const std::optional<std::string> first = invitation.inviter.ReadLine(kStep);
    if (!first) {
      ADD_FAILURE() << "pair showed no code\n" << invitation.inviter.Wait(kStep);
      return invitation;
    }
    const nlohmann::json offer = ParseJson(*first);
    if (offer.is_object() && offer.contains("code") && offer.contains("address")) {
      invitation.code = offer["code"].get<std::string>();
      invitation.address = offer["address"].get<std::string>();
    } else {
      ADD_FAILURE() << "not an offer: " << *first;
    }
    return invitation;
  }

  RunResult Join(const std::string& home, const Invitation& invitation, const std::string& code,
                 uint16_t serve_port) {
    return RunAt(home, {"pair", "--join", code, "--to", invitation.address, "--serve-port",
                        std::to_string(serve_port), "--json"});
  }
};

TEST_F(LinkTest, PairingWithTheRightCodeStoresEachOtherOnBothSides) {
  const std::string alex = NewHome("Alex");
  const std::string sam = NewHome("Sam");
  const uint16_t alex_port = UnusedLoopbackPort();
  const uint16_t sam_port = UnusedLoopbackPort();

  Invitation invitation = Invite(alex, alex_port);
  ASSERT_FALSE(invitation.code.empty());
  EXPECT_EQ(invitation.address.rfind("127.0.0.1:", 0), 0u) << invitation.address;
  const RunResult joined = Join(sam, invitation, invitation.code, sam_port);
  ASSERT_EQ(joined.exit_code, kExitOk) << joined;
  const RunResult invited = invitation.inviter.Wait(kStep);
  ASSERT_EQ(invited.exit_code, kExitOk) << invited;

  // What each side printed once paired: the other's name and the same safety number.
  const nlohmann::json sam_saw = ParseJson(joined.out);
  const nlohmann::json alex_saw = ParseJson(invited.out.substr(invited.out.find('\n') + 1));
  EXPECT_EQ(sam_saw["partner"], "Alex");
  EXPECT_EQ(alex_saw["partner"], "Sam");
  EXPECT_EQ(sam_saw["safety_number"], alex_saw["safety_number"]);

  const nlohmann::json alex_partner = PartnerJson(alex);
  const nlohmann::json sam_partner = PartnerJson(sam);
  EXPECT_EQ(alex_partner["partner"], "Sam");
  EXPECT_EQ(sam_partner["partner"], "Alex");
  EXPECT_EQ(alex_partner["safety_number"], sam_partner["safety_number"]);
  EXPECT_EQ(alex_partner["safety_number"], alex_saw["safety_number"]);
  EXPECT_EQ(alex_partner["fingerprint"], sam_partner["own_fingerprint"]);
  EXPECT_EQ(sam_partner["fingerprint"], alex_partner["own_fingerprint"]);
  EXPECT_NE(alex_partner["own_fingerprint"], sam_partner["own_fingerprint"]);
  EXPECT_EQ(alex_partner["last_address"], "127.0.0.1:" + std::to_string(sam_port));
  EXPECT_EQ(sam_partner["last_address"], "127.0.0.1:" + std::to_string(alex_port));
  EXPECT_TRUE(alex_partner["last_contact"].is_null()) << alex_partner;
  // Each learned where the other is reached through Tor, sealed in the pairing (issue 17).
  EXPECT_EQ(alex_partner["partner_onion_address"], sam_partner["onion_address"]);
  EXPECT_EQ(sam_partner["partner_onion_address"], alex_partner["onion_address"]);
  EXPECT_NE(alex_partner["onion_address"], sam_partner["onion_address"]);
  EXPECT_EQ(alex_partner["onion_address"].get<std::string>().size(), 56u + 6u);
  EXPECT_EQ(PartnerJson(alex)["onion_address"], alex_partner["onion_address"]);  // stable
}

TEST_F(LinkTest, TheCodeCanBeReadFromStandardInputToKeepItOutOfTheProcessList) {
  const std::string alex = NewHome("Alex");
  const std::string sam = NewHome("Sam");
  Invitation invitation = Invite(alex, UnusedLoopbackPort());
  ASSERT_FALSE(invitation.code.empty());
  const RunResult joined =
      Run({"--home", sam, "pair", "--join", "-", "--to", invitation.address, "--json"},
          invitation.code + "\n");
  ASSERT_EQ(joined.exit_code, kExitOk) << joined;
  EXPECT_EQ(invitation.inviter.Wait(kStep).exit_code, kExitOk);
  EXPECT_EQ(PartnerJson(sam)["partner"], "Alex");
}

TEST_F(LinkTest, WrongCodeFailsOnBothSidesStoresNothingAndUsesTheCodeUp) {
  const std::string alex = NewHome("Alex");
  const std::string sam = NewHome("Sam");
  Invitation invitation = Invite(alex, UnusedLoopbackPort());
  ASSERT_FALSE(invitation.code.empty());

  const RunResult joined =
      Join(sam, invitation, WithOtherLastWord(invitation.code), UnusedLoopbackPort());
  // Exit 5 is also a wrong passphrase's; these journals have none.
  EXPECT_EQ(joined.exit_code, kExitCodeMismatch) << joined;
  const RunResult invited = invitation.inviter.Wait(kStep);
  EXPECT_EQ(invited.exit_code, kExitCodeMismatch) << invited;

  EXPECT_TRUE(PartnerJson(alex)["partner"].is_null());
  EXPECT_TRUE(PartnerJson(sam)["partner"].is_null());
  // One guess only: the inviter is gone, so even the right code finds nobody.
  const RunResult again = Join(sam, invitation, invitation.code, UnusedLoopbackPort());
  EXPECT_EQ(again.exit_code, kExitUnreachable) << again;
  EXPECT_TRUE(PartnerJson(sam)["partner"].is_null());
}

TEST_F(LinkTest, InviterIgnoresGarbageConnectionsAndKeepsWaiting) {
  const std::string alex = NewHome("Alex");
  const std::string sam = NewHome("Sam");
  Invitation invitation = Invite(alex, UnusedLoopbackPort());
  ASSERT_FALSE(invitation.code.empty());

  const std::vector<std::string> garbage = {
      std::string("\x00\x05hello junk junk", 16),  // a frame that is no pairing message
      std::string("\xff\xff", 2) + "short",        // a frame cut off by the close
      std::string("\x00\x00", 2),                  // an empty frame
      "GET / HTTP/1.0\r\n\r\n",                    // another protocol
      "",                                          // connect and close (a port scan)
  };
  for (const std::string& bytes : garbage) {
    RawConnection stray(PortOf(invitation.address));
    ASSERT_TRUE(stray.connected());
    stray.Send(bytes);
    stray.ShutdownWrite();
    EXPECT_TRUE(stray.ClosedByPeerWithin(kStep)) << "after " << bytes.size() << " bytes";
    EXPECT_TRUE(invitation.inviter.Running()) << invitation.inviter.Wait(kStep);
  }

  const RunResult joined = Join(sam, invitation, invitation.code, UnusedLoopbackPort());
  EXPECT_EQ(joined.exit_code, kExitOk) << joined;
  const RunResult invited = invitation.inviter.Wait(kStep);
  EXPECT_EQ(invited.exit_code, kExitOk) << invited;
  EXPECT_EQ(PartnerJson(alex)["partner"], "Sam");
}

TEST_F(LinkTest, PairingWhenAlreadyPairedChangesNothingUntilUnpair) {
  const std::string alex = NewHome("Alex");
  const std::string sam = NewHome("Sam");
  ASSERT_NO_FATAL_FAILURE(Pair(alex, UnusedLoopbackPort(), sam, UnusedLoopbackPort()));
  const nlohmann::json before = PartnerJson(alex);

  const RunResult invite = RunAt(alex, {"pair", "--listen", "127.0.0.1:0", "--json"});
  EXPECT_EQ(invite.exit_code, kExitAlreadyPaired) << invite;
  // No code may be shown: the only output is the failure.
  EXPECT_EQ(ParseJson(invite.out).size(), 1u) << invite;
  EXPECT_EQ(FailureReason(invite), "pairing_already_paired") << invite;
  const RunResult join = RunAt(alex, {"pair", "--join", kExampleCode, "--to", "127.0.0.1:1"});
  EXPECT_EQ(join.exit_code, kExitAlreadyPaired) << join;
  EXPECT_EQ(PartnerJson(alex), before);

  const RunResult unpaired = RunAt(alex, {"unpair", "--delete", "--yes"});
  EXPECT_EQ(unpaired.exit_code, kExitOk) << unpaired;
  const nlohmann::json after = PartnerJson(alex);
  EXPECT_TRUE(after["partner"].is_null()) << after;
  EXPECT_EQ(after["own_fingerprint"], before["own_fingerprint"]) << "the identity stays";
  const RunResult twice = RunAt(alex, {"unpair", "--delete", "--yes"});
  EXPECT_EQ(twice.exit_code, kExitNotPaired) << twice;
  EXPECT_EQ(PartnerJson(sam)["partner"], "Alex") << "unpair is local";
}

TEST_F(LinkTest, PingReachesThePartnersServeAndRecordsTheContact) {
  const std::string alex = NewHome("Alex");
  const std::string sam = NewHome("Sam");
  const uint16_t alex_port = UnusedLoopbackPort();
  ASSERT_NO_FATAL_FAILURE(Pair(alex, alex_port, sam, UnusedLoopbackPort()));
  BackgroundProcess serve = Serve(alex);
  ASSERT_FALSE(HasFailure());

  const RunResult ping = RunAt(sam, {"ping", "--json"});
  ASSERT_EQ(ping.exit_code, kExitOk) << ping;
  const nlohmann::json timing = ParseJson(ping.out);
  EXPECT_EQ(timing["address"], "127.0.0.1:" + std::to_string(alex_port));
  EXPECT_GT(timing["round_trip_us"].get<int64_t>(), 0) << timing;
  EXPECT_GT(timing["handshake_us"].get<int64_t>(), 0) << timing;
  const std::optional<std::string> connected =
      serve.ReadLineContaining(ServeEvent("partner_connected_once"), kStep);
  EXPECT_TRUE(connected.has_value()) << serve.skipped();

  const nlohmann::json sam_partner = PartnerJson(sam);
  EXPECT_TRUE(sam_partner["last_contact"].is_string()) << sam_partner;
  // serve remembers the contact too, and its journal stays readable while it runs.
  EXPECT_TRUE(PartnerJson(alex)["last_contact"].is_string());

  // Without --json: one line, with the address reached (its words: tests/cli, PingText).
  const RunResult text = RunAt(sam, {"ping"});
  EXPECT_EQ(text.exit_code, kExitOk) << text;
  EXPECT_EQ(std::count(text.out.begin(), text.out.end(), '\n'), 1) << text;
  EXPECT_TRUE(Contains(text.out, timing["address"].get<std::string>())) << text;

  // --via HOST:PORT is --to by another name; a word that is neither lan nor onion is refused,
  // as is an address given both ways.
  const std::string at = "127.0.0.1:" + std::to_string(alex_port);
  const RunResult via = RunAt(sam, {"ping", "--via", at, "--json"});
  ASSERT_EQ(via.exit_code, kExitOk) << via;
  EXPECT_EQ(ParseJson(via.out)["address"], at);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"ping", "--via", "tor"}, {"ping", "--to", at, "--via", "lan"}}) {
    const RunResult refused = RunAt(sam, args);
    EXPECT_EQ(refused.exit_code, kExitUsage) << refused;
  }
  Stop(serve);
}

TEST_F(LinkTest, StrangerIsRejectedAndServeKeepsServingThePartner) {
  const std::string alex = NewHome("Alex");
  const std::string sam = NewHome("Sam");
  const std::string chris = NewHome("Chris");
  const std::string dana = NewHome("Dana");
  const uint16_t alex_port = UnusedLoopbackPort();
  ASSERT_NO_FATAL_FAILURE(Pair(alex, alex_port, sam, UnusedLoopbackPort()));
  ASSERT_NO_FATAL_FAILURE(Pair(chris, UnusedLoopbackPort(), dana, UnusedLoopbackPort()));
  const nlohmann::json chris_before = PartnerJson(chris);
  const std::string alex_fingerprint = PartnerJson(alex)["own_fingerprint"];
  BackgroundProcess serve = Serve(alex);
  ASSERT_FALSE(HasFailure());

  const RunResult stranger =
      RunAt(chris, {"ping", "--to", "127.0.0.1:" + std::to_string(alex_port), "--json"});
  EXPECT_EQ(stranger.exit_code, kExitUnknownPeer) << stranger;
  EXPECT_EQ(FailureReason(stranger), "link_not_answered") << stranger;
  // Alex's serve answered nothing, so the stranger learned nothing of Alex: not its key.
  EXPECT_FALSE(Contains(stranger.err + stranger.out, alex_fingerprint)) << stranger;
  EXPECT_EQ(PartnerJson(chris), chris_before) << "a failed ping remembers nothing";

  const std::optional<std::string> closed =
      serve.ReadLineContaining(ServeEvent("connection_closed"), kStep);
  EXPECT_TRUE(closed.has_value()) << serve.skipped();
  EXPECT_FALSE(Contains(serve.skipped(), ServeEvent("partner_connected"))) << serve.skipped();
  EXPECT_FALSE(Contains(serve.skipped(), ServeEvent("partner_connected_once"))) << serve.skipped();
  ASSERT_TRUE(serve.Running()) << serve.Wait(kStep);

  const RunResult partner = RunAt(sam, {"ping"});
  EXPECT_EQ(partner.exit_code, kExitOk) << partner;
  EXPECT_TRUE(serve.ReadLineContaining(ServeEvent("partner_connected_once"), kStep).has_value())
      << serve.skipped();
  Stop(serve);
}

TEST_F(LinkTest, PingAndPairReportUsageAndReachabilityErrors) {
  const std::string alone = NewHome("Robin");
  const uint16_t closed_port = UnusedLoopbackPort();
  const std::string closed = "127.0.0.1:" + std::to_string(closed_port);
  EXPECT_EQ(RunAt(alone, {"ping"}).exit_code, kExitNotPaired);
  EXPECT_EQ(RunAt(alone, {"ping", "--to", closed}).exit_code, kExitNotPaired);

  const std::string alex = NewHome("Alex");
  const std::string sam = NewHome("Sam");
  // Nobody serves on Alex's port: the address Sam remembers leads nowhere.
  ASSERT_NO_FATAL_FAILURE(Pair(alex, closed_port, sam, UnusedLoopbackPort()));
  const RunResult to_last = RunAt(sam, {"ping"});
  EXPECT_EQ(to_last.exit_code, kExitUnreachable) << to_last;
  const RunResult to_closed = RunAt(sam, {"ping", "--to", closed});
  EXPECT_EQ(to_closed.exit_code, kExitUnreachable) << to_closed;
  EXPECT_TRUE(PartnerJson(sam)["last_contact"].is_null());

  for (const char* bad : {"127.0.0.1:99999", "127.0.0.1:port", "127.0.0.1:-1", ""}) {
    const RunResult result = RunAt(sam, {"ping", "--to", bad});
    EXPECT_EQ(result.exit_code, kExitUsage) << "--to '" << bad << "'\n" << result;
  }
  const std::vector<std::vector<std::string>> bad_joins = {
      {"pair", "--join", "garbage", "--to", closed},
      {"pair", "--join", "7-maple-lagoon", "--to", closed},
      {"pair", "--join", "7-maple-lagoon-notaword", "--to", closed},
      {"pair", "--join", "x-maple-lagoon-violet", "--to", closed},
      {"pair", "--join", kExampleCode, "--no-discovery"},  // no --to and no way to find it
      {"pair", "--to", closed},
      {"pair", "--join", kExampleCode, "--to", closed, "--listen", "127.0.0.1:0"},
      {"pair", "--onion", "--join", kExampleCode},
      {"pair", "--onion", "--listen", "127.0.0.1:0"},
  };
  for (const std::vector<std::string>& args : bad_joins) {
    const RunResult result = RunAt(alone, args);
    EXPECT_EQ(result.exit_code, kExitUsage) << result;
  }
  EXPECT_TRUE(PartnerJson(alone)["partner"].is_null());
  // A mistyped onion address is caught before any tor starts, and Tor stays off.
  const std::string typo(56, 'a');
  const RunResult mistyped =
      RunAt(alone, {"pair", "--join", kExampleCode, "--to", typo + ".onion:47016", "--json"});
  EXPECT_EQ(mistyped.exit_code, kExitUsage) << mistyped;
  EXPECT_EQ(FailureReason(mistyped), "pairing_not_an_onion_address") << mistyped;
  EXPECT_FALSE(std::filesystem::exists(alone + "/tor"));
}

TEST_F(LinkTest, ServeDropsAPeerThatSaysNothing) {
  const std::string alex = NewHome("Alex");
  const std::string sam = NewHome("Sam");
  const uint16_t alex_port = UnusedLoopbackPort();
  ASSERT_NO_FATAL_FAILURE(Pair(alex, alex_port, sam, UnusedLoopbackPort()));
  // The default handshake timeout is 15 s; one second shows the same behaviour faster.
  BackgroundProcess serve = Serve(alex, {"--handshake-timeout", "1"});
  ASSERT_FALSE(HasFailure());

  const auto start = SteadyClock::now();
  RawConnection silent(alex_port);
  ASSERT_TRUE(silent.connected());
  // The silent peer holds up nobody else meanwhile.
  const RunResult ping = RunAt(sam, {"ping"});
  EXPECT_EQ(ping.exit_code, kExitOk) << ping;
  EXPECT_TRUE(silent.ClosedByPeerWithin(kStep));
  const auto waited = SteadyClock::now() - start;
  EXPECT_GE(waited, milliseconds(900));
  EXPECT_LT(waited, seconds(5));
  const std::optional<std::string> closed =
      serve.ReadLineContaining(ServeEvent("connection_closed"), kStep);
  ASSERT_TRUE(closed.has_value()) << serve.skipped();
  EXPECT_EQ(nlohmann::json::parse(*closed)["problem"]["exit"], kExitStoppedAnswering) << *closed;
  EXPECT_TRUE(serve.Running());
  Stop(serve);
}

// docs/guide.md promises serve's lines never name anyone: they say "your partner" (worded in
// cli, tests/cli/serve_messages_test.cc). Its lines as a person reads them, from a listening
// serve through a sync and a ping to its stop, hold neither partner's name.
TEST_F(LinkTest, ServesLinesNeverNameThePartner) {
  const std::string alex = NewHome("Quillon Ashgrove");
  const std::string sam = NewHome("Tavia Brookhollow");
  ASSERT_NO_FATAL_FAILURE(Pair(alex, UnusedLoopbackPort(), sam, UnusedLoopbackPort()));
  BackgroundProcess serve = StartAt(alex, {"serve", "--listen", "127.0.0.1"});
  const std::optional<std::string> listening = serve.ReadLine(kStep);  // its first line
  ASSERT_TRUE(listening.has_value()) << serve.Wait(kStep);
  EXPECT_EQ(RunAt(sam, {"sync"}).exit_code, kExitOk);
  // The connection's line is written before the exchange ends, so it is there to be read.
  const std::optional<std::string> connected = serve.ReadLine(kStep);
  ASSERT_TRUE(connected.has_value()) << serve.Wait(kStep);
  EXPECT_EQ(RunAt(sam, {"ping"}).exit_code, kExitOk);
  ASSERT_TRUE(serve.Signal(SIGTERM));
  const RunResult stopped = serve.Wait(kStep);
  const std::string everything =
      *listening + "\n" + *connected + "\n" + serve.skipped() + stopped.out + stopped.err;
  for (const char* name : {"Quillon", "Ashgrove", "Tavia", "Brookhollow"}) {
    EXPECT_FALSE(Contains(everything, name)) << name << " in:\n" << everything;
  }
}

TEST_F(LinkTest, ServeStopsCleanlyOnSigtermAndSigint) {
  const std::string alex = NewHome("Alex");
  const std::string sam = NewHome("Sam");
  ASSERT_NO_FATAL_FAILURE(Pair(alex, UnusedLoopbackPort(), sam, UnusedLoopbackPort()));
  for (const int signal : {SIGTERM, SIGINT}) {
    BackgroundProcess serve = Serve(alex);
    ASSERT_FALSE(HasFailure());
    ASSERT_TRUE(serve.Signal(signal));
    const RunResult stopped = serve.Wait(kStep);
    EXPECT_EQ(stopped.exit_code, kExitOk) << "signal " << signal << "\n" << stopped;
    EXPECT_TRUE(Contains(stopped.out, ServeEvent("stopping"))) << stopped;
  }
  // Without a partner there is nobody to serve.
  const RunResult unpaired = RunAt(NewHome("Robin"), {"serve", "--listen", "127.0.0.1:0"});
  EXPECT_EQ(unpaired.exit_code, kExitNotPaired) << unpaired;
}

}  // namespace
}  // namespace attune::e2e
