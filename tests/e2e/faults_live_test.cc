// Faults on a live, paired journal, with the real binary: two commands writing one home at once
// while `serve` runs on it (every write must land, none may fail on the lock), and the clock
// jumping a year forwards and backwards between runs (libfaketime), where sequence numbers, not
// clocks, must decide what the partner receives.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/faults.h"

namespace attune::e2e {
namespace {

using nlohmann::json;

TEST_F(FaultsTest, TwoWritersAndServeOnOneHomeLoseNothing) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  BackgroundProcess alex_serve = Serve(alex_);
  BackgroundProcess sam_serve = Serve(sam_);
  ASSERT_FALSE(HasFailure());

  // Two loops of `add` at once on Alex's home; every fifth entry is shared, so Alex's serve
  // writes too (delivery states) while it sends them live.
  constexpr int kPerWriter = 50;
  std::vector<RunResult> results[2];
  const auto write = [&](int writer) {
    for (int i = 0; i < kPerWriter; ++i) {
      std::vector<std::string> args = {
          "--home", alex_, "add", "need",
          "writer " + std::to_string(writer) + ", entry " + std::to_string(i)};
      if (i % 5 == 0) args.push_back("--share");
      results[writer].push_back(RunProcess({ATTUNE_BINARY, args, env, "", kDefaultTimeout}));
    }
  };
  std::thread first(write, 0);
  std::thread second(write, 1);
  first.join();
  second.join();

  std::vector<std::string> written;
  std::vector<std::string> shared;
  for (int writer : {0, 1}) {
    for (size_t i = 0; i < results[writer].size(); ++i) {
      const RunResult& result = results[writer][i];
      ASSERT_EQ(result.exit_code, kExitOk) << "writer " << writer << ", add " << i << "\n"
                                           << result;
      written.push_back(TrimmedLine(result.out));
      if (i % 5 == 0) shared.push_back(written.back());
    }
  }
  EXPECT_EQ(Sorted(ListIds(alex_)), Sorted(written));
  EXPECT_EQ(written.size(), 2u * kPerWriter);
  EXPECT_TRUE(
      Eventually([&] { return Sorted(ListIds(sam_, {"--partner"})) == Sorted(shared); }, kArrival))
      << "Sam holds " << ListIds(sam_, {"--partner"}).size() << " of " << shared.size();
  Stop(alex_serve);
  Stop(sam_serve);
  EXPECT_EQ(IntegrityCheck(alex_ + "/journal.db"), "ok");
  EXPECT_EQ(IntegrityCheck(sam_ + "/journal.db"), "ok");
}

int YearOf(const std::string& rfc3339) {
  int year = 0;
  if (rfc3339.size() >= 4) std::from_chars(rfc3339.data(), rfc3339.data() + 4, year);
  return year;
}

int ThisYear() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  return local.tm_year + 1900;
}

class ClockJumpTest : public FaultsTest {
 protected:
  void SetUp() override {
    FaultsTest::SetUp();
    library_ = FaketimeLibrary();
    if (library_.empty()) GTEST_SKIP() << "libfaketime is not installed (Debian: faketime)";
    ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
    real_env_ = env;
  }

  // Runs the next commands with the machine's clock moved by `offset` ("+400d", "-400d"), or
  // with the real clock for "". Only the wall clock moves: monotonic time, which timeouts use,
  // stays real, as it does when a machine's clock is set.
  void SetClock(const std::string& offset) {
    env = real_env_;
    if (!offset.empty()) MoveClock(env, library_, offset);
  }

  void Sync() {
    const RunResult synced = RunAt(alex_, {"sync"});
    EXPECT_EQ(synced.exit_code, kExitOk) << synced;
  }

  std::string Text(const json& entries, const std::string& id) {
    for (const json& entry : entries) {
      if (entry["id"] == id) return entry["text"];
    }
    return "(missing)";
  }

  std::string library_;
  Environment real_env_;
};

TEST_F(ClockJumpTest, EntriesAndSyncSurviveTheClockJumpingAYearEachWay) {
  BackgroundProcess sam_serve = Serve(sam_);  // on the real clock throughout
  ASSERT_FALSE(HasFailure());

  SetClock("+400d");
  const std::string future_need = AddAt(alex_, "need", "written a year ahead", {"--share"});
  const std::string future_trigger = AddAt(alex_, "trigger", "private, a year ahead");
  ASSERT_GT(YearOf(JsonAt(alex_, {"show", future_need})["created"]), ThisYear())
      << "libfaketime did not move attune's clock";
  Sync();

  // Back a year: an edit now carries an older time than the version Sam already holds.
  SetClock("-400d");
  ASSERT_EQ(RunAt(alex_, {"edit", future_need, "edited a year back", "--yes"}).exit_code, kExitOk);
  const std::string past_need = AddAt(alex_, "need", "written a year back", {"--share"});
  ASSERT_EQ(RunAt(alex_, {"share", future_trigger, "--yes"}).exit_code, kExitOk);
  const std::string sam_past = AddAt(sam_, "need", "Sam, a year back", {"--share"});
  ASSERT_LT(YearOf(JsonAt(alex_, {"show", past_need})["created"]), ThisYear());
  Sync();

  SetClock("");
  const std::string present = AddAt(alex_, "boundary", "written today", {"--share"});
  ASSERT_EQ(RunAt(alex_, {"edit", past_need, "edited today", "--yes"}).exit_code, kExitOk);
  Sync();
  Stop(sam_serve);

  // Alex's list is by creation time, as the clock read it: oldest first.
  EXPECT_EQ(ListIds(alex_),
            (std::vector<std::string>{past_need, present, future_need, future_trigger}));
  // Sam holds every shared entry in its latest version, whatever its timestamps say.
  const json received = JsonAt(sam_, {"list", "--partner"});
  std::vector<std::string> received_ids;
  for (const json& entry : received) received_ids.push_back(entry["id"]);
  EXPECT_EQ(Sorted(received_ids), Sorted({future_need, future_trigger, past_need, present}));
  EXPECT_EQ(Text(received, future_need), "edited a year back");
  EXPECT_EQ(Text(received, past_need), "edited today");
  EXPECT_EQ(Text(received, present), "written today");
  for (const json& item : JsonAt(alex_, {"shared"})) {
    EXPECT_EQ(item["state"], "delivered") << item;
  }
  EXPECT_EQ(ListIds(alex_, {"--partner"}), std::vector<std::string>{sam_past});
}

}  // namespace
}  // namespace attune::e2e
