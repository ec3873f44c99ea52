// Feeds arbitrary requests to what `attune ui`'s server decides from them (node/ui/ui_guard.h,
// node/ui/ui_api.h): the input's first lines are the method, the target, the Host, Origin,
// Cookie and Sec-Fetch-Site headers, the rest the body. The guard must refuse anything but the
// right host, a route on the list, the session (or the token on the page) and the page's own
// origin; what it lets through is answered by the API over a real journal in a scratch home.
// Nothing may crash or throw; every refusal carries a UiReason and an HTTP status of 4xx; every
// answer is a JSON object with a 2xx status or a failure with a code.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "node/clock.h"
#include "node/journal.h"
#include "node/runtime.h"
#include "node/ui.h"
#include "node/ui/ui_api.h"
#include "node/ui/ui_guard.h"

namespace {

namespace node = attune::node;
namespace ui = attune::node::ui;

void Check(bool condition) {
  if (!condition) std::abort();
}

const ui::Access& TheAccess() {
  static const ui::Access access{.host = "127.0.0.1:4242",
                                 .origin = "http://127.0.0.1:4242",
                                 .token = std::string(64, 'a'),
                                 .session = std::string(64, 'b'),
                                 .cookie_name = "attune_session_4242"};
  return access;
}

// One journal for the whole run, in a scratch home removed at exit.
node::Journal& TheJournal() {
  static node::SystemClock clock;
  static std::optional<node::Journal> journal;
  if (!journal) {
    Check(node::InitializeProcess().ok());
    char dir[] = "/tmp/attune-ui-fuzz-XXXXXX";
    Check(::mkdtemp(dir) != nullptr);
    static const std::string home_dir = std::string(dir) + "/home";
    std::atexit(
        [] { std::system(("rm -rf '" + home_dir.substr(0, home_dir.rfind('/')) + "'").c_str()); });
    attune::Result<node::Journal> made = node::Journal::Init(
        node::Home(home_dir),
        {.name = "Fuzz", .no_passphrase = true, .kdf_strength = node::KdfStrength::kInteractive},
        [] { return attune::Result<node::Secret>(attune::Status::Internal("")); }, clock);
    Check(made.ok());
    journal.emplace(std::move(*made));
  }
  return *journal;
}

std::vector<std::string_view> Lines(std::string_view input, size_t count, std::string_view* rest) {
  std::vector<std::string_view> lines;
  while (lines.size() < count) {
    const size_t end = input.find('\n');
    lines.push_back(input.substr(0, end));
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
  }
  *rest = input;
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  node::Journal& journal = TheJournal();  // also starts libsodium, which the guard uses
  std::string_view body;
  const std::vector<std::string_view> lines =
      Lines(std::string_view(reinterpret_cast<const char*>(data), size), 6, &body);
  const ui::RequestFacts facts{.method = lines[0],
                               .target = lines[1],
                               .host = lines[2],
                               .origin = lines[3],
                               .cookie = lines[4],
                               .sec_fetch_site = lines[5]};
  const ui::Decision decision = ui::Check(facts, TheAccess());
  if (!decision.refusal.ok()) {
    Check(decision.refusal.reason() >= 860 && decision.refusal.reason() < 880);
    const int status = ui::HttpStatusFor(decision.refusal);
    Check(status >= 400 && status < 500);
    return 0;
  }
  Check(facts.host == TheAccess().host && decision.route != nullptr);
  Check(facts.method == "GET" || facts.origin == TheAccess().origin);
  if (decision.route->kind != ui::RouteKind::kApi) return 0;
  const std::string_view pattern = decision.route->pattern;
  if (pattern == "/api/close" || pattern.starts_with("/api/pairing/")) {
    (void)ui::ParseJoinRequest(body);  // the server's own routes: only their body is parsed
    return 0;
  }
  ui::Api api(journal);
  attune::Result<ui::ApiAnswer> answer = api.Answer(decision, body, {}, 15);
  if (answer.ok()) {
    Check(answer->status >= 200 && answer->status < 300 && answer->body.is_object());
  } else {
    Check(answer.status().code() != attune::StatusCode::kOk);
  }
  return 0;
}
