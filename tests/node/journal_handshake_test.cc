// The handshake counters (Journal::NextHandshakeCounter, AdmitHandshakeCounter): issued once
// each, whatever the clock does and however many journals share the home; admitted once each,
// in any order within the window.
#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "node/journal.h"
#include "storage/database.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;

class HandshakeCounterTest : public JournalTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(InitJournal()); }

  Result<Journal> OpenAnother(const Clock& clock) {
    return Journal::Open(home_, MustNotAsk(), clock);
  }

  uint64_t Next(Journal& journal) {
    Result<uint64_t> counter = journal.NextHandshakeCounter();
    EXPECT_TRUE(counter.ok()) << counter.status().detail();
    return counter.ok() ? *counter : 0;
  }

  bool Admit(uint64_t counter) { return Admit(journal(), partner_.public_key, counter); }
  static bool Admit(Journal& journal, const crypto::X25519PublicKey& from, uint64_t counter) {
    Result<bool> admitted = journal.AdmitHandshakeCounter(from, counter);
    EXPECT_TRUE(admitted.ok()) << admitted.status().detail();
    return admitted.ok() && *admitted;
  }

  crypto::X25519KeyPair partner_ = crypto::GenerateX25519KeyPair();
};

TEST_F(HandshakeCounterTest, CountersAreTheTimeInMillisecondsAndIncreaseWithinOneMillisecond) {
  const uint64_t now = static_cast<uint64_t>(clock_.Now().utc_ms);
  EXPECT_EQ(Next(journal()), now);
  EXPECT_EQ(Next(journal()), now + 1);  // the clock did not move
  clock_.Advance(10'000);
  EXPECT_EQ(Next(journal()), now + 10'000);
}

TEST_F(HandshakeCounterTest, ASetBackClockNeverTakesTheCounterBack) {
  const uint64_t first = Next(journal());
  clock_.Advance(-kDayMs);
  EXPECT_EQ(Next(journal()), first + 1);
  // Also across a restart: the last counter issued is on disk.
  CloseJournal();
  ManualClock earlier({kStartTime.utc_ms - 365 * kDayMs, 0});
  ASSERT_OK_AND_ASSIGN(Journal reopened, OpenAnother(earlier));
  EXPECT_EQ(Next(reopened), first + 2);
}

TEST_F(HandshakeCounterTest, TwoJournalsOnOneHomeNeverIssueTheSameCounter) {
  // `attune sync` while `attune serve` runs: two connections to one database, each issuing as
  // fast as it can, on clocks that do not move (the worst case: every counter is last + 1).
  constexpr int kEach = 200;
  ManualClock other_clock(kStartTime);
  ASSERT_OK_AND_ASSIGN(Journal other, OpenAnother(other_clock));
  std::vector<uint64_t> mine, theirs;
  std::thread racing([&] {
    for (int i = 0; i < kEach; ++i) theirs.push_back(Next(other));
  });
  for (int i = 0; i < kEach; ++i) mine.push_back(Next(journal()));
  racing.join();
  std::set<uint64_t> all(mine.begin(), mine.end());
  all.insert(theirs.begin(), theirs.end());
  EXPECT_EQ(all.size(), 2u * kEach) << "a counter was issued twice";
  EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
  EXPECT_TRUE(std::is_sorted(theirs.begin(), theirs.end()));
}

TEST_F(HandshakeCounterTest, ACounterIsAdmittedOnce) {
  const uint64_t counter = 1'767'225'600'000;
  EXPECT_TRUE(Admit(counter));
  EXPECT_FALSE(Admit(counter));
  EXPECT_TRUE(Admit(counter + 1));
  EXPECT_FALSE(Admit(counter + 1));
  EXPECT_FALSE(Admit(counter));
  EXPECT_FALSE(Admit(0));
}

TEST_F(HandshakeCounterTest, TwoInitiatorsArrivingInTheOtherOrderWithinTheWindowAreBothAdmitted) {
  const uint64_t earlier = 1'767'225'600'000;
  const uint64_t later = earlier + kHandshakeCounterWindow - 1;
  EXPECT_TRUE(Admit(later));
  EXPECT_TRUE(Admit(earlier));
  EXPECT_FALSE(Admit(earlier)) << "a replay of the one that came late";
  EXPECT_FALSE(Admit(later));
  EXPECT_TRUE(Admit(earlier + 1)) << "unseen, and still within the window";
}

TEST_F(HandshakeCounterTest, ACounterBelowTheWindowIsRefused) {
  const uint64_t highest = 1'767'225'600'000;
  EXPECT_TRUE(Admit(highest));
  EXPECT_FALSE(Admit(highest - kHandshakeCounterWindow));
  EXPECT_FALSE(Admit(highest - kHandshakeCounterWindow - 1));
  EXPECT_FALSE(Admit(1));
  EXPECT_TRUE(Admit(highest - kHandshakeCounterWindow + 1));
}

TEST_F(HandshakeCounterTest, OnlyTheLatestCountersAreKeptAndOlderOnesAreThenRefused) {
  const uint64_t base = 1'767'225'600'000;
  for (uint64_t i = 0; i < kHandshakeCountersKept + 10; ++i) ASSERT_TRUE(Admit(base + 2 * i));
  // The ten oldest were forgotten: the floor rose past them, so even an unseen counter between
  // them is refused rather than risking a replay of a forgotten one.
  EXPECT_FALSE(Admit(base + 1));
  EXPECT_FALSE(Admit(base + 2 * 9)) << "at the floor: the last one forgotten";
  EXPECT_FALSE(Admit(base + 2 * 10)) << "kept, so known to be a replay";
  EXPECT_TRUE(Admit(base + 2 * 10 + 1)) << "above the floor and unseen";
}

TEST_F(HandshakeCounterTest, AdmittedCountersSurviveARestartAndAreSeenByEveryJournalOfTheHome) {
  const uint64_t counter = 1'767'225'600'000;
  ASSERT_TRUE(Admit(counter));
  ManualClock other_clock(kStartTime);
  ASSERT_OK_AND_ASSIGN(Journal other, OpenAnother(other_clock));
  EXPECT_FALSE(Admit(other, partner_.public_key, counter));
  CloseJournal();
  ASSERT_OK_AND_ASSIGN(Journal reopened, OpenAnother(clock_));
  EXPECT_FALSE(Admit(reopened, partner_.public_key, counter));
  EXPECT_TRUE(Admit(reopened, partner_.public_key, counter + 1));
}

TEST_F(HandshakeCounterTest, ANewPartnersCountersStartAfresh) {
  const uint64_t counter = 1'767'225'600'000;
  ASSERT_TRUE(Admit(counter));
  const crypto::X25519KeyPair next_partner = crypto::GenerateX25519KeyPair();
  // Far below the former partner's: their clock is behind, which says nothing about replays.
  EXPECT_TRUE(Admit(journal(), next_partner.public_key, counter - kDayMs));
  EXPECT_FALSE(Admit(journal(), next_partner.public_key, counter - kDayMs));
}

TEST_F(HandshakeCounterTest, TheRecordsAreSealed) {
  const uint64_t issued = Next(journal());
  ASSERT_TRUE(Admit(4'242'424'242'424));
  CloseJournal();
  ASSERT_OK_AND_ASSIGN(
      storage::Database db,
      storage::Database::Open(home_.database_path(), storage::OpenMode::kMustExist));
  for (const char* name : {"link.handshake_sent", "link.handshake_seen"}) {
    ASSERT_OK_AND_ASSIGN(std::optional<Bytes> stored, db.GetMeta(name));
    ASSERT_TRUE(stored.has_value()) << name;
    EXPECT_FALSE(BytesContain(*stored, std::to_string(issued))) << name;
    EXPECT_FALSE(BytesContain(*stored, "4242424242424")) << name;
  }
  // A record that does not open is an error, never a silent reset that would admit replays.
  ASSERT_OK(db.PutMeta("link.handshake_seen", Bytes(80, 0x41)));
  ASSERT_OK(db.PutMeta("link.handshake_sent", Bytes(80, 0x41)));
  ASSERT_OK_AND_ASSIGN(Journal reopened, OpenAnother(clock_));
  EXPECT_FALSE(reopened.AdmitHandshakeCounter(partner_.public_key, 1).ok());
  EXPECT_FALSE(reopened.NextHandshakeCounter().ok());
}

}  // namespace
}  // namespace attune::node::testing
