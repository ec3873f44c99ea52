// The real page server on loopback, spoken to byte by byte: the token and the cookie, the
// refusals with their status and headers, the size limits, the event stream, and the ways it
// ends.
#include <gtest/gtest.h>

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
