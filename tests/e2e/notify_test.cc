// Desktop notifications for real (issue 20): a private D-Bus session bus (Debian's dbus-daemon)
// in the test's own runtime folder, a tiny notification daemon on it that records each Notify
// call (notification_server.py), Debian's notify-send run by the real `attune serve`, and the
// partner sharing while serve runs. What reached the daemon is read up to a marker notification
// the test sends itself once serve has ended (serve waits for its notify-send children, and the
// bus delivers in order), so nothing here waits on a timer.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

constexpr const char* kDbusDaemon = "/usr/bin/dbus-daemon";
constexpr const char* kNotifySend = "/usr/bin/notify-send";
constexpr const char* kDebianPython = "/usr/bin/python3";
constexpr const char* kMarker = "attune-test-marker";
// Words of the partner's entries and the partner's name: never in a neutral notification.
constexpr const char* kSecretWords = "lighthouse-quiet-harbour";

struct Notification {
  std::string app, summary, body;
};

class NotifyTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    for (const char* tool : {kDbusDaemon, kNotifySend, kDebianPython}) {
      if (!std::filesystem::exists(tool)) GTEST_SKIP() << tool << " is not installed (./dev.sh)";
    }
    ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  }

  // A session bus at $XDG_RUNTIME_DIR/bus, where the systemd user bus would be: attune and
  // notify-send find it there without DBUS_SESSION_BUS_ADDRESS.
  void StartBus() {
    bus_.emplace(RunRequest{kDbusDaemon,
                            {"--session", "--nofork", "--print-address",
                             "--address=unix:path=" + runtime_dir() + "/bus"},
                            env,
                            ""});
    ASSERT_EQ(bus_->failure(), "");
    const std::optional<std::string> address = bus_->ReadLine(kStep);
    ASSERT_TRUE(address.has_value()) << bus_->Wait(kStep);
    bus_address_ = *address;
  }

  void StartDaemon() {
    Environment with_bus = env;
    with_bus["DBUS_SESSION_BUS_ADDRESS"] = bus_address_;
    daemon_.emplace(RunRequest{kDebianPython, {NOTIFICATION_SERVER}, with_bus, ""});
    const std::optional<std::string> ready = daemon_->ReadLineContaining("ready", kStep);
    ASSERT_TRUE(ready.has_value()) << daemon_->Wait(kStep);
  }

  // Everything the daemon received before the marker this sends now.
  std::vector<Notification> Received() {
    std::vector<Notification> received;
    Environment with_bus = env;
    with_bus["DBUS_SESSION_BUS_ADDRESS"] = bus_address_;
    const RunResult marked = RunProcess({kNotifySend, {kMarker}, with_bus, "", kStep});
    EXPECT_EQ(marked.exit_code, 0) << marked;
    while (std::optional<std::string> line = daemon_->ReadLine(kStep)) {
      std::vector<std::string> fields;
      size_t start = 0;
      for (size_t tab = line->find('\t'); tab != std::string::npos; tab = line->find('\t', start)) {
        fields.push_back(line->substr(start, tab - start));
        start = tab + 1;
      }
      fields.push_back(line->substr(start));
      if (fields.size() != 4) continue;
      if (fields[2] == kMarker) return received;
      received.push_back({fields[1], fields[2], fields[3]});
    }
    ADD_FAILURE() << "the marker never reached the daemon";
    return received;
  }

  // Sam shares one new need and syncs with Alex's serve.
  void SamSharesOne() {
    AddAt(sam_, "need", std::string(kSecretWords) + " once more", {"--share", "--yes"});
    const RunResult synced = RunAt(sam_, {"sync"});
    EXPECT_EQ(synced.exit_code, kExitOk) << synced;
  }

  // serve's JSON lines of `kind`.
  static std::vector<nlohmann::json> Events(const RunResult& serve, const std::string& kind) {
    std::vector<nlohmann::json> found;
    size_t start = 0;
    while (start < serve.out.size()) {
      size_t end = serve.out.find('\n', start);
      if (end == std::string::npos) end = serve.out.size();
      const nlohmann::json line =
          nlohmann::json::parse(serve.out.substr(start, end - start), nullptr, false);
      if (line.is_object() && line.value("event", "") == kind) found.push_back(line);
      start = end + 1;
    }
    return found;
  }

  std::optional<BackgroundProcess> bus_;
  std::optional<BackgroundProcess> daemon_;
  std::string bus_address_;
};

TEST_F(NotifyTest, ABurstOfFiveHundredEntriesGivesOneNeutralNotification) {
  ASSERT_NO_FATAL_FAILURE(StartBus());
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  std::vector<std::string> ids;
  WriteFile(
      PathIn("burst.json"),
      SharedNeedsExport(
          500, "6b",
          [](int i) { return std::string(kSecretWords) + " number " + std::to_string(i); }, ids));
  const RunResult imported = RunAt(sam_, {"import", PathIn("burst.json")});
  ASSERT_EQ(imported.exit_code, kExitOk) << imported;

  BackgroundProcess serve = Serve(alex_);
  const RunResult synced = RunAt(sam_, {"sync"});
  ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  Stop(serve);
  const RunResult served = serve.Wait(kStep);

  uint64_t arrived = 0;
  for (const nlohmann::json& news : Events(served, "partner_news")) {
    arrived += news["count"].get<uint64_t>();
  }
  EXPECT_EQ(arrived, 500u) << served.out;
  EXPECT_TRUE(Events(served, "notifications_unavailable").empty()) << served.out;
  const std::vector<Notification> received = Received();
  ASSERT_EQ(received.size(), 1u) << served.out;
  EXPECT_EQ(received[0].app, "attune");
  EXPECT_EQ(received[0].summary, "attune: something new");
  EXPECT_EQ(received[0].body, "");
  for (const std::string& field : {received[0].summary, received[0].body}) {
    EXPECT_FALSE(Contains(field, kSecretWords)) << field;
    EXPECT_FALSE(Contains(field, "Sam")) << field;
  }
}

TEST_F(NotifyTest, WithNameAddsThePartnersNameAndStillNoContent) {
  ASSERT_NO_FATAL_FAILURE(StartBus());
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ASSERT_EQ(JsonAt(alex_, {"notify", "with-name"})["notify"], "with-name");
  env["DBUS_SESSION_BUS_ADDRESS"] = bus_address_;  // the other way of finding the bus
  BackgroundProcess serve = Serve(alex_);
  SamSharesOne();
  Stop(serve);
  const std::vector<Notification> received = Received();
  ASSERT_EQ(received.size(), 1u) << serve.Wait(kStep).out;
  EXPECT_EQ(received[0].summary, "attune: something new from Sam");
  EXPECT_FALSE(Contains(received[0].summary + received[0].body, kSecretWords));
}

TEST_F(NotifyTest, OffShowsNothing) {
  ASSERT_NO_FATAL_FAILURE(StartBus());
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ASSERT_EQ(JsonAt(alex_, {"notify", "off"})["notify"], "off");
  BackgroundProcess serve = Serve(alex_);
  SamSharesOne();
  Stop(serve);
  const RunResult served = serve.Wait(kStep);
  EXPECT_EQ(Events(served, "partner_news").size(), 1u) << served.out;
  EXPECT_TRUE(Events(served, "notifications_unavailable").empty()) << served.out;
  EXPECT_TRUE(Received().empty());
}

TEST_F(NotifyTest, WithoutABusServeSyncsAndSaysOnceThatNotificationsAreUnavailable) {
  BackgroundProcess serve = Serve(alex_);
  SamSharesOne();
  SamSharesOne();
  Stop(serve);
  const RunResult served = serve.Wait(kStep);
  EXPECT_EQ(Events(served, "partner_news").size(), 2u) << served.out;
  const std::vector<nlohmann::json> unavailable = Events(served, "notifications_unavailable");
  ASSERT_EQ(unavailable.size(), 1u) << served.out;
  EXPECT_EQ(unavailable[0]["problem"]["reason"], 570) << "no session bus";
  EXPECT_EQ(ListIds(alex_, {"--partner"}).size(), 2u) << "sync goes on";
}

TEST_F(NotifyTest, WithoutANotificationDaemonServeSaysSoOnceInWords) {
  ASSERT_NO_FATAL_FAILURE(StartBus());  // a bus, but nobody shows notifications on it
  BackgroundProcess serve = StartAt(alex_, {"serve", "--listen", "127.0.0.1"});
  ASSERT_TRUE(serve.ReadLineContaining("listening on", kStep).has_value()) << serve.Wait(kStep);
  SamSharesOne();
  const std::optional<std::string> said =
      serve.ReadLineContaining("desktop notifications are unavailable", kStep);
  ASSERT_TRUE(said.has_value()) << serve.skipped();
  EXPECT_TRUE(Contains(*said, "notify-send could not show it")) << *said;
  Stop(serve);
  const RunResult served = serve.Wait(kStep);
  size_t lines = 0;
  for (size_t at = served.out.find("notifications are unavailable"); at != std::string::npos;
       at = served.out.find("notifications are unavailable", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 1u) << served.out;
}

TEST_F(NotifyTest, TheCheckinReminderIsShownWithoutOpeningTheJournal) {
  ASSERT_NO_FATAL_FAILURE(StartBus());
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  // A home without a journal: the reminder needs none, and no passphrase.
  env["ATTUNE_HOME"] = PathIn("nowhere");
  const RunResult shown = Run({"checkin-reminder", "--json"});
  ASSERT_EQ(shown.exit_code, kExitOk) << shown;
  EXPECT_EQ(ParseJson(shown.out)["shown"], true);
  const std::vector<Notification> received = Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].summary,
            "attune: a moment for your weekly check-in, whenever it suits you");
  EXPECT_FALSE(std::filesystem::exists(PathIn("nowhere"))) << "no journal was made";
}

TEST_F(NotifyTest, TheCheckinReminderWithoutABusFailsWithExit13) {
  const RunResult shown = Run({"checkin-reminder"});
  EXPECT_EQ(shown.exit_code, kExitUnreachable) << shown;
  EXPECT_TRUE(Contains(shown.err, "no desktop session bus")) << shown;
}

}  // namespace
}  // namespace attune::e2e
