#include "bench/ui_bench.h"

#include <unistd.h>

#include <csignal>
#include <nlohmann/json.hpp>
#include <regex>
#include <vector>

#include "bench/measure.h"
#include "tests/common/raw_http.h"
#include "tests/e2e/background_process.h"
#include "tests/e2e/run_attune.h"

namespace attune::bench {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

bool BrowserInstalled() {
  return ::access("/usr/bin/chromium", X_OK) == 0 && ::access("/usr/bin/chromedriver", X_OK) == 0 &&
         ::access("/usr/lib/python3/dist-packages/selenium", F_OK) == 0;
}

// A session cookie for the page at `port`, traded for its token as the browser does.
Result<std::string> SessionCookie(uint16_t port, const std::string& token) {
  const std::string host = "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
  const std::string cookie =
      test_common::SessionCookieOf(test_common::HttpRequest(port, "GET", "/?token=" + token, host));
  if (cookie.empty()) return Status::Internal("attune ui gave no session cookie");
  return cookie;
}

Result<double> ApiMillis(uint16_t port, const std::string& cookie, const std::string& target,
                         int runs) {
  const std::string headers =
      "Host: 127.0.0.1:" + std::to_string(port) + "\r\nCookie: " + cookie + "\r\n";
  std::vector<double> samples;
  for (int i = 0; i < runs; ++i) {
    const SteadyClock::time_point start = SteadyClock::now();
    const test_common::HttpAnswer answer = test_common::HttpRequest(port, "GET", target, headers);
    samples.push_back(MillisBetween(start, SteadyClock::now()));
    if (answer.status != 200) return Status::Internal("GET " + target + ": " + answer.head);
  }
  return Median(samples);
}

Result<double> FirstRenderMillis(const std::string& url, int runs) {
  e2e::RunRequest request;
  request.binary = kPython;
  request.args = {std::string(ATTUNE_SOURCE_DIR) + "/bench/ui_first_render.py", "--url", url,
                  "--runs", std::to_string(runs)};
  request.env = {{"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}};
  request.timeout = std::chrono::minutes(5);
  const e2e::RunResult run = e2e::RunProcess(request);
  if (run.exit_code != 0) return Status::Internal("ui_first_render.py: " + run.err);
  const nlohmann::json figures = nlohmann::json::parse(run.out, nullptr, false);
  if (!figures.contains("first_render_ms"))
    return Status::Internal("ui_first_render.py: " + run.out);
  return figures["first_render_ms"].get<double>();
}

}  // namespace

Result<UiFigures> MeasureUi(const Scratch& scratch, const std::string& home, int runs) {
  if (!BrowserInstalled()) {
    return Status::NotFound("chromium, chromium-driver or python3-selenium");
  }
  ATTUNE_ASSIGN_OR_RETURN(e2e::BackgroundProcess ui,
                          scratch.Start(home, {"ui", "--no-open", "--no-discovery"}));
  const std::optional<std::string> url = ui.ReadLine(kStep);
  static const std::regex kUrl(R"(^http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]{64})$)");
  std::smatch match;
  if (!url || !std::regex_match(*url, match, kUrl)) {
    return Status::Internal("attune ui printed no address");
  }
  UiFigures figures;
  const auto port = static_cast<uint16_t>(std::stoi(match[1]));
  ATTUNE_ASSIGN_OR_RETURN(const std::string cookie, SessionCookie(port, match[2]));
  ATTUNE_ASSIGN_OR_RETURN(figures.api_list_ms, ApiMillis(port, cookie, "/api/entries", runs));
  ATTUNE_ASSIGN_OR_RETURN(figures.api_page_ms,
                          ApiMillis(port, cookie, "/api/entries?limit=200", runs));
  ATTUNE_ASSIGN_OR_RETURN(figures.first_render_ms, FirstRenderMillis(*url, runs));
  ui.Signal(SIGTERM);
  ui.Wait(kStep);
  return figures;
}

}  // namespace attune::bench
