// The tamper test (issue 15): someone who can write Sam's journal.db but does not know the
// passphrase changes one thing in it with SQLite directly: one column of one row, one whole
// row deleted, a row planted (copied from another), the outgoing log rewritten, a header field.
// Then Sam runs `list --json`, `show ID --json` for the entry changed, `sync` to Alex's running
// `serve`, and `serve` with Alex syncing to it (on a second copy changed the same way, so that
// each meets the change first). After each, Alex's node holds nothing private of Sam's and
// nothing Sam did not confirm (tamper_pair.h), and each command exits with the code docs/guide.md
// documents for what it met.
//
// The cases come from the database itself (tamper_cases.h: every table, every column, every
// meta row); each has one row in the table of expected outcomes (tamper_outcomes.cc), and
// EveryTableColumnAndMetaRowHasAnOutcome fails while a case has none, or a row names a case the
// schema no longer has.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "tests/e2e/tamper_cases.h"
#include "tests/e2e/tamper_pair.h"

namespace attune::e2e {
namespace {

using tamper::Outcome;
using tamper::Touched;

// The database as it is on disk, to tell whether a command wrote to it.
std::string DatabaseBytes(const std::string& home) {
  return ReadFile(home + "/journal.db") + ReadFile(home + "/journal.db-wal");
}

bool NamesAny(const std::string& text, const std::set<std::string>& names) {
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& name) { return Contains(text, name); });
}

class TamperTest : public TamperPairTest, public ::testing::WithParamInterface<Outcome> {
 protected:
  bool Has(unsigned flag) const { return (GetParam().flags & flag) != 0; }

  // A command that exits 8 says what failed its check (unless the case says it cannot).
  void ExpectNamed(const char* command, const RunResult& result, const Touched& touched) {
    if (result.exit_code != kExitDataProblem || !Has(tamper::kNamed)) return;
    EXPECT_TRUE(NamesAny(result.out + result.err, touched.names))
        << command << " does not say what is damaged\n"
        << result;
  }

  void ExpectListed(const std::string& sam, const Touched& touched) {
    const RunResult listed = RunAt(sam, {"list", "--json"});
    EXPECT_EQ(listed.exit_code, GetParam().exits.list) << "list\n" << listed;
    ExpectNamed("list", listed, touched);
    // Unless it was refused at the door, the rest of the journal is listed; what changed is not.
    if (listed.exit_code != kExitOk && listed.exit_code != kExitDataProblem) return;
    if (Has(tamper::kUntouched)) return;
    std::set<std::string> shown;
    for (const nlohmann::json& entry : ParseJson(listed.out)) shown.insert(entry.value("id", ""));
    for (const std::string& id : ids_.Own()) {
      EXPECT_EQ(shown.count(id), touched.entries.count(id) ? 0u : 1u) << "list and " << id;
    }
  }

  void ExpectShown(const std::string& sam, const Touched& touched) {
    if (GetParam().exits.show == tamper::kNotRun) return;
    ASSERT_FALSE(touched.show.empty());
    const RunResult shown = RunAt(sam, {"show", touched.show, "--json"});
    EXPECT_EQ(shown.exit_code, GetParam().exits.show) << "show " << touched.show << "\n" << shown;
    ExpectNamed("show", shown, touched);
  }

  void ExpectSynced(const RunResult& synced, const Touched& touched) {
    EXPECT_EQ(synced.exit_code, GetParam().exits.sync) << "sync\n" << synced;
    ExpectNamed("sync", synced, touched);
    // Having synced, it says in its JSON what it found damaged (and nothing, when it exits 0).
    // A sync that stopped short of syncing prints no summary (only its failure, as JSON).
    const bool stopped_short = synced.out.empty() || synced.out.starts_with("{\"error\":");
    if (synced.exit_code != kExitOk && (synced.exit_code != kExitDataProblem || stopped_short)) {
      return;
    }
    const nlohmann::json summary = ParseJson(synced.out);
    ASSERT_TRUE(summary.is_object()) << synced;
    std::string damaged = summary["damaged_entries"].dump() + summary["damaged_records"].dump();
    if (synced.exit_code == kExitOk) {
      EXPECT_EQ(damaged, "[][]") << synced;
    } else if (Has(tamper::kNamed)) {
      EXPECT_TRUE(NamesAny(damaged, touched.names)) << synced;
    }
  }

  void ExpectServed(const RunResult& served, const RunResult& alex_synced, const Touched& touched) {
    EXPECT_EQ(served.exit_code, GetParam().exits.serve) << "serve\n"
                                                        << served << "Alex's sync to it:\n"
                                                        << alex_synced;
    ExpectNamed("serve", served, touched);
  }

  // Sam's `sync` to Alex's serve on `first`, and Alex's `sync` to Sam's serve on `second`, side
  // by side (the copies share nothing, and this halves the waiting).
  struct Exchanges {
    RunResult synced, served, alex_synced;
  };
  Exchanges Exchange(const Homes& first, const Homes& second,
                     const std::function<void()>& meanwhile) {
    const std::string alex_at = PrivateLoopbackEndpoint(), sam_at = PrivateLoopbackEndpoint();
    BackgroundProcess alex_serve = StartServe(first.alex, alex_at);
    BackgroundProcess sam_serve = StartServe(second.sam, sam_at);
    meanwhile();
    Exchanges done;
    EXPECT_TRUE(alex_serve.ReadLineContaining(ServeEvent("listening"), kStep))
        << alex_serve.Wait(kStep);
    std::optional<BackgroundProcess> alex_sync;
    if (sam_serve.ReadLineContaining(ServeEvent("listening"), kStep)) {
      alex_sync.emplace(StartAt(second.alex, {"sync", "--to", sam_at, "--no-discovery", "--json"}));
    }
    done.synced = SyncTo(first.sam, alex_at);
    if (alex_sync) done.alex_synced = alex_sync->Wait(kStep);
    alex_serve.Signal(SIGTERM);
    sam_serve.Signal(SIGTERM);
    const RunResult alex_served = alex_serve.Wait(kStep);
    EXPECT_EQ(alex_served.exit_code, kExitOk) << "Alex's serve\n" << alex_served;
    done.served = sam_serve.Wait(kStep);
    return done;
  }
};

TEST_P(TamperTest, NothingPrivateLeavesAndEveryCommandExitsAsDocumented) {
  const Outcome& expected = GetParam();
  SCOPED_TRACE(tamper::NameOf(expected.what) + ": " + std::string(expected.why));
  ASSERT_NO_FATAL_FAILURE(UsePreparedPair());
  // Two copies changed alike, so that `sync` and `serve` each meet the change first: on the
  // first Sam lists, shows and syncs to Alex's serve; on the second Sam serves and Alex syncs.
  const Homes first = CopyPair("first"), second = CopyPair("second");
  const Touched touched = tamper::Apply(expected.what, first.sam + "/journal.db", ids_);
  tamper::Apply(expected.what, second.sam + "/journal.db", ids_);
  ASSERT_FALSE(HasFailure()) << "the change could not be made";
  const std::string changed = DatabaseBytes(first.sam), changed_too = DatabaseBytes(second.sam);

  const Exchanges done = Exchange(first, second, [&] {
    ExpectListed(first.sam, touched);
    ExpectShown(first.sam, touched);
  });
  ExpectSynced(done.synced, touched);
  ExpectServed(done.served, done.alex_synced, touched);
  ExpectPartnerHoldsOnlyConfirmed(first.alex, Has(tamper::kArrivesBySync));
  ExpectPartnerHoldsOnlyConfirmed(second.alex, Has(tamper::kArrivesByServe));
  if (Has(tamper::kUntouched)) {
    EXPECT_TRUE(DatabaseBytes(first.sam) == changed) << "list, show or sync wrote to it";
    EXPECT_TRUE(DatabaseBytes(second.sam) == changed_too) << "serve wrote to it";
  }
}

INSTANTIATE_TEST_SUITE_P(Schema, TamperTest, ::testing::ValuesIn(tamper::Outcomes()),
                         [](const ::testing::TestParamInfo<Outcome>& param) {
                           return tamper::ParamNameOf(param.param.what);
                         });

class TamperSchemaTest : public TamperPairTest {};

TEST_F(TamperSchemaTest, EveryTableColumnAndMetaRowHasAnOutcome) {
  ASSERT_NO_FATAL_FAILURE(UsePreparedPair());
  // A copy: reading the prepared file would leave -wal and -shm files beside it.
  const Homes homes = CopyPair("schema");
  tamper::SqlFile file(homes.sam + "/journal.db");
  const tamper::Schema schema = tamper::ReadSchema(file);
  ASSERT_FALSE(schema.tables.empty());
  const std::vector<std::string> wanted = tamper::CasesOf(schema);
  std::set<std::string> documented;
  for (const Outcome& outcome : tamper::Outcomes()) {
    EXPECT_TRUE(documented.insert(tamper::NameOf(outcome.what)).second)
        << tamper::NameOf(outcome.what) << " has two rows";
  }
  for (const std::string& name : wanted) {
    EXPECT_TRUE(documented.count(name))
        << "no expected outcome for \"" << name
        << "\": decide what it means and add a row (tests/e2e/tamper_outcomes.cc)";
  }
  for (const std::string& name : documented) {
    EXPECT_NE(std::find(wanted.begin(), wanted.end(), name), wanted.end())
        << "tamper_outcomes.cc has \"" << name << "\", which the schema no longer calls for";
  }
}

// The check above is what keeps the table complete: a column, table or meta row added to the
// schema makes cases no row names.
TEST_F(TamperSchemaTest, ANewColumnTableOrMetaRowCallsForCasesTheTableLacks) {
  ASSERT_NO_FATAL_FAILURE(UsePreparedPair());
  const Homes homes = CopyPair("grown");
  tamper::SqlFile file(homes.sam + "/journal.db");
  file.Run("ALTER TABLE entries ADD COLUMN mood TEXT");
  file.Run("CREATE TABLE later (x)");
  file.Run("INSERT INTO meta (key, value) VALUES ('sync.later', x'00')");
  const std::vector<std::string> wanted = tamper::CasesOf(tamper::ReadSchema(file));
  std::set<std::string> documented;
  for (const Outcome& outcome : tamper::Outcomes()) documented.insert(tamper::NameOf(outcome.what));
  std::set<std::string> lacking;
  for (const std::string& name : wanted) {
    if (!documented.count(name)) lacking.insert(name);
  }
  EXPECT_EQ(lacking, (std::set<std::string>{"entries.mood@private", "entries.mood@shared",
                                            "later (unknown table)", "meta row deleted@sync.later",
                                            "meta.value@sync.later"}));
}

// The way back from a log that no longer matches its seal: `unshare --all` withdraws everything
// Sam shares and starts the log over; the next sync goes through, and Alex's node then holds
// nothing of Sam's (the new epoch removes every copy), until Sam shares again.
class TamperRecoveryTest : public TamperPairTest {};

TEST_F(TamperRecoveryTest, UnshareAllStartsADamagedLogOverAndWithdrawsEverything) {
  ASSERT_NO_FATAL_FAILURE(UsePreparedPair());
  const Homes homes = CopyPair("recovery");
  tamper::SqlFile(homes.sam + "/journal.db")
      .Run("DELETE FROM outgoing WHERE entry_id = ?1", {tamper::Value::Text(ids_.withdrawn)});
  const std::string alex_at = PrivateLoopbackEndpoint();
  BackgroundProcess alex_serve = StartServe(homes.alex, alex_at);
  ASSERT_TRUE(alex_serve.ReadLineContaining(ServeEvent("listening"), kStep))
      << alex_serve.Wait(kStep);

  const RunResult refused = SyncTo(homes.sam, alex_at);
  EXPECT_EQ(refused.exit_code, kExitDataProblem) << refused;
  // The outgoing log is damaged (its words, the way back by `unshare --all`: tests/cli).
  EXPECT_EQ(FailureReason(refused), "record_damaged") << refused;
  const RunResult started_over = RunAt(homes.sam, {"unshare", "--all", "--json"});
  ASSERT_EQ(started_over.exit_code, kExitOk) << started_over;
  EXPECT_GE(ParseJson(started_over.out)["withdrawn"].get<int>(), 2) << started_over;
  const RunResult synced = SyncTo(homes.sam, alex_at);
  EXPECT_EQ(synced.exit_code, kExitOk) << synced;
  alex_serve.Signal(SIGTERM);
  EXPECT_EQ(alex_serve.Wait(kStep).exit_code, kExitOk);

  const RunResult held = RunAt(homes.alex, {"list", "--partner", "--json"});
  ASSERT_EQ(held.exit_code, kExitOk) << held;
  EXPECT_TRUE(ParseJson(held.out).empty()) << held;
  const RunResult shared = RunAt(homes.sam, {"shared", "--json"});
  ASSERT_EQ(shared.exit_code, kExitOk) << shared;
  EXPECT_TRUE(ParseJson(shared.out).empty()) << "nothing of Sam's is shared any more";
}

// Run by ctest once, before the cases (the tamper_pair fixture, tests/e2e/CMakeLists.txt), to
// prepare the pair in ATTUNE_TAMPER_PAIR; run on its own, prepares one and throws it away.
class TamperPrepare : public TamperPairTest {};

TEST_F(TamperPrepare, MakesThePairTheCasesChange) {
  const char* shared = std::getenv("ATTUNE_TAMPER_PAIR");
  const std::string dir = shared != nullptr ? shared : PathIn("pair");
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  ASSERT_NO_FATAL_FAILURE(PreparePair(dir));
}

}  // namespace
}  // namespace attune::e2e
