// `attune passwd --rekey` (issue 15): a new data key for the whole journal, every entry, log row
// and record re-sealed in one transaction. Killed with SIGKILL at any moment, it must leave a
// journal that opens with exactly one of the two passphrases (the other is a wrong passphrase,
// exit 5) and holds everything it held: every entry, text and all, the partner's entries, and
// what is shared with its delivery state. Completed, it gives a new recovery code (the old one
// no longer opens the journal, nor does the old passphrase) and keeps the link to the partner.
// Beside a running `serve` it is refused (exit 9) and changes nothing.
//
// The kill points are spread over the time a whole re-key takes here (measured first, on a copy
// of the same journal): kill point i of N lands at a random moment of the i-th of N equal slices
// of 1.3 times that, so that kills fall while the process starts, while it derives the keys,
// inside the transaction, at the commit and after it. Each starts from a copy of the journal as
// it was before. The moment is waited for on the process's output (it prints only at the end),
// never by sleeping.
//
// Environment (read by the test, never passed to attune):
//   ATTUNE_REKEY_KILLS  kill points (default 6)
//   ATTUNE_REKEY_SEED   the seed of the kill moments and the entries (default: a fresh one,
//                       printed); the timing itself still varies from run to run.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using nlohmann::json;
using Millis = std::chrono::duration<double, std::milli>;

// docs/guide.md "Exit codes": another process holds the journal (here, serve holds the home).
constexpr int kExitBusy = 9;

constexpr char kOldPassphrase[] = "the old passphrase";
constexpr char kNewPassphrase[] = "the new passphrase, after a leak";
constexpr int kEntries = 3000;  // every tenth shared
constexpr int kDefaultKills = 6;
constexpr double kRekeyKillSpread = 1.3;

// What a journal holds, as its owner sees it.
struct Holdings {
  json own, partner, shared;
};

class RekeyTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    seed_ = EnvNumber("ATTUNE_REKEY_SEED").value_or(std::random_device{}());
    rng_.seed(seed_);
    ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  }

  // Sam's journal with `entries` imported entries, a partner's entry, log rows delivered and
  // waiting, the sync state of two syncs, and then the old passphrase.
  void FillSam(int entries) {
    ASSERT_NO_FATAL_FAILURE(ImportEntries(entries));
    const std::string from_alex = AddAt(alex_, "need", "Alex shares a need", {"--share"});
    const RunResult first = SyncThroughServe(sam_, alex_);
    ASSERT_EQ(first.exit_code, kExitOk) << first;
    ASSERT_TRUE(PartnerHas(sam_, from_alex));
    // After the sync: a row waiting to be sent, and a withdrawal waiting.
    AddAt(sam_, "need", "Sam shares this after the sync", {"--share"});
    const std::string withdrawn = AddAt(sam_, "note", "Sam takes this back", {"--share", "--yes"});
    ASSERT_EQ(RunAt(sam_, {"unshare", withdrawn}).exit_code, kExitOk);
    env["ATTUNE_NEW_PASSPHRASE"] = kOldPassphrase;
    const RunResult passwd = RunAt(sam_, {"passwd", "--interactive-kdf"});
    env.erase("ATTUNE_NEW_PASSPHRASE");
    ASSERT_EQ(passwd.exit_code, kExitOk) << passwd;
    env["ATTUNE_PASSPHRASE"] = kOldPassphrase;
  }

  void ImportEntries(int count) {
    const char* kinds[] = {"trigger", "need", "note", "wound", "upside", "boundary"};
    std::vector<json> entries;
    for (int i = 0; i < count; ++i) {
      char created[40];
      std::snprintf(created, sizeof created, "2026-01-%02dT%02d:%02d:%02d.%03d+01:00", 1 + i % 28,
                    i % 24, i % 60, (i / 60) % 60, i % 1000);
      json entry = ExportedEntry(NewId(), kinds[i % 6],
                                 "Entry " + std::to_string(i) + " of Sam's, with ünïcode: " +
                                     std::string(static_cast<size_t>(i % 300), 'x'),
                                 created);
      if (i % 7 == 0) entry["tags"] = {"tag" + std::to_string(i % 5)};
      if (i % 10 == 0) entry["visibility"] = "shared";
      entries.push_back(std::move(entry));
    }
    const std::string file = PathIn("bulk.json");
    WriteFile(file, ExportDocument(entries));
    const RunResult imported = RunAt(sam_, {"import", file});
    ASSERT_EQ(imported.exit_code, kExitOk) << imported;
  }

  std::string NewId() {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 32; ++i) id += kHex[rng_() % 16];
    return id;
  }

  RunResult RunWith(const std::string& passphrase, const std::string& home,
                    std::vector<std::string> args) {
    const std::string kept = env["ATTUNE_PASSPHRASE"];
    env["ATTUNE_PASSPHRASE"] = passphrase;
    RunResult result = RunAt(home, std::move(args));
    env["ATTUNE_PASSPHRASE"] = kept;
    return result;
  }

  json JsonWith(const std::string& passphrase, const std::string& home,
                std::vector<std::string> args) {
    args.push_back("--json");
    const RunResult result = RunWith(passphrase, home, std::move(args));
    EXPECT_EQ(result.exit_code, kExitOk) << result;
    return result.exit_code == kExitOk ? ParseJson(result.out) : json();
  }

  Holdings HoldingsOf(const std::string& home, const std::string& passphrase) {
    return {JsonWith(passphrase, home, {"list"}), JsonWith(passphrase, home, {"list", "--partner"}),
            JsonWith(passphrase, home, {"shared"})};
  }

  void ExpectHolds(const std::string& home, const std::string& passphrase, const Holdings& want) {
    const Holdings got = HoldingsOf(home, passphrase);
    EXPECT_EQ(got.own.size(), want.own.size());
    EXPECT_TRUE(got.own == want.own) << "Sam's own entries changed";
    EXPECT_TRUE(got.partner == want.partner) << "Sam's copy of Alex's entries changed";
    EXPECT_TRUE(got.shared == want.shared) << "what Sam shares changed";
  }

  void ExpectSealsCheck(const std::string& home, const std::string& passphrase) {
    // doctor also checks the home, the link and the serve port (and exits with the first problem
    // it finds): only the seals matter here.
    const RunResult doctor = RunWith(passphrase, home, {"doctor", "--json"});
    const json checks = ParseJson(doctor.out);
    ASSERT_TRUE(checks.is_array()) << doctor;
    bool seen = false;
    for (const json& check : checks) {
      if (check.value("check", "") != "seals") continue;
      seen = true;
      EXPECT_EQ(check.value("status", ""), "ok") << check.dump();
    }
    EXPECT_TRUE(seen) << checks.dump(2);
  }

  BackgroundProcess StartRekey(const std::string& home) {
    env["ATTUNE_NEW_PASSPHRASE"] = kNewPassphrase;
    BackgroundProcess rekey = StartAt(home, {"passwd", "--rekey", "--interactive-kdf"});
    env.erase("ATTUNE_NEW_PASSPHRASE");
    return rekey;
  }

  std::string CopyOf(const std::string& home, const std::string& name) {
    const std::string copy = PathIn(name);
    std::error_code error;
    std::filesystem::copy(home, copy, std::filesystem::copy_options::recursive, error);
    EXPECT_FALSE(error) << error.message();
    return copy;
  }

  struct KillTally {
    int ended_first = 0, old_key = 0, new_key = 0;
  };

  // How long a whole re-key of Sam's journal takes here and now (on a copy).
  Millis TimeOfWholeRekey() {
    const std::string copy = CopyOf(sam_, "measured");
    const auto start = std::chrono::steady_clock::now();
    BackgroundProcess whole = StartRekey(copy);
    const RunResult completed = whole.Wait(kStep * 3);
    EXPECT_EQ(completed.exit_code, kExitOk) << completed;
    return Millis(std::chrono::steady_clock::now() - start);
  }

  void KillRekeyAfter(const std::string& home, Millis delay, KillTally& tally) {
    BackgroundProcess rekey = StartRekey(home);
    // It prints only once it is done: until then this waits out the delay on its output.
    const bool ended =
        rekey.ReadLine(std::chrono::duration_cast<std::chrono::milliseconds>(delay)).has_value();
    rekey.Signal(SIGKILL);
    const RunResult killed = rekey.Wait(kStep);
    tally.ended_first += ended ? 1 : 0;
    EXPECT_TRUE(killed.signal == SIGKILL || killed.exit_code == kExitOk) << killed;
  }

  // Exactly one passphrase opens the journal, and it holds all it held before.
  void ExpectOneKeyAndEverything(const std::string& home, const Holdings& before,
                                 KillTally& tally) {
    EXPECT_EQ(IntegrityCheck(home + "/journal.db"), "ok");
    const RunResult with_new = RunWith(kNewPassphrase, home, {"list", "--json"});
    const RunResult with_old = RunWith(kOldPassphrase, home, {"list", "--json"});
    const bool rekeyed = with_new.exit_code == kExitOk;
    ++(rekeyed ? tally.new_key : tally.old_key);
    const RunResult& opened = rekeyed ? with_new : with_old;
    ASSERT_EQ(opened.exit_code, kExitOk) << "neither passphrase opens it\n" << with_old;
    EXPECT_EQ((rekeyed ? with_old : with_new).exit_code, kExitWrongPassphrase)
        << "both passphrases open it";
    const std::string works = rekeyed ? kNewPassphrase : kOldPassphrase;
    const json own = ParseJson(opened.out);
    EXPECT_EQ(own.size(), before.own.size());
    EXPECT_TRUE(own == before.own) << "Sam's own entries changed";
    EXPECT_TRUE(JsonWith(works, home, {"list", "--partner"}) == before.partner)
        << "Sam's copy of Alex's entries changed";
    EXPECT_TRUE(JsonWith(works, home, {"shared"}) == before.shared) << "what Sam shares changed";
    ExpectSealsCheck(home, works);
  }

  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
};

TEST_F(RekeyTest, KilledAtAnyMomentItOpensWithOneOfThePassphrasesAndLosesNothing) {
  const uint64_t kills = EnvNumber("ATTUNE_REKEY_KILLS").value_or(kDefaultKills);
  std::cout << "rekey: seed " << seed_ << " (ATTUNE_REKEY_SEED=" << seed_ << " repeats it), "
            << kills << " kill points" << std::endl;
  ASSERT_NO_FATAL_FAILURE(FillSam(kEntries));
  const Holdings before = HoldingsOf(sam_, kOldPassphrase);
  ASSERT_EQ(before.own.size(), static_cast<size_t>(kEntries + 2));
  // Alex's serve answers doctor's check of the link at once (else it searches the network).
  BackgroundProcess alex = Serve(alex_);
  const Millis whole = TimeOfWholeRekey();
  KillTally tally;
  for (uint64_t i = 0; i < kills; ++i) {
    SCOPED_TRACE("kill point " + std::to_string(i + 1) +
                 "; ATTUNE_REKEY_SEED=" + std::to_string(seed_));
    const double slice = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    const Millis delay = whole * kRekeyKillSpread * ((static_cast<double>(i) + slice) / kills);
    const std::string home = CopyOf(sam_, "killed-" + std::to_string(i));
    ASSERT_NO_FATAL_FAILURE(KillRekeyAfter(home, delay, tally));
    ASSERT_NO_FATAL_FAILURE(ExpectOneKeyAndEverything(home, before, tally));
  }
  Stop(alex);
  std::cout << "rekey: a whole re-key of " << kEntries + 2 << " entries took "
            << static_cast<int>(whole.count()) << " ms; of " << kills << " kill points, "
            << tally.ended_first << " came after it ended, " << tally.old_key
            << " left the old key and " << tally.new_key << " the new one" << std::endl;
}

TEST_F(RekeyTest, ACompletedRekeyGivesANewRecoveryCodeAndKeepsTheLink) {
  ASSERT_NO_FATAL_FAILURE(FillSam(20));
  const Holdings before = HoldingsOf(sam_, kOldPassphrase);
  const std::string old_code = JsonWith(kOldPassphrase, sam_, {"recovery-kit"})["recovery_code"];

  BackgroundProcess rekey = StartRekey(sam_);
  const RunResult rekeyed = rekey.Wait(kStep);
  ASSERT_EQ(rekeyed.exit_code, kExitOk) << rekeyed;
  const std::string new_code = JsonWith(kNewPassphrase, sam_, {"recovery-kit"})["recovery_code"];
  EXPECT_NE(new_code, old_code);
  EXPECT_TRUE(Contains(rekeyed.out, new_code)) << "the new recovery code is not shown\n" << rekeyed;
  EXPECT_FALSE(Contains(rekeyed.out, old_code)) << rekeyed;

  EXPECT_EQ(RunWith(kOldPassphrase, sam_, {"list"}).exit_code, kExitWrongPassphrase);
  ExpectHolds(sam_, kNewPassphrase, before);
  WriteFile(PathIn("old-code"), old_code + "\n");
  env["ATTUNE_NEW_PASSPHRASE"] = "a third passphrase";
  const RunResult old_recovery =
      RunAt(sam_, {"passwd", "--recover", "--code-file", PathIn("old-code"), "--interactive-kdf"});
  env.erase("ATTUNE_NEW_PASSPHRASE");
  EXPECT_EQ(old_recovery.exit_code, kExitWrongPassphrase) << old_recovery;

  // The link key is kept: the partners still sync, both ways (and doctor reaches Alex at once).
  env["ATTUNE_PASSPHRASE"] = kNewPassphrase;
  const std::string from_sam = AddAt(sam_, "need", "Sam, after the re-key", {"--share"});
  const std::string from_alex = AddAt(alex_, "need", "Alex, after Sam's re-key", {"--share"});
  BackgroundProcess alex = Serve(alex_);
  ExpectSealsCheck(sam_, kNewPassphrase);
  const RunResult synced = RunAt(sam_, {"sync"});
  Stop(alex);
  EXPECT_EQ(synced.exit_code, kExitOk) << synced;
  EXPECT_TRUE(PartnerHas(alex_, from_sam));
  EXPECT_TRUE(PartnerHas(sam_, from_alex));
}

TEST_F(RekeyTest, RefusedWhileServeRunsOnTheHomeAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(FillSam(20));
  const Holdings before = HoldingsOf(sam_, kOldPassphrase);
  BackgroundProcess serve = Serve(sam_);
  BackgroundProcess rekey = StartRekey(sam_);
  const RunResult refused = rekey.Wait(kStep);
  Stop(serve);
  EXPECT_EQ(refused.exit_code, kExitBusy) << refused;
  EXPECT_EQ(RunWith(kNewPassphrase, sam_, {"list"}).exit_code, kExitWrongPassphrase);
  ExpectHolds(sam_, kOldPassphrase, before);
}

}  // namespace
}  // namespace attune::e2e
