// The unlock agent (`attune unlock`, `attune lock`): a background process that holds one home's
// data key for a while, so that the commands run meanwhile need no passphrase.
//
// One agent per home, found by a socket whose name is a hash of the home's path, in the user's
// runtime folder ($XDG_RUNTIME_DIR/attune/, else /tmp/attune-UID/; either must be a folder the
// user owns with mode 0700, never a link, or the agent refuses to use it). The socket is 0600
// and the agent also checks each caller's user id (SO_PEERCRED): another user is refused even
// where the file's mode would let them connect (root, a loosened folder).
//
// The key lives in locked memory (libsodium's guarded allocation, not swapped or dumped) in a
// process that cannot be traced or core-dumped by the user's other programs (no PR_SET_DUMPABLE).
// The agent forgets the key and ends: when the time given runs out (a clock that counts
// suspended time too, and a check of every request against it); at `attune lock`; at SIGTERM or
// SIGHUP; and when its socket or folder is removed (a logout: logind removes $XDG_RUNTIME_DIR
// when the user's last session ends). Nothing is ever written to disk but the socket and a lock
// file; a killed agent takes the key with it.
//
// What it does not protect against: anyone who can run programs as this user while it holds the
// key (at the unlocked keyboard, or malware): they can ask it for the key, as attune does.
#ifndef ATTUNE_NODE_AGENT_H_
#define ATTUNE_NODE_AGENT_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "node/clock.h"
#include "node/home.h"
#include "node/journal.h"

namespace attune::node {

// Reasons (base/status.h) of the agent; the range 880-889.
enum class AgentReason {
  // kIoError: the agent's folder is not private to this user (another owner, group or other
  // permission bits, or a symbolic link); the detail is its path. Nothing was started.
  kUnsafeFolder = 880,
  // kInvalidArgument: a hold time outside kAgentHoldRange.
  kHoldOutOfRange = 881,
  // kIoError: the agent did not come up (the detail says at which step).
  kStartFailed = 882,
};

inline constexpr std::chrono::seconds kAgentMinHold{1};
inline constexpr std::chrono::seconds kAgentMaxHold{std::chrono::hours(24)};
inline constexpr std::chrono::seconds kAgentDefaultHold{std::chrono::minutes(15)};

// Where a home's agent listens.
struct AgentPlace {
  std::string folder;  // private to the user (0700)
  std::string socket;  // folder + "/" + hash of the home's absolute path + ".sock"
  std::string lock;    // beside the socket: held by the agent for as long as it runs
};

// `runtime_dir` is $XDG_RUNTIME_DIR (empty or unset: the /tmp fallback). Pure: makes nothing.
Result<AgentPlace> AgentPlaceFor(const Home& home, const std::optional<std::string>& runtime_dir);
// The same, with $XDG_RUNTIME_DIR read from the environment.
Result<AgentPlace> AgentPlaceFor(const Home& home);

struct AgentStarted {
  int pid = 0;
  Timestamp until;  // by the wall clock, when it was started
};

// Starts the home's agent holding the journal's data key for `hold` (kAgentHoldRange), and
// returns once it listens. The journal is closed first (the agent keeps only the key). An agent
// already running for this home is told to forget its key, and the new one replaces it. The
// process must have no other threads (the agent is forked off). kInvalidArgument
// (kHoldOutOfRange), kIoError (kUnsafeFolder, kStartFailed).
Result<AgentStarted> StartAgent(const Home& home, Journal journal, std::chrono::seconds hold,
                                const Clock& clock);

// What a home's agent says of itself.
struct AgentState {
  int pid = 0;
  std::chrono::milliseconds remaining{0};
};

// nullopt when no agent holds a key for this home (none runs, or its time ran out).
Result<std::optional<AgentState>> AskAgentState(const Home& home);

// The journal opened with the key the home's agent holds; nullopt when there is no agent, or
// its key no longer opens this journal (a re-key since: the agent is then told to forget it).
// The caller then asks for the passphrase as usual. Failures of the journal itself (damage) are
// returned as errors.
Result<std::optional<Journal>> OpenWithAgent(const Home& home, const Clock& clock);

// Tells the home's agent to forget its key and end. True if one was running.
Result<bool> LockAgent(const Home& home);

// For attune's main only. StartAgent runs the program again with kAgentProcessFlag, then the
// agent's folder, socket, lock file and hold in seconds: not a command, nobody types it.
// RunAgentProcess reads the key from standard input, closes its standard streams once it has
// reported its start, serves until it forgets the key, and returns the exit code.
inline constexpr std::string_view kAgentProcessFlag = "--be-unlock-agent";
int RunAgentProcess(int argc, char** argv);

}  // namespace attune::node

#endif  // ATTUNE_NODE_AGENT_H_
