// `attune doctor`: one line per check, ok or a problem with what to do, `--json` as an array,
// and the exit code of the first problem. Checked with real homes, a damaged database, and two
// paired homes with and without the partner's serve running.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/loopback.h"
#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using DoctorTest = PartnersTest;

// The line of the plain output for one check ("problem  home       ..."), or "".
std::string LineOf(const std::string& out, const std::string& check) {
  size_t start = 0;
  while (start < out.size()) {
    const size_t end = out.find('\n', start);
    const std::string line = out.substr(start, end - start);
    if (line.size() > 8 && line.compare(8, check.size() + 1, check + " ") == 0) return line;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "";
}

// The check named `name` in `doctor --json` output, or null.
nlohmann::json CheckIn(const nlohmann::json& checks, const std::string& name) {
  for (const nlohmann::json& check : checks) {
    if (check.value("check", "") == name) return check;
  }
  return nullptr;
}

// How many checks in `doctor --json` output are problems.
int ProblemCount(const nlohmann::json& checks) {
  int count = 0;
  for (const nlohmann::json& check : checks) count += check.value("status", "") == "problem";
  return count;
}

TEST_F(DoctorTest, AHealthyHomeThatIsNotPairedYetIsAllWell) {
  InitJournal();
  const RunResult doctor = Run({"doctor"});
  EXPECT_EQ(doctor.exit_code, kExitOk) << doctor;
  EXPECT_EQ(LineOf(doctor.out, "home").rfind("ok ", 0), 0u) << doctor;
  EXPECT_EQ(LineOf(doctor.out, "database").rfind("ok ", 0), 0u) << doctor;
  EXPECT_EQ(LineOf(doctor.out, "unlock").rfind("ok ", 0), 0u) << doctor;
  const nlohmann::json checks = ParseJson(Run({"doctor", "--json"}).out);
  for (const char* check : {"partner", "serve-port", "firewall"}) {
    const std::string line = LineOf(doctor.out, check);
    EXPECT_EQ(line.rfind("skipped ", 0), 0u) << check << "\n" << doctor;
    // Skipped because not paired (its sentence: DoctorMessagesTest in tests/cli).
    EXPECT_EQ(CheckIn(checks, check).value("reason", ""), "not_paired") << checks;
  }
  EXPECT_EQ(LineOf(doctor.out, "seals").rfind("ok ", 0), 0u) << doctor;
  EXPECT_EQ(WithoutNotes(doctor.err), "") << doctor;
}

TEST_F(DoctorTest, JsonIsAnArrayOfEveryCheck) {
  InitJournal();
  const RunResult doctor = Run({"doctor", "--json"});
  EXPECT_EQ(doctor.exit_code, kExitOk) << doctor;
  const nlohmann::json checks = ParseJson(doctor.out);
  ASSERT_TRUE(checks.is_array()) << doctor;
  std::vector<std::string> names;
  for (const nlohmann::json& check : checks) {
    names.push_back(check.value("check", ""));
    EXPECT_TRUE(
        std::set<std::string>({"ok", "problem", "skipped"}).count(check.value("status", "")))
        << check;
    EXPECT_FALSE(check.value("message", "").empty()) << check;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"home", "database", "unlock", "seals", "partner",
                                             "serve-port", "firewall", "tor"}));
  EXPECT_EQ(checks.back()["tor"], "off");  // and so nothing more of Tor is looked at
}

// With Tor on and no tor binary, doctor says so with the exit code of a missing tor, and
// looks no further into Tor.
TEST_F(DoctorTest, TorOnWithoutTorInstalledIsAProblemWithTheInstallCommand) {
  InitJournal();
  ASSERT_EQ(Run({"tor", "on"}).exit_code, kExitOk);
  env["ATTUNE_TOR"] = home() + "/no-such-tor";
  const RunResult doctor = Run({"doctor", "--json"});
  EXPECT_EQ(doctor.exit_code, 19) << doctor;  // kExitTorUnavailable
  const nlohmann::json checks = ParseJson(doctor.out);
  std::map<std::string, std::string> status;
  for (const nlohmann::json& check : checks) status[check["check"]] = check["status"];
  EXPECT_EQ(status["tor"], "ok");
  EXPECT_EQ(status["tor-installed"], "problem");
  EXPECT_EQ(status["tor-bootstrap"], "skipped");
  EXPECT_EQ(status["onion-published"], "skipped");
  EXPECT_EQ(status["partner-onion"], "skipped");
}

TEST_F(DoctorTest, AHomeOpenToOthersIsNamedWithTheChmod) {
  InitJournal();
  ASSERT_EQ(::chmod(home().c_str(), 0755), 0);
  const RunResult doctor = Run({"doctor"});
  EXPECT_EQ(doctor.exit_code, kExitIo) << doctor;
  const std::string line = LineOf(doctor.out, "home");
  EXPECT_EQ(line.rfind("problem ", 0), 0u) << doctor;
  EXPECT_TRUE(Contains(line, home())) << line;
  EXPECT_EQ(LineOf(doctor.out, "database").rfind("ok ", 0), 0u) << doctor;
  EXPECT_FALSE(WithoutNotes(doctor.err).empty()) << "the summary: " << doctor;

  // The chmod to copy is worded from these facts (PermissionWarning, tests/cli).
  const RunResult json = Run({"doctor", "--json"});
  EXPECT_EQ(json.exit_code, kExitIo) << json;
  const nlohmann::json checks = ParseJson(json.out);
  EXPECT_EQ(ProblemCount(checks), 1) << checks;
  const nlohmann::json home_check = CheckIn(checks, "home");
  EXPECT_EQ(home_check.value("exit", 0), kExitIo) << home_check;
  EXPECT_EQ(home_check["open_to_others"],
            nlohmann::json::array({{{"path", home()}, {"mode", "755"}, {"private_mode", "700"}}}))
      << home_check;
}

TEST_F(DoctorTest, NoJournalSaysHowToMakeOne) {
  const RunResult doctor = Run({"doctor", "--json"});
  EXPECT_EQ(doctor.exit_code, kExitNoJournal) << doctor;
  const nlohmann::json home_check = CheckIn(ParseJson(doctor.out), "home");
  EXPECT_EQ(home_check.value("status", ""), "problem") << doctor;
  EXPECT_EQ(home_check.value("reason", ""), "no_journal") << doctor;
  EXPECT_EQ(home_check.value("exit", 0), kExitNoJournal) << doctor;
  EXPECT_FALSE(PathExists(database())) << "doctor must not create a journal";
}

TEST_F(DoctorTest, ADamagedDatabaseFailsTheIntegrityCheck) {
  InitJournal();
  for (int i = 0; i < 20; ++i) Add("note", std::string(1000, static_cast<char>('a' + i % 26)));
  ASSERT_FALSE(PathExists(database() + "-wal"));
  std::string damaged = ReadFile(database());
  for (size_t i = damaged.size() / 3; i < damaged.size() * 2 / 3; ++i) {
    damaged[i] = static_cast<char>(i * 131 + 7);
  }
  WriteFile(database(), damaged);
  const RunResult doctor = Run({"doctor"});
  EXPECT_EQ(doctor.exit_code, kExitDataProblem) << doctor;
  const std::string line = LineOf(doctor.out, "database");
  EXPECT_EQ(line.rfind("problem ", 0), 0u) << doctor;
  const nlohmann::json checked = CheckIn(ParseJson(Run({"doctor", "--json"}).out), "database");
  EXPECT_EQ(checked.value("status", ""), "problem") << checked;
  EXPECT_EQ(checked.value("exit", 0), kExitDataProblem) << checked;
  EXPECT_TRUE(ReadFile(database()) == damaged) << "doctor must not change a damaged database";
}

TEST_F(DoctorTest, APartnerWhoseServeRunsIsReachable) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  BackgroundProcess serve = Serve(alex_);
  const RunResult doctor = RunAt(sam_, {"doctor", "--json"});
  const nlohmann::json checks = ParseJson(doctor.out);
  const nlohmann::json partner = CheckIn(checks, "partner");
  EXPECT_EQ(partner.value("status", ""), "ok") << doctor;
  EXPECT_TRUE(Contains(partner.value("address", ""), "127.0.0.1:")) << partner;
  EXPECT_GE(partner.value("round_trip_ms", -1), 0) << partner;
  // Sam's own serve port is free: fine (the hint to keep serve running: tests/cli).
  EXPECT_EQ(CheckIn(checks, "serve-port").value("status", ""), "ok") << doctor;
  EXPECT_EQ(CheckIn(checks, "serve-port").value("used_by", ""), "nobody") << doctor;
  if (CheckIn(checks, "firewall").value("status", "") != "problem") {
    EXPECT_EQ(doctor.exit_code, kExitOk) << doctor;
  }

  // On Alex's side, the port is held by the running serve, which is how it should be.
  const nlohmann::json alex_checks = ParseJson(RunAt(alex_, {"doctor", "--json"}).out);
  const nlohmann::json port = CheckIn(alex_checks, "serve-port");
  EXPECT_EQ(port.value("status", ""), "ok") << port;
  EXPECT_EQ(port.value("used_by", ""), "attune_serve") << port;
  EXPECT_EQ(port.value("serve_pid", 0), serve.pid()) << port;
  Stop(serve);
}

TEST_F(DoctorTest, APartnerWhoIsDownIsUnreachableWithHints) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  const RunResult doctor = RunAt(sam_, {"doctor"});
  EXPECT_EQ(doctor.exit_code, kExitUnreachable) << doctor;
  EXPECT_EQ(LineOf(doctor.out, "partner").rfind("problem ", 0), 0u) << doctor;
  EXPECT_FALSE(WithoutNotes(doctor.err).empty()) << "the summary: " << doctor;
  // The hints (serve, ufw, firewalld) are worded for this port: DoctorMessagesTest in tests/cli.
  const nlohmann::json partner =
      CheckIn(ParseJson(RunAt(sam_, {"doctor", "--json"}).out), "partner");
  EXPECT_EQ(partner.value("status", ""), "problem") << partner;
  EXPECT_EQ(partner.value("exit", 0), kExitUnreachable) << partner;
  EXPECT_EQ(partner.value("port", 0), alex_port_) << partner;
}

TEST_F(DoctorTest, AServePortTakenByAnotherProgramIsAProblem) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  const int squatter = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(squatter, 0);
  sockaddr_in address = LoopbackAddress(sam_port_);
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  ASSERT_EQ(::bind(squatter, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(squatter, 1), 0);
  const RunResult doctor = RunAt(sam_, {"doctor", "--json"});
  ::close(squatter);
  const nlohmann::json port = CheckIn(ParseJson(doctor.out), "serve-port");
  EXPECT_EQ(port.value("status", ""), "problem") << doctor;
  EXPECT_EQ(port.value("used_by", ""), "other") << port;
  EXPECT_EQ(port.value("exit", 0), kExitUsage) << port;
  EXPECT_NE(doctor.exit_code, kExitOk) << doctor;
}

// Issue 19, bug 3: with serve listening on another port, doctor said serve was not running.
TEST_F(DoctorTest, AServeListeningElsewhereIsSeenRunningOnTheJournal) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  BackgroundProcess serve =
      StartAt(sam_, {"serve", "--json", "--listen", "127.0.0.1:0", "--no-discovery"});
  ASSERT_TRUE(serve.ReadLineContaining(ServeEvent("listening"), kStep)) << serve.Wait(kStep);
  const nlohmann::json port =
      CheckIn(ParseJson(RunAt(sam_, {"doctor", "--json"}).out), "serve-port");
  EXPECT_EQ(port.value("status", ""), "ok") << port;
  EXPECT_TRUE(port.value("node_here", false)) << port;
  Stop(serve);
}

// Issue 19, bug 3: doctor called the partner unreachable while a live session was up.
TEST_F(DoctorTest, ALiveSessionIsReportedAsSuch) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  BackgroundProcess alex_serve = Serve(alex_);
  BackgroundProcess sam_serve = Serve(sam_);
  ASSERT_TRUE(alex_serve.ReadLineContaining("\"event\":\"partner_", kStep)) << alex_serve.skipped();
  const nlohmann::json partner =
      CheckIn(ParseJson(RunAt(alex_, {"doctor", "--json"}).out), "partner");
  EXPECT_EQ(partner.value("status", ""), "ok") << partner;
  EXPECT_TRUE(partner.value("live_session", false)) << partner;
  Stop(sam_serve);
  Stop(alex_serve);
}

}  // namespace
}  // namespace attune::e2e
