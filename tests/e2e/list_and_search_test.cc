// Finding entries again: list and its filters, search.
#include "tests/e2e/e2e_fixture.h"

namespace attune::e2e {
namespace {

class ListTest : public AttuneTest {
 protected:
  void SetUp() override {
    AttuneTest::SetUp();
    InitJournal();
  }

  static std::vector<std::string> TextsOf(const nlohmann::json& entries) {
    std::vector<std::string> texts;
    for (const auto& entry : entries) texts.push_back(entry["text"]);
    return texts;
  }
};

using Texts = std::vector<std::string>;

TEST_F(ListTest, EmptyJournalSaysSo) {
  const RunResult result = Run({"list"});
  EXPECT_EQ(result.exit_code, kExitOk) << result;
  EXPECT_FALSE(result.out.empty()) << "says so (NothingListedTest in tests/cli): " << result;
  EXPECT_EQ(ListJson(), nlohmann::json::array());
}

TEST_F(ListTest, PlainListShowsShortIdKindPreviewAndTagsOldestFirst) {
  const std::string first_line = "first line", second_line = "second line";
  const std::string first = Add("trigger", first_line + "\n" + second_line, {"--tag", "work"});
  const std::string second = Add("note", std::string(100, 'n'));
  const RunResult result = Run({"list"});
  ASSERT_EQ(result.exit_code, kExitOk) << result;
  const size_t first_at = result.out.find(first.substr(0, 6));
  const size_t second_at = result.out.find(second.substr(0, 6));
  ASSERT_NE(first_at, std::string::npos) << result;
  ASSERT_NE(second_at, std::string::npos) << result;
  EXPECT_LT(first_at, second_at) << "oldest first";
  EXPECT_NE(result.out.find("trigger"), std::string::npos);
  EXPECT_NE(result.out.find(first_line), std::string::npos);
  EXPECT_EQ(result.out.find(second_line), std::string::npos) << "only the first line";
  EXPECT_NE(result.out.find("#work"), std::string::npos);
  EXPECT_EQ(result.out.find(std::string(100, 'n')), std::string::npos) << "long text is cut";
  EXPECT_EQ(TextsOf(ListJson()), (Texts{"first line\nsecond line", std::string(100, 'n')}));
}

TEST_F(ListTest, FiltersByKindStepAndTag) {
  Add("upside", "up one", {"--tag", "gift"});
  Add("downside", "down one");
  Add("trigger", "trig one", {"--tag", "gift", "--tag", "work"});
  Add("note", "a note", {"--tag", "work"});
  EXPECT_EQ(TextsOf(ListJson({"--kind", "upside"})), (Texts{"up one"}));
  EXPECT_EQ(TextsOf(ListJson({"--step", "3"})), (Texts{"up one", "down one"}));
  EXPECT_EQ(TextsOf(ListJson({"--step", "0"})), (Texts{"a note"}));
  EXPECT_EQ(TextsOf(ListJson({"--tag", "gift"})), (Texts{"up one", "trig one"}));
  EXPECT_EQ(TextsOf(ListJson({"--tag", "work", "--kind", "note"})), (Texts{"a note"}));
  EXPECT_EQ(TextsOf(ListJson({"--tag", "nobody"})), Texts{});
  EXPECT_EQ(TextsOf(ListJson({"--step", "9"})), Texts{});
}

// Issue 19, jrnl's habits: the newest N, newest first, dates in words, --at, inline #tags.
TEST_F(ListTest, NewestFirstTheNewestNAndDatesInWords) {
  Add("note", "three days back", {"--at", "3 days ago 09:00"});
  Add("note", "yesterday evening", {"--at", "yesterday 21:00"});
  Add("note", "just now");
  EXPECT_EQ(TextsOf(ListJson()), (Texts{"three days back", "yesterday evening", "just now"}))
      << "oldest first, by when it happened";
  EXPECT_EQ(TextsOf(ListJson({"-n", "2"})), (Texts{"yesterday evening", "just now"}));
  EXPECT_EQ(TextsOf(ListJson({"-n", "2", "--newest-first"})),
            (Texts{"just now", "yesterday evening"}));
  EXPECT_EQ(TextsOf(ListJson({"--on", "yesterday"})), (Texts{"yesterday evening"}));
  EXPECT_EQ(TextsOf(ListJson({"--until", "yesterday"})),
            (Texts{"three days back", "yesterday evening"}));
  EXPECT_EQ(TextsOf(ListJson({"--since", "today"})), (Texts{"just now"}));
  EXPECT_EQ(TextsOf(ListJson({"--since", "4 days ago", "--until", "2 days ago"})),
            (Texts{"three days back"}));
  const RunResult future = Run({"add", "note", "not yet", "--at", "tomorrow"});
  EXPECT_EQ(future.exit_code, kExitUsage) << future;
  const RunResult wrong = Run({"list", "--on", "someday"});
  EXPECT_EQ(wrong.exit_code, kExitUsage) << wrong;
  EXPECT_NE(wrong.err.find("--on"), std::string::npos) << wrong;
  EXPECT_EQ(Run({"list", "--on", "today", "--since", "today"}).exit_code, kExitUsage);
}

TEST_F(ListTest, HashtagsInTheTextBecomeTags) {
  const std::string id = Add("note", "A slow morning with #coffee and #family.\n# Not a tag");
  EXPECT_EQ(ShowJson(id)["tags"], nlohmann::json({"coffee", "family"}));
  EXPECT_EQ(TextsOf(ListJson({"--tag", "coffee"})).size(), 1u);
}

TEST_F(ListTest, BadFiltersAreUsageErrors) {
  Add("note", "anything");
  const RunResult kind = Run({"list", "--kind", "feelings"});
  EXPECT_EQ(kind.exit_code, kExitUsage) << kind;
  EXPECT_NE(kind.err.find("boundary"), std::string::npos) << "lists the kinds\n" << kind;
  EXPECT_EQ(Run({"list", "--step", "10"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"list", "--step", "three"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"list", "--since", "someday"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"list", "--since", "2026-13-01"}).exit_code, kExitUsage);
}

TEST_F(ListTest, SinceKeepsEntriesWrittenOnOrAfterTheDate) {
  WriteFile(PathIn("old.json"),
            ExportDocument({ExportedEntry(std::string(32, 'a'), "note", "from 2020",
                                          "2020-03-10T12:00:00.000+00:00"),
                            ExportedEntry(std::string(32, 'b'), "note", "from 2022",
                                          "2022-07-01T12:00:00.000+00:00")}));
  ASSERT_EQ(Run({"import", PathIn("old.json")}).exit_code, kExitOk);
  Add("note", "from today");
  EXPECT_EQ(TextsOf(ListJson({"--since", "2019-01-01"})),
            (Texts{"from 2020", "from 2022", "from today"}));
  EXPECT_EQ(TextsOf(ListJson({"--since", "2021-01-01"})), (Texts{"from 2022", "from today"}));
  EXPECT_EQ(TextsOf(ListJson({"--since", "2022-07-01"})), (Texts{"from 2022", "from today"}));
  EXPECT_EQ(TextsOf(ListJson({"--since", "2022-07-01T13:00:00Z"})), (Texts{"from today"}));
  EXPECT_EQ(TextsOf(ListJson({"--since", "2099-01-01"})), Texts{});
}

TEST_F(ListTest, SearchNeedsEveryWordIgnoringCase) {
  Add("trigger", "I feel lonely when the phone stays silent");
  Add("trigger", "I feel lonely at parties", {"--tag", "Crowds"});
  Add("note", "The PHONE bill arrived");
  EXPECT_EQ(TextsOf(ParseJson(Run({"search", "lonely", "--json"}).out)),
            (Texts{"I feel lonely when the phone stays silent", "I feel lonely at parties"}));
  EXPECT_EQ(TextsOf(ParseJson(Run({"search", "LONELY", "Phone", "--json"}).out)),
            (Texts{"I feel lonely when the phone stays silent"}));
  EXPECT_EQ(TextsOf(ParseJson(Run({"search", "phone", "--json"}).out)),
            (Texts{"I feel lonely when the phone stays silent", "The PHONE bill arrived"}));
  EXPECT_EQ(TextsOf(ParseJson(Run({"search", "crowds", "--json"}).out)),
            (Texts{"I feel lonely at parties"}))
      << "tags are searched too";
  EXPECT_EQ(ParseJson(Run({"search", "lonely", "bill", "--json"}).out), nlohmann::json::array());
}

TEST_F(ListTest, SearchPlainOutputAndErrors) {
  const std::string id = Add("wound", "fear of being too much");
  const RunResult found = Run({"search", "too", "much"});
  EXPECT_EQ(found.exit_code, kExitOk) << found;
  EXPECT_NE(found.out.find(id.substr(0, 6)), std::string::npos) << found;
  const RunResult none = Run({"search", "elephant"});
  EXPECT_EQ(none.exit_code, kExitOk) << none;
  EXPECT_EQ(none.out.find(id.substr(0, 6)), std::string::npos) << none;
  EXPECT_FALSE(none.out.empty()) << "says so (NothingListedTest in tests/cli): " << none;
  EXPECT_EQ(ParseJson(Run({"search", "elephant", "--json"}).out), nlohmann::json::array());
  EXPECT_EQ(Run({"search"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"search", "  "}).exit_code, kExitUsage);
}

TEST_F(ListTest, SearchFindsStatementParts) {
  ASSERT_EQ(Run({"statement", "--feel", "uneasy", "--when", "the kettle whistles", "--need",
                 "we pause together"})
                .exit_code,
            kExitOk);
  const nlohmann::json found = ParseJson(Run({"search", "kettle", "--json"}).out);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["kind"], "statement");
}

}  // namespace
}  // namespace attune::e2e
