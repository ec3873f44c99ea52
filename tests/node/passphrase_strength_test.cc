// The passphrase strength estimate (node/passphrase_strength.h) over Debian's libzxcvbn: what it
// calls weak and why. The words for it: tests/cli/keeping_messages_test.cc.
#include "node/passphrase_strength.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace attune::node {
namespace {

PassphraseStrength Estimate(std::string text, std::vector<std::string> personal = {"Sam"}) {
  return EstimatePassphraseStrength(TakeSecret(text), personal);
}

bool Hints(const PassphraseStrength& strength, StrengthHint hint) {
  return std::find(strength.hints.begin(), strength.hints.end(), hint) != strength.hints.end();
}

TEST(PassphraseStrengthTest, CommonPasswordsAndPatternsAreWeakAndSayWhy) {
  EXPECT_TRUE(Hints(Estimate("password"), StrengthHint::kCommonWord));
  EXPECT_TRUE(Hints(Estimate("p@ssw0rd"), StrengthHint::kSubstitutions));
  EXPECT_TRUE(Hints(Estimate("Sam"), StrengthHint::kPersonalWord));
  EXPECT_TRUE(Hints(Estimate("attune"), StrengthHint::kPersonalWord));
  EXPECT_TRUE(Hints(Estimate("abcdefghij"), StrengthHint::kSequence));
  EXPECT_TRUE(Hints(Estimate("aaaaaaaaaaaa"), StrengthHint::kRepeats));
  EXPECT_TRUE(Hints(Estimate("12/05/1990"), StrengthHint::kDate));
  EXPECT_TRUE(Hints(Estimate("xsw2cde3"), StrengthHint::kKeyboardPattern));
  for (const char* weak : {"password", "p@ssw0rd", "Sam1990", "abcdefghij", "one thing"}) {
    const PassphraseStrength strength = Estimate(weak);
    EXPECT_TRUE(strength.weak()) << weak << " " << strength.guesses_log10;
    EXPECT_LT(strength.score, 4) << weak;
  }
}

TEST(PassphraseStrengthTest, SeveralUnrelatedWordsAreNotWeak) {
  for (const char* strong :
       {"violet anchor mustard quietly", "one thing at a time, slowly", "correct horse battery"}) {
    const PassphraseStrength strength = Estimate(strong);
    EXPECT_FALSE(strength.weak()) << strong << " " << strength.guesses_log10;
    EXPECT_EQ(strength.score, 4) << strong;
    EXPECT_GE(strength.guesses_log10, 10) << strong;
  }
}

TEST(PassphraseStrengthTest, TheNameCountsOnlyWhenGiven) {
  EXPECT_TRUE(Hints(Estimate("Robin", {"Robin"}), StrengthHint::kPersonalWord));
  EXPECT_FALSE(Hints(Estimate("Robin", {}), StrengthHint::kPersonalWord));
}

}  // namespace
}  // namespace attune::node
