// Reading the journal back: list filters, search, counts, and the structured updates that
// append to an entry (boundary restatements, quiz results).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "node/journal.h"
#include "node/style_result.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

std::vector<std::string> Texts(const std::vector<Entry>& entries) {
  std::vector<std::string> texts;
  for (const Entry& entry : entries) texts.push_back(entry.text);
  return texts;
}

using TextList = std::vector<std::string>;

class JournalQueryTest : public JournalTest {
 protected:
  // Four entries a minute apart: two triggers, a need and a note.
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(InitJournal());
    ASSERT_OK(
        AddEntry("trigger", "I feel LEFT OUT when the phone stays silent", {"Phone"}).status());
    clock_.Advance(60'000);
    ASSERT_OK(AddEntry("need", "to hear from you during the day", {"phone", "day"}).status());
    clock_.Advance(60'000);
    ASSERT_OK(AddEntry("trigger", "I feel rushed when we are late", {"time"}).status());
    clock_.Advance(60'000);
    ASSERT_OK(AddEntry("note", "a quiet evening together").status());
  }
};

TEST_F(JournalQueryTest, ListReturnsEntriesInWritingOrder) {
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> all, journal().List({}));
  EXPECT_EQ(Texts(all), (TextList{"I feel LEFT OUT when the phone stays silent",
                                  "to hear from you during the day",
                                  "I feel rushed when we are late", "a quiet evening together"}));
}

TEST_F(JournalQueryTest, ListFiltersByKindStepTagAndTime) {
  const ListFilter by_kind = KindFilter("trigger");
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> triggers, journal().List(by_kind));
  EXPECT_EQ(Texts(triggers), (TextList{"I feel LEFT OUT when the phone stays silent",
                                       "I feel rushed when we are late"}));

  ListFilter by_step;
  by_step.step = 6;
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> step_six, journal().List(by_step));
  EXPECT_EQ(Texts(step_six), TextList{"to hear from you during the day"});

  ListFilter by_tag;
  by_tag.tag = "phone";  // tags match exactly: "Phone" is another tag
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> tagged, journal().List(by_tag));
  EXPECT_EQ(Texts(tagged), TextList{"to hear from you during the day"});

  ListFilter since;
  since.since_utc_ms = kStartTime.utc_ms + 120'000;
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> recent, journal().List(since));
  EXPECT_EQ(Texts(recent),
            (TextList{"I feel rushed when we are late", "a quiet evening together"}));

  ListFilter combined = KindFilter("trigger");
  combined.since_utc_ms = kStartTime.utc_ms + 1;
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> both, journal().List(combined));
  EXPECT_EQ(Texts(both), TextList{"I feel rushed when we are late"});

  const ListFilter nothing = KindFilter("repair");
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> none, journal().List(nothing));
  EXPECT_TRUE(none.empty());
}

TEST_F(JournalQueryTest, SearchNeedsEveryWordIgnoringCase) {
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> left, journal().Search({"left", "SILENT"}));
  EXPECT_EQ(Texts(left), TextList{"I feel LEFT OUT when the phone stays silent"});

  ASSERT_OK_AND_ASSIGN(std::vector<Entry> feel, journal().Search({"i feel"}));
  EXPECT_EQ(feel.size(), 2u);

  ASSERT_OK_AND_ASSIGN(std::vector<Entry> none, journal().Search({"feel", "evening"}));
  EXPECT_TRUE(none.empty());

  // "day" is in one text; "time" only in a tag.
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> by_tag, journal().Search({"TIME"}));
  EXPECT_EQ(Texts(by_tag), TextList{"I feel rushed when we are late"});
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> phone, journal().Search({" phone "}));
  EXPECT_EQ(phone.size(), 2u);

  EXPECT_CODE(journal().Search({}), kInvalidArgument);
  EXPECT_CODE(journal().Search({" ", ""}), kInvalidArgument);
}

TEST_F(JournalQueryTest, SearchLooksIntoFields) {
  const NewEntry draft = Draft("boundary", "no phones at dinner", {}, {{"agreed_with", "Sam"}});
  ASSERT_OK(journal().Add(draft).status());
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> found, journal().Search({"sam"}));
  EXPECT_EQ(Texts(found), TextList{"no phones at dinner"});
}

TEST_F(JournalQueryTest, CountByKindCountsEveryKind) {
  ASSERT_OK_AND_ASSIGN(auto counts, journal().CountByKind());
  EXPECT_EQ(counts["trigger"], 2);
  EXPECT_EQ(counts["need"], 1);
  EXPECT_EQ(counts["note"], 1);
  EXPECT_EQ(counts["boundary"], 0);
  EXPECT_TRUE(counts.count("style"));
}

TEST_F(JournalQueryTest, RestateBoundaryAppendsRestatements) {
  ASSERT_OK_AND_ASSIGN(Entry boundary, AddEntry("boundary", "I need an hour alone after work"));
  clock_.Advance(86'400'000);
  ASSERT_OK_AND_ASSIGN(Entry once,
                       journal().RestateBoundary(boundary.id.substr(0, 6), "  kindly "));
  clock_.Advance(86'400'000);
  ASSERT_OK_AND_ASSIGN(Entry twice, journal().RestateBoundary(boundary.id, "   "));

  ASSERT_OK_AND_ASSIGN(Entry stored, journal().Get(boundary.id));
  const nlohmann::json& restatements = stored.fields["restatements"];
  ASSERT_TRUE(restatements.is_array());
  ASSERT_EQ(restatements.size(), 2u);
  EXPECT_EQ(restatements[0]["note"], "kindly");
  EXPECT_EQ(restatements[0]["at"], FormatRfc3339({kStartTime.utc_ms + 180'000 + 86'400'000, 60}));
  EXPECT_FALSE(restatements[1].contains("note"));
  EXPECT_EQ(restatements[1]["at"], FormatRfc3339(clock_.Now()));
  EXPECT_EQ(stored.text, "I need an hour alone after work");
  EXPECT_EQ(stored.updated.utc_ms, clock_.Now().utc_ms);
  EXPECT_EQ(stored.created.utc_ms, boundary.created.utc_ms);
  EXPECT_TRUE(SameEntry(twice, stored));
}

TEST_F(JournalQueryTest, RestateRefusesOtherKindsAndLongNotes) {
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> needs, journal().List(KindFilter("need")));
  ASSERT_EQ(needs.size(), 1u);
  const Result<Entry> refused = journal().RestateBoundary(needs[0].id, "note");
  EXPECT_CODE(refused, kInvalidArgument);
  EXPECT_TRUE(refused.status().Is(JournalReason::kNotABoundary));
  ASSERT_OK_AND_ASSIGN(Entry unchanged, journal().Get(needs[0].id));
  EXPECT_FALSE(unchanged.fields.contains("restatements"));

  ASSERT_OK_AND_ASSIGN(Entry boundary, AddEntry("boundary", "knock first"));
  EXPECT_CODE(journal().RestateBoundary(boundary.id, std::string(kMaxTextBytes + 1, 'n')),
              kInvalidArgument);
  EXPECT_CODE(journal().RestateBoundary("0123", "x"), kNotFound);
}

TEST_F(JournalQueryTest, RestateRefusesMalformedHistoryInsteadOfThrowing) {
  const NewEntry draft = Draft("boundary", "odd fields", {}, {{"restatements", "not a list"}});
  ASSERT_OK_AND_ASSIGN(Entry boundary, journal().Add(draft));
  EXPECT_CODE(journal().RestateBoundary(boundary.id, "x"), kCorruption);
}

TEST_F(JournalQueryTest, RecordQuizStoresAReadableStyleEntry) {
  const steps::QuizScore score = steps::BlendFromScores(5.5, 2.0);
  ASSERT_OK_AND_ASSIGN(Entry style, journal().RecordQuiz(score, {1, 2, 3}));
  EXPECT_EQ(style.kind, "style");
  EXPECT_EQ(style.step, 1);
  EXPECT_FALSE(style.text.empty());
  EXPECT_EQ(style.fields["answers"], (nlohmann::json{1, 2, 3}));
  ASSERT_OK_AND_ASSIGN(Entry stored, journal().Get(style.id));
  ASSERT_OK_AND_ASSIGN(steps::QuizScore back, QuizScoreFromJson(stored.fields));
  EXPECT_EQ(back.blend_percent, score.blend_percent);
  EXPECT_EQ(back.primary, score.primary);
}

}  // namespace
}  // namespace attune::node::testing
