// Faults that must lose nothing, with the real binary: a full disk (a file-size limit on the
// child, and a real small tmpfs when the test may mount one), a read-only home (a read-only
// mount, and permission bits), a database locked by another process past the busy timeout, and
// a damaged, truncated or newer database. Each time attune must say what happened with its
// documented exit code, and everything stored before must still be there, intact.
#include <gtest/gtest.h>
#include <pwd.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/faults.h"
#include "tests/e2e/other_user.h"

namespace attune::e2e {
namespace {

using nlohmann::json;

// The largest entry text attune takes is 64 KiB; this one is most of that.
std::string LargeText() {
  return std::string(60000, 'w');
}

// `count` notes of `size` bytes of text each, with ids of our choosing, for `import`.
std::vector<json> Notes(int count, char first_id_digit, size_t size) {
  std::vector<json> entries;
  for (int i = 0; i < count; ++i) {
    char id[33];
    std::snprintf(id, sizeof id, "%c%031d", first_id_digit, i);
    char created[40];
    std::snprintf(created, sizeof created, "2026-02-01T10:%02d:00.000+00:00", i % 60);
    entries.push_back(
        ExportedEntry(id, "note", "note " + std::to_string(i) + std::string(size, '.'), created));
  }
  return entries;
}

std::string ImportOf(int count, char first_id_digit) {
  return ExportDocument(Notes(count, first_id_digit, 3000));
}

bool WalHasContent(const std::string& database) {
  struct stat wal {};
  return ::stat((database + "-wal").c_str(), &wal) == 0 && wal.st_size > 0;
}

class DiskFullTest : public FaultsTest {
 protected:
  // Entries written before the disk filled up, and the check that they are all still there.
  void ExpectStillThere(const std::vector<std::string>& ids, const std::string& home_dir) {
    EXPECT_EQ(ListIds(home_dir), ids);
    EXPECT_EQ(IntegrityCheck(home_dir + "/journal.db"), "ok");
  }

  void ExpectDiskFull(const RunResult& result) {
    EXPECT_EQ(result.exit_code, kExitDiskFull) << result;  // its sentence: tests/cli
  }
};

// RLIMIT_FSIZE makes every write past the limit fail with EFBIG, the way a full disk fails a
// write with ENOSPC; SQLite reports the two differently, and both must read as "disk full".
TEST_F(DiskFullTest, AFileSizeLimitRefusesWritesWithTheirOwnExitCodeAndKeepsEverything) {
  InitJournal();
  // The second is large enough that an export of the journal does not fit in 4 KiB.
  const std::vector<std::string> before = {
      Add("note", "first"), Add("need", std::string(6000, 'n')), Add("trigger", "third")};
  ASSERT_FALSE(WalHasContent(database()));

  // Room for the -shm file (32 KiB) but not for a large entry's pages in the WAL.
  const ChildSetup room_for_little{.file_size_limit = 40 * 1024};
  ExpectDiskFull(RunWith(room_for_little, {"add", "note"}, LargeText()));
  WriteFile(PathIn("import.json"), ImportOf(20, 'b'));
  ExpectDiskFull(RunWith(room_for_little, {"import", PathIn("import.json")}));
  ExpectStillThere(before, home());

  // No room even for the -shm file: reading still works (without it), writing does not.
  const ChildSetup no_room{.file_size_limit = 4096};
  const RunResult listed = RunWith(no_room, {"list", "--json"});
  ASSERT_EQ(listed.exit_code, kExitOk) << listed;
  EXPECT_EQ(ParseJson(listed.out).size(), before.size());
  ExpectDiskFull(RunWith(no_room, {"add", "note", "small"}));
  ExpectDiskFull(RunWith(no_room, {"edit", before[0], "changed"}));
  // An export that does not fit leaves neither a partial file nor its temporary copy.
  const std::string exported = PathIn("export.json");
  ExpectDiskFull(RunWith(no_room, {"export", "--format", "json", "--out", exported}));
  EXPECT_FALSE(PathExists(exported));
  for (const auto& item : std::filesystem::directory_iterator(root())) {
    EXPECT_FALSE(Contains(item.path().filename().string(), "attune-tmp")) << item.path();
  }

  ExpectStillThere(before, home());
  EXPECT_EQ(ShowJson(before[0])["text"], "first");
  EXPECT_EQ(Add("note", "after the disk was freed").size(), 32u);
}

// A real file system that fills up: as root, a 256 KiB tmpfs holding the home.
TEST_F(DiskFullTest, ARealFullFileSystemRefusesWritesAndKeepsEverything) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  Tmpfs small(PathIn("small"), "256k");
  if (!small.mounted()) GTEST_SKIP() << "cannot mount a small tmpfs here: " << small.why_not();
  const std::string home_dir = small.dir() + "/home";
  env["ATTUNE_HOME"] = home_dir;
  InitJournal();

  std::vector<std::string> stored = {Add("note", "written while there was room")};
  RunResult full;
  for (int attempt = 0; attempt < 10; ++attempt) {
    full = Run({"add", "note"}, LargeText());
    if (full.exit_code != kExitOk) break;
    stored.push_back(TrimmedLine(full.out));
  }
  ExpectDiskFull(full);
  ASSERT_GE(stored.size(), 2u) << "256 KiB holds at least one large entry";
  ExpectDiskFull(Run({"add", "note"}, LargeText()));
  WriteFile(PathIn("import.json"), ImportOf(40, 'c'));
  ExpectDiskFull(Run({"import", PathIn("import.json")}));

  ExpectStillThere(stored, home_dir);
}

// Reading works on a read-only home; every write is refused with exit 10 and changes nothing.
class ReadOnlyHomeTest : public FaultsTest {
 protected:
  void AddSome() {
    InitJournal();
    ids_ = {Add("note", "kept safe"), Add("boundary", "no phones at dinner")};
  }

  void ExpectReadsWorkAndWritesAreRefused(const ChildSetup& setup = {}) {
    const RunResult listed = RunWith(setup, {"list", "--json"});
    ASSERT_EQ(listed.exit_code, kExitOk) << listed;
    const json entries = ParseJson(listed.out);
    ASSERT_EQ(entries.size(), ids_.size());
    EXPECT_EQ(entries[0]["text"], "kept safe");
    for (const std::vector<std::string>& reading : std::vector<std::vector<std::string>>{
             {"show", ids_[1]}, {"search", "phones"}, {"export", "--format", "json"}, {"steps"}}) {
      const RunResult read = RunWith(setup, reading);
      EXPECT_EQ(read.exit_code, kExitOk) << reading[0] << "\n" << read;
    }
    WriteFile(PathIn("import.json"), ImportOf(2, 'd'));
    for (const std::vector<std::string>& writing :
         std::vector<std::vector<std::string>>{{"add", "note", "more"},
                                               {"edit", ids_[0], "changed"},
                                               {"rm", ids_[1], "--yes"},
                                               {"boundary", "restate", ids_[1]},
                                               {"import", PathIn("import.json")}}) {
      const RunResult refused = RunWith(setup, writing);
      EXPECT_EQ(refused.exit_code, kExitIo) << writing[0] << "\n" << refused;
      EXPECT_TRUE(Contains(refused.err, "read-only")) << refused;
    }
  }

  void ExpectNothingChanged(const std::string& home_dir) {
    EXPECT_EQ(ListIds(home_dir), ids_);
    EXPECT_EQ(JsonAt(home_dir, {"show", ids_[0]})["text"], "kept safe");
    EXPECT_EQ(IntegrityCheck(home_dir + "/journal.db"), "ok");
  }

  std::vector<std::string> ids_;
};

// A read-only file system (a backup disk, a read-only bind mount) refuses every write, root's
// too: the way to test a read-only home that also holds as root.
TEST_F(ReadOnlyHomeTest, OnAReadOnlyMount) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a tmpfs read-only needs root";
  Tmpfs disk(PathIn("disk"), "2m");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: " << disk.why_not();
  const std::string home_dir = disk.dir() + "/home";
  env["ATTUNE_HOME"] = home_dir;
  AddSome();
  ASSERT_TRUE(disk.Remount(/*read_only=*/true));

  ExpectReadsWorkAndWritesAreRefused();

  ASSERT_TRUE(disk.Remount(/*read_only=*/false));
  ExpectNothingChanged(home_dir);
}

// Permission bits: a home of mode 0500 with its database 0400. Root ignores them, so as root
// the commands run as an unprivileged user who owns the home (the test's pre-exec setup); as
// anyone else they run as the test's own user.
TEST_F(ReadOnlyHomeTest, WithReadOnlyPermissions) {
  ChildSetup setup;
  if (::geteuid() == 0) {
    const passwd* nobody = ::getpwnam("nobody");
    if (nobody == nullptr) GTEST_SKIP() << "as root this needs the user 'nobody' to run as";
    setup.run_as = ChildSetup::User{nobody->pw_uid, nobody->pw_gid};
  }
  if (setup.run_as) {
    // The unprivileged user must reach attune and the home, and own what is in the home.
    const BinaryCopy copy = CopyForUser(ATTUNE_BINARY, root(), *setup.run_as);
    if (copy.path.empty()) GTEST_SKIP() << copy.why_not;
    attune_binary = copy.path;
    std::filesystem::create_directory(home());
    ASSERT_EQ(::chown(home().c_str(), setup.run_as->uid, setup.run_as->gid), 0);
  }
  const RunResult made = RunWith(setup, {"init", "--name", "Sam", "--no-passphrase"});
  ASSERT_EQ(made.exit_code, kExitOk) << made;
  for (const std::vector<std::string>& adding : std::vector<std::vector<std::string>>{
           {"add", "note", "kept safe"}, {"add", "boundary", "no phones at dinner"}}) {
    const RunResult added = RunWith(setup, adding);
    ASSERT_EQ(added.exit_code, kExitOk) << added;
    ids_.push_back(TrimmedLine(added.out));
  }
  ASSERT_EQ(::chmod(database().c_str(), 0400), 0);
  ASSERT_EQ(::chmod(home().c_str(), 0500), 0);

  ExpectReadsWorkAndWritesAreRefused(setup);

  ASSERT_EQ(::chmod(home().c_str(), 0700), 0);
  ASSERT_EQ(::chmod(database().c_str(), 0600), 0);
  ExpectNothingChanged(home());
}

// Another process holds the write lock for longer than attune's busy timeout (5 s).
TEST_F(FaultsTest, ADatabaseLockedPastTheBusyTimeoutIsExitNineAndWorksOnceReleased) {
  InitJournal();
  const std::string kept = Add("note", "written before the lock");
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open_v2(database().c_str(), &holder, SQLITE_OPEN_READWRITE, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(holder);

  // Readers are not held up by a writer (WAL).
  EXPECT_EQ(ListIds(home()), std::vector<std::string>{kept});
  const RunResult locked = Run({"add", "note", "while locked"});
  EXPECT_EQ(locked.exit_code, kExitBusy) << locked;

  ASSERT_EQ(sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close_v2(holder);
  const std::string after = Add("note", "while locked");
  EXPECT_EQ(ListIds(home()), (std::vector<std::string>{kept, after}));
  EXPECT_EQ(IntegrityCheck(database()), "ok");
}

// A damaged database is refused by every command with exit 8, and not one byte of it changes:
// attune never overwrites or "repairs" it, and leaves no WAL with anything in it.
class DamagedDatabaseTest : public FaultsTest {
 protected:
  void SetUp() override {
    FaultsTest::SetUp();
    InitJournal();
    // Thirty entries of about 1 KiB: most of the file is the entries table.
    const std::vector<json> notes = Notes(30, 'a', 1000);
    for (const json& note : notes) ids_.push_back(note["id"]);
    WriteFile(PathIn("notes.json"), ExportDocument(notes));
    const RunResult imported = Run({"import", PathIn("notes.json")});
    ASSERT_EQ(imported.exit_code, kExitOk) << imported;
    ASSERT_EQ(ListIds(home()), ids_);
    ASSERT_FALSE(PathExists(database() + "-wal")) << "attune checkpoints and removes it on exit";
    pristine_ = ReadFile(database());
  }

  void ExpectRefusedUntouched() {
    const std::string damaged = ReadFile(database());
    WriteFile(PathIn("import.json"), ImportOf(2, 'e'));
    for (const std::vector<std::string>& command :
         std::vector<std::vector<std::string>>{{"list"},
                                               {"show", ids_[15]},
                                               {"search", "note"},
                                               {"export", "--format", "json"},
                                               {"steps"},
                                               {"add", "note", "one more"},
                                               {"edit", ids_[15], "changed"},
                                               {"import", PathIn("import.json")}}) {
      const RunResult refused = Run(command);
      EXPECT_EQ(refused.exit_code, kExitDataProblem) << command[0] << "\n" << refused;
      EXPECT_TRUE(ReadFile(database()) == damaged) << command[0] << " changed the file";
      EXPECT_FALSE(WalHasContent(database())) << command[0] << " left a WAL with content";
    }
  }

  std::vector<std::string> ids_;
  std::string pristine_;
};

TEST_F(DamagedDatabaseTest, BytesOverwrittenInTheMiddle) {
  std::string damaged = pristine_;
  for (size_t i = damaged.size() / 3; i < damaged.size() * 2 / 3; ++i) {
    damaged[i] = static_cast<char>(i * 131 + 7);
  }
  WriteFile(database(), damaged);
  ExpectRefusedUntouched();
}

TEST_F(DamagedDatabaseTest, TruncatedToHalf) {
  WriteFile(database(), pristine_.substr(0, pristine_.size() / 2));
  ExpectRefusedUntouched();
}

TEST_F(DamagedDatabaseTest, FromANewerSchemaVersion) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(database().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close_v2(db);
  ASSERT_FALSE(WalHasContent(database()));
  ExpectRefusedUntouched();
  // From a newer attune, not damaged: the kind of failure says which (its words: tests/cli).
  const RunResult refused = Run({"list", "--json"});
  EXPECT_EQ(FailureCode(refused), "unsupported") << refused;
}

}  // namespace
}  // namespace attune::e2e
