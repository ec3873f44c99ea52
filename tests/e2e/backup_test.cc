// `attune backup` and `attune restore-backup` with the real binary: a journal sealed into one
// file and back, the refusals that leave everything as it was, and what a partner holds after
// an older backup was restored.
#include <gtest/gtest.h>

#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

constexpr const char* kBackupPassphrase = "the passphrase at backup time";

class BackupTest : public AttuneTest {
 protected:
  std::string backup() const { return PathIn("journal.backup"); }
  std::string restored_home() const { return PathIn("restored"); }

  // A journal with a passphrase and three entries, and its backup.
  void MakeJournalAndBackup() {
    env["ATTUNE_PASSPHRASE"] = kBackupPassphrase;
    ASSERT_EQ(Run({"init", "--name", "Sam", "--interactive-kdf"}).exit_code, kExitOk);
    Add("note", "a quiet evening", {"--tag", "home"});
    Add("trigger", "a message left unanswered");
    Add("need", "a word when plans change", {"--share"});
    const RunResult made = Run({"backup", "--out", backup(), "--json"});
    ASSERT_EQ(made.exit_code, kExitOk) << made;
    EXPECT_EQ(ParseJson(made.out)["opens_with"], "passphrase_or_recovery_code");
  }

  std::string RecoveryCodeFile() {
    const RunResult kit = Run({"recovery-kit", "--json"});
    EXPECT_EQ(kit.exit_code, kExitOk) << kit;
    const std::string file = PathIn("code.txt");
    WriteFile(file, ParseJson(kit.out)["recovery_code"].get<std::string>() + "\n");
    return file;
  }

  RunResult RestoreInto(const std::string& home, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--home", home, "restore-backup", backup(), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args);
  }

  nlohmann::json ListAt(const std::string& home) {
    const RunResult listed = Run({"--home", home, "list", "--json"});
    EXPECT_EQ(listed.exit_code, kExitOk) << listed;
    return ParseJson(listed.out);
  }
};

TEST_F(BackupTest, ABackupRestoredIntoANewHomeListsTheSameEntries) {
  ASSERT_NO_FATAL_FAILURE(MakeJournalAndBackup());
  const RunResult restored = RestoreInto(restored_home());
  ASSERT_EQ(restored.exit_code, kExitOk) << restored;
  EXPECT_EQ(ParseJson(restored.out)["passphrase"], true);
  EXPECT_EQ(ListAt(restored_home()), ListJson());

  const std::string code = RecoveryCodeFile();
  const std::string by_code = PathIn("by-code");
  env.erase("ATTUNE_PASSPHRASE");  // the code alone opens it
  const RunResult with_code = RestoreInto(by_code, {"--recovery-code", "--code-file", code});
  ASSERT_EQ(with_code.exit_code, kExitOk) << with_code;
  env["ATTUNE_PASSPHRASE"] = kBackupPassphrase;
  EXPECT_EQ(ListAt(by_code), ListJson());
}

TEST_F(BackupTest, AnExistingOutFileIsReplacedOnlyWhenAskedTo) {
  ASSERT_NO_FATAL_FAILURE(MakeJournalAndBackup());
  WriteFile(backup(), "an earlier file");
  const RunResult refused = Run({"backup", "--out", backup()});
  EXPECT_EQ(refused.exit_code, kExitUsage) << refused;
  EXPECT_EQ(ReadFile(backup()), "an earlier file");
  const RunResult declined = RunOnTty({"backup", "--out", backup()}, {{"[y/N] ", "n\n"}});
  EXPECT_EQ(declined.exit_code, kExitCancelled) << declined;
  EXPECT_EQ(ReadFile(backup()), "an earlier file");
  ASSERT_EQ(Run({"backup", "--out", backup(), "--force"}).exit_code, kExitOk);
  EXPECT_EQ(RestoreInto(restored_home()).exit_code, kExitOk);
}

TEST_F(BackupTest, ABadFileOrPassphraseExitsAsDocumentedAndWritesNothing) {
  ASSERT_NO_FATAL_FAILURE(MakeJournalAndBackup());
  const std::string good = ReadFile(backup());
  std::string flipped = good;
  flipped[good.size() / 2] = static_cast<char>(flipped[good.size() / 2] ^ 1);
  struct Case {
    std::string bytes;
    int exit_code;
    std::string reason;
  };
  for (const Case& c : {Case{flipped, kExitDataProblem, "backup_damaged"},
                        Case{good.substr(0, good.size() - 100), kExitDataProblem, "backup_damaged"},
                        Case{"not a backup at all", kExitDataProblem, "not_a_backup"}}) {
    WriteFile(backup(), c.bytes);
    const RunResult refused = RestoreInto(restored_home());
    EXPECT_EQ(refused.exit_code, c.exit_code) << refused;
    EXPECT_EQ(FailureReason(refused), c.reason) << refused;
    EXPECT_FALSE(PathExists(restored_home())) << "nothing written";
  }
  WriteFile(backup(), good);
  env["ATTUNE_PASSPHRASE"] = "not the passphrase";
  const RunResult wrong = RestoreInto(restored_home());
  EXPECT_EQ(wrong.exit_code, kExitWrongPassphrase) << wrong;
  EXPECT_EQ(FailureReason(wrong), "wrong_passphrase");
  EXPECT_FALSE(PathExists(restored_home()));
}

TEST_F(BackupTest, AHomeWithAJournalIsKeptUnlessReplaceIsConfirmed) {
  ASSERT_NO_FATAL_FAILURE(MakeJournalAndBackup());
  const std::string later = Add("note", "written after the backup");
  const nlohmann::json before = ListJson();
  const RunResult refused = RestoreInto(home());
  EXPECT_EQ(refused.exit_code, kExitNoJournal) << refused;
  EXPECT_EQ(FailureReason(refused), "home_has_journal");
  const RunResult no_yes = RestoreInto(home(), {"--replace"});
  EXPECT_EQ(no_yes.exit_code, kExitUsage) << "without a terminal, --replace needs --yes";
  EXPECT_EQ(ListJson(), before);

  const RunResult replaced = RestoreInto(home(), {"--replace", "--yes"});
  ASSERT_EQ(replaced.exit_code, kExitOk) << replaced;
  const std::string kept = ParseJson(replaced.out)["replaced_copy"];
  EXPECT_TRUE(PathExists(kept));
  EXPECT_EQ(Run({"show", later}).exit_code, kExitNotFound) << "the backup's journal now";
  // The journal it replaced, moved to a home of its own, is whole.
  const std::string aside = PathIn("aside");
  ASSERT_EQ(Run({"--home", aside, "init", "--name", "x", "--no-passphrase"}).exit_code, kExitOk);
  ASSERT_EQ(std::rename(kept.c_str(), (aside + "/journal.db").c_str()), 0);
  EXPECT_EQ(ListAt(aside), before);
}

// Alex backs up, shares two more entries, restores the older backup and shares two new ones.
// Sam's node must then hold exactly what Alex's restored journal shares: not the two shared
// after the backup (which the restored journal does not have), and the two new ones, whose
// log numbers Sam had already seen in the log as it was before the restore.
class BackupPartnersTest : public PartnersTest {};

TEST_F(BackupPartnersTest, AfterAnOlderBackupIsRestoredThePartnerHoldsExactlyWhatIsSharedNow) {
  ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  const std::string before = AddAt(alex_, "need", "shared before the backup", {"--share"});
  AddAt(alex_, "note", "private before the backup");
  ASSERT_EQ(SyncThroughServe(alex_, sam_).exit_code, kExitOk);
  const std::string backup = PathIn("alex.backup");
  ASSERT_EQ(RunAt(alex_, {"backup", "--out", backup}).exit_code, kExitOk);
  const std::string code = PathIn("alex.code");
  WriteFile(code, JsonAt(alex_, {"recovery-kit"})["recovery_code"].get<std::string>());

  const std::string after_1 = AddAt(alex_, "need", "shared after the backup", {"--share"});
  const std::string after_2 = AddAt(alex_, "boundary", "also after it", {"--share"});
  ASSERT_EQ(SyncThroughServe(alex_, sam_).exit_code, kExitOk);
  ASSERT_EQ(Sorted(ListIds(sam_, {"--partner"})), Sorted({before, after_1, after_2}));

  const RunResult restored = RunAt(alex_, {"restore-backup", backup, "--replace", "--yes",
                                           "--recovery-code", "--code-file", code, "--json"});
  ASSERT_EQ(restored.exit_code, kExitOk) << restored;
  EXPECT_EQ(ParseJson(restored.out)["sync_starts_over"], true);
  const std::string new_1 = AddAt(alex_, "need", "shared after the restore", {"--share"});
  const std::string new_2 = AddAt(alex_, "repair", "and another", {"--share"});
  const RunResult synced = SyncThroughServe(alex_, sam_);
  ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  EXPECT_EQ(Sorted(ListIds(sam_, {"--partner"})), Sorted({before, new_1, new_2}));
  // And Alex's delivery states agree: everything shared is delivered.
  for (const nlohmann::json& item : JsonAt(alex_, {"shared"})) {
    EXPECT_EQ(item["state"], "delivered") << item.dump();
  }
}

}  // namespace
}  // namespace attune::e2e
