#include "node/doctor.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string_view>
#include <vector>

#include "base/system_error.h"
#include "storage/database.h"

namespace attune::node {
namespace {

// ---- The serve port ----

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The process id a /proc entry names, or 0 for the entries that are not processes.
int ProcessIdOf(std::string_view name) {
  int pid = 0;
  const auto [stopped, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
  return error == std::errc() && stopped == name.data() + name.size() && pid > 0 ? pid : 0;
}

std::vector<int> ProcessIds() {
  std::vector<int> pids;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return pids;
  while (const dirent* item = ::readdir(proc)) {
    const int pid = ProcessIdOf(item->d_name);
    if (pid > 0 && pid != ::getpid()) pids.push_back(pid);
  }
  ::closedir(proc);
  return pids;
}

// Whether `pid` runs `attune ... serve ...`. /proc/PID/cmdline stays readable for attune's
// non-dumpable processes.
bool IsAttuneServe(int pid) {
  std::vector<std::string> args;
  std::istringstream cmdline(ReadWholeFile("/proc/" + std::to_string(pid) + "/cmdline"));
  for (std::string arg; std::getline(cmdline, arg, '\0');) args.push_back(arg);
  if (args.empty()) return false;
  const size_t slash = args.front().rfind('/');
  if (args.front().substr(slash == std::string::npos ? 0 : slash + 1) != "attune") return false;
  return std::find(args.begin() + 1, args.end(), "serve") != args.end();
}

// The real user id of `pid` (from /proc/PID/status, which anyone may read), or -1.
long OwnerOf(int pid) {
  std::istringstream status(ReadWholeFile("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Uid:", 0) == 0) return std::strtol(line.c_str() + 4, nullptr, 10);
  }
  return -1;
}

struct Listener {
  long uid = -1;
  std::string inode;
};

// The TCP sockets listening on `port` (any address), from /proc/net/tcp and tcp6.
std::vector<Listener> ListenersOn(uint16_t port) {
  std::vector<Listener> found;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::istringstream lines(ReadWholeFile(table));
    std::string line;
    std::getline(lines, line);  // the header
    while (std::getline(lines, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      const size_t colon = local.rfind(':');
      if (state != "0A" || colon == std::string::npos) continue;  // 0A: LISTEN
      if (std::strtoul(local.c_str() + colon + 1, nullptr, 16) != port) continue;
      found.push_back({std::strtol(uid.c_str(), nullptr, 10), inode});
    }
  }
  return found;
}

// The process holding socket `inode` open, if its descriptors can be read (our own dumpable
// processes, or any as root).
std::optional<int> HolderOf(const std::string& inode, const std::vector<int>& pids) {
  const std::string link = "socket:[" + inode + "]";
  for (int pid : pids) {
    const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
    DIR* fds = ::opendir(dir.c_str());
    if (fds == nullptr) continue;
    bool holds = false;
    while (const dirent* item = ::readdir(fds)) {
      char target[64] = {};
      const std::string path = dir + "/" + item->d_name;
      const ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
      if (n > 0 && link == std::string(target, static_cast<size_t>(n))) holds = true;
    }
    ::closedir(fds);
    if (holds) return pid;
  }
  return std::nullopt;
}

// Who holds `port`: the process, when its descriptors can be read; otherwise, because attune
// serve is not dumpable (so its descriptors are hidden even from its own user), an attune serve
// of this user when the listener is this user's too.
PortCheck WhoHolds(uint16_t port) {
  const std::vector<int> pids = ProcessIds();
  const long me = static_cast<long>(::getuid());
  for (const Listener& listener : ListenersOn(port)) {
    if (std::optional<int> holder = HolderOf(listener.inode, pids)) {
      if (IsAttuneServe(*holder)) return {PortState::kUsedByAttuneServe, holder};
      return {PortState::kUsedByOther, std::nullopt};
    }
    if (listener.uid != me) continue;
    for (int pid : pids) {
      if (OwnerOf(pid) == me && IsAttuneServe(pid)) return {PortState::kUsedByAttuneServe, pid};
    }
  }
  return {PortState::kUsedByOther, std::nullopt};
}

// 0 if a listener could bind the address now, else the errno of bind.
Result<int> TryBind(const std::string& host, uint16_t port) {
  sockaddr_storage address{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof *v4;
  } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof *v6;
  } else {
    return Status::InvalidArgument("'" + host + "' is not an IP address");
  }
  const int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return SystemErrorStatus(errno, "cannot open a socket");
  // As serve does: a connection of a serve that just ended (TIME_WAIT) does not hold the port.
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const int error = ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 ? 0 : errno;
  ::close(fd);
  return error;
}

// ---- The firewall ----

// Where the tool `name` is: the first executable of that name in PATH (the system's when it is
// unset), then /usr/sbin and /sbin, which ordinary users' PATH often lacks and where nft and
// iptables live. Only absolute folders: never the current one.
std::optional<std::string> FindTool(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream folders(std::string(path != nullptr && *path != '\0' ? path : "/usr/bin:/bin") +
                            ":/usr/sbin:/sbin");
  for (std::string folder; std::getline(folders, folder, ':');) {
    if (folder.empty() || folder.front() != '/') continue;
    const std::string candidate = folder + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

bool HasTool(const std::string& name) {
  return FindTool(name).has_value();
}

// The environment for a tool: this one's, with its messages in the C locale.
std::vector<std::string> ToolEnvironment() {
  std::vector<std::string> variables;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    if (!std::string_view(*variable).starts_with("LC_ALL=")) variables.emplace_back(*variable);
  }
  variables.emplace_back("LC_ALL=C");
  return variables;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

struct ToolOutput {
  int exit_code = 0;
  std::string out;
};

// Runs a read-only tool directly (no shell), reading its standard output; its standard input
// and error are /dev/null. nullopt if it is not installed or could not run.
std::optional<ToolOutput> RunTool(std::vector<std::string> args) {
  const std::optional<std::string> binary = FindTool(args.front());
  int out[2];
  if (!binary || ::pipe2(out, O_CLOEXEC) != 0) return std::nullopt;
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> environment = ToolEnvironment();
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, binary->c_str(), &actions, nullptr, Pointers(args).data(),
                                    Pointers(environment).data());
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ToolOutput output;
  char buffer[4096];
  for (ssize_t n; spawned == 0 && (n = ::read(out[0], buffer, sizeof buffer)) != 0;) {
    if (n > 0) output.out.append(buffer, static_cast<size_t>(n));
    if (n < 0 && errno != EINTR) break;
  }
  ::close(out[0]);
  if (spawned != 0) return std::nullopt;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return std::nullopt;
  }
  if (!WIFEXITED(status)) return std::nullopt;
  output.exit_code = WEXITSTATUS(status);
  return output;
}

// Standard output of a read-only tool, if it ran and exited 0.
std::optional<std::string> OutputOf(std::vector<std::string> args) {
  std::optional<ToolOutput> ran = RunTool(std::move(args));
  if (!ran || ran->exit_code != 0) return std::nullopt;
  return std::move(ran->out);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Whether `line` names `port` as a destination port: "dport 47017", "--dport 47017", or in an
// nft set "dport { 22, 47017 }".
bool NamesPort(const std::string& line, uint16_t port) {
  const size_t dport = line.find("dport");
  if (dport == std::string::npos) return false;
  const std::string rest = " " + line.substr(dport + 5) + " ";
  const std::string number = std::to_string(port);
  for (const char* before : {" ", "{", ","}) {
    for (const char* after : {" ", ",", "}"}) {
      if (Contains(rest, before + number + after)) return true;
    }
  }
  return false;
}

FirewallReport Named(std::string name, bool readable) {
  FirewallReport report;
  report.name = std::move(name);
  report.readable = readable;
  return report;
}

void CatchAll(FirewallReport& report, const std::string& rule) {
  report.refusal = FirewallRefusal::kCatchAllRule;
  report.rule = rule;
}

bool IsProcessRunning(const std::string& name) {
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return false;
  bool running = false;
  while (const dirent* item = ::readdir(proc)) {
    if (ProcessIdOf(item->d_name) == 0) continue;
    std::string comm = ReadWholeFile("/proc/" + std::string(item->d_name) + "/comm");
    if (!comm.empty() && comm.back() == '\n') comm.pop_back();
    if (comm == name) running = true;
  }
  ::closedir(proc);
  return running;
}

// ufw keeps its switch and default policy in files anyone may read, its rules in root's.
std::optional<FirewallReport> InspectUfw(uint16_t port) {
  if (!Contains(ReadWholeFile("/etc/ufw/ufw.conf"), "\nENABLED=yes")) return std::nullopt;
  FirewallReport report = Named("ufw", false);
  const std::string defaults = ReadWholeFile("/etc/default/ufw");
  const bool refuses = !Contains(defaults, "DEFAULT_INPUT_POLICY=\"ACCEPT\"");
  std::ifstream rules("/etc/ufw/user.rules");
  if (!rules) return report;
  report.readable = true;
  bool allowed = false;
  for (std::string line; std::getline(rules, line);) {
    if (NamesPort(line, port) && Contains(line, "ACCEPT")) allowed = true;
  }
  report.may_block = refuses && !allowed;
  if (refuses) report.refusal = FirewallRefusal::kDefaultPolicy;
  return report;
}

std::optional<FirewallReport> InspectFirewalld(uint16_t port) {
  if (!IsProcessRunning("firewalld")) return std::nullopt;
  FirewallReport report = Named("firewalld", false);
  // firewall-cmd prints "yes" or "no" (exiting 1 for "no"); without the right to ask (polkit),
  // it prints neither, and the rules stay unread.
  const std::optional<ToolOutput> asked =
      RunTool({"firewall-cmd", "--query-port=" + std::to_string(port) + "/tcp"});
  const std::string answer = asked ? asked->out : "";
  if (answer == "no\n") {
    report.readable = true;
    report.may_block = true;
    report.refusal = FirewallRefusal::kPortNotInZone;
  } else if (answer == "yes\n") {
    report.readable = true;
  }
  return report;
}

}  // namespace

// The input chains of an nft ruleset (iptables-nft's included): a drop policy or a catch-all
// drop/reject, without a rule accepting the port.
FirewallReport JudgeNftRuleset(const std::string& ruleset, uint16_t port) {
  // A rule with no match at all: it applies to every packet that gets that far.
  static const std::regex kCatchAll(
      "(counter( packets [0-9]+ bytes [0-9]+)? )?(drop|reject( with .*)?)");
  FirewallReport report = Named("", true);
  bool in_input = false, allowed = false;
  std::istringstream lines(ruleset);
  for (std::string line; std::getline(lines, line);) {
    const size_t start = line.find_first_not_of(" \t");
    const std::string text = start == std::string::npos ? "" : line.substr(start);
    if (text.rfind("chain ", 0) == 0) in_input = false;
    if (Contains(text, "hook input")) {
      in_input = true;
      report.name = "nftables";
      if (Contains(text, "policy drop")) report.refusal = FirewallRefusal::kDefaultPolicy;
    }
    if (!in_input) continue;
    if (NamesPort(text, port) && Contains(text, "accept")) allowed = true;
    if (std::regex_match(text, kCatchAll)) CatchAll(report, text);
  }
  report.may_block = report.refusal != FirewallRefusal::kNone && !allowed;
  return report;
}

FirewallReport JudgeIptablesRules(const std::string& rules, uint16_t port) {
  FirewallReport report = Named("iptables", true);
  bool allowed = false;
  std::istringstream lines(rules);
  for (std::string line; std::getline(lines, line);) {
    if (line == "-P INPUT DROP") report.refusal = FirewallRefusal::kDefaultPolicy;
    if (line.rfind("-A INPUT -j DROP", 0) == 0 || line.rfind("-A INPUT -j REJECT", 0) == 0) {
      CatchAll(report, line);
    }
    if (NamesPort(line, port) && Contains(line, "-j ACCEPT")) allowed = true;
  }
  report.may_block = report.refusal != FirewallRefusal::kNone && !allowed;
  if (report.refusal == FirewallRefusal::kNone && !Contains(rules, "-A INPUT")) report.name = "";
  return report;
}

Result<std::string> CheckDatabaseIntegrity(const Home& home) {
  ATTUNE_ASSIGN_OR_RETURN(
      storage::Database db,
      storage::Database::Open(home.database_path(), storage::OpenMode::kMustExist));
  return db.IntegrityCheck();
}

Result<PortCheck> CheckListenPort(const std::string& host, uint16_t port) {
  ATTUNE_ASSIGN_OR_RETURN(int error, TryBind(host, port));
  if (error == 0) return PortCheck{};
  if (error != EADDRINUSE) {
    return SystemErrorStatus(error, "cannot listen on port " + std::to_string(port));
  }
  return WhoHolds(port);
}

FirewallReport InspectFirewall(uint16_t port) {
  if (std::optional<FirewallReport> ufw = InspectUfw(port)) return *ufw;
  if (std::optional<FirewallReport> firewalld = InspectFirewalld(port)) return *firewalld;
  if (HasTool("nft")) {
    if (std::optional<std::string> ruleset = OutputOf({"nft", "list", "ruleset"})) {
      return JudgeNftRuleset(*ruleset, port);
    }
    return FirewallReport{};  // present, but its rules need root
  }
  if (HasTool("iptables")) {
    if (std::optional<std::string> rules = OutputOf({"iptables", "-S", "INPUT"})) {
      return JudgeIptablesRules(*rules, port);
    }
    return FirewallReport{};
  }
  // Neither tool is installed, so no packet filter was set up with them.
  return Named("", true);
}

}  // namespace attune::node
