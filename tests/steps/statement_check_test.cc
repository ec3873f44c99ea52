#include "steps/statement_check.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace attune::steps {
namespace {

std::vector<std::string> Found(const std::vector<PhrasingNote>& notes) {
  std::vector<std::string> found;
  for (const PhrasingNote& note : notes) found.push_back(note.part + ":" + note.found);
  return found;
}

TEST(ComposeStatementTest, FillsTheShape) {
  EXPECT_EQ(ComposeStatement("hurt", "plans change at the last minute", "we plan together"),
            "I feel hurt when plans change at the last minute. I feel loved and connected when "
            "we plan together.");
}

TEST(ComposeStatementTest, TrimsStripsPeriodsAndLeadIns) {
  EXPECT_EQ(ComposeStatement("  I feel Hurt. ", " When plans change... ",
                             "I feel loved and connected when we plan together."),
            "I feel hurt when plans change. I feel loved and connected when we plan together.");
  EXPECT_EQ(ComposeStatement("i FEEL lonely", "when you are away", "when you call me"),
            "I feel lonely when you are away. I feel loved and connected when you call me.");
}

TEST(ComposeStatementTest, LeavesLookalikeWordsAlone) {
  // "whenever" is not the lead-in "when"; "I" and names keep their capitals.
  EXPECT_EQ(ComposeStatement("scared", "whenever Sam is late", "I hear from you"),
            "I feel scared when whenever Sam is late. I feel loved and connected when I hear "
            "from you.");
}

TEST(NormalizeStatementPartsTest, ReturnsCleanParts) {
  StatementParts parts = NormalizeStatementParts(" I feel sad. ", "when X.", "when Y");
  EXPECT_EQ(parts.feel, "sad");
  EXPECT_EQ(parts.when, "X");
  EXPECT_EQ(parts.need, "Y");
}

TEST(ValidateStatementPartsTest, RejectsEmptyParts) {
  EXPECT_TRUE(ValidateStatementParts("sad", "you leave", "you hug me").ok());

  Status feel = ValidateStatementParts("  I feel. ", "you leave", "you hug me");
  EXPECT_EQ(feel.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(feel.detail().find("feeling"), std::string::npos);

  Status when = ValidateStatementParts("sad", "  ", "you hug me");
  EXPECT_EQ(when.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(when.detail().find("moment"), std::string::npos);

  Status need = ValidateStatementParts("sad", "you leave", "I feel loved and connected when.");
  EXPECT_EQ(need.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(need.detail().find("need"), std::string::npos);
}

TEST(CheckStatementTest, CleanStatementHasNoNotes) {
  EXPECT_TRUE(CheckStatement("lonely", "you look at your phone while I'm telling you about my day",
                             "you put the phone down and look at me")
                  .empty());
  EXPECT_TRUE(
      CheckStatement("I feel scared", "the house is quiet at night", "we talk before bed").empty());
}

TEST(CheckStatementTest, FindsAbsolutes) {
  for (const char* phrase : {"always", "never", "every time", "constantly", "all the time"}) {
    auto notes = CheckStatement("sad", std::string("you ") + phrase + " work late", "we eat");
    ASSERT_EQ(notes.size(), 1u) << phrase;
    EXPECT_EQ(notes[0].part, "when");
    EXPECT_EQ(notes[0].found, phrase);
    EXPECT_NE(notes[0].suggestion.find("specific"), std::string::npos);
    EXPECT_FALSE(notes[0].why.empty());
  }
}

TEST(CheckStatementTest, MatchesWholeWordsIgnoringCase) {
  EXPECT_TRUE(CheckStatement("curious", "we talk about Neverland", "we walk the hallways").empty());
  EXPECT_TRUE(CheckStatement("calm", "the unused room is tidy", "we share chores").empty());
  EXPECT_EQ(Found(CheckStatement("sad", "you ALWAYS forget", "we eat")),
            std::vector<std::string>{"when:always"});
  EXPECT_EQ(Found(CheckStatement("sad", "it's Your  Fault", "we eat")),
            std::vector<std::string>{"when:your fault"});
}

TEST(CheckStatementTest, FindsThoughtsDressedAsFeelings) {
  EXPECT_EQ(Found(CheckStatement("like you don't care", "you leave", "you stay")),
            std::vector<std::string>{"feel:i feel like"});
  EXPECT_EQ(Found(CheckStatement("I feel that nobody listens", "you leave", "you stay")),
            std::vector<std::string>{"feel:i feel that"});
  EXPECT_EQ(Found(CheckStatement("as if I'm invisible", "you leave", "you stay")),
            std::vector<std::string>{"feel:i feel as if"});
  auto notes = CheckStatement("like a burden", "you sigh", "you smile");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].suggestion.find("feeling word"), std::string::npos);
}

TEST(CheckStatementTest, FindsEveryPartnerActionWordInTheFeeling) {
  auto words = PartnerActionWords();
  EXPECT_GE(words.size(), 12u);
  for (std::string_view word : words) {
    auto notes = CheckStatement(word, "you leave", "you stay");
    ASSERT_EQ(notes.size(), 1u) << word;
    EXPECT_EQ(notes[0].part, "feel");
    EXPECT_EQ(notes[0].found, word);
    EXPECT_NE(notes[0].suggestion.find("the feeling underneath, such as"), std::string::npos);
  }
  auto ignored = CheckStatement("ignored", "you leave", "you stay");
  ASSERT_EQ(ignored.size(), 1u);
  EXPECT_EQ(ignored[0].suggestion,
            "you might name the feeling underneath, such as lonely, hurt or unimportant");
}

TEST(CheckStatementTest, PartnerActionWordsInTheSituationAreDescription) {
  EXPECT_TRUE(CheckStatement("hurt", "my message is ignored", "you answer").empty());
}

TEST(CheckStatementTest, FindsBlame) {
  EXPECT_EQ(Found(CheckStatement("sad", "you leave", "you should call me")),
            std::vector<std::string>{"need:you should"});
  EXPECT_EQ(Found(CheckStatement("sad", "you leave", "you need to listen")),
            std::vector<std::string>{"need:you need to"});
  EXPECT_EQ(Found(CheckStatement("angry", "you make me wait", "we plan")),
            std::vector<std::string>{"when:you make me"});
  EXPECT_EQ(Found(CheckStatement("sad", "it is your fault", "we plan")),
            std::vector<std::string>{"when:your fault"});
}

TEST(CheckStatementTest, OrdersByPartThenPositionAndNotesOnce) {
  auto notes = CheckStatement("rejected and ignored", "you never never call, always text",
                              "you should know");
  EXPECT_EQ(Found(notes), (std::vector<std::string>{"feel:rejected", "feel:ignored", "when:never",
                                                    "when:always", "need:you should"}));
}

TEST(CheckStatementTest, TypographicPunctuationDoesNotHideWords) {
  EXPECT_EQ(Found(CheckStatement("\xE2\x80\x9Cignored\xE2\x80\x9D", "you leave", "you stay")),
            std::vector<std::string>{"feel:ignored"});
  EXPECT_EQ(Found(CheckStatement("sad", "you leave", "you shouldn\xE2\x80\x99t go")),
            std::vector<std::string>{"need:you shouldn't"});
}

// Issue 19: fear of the partner is not a phrasing problem; ordinary conflict keeps its hints.
TEST(StatementCheckTest, FearOfThePartnerGetsNoRewordingAtAll) {
  for (const auto& [feel, when] : std::vector<std::pair<std::string, std::string>>{
           {"afraid of you", "you raise your voice"},
           {"threatened", "you stand in the doorway"},
           {"small", "you hurt me and then say it was nothing"},
           {"Scared of you", "you drink"}}) {
    EXPECT_FALSE(FindSafetyConcern(feel, when, "we talk calmly").empty()) << feel << " / " << when;
    EXPECT_TRUE(CheckStatement(feel, when, "you always listen").empty())
        << "no rewording, not even of \"always\": " << feel;
  }
  EXPECT_TRUE(FindSafetyConcern("attacked", "you criticise me", "we talk calmly").empty());
  EXPECT_FALSE(CheckStatement("attacked", "you criticise me", "we talk calmly").empty())
      << "ordinary conflict keeps the gentle hints";
  EXPECT_TRUE(
      FindSafetyConcern("afraid of spiders", "you leave the window open", "it is shut").empty());
}

}  // namespace
}  // namespace attune::steps
