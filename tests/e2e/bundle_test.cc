// Offline bundles with the real binary: `attune bundle --out` in one home and `--open` in the
// partner's, for partners who are never online together. Opened twice, out of order, after a
// hole, by the wrong person, damaged in each way a file can be; and a live sync afterwards.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/loopback.h"
#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using nlohmann::json;

// From docs/protocol.md section 7: 48 bytes of header, then chunks of 16 KiB.
constexpr size_t kHeader = 48;
constexpr size_t kChunk = 16384;
constexpr int kExitBundleGap = 3;
constexpr int kExitDamaged = 15;

class BundleCommandTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  }

  // `bundle --out FILE` from `home`; its JSON summary.
  json Write(const std::string& home, const std::string& name) {
    return JsonAt(home, {"bundle", "--out", PathIn(name)});
  }
  json Open(const std::string& home, const std::string& name) {
    return JsonAt(home, {"bundle", "--open", PathIn(name)});
  }
  RunResult TryOpen(const std::string& home, const std::string& name) {
    return RunAt(home, {"bundle", "--open", PathIn(name)});
  }
  // The same with --json: a refusal's reason (tests/cli/bundle_messages_test.cc words it).
  RunResult TryOpenJson(const std::string& home, const std::string& name) {
    return RunAt(home, {"bundle", "--open", PathIn(name), "--json"});
  }

  // What a failed open must leave exactly as it was.
  std::string StateOf(const std::string& home) {
    return JsonAt(home, {"list", "--partner"}).dump() + JsonAt(home, {"shared"}).dump();
  }

  // Which of `home`'s own entries the partner's attune confirmed.
  std::string DeliveryOf(const std::string& home, const std::string& id) {
    for (const json& item : JsonAt(home, {"shared"})) {
      if (item["id"] == id) return item["state"];
    }
    return "";
  }
};

TEST_F(BundleCommandTest, APartnerOpensWhatWasSharedAndOpeningItTwiceChangesNothing) {
  const std::string need = AddAt(alex_, "need", "BUNDLE-NEED quiet mornings", {"--share"});
  const std::string boundary = AddAt(alex_, "boundary", "BUNDLE-BOUNDARY no phones", {"--share"});
  AddAt(alex_, "wound", "BUNDLE-PRIVATE never leaves");

  const json written = Write(alex_, "to-sam.bundle");
  EXPECT_EQ(written["sent"], 2);
  EXPECT_EQ(written["bytes"], kHeader + kChunk);
  struct stat info {};
  ASSERT_EQ(::stat(PathIn("to-sam.bundle").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const std::string bytes = ReadFile(PathIn("to-sam.bundle"));
  for (const std::string& secret : {std::string("BUNDLE-"), need, boundary, std::string("Alex")}) {
    EXPECT_FALSE(Contains(bytes, secret)) << secret << " is readable in the file";
  }

  const json opened = Open(sam_, "to-sam.bundle");
  EXPECT_EQ(opened["received"], 2);
  EXPECT_EQ(opened["already_here"], 0);
  EXPECT_EQ(ListIds(sam_, {"--partner"}), (std::vector<std::string>{need, boundary}));
  const std::string after_first = StateOf(sam_);

  const json again = Open(sam_, "to-sam.bundle");
  EXPECT_EQ(again["received"], 0);
  EXPECT_EQ(again["already_here"], 2);
  EXPECT_EQ(StateOf(sam_), after_first);

  const RunResult text = TryOpen(sam_, "to-sam.bundle");
  EXPECT_EQ(text.out, "Opened Alex's bundle: received 0, removed 0; 2 already here.\n");
}

TEST_F(BundleCommandTest, AnOlderBundleOpenedAfterANewerOneChangesNothing) {
  const std::string need = AddAt(alex_, "need", "first words", {"--share"});
  Write(alex_, "older.bundle");
  ASSERT_EQ(RunAt(alex_, {"edit", need, "second words", "--yes"}).exit_code, kExitOk);
  const std::string repair = AddAt(alex_, "repair", "we talked", {"--share"});
  Write(alex_, "newer.bundle");

  EXPECT_EQ(Open(sam_, "newer.bundle")["received"], 2);
  const json stale = Open(sam_, "older.bundle");
  EXPECT_EQ(stale["received"], 0);
  EXPECT_EQ(stale["already_here"], 1);
  EXPECT_EQ(JsonAt(sam_, {"show", need})["text"], "second words");
  EXPECT_TRUE(PartnerHas(sam_, repair));
}

TEST_F(BundleCommandTest, AcknowledgementsComeBackByBundleAndTheNextBundleIsSmaller) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(
        AddAt(alex_, "need", "need " + std::to_string(i) + std::string(9000, '.'), {"--share"}));
  }
  const json first = Write(alex_, "to-sam.bundle");
  EXPECT_EQ(first["bytes"], kHeader + 2 * kChunk) << "27 KB of text: two chunks";
  Open(sam_, "to-sam.bundle");
  EXPECT_EQ(DeliveryOf(alex_, ids[0]), "waiting");

  Write(sam_, "to-alex.bundle");
  const json back = Open(alex_, "to-alex.bundle");
  EXPECT_EQ(back["delivered"], true);
  for (const std::string& id : ids) EXPECT_EQ(DeliveryOf(alex_, id), "delivered");
  const json next = Write(alex_, "to-sam-2.bundle");
  EXPECT_EQ(next["sent"], 0);
  EXPECT_EQ(next["bytes"], kHeader + kChunk);
}

TEST_F(BundleCommandTest, ABundleAfterAHoleIsRefusedUntilTheEarlierOneIsOpened) {
  AddAt(alex_, "need", "one", {"--share"});
  Write(alex_, "first.bundle");
  const std::string sam_copy = PathIn("sam-before");
  std::filesystem::copy(sam_, sam_copy, std::filesystem::copy_options::recursive);
  Open(sam_, "first.bundle");
  Write(sam_, "reply.bundle");
  Open(alex_, "reply.bundle");
  AddAt(alex_, "need", "two", {"--share"});
  Write(alex_, "second.bundle");

  // Sam's journal is put back to a copy from before the first bundle was opened.
  std::filesystem::remove_all(sam_);
  std::filesystem::rename(sam_copy, sam_);
  const std::string before = StateOf(sam_);
  const RunResult refused = TryOpenJson(sam_, "second.bundle");
  EXPECT_EQ(refused.exit_code, kExitBundleGap) << refused;
  EXPECT_EQ(FailureReason(refused), "bundle_gap") << refused;
  EXPECT_EQ(StateOf(sam_), before);

  EXPECT_EQ(Open(sam_, "first.bundle")["received"], 1);
  EXPECT_EQ(Open(sam_, "second.bundle")["received"], 1);
  EXPECT_EQ(ListIds(sam_, {"--partner"}).size(), 2u);
}

TEST_F(BundleCommandTest, ABundleForOrFromSomeoneElseIsRefusedAndChangesNothing) {
  const std::string robin = NewHome("Robin");
  const std::string kim = NewHome("Kim");
  ASSERT_NO_FATAL_FAILURE(Pair(robin, UnusedLoopbackPort(), kim, UnusedLoopbackPort()));
  AddAt(alex_, "need", "for Sam only", {"--share"});
  AddAt(kim, "need", "for Robin only", {"--share"});
  Write(alex_, "alex-to-sam.bundle");
  Write(kim, "kim-to-robin.bundle");

  struct Attempt {
    std::string who, home, file;
  };
  for (const Attempt& attempt : {Attempt{"Robin (for someone else)", robin, "alex-to-sam.bundle"},
                                 Attempt{"Sam (from someone else)", sam_, "kim-to-robin.bundle"},
                                 Attempt{"Alex (its own writer)", alex_, "alex-to-sam.bundle"}}) {
    const std::string before = StateOf(attempt.home);
    const RunResult refused = TryOpenJson(attempt.home, attempt.file);
    EXPECT_EQ(refused.exit_code, kExitUnknownPeer) << attempt.who << refused;
    EXPECT_EQ(FailureReason(refused), "bundle_not_for_you") << refused;
    EXPECT_EQ(StateOf(attempt.home), before) << attempt.who;
  }
}

TEST_F(BundleCommandTest, ADamagedBundleIsRefusedAndChangesNothing) {
  for (int i = 0; i < 3; ++i) {
    AddAt(alex_, "need", "need " + std::to_string(i) + std::string(9000, '.'), {"--share"});
  }
  Write(alex_, "good.bundle");
  const std::string good = ReadFile(PathIn("good.bundle"));
  ASSERT_EQ(good.size(), kHeader + 2 * kChunk);

  std::string flipped = good;
  flipped[kHeader + 100] ^= 0x20;
  std::string swapped = good.substr(0, kHeader) + good.substr(kHeader + kChunk, kChunk) +
                        good.substr(kHeader, kChunk);
  const std::vector<std::pair<std::string, std::string>> damaged = {
      {"one byte flipped", flipped},
      {"cut short", good.substr(0, good.size() - 100)},
      {"cut at a chunk", good.substr(0, kHeader + kChunk)},
      {"chunks swapped", swapped},
      {"not a bundle's size", std::string(kHeader + kChunk - 1, 'x')},
  };
  const std::string before = StateOf(sam_);
  for (const auto& [name, bytes] : damaged) {
    WriteFile(PathIn("damaged.bundle"), bytes);
    const RunResult refused = TryOpenJson(sam_, "damaged.bundle");
    EXPECT_EQ(refused.exit_code, kExitDamaged) << name << refused;
    EXPECT_EQ(FailureReason(refused), "bundle_damaged") << name << refused;
    EXPECT_EQ(StateOf(sam_), before) << name;
  }
  // Damage in the first 48 bytes, or other bytes of a bundle's size, cannot be told from a
  // bundle that is not for this journal (docs/protocol.md 7.4): the message says both.
  std::string header_flipped = good;
  header_flipped[3] ^= 0x01;
  for (const std::string& bytes : {header_flipped, std::string(kHeader + kChunk, 'x')}) {
    WriteFile(PathIn("damaged.bundle"), bytes);
    const RunResult refused = TryOpenJson(sam_, "damaged.bundle");
    EXPECT_EQ(refused.exit_code, kExitUnknownPeer) << refused;
    // Its sentence says both (BundleMessagesTest in tests/cli).
    EXPECT_EQ(FailureReason(refused), "bundle_not_for_you") << refused;
    EXPECT_EQ(StateOf(sam_), before);
  }
  EXPECT_EQ(Open(sam_, "good.bundle")["received"], 3) << "the intact file still opens";
}

// What can be checked before reading a file is checked first. A file whose size is not a
// bundle's is refused without being read; one of a bundle's largest size whose first 48 bytes
// are a stranger's, after reading only those; a FIFO by its type, instead of waiting for a
// writer. "Never held the file" is measured against the same refusal of a one-chunk file in
// the same build: the peak memory grows by less than half the large file's size (a sanitizer
// build starts near the large file's size on its own).
TEST_F(BundleCommandTest, AFileIsRefusedBeforeItIsReadWhole) {
  const uint64_t largest = kHeader + 8192 * kChunk;  // 128 MiB and 48 bytes
  WriteFile(PathIn("small.bundle"), std::string(kHeader + kChunk, 'x'));
  const RunResult small = TryOpen(sam_, "small.bundle");
  ASSERT_EQ(small.exit_code, kExitUnknownPeer) << small;
  const uint64_t baseline = static_cast<uint64_t>(small.peak_memory_kib) * 1024;
  struct Case {
    std::string name;
    uint64_t size;
    int exit_code;
  };
  const std::string before = StateOf(sam_);
  for (const Case& item :
       {Case{"4 GiB and a byte", (uint64_t{4} << 30) + 1, kExitDamaged},
        Case{"a bundle's size, a stranger's header", largest, kExitUnknownPeer}}) {
    WriteFile(PathIn("big.bundle"), std::string(kHeader, 'x'));
    std::filesystem::resize_file(PathIn("big.bundle"), item.size);  // sparse: no disk used
    const RunResult refused = TryOpen(sam_, "big.bundle");
    EXPECT_EQ(refused.exit_code, item.exit_code) << item.name << refused;
    EXPECT_LT(static_cast<uint64_t>(refused.peak_memory_kib) * 1024, baseline + largest / 2)
        << item.name << ": the file was read whole (peak " << refused.peak_memory_kib
        << " KiB, a one-chunk file's " << small.peak_memory_kib << " KiB)";
  }
  ASSERT_EQ(::mkfifo(PathIn("fifo.bundle").c_str(), 0600), 0);
  const RunResult fifo = RunProcess(
      {ATTUNE_BINARY, {"--home", sam_, "bundle", "--open", PathIn("fifo.bundle")}, env, "", kStep});
  EXPECT_EQ(fifo.exit_code, kExitDamaged) << fifo;
  EXPECT_EQ(StateOf(sam_), before);
}

TEST_F(BundleCommandTest, ALiveSyncAfterBundlesConvergesAndCarriesTheAcknowledgementBack) {
  const std::string alex_need = AddAt(alex_, "need", "by bundle", {"--share"});
  Write(alex_, "to-sam.bundle");
  Open(sam_, "to-sam.bundle");
  const std::string sam_need = AddAt(sam_, "need", "by sync", {"--share"});
  const std::string alex_later = AddAt(alex_, "need", "after the bundle", {"--share"});

  const RunResult synced = SyncThroughServe(sam_, alex_, {"--json"});
  ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  const json counts = ParseJson(synced.out);
  EXPECT_EQ(counts["sent"], 1) << synced;
  EXPECT_EQ(counts["withdrew"], 0) << synced;
  EXPECT_EQ(counts["received"], 1) << synced;
  EXPECT_TRUE(PartnerHas(alex_, sam_need));
  EXPECT_TRUE(PartnerHas(sam_, alex_later));
  EXPECT_EQ(DeliveryOf(alex_, alex_need), "delivered");
  EXPECT_EQ(Write(alex_, "after-sync.bundle")["sent"], 0);
  EXPECT_EQ(Open(sam_, "to-sam.bundle")["received"], 0) << "the old bundle changes nothing";
}

TEST_F(BundleCommandTest, WritingRefusesAnExistingFileUnlessForcedAndNeedsAPartner) {
  Write(alex_, "to-sam.bundle");
  const std::string first = ReadFile(PathIn("to-sam.bundle"));
  const RunResult refused = RunAt(alex_, {"bundle", "--out", PathIn("to-sam.bundle"), "--json"});
  EXPECT_EQ(refused.exit_code, kExitUsage) << refused;
  EXPECT_EQ(FailureReason(refused), "file_exists") << refused;
  EXPECT_EQ(ReadFile(PathIn("to-sam.bundle")), first);
  EXPECT_EQ(RunAt(alex_, {"bundle", "--out", PathIn("to-sam.bundle"), "--force"}).exit_code,
            kExitOk);
  EXPECT_NE(ReadFile(PathIn("to-sam.bundle")), first);
  EXPECT_EQ(RunAt(alex_, {"bundle"}).exit_code, kExitUsage);
  const RunResult missing = TryOpenJson(sam_, "no-such.bundle");
  EXPECT_EQ(missing.exit_code, kExitNotFound) << missing;
  EXPECT_EQ(FailureReason(missing), "bundle_no_such_file") << missing;
  for (const auto& entry : std::filesystem::directory_iterator(root())) {
    EXPECT_FALSE(Contains(entry.path().filename().string(), "attune-tmp")) << entry.path();
  }

  const std::string alone = NewHome("Alone");
  EXPECT_EQ(RunAt(alone, {"bundle", "--out", PathIn("x.bundle")}).exit_code, kExitNotPaired);
  EXPECT_EQ(RunAt(alone, {"bundle", "--open", PathIn("to-sam.bundle")}).exit_code, kExitNotPaired);
  EXPECT_FALSE(PathExists(PathIn("x.bundle")));
}

// A bundle that does not fit (RLIMIT_FSIZE: writes past it fail with EFBIG, as on a full disk)
// leaves neither the file nor its temporary copy, and the journal as it was.
TEST_F(BundleCommandTest, ABundleThatDoesNotFitLeavesNoFile) {
  for (int i = 0; i < 5; ++i) {
    AddAt(alex_, "need", "need " + std::to_string(i) + std::string(9000, '.'), {"--share"});
  }
  Write(alex_, "fits.bundle");  // the first use makes the log's epoch: no write after this
  ASSERT_EQ(ReadFile(PathIn("fits.bundle")).size(), kHeader + 3 * kChunk);
  // Room for the database's -shm file (32 KiB), not for three chunks.
  const ChildSetup little_room{.file_size_limit = 40 * 1024};
  const RunResult full = RunProcess({ATTUNE_BINARY,
                                     {"--home", alex_, "bundle", "--out", PathIn("full.bundle")},
                                     env,
                                     "",
                                     kDefaultTimeout,
                                     little_room});
  EXPECT_EQ(full.exit_code, 17) << full;  // its sentence: ReasonMessagesTest in tests/cli
  EXPECT_FALSE(PathExists(PathIn("full.bundle")));
  for (const auto& entry : std::filesystem::directory_iterator(root())) {
    EXPECT_FALSE(Contains(entry.path().filename().string(), "attune-tmp")) << entry.path();
  }
  EXPECT_EQ(Write(alex_, "after.bundle")["sent"], 5);
}

}  // namespace
}  // namespace attune::e2e
