// Two (or more) partners' homes side by side, paired for real with `attune pair` on loopback,
// for the sharing and sync tests: running commands in one home, keeping `serve` running in the
// background, syncing, and polling for what arrives. Built on AttuneTest (e2e_fixture.h);
// like it, links none of attune's libraries.
#ifndef ATTUNE_TESTS_E2E_PARTNERS_H_
#define ATTUNE_TESTS_E2E_PARTNERS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/background_process.h"
#include "tests/e2e/e2e_fixture.h"

namespace attune::e2e {

// Exit codes of the link and sync, from docs/guide.md and cli/exit_codes.h.
inline constexpr int kExitUnknownPeer = 12;
inline constexpr int kExitUnreachable = 13;
inline constexpr int kExitStoppedAnswering = 14;
inline constexpr int kExitNotPaired = 16;

// How long one step (a line to appear, a process to end) may take before the test gives up.
// Every step normally takes milliseconds; this only keeps a broken build from hanging.
inline constexpr std::chrono::milliseconds kStep = std::chrono::seconds(10);
// Changes between two running serves normally arrive in well under a second; this only keeps
// a broken build from hanging.
inline constexpr std::chrono::milliseconds kArrival = std::chrono::seconds(20);

bool Contains(const std::string& text, const std::string& part);

// Opens the FIFO at `path` for writing once another process opened it for reading (the
// blocking open() is the event waited for); -1 if none did within `within`, which only keeps a
// broken build from hanging.
int OpenFifoOnceRead(const std::string& path, std::chrono::milliseconds within);

// Calls `probe` until it returns true or `within` has passed, and again each time a journal in
// one of `homes` changed (inotify on its database and WAL): what the probes of two homes look
// at changes only when a commit does. `within` only keeps a broken build from hanging.
bool EventuallyAfterCommits(const std::function<bool()>& probe, std::chrono::milliseconds within,
                            const std::vector<std::string>& homes);

// Returns once the journals in `homes` were written `writes` times (each a batch of inotify
// events on a database or WAL), or once `within` has passed; how many writes it saw. For
// landing a fault at a random point of what the nodes do, never for synchronisation.
int WaitForJournalWrites(const std::vector<std::string>& homes, int writes,
                         std::chrono::milliseconds within);

// PRAGMA integrity_check of the database file at `path`, read directly with SQLite: "ok", the
// problems SQLite found, or why it could not check. For after a node was killed; opens the file
// read-write (as the next attune would), so call it while no process has the database open.
std::string IntegrityCheck(const std::string& path);

class PartnersTest : public AttuneTest {
 protected:
  // A journal named `name` (no passphrase) in a home of its own under the test's directory.
  std::string NewHome(const std::string& name);

  // Waits for `probe` to hold, looking again after each commit to any home of this test
  // (EventuallyAfterCommits), never on a timer.
  bool Eventually(const std::function<bool()>& probe, std::chrono::milliseconds within) {
    return EventuallyAfterCommits(probe, within, homes_);
  }
  // WaitForJournalWrites on every home of this test.
  int WaitForWrites(int writes, std::chrono::milliseconds within) {
    return WaitForJournalWrites(homes_, writes, within);
  }

  // attune --home HOME ARGS..., standard input `input`.
  RunResult RunAt(const std::string& home, std::vector<std::string> args,
                  const std::string& input = "");
  // The same, expecting exit 0 and JSON on standard output (`--json` is appended).
  nlohmann::json JsonAt(const std::string& home, std::vector<std::string> args);
  // `add KIND TEXT EXTRA...` in `home`; the new id, or "" after recording a failure.
  std::string AddAt(const std::string& home, const std::string& kind, const std::string& text,
                    const std::vector<std::string>& extra = {});
  // Ids of `list ARGS... --json` in `home`, in list order.
  std::vector<std::string> ListIds(const std::string& home, std::vector<std::string> args = {});

  // Whether `home` holds its partner's entry `id`.
  bool PartnerHas(const std::string& home, const std::string& id);
  // Shares a new need in `from` and waits for `to` to hold it: with serve on both homes, that
  // the live link is up (and, the log being sent in order, that all shared before it arrived).
  // The new entry's id, or "" if it did not arrive within kArrival.
  std::string ArrivesLive(const std::string& from, const std::string& to, const std::string& text);

  BackgroundProcess StartAt(const std::string& home, std::vector<std::string> args);

  // What a line of `serve --json` holds for an event of `kind` ("listening", "session_ended",
  // ...: cli/messages.h, ServeEventJson), for BackgroundProcess::ReadLineContaining.
  static std::string ServeEvent(const std::string& kind) { return "\"event\":\"" + kind + "\""; }

  // Pairs `inviter` and `joiner` with `attune pair`, telling each other these serve ports.
  void Pair(const std::string& inviter, uint16_t inviter_port, const std::string& joiner,
            uint16_t joiner_port);
  // Two new homes, Alex and Sam, paired, with serve ports of their own (alex_port_, sam_port_).
  void PairAlexAndSam();

  // Starts `serve --json` in `home` on 127.0.0.1 and the serve port it told its partner, and
  // waits until it listens.
  BackgroundProcess Serve(const std::string& home, std::vector<std::string> extra = {});
  // Ends `serve` the way a person does, expecting a clean exit.
  void Stop(BackgroundProcess& serve);
  // One `sync` from `home` while `serving` runs serve; the sync's result.
  RunResult SyncThroughServe(const std::string& home, const std::string& serving,
                             std::vector<std::string> extra = {});

  std::string alex_, sam_;
  uint16_t alex_port_ = 0, sam_port_ = 0;

 private:
  std::vector<std::string> homes_;  // every NewHome
};

}  // namespace attune::e2e

#endif  // ATTUNE_TESTS_E2E_PARTNERS_H_
