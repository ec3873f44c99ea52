#include "tests/e2e/partners.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <future>
#include <optional>
#include <thread>
#include <utility>

#include "tests/e2e/loopback.h"

namespace attune::e2e {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

int OpenFifoOnceRead(const std::string& path, std::chrono::milliseconds within) {
  std::promise<int> opened;
  std::future<int> writer = opened.get_future();
  std::thread opening([&] { opened.set_value(::open(path.c_str(), O_WRONLY | O_CLOEXEC)); });
  const bool read_in_time = writer.wait_for(within) == std::future_status::ready;
  int unblock = -1;
  // Nobody came: the test's own reader ends the blocked open.
  if (!read_in_time) unblock = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  opening.join();
  const int fd = writer.get();
  if (unblock >= 0) ::close(unblock);
  if (read_in_time) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

namespace {

// inotify on the journals of some homes: Wait returns when one of their databases or WALs was
// written, created or moved into place, or at the deadline.
class JournalChanges {
 public:
  // Writes, and closes after writing (a commit is visible by then; see
  // node/link_change_watch.h).
  static constexpr uint32_t kEvents = IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO;

  explicit JournalChanges(const std::vector<std::string>& homes)
      : fd_(::inotify_init1(IN_CLOEXEC)) {
    for (const std::string& home : homes) {
      if (fd_ >= 0) ::inotify_add_watch(fd_, home.c_str(), kEvents);
    }
  }
  ~JournalChanges() {
    if (fd_ >= 0) ::close(fd_);
  }
  JournalChanges(const JournalChanges&) = delete;
  JournalChanges& operator=(const JournalChanges&) = delete;

  bool ok() const { return fd_ >= 0; }

  // True if a journal changed before `deadline`; every event waiting is taken.
  bool Wait(std::chrono::steady_clock::time_point deadline) {
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd ready{fd_, POLLIN, 0};
      if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) return false;
      if (TakeEvents()) return true;
    }
  }

 private:
  // Whether the events read name a journal (a probe's own lock or draft files do not count).
  bool TakeEvents() {
    alignas(inotify_event) char buffer[16 * 1024];
    const ssize_t size = ::read(fd_, buffer, sizeof buffer);
    bool journal = false;
    for (ssize_t at = 0; size > 0 && at + static_cast<ssize_t>(sizeof(inotify_event)) <= size;) {
      inotify_event event;
      std::memcpy(&event, buffer + at, sizeof event);
      const std::string name = event.len > 0 ? std::string(buffer + at + sizeof event) : "";
      journal = journal || (event.mask & IN_Q_OVERFLOW) != 0 || name == "journal.db" ||
                name == "journal.db-wal";
      at += static_cast<ssize_t>(sizeof event + event.len);
    }
    return journal;
  }

  int fd_;
};

}  // namespace

bool EventuallyAfterCommits(const std::function<bool()>& probe, std::chrono::milliseconds within,
                            const std::vector<std::string>& homes) {
  JournalChanges changes(homes);  // watching before the first look: no commit slips between
  if (!changes.ok()) {
    ADD_FAILURE() << "cannot watch the journals (inotify): " << std::strerror(errno);
    return probe();
  }
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (true) {
    if (probe()) return true;
    if (!changes.Wait(deadline)) return probe();
  }
}

int WaitForJournalWrites(const std::vector<std::string>& homes, int writes,
                         std::chrono::milliseconds within) {
  JournalChanges changes(homes);
  if (!changes.ok()) {
    ADD_FAILURE() << "cannot watch the journals (inotify): " << std::strerror(errno);
    return 0;
  }
  const auto deadline = std::chrono::steady_clock::now() + within;
  int seen = 0;
  while (seen < writes && changes.Wait(deadline)) ++seen;
  return seen;
}

std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  std::string report;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK) {
      while (sqlite3_step(statement) == SQLITE_ROW) {
        if (!report.empty()) report += "\n";
        report += reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
      }
    }
    sqlite3_finalize(statement);
  }
  if (report.empty()) report = std::string("cannot check: ") + sqlite3_errmsg(db);
  sqlite3_close_v2(db);
  return report;
}

std::string PartnersTest::NewHome(const std::string& name) {
  const std::string dir = PathIn("home-" + name);
  homes_.push_back(dir);
  const RunResult made = RunAt(dir, {"init", "--name", name, "--no-passphrase"});
  EXPECT_EQ(made.exit_code, kExitOk) << made;
  return dir;
}

RunResult PartnersTest::RunAt(const std::string& home, std::vector<std::string> args,
                              const std::string& input) {
  args.insert(args.begin(), {"--home", home});
  return Run(args, input);
}

nlohmann::json PartnersTest::JsonAt(const std::string& home, std::vector<std::string> args) {
  args.push_back("--json");
  const RunResult result = RunAt(home, args);
  EXPECT_EQ(result.exit_code, kExitOk) << result;
  return result.exit_code == kExitOk ? ParseJson(result.out) : nlohmann::json();
}

std::string PartnersTest::AddAt(const std::string& home, const std::string& kind,
                                const std::string& text, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"add", kind, text};
  args.insert(args.end(), extra.begin(), extra.end());
  const RunResult result = RunAt(home, args);
  EXPECT_EQ(result.exit_code, kExitOk) << result;
  const std::string id = TrimmedLine(result.out);
  EXPECT_EQ(id.size(), 32u) << result;
  return result.exit_code == kExitOk ? id : "";
}

std::vector<std::string> PartnersTest::ListIds(const std::string& home,
                                               std::vector<std::string> args) {
  args.insert(args.begin(), "list");
  std::vector<std::string> ids;
  const nlohmann::json listed = JsonAt(home, args);
  if (!listed.is_array()) return ids;
  for (const nlohmann::json& entry : listed) ids.push_back(entry["id"].get<std::string>());
  return ids;
}

bool PartnersTest::PartnerHas(const std::string& home, const std::string& id) {
  const std::vector<std::string> ids = ListIds(home, {"--partner"});
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string PartnersTest::ArrivesLive(const std::string& from, const std::string& to,
                                      const std::string& text) {
  const std::string id = AddAt(from, "need", text, {"--share"});
  if (id.empty()) return "";
  return Eventually([&] { return PartnerHas(to, id); }, kArrival) ? id : "";
}

BackgroundProcess PartnersTest::StartAt(const std::string& home, std::vector<std::string> args) {
  args.insert(args.begin(), {"--home", home});
  BackgroundProcess process({ATTUNE_BINARY, args, env, "", kDefaultTimeout});
  EXPECT_TRUE(process.failure().empty()) << process.failure();
  return process;
}

void PartnersTest::Pair(const std::string& inviter, uint16_t inviter_port,
                        const std::string& joiner, uint16_t joiner_port) {
  BackgroundProcess invitation = StartAt(
      inviter,
      {"pair", "--listen", "127.0.0.1:0", "--serve-port", std::to_string(inviter_port), "--json"});
  const std::optional<std::string> offer_line = invitation.ReadLine(kStep);
  ASSERT_TRUE(offer_line.has_value()) << invitation.Wait(kStep);
  const nlohmann::json offer = ParseJson(*offer_line);
  ASSERT_TRUE(offer.is_object() && offer.contains("code") && offer.contains("address"))
      << *offer_line;
  const RunResult joined = RunAt(joiner, {"pair", "--join", offer["code"].get<std::string>(),
                                          "--to", offer["address"].get<std::string>(),
                                          "--serve-port", std::to_string(joiner_port), "--json"});
  ASSERT_EQ(joined.exit_code, kExitOk) << joined;
  const RunResult invited = invitation.Wait(kStep);
  ASSERT_EQ(invited.exit_code, kExitOk) << invited;
}

void PartnersTest::PairAlexAndSam() {
  alex_ = NewHome("Alex");
  sam_ = NewHome("Sam");
  alex_port_ = UnusedLoopbackPort();
  sam_port_ = UnusedLoopbackPort();
  ASSERT_NE(alex_port_, sam_port_);
  ASSERT_NO_FATAL_FAILURE(Pair(alex_, alex_port_, sam_, sam_port_));
}

BackgroundProcess PartnersTest::Serve(const std::string& home, std::vector<std::string> extra) {
  std::vector<std::string> args = {"serve", "--json", "--listen", "127.0.0.1"};
  args.insert(args.end(), extra.begin(), extra.end());
  BackgroundProcess serve = StartAt(home, args);
  const std::optional<std::string> line = serve.ReadLineContaining(ServeEvent("listening"), kStep);
  EXPECT_TRUE(line.has_value()) << serve.Wait(kStep);
  return serve;
}

void PartnersTest::Stop(BackgroundProcess& serve) {
  EXPECT_TRUE(serve.Signal(SIGTERM));
  const RunResult stopped = serve.Wait(kStep);
  EXPECT_EQ(stopped.exit_code, kExitOk) << stopped;
}

RunResult PartnersTest::SyncThroughServe(const std::string& home, const std::string& serving,
                                         std::vector<std::string> extra) {
  BackgroundProcess serve = Serve(serving);
  extra.insert(extra.begin(), "sync");
  RunResult synced = RunAt(home, extra);
  Stop(serve);
  return synced;
}

}  // namespace attune::e2e
