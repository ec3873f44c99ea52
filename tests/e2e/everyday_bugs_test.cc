// What a person using attune every day tripped over (issue 19, "Bugs"), each end to end with the
// real binary: a style written as text, a filter that finds nothing on a full journal, sharing
// before pairing, a join where nothing waits, and writing into a folder that does not exist.
// The sentences are tested in tests/cli; here the exit codes, the reasons and the commands named.
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.h"
#include "tests/e2e/loopback.h"
#include "tests/e2e/partners.h"  // kExitUnreachable

namespace attune::e2e {
namespace {

class EverydayBugsTest : public AttuneTest {
 protected:
  void SetUp() override {
    AttuneTest::SetUp();
    InitJournal();
  }

  static bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
};

// Bug 1: `add style TEXT` stored an entry that made `style` exit 8 ever after.
TEST_F(EverydayBugsTest, AStyleWrittenAsTextIsRefusedAndStepOneNamesTheQuiz) {
  const RunResult added = Run({"add", "style", "I think I am anxious.", "--json"});
  EXPECT_EQ(added.exit_code, kExitUsage) << added;
  EXPECT_TRUE(Has(added.out, "\"reason\":\"style_comes_from_quiz\"")) << added;
  EXPECT_TRUE(ListJson().empty());
  EXPECT_EQ(Run({"style"}).exit_code, kExitOk);
  EXPECT_EQ(Run({"style", "--history"}).exit_code, kExitOk);

  const RunResult step = Run({"step", "1"});
  ASSERT_EQ(step.exit_code, kExitOk) << step;
  EXPECT_FALSE(Has(step.out, "attune add style")) << step;
  EXPECT_TRUE(Has(step.out, "`attune quiz`")) << step;
}

// Too long, and not UTF-8: each says what happened and what to do, and nothing is saved.
TEST_F(EverydayBugsTest, TextTooLongOrNotUtf8SaysWhatToDo) {
  const RunResult long_text = Run({"add", "note", "--json"}, std::string(70 * 1024, 'a'));
  EXPECT_EQ(long_text.exit_code, kExitUsage) << long_text.err;
  EXPECT_EQ(FailureReason(long_text), "text_too_long");
  const RunResult said_long = Run({"add", "note"}, std::string(70 * 1024, 'a'));
  EXPECT_TRUE(Has(said_long.err, "the text is 70 KiB, more than the 64 KiB")) << said_long.err;
  EXPECT_TRUE(Has(said_long.err, "--link ID")) << said_long.err;

  const RunResult latin1 = Run({"add", "note"}, "caf\xe9 au lait");
  EXPECT_EQ(latin1.exit_code, kExitUsage) << latin1;
  EXPECT_TRUE(Has(latin1.err, "not UTF-8")) << latin1;
  EXPECT_TRUE(Has(latin1.err, "iconv -f LATIN1 -t UTF-8")) << latin1;
  EXPECT_EQ(FailureReason(Run({"add", "note", "--json"}, "caf\xe9")), "text_not_utf8");
  EXPECT_TRUE(ListJson().empty());
}

TEST_F(EverydayBugsTest, AnExportedStyleWithoutScoresIsNotImported) {
  nlohmann::json style =
      ExportedEntry(std::string(32, 'a'), "style", "anxious, I think", "2026-01-01T00:00:00Z");
  WriteFile(PathIn("style.json"), ExportDocument({style}));
  const RunResult imported = Run({"import", PathIn("style.json"), "--json"});
  EXPECT_EQ(imported.exit_code, kExitUsage) << imported;
  EXPECT_TRUE(Has(imported.out, "\"reason\":\"style_comes_from_quiz\"")) << imported;
  EXPECT_TRUE(ListJson().empty());
}

// Bug 2: a filter that matched nothing said the journal was empty.
TEST_F(EverydayBugsTest, AFilterThatMatchesNothingIsNotAnEmptyJournal) {
  const RunResult empty_journal = Run({"list"});
  ASSERT_EQ(empty_journal.exit_code, kExitOk) << empty_journal;
  for (int i = 0; i < 3; ++i) Add("note", "an evening note " + std::to_string(i));
  for (const std::vector<std::string>& filters : {std::vector<std::string>{"--tag", "nosuchtag"},
                                                  {"--since", "2999-01-01"},
                                                  {"--kind", "boundary"},
                                                  {"--step", "9"}}) {
    std::vector<std::string> args = {"list"};
    args.insert(args.end(), filters.begin(), filters.end());
    const RunResult filtered = Run(args);
    ASSERT_EQ(filtered.exit_code, kExitOk) << filtered;
    EXPECT_FALSE(filtered.out.empty()) << filtered;
    EXPECT_NE(filtered.out, empty_journal.out) << "says the journal is empty: " << filtered;
    EXPECT_TRUE(Has(filtered.out, "`attune list`")) << "names the list without filters";
  }
}

// Bug 8: sharing before pairing promised "the next sync".
TEST_F(EverydayBugsTest, SharingBeforePairingSaysHowToPair) {
  const std::string id = Add("need", "A quiet hour after work.");
  const RunResult shared = Run({"share", id, "--yes"});
  ASSERT_EQ(shared.exit_code, kExitOk) << shared;
  EXPECT_TRUE(Has(shared.out, "`attune pair`")) << shared;
  EXPECT_TRUE(Has(shared.out, "`attune unshare " + id.substr(0, 8) + "`")) << shared;
}

// Bug 7: a join where nothing waited advised `attune serve`; the inviter runs `attune pair`.
TEST_F(EverydayBugsTest, AJoinWhereNoInvitationWaitsPointsToPairNotServe) {
  const uint16_t closed = UnusedLoopbackPort();
  const RunResult joined = Run({"pair", "--join", "7-maple-lagoon-violet", "--to",
                                "127.0.0.1:" + std::to_string(closed), "--json"});
  EXPECT_EQ(joined.exit_code, kExitUnreachable) << joined;
  EXPECT_TRUE(Has(joined.out, "\"reason\":\"pairing_inviter_unreachable\"")) << joined;
  EXPECT_TRUE(Has(joined.err, "`attune pair`")) << joined;
  EXPECT_FALSE(Has(joined.err, "attune serve")) << joined;
}

// Bug 11: exporting into a folder that does not exist spoke of a read-only disk (exit 10).
TEST_F(EverydayBugsTest, ExportingIntoAMissingFolderNamesTheFolder) {
  Add("note", "kept");
  const std::string folder = PathIn("no-such-folder");
  const RunResult exported = Run({"export", "--out", folder + "/journal.md"});
  EXPECT_EQ(exported.exit_code, kExitNotFound) << exported;
  EXPECT_TRUE(Has(exported.err, folder)) << exported;
  EXPECT_FALSE(PathExists(folder));
}

// Bug 5: `list` and the share preview ran past the terminal's width, so the terminal split
// words ("strong|ly agree"); widths counted code points, not cells.
TEST_F(EverydayBugsTest, ListAndThePreviewKeepToTheTerminalsWidthAndWholeWords) {
  std::string text;
  std::vector<std::string> words;
  for (int i = 0; i < 40; ++i) {
    words.push_back("word" + std::to_string(i) + (i % 7 == 0 ? "愛" : ""));
    text += words.back() + " ";
  }
  const std::string id = Add("need", text, {"--tag", "evenings"});
  env["COLUMNS"] = "70";
  const auto cells = [](const std::string& line) {
    size_t count = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      const auto byte = static_cast<unsigned char>(line[i]);
      if ((byte & 0xC0) == 0x80) continue;
      count += byte == 0xE6 ? 2 : 1;  // 愛 (U+611B) is the only wide character here
    }
    return count;
  };
  const auto lines_of = [](const std::string& out) {
    std::vector<std::string> lines;
    size_t start = 0;
    for (size_t end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
      lines.push_back(out.substr(start, end - start));
    }
    return lines;
  };
  const RunResult listed = Run({"list"});
  ASSERT_EQ(listed.exit_code, kExitOk) << listed;
  for (const std::string& line : lines_of(listed.out)) EXPECT_LE(cells(line), 70u) << line;
  EXPECT_TRUE(Has(listed.out, "#evenings")) << "the tags stay whole: " << listed;

  const RunResult preview = Run({"share", id, "--preview"});
  ASSERT_EQ(preview.exit_code, kExitOk) << preview;
  const std::string& shown = preview.out;
  for (const std::string& line : lines_of(shown)) EXPECT_LE(cells(line), 70u) << line;
  for (const std::string& word : words) EXPECT_TRUE(Has(shown, " " + word)) << word << shown;
}

// Bug 10: `steps` did not show the partner's progress, `search` never looked at the partner's
// entries, and `together` cut the text short though it wraps.
class EverydayPartnersTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  }
};

TEST_F(EverydayPartnersTest, StepsSearchAndTogetherShowWhatThePartnerShared) {
  const std::string long_need =
      "Quiet mornings before the day begins, with coffee and no plans, "
      "so that I can hear myself think.\nAnd a second line, about slowsundays.";
  const std::string need = AddAt(sam_, "need", long_need, {"--share"});
  AddAt(sam_, "wound", "SAM-PRIVATE-WOUND");
  ASSERT_EQ(SyncThroughServe(alex_, sam_).exit_code, kExitOk);

  const nlohmann::json steps = JsonAt(alex_, {"steps"});
  ASSERT_TRUE(steps["partner_steps"].is_array()) << steps;
  for (const nlohmann::json& step : steps["partner_steps"]) {
    // Sam's need (step 6) is shared; the wound (step 5) is private and never counts.
    EXPECT_EQ(step["started"], step["step"] == 6) << step;
  }
  const RunResult table = RunAt(alex_, {"steps"});
  EXPECT_NE(table.out.find("Sam"), std::string::npos) << table;

  const nlohmann::json found = JsonAt(alex_, {"search", "coffee"});
  ASSERT_EQ(found.size(), 1u) << found;
  EXPECT_EQ(found[0]["id"], need);
  EXPECT_EQ(found[0]["author"], "partner");
  EXPECT_TRUE(JsonAt(alex_, {"search", "SAM-PRIVATE-WOUND"}).empty());

  env["COLUMNS"] = "60";
  const RunResult together = RunAt(alex_, {"together"});
  ASSERT_EQ(together.exit_code, kExitOk) << together;
  EXPECT_NE(together.out.find("slowsundays."), std::string::npos) << together;
  EXPECT_EQ(together.out.find("\u2026"), std::string::npos) << "nothing cut short: " << together;
}

// Issue 19, news from the partner: what arrived since the last look is marked, once.
TEST_F(EverydayPartnersTest, WhatArrivedSinceTheLastLookIsMarkedNew) {
  const std::string need = AddAt(sam_, "need", "Quiet mornings.", {"--share"});
  ASSERT_EQ(SyncThroughServe(alex_, sam_).exit_code, kExitOk);
  EXPECT_EQ(JsonAt(alex_, {"steps"})["partner_news"], 1);
  const RunResult first = RunAt(alex_, {"together"});
  ASSERT_EQ(first.exit_code, kExitOk) << first;
  EXPECT_NE(first.out.find("[new]"), std::string::npos) << first;
  const RunResult second = RunAt(alex_, {"together"});
  EXPECT_EQ(second.out.find("[new]"), std::string::npos) << "seen once: " << second;
  EXPECT_EQ(JsonAt(alex_, {"steps"})["partner_news"], 0);

  // A new version of the same entry is news again.
  ASSERT_EQ(RunAt(sam_, {"edit", need, "Quiet mornings, and a slow coffee.", "--yes"}).exit_code,
            kExitOk);
  ASSERT_EQ(SyncThroughServe(alex_, sam_).exit_code, kExitOk);
  const RunResult listed = RunAt(alex_, {"list", "--partner"});
  EXPECT_NE(listed.out.find("[new]"), std::string::npos) << listed;
  EXPECT_EQ(RunAt(alex_, {"list", "--partner"}).out.find("[new]"), std::string::npos);
}

// Issue 19: in together, a response comes right after the entry it answers.
TEST_F(EverydayPartnersTest, TogetherThreadsAResponseUnderWhatItAnswers) {
  const std::string need = AddAt(sam_, "need", "NEED-FIRST quiet mornings.", {"--share"});
  AddAt(sam_, "repair", "REPAIR-LATER a walk together.", {"--share"});
  ASSERT_EQ(SyncThroughServe(alex_, sam_).exit_code, kExitOk);
  // Written after the repair, shown under the need it answers.
  ASSERT_EQ(RunAt(alex_, {"respond", need, "RESPONSE-TO-NEED I hear you."}).exit_code, kExitOk);
  const RunResult together = RunAt(alex_, {"together"});
  ASSERT_EQ(together.exit_code, kExitOk) << together;
  const size_t first = together.out.find("NEED-FIRST");
  const size_t response = together.out.find("RESPONSE-TO-NEED");
  const size_t later = together.out.find("REPAIR-LATER");
  ASSERT_NE(first, std::string::npos) << together;
  ASSERT_NE(response, std::string::npos) << together;
  ASSERT_NE(later, std::string::npos) << together;
  EXPECT_LT(first, response) << together;
  EXPECT_LT(response, later) << together;
}

}  // namespace
}  // namespace attune::e2e
