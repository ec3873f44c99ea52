// The benchmark's partners: homes in a scratch directory, the real `attune` binary run against
// them (init, pair, serve, sync, ...), and journals filled with shared entries straight through
// the node library, since writing 100,000 entries one `attune add` at a time would take longer
// than everything measured.
//
// The binary runs with an environment built from scratch, as in the e2e tests, so a developer's
// ATTUNE_* variables never change what is measured. Thread-compatible.
#ifndef ATTUNE_BENCH_HOMES_H_
#define ATTUNE_BENCH_HOMES_H_

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "node/entry.h"
#include "tests/e2e/background_process.h"
#include "tests/e2e/run_attune.h"

namespace attune::bench {

// How long one step that normally takes milliseconds may take before the run gives up; the
// 100,000-entry sync gets kLongStep.
inline constexpr std::chrono::milliseconds kStep = std::chrono::seconds(30);
inline constexpr std::chrono::milliseconds kLongStep = std::chrono::minutes(5);

// Two paired homes and the ports their `serve` listens on.
struct Couple {
  std::string alex, sam;  // home directories
  uint16_t alex_port = 0, sam_port = 0;
};

class Scratch {
 public:
  // A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
  static Result<Scratch> Create();
  ~Scratch();
  Scratch(Scratch&& other) noexcept;
  Scratch& operator=(Scratch&&) = delete;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  std::string PathIn(const std::string& name) const { return root_ + "/" + name; }

  // Every attune run from now on points its tor at the private Tor network whose client torrc
  // is `torrc` (ATTUNE_TOR_EXTRA_TORRC).
  void UseTorNetwork(const std::string& torrc) { env_["ATTUNE_TOR_EXTRA_TORRC"] = torrc; }

  // attune --home HOME ARGS...
  e2e::RunRequest Request(const std::string& home, std::vector<std::string> args,
                          std::chrono::milliseconds timeout = kStep) const;
  // Runs to completion; kInternal (with what it printed) unless it exits 0.
  Result<e2e::RunResult> Run(const std::string& home, std::vector<std::string> args) const;
  // The same with --json appended; its output parsed.
  Result<nlohmann::json> RunJson(const std::string& home, std::vector<std::string> args) const;
  Result<e2e::BackgroundProcess> Start(const std::string& home,
                                       std::vector<std::string> args) const;

  // A new journal without a passphrase in home `dir_name`; returns the home's path.
  Result<std::string> NewHome(const std::string& dir_name, const std::string& name) const;
  // Two new homes (Alex and Sam, directories named after `label`) paired with `attune pair`.
  Result<Couple> NewCouple(const std::string& label) const;

  // `serve --listen 127.0.0.1` in `home` (on the serve port its partner knows), once listening.
  Result<e2e::BackgroundProcess> Serve(const std::string& home) const;

 private:
  explicit Scratch(std::string root);
  Status Pair(const Couple& couple) const;

  std::string root_;
  e2e::Environment env_;
};

// Ends `serve` with SIGTERM, as a person does; kInternal unless it exits cleanly.
Status Stop(e2e::BackgroundProcess& serve);

// `count` shared `need` entries of about 1 KiB of distinct text each, with fresh random ids.
// Every tenth one contains kSearchWord.
inline constexpr std::string_view kSearchWord = "lighthouse";
std::vector<node::Entry> MakeSharedEntries(int count);

// About 1 KiB of text that differs for each `serial`, for new entries and edits.
std::string EntryText(uint64_t serial);

// Opens the journal in `home` (no passphrase) and imports `entries` in one transaction, closing
// it again before any attune process opens the home.
Status FillJournal(const std::string& home, std::vector<node::Entry> entries);

}  // namespace attune::bench

#endif  // ATTUNE_BENCH_HOMES_H_
