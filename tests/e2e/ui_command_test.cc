// `attune ui` as a person runs it: the address as the first line, nothing but loopback, one node
// per home, the end on a signal or from the page, and, once paired, the partner's entries
// arriving while the page is open.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <csignal>
#include <regex>
#include <sstream>

#include "tests/common/raw_http.h"
#include "tests/e2e/loopback.h"
#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using test_common::HttpAnswer;
using test_common::HttpRequest;

// `attune serve` or `ui` holds the home (cli/exit_codes.h, kExitBusy).
constexpr int kExitHomeBusy = 9;

class UiCommandTest : public PartnersTest {
 protected:
  // Starts `attune ui` in `home` and reads the address it prints first.
  BackgroundProcess StartUi(const std::string& home, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"ui", "--no-open", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    BackgroundProcess ui = StartAt(home, args);
    const std::optional<std::string> first = ui.ReadLine(kStep);
    EXPECT_TRUE(first.has_value()) << ui.Wait(kStep);
    url_ = first.value_or("");
    std::smatch match;
    static const std::regex kUrl(R"(^http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]{64})$)");
    EXPECT_TRUE(std::regex_match(url_, match, kUrl)) << url_;
    if (match.size() == 3) {
      port_ = static_cast<uint16_t>(std::stoi(match[1]));
      token_ = match[2];
    }
    return ui;
  }

  std::string Headers(const std::string& cookie = "") const {
    std::string headers = "Host: 127.0.0.1:" + std::to_string(port_) +
                          "\r\nOrigin: http://127.0.0.1:" + std::to_string(port_) + "\r\n";
    if (!cookie.empty()) headers += "Cookie: " + cookie + "\r\n";
    return headers;
  }

  std::string Session() {
    const HttpAnswer page = HttpRequest(port_, "GET", "/?token=" + token_, Headers());
    EXPECT_EQ(page.status, 200) << page.head;
    return test_common::SessionCookieOf(page);
  }

  nlohmann::json Api(const std::string& cookie, std::string_view method, std::string_view target,
                     std::string_view body = "") {
    const HttpAnswer answer = HttpRequest(port_, method, target, Headers(cookie), body);
    EXPECT_LT(answer.status, 300) << method << " " << target << ": " << answer.body;
    return nlohmann::json::parse(answer.body, nullptr, false);
  }

  // Whether the page lists exactly one entry of the partner's, `id`.
  bool OnlyPartnerEntryIs(const std::string& cookie, const std::string& id) {
    const nlohmann::json list = Api(cookie, "GET", "/api/entries?author=partner");
    return list.contains("entries") && list["entries"].size() == 1 &&
           list["entries"][0]["id"] == id;
  }

  std::string url_, token_;
  uint16_t port_ = 0;
};

TEST_F(UiCommandTest, PrintsTheAddressFirstAndLocksOnCtrlC) {
  const std::string home = NewHome("Robin");
  BackgroundProcess ui = StartUi(home);
  const std::string cookie = Session();
  EXPECT_EQ(Api(cookie, "GET", "/api/overview")["name"], "Robin");
  EXPECT_TRUE(ui.Signal(SIGINT));
  const RunResult ended = ui.Wait(kStep);
  EXPECT_EQ(ended.exit_code, kExitOk) << ended;
  EXPECT_TRUE(Contains(ended.err, "your journal is locked")) << ended.err;
  // The address opens nothing any more.
  EXPECT_EQ(HttpRequest(port_, "GET", "/?token=" + token_, Headers()).status, 0);
}

TEST_F(UiCommandTest, TheIdleLockIsASettingRememberedForNextTime) {
  const std::string home = NewHome("Robin");
  BackgroundProcess first = StartUi(home, {"--idle-lock", "5"});
  EXPECT_EQ(Api(Session(), "GET", "/api/overview")["idle_lock_minutes"], 5);
  Stop(first);
  BackgroundProcess second = StartUi(home);
  EXPECT_EQ(Api(Session(), "GET", "/api/overview")["idle_lock_minutes"], 5);
  Stop(second);
  const RunResult refused = RunAt(home, {"ui", "--no-open", "--idle-lock", "0"});
  EXPECT_EQ(refused.exit_code, kExitUsage) << refused;
}

TEST_F(UiCommandTest, ClosingFromThePageEndsIt) {
  const std::string home = NewHome("Robin");
  BackgroundProcess ui = StartUi(home);
  const std::string cookie = Session();
  EXPECT_EQ(Api(cookie, "POST", "/api/close", "{}")["closing"], true);
  const RunResult ended = ui.Wait(kStep);
  EXPECT_EQ(ended.exit_code, kExitOk) << ended;
  EXPECT_TRUE(Contains(ended.err, "The page was closed")) << ended.err;
}

TEST_F(UiCommandTest, OnlyLoopbackIsServed) {
  const std::string home = NewHome("Robin");
  for (const char* listen : {"0.0.0.0:0", "192.168.1.2:8080", "localhost:0"}) {
    const RunResult refused = RunAt(home, {"ui", "--no-open", "--listen", listen, "--json"});
    EXPECT_EQ(refused.exit_code, kExitUsage) << listen << refused;
    if (std::string(listen) != "localhost:0") {
      EXPECT_EQ(FailureReason(refused), "ui_not_loopback") << refused;
    }
  }
}

TEST_F(UiCommandTest, OneNodePerHome) {
  PairAlexAndSam();
  BackgroundProcess ui = StartUi(alex_, {"--no-discovery"});
  const RunResult serve = RunAt(alex_, {"serve", "--listen", "127.0.0.1:0", "--no-discovery"});
  EXPECT_EQ(serve.exit_code, kExitHomeBusy) << serve;
  const RunResult second = RunAt(alex_, {"ui", "--no-open"});
  EXPECT_EQ(second.exit_code, kExitHomeBusy) << second;
  EXPECT_TRUE(Contains(second.err, "`attune ui` is already running")) << second.err;
  Stop(ui);
}

// Issue 19, bug 9: two serves ran on one home at once.
TEST_F(UiCommandTest, ASecondServeOnTheSameHomeIsRefused) {
  PairAlexAndSam();
  BackgroundProcess serve = Serve(alex_);
  const RunResult second =
      RunAt(alex_, {"serve", "--listen", "127.0.0.1:0", "--no-discovery", "--json"});
  EXPECT_EQ(second.exit_code, kExitHomeBusy) << second;
  EXPECT_TRUE(Contains(second.out, "\"reason\":\"home_in_use\"")) << second;
  Stop(serve);
}

TEST_F(UiCommandTest, ThePartnersEntriesArriveWhileThePageIsOpen) {
  PairAlexAndSam();
  BackgroundProcess sam = Serve(sam_, {"--no-discovery"});
  BackgroundProcess ui = StartUi(alex_, {"--no-discovery"});
  const std::string cookie = Session();
  // The page's node and Sam's serve reach each other (either may dial first).
  EXPECT_TRUE(ui.ReadLineContaining("\"event\":\"partner_", kArrival).has_value()) << ui.skipped();
  const std::string id = AddAt(sam_, "need", "A quiet hour after work.", {"--share"});
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(Eventually([&] { return OnlyPartnerEntryIs(cookie, id); }, kArrival));
  const nlohmann::json overview = Api(cookie, "GET", "/api/overview");
  EXPECT_EQ(overview["link"]["state"], "connected");
  EXPECT_EQ(overview["partner"]["name"], "Sam");
  // Sam's progress, as far as what Sam shared shows: one need, in step 6.
  ASSERT_TRUE(overview["partner_steps"].is_array()) << overview;
  EXPECT_TRUE(overview["partner_steps"][5]["started"].get<bool>()) << overview["partner_steps"];
  EXPECT_FALSE(overview["partner_steps"][0]["started"].get<bool>());
  // What Alex shares from the page reaches Sam live.
  const nlohmann::json added =
      Api(cookie, "POST", "/api/entries", R"({"kind":"need","text":"Ten minutes each evening."})");
  const std::string own = added["entry"]["id"];
  const nlohmann::json preview = Api(cookie, "POST", "/api/entries/" + own + "/preview", "{}");
  Api(cookie, "POST", "/api/entries/" + own + "/share",
      nlohmann::json{{"digest", preview["preview"]["digest"]}}.dump());
  EXPECT_TRUE(Eventually([&] { return PartnerHas(sam_, own); }, kArrival));
  Stop(ui);
  Stop(sam);
}

// A second page's session, beside the fixture's own.
struct Page {
  uint16_t port = 0;
  std::string cookie;
};

TEST_F(UiCommandTest, TwoPagesPairAndTheirNodesThenSyncLive) {
  const std::string jo = NewHome("Jo");
  const std::string kai = NewHome("Kai");
  const std::string jo_serve = std::to_string(UnusedLoopbackPort());
  const std::string kai_serve = std::to_string(UnusedLoopbackPort());
  BackgroundProcess jo_ui =
      StartUi(jo, {"--no-discovery", "--pair-listen", "127.0.0.1:0", "--serve-port", jo_serve});
  const Page jo_page{port_, Session()};
  BackgroundProcess kai_ui =
      StartUi(kai, {"--no-discovery", "--pair-listen", "127.0.0.1:0", "--serve-port", kai_serve});
  const Page kai_page{port_, Session()};
  auto api = [this](const Page& page, std::string_view method, std::string_view target,
                    std::string_view body = "") {
    port_ = page.port;
    return Api(page.cookie, method, target, body);
  };

  // The pages hear pairing's progress as events, as the browser does.
  auto events = [this](const Page& page) {
    auto stream = std::make_unique<test_common::RawConnection>(page.port);
    port_ = page.port;
    stream->Send("GET /api/events HTTP/1.1\r\n" + Headers(page.cookie) + "\r\n");
    stream->ReadUntil("retry:");
    return stream;
  };
  auto jo_events = events(jo_page);
  auto kai_events = events(kai_page);
  api(jo_page, "POST", "/api/pairing/invite", "{}");
  jo_events->ReadUntil("\"code\"");
  const nlohmann::json offer = api(jo_page, "GET", "/api/pairing");
  ASSERT_TRUE(offer.contains("code")) << offer;
  api(kai_page, "POST", "/api/pairing/join",
      nlohmann::json{{"code", offer["code"]}, {"address", offer["address"]}}.dump());
  kai_events->ReadUntil("\"paired\"");
  ASSERT_EQ(api(kai_page, "GET", "/api/pairing").value("state", ""), "paired");
  // Each page's node starts its link once paired, and they reach each other.
  EXPECT_TRUE(jo_ui.ReadLineContaining("\"event\":\"partner_", kArrival).has_value())
      << jo_ui.skipped();
  const nlohmann::json added = api(kai_page, "POST", "/api/entries",
                                   R"({"kind":"need","text":"A walk together on Sundays."})");
  const std::string id = added["entry"]["id"];
  const nlohmann::json preview = api(kai_page, "POST", "/api/entries/" + id + "/preview", "{}");
  api(kai_page, "POST", "/api/entries/" + id + "/share",
      nlohmann::json{{"digest", preview["preview"]["digest"]}}.dump());
  EXPECT_TRUE(Eventually(
      [&] {
        const nlohmann::json list = api(jo_page, "GET", "/api/entries?author=partner");
        return list.contains("entries") && list["entries"].size() == 1;
      },
      kArrival));
  EXPECT_EQ(api(jo_page, "GET", "/api/overview")["partner"]["name"], "Kai");
  Stop(jo_ui);
  Stop(kai_ui);
}

TEST_F(UiCommandTest, ARunningServeServesThePageInsteadOfASecondNode) {
  PairAlexAndSam();
  BackgroundProcess alex_serve = Serve(alex_, {"--no-discovery"});
  BackgroundProcess sam_serve = Serve(sam_, {"--no-discovery"});
  BackgroundProcess ui = StartUi(alex_);
  const std::string cookie = Session();
  EXPECT_EQ(Api(cookie, "GET", "/api/overview")["name"], "Alex");
  // One page per home: a second attune ui is told it is open already.
  const RunResult second = RunAt(alex_, {"ui", "--no-open"});
  EXPECT_EQ(second.exit_code, kExitHomeBusy) << second;
  // What Sam shares reaches the page through Alex's serve, and what the page shares reaches
  // Sam at once (serve looks when the page writes).
  const std::string id = AddAt(sam_, "need", "A quiet hour after work.", {"--share"});
  EXPECT_TRUE(Eventually([&] { return OnlyPartnerEntryIs(cookie, id); }, kArrival));
  const nlohmann::json added = Api(cookie, "POST", "/api/entries",
                                   R"({"kind":"repair","text":"I came back after an hour."})");
  const std::string own = added["entry"]["id"];
  const nlohmann::json preview = Api(cookie, "POST", "/api/entries/" + own + "/preview", "{}");
  Api(cookie, "POST", "/api/entries/" + own + "/share",
      nlohmann::json{{"digest", preview["preview"]["digest"]}}.dump());
  EXPECT_TRUE(Eventually([&] { return PartnerHas(sam_, own); }, kArrival));
  // Ctrl-C closes the page, not serve.
  EXPECT_TRUE(ui.Signal(SIGINT));
  const RunResult closed = ui.Wait(kStep);
  EXPECT_EQ(closed.exit_code, kExitOk) << closed;
  EXPECT_TRUE(Contains(closed.err, "goes on syncing")) << closed.err;
  EXPECT_TRUE(alex_serve.Running());
  EXPECT_EQ(HttpRequest(port_, "GET", "/api/overview", Headers(cookie)).status, 0);
  // A new page, closed from the page this time: the attune ui that asked for it ends too.
  BackgroundProcess again = StartUi(alex_);
  EXPECT_EQ(Api(Session(), "POST", "/api/close", "{}")["closing"], true);
  const RunResult ended = again.Wait(kStep);
  EXPECT_EQ(ended.exit_code, kExitOk) << ended;
  EXPECT_TRUE(alex_serve.Running());
  Stop(alex_serve);
  Stop(sam_serve);
}

TEST_F(UiCommandTest, WithADisplayTheBrowserOpensThroughAPrivateFileNotTheCommandLine) {
  const std::string home = NewHome("Robin");
  // A stand-in for the desktop's xdg-open: it notes what it was given, the file's mode and
  // what the file says.
  const std::string bin = PathIn("bin");
  ASSERT_EQ(::mkdir(bin.c_str(), 0700), 0);
  const std::string noted = PathIn("opened.txt");
  WriteFile(bin + "/xdg-open", "#!/bin/sh\nprintf '%s\\n' \"$*\" > " + noted +
                                   "\nstat -c %a \"$1\" >> " + noted + "\ncat \"$1\" >> " + noted +
                                   "\n");
  ASSERT_EQ(::chmod((bin + "/xdg-open").c_str(), 0700), 0);
  env["DISPLAY"] = ":7";
  env["PATH"] = bin + ":/usr/bin:/bin";
  BackgroundProcess ui = StartAt(home, {"ui"});
  const std::optional<std::string> url = ui.ReadLine(kStep);
  ASSERT_TRUE(url.has_value()) << ui.Wait(kStep);
  EXPECT_TRUE(ui.Signal(SIGTERM));
  const RunResult ended = ui.Wait(kStep);
  EXPECT_EQ(ended.exit_code, kExitOk) << ended;
  EXPECT_TRUE(Contains(ended.err, "Your browser opens your journal")) << ended.err;
  std::istringstream lines(ReadFile(noted));
  std::string argument, mode, rest;
  std::getline(lines, argument);
  std::getline(lines, mode);
  std::getline(lines, rest, '\0');
  EXPECT_EQ(argument, home + "/ui-open.html");
  EXPECT_EQ(argument.find("token"), std::string::npos);
  EXPECT_EQ(mode, "600");
  EXPECT_TRUE(Contains(rest, "url=" + *url)) << rest;
  EXPECT_FALSE(PathExists(argument));  // removed when attune ui ended
}

}  // namespace
}  // namespace attune::e2e
