// The page server's rules (docs/ui.md, "The rules every request meets"), decided from a
// request's facts alone.
#include "node/ui/ui_guard.h"

#include <gtest/gtest.h>

#include <string>

#include "node/ui.h"

namespace attune::node::ui {
namespace {

const std::string kToken(64, 'a');
const std::string kSession(64, 'b');

Access TestAccess() {
  return {.host = "127.0.0.1:4242",
          .origin = "http://127.0.0.1:4242",
          .token = kToken,
          .session = kSession,
          .cookie_name = "attune_session_4242"};
}

const std::string kCookie = "attune_session_4242=" + kSession;

RequestFacts Get(std::string_view target, std::string_view cookie = kCookie) {
  return {
      .method = "GET", .target = target, .host = "127.0.0.1:4242", .origin = "", .cookie = cookie};
}

RequestFacts Post(std::string_view target, std::string_view origin = "http://127.0.0.1:4242") {
  return {.method = "POST",
          .target = target,
          .host = "127.0.0.1:4242",
          .origin = origin,
          .cookie = kCookie};
}

TEST(UiGuardTest, TheTokenOnThePageStartsASession) {
  const std::string target = "/?token=" + kToken;
  Decision decision = Check(Get(target, ""), TestAccess());
  ASSERT_TRUE(decision.refusal.ok()) << decision.refusal.detail();
  EXPECT_EQ(decision.route->kind, RouteKind::kPage);
  EXPECT_TRUE(decision.start_session);
}

TEST(UiGuardTest, TheSessionCookieAloneServesEveryRoute) {
  for (std::string_view target : {"/", "/app.js", "/app.css", "/wording.json", "/api/overview",
                                  "/api/entries?author=all&q=plans", "/api/events"}) {
    Decision decision = Check(Get(target), TestAccess());
    EXPECT_TRUE(decision.refusal.ok()) << target;
    EXPECT_FALSE(decision.start_session) << target;
  }
}

TEST(UiGuardTest, TheCookieIsFoundAmongOthers) {
  const std::string cookies = "theme=dark; " + kCookie + "; other=1";
  EXPECT_TRUE(Check(Get("/api/overview", cookies), TestAccess()).refusal.ok());
}

TEST(UiGuardTest, NoTokenNoSessionIsRefusedOnEveryRoute) {
  for (const Route& route : Routes()) {
    std::string target(route.pattern);
    for (std::string_view param : {"{id}", "{n}"}) {
      if (const size_t at = target.find(param); at != std::string::npos) {
        target.replace(at, param.size(), "1");
      }
    }
    RequestFacts request = Get(target, "");
    request.method = route.method;
    request.origin = "http://127.0.0.1:4242";
    EXPECT_TRUE(Check(request, TestAccess()).refusal.Is(UiReason::kNoSession)) << target;
  }
}

TEST(UiGuardTest, AWrongTokenOrCookieIsRefused) {
  const std::string wrong_token = "/?token=" + std::string(63, 'a') + "c";
  EXPECT_TRUE(Check(Get(wrong_token, ""), TestAccess()).refusal.Is(UiReason::kNoSession));
  EXPECT_TRUE(Check(Get("/?token=", ""), TestAccess()).refusal.Is(UiReason::kNoSession));
  const std::string short_cookie = "attune_session_4242=" + kSession.substr(1);
  EXPECT_TRUE(
      Check(Get("/api/overview", short_cookie), TestAccess()).refusal.Is(UiReason::kNoSession));
  // The token is for the page only: it opens no API route by itself.
  const std::string api_with_token = "/api/overview?token=" + kToken;
  EXPECT_TRUE(Check(Get(api_with_token, ""), TestAccess()).refusal.Is(UiReason::kNoSession));
}

TEST(UiGuardTest, AnotherHostIsRefusedBeforeAnythingElse) {
  for (std::string_view host :
       {"localhost:4242", "127.0.0.1:4243", "127.0.0.1", "evil.example:4242", "", "[::1]:4242"}) {
    RequestFacts request = Get("/api/overview");
    request.host = host;
    Decision decision = Check(request, TestAccess());
    EXPECT_TRUE(decision.refusal.Is(UiReason::kWrongHost)) << host;
    EXPECT_EQ(HttpStatusFor(decision.refusal), 421);
  }
}

TEST(UiGuardTest, AChangeFromAnotherOriginIsRefused) {
  for (std::string_view origin :
       {"", "null", "http://127.0.0.1:9999", "http://localhost:4242", "https://127.0.0.1:4242"}) {
    Decision decision = Check(Post("/api/entries", origin), TestAccess());
    EXPECT_TRUE(decision.refusal.Is(UiReason::kWrongOrigin)) << origin;
    EXPECT_EQ(HttpStatusFor(decision.refusal), 403);
  }
  EXPECT_TRUE(Check(Post("/api/entries"), TestAccess()).refusal.ok());
  RequestFacts remove = Post("/api/entries/abcd");
  remove.method = "DELETE";
  remove.origin = "";
  EXPECT_TRUE(Check(remove, TestAccess()).refusal.Is(UiReason::kWrongOrigin));
}

TEST(UiGuardTest, AnotherPageIsRefusedEvenWhereTheBrowserSendsTheCookie) {
  // Another port of 127.0.0.1 is the same site: SameSite=Strict lets its requests carry the
  // cookie, so the guard looks at who asks.
  RequestFacts read = Get("/api/entries");
  read.origin = "http://127.0.0.1:9999";
  EXPECT_TRUE(Check(read, TestAccess()).refusal.Is(UiReason::kWrongOrigin));
  read.origin = "";
  read.sec_fetch_site = "same-site";
  EXPECT_TRUE(Check(read, TestAccess()).refusal.Is(UiReason::kWrongOrigin));
  RequestFacts events = Get("/api/events");
  events.sec_fetch_site = "cross-site";
  EXPECT_TRUE(Check(events, TestAccess()).refusal.Is(UiReason::kWrongOrigin));
  // The page's own requests, and a browser that says nothing (an older one, a script).
  read.sec_fetch_site = "same-origin";
  EXPECT_TRUE(Check(read, TestAccess()).refusal.ok());
  read.sec_fetch_site = "";
  EXPECT_TRUE(Check(read, TestAccess()).refusal.ok());
  // Opening the printed address is a navigation from elsewhere (a terminal, a file): allowed.
  const std::string printed = "/?token=" + kToken;
  RequestFacts open = Get(printed, "");
  open.sec_fetch_site = "cross-site";
  EXPECT_TRUE(Check(open, TestAccess()).refusal.ok());
}

TEST(UiGuardTest, OnlyTheRouteListIsServed) {
  for (std::string_view target : {"/index.html", "/api", "/api/entries/", "/api/entries/a/b/c",
                                  "/../journal.db", "/api/steps/", "/robots.txt"}) {
    Decision decision = Check(Get(target), TestAccess());
    EXPECT_TRUE(decision.refusal.Is(UiReason::kNoSuchRoute)) << target;
    EXPECT_EQ(HttpStatusFor(decision.refusal), 404) << target;
  }
  RequestFacts put = Get("/api/entries");
  put.method = "PUT";
  Decision decision = Check(put, TestAccess());
  EXPECT_TRUE(decision.refusal.Is(UiReason::kWrongMethod));
  EXPECT_EQ(HttpStatusFor(decision.refusal), 405);
}

TEST(UiGuardTest, PathParametersAndTheQueryAreDecoded) {
  Decision decision = Check(Post("/api/entries/a1b2c3/preview"), TestAccess());
  ASSERT_TRUE(decision.refusal.ok());
  EXPECT_EQ(decision.params.at("id"), "a1b2c3");
  decision = Check(Get("/api/entries?q=left%20out+again&tag=%23work"), TestAccess());
  ASSERT_TRUE(decision.refusal.ok());
  EXPECT_EQ(decision.query.at("q"), "left out again");
  EXPECT_EQ(decision.query.at("tag"), "#work");
  EXPECT_TRUE(Check(Get("/api/entries?q=%zz"), TestAccess()).refusal.Is(UiReason::kBadRequest));
  EXPECT_TRUE(Check(Get("/api/entries?q=%2"), TestAccess()).refusal.Is(UiReason::kBadRequest));
}

TEST(UiGuardTest, EveryResponseCarriesTheStrictHeaders) {
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : SecurityHeaders()) headers[std::string(name)] = value;
  const std::string& csp = headers["Content-Security-Policy"];
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe"), std::string::npos);
  EXPECT_EQ(headers["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(headers["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(headers["Cache-Control"], "no-store");
  EXPECT_EQ(SessionCookie(TestAccess()),
            "attune_session_4242=" + kSession + "; HttpOnly; SameSite=Strict; Path=/");
}

TEST(UiGuardTest, FailuresMapToTheirHttpStatus) {
  EXPECT_EQ(HttpStatusFor(Status::InvalidArgument("x")), 400);
  EXPECT_EQ(HttpStatusFor(Status::NotFound("x")), 404);
  EXPECT_EQ(HttpStatusFor(Status::Busy("x")), 409);
  EXPECT_EQ(HttpStatusFor(Status::AlreadyExists("x")), 409);
  EXPECT_EQ(HttpStatusFor(Status::Internal("x")), 500);
  EXPECT_EQ(HttpStatusFor(Status::InvalidArgument("x").WithReason(UiReason::kTooLarge)), 413);
}

TEST(UiGuardTest, ExerciseChangesComeOnlyFromThePageOwnOrigin) {
  for (std::string_view target :
       {"/api/exercises", "/api/exercises/3f2a9c0e/answer", "/api/exercises/3f2a9c0e/withdraw"}) {
    const Decision own = Check(Post(target), TestAccess());
    EXPECT_TRUE(own.refusal.ok()) << target;
    for (std::string_view origin : {"", "http://127.0.0.1:4243", "http://localhost:4242"}) {
      EXPECT_TRUE(Check(Post(target, origin), TestAccess()).refusal.Is(UiReason::kWrongOrigin))
          << target << " from " << origin;
    }
  }
  const Decision answer = Check(Post("/api/exercises/3f2a9c0e/answer"), TestAccess());
  EXPECT_EQ(answer.params.at("id"), "3f2a9c0e");
  RequestFacts get = Get("/api/exercises/3f2a9c0e/answer");
  EXPECT_TRUE(Check(get, TestAccess()).refusal.Is(UiReason::kWrongMethod));
}

}  // namespace
}  // namespace attune::node::ui
