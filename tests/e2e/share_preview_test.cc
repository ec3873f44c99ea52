// The promise, end to end with the real binary: the partner receives exactly what its author
// confirmed, in the words the author saw. `share --preview --json` is what the partner's `show
// --json` then shows; a change to a shared entry waits for its confirmation; stale structured
// parts and quiz answers never cross. Findings 1 and 2 of issue 15, as a new user met them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/e2e/partners.h"

namespace attune::e2e {
namespace {

using nlohmann::json;

class SharePreviewTest : public PartnersTest {
 protected:
  void SetUp() override {
    PartnersTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(PairAlexAndSam());
  }

  void Sync() {
    const RunResult synced = SyncThroughServe(sam_, alex_);
    ASSERT_EQ(synced.exit_code, kExitOk) << synced;
  }

  // What Alex's node holds of Sam's entry `id`, as `show --json` prints it, less what the
  // preview leaves out (who wrote it, who may see it).
  json AtAlex(const std::string& id) {
    json shown = JsonAt(alex_, {"show", id});
    shown.erase("author");
    shown.erase("visibility");
    return shown;
  }

  json Preview(const std::string& id) { return JsonAt(sam_, {"share", id, "--preview"}); }

  // Sam's `shared --json` item for `id`.
  json SharedItem(const std::string& id) {
    for (const json& item : JsonAt(sam_, {"shared"})) {
      if (item.value("id", "") == id) return item;
    }
    return nullptr;
  }
};

// Finding 1: a statement reworded with `edit` kept its old parts, which crossed to the partner
// and went on being found by `search`.
TEST_F(SharePreviewTest, AStatementRewordedAsFreeTextCrossesWithoutItsOldParts) {
  const json made = JsonAt(sam_, {"statement", "--feel", "ignored", "--when",
                                  "you never answer my texts and you always ignore me", "--need",
                                  "you should just call me"});
  const std::string id = made.value("id", "");
  ASSERT_FALSE(id.empty()) << made;
  ASSERT_EQ(RunAt(sam_, {"edit", id, "I feel lonely when we do not talk for a day."}).exit_code,
            kExitOk);
  const RunResult found = RunAt(sam_, {"search", "ignore", "--json"});
  EXPECT_EQ(ParseJson(found.out), json::array()) << "the old parts are gone, and not searched";
  const json preview = Preview(id);
  EXPECT_EQ(preview["fields"], json::object()) << preview;
  ASSERT_EQ(RunAt(sam_, {"share", id, "--yes"}).exit_code, kExitOk);
  Sync();
  const json at_alex = AtAlex(id);
  EXPECT_EQ(at_alex, preview) << "the partner holds exactly the preview";
  EXPECT_FALSE(at_alex["fields"].contains("feel"));
  EXPECT_FALSE(at_alex.dump().find("ignore") != std::string::npos);

  // `statement --edit` re-composes it instead, keeping the parts it is not given.
  const json recomposed = JsonAt(
      sam_, {"statement", "--edit", id, "--feel", "lonely", "--when", "we go a day without talking",
             "--need", "we share ten minutes each evening", "--yes"});
  EXPECT_EQ(recomposed["fields"]["feel"], "lonely") << recomposed;
  Sync();
  EXPECT_EQ(AtAlex(id), Preview(id));
}

// Finding 2: a style result carried every quiz answer, and a restatement note added after
// sharing reached the partner silently.
TEST_F(SharePreviewTest, QuizAnswersAndRestatementNotesCrossOnlyWhenTheAuthorChooses) {
  ASSERT_EQ(RunAt(sam_, {"quiz"}, QuizAnswers(5)).exit_code, kExitOk);
  const std::string style = ListIds(sam_, {"--kind", "style"}).at(0);
  // The preview says the answers stay home, and the command that would send them, by the
  // entry's short id (its words: tests/cli, SharePreviewText).
  const RunResult shown = RunAt(sam_, {"share", style, "--preview"});
  EXPECT_TRUE(Contains(shown.out, style.substr(0, 8) + " --")) << shown;
  ASSERT_EQ(RunAt(sam_, {"share", style, "--yes"}).exit_code, kExitOk);
  const std::string boundary = AddAt(sam_, "boundary", "an hour alone after work", {"--share"});
  Sync();
  EXPECT_FALSE(AtAlex(style)["fields"].contains("answers"));
  EXPECT_EQ(AtAlex(style), Preview(style));

  // A restatement without a terminal and without --yes is saved and waits.
  const RunResult restated =
      RunAt(sam_, {"boundary", "restate", boundary, "RESTATE-NOTE it came up again"});
  ASSERT_EQ(restated.exit_code, kExitOk) << restated;
  EXPECT_EQ(SharedItem(boundary)["awaiting_confirmation"], true);
  Sync();
  // Unconfirmed: not sent.
  EXPECT_FALSE(Contains(AtAlex(boundary).dump(), "RESTATE-NOTE")) << AtAlex(boundary);
  // `share ID` shows it and sends it.
  ASSERT_EQ(RunAt(sam_, {"share", boundary, "--yes"}).exit_code, kExitOk);
  EXPECT_EQ(SharedItem(boundary)["awaiting_confirmation"], false);
  Sync();
  EXPECT_TRUE(Contains(AtAlex(boundary).dump(), "RESTATE-NOTE"));
  EXPECT_EQ(AtAlex(boundary), Preview(boundary));

  // The answers cross only once the author chooses them, previewed like any new version.
  const json with_answers = JsonAt(sam_, {"share", style, "--preview", "--with-answers"});
  ASSERT_EQ(with_answers["fields"]["answers"].size(), 18u) << with_answers;
  ASSERT_EQ(RunAt(sam_, {"share", style, "--with-answers", "--yes"}).exit_code, kExitOk);
  Sync();
  EXPECT_EQ(AtAlex(style), with_answers);
}

TEST_F(SharePreviewTest, AnEditOnATerminalShowsTheNewVersionAndAsks) {
  const std::string need = AddAt(sam_, "need", "a call when I am late", {"--share"});
  Sync();
  // No: saved, and the partner keeps what they had.
  const std::string new_words = "a call or a text";
  const RunResult declined =
      RunOnTty({"--home", sam_, "edit", need, new_words}, {{"[y/N]", "n\n"}});
  ASSERT_EQ(declined.exit_code, kExitOk) << declined;
  // The preview shows the new words.
  EXPECT_TRUE(Contains(declined.out, new_words)) << declined;
  EXPECT_EQ(SharedItem(need)["awaiting_confirmation"], true);
  Sync();
  EXPECT_EQ(AtAlex(need)["text"], "a call when I am late");
  // Yes: it travels.
  const RunResult accepted =
      RunOnTty({"--home", sam_, "edit", need, "a call, a text, anything"}, {{"[y/N]", "y\n"}});
  ASSERT_EQ(accepted.exit_code, kExitOk) << accepted;
  Sync();
  EXPECT_EQ(AtAlex(need)["text"], "a call, a text, anything");
  EXPECT_EQ(AtAlex(need), Preview(need));
}

TEST_F(SharePreviewTest, AStyleResultsWordsAreNotEditedAndAPreviewChangesNothing) {
  ASSERT_EQ(RunAt(sam_, {"quiz"}, QuizAnswers(3)).exit_code, kExitOk);
  const std::string style = ListIds(sam_, {"--kind", "style"}).at(0);
  EXPECT_EQ(RunAt(sam_, {"edit", style, "I am secure, really"}).exit_code, kExitUsage);
  ASSERT_EQ(RunAt(sam_, {"share", style, "--preview"}).exit_code, kExitOk);
  EXPECT_EQ(JsonAt(sam_, {"show", style})["visibility"], "private");
  EXPECT_EQ(JsonAt(sam_, {"shared"}), json::array());
}

}  // namespace
}  // namespace attune::e2e
