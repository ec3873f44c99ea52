// The real page server on loopback, spoken to byte by byte: the token and the cookie, the
// refusals with their status and headers, the size limits, the event stream, and the ways it
// ends.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>

#include "node/ui.h"
#include "tests/common/raw_http.h"
#include "tests/node/node_test_util.h"

namespace attune::node {
namespace {

using testing::JournalTest;

using test_common::HttpAnswer;
using test_common::RawConnection;

HttpAnswer Parse(const std::string& raw) {
  return test_common::ParseHttpAnswer(raw);
}

class UiServerTest : public JournalTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(InitJournal());
    ASSERT_NO_FATAL_FAILURE(StartServer({}));
  }

  void StartServer(UiOptions options) {
    server_.reset();
    Result<Journal> second = journal().OpenAnother();
    ASSERT_OK(second.status());
    options.describe_error = [](const Status& failure) {
      return nlohmann::json{
          {"error", {{"code", StatusCodeName(failure.code())}, {"reason", failure.reason()}}}};
    };
    options.describe_event = [](const ServeEvent& event) {
      return nlohmann::json{{"event", static_cast<int>(event.kind)}};
    };
    Result<std::unique_ptr<UiServer>> started = UiServer::Start(std::move(*second), options);
    ASSERT_OK(started.status());
    server_ = std::move(*started);
    host_ = "127.0.0.1:" + std::to_string(server_->port());
    token_ = server_->url().substr(server_->url().find("token=") + 6);
  }

  // Exchanges the token for the session cookie; returns the Cookie header's value.
  std::string Session() {
    HttpAnswer answer = Request("GET", "/?token=" + token_, "");
    EXPECT_EQ(answer.status, 200);
    const std::string cookie = test_common::SessionCookieOf(answer);
    EXPECT_FALSE(cookie.empty()) << answer.head;
    return cookie;
  }

  HttpAnswer Request(std::string_view method, std::string_view target, std::string_view cookie,
                     std::string_view body = "", std::string extra_headers = "") {
    if (extra_headers.find("Host:") == std::string::npos) {
      extra_headers += "Host: " + host_ + "\r\n";
    }
    if (std::string(method) != "GET" && extra_headers.find("Origin:") == std::string::npos) {
      extra_headers += "Origin: http://" + host_ + "\r\n";
    }
    if (!cookie.empty()) extra_headers += "Cookie: " + std::string(cookie) + "\r\n";
    return test_common::HttpRequest(server_->port(), method, target, extra_headers, body);
  }

  static void ExpectStrictHeaders(const HttpAnswer& answer) {
    for (std::string_view header :
         {"Content-Security-Policy: default-src 'none'", "X-Content-Type-Options: nosniff",
          "Referrer-Policy: no-referrer", "Cache-Control: no-store", "X-Frame-Options: DENY"}) {
      EXPECT_NE(answer.head.find(header), std::string::npos) << header << " in\n" << answer.head;
    }
  }

  std::unique_ptr<UiServer> server_;
  std::string host_;
  std::string token_;
};

TEST_F(UiServerTest, TheTokenOpensThePageAndSetsAStrictCookie) {
  EXPECT_EQ(server_->url(), "http://" + host_ + "/?token=" + token_);
  EXPECT_EQ(token_.size(), 64u);
  HttpAnswer page = Request("GET", "/?token=" + token_, "");
  EXPECT_EQ(page.status, 200);
  ExpectStrictHeaders(page);
  EXPECT_NE(page.head.find("HttpOnly; SameSite=Strict; Path=/"), std::string::npos);
  EXPECT_NE(page.body.find("/app.js"), std::string::npos);
  const std::string cookie = Session();
  EXPECT_EQ(cookie.find(token_), std::string::npos);  // the cookie is not the token
  HttpAnswer overview = Request("GET", "/api/overview", cookie);
  EXPECT_EQ(overview.status, 200);
  ExpectStrictHeaders(overview);
  EXPECT_EQ(nlohmann::json::parse(overview.body)["name"], "Robin");
}

TEST_F(UiServerTest, EveryRefusalHasItsStatusAndTheStrictHeaders) {
  const std::string cookie = Session();
  struct Case {
    std::string method, target, cookie, body, headers;
    int status;
    UiReason reason;
  };
  const std::vector<Case> cases = {
      {"GET", "/api/overview", "", "", "", 401, UiReason::kNoSession},
      {"GET", "/?token=" + std::string(64, '0'), "", "", "", 401, UiReason::kNoSession},
      {"GET", "/api/overview", cookie, "",
       "Host: attacker.example:" + std::to_string(server_->port()) + "\r\n", 421,
       UiReason::kWrongHost},
      {"POST", "/api/entries", cookie, R"({"kind":"note","text":"x"})",
       "Origin: http://127.0.0.1:1\r\n", 403, UiReason::kWrongOrigin},
      {"GET", "/journal.db", cookie, "", "", 404, UiReason::kNoSuchRoute},
      {"PUT", "/api/entries", cookie, "", "", 405, UiReason::kWrongMethod},
      {"POST", "/api/entries", cookie, "[]", "", 400, UiReason::kBadRequest},
  };
  for (const Case& each : cases) {
    HttpAnswer answer = Request(each.method, each.target, each.cookie, each.body, each.headers);
    EXPECT_EQ(answer.status, each.status) << each.method << " " << each.target;
    ExpectStrictHeaders(answer);
    if (each.target == "/?token=" + std::string(64, '0')) {
      EXPECT_NE(answer.body.find("attune ui"), std::string::npos);  // the page saying what to do
      continue;
    }
    const nlohmann::json body = nlohmann::json::parse(answer.body, nullptr, false);
    ASSERT_TRUE(body.contains("error")) << answer.body;
    EXPECT_EQ(body["error"]["reason"], static_cast<int>(each.reason)) << each.target;
  }
  // Nothing was written by any of them.
  Result<std::vector<Entry>> entries = journal().List({});
  ASSERT_OK(entries.status());
  EXPECT_TRUE(entries->empty());
}

TEST_F(UiServerTest, OversizeRequestsAreRefusedUnread) {
  const std::string cookie = Session();
  RawConnection body(server_->port());
  body.Send("POST /api/entries HTTP/1.1\r\nHost: " + host_ + "\r\nOrigin: http://" + host_ +
            "\r\nCookie: " + cookie + "\r\nContent-Length: " + std::to_string(kUiMaxBodyBytes + 1) +
            "\r\n\r\n");
  HttpAnswer too_long = Parse(body.ReadAll());
  EXPECT_EQ(too_long.status, 413);
  ExpectStrictHeaders(too_long);

  HttpAnswer header = Request("GET", "/api/overview", cookie, "",
                              "X-Padding: " + std::string(kUiMaxHeaderBytes, 'x') + "\r\n");
  EXPECT_EQ(header.status, 431);
  ExpectStrictHeaders(header);
}

TEST_F(UiServerTest, TheEventStreamHearsTheJournalAndTheLink) {
  const std::string cookie = Session();
  RawConnection events(server_->port());
  events.Send("GET /api/events HTTP/1.1\r\nHost: " + host_ + "\r\nCookie: " + cookie + "\r\n\r\n");
  const std::string head = events.ReadUntil("retry:");
  EXPECT_NE(head.find("text/event-stream"), std::string::npos);
  EXPECT_NE(head.find("Content-Security-Policy"), std::string::npos);
  // Another connection commits (as the link does when the partner's entry arrives).
  ASSERT_OK(AddEntry("note", "written elsewhere").status());
  EXPECT_NE(events.ReadUntil("event: journal").find("event: journal"), std::string::npos);

  server_->Publish({.kind = ServeEventKind::kPartnerConnected, .host = "127.0.0.1"});
  EXPECT_NE(events.ReadUntil("event: link").find("event: link"), std::string::npos);
  const nlohmann::json overview =
      nlohmann::json::parse(Request("GET", "/api/overview", cookie).body);
  EXPECT_EQ(overview["link"]["state"], "not_paired");  // this journal has no partner

  EXPECT_EQ(Request("POST", "/api/close", cookie, "{}").status, 200);
  EXPECT_EQ(server_->Wait(), UiEnd::kClosed);
  EXPECT_NE(events.ReadAll().find("event: closing\ndata: {\"reason\":\"closed\"}"),
            std::string::npos);
}

TEST_F(UiServerTest, ItLocksItselfAfterAWhileWithoutUse) {
  UiOptions options;
  options.idle_lock = std::chrono::milliseconds(50);
  ASSERT_NO_FATAL_FAILURE(StartServer(options));
  EXPECT_EQ(server_->Wait(), UiEnd::kIdle);
  RawConnection late(server_->port());
  EXPECT_FALSE(late.connected() && !late.ReadAll().empty());
}

TEST_F(UiServerTest, StopEndsIt) {
  server_->Stop();
  EXPECT_EQ(server_->Wait(), UiEnd::kStopped);
}

TEST_F(UiServerTest, OnlyTheLoopbackAddressIsServed) {
  server_.reset();
  Result<Journal> second = journal().OpenAnother();
  ASSERT_OK(second.status());
  UiOptions options;
  options.listen = {"0.0.0.0", 0};
  EXPECT_REASON(UiServer::Start(std::move(*second), options).status(), kInvalidArgument,
                UiReason::kNotLoopback);
}

}  // namespace
}  // namespace attune::node

namespace attune::node {
namespace {

// Two journals, each with its page server: pairing entirely through the two pages' API.
class UiPairingTest : public ::testing::Test {
 protected:
  struct Side {
    std::unique_ptr<testing::TempDir> dir;
    std::optional<Journal> journal;
    std::unique_ptr<UiServer> server;
    std::string host, cookie;
    std::shared_ptr<std::atomic<int>> changes = std::make_shared<std::atomic<int>>(0);
  };

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(Make(jo_, "Jo"));
    ASSERT_NO_FATAL_FAILURE(Make(kai_, "Kai"));
  }

  void Make(Side& side, const std::string& name) {
    side.dir = std::make_unique<testing::TempDir>();
    Home home(side.dir->File("home"));
    Result<Journal> made =
        Journal::Init(home, testing::FastOptions(true, name), testing::MustNotAsk(), clock_);
    ASSERT_OK(made.status());
    side.journal.emplace(std::move(*made));
    Result<Journal> second = side.journal->OpenAnother();
    ASSERT_OK(second.status());
    UiOptions options;
    options.pair_listen = {"127.0.0.1", 0};
    options.discovery.enabled = false;
    options.on_partner_changed = [changes = side.changes] { ++*changes; };
    Result<std::unique_ptr<UiServer>> started = UiServer::Start(std::move(*second), options);
    ASSERT_OK(started.status());
    side.server = std::move(*started);
    side.host = "127.0.0.1:" + std::to_string(side.server->port());
    const std::string url = side.server->url();
    const HttpAnswer page = test_common::HttpRequest(
        side.server->port(), "GET", url.substr(url.find("/?token")), "Host: " + side.host + "\r\n");
    side.cookie = test_common::SessionCookieOf(page);
    ASSERT_FALSE(side.cookie.empty());
  }

  static std::string Headers(const Side& side) {
    return "Host: " + side.host + "\r\nOrigin: http://" + side.host + "\r\nCookie: " + side.cookie +
           "\r\n";
  }

  // Opens the side's event stream, returning the connection once its header arrived.
  static std::unique_ptr<RawConnection> Events(const Side& side) {
    auto events = std::make_unique<RawConnection>(side.server->port());
    events->Send("GET /api/events HTTP/1.1\r\n" + Headers(side) + "\r\n");
    events->ReadUntil("retry:");
    return events;
  }

  static nlohmann::json Post(const Side& side, std::string_view target, std::string_view body) {
    const HttpAnswer answer =
        test_common::HttpRequest(side.server->port(), "POST", target, Headers(side), body);
    return nlohmann::json::parse(answer.body, nullptr, false);
  }

  // The first pairing state the event stream reports after the ones read before that holds
  // `marker`.
  nlohmann::json PairingEventWith(RawConnection& events, std::string_view marker) {
    size_t& seen = seen_[&events];
    for (;;) {
      const std::string text = events.ReadUntil("event: pairing\ndata: ", seen);
      const size_t event = text.find("event: pairing\ndata: ", seen);
      if (event == std::string::npos) return nullptr;
      const size_t start = event + 21;
      const std::string line = events.ReadUntil("\n", start);
      const size_t end = line.find('\n', start);
      seen = end + 1;
      const std::string data = line.substr(start, end - start);
      if (data.find(marker) != std::string::npos)
        return nlohmann::json::parse(data, nullptr, false);
    }
  }

  std::map<RawConnection*, size_t> seen_;
  ManualClock clock_{testing::kStartTime};
  Side jo_, kai_;
};

TEST_F(UiPairingTest, TwoPagesPairAndBothJournalsKnowEachOther) {
  std::unique_ptr<RawConnection> jo_events = Events(jo_);
  std::unique_ptr<RawConnection> kai_events = Events(kai_);
  EXPECT_EQ(Post(jo_, "/api/pairing/invite", "{}")["state"], "inviting");
  const nlohmann::json offer = PairingEventWith(*jo_events, "\"code\"");
  ASSERT_TRUE(offer.contains("code")) << offer;
  const nlohmann::json join = {{"code", offer["code"]}, {"address", offer["address"]}};
  EXPECT_EQ(Post(kai_, "/api/pairing/join", join.dump())["state"], "joining");
  const nlohmann::json kai_done = PairingEventWith(*kai_events, "\"paired\"");
  const nlohmann::json jo_done = PairingEventWith(*jo_events, "\"paired\"");
  EXPECT_EQ(kai_done["partner_name"], "Jo");
  EXPECT_EQ(jo_done["partner_name"], "Kai");
  EXPECT_EQ(kai_done["safety_number"], jo_done["safety_number"]);
  EXPECT_EQ(*jo_.changes, 1);
  EXPECT_EQ(*kai_.changes, 1);
  Result<std::optional<Partner>> partner = jo_.journal->GetPartner();
  ASSERT_OK(partner.status());
  ASSERT_TRUE(partner->has_value());
  EXPECT_EQ((*partner)->display_name, "Kai");
  // Paired once: a second invitation is refused by the journal, as `attune pair` is.
  EXPECT_EQ(Post(jo_, "/api/pairing/invite", "{}")["state"], "inviting");
  const nlohmann::json refused = PairingEventWith(*jo_events, "\"failed\"");
  EXPECT_EQ(refused["error"]["error"]["code"], "already_exists") << refused;
}

TEST_F(UiPairingTest, AnInvitationCanBeWithdrawnAndAWrongCodeFailsOnBothSides) {
  std::unique_ptr<RawConnection> jo_events = Events(jo_);
  std::unique_ptr<RawConnection> kai_events = Events(kai_);
  Post(jo_, "/api/pairing/invite", "{}");
  nlohmann::json offer = PairingEventWith(*jo_events, "\"code\"");
  Post(jo_, "/api/pairing/cancel", "{}");
  EXPECT_EQ(PairingEventWith(*jo_events, "\"idle\"")["state"], "idle");

  Post(jo_, "/api/pairing/invite", "{}");
  offer = PairingEventWith(*jo_events, "\"code\"");
  const std::string code = offer["code"];
  const std::string wrong = code.substr(0, code.find('-')) + "-maple-lagoon-violet";
  Post(kai_, "/api/pairing/join",
       nlohmann::json{{"code", wrong == code ? code + "x" : wrong}, {"address", offer["address"]}}
           .dump());
  EXPECT_EQ(PairingEventWith(*kai_events, "\"failed\"")["error"]["error"]["code"], "auth_failed");
  EXPECT_EQ(PairingEventWith(*jo_events, "\"failed\"")["error"]["error"]["code"], "auth_failed");
  EXPECT_EQ(*jo_.changes, 0);
  Result<std::optional<Partner>> partner = kai_.journal->GetPartner();
  ASSERT_OK(partner.status());
  EXPECT_FALSE(partner->has_value());
}

}  // namespace
}  // namespace attune::node
