// The unlock agent's client side and its start (node/agent.h). The agent's own process is
// agent_process.cc.
#include "node/agent.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "base/bytes.h"
#include "base/scope_exit.h"
#include "base/unique_fd.h"
#include "crypto/keyed_hash.h"
#include "node/agent/agent_core.h"
#include "node/agent/agent_process.h"

namespace attune::node {
namespace {

// How long a client waits for the agent to answer, and `unlock` for a new agent to come up (it
// may first wait for the one it replaces to end).
constexpr int kAnswerTimeoutMs = 5'000;
constexpr int kStartTimeoutMs = 15'000;

Status StartFailed(std::string step) {
  return Status::IoError(std::move(step)).WithReason(AgentReason::kStartFailed);
}

// The agent's folder, made if missing, and checked to be this user's alone: a folder in /tmp may
// have been made by anyone first.
Status MakePrivateFolder(const std::string& folder) {
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::IoError("cannot make " + folder + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (::lstat(folder.c_str(), &info) != 0) {
    return Status::IoError("cannot look at " + folder + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(info.st_mode) || info.st_uid != ::geteuid() || (info.st_mode & 077) != 0) {
    return Status::IoError(folder).WithReason(AgentReason::kUnsafeFolder);
  }
  return Status::Ok();
}

// Connects to the agent at `place`; no descriptor when none listens there (or one of another user).
UniqueFd Connect(const AgentPlace& place) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return UniqueFd();
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, place.socket.c_str(), place.socket.size() + 1);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    return UniqueFd();
  }
  // Only an agent of this very user is believed (the folder's check makes any other unlikely).
  ucred peer{};
  socklen_t size = sizeof(peer);
  if (::getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0 ||
      peer.uid != ::geteuid()) {
    return UniqueFd();
  }
  const timeval timeout{kAnswerTimeoutMs / 1000, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  return fd;
}

// One request to the home's agent; nullopt when no agent answers it.
Result<std::optional<agent::AgentReply>> Ask(const Home& home, uint8_t request) {
  ATTUNE_ASSIGN_OR_RETURN(AgentPlace place, AgentPlaceFor(home));
  UniqueFd fd = Connect(place);
  if (!fd.valid()) return std::optional<agent::AgentReply>();
  if (::send(fd.get(), &request, 1, MSG_NOSIGNAL) != 1) return std::optional<agent::AgentReply>();
  Secret reply(agent::kMaxReplyBytes + 1);
  size_t got = 0;
  while (got < reply.size()) {
    const ssize_t n = ::read(fd.get(), reply.data() + got, reply.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::optional<agent::AgentReply>();  // timed out or reset: no agent
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  Result<agent::AgentReply> parsed = agent::ParseAgentReply(reply.span().first(got));
  // Whatever answers with something else is not an agent of this attune.
  if (!parsed.ok()) return std::optional<agent::AgentReply>();
  return std::optional<agent::AgentReply>(std::move(*parsed));
}

// Writes all of `bytes` to a pipe.
bool WriteAll(int fd, ByteSpan bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes = bytes.subspan(static_cast<size_t>(n));
  }
  return true;
}

// Reads what the new agent says about its start (agent_process.h): until it closes the pipe or
// kStartTimeoutMs pass.
std::string ReadStartReport(int fd) {
  std::string said;
  char buffer[256];
  while (said.size() < 1024) {
    pollfd wait{fd, POLLIN, 0};
    const int ready = ::poll(&wait, 1, kStartTimeoutMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    said.append(buffer, static_cast<size_t>(n));
  }
  return said;
}

// Forks twice so that the agent belongs to no terminal's session and is nobody's child, and
// execs this same program as the agent (a fresh process: nothing of this one's memory goes
// along but the key, which travels through a pipe). Returns the pid the agent reports.
Result<int> Spawn(const AgentPlace& place, const Secret& key, std::chrono::seconds hold) {
  int key_pipe[2];
  int report_pipe[2];
  if (::pipe2(key_pipe, O_CLOEXEC) != 0) return StartFailed("pipe");
  UniqueFd key_read(key_pipe[0]), key_write(key_pipe[1]);
  if (::pipe2(report_pipe, O_CLOEXEC) != 0) return StartFailed("pipe");
  UniqueFd report_read(report_pipe[0]), report_write(report_pipe[1]);
  const std::string hold_text = std::to_string(hold.count());
  const pid_t child = ::fork();
  if (child < 0) return StartFailed("fork");
  if (child == 0) {
    // Only async-signal-safe calls from here to exec.
    ::setsid();
    const pid_t agent_pid = ::fork();
    if (agent_pid != 0) ::_exit(agent_pid < 0 ? 1 : 0);
    ::dup2(key_read.get(), STDIN_FILENO);
    ::dup2(report_write.get(), STDOUT_FILENO);
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) ::dup2(null, STDERR_FILENO);
    ::chdir("/");
    const char* args[] = {"attune",
                          kAgentProcessFlag.data(),
                          place.folder.c_str(),
                          place.socket.c_str(),
                          place.lock.c_str(),
                          hold_text.c_str(),
                          nullptr};
    ::execv("/proc/self/exe", const_cast<char* const*>(args));
    ::_exit(127);
  }
  key_read.Reset();
  report_write.Reset();
  const bool sent = WriteAll(key_write.get(), key.span());
  key_write.Reset();
  int child_status = 0;
  while (::waitpid(child, &child_status, 0) < 0 && errno == EINTR) {
  }
  if (!sent) return StartFailed("the key did not reach the agent");
  const std::string report = ReadStartReport(report_read.get());
  return agent::ParseStartReport(report);
}

}  // namespace

Result<AgentPlace> AgentPlaceFor(const Home& home, const std::optional<std::string>& runtime_dir) {
  // One agent for one home however it is named: links resolved, "..", "." and a last "/" gone.
  std::error_code error;
  const std::filesystem::path resolved = std::filesystem::weakly_canonical(home.dir(), error);
  if (error) return Status::IoError("cannot resolve " + home.dir() + ": " + error.message());
  std::string normal = resolved.lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  // 80 bits of the path's digest: short enough for any socket path, long enough not to collide.
  const std::string name =
      "home-" +
      ToHex(crypto::PublicDigest("attune/agent socket", AsBytes(normal), 16)).substr(0, 20);
  AgentPlace place;
  place.folder = runtime_dir && !runtime_dir->empty()
                     ? *runtime_dir + "/attune"
                     : "/tmp/attune-" + std::to_string(::geteuid());
  place.socket = place.folder + "/" + name + ".sock";
  place.lock = place.folder + "/" + name + ".lock";
  if (place.socket.size() >= sizeof(sockaddr_un{}.sun_path)) {
    return Status::IoError("the runtime folder's path is too long for a socket: " + place.folder);
  }
  return place;
}

Result<AgentPlace> AgentPlaceFor(const Home& home) {
  const char* runtime_dir = std::getenv("XDG_RUNTIME_DIR");
  return AgentPlaceFor(home, runtime_dir ? std::optional<std::string>(runtime_dir) : std::nullopt);
}

Result<AgentStarted> StartAgent(const Home& home, Journal journal, std::chrono::seconds hold,
                                const Clock& clock) {
  if (hold < kAgentMinHold || hold > kAgentMaxHold) {
    return Status::InvalidArgument("hold " + std::to_string(hold.count()) + " s")
        .WithReason(AgentReason::kHoldOutOfRange);
  }
  ATTUNE_ASSIGN_OR_RETURN(AgentPlace place, AgentPlaceFor(home));
  ATTUNE_RETURN_IF_ERROR(MakePrivateFolder(place.folder));
  const Secret key = journal.CopyDataKey();
  { Journal closed = std::move(journal); }  // the database is closed before the fork
  // The agent this one replaces forgets its key now; the new one takes over its lock once it
  // has ended.
  ATTUNE_RETURN_IF_ERROR(LockAgent(home).status());
  const Timestamp started = clock.Now();
  ATTUNE_ASSIGN_OR_RETURN(int pid, Spawn(place, key, hold));
  Timestamp until = started;
  until.utc_ms += std::chrono::duration_cast<std::chrono::milliseconds>(hold).count();
  return AgentStarted{pid, until};
}

Result<std::optional<AgentState>> AskAgentState(const Home& home) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<agent::AgentReply> reply, Ask(home, agent::kAskState));
  if (!reply || reply->kind != agent::kReplyState) return std::optional<AgentState>();
  return std::optional<AgentState>(
      AgentState{reply->pid, std::chrono::milliseconds(reply->remaining_ms)});
}

Result<std::optional<Journal>> OpenWithAgent(const Home& home, const Clock& clock) {
  if (!home.HasJournal()) return std::optional<Journal>();
  ATTUNE_ASSIGN_OR_RETURN(std::optional<agent::AgentReply> reply, Ask(home, agent::kAskKey));
  if (!reply || reply->kind != agent::kReplyKey) return std::optional<Journal>();
  Result<Journal> journal = Journal::OpenWithDataKey(home, std::move(reply->key), clock);
  if (journal.status().Is(JournalReason::kKeyCheckFailed)) {
    // Re-keyed since the agent was given its key: that key is of no use any more.
    ATTUNE_RETURN_IF_ERROR(LockAgent(home).status());
    return std::optional<Journal>();
  }
  if (!journal.ok()) return journal.status();
  return std::optional<Journal>(std::move(*journal));
}

Result<bool> LockAgent(const Home& home) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<agent::AgentReply> reply, Ask(home, agent::kAskForget));
  return reply.has_value() && reply->kind == agent::kReplyForgotten;
}

}  // namespace attune::node
