#include "bench/homes.h"

#include <signal.h>
#include <stdlib.h>

#include <array>
#include <filesystem>
#include <optional>
#include <random>
#include <utility>

#include "crypto/random.h"
#include "node/clock.h"
#include "node/home.h"
#include "node/journal.h"
#include "steps/kinds.h"
#include "tests/e2e/loopback.h"

namespace attune::bench {
namespace {

constexpr size_t kEntryTextBytes = 1000;

// Words for filler text; none of them is kSearchWord, so a search finds exactly the entries
// that were given it.
constexpr std::array<std::string_view, 24> kFillerWords = {
    "evening", "walk",  "together", "listen", "quiet",    "morning", "coffee",   "plans",
    "change",  "safe",  "heard",    "gentle", "check-in", "message", "weekend",  "patience",
    "close",   "space", "steady",   "warmth", "promise",  "kitchen", "laughter", "slowly"};

std::string FailureOf(const std::vector<std::string>& args, const e2e::RunResult& result) {
  std::string command = "attune";
  for (const std::string& arg : args) command += " " + arg;
  std::string why = result.timed_out ? "timed out" : "exited " + std::to_string(result.exit_code);
  if (!result.failure.empty()) why = result.failure;
  return command + ": " + why + "\nstdout: " + result.out + "\nstderr: " + result.err;
}

Result<nlohmann::json> ParseJsonLine(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::Internal("not JSON: " + text);
  return parsed;
}

}  // namespace

Result<Scratch> Scratch::Create() {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") + "/attune-bench-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status::IoError("cannot create a scratch directory from " + pattern);
  }
  return Scratch(pattern);
}

Scratch::Scratch(std::string root) : root_(std::move(root)) {
  std::filesystem::create_directory(PathIn("user"));
  std::filesystem::create_directory(PathIn("tmp"));
  env_ = {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
          {"HOME", PathIn("user")},
          {"TMPDIR", PathIn("tmp")},
          {"NO_COLOR", "1"}};
}

Scratch::Scratch(Scratch&& other) noexcept
    : root_(std::exchange(other.root_, "")), env_(std::move(other.env_)) {}

Scratch::~Scratch() {
  if (root_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

e2e::RunRequest Scratch::Request(const std::string& home, std::vector<std::string> args,
                                 std::chrono::milliseconds timeout) const {
  args.insert(args.begin(), {"--home", home});
  return {ATTUNE_BINARY, std::move(args), env_, "", timeout};
}

Result<e2e::RunResult> Scratch::Run(const std::string& home, std::vector<std::string> args) const {
  e2e::RunResult result = e2e::RunProcess(Request(home, args));
  if (result.exit_code != 0) return Status::Internal(FailureOf(args, result));
  return result;
}

Result<nlohmann::json> Scratch::RunJson(const std::string& home,
                                        std::vector<std::string> args) const {
  args.push_back("--json");
  ATTUNE_ASSIGN_OR_RETURN(e2e::RunResult result, Run(home, std::move(args)));
  return ParseJsonLine(result.out);
}

Result<e2e::BackgroundProcess> Scratch::Start(const std::string& home,
                                              std::vector<std::string> args) const {
  e2e::BackgroundProcess process(Request(home, std::move(args)));
  if (!process.failure().empty()) return Status::Internal(process.failure());
  return process;
}

Result<std::string> Scratch::NewHome(const std::string& dir_name, const std::string& name) const {
  const std::string home = PathIn(dir_name);
  ATTUNE_RETURN_IF_ERROR(Run(home, {"init", "--name", name, "--no-passphrase"}).status());
  return home;
}

Result<Couple> Scratch::NewCouple(const std::string& label) const {
  Couple couple;
  ATTUNE_ASSIGN_OR_RETURN(couple.alex, NewHome("alex-" + label, "Alex"));
  ATTUNE_ASSIGN_OR_RETURN(couple.sam, NewHome("sam-" + label, "Sam"));
  couple.alex_port = e2e::UnusedLoopbackPort();
  couple.sam_port = e2e::UnusedLoopbackPort();
  if (couple.alex_port == 0 || couple.alex_port == couple.sam_port) {
    return Status::Internal("no two free loopback ports");
  }
  ATTUNE_RETURN_IF_ERROR(Pair(couple));
  return couple;
}

// As a couple does it: Alex shows a code and waits, Sam joins with it.
Status Scratch::Pair(const Couple& couple) const {
  ATTUNE_ASSIGN_OR_RETURN(e2e::BackgroundProcess invitation,
                          Start(couple.alex, {"pair", "--listen", "127.0.0.1:0", "--serve-port",
                                              std::to_string(couple.alex_port), "--json"}));
  const std::optional<std::string> offer_line = invitation.ReadLine(kStep);
  if (!offer_line) return Status::Internal("pair printed no offer: " + invitation.Wait(kStep).err);
  ATTUNE_ASSIGN_OR_RETURN(nlohmann::json offer, ParseJsonLine(*offer_line));
  if (!offer.contains("code") || !offer.contains("address")) {
    return Status::Internal("unexpected pairing offer: " + *offer_line);
  }
  ATTUNE_RETURN_IF_ERROR(
      Run(couple.sam, {"pair", "--join", offer["code"].get<std::string>(), "--to",
                       offer["address"].get<std::string>(), "--serve-port",
                       std::to_string(couple.sam_port), "--json"})
          .status());
  const e2e::RunResult invited = invitation.Wait(kStep);
  if (invited.exit_code != 0) return Status::Internal(FailureOf({"pair", "--listen"}, invited));
  return Status::Ok();
}

Result<e2e::BackgroundProcess> Scratch::Serve(const std::string& home) const {
  ATTUNE_ASSIGN_OR_RETURN(e2e::BackgroundProcess serve,
                          Start(home, {"serve", "--listen", "127.0.0.1"}));
  if (!serve.ReadLineContaining("listening on", kStep)) {
    return Status::Internal(FailureOf({"serve"}, serve.Wait(kStep)));
  }
  return serve;
}

Status Stop(e2e::BackgroundProcess& serve) {
  serve.Signal(SIGTERM);
  const e2e::RunResult stopped = serve.Wait(kStep);
  if (stopped.exit_code != 0) return Status::Internal(FailureOf({"serve"}, stopped));
  return Status::Ok();
}

std::string EntryText(uint64_t serial) {
  std::mt19937_64 words(serial);
  std::string text = "Entry " + std::to_string(serial) + ":";
  if (serial % 10 == 0) text += " " + std::string(kSearchWord);
  while (text.size() < kEntryTextBytes) {
    text += " ";
    text += kFillerWords[words() % kFillerWords.size()];
  }
  text.resize(kEntryTextBytes);
  return text;
}

std::vector<node::Entry> MakeSharedEntries(int count) {
  const node::Timestamp now = node::SystemClock().Now();
  const int need_step = steps::FindKind("need").value()->step;
  std::vector<node::Entry> entries(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    node::Entry& entry = entries[static_cast<size_t>(i)];
    entry.id = ToHex(crypto::RandomBytes(16));
    entry.kind = "need";
    entry.step = need_step;
    entry.text = EntryText(static_cast<uint64_t>(i));
    // A second apart, oldest first, as if written over time.
    entry.created = {now.utc_ms - int64_t{1000} * (count - i), now.offset_min};
    entry.updated = entry.created;
    entry.visibility = node::Visibility::kShared;
  }
  return entries;
}

Status FillJournal(const std::string& home, std::vector<node::Entry> entries) {
  const node::SystemClock clock;
  const node::PassphraseSource no_passphrase = []() -> Result<node::Secret> {
    return Status::InvalidArgument("the bench's homes have no passphrase");
  };
  ATTUNE_ASSIGN_OR_RETURN(node::Journal journal,
                          node::Journal::Open(node::Home(home), no_passphrase, clock));
  const size_t expected = entries.size();
  ATTUNE_ASSIGN_OR_RETURN(node::ImportSummary summary, journal.ImportEntries(std::move(entries)));
  if (static_cast<size_t>(summary.added) != expected) {
    return Status::Internal("filled " + std::to_string(summary.added) + " of " +
                            std::to_string(expected) + " entries");
  }
  return Status::Ok();
}

}  // namespace attune::bench
