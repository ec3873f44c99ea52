#include "steps/steps_guide.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "steps/kinds.h"

namespace attune::steps {
namespace {

int SentenceCount(std::string_view text) {
  int sentences = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool ends = text[i] == '.' || text[i] == '?' || text[i] == '!';
    if (ends && (i + 1 == text.size() || text[i + 1] == ' ')) ++sentences;
  }
  return sentences;
}

TEST(StepsGuideTest, NineWellFormedSteps) {
  auto all = AllSteps();
  ASSERT_EQ(all.size(), 9u);
  for (size_t i = 0; i < all.size(); ++i) {
    const StepGuide& step = all[i];
    EXPECT_EQ(step.number, static_cast<int>(i) + 1);
    EXPECT_FALSE(step.title.empty());
    const int sentences = SentenceCount(step.guidance);
    EXPECT_GE(sentences, 3) << step.number;
    EXPECT_LE(sentences, 6) << step.number;
    EXPECT_GE(step.prompts.size(), 3u);
    EXPECT_LE(step.prompts.size(), 5u);
    ASSERT_FALSE(step.kinds.empty());
    for (const KindGuide& kind : step.kinds) {
      auto info = FindKind(kind.name);
      ASSERT_TRUE(info.ok()) << kind.name;
      EXPECT_EQ((*info)->step, step.number) << kind.name;
      EXPECT_EQ((*info)->meant_for_sharing, kind.meant_for_sharing) << kind.name;
      EXPECT_GT(kind.suggested, 0) << kind.name;
    }
  }
}

TEST(StepsGuideTest, FindStepChecksRange) {
  for (int bad : {0, 10, -1}) {
    auto step = FindStep(bad);
    ASSERT_FALSE(step.ok());
    EXPECT_EQ(step.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(step.status().detail(), "steps are numbered 1 to 9");
  }
  auto third = FindStep(3);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ((*third)->number, 3);
  EXPECT_EQ((*third)->kinds.size(), 2u);
  EXPECT_EQ((*third)->kinds[0].name, "upside");
  EXPECT_EQ((*third)->kinds[1].name, "downside");
}

TEST(StepsGuideTest, EveryKindWithAStepIsListedThere) {
  // The flat list of kinds is derived from the steps' table: each kind once, in step order,
  // then the kinds outside the steps, which suggest no count.
  int last_step = 1;
  for (const KindInfo& kind : AllKinds()) {
    if (kind.step == 0) {
      last_step = 10;
      continue;
    }
    EXPECT_LT(last_step, 10) << kind.name << " comes after a kind outside the steps";
    EXPECT_GE(kind.step, last_step) << kind.name;
    last_step = kind.step;
    auto step = FindStep(kind.step);
    ASSERT_TRUE(step.ok()) << kind.name;
    EXPECT_EQ(std::count_if((*step)->kinds.begin(), (*step)->kinds.end(),
                            [&](const KindGuide& listed) { return listed.name == kind.name; }),
              1)
        << kind.name;
  }
  size_t outside = 0;
  for (const KindGuide& kind : KindsOutsideSteps()) {
    EXPECT_EQ(kind.suggested, 0) << kind.name;
    ++outside;
  }
  EXPECT_EQ(outside, 2u);
}

TEST(ComputeProgressTest, EmptyJournalStartsAtStepOne) {
  auto progress = ComputeProgress({});
  ASSERT_EQ(progress.size(), 9u);
  for (const StepProgress& step : progress) {
    EXPECT_FALSE(step.started) << step.step;
    EXPECT_FALSE(step.complete) << step.step;
    EXPECT_FALSE(step.next_kind.empty()) << step.step;
  }
  EXPECT_EQ(progress[0].next_kind, "style");
  EXPECT_EQ(progress[0].summary, "0 of 1 style result");
  EXPECT_EQ(progress[2].summary, "0 of 10 upsides, 0 of 10 downsides");
  EXPECT_EQ(progress[3].summary, "0 of 3 triggers");
  EXPECT_EQ(progress[6].next_kind, "statement");
  EXPECT_EQ(SuggestedNextStep(progress), 1);
}

TEST(ComputeProgressTest, PartialSteps) {
  auto progress = ComputeProgress({{"style", 1}, {"upside", 3}, {"downside", 10}, {"origin", 2}});
  EXPECT_TRUE(progress[0].complete);
  EXPECT_TRUE(progress[0].started);
  EXPECT_EQ(progress[0].next_kind, "");
  EXPECT_FALSE(progress[1].started);

  EXPECT_EQ(progress[2].summary, "3 of 10 upsides, 10 of 10 downsides");
  EXPECT_TRUE(progress[2].started);
  EXPECT_FALSE(progress[2].complete);
  EXPECT_EQ(progress[2].next_kind, "upside");

  EXPECT_EQ(progress[5].summary, "2 origins, 0 of 1 need");
  EXPECT_TRUE(progress[5].started);
  EXPECT_EQ(progress[5].next_kind, "need");

  EXPECT_EQ(SuggestedNextStep(progress), 2);
}

TEST(ComputeProgressTest, BeyondTargetAndIgnoredCounts) {
  auto progress = ComputeProgress({{"trigger", 12}, {"boundary", -4}, {"mystery", 50}});
  EXPECT_EQ(progress[3].summary, "12 triggers");
  EXPECT_TRUE(progress[3].complete);
  EXPECT_EQ(progress[7].summary, "0 of 1 boundary");
  EXPECT_FALSE(progress[7].started);
  auto two = ComputeProgress({{"trigger", 2}});
  EXPECT_FALSE(two[3].complete);
  EXPECT_TRUE(two[3].started);
}

TEST(ComputeProgressTest, EveryStepCanBeCompletedByItsOwnKinds) {
  std::map<std::string, int> counts;
  for (const StepGuide& step : AllSteps()) {
    for (const KindGuide& kind : step.kinds) counts[std::string(kind.name)] = 10;
  }
  auto progress = ComputeProgress(counts);
  for (const StepProgress& step : progress) {
    EXPECT_TRUE(step.complete) << step.step;
    EXPECT_TRUE(step.next_kind.empty()) << step.step;
  }
  EXPECT_EQ(SuggestedNextStep(progress), std::nullopt);

  counts["repair"] = 0;
  EXPECT_EQ(SuggestedNextStep(ComputeProgress(counts)), 9);
}

TEST(StepsGuideTest, SupportAndPreambleAreGentlePointers) {
  EXPECT_NE(SupportNote().find("psychotherapist"), std::string_view::npos);
  EXPECT_NE(SupportNote().find("emergency services"), std::string_view::npos);
  // The line shown at each step keeps the danger sentence and says where the full note is.
  EXPECT_NE(SupportLine().find("emergency services"), std::string_view::npos);
  EXPECT_NE(SupportLine().find("psychotherapist"), std::string_view::npos);
  EXPECT_NE(SupportLine().find("`attune help support`"), std::string_view::npos);
  EXPECT_LT(SupportLine().size(), SupportNote().size());
  EXPECT_NE(StepsPreamble().find("not a test"), std::string_view::npos);
}

// Issue 19: each step's guidance holds what a person who is hurting needs to read there, by the
// ideas it must carry (any wording that carries them passes; a lost idea fails).
TEST(StepsGuideTest, EachStepCarriesTheIdeasThatHoldAPersonWhoIsHurting) {
  const auto lower = [](std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  // Per step: ideas, each a list of ways to say it (one must be there).
  const std::map<int, std::vector<std::vector<std::string>>> required = {
      {1, {{"therapist"}, {"more than one"}, {"reading", "book"}, {"most like you"}}},
      {3, {{"break", "pause", "rest"}}},
      {4, {{"three"}, {"not a quota", "not a target", "not a goal"}}},
      {5, {{"criticis", "your own reactions", "your own behaviour"}}},
      {6, {{"harm"}, {"never requires excusing", "without excusing", "not excusing"}}},
      {8,
       {{"crossed"},
        {"not a problem with your wording", "not a wording problem"},
        {"care and support"},
        {"self-love"}}},
      {9, {{"childhood"}, {"famil"}, {"ready"}, {"commitment"}, {"both"}}},
  };
  for (const auto& [number, ideas] : required) {
    const std::string guidance = lower(AllSteps()[number - 1].guidance);
    for (const std::vector<std::string>& ways : ideas) {
      const bool said = std::any_of(ways.begin(), ways.end(), [&](const std::string& way) {
        return guidance.find(way) != std::string::npos;
      });
      EXPECT_TRUE(said) << "step " << number << " lacks the idea '" << ways.front() << "'";
    }
  }
  // Step 6 never tells a person their caregivers "did what they could" as a reason not to hurt.
  EXPECT_EQ(lower(AllSteps()[5].guidance).find("most were doing what they could"),
            std::string::npos);
  // Step 8 asks no one to judge the partner's intent: both partners read the same words.
  for (const char* judging : {"your partner is", "they don't care", "on purpose", "abuser"}) {
    EXPECT_EQ(lower(AllSteps()[7].guidance).find(judging), std::string::npos) << judging;
  }
}

}  // namespace
}  // namespace attune::steps
