// A journal with a passphrase: unlocking, refusing, changing, recovering; and what is on disk.
// Every init and passwd here uses --interactive-kdf to keep the suite fast.
#include <sys/stat.h>

#include <utility>

#include "tests/e2e/e2e_fixture.h"

namespace attune::e2e {
namespace {

constexpr const char* kPassphrase = "correct horse battery";

class PassphraseTest : public AttuneTest {
 protected:
  void SetUp() override {
    AttuneTest::SetUp();
    env["ATTUNE_PASSPHRASE"] = kPassphrase;
    // What init says with and without a passphrase: KeepingMessagesTest in tests/cli.
    const RunResult init = Run({"init", "--name", "Sam", "--interactive-kdf", "--json"});
    ASSERT_EQ(init.exit_code, kExitOk) << init;
    EXPECT_EQ(ParseJson(init.out)["passphrase"], true) << init;
    entry_ = Add("note", "locked away");
  }

  // The database and its WAL as they are on disk right now.
  std::string DiskState() const {
    return ReadFile(database()) + "\n--wal--\n" + ReadFile(database() + "-wal");
  }

  std::string RecoveryCode() {
    const RunResult kit = Run({"recovery-kit", "--json"});
    EXPECT_EQ(kit.exit_code, kExitOk) << kit;
    return ParseJson(kit.out).value("recovery_code", "");
  }

  // A file holding `text` and a newline, with `mode`.
  std::string PassphraseFile(const std::string& name, const std::string& text, mode_t mode) {
    const std::string path = PathIn(name);
    WriteFile(path, text + "\n");
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path;
  }

  // Runs with exactly this passphrase in the environment (none if empty).
  RunResult RunWith(const std::string& passphrase, const std::vector<std::string>& args) {
    if (passphrase.empty()) {
      env.erase("ATTUNE_PASSPHRASE");
    } else {
      env["ATTUNE_PASSPHRASE"] = passphrase;
    }
    return Run(args);
  }

  std::string entry_;
};

TEST_F(PassphraseTest, RightPassphraseOpensTheJournal) {
  const RunResult listed = Run({"list", "--json"});
  ASSERT_EQ(listed.exit_code, kExitOk) << listed;
  EXPECT_EQ(ParseJson(listed.out)[0]["text"], "locked away");
}

TEST_F(PassphraseTest, WrongPassphraseFailsAndTouchesNothing) {
  const std::string before = DiskState();
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"list"},
                                             {"add", "note", "sneaky"},
                                             {"edit", entry_, "changed"},
                                             {"rm", entry_, "--yes"},
                                             {"recovery-kit"},
                                             {"export", "--format", "json"}}) {
    const RunResult result = RunWith("wrong horse", args);
    EXPECT_EQ(result.exit_code, kExitWrongPassphrase) << args[0] << "\n" << result;
    EXPECT_TRUE(result.out.empty()) << result;
  }
  EXPECT_EQ(DiskState(), before) << "a wrong passphrase must not change a byte";
  EXPECT_EQ(RunWith(kPassphrase, {"show", entry_, "--json"}).exit_code, kExitOk);
}

TEST_F(PassphraseTest, NoPassphraseAndNoTerminalNamesTheWaysToGiveOne) {
  env.erase("ATTUNE_PASSPHRASE");
  const RunResult result = Run({"list"});
  EXPECT_EQ(result.exit_code, kExitNeedsPassphrase) << result;
  EXPECT_NE(result.err.find("ATTUNE_PASSPHRASE"), std::string::npos) << result;
  EXPECT_NE(result.err.find("--passphrase-file"), std::string::npos) << result;
  EXPECT_TRUE(result.out.empty()) << result;
  env["ATTUNE_PASSPHRASE"] = "";
  EXPECT_EQ(Run({"list"}).exit_code, kExitNeedsPassphrase) << "an empty variable counts as unset";
  EXPECT_EQ(Run({"add", "note", "x"}).exit_code, kExitNeedsPassphrase);
}

TEST_F(PassphraseTest, PassphraseFileWorksAndTheVariableWins) {
  env.erase("ATTUNE_PASSPHRASE");
  WriteFile(PathIn("pass"), std::string(kPassphrase) + "\n");
  WriteFile(PathIn("wrong"), "not it\n");
  // A passphrase file must be private (passphrase_file_mode_test.cc).
  ::chmod(PathIn("pass").c_str(), 0600);
  ::chmod(PathIn("wrong").c_str(), 0600);
  EXPECT_EQ(Run({"--passphrase-file", PathIn("pass"), "list"}).exit_code, kExitOk);
  EXPECT_EQ(Run({"--passphrase-file", PathIn("wrong"), "list"}).exit_code, kExitWrongPassphrase);
  const RunResult absent = Run({"--passphrase-file", PathIn("absent"), "list", "--json"});
  EXPECT_EQ(absent.exit_code, kExitNotFound) << absent;
  EXPECT_EQ(FailureReason(absent), "cannot_open_file") << "about the file: " << absent;
  env["ATTUNE_PASSPHRASE"] = kPassphrase;
  EXPECT_EQ(Run({"--passphrase-file", PathIn("wrong"), "list"}).exit_code, kExitOk);
}

TEST_F(PassphraseTest, PasswdReplacesThePassphrase) {
  env["ATTUNE_NEW_PASSPHRASE"] = "new and longer passphrase";
  const std::string code = RecoveryCode();
  const RunResult changed = Run({"passwd", "--interactive-kdf"});
  ASSERT_EQ(changed.exit_code, kExitOk) << changed;
  env.erase("ATTUNE_NEW_PASSPHRASE");
  EXPECT_EQ(RunWith(kPassphrase, {"list"}).exit_code, kExitWrongPassphrase);
  const RunResult with_new = RunWith("new and longer passphrase", {"show", entry_, "--json"});
  ASSERT_EQ(with_new.exit_code, kExitOk) << with_new;
  EXPECT_EQ(ParseJson(with_new.out)["text"], "locked away");
  EXPECT_EQ(RecoveryCode(), code) << "the recovery code does not change with the passphrase";
}

TEST_F(PassphraseTest, PasswdRefusesWithoutOldOrNewPassphrase) {
  const std::string before = DiskState();
  env["ATTUNE_NEW_PASSPHRASE"] = "would be new";
  EXPECT_EQ(RunWith("wrong horse", {"passwd", "--interactive-kdf"}).exit_code,
            kExitWrongPassphrase);
  env.erase("ATTUNE_NEW_PASSPHRASE");
  const RunResult no_new = RunWith(kPassphrase, {"passwd", "--interactive-kdf"});
  EXPECT_EQ(no_new.exit_code, kExitNeedsPassphrase) << no_new;
  EXPECT_EQ(DiskState(), before);
  EXPECT_EQ(RunWith("would be new", {"list"}).exit_code, kExitWrongPassphrase);
  EXPECT_EQ(RunWith(kPassphrase, {"list"}).exit_code, kExitOk);
}

TEST_F(PassphraseTest, RecoveryKitPrintsTheCode) {
  const std::string code = RecoveryCode();
  EXPECT_GE(code.size(), 40u) << code;
  const RunResult plain = Run({"recovery-kit"});
  ASSERT_EQ(plain.exit_code, kExitOk) << plain;
  EXPECT_NE(plain.out.find(code), std::string::npos) << plain;  // with its use: tests/cli
}

TEST_F(PassphraseTest, RecoveryCodeSetsANewPassphrase) {
  WriteFile(PathIn("code"), RecoveryCode() + "\n");
  WriteFile(PathIn("newpass"), "chosen after forgetting\n");
  ::chmod(PathIn("newpass").c_str(), 0600);
  env.erase("ATTUNE_PASSPHRASE");
  const RunResult recovered =
      Run({"passwd", "--recover", "--code-file", PathIn("code"), "--new-passphrase-file",
           PathIn("newpass"), "--interactive-kdf"});
  ASSERT_EQ(recovered.exit_code, kExitOk) << recovered;
  EXPECT_EQ(RunWith(kPassphrase, {"list"}).exit_code, kExitWrongPassphrase);
  const RunResult with_new = RunWith("chosen after forgetting", {"show", entry_, "--json"});
  ASSERT_EQ(with_new.exit_code, kExitOk) << with_new;
  EXPECT_EQ(ParseJson(with_new.out)["text"], "locked away");
}

TEST_F(PassphraseTest, RecoveryCodeCanComeFromStdin) {
  const std::string code = RecoveryCode();
  env.erase("ATTUNE_PASSPHRASE");
  env["ATTUNE_NEW_PASSPHRASE"] = "from a pipe";
  const RunResult recovered = Run({"passwd", "--recover", "--interactive-kdf"}, code + "\n");
  ASSERT_EQ(recovered.exit_code, kExitOk) << recovered;
  EXPECT_EQ(RunWith("from a pipe", {"list"}).exit_code, kExitOk);
}

TEST_F(PassphraseTest, MistypedRecoveryCodeChangesNothing) {
  std::string code = RecoveryCode();
  const size_t at = code.find_first_not_of('-', 5);
  code[at] = code[at] == 'A' ? 'B' : 'A';
  WriteFile(PathIn("code"), code);
  const std::string before = DiskState();
  env.erase("ATTUNE_PASSPHRASE");
  env["ATTUNE_NEW_PASSPHRASE"] = "should not take";
  const RunResult result =
      Run({"passwd", "--recover", "--code-file", PathIn("code"), "--interactive-kdf"});
  // A typo is caught by the code's own checksum: a usage error (2), as docs/guide.md says. Only a
  // well-formed code that does not fit is a wrong code (5; see AnotherJournalsRecoveryCodeIsWrong).
  // (What it says: KeepingMessagesTest in tests/cli.)
  EXPECT_EQ(result.exit_code, kExitUsage) << result;
  EXPECT_EQ(DiskState(), before);
  EXPECT_EQ(RunWith("should not take", {"list"}).exit_code, kExitWrongPassphrase);
  EXPECT_EQ(RunWith(kPassphrase, {"list"}).exit_code, kExitOk);
}

TEST_F(PassphraseTest, MalformedRecoveryCodeIsAUsageError) {
  const std::string code = RecoveryCode();
  const std::string before = DiskState();
  env.erase("ATTUNE_PASSPHRASE");
  env["ATTUNE_NEW_PASSPHRASE"] = "should not take";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a group left out", code.substr(5)},
      {"a character too many", code + "A"},
      {"a character outside base32", "!" + code.substr(1)},
      {"nothing at all", ""},
  };
  for (const auto& [what, typed] : cases) {
    const RunResult result = Run({"passwd", "--recover", "--interactive-kdf"}, typed + "\n");
    EXPECT_EQ(result.exit_code, kExitUsage) << what << "\n" << result;
    EXPECT_TRUE(result.out.empty()) << what << "\n" << result;
  }
  EXPECT_EQ(DiskState(), before);
  EXPECT_EQ(RunWith(kPassphrase, {"list"}).exit_code, kExitOk);
}

TEST_F(PassphraseTest, AnotherJournalsRecoveryCodeIsWrong) {
  const std::string other = PathIn("other");
  ASSERT_EQ(Run({"--home", other, "init", "--name", "Alex", "--no-passphrase"}).exit_code, kExitOk);
  const RunResult kit = Run({"--home", other, "recovery-kit", "--json"});
  WriteFile(PathIn("their-code"), ParseJson(kit.out).value("recovery_code", ""));
  const std::string before = DiskState();
  env["ATTUNE_NEW_PASSPHRASE"] = "should not take";
  const RunResult result =
      Run({"passwd", "--recover", "--code-file", PathIn("their-code"), "--interactive-kdf"});
  // Told apart from a mistyped code by its reason (node/journal_reason.h), worded in cli
  // (tests/cli/reason_messages_test.cc); the exit code is the same.
  EXPECT_EQ(result.exit_code, kExitWrongPassphrase) << result;
  EXPECT_EQ(DiskState(), before);
}

TEST_F(PassphraseTest, JournalWithoutPassphraseCanGainOne) {
  const std::string other = PathIn("open");
  env.erase("ATTUNE_PASSPHRASE");
  ASSERT_EQ(Run({"--home", other, "init", "--name", "Sam", "--no-passphrase"}).exit_code, kExitOk);
  ASSERT_EQ(Run({"--home", other, "add", "note", "was open"}).exit_code, kExitOk);
  env["ATTUNE_NEW_PASSPHRASE"] = "now closed";
  ASSERT_EQ(Run({"--home", other, "passwd", "--interactive-kdf"}).exit_code, kExitOk);
  env.erase("ATTUNE_NEW_PASSPHRASE");
  EXPECT_EQ(Run({"--home", other, "list"}).exit_code, kExitNeedsPassphrase);
  EXPECT_EQ(RunWith("now closed", {"--home", other, "list"}).exit_code, kExitOk);
}

// Nothing a person writes may reach the disk in the clear: not text, tags, statement parts,
// boundary notes, edits or the name. Checked on the raw bytes of the database and its WAL.
TEST_F(PassphraseTest, DatabaseHoldsNoPlaintext) {
  const std::string boundary = Add("boundary", "MARKERTEXTQ boundary", {"--tag", "MARKERTAGQ"});
  ASSERT_EQ(Run({"boundary", "restate", boundary, "MARKERNOTEQ"}).exit_code, kExitOk);
  ASSERT_EQ(
      Run({"statement", "--feel", "MARKERFEELQ", "--when", "MARKERWHENQ", "--need", "MARKERNEEDQ"})
          .exit_code,
      kExitOk);
  ASSERT_EQ(Run({"edit", entry_, "MARKEREDITQ"}).exit_code, kExitOk);
  ASSERT_EQ(Run({"add", "trigger"}, "MARKERSTDINQ").exit_code, kExitOk);
  const std::string other = PathIn("named");
  ASSERT_EQ(Run({"--home", other, "init", "--name", "MARKERNAMEQ", "--interactive-kdf"}).exit_code,
            kExitOk);
  const std::string disk =
      DiskState() + ReadFile(other + "/journal.db") + ReadFile(other + "/journal.db-wal");
  ASSERT_GT(disk.size(), 1000u);
  for (const std::string marker :
       {"MARKERNAMEQ", "MARKERTEXTQ", "MARKERTAGQ", "MARKERFEELQ", "MARKERWHENQ", "MARKERNEEDQ",
        "MARKERNOTEQ", "MARKEREDITQ", "MARKERSTDINQ", "locked away", "MARKER"}) {
    EXPECT_EQ(disk.find(marker), std::string::npos) << marker << " is on disk in the clear";
  }
}

TEST_F(PassphraseTest, DatabaseWithoutPassphraseHoldsNoPlaintextEither) {
  const std::string other = PathIn("open");
  ASSERT_EQ(Run({"--home", other, "init", "--name", "MARKERNAMEQ", "--no-passphrase"}).exit_code,
            kExitOk);
  ASSERT_EQ(Run({"--home", other, "add", "wound", "MARKERTEXTQ", "--tag", "MARKERTAGQ"}).exit_code,
            kExitOk);
  const std::string disk = ReadFile(other + "/journal.db") + ReadFile(other + "/journal.db-wal");
  ASSERT_GT(disk.size(), 1000u);
  EXPECT_EQ(disk.find("MARKER"), std::string::npos);
}

// A passphrase file that other users may read is refused, before it is even read: whoever can
// read it can unlock the journal (the `attune-serve` user service reads one).
TEST_F(PassphraseTest, APrivatePassphraseFileUnlocks) {
  env.erase("ATTUNE_PASSPHRASE");
  const RunResult listed =
      Run({"--passphrase-file", PassphraseFile("pass", kPassphrase, 0600), "list"});
  EXPECT_EQ(listed.exit_code, kExitOk) << listed;
  EXPECT_EQ(Run({"--passphrase-file", PassphraseFile("ro", kPassphrase, 0400), "list"}).exit_code,
            kExitOk);
}

TEST_F(PassphraseTest, APassphraseFileOthersMayReadIsRefusedWithTheChmod) {
  env.erase("ATTUNE_PASSPHRASE");
  for (const mode_t mode : {0644, 0640, 0604, 0660, 0606}) {
    const std::string file = PassphraseFile("pass", kPassphrase, mode);
    const RunResult refused = Run({"--passphrase-file", file, "list", "--json"});
    EXPECT_EQ(refused.exit_code, kExitUsage) << std::oct << mode << "\n" << refused;
    // With the chmod that fixes it: KeepingMessagesTest in tests/cli.
    EXPECT_EQ(FailureReason(refused), "passphrase_file_open") << refused;
    EXPECT_NE(refused.err.find(file), std::string::npos) << refused;
    EXPECT_EQ(refused.err.find(kPassphrase), std::string::npos) << "never print the passphrase";
    EXPECT_EQ(refused.out.find(kPassphrase), std::string::npos) << "never print the passphrase";
  }
  // The mode is judged before the content, so an open file never gets as far as a guess.
  const RunResult wrong =
      Run({"--passphrase-file", PassphraseFile("wrong", "not it", 0644), "list"});
  EXPECT_EQ(wrong.exit_code, kExitUsage) << wrong;
}

TEST_F(PassphraseTest, ANewPassphraseFileOthersMayReadChangesNothing) {
  const std::string open_file = PassphraseFile("new", "a new passphrase", 0644);
  const RunResult refused =
      Run({"passwd", "--new-passphrase-file", open_file, "--interactive-kdf"});
  EXPECT_EQ(refused.exit_code, kExitUsage) << refused;
  EXPECT_NE(refused.err.find(open_file), std::string::npos) << "names the file: " << refused;
  EXPECT_EQ(Run({"list"}).exit_code, kExitOk) << "the old passphrase still unlocks";
}

}  // namespace
}  // namespace attune::e2e
