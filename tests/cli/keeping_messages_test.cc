// What init, passwd and recovery-kit say, and how a mistyped recovery code and a passphrase file
// others may read are refused. tests/e2e/passphrase_test.cc checks the same outcomes by exit
// code, reason, JSON and what unlocks afterwards.
#include "cli/keeping_messages.h"

#include <gtest/gtest.h>

#include <string>

#include "cli/exit_codes.h"
#include "cli/messages.h"
#include "tests/cli/says.h"

namespace attune::cli {
namespace {

using testing::Says;

TEST(KeepingMessagesTest, InitAsksForTheRecoveryKitOnlyWithAPassphrase) {
  const std::string locked = InitDoneText("/h", /*passphrase=*/true);
  EXPECT_TRUE(Says(locked, "ready in /h")) << locked;
  EXPECT_TRUE(Says(locked, "`attune recovery-kit`")) << locked;
  EXPECT_FALSE(Says(locked, "NO passphrase")) << locked;
  const std::string open = InitDoneText("/h", /*passphrase=*/false);
  EXPECT_TRUE(Says(open, "NO passphrase")) << open;
  EXPECT_TRUE(Says(open, "`attune passwd`")) << open;
}

TEST(KeepingMessagesTest, PasswdSaysTheCodeStaysAndWhenToRekey) {
  EXPECT_TRUE(Says(PasswdDoneText(), "new passphrase is set"));
  EXPECT_TRUE(Says(PasswdDoneText(), "`attune passwd --rekey`"));
}

TEST(KeepingMessagesTest, TheRecoveryKitShowsTheCodeAndHowToUseIt) {
  const std::string kit = RecoveryKitText("ABCD-EFGH");
  EXPECT_TRUE(Says(kit, "\n    ABCD-EFGH\n")) << kit;
  EXPECT_TRUE(Says(kit, "attune passwd --recover")) << kit;
}

TEST(KeepingMessagesTest, AMistypedRecoveryCodeSaysSoAndThatNothingChanged) {
  const Status mistyped = MistypedRecoveryCode("bad checksum");
  const std::string said = Explain(mistyped);
  EXPECT_TRUE(Says(said, "mistyped (bad checksum)")) << said;
  EXPECT_TRUE(Says(said, "Nothing was changed")) << said;
  EXPECT_EQ(ExitCodeFor(mistyped), kExitUsage);
}

TEST(KeepingMessagesTest, APassphraseFileOthersMayReadIsRefusedWithTheChmod) {
  const Status open = PassphraseFileOpen("/tmp/pass", 0100644);
  const std::string said = Explain(open);
  EXPECT_TRUE(Says(said, "/tmp/pass is open to other users (mode 644)")) << said;
  EXPECT_TRUE(Says(said, "chmod 600 /tmp/pass")) << said;
  EXPECT_TRUE(said.ends_with("`attune passwd --rekey`).")) << said;
  const nlohmann::json error = ErrorJson(open)["error"];
  EXPECT_EQ(error["exit"], kExitUsage);
  EXPECT_EQ(error["reason"], "passphrase_file_open");
}

TEST(KeepingMessagesTest, TheSwapNoteSaysWhatIsAtRiskAndHowToCloseTheGap) {
  const std::string note = SwapNote();
  EXPECT_EQ(note.rfind("the system did not let attune lock its keys in memory", 0), 0u) << note;
  EXPECT_NE(note.find("stays encrypted"), std::string::npos) << note;
  EXPECT_NE(note.find("`ulimit -l`"), std::string::npos) << note;
  EXPECT_NE(note.find("encrypted swap"), std::string::npos) << note;
}

TEST(KeepingMessagesTest, AWeakPassphraseIsToldHowFastAndWhy) {
  node::PassphraseStrength strength;
  strength.guesses_log10 = 7.6;  // about 40 million
  strength.score = 2;
  strength.hints = {node::StrengthHint::kCommonWord, node::StrengthHint::kDate};
  const std::string said = WeakPassphraseText(strength);
  EXPECT_TRUE(Says(said, "about 40 million guesses")) << said;
  EXPECT_TRUE(Says(said, "about 11 hours")) << said;
  EXPECT_TRUE(Says(said, "common word")) << said;
  EXPECT_TRUE(Says(said, "dates and years")) << said;
  EXPECT_TRUE(Says(said, "unrelated words")) << said;
  EXPECT_FALSE(Says(said, "your name")) << said;
}

TEST(KeepingMessagesTest, GuessesAndTheirTimeReadAsPeopleSayThem) {
  EXPECT_EQ(GuessesText(1.5), "fewer than a thousand guesses");
  EXPECT_EQ(GuessesText(3), "about 1 thousand guesses");
  EXPECT_EQ(GuessesText(9.5), "about 3 billion guesses");
  EXPECT_EQ(GuessingTimeText(2), "under a second");
  EXPECT_EQ(GuessingTimeText(5), "about 2 minutes");
  EXPECT_EQ(GuessingTimeText(9), "about 12 days");
  EXPECT_EQ(GuessingTimeText(20), "centuries");
}

}  // namespace
}  // namespace attune::cli
