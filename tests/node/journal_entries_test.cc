// Journal entry operations: validation on Add, the clock on Add and edit, id prefixes, list
// filters, search, counts and boundary restatements.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "node/entry_rules.h"
#include "node/journal.h"
#include "steps/kinds.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

class JournalEntriesTest : public JournalTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(InitJournal()); }
};

TEST_F(JournalEntriesTest, AddStoresWhatWasGivenAndGetReturnsIt) {
  const NewEntry draft = Draft("trigger", "I feel alone when plans change",
                               {" plans ", "alone", "plans"}, {{"intensity", 4}});
  ASSERT_OK_AND_ASSIGN(Entry added, journal().Add(draft));
  EXPECT_EQ(added.id.size(), 32u);
  EXPECT_EQ(added.id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(added.kind, "trigger");
  EXPECT_EQ(added.step, 4);  // from the kind, not the caller
  EXPECT_EQ(added.text, "I feel alone when plans change");
  EXPECT_EQ(added.fields, (nlohmann::json{{"intensity", 4}}));
  EXPECT_EQ(added.tags, (std::vector<std::string>{"plans", "alone"}));  // trimmed, deduplicated
  EXPECT_EQ(added.created.utc_ms, kStartTime.utc_ms);
  EXPECT_EQ(added.created.offset_min, kStartTime.offset_min);
  EXPECT_EQ(added.updated.utc_ms, kStartTime.utc_ms);

  ASSERT_OK_AND_ASSIGN(Entry got, journal().Get(added.id));
  EXPECT_TRUE(SameEntry(added, got));
  std::string upper = added.id.substr(0, 7);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_OK_AND_ASSIGN(Entry by_prefix, journal().Get(upper));
  EXPECT_EQ(by_prefix.id, added.id);
}

// Issue 19, jrnl's habits: #tags written in the text become tags.
TEST(InlineTagsTest, HashWordsBecomeTagsButHeadingsAndNumbersDoNot) {
  EXPECT_EQ(InlineTags("Tired after #work, then #family-time. #work again"),
            (std::vector<std::string>{"work", "family-time"}));
  EXPECT_EQ(InlineTags("#morning walk"), (std::vector<std::string>{"morning"}));
  EXPECT_EQ(InlineTags("# A heading\n## Another\nissue#12 and #42 and a#b"),
            std::vector<std::string>{});
  EXPECT_EQ(InlineTags("Zu #müde heute"), (std::vector<std::string>{"müde"}));
}

TEST_F(JournalEntriesTest, InlineTagsJoinTheTagsWhenAddedAndEdited) {
  ASSERT_OK_AND_ASSIGN(Entry added, AddEntry("note", "Long day at #work.", {"evening"}));
  EXPECT_EQ(added.tags, (std::vector<std::string>{"evening", "work"}));
  ASSERT_OK_AND_ASSIGN(Entry edited, journal().EditText(added.id, "A walk with #family."));
  EXPECT_EQ(edited.tags, (std::vector<std::string>{"evening", "work", "family"}));
}

TEST_F(JournalEntriesTest, TagsAndLinksChangeWithoutTheText) {
  ASSERT_OK_AND_ASSIGN(Entry other, AddEntry("trigger", "Plans changed."));
  ASSERT_OK_AND_ASSIGN(Entry entry, AddEntry("need", "A call when plans change.", {"plans"}));
  ASSERT_OK_AND_ASSIGN(
      Entry changed, journal().EditTagsAndLinks(entry.id, {.add_tags = {"calls"},
                                                           .remove_tags = {"plans"},
                                                           .add_links = {other.id.substr(0, 6)}}));
  EXPECT_EQ(changed.tags, (std::vector<std::string>{"calls"}));
  EXPECT_EQ(changed.links, (std::vector<std::string>{other.id}));
  EXPECT_EQ(changed.text, entry.text);
  ASSERT_OK_AND_ASSIGN(Entry unlinked, journal().EditTagsAndLinks(
                                           entry.id, {.remove_links = {other.id.substr(0, 4)}}));
  EXPECT_TRUE(unlinked.links.empty());
  EXPECT_CODE(journal().EditTagsAndLinks(entry.id, {.remove_links = {other.id}}).status(),
              kInvalidArgument);
  EXPECT_CODE(journal().EditTagsAndLinks(entry.id, {.add_links = {entry.id}}).status(),
              kInvalidArgument);
  EXPECT_CODE(journal().EditTagsAndLinks(entry.id, {.add_tags = {""}}).status(), kInvalidArgument);
}

TEST_F(JournalEntriesTest, AnEntryMayBeDatedInThePastNeverTheFuture) {
  NewEntry draft = Draft("note", "Last night.");
  draft.created = Timestamp{clock_.Now().utc_ms - 86'400'000, 60};
  ASSERT_OK_AND_ASSIGN(Entry added, journal().Add(draft));
  EXPECT_EQ(added.created.utc_ms, clock_.Now().utc_ms - 86'400'000);
  EXPECT_EQ(added.created.offset_min, 60);
  EXPECT_EQ(added.updated.utc_ms, added.created.utc_ms);
  draft.created = Timestamp{clock_.Now().utc_ms + 60'000, 0};
  EXPECT_CODE(journal().Add(draft).status(), kInvalidArgument);
  ListFilter before_today;
  before_today.until_utc_ms = clock_.Now().utc_ms - 1000;
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> listed, journal().List(before_today));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, added.id);
}

TEST_F(JournalEntriesTest, StepComesFromEveryKind) {
  for (const steps::KindInfo& kind : steps::AllKinds()) {
    ASSERT_OK_AND_ASSIGN(Entry added, AddEntry(std::string(kind.name), "text"));
    EXPECT_EQ(added.step, kind.step) << kind.name;
  }
  ASSERT_OK_AND_ASSIGN(auto counts, journal().CountByKind());
  EXPECT_EQ(counts.size(), steps::AllKinds().size());
  for (const auto& [kind, count] : counts) EXPECT_EQ(count, 1) << kind;
}

TEST_F(JournalEntriesTest, AResponseMustNameTheEntryItAnswers) {
  EXPECT_CODE(journal().Add(Draft("response", "ok", {}, {{"responds_to", "abc"}})),
              kInvalidArgument);
  EXPECT_CODE(journal().Add(Draft("response", "ok", {},
                                  {{"responds_to", std::string(32, 'c')}, {"ack", "maybe"}})),
              kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(Entry note, AddEntry("note", "not a response"));
  EXPECT_CODE(journal().UpdateFields(note.id, {{"responds_to", 1}}), kOk);
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> responses, journal().List(KindFilter("response")));
  EXPECT_TRUE(responses.empty());
}

TEST_F(JournalEntriesTest, AddRejectsInvalidDraftsAndWritesNothing) {
  const std::string too_long(kMaxTextBytes + 1, 'x');
  const std::string longest(kMaxTextBytes, 'x');
  EXPECT_CODE(AddEntry("diary", "text"), kInvalidArgument);
  EXPECT_CODE(AddEntry("Trigger", "text"), kInvalidArgument);
  EXPECT_CODE(AddEntry("note", ""), kInvalidArgument);
  EXPECT_CODE(AddEntry("note", " \n\t "), kInvalidArgument);
  EXPECT_CODE(AddEntry("note", too_long), kInvalidArgument);
  EXPECT_CODE(AddEntry("note", "text", {"fine", "  "}), kInvalidArgument);
  EXPECT_CODE(AddEntry("note", "text", {std::string(kMaxTagBytes + 1, 't')}), kInvalidArgument);
  std::vector<std::string> too_many;
  for (size_t i = 0; i <= kMaxTags; ++i) too_many.push_back("tag" + std::to_string(i));
  EXPECT_CODE(AddEntry("note", "text", too_many), kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(auto counts, journal().CountByKind());
  for (const auto& [kind, count] : counts) EXPECT_EQ(count, 0) << kind;

  // The limits themselves are allowed.
  EXPECT_OK(AddEntry("note", longest).status());
  too_many.pop_back();
  EXPECT_OK(AddEntry("note", "text", too_many).status());
}

TEST_F(JournalEntriesTest, TextMustBeUtf8) {
  ASSERT_OK_AND_ASSIGN(Entry added, AddEntry("note", "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80",
                                             {"\xc3\xbc"
                                              "ber"}));
  ASSERT_OK_AND_ASSIGN(Entry got, journal().Get(added.id));
  EXPECT_EQ(got.text, "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
  EXPECT_EQ(got.tags, std::vector<std::string>{"\xc3\xbc"
                                               "ber"});

  // Latin-1 bytes, a cut-off sequence, an overlong '/', a UTF-16 surrogate.
  for (const char* bad : {"caf\xe9", "cut \xe2\x9c", "\xc0\xaf", "\xed\xa0\x80"}) {
    EXPECT_CODE(AddEntry("note", bad), kInvalidArgument) << bad;
    EXPECT_CODE(AddEntry("note", "fine", {bad}), kInvalidArgument) << bad;
    EXPECT_CODE(journal().Add(Draft("note", "fine", {}, {{"k", bad}})), kInvalidArgument) << bad;
    EXPECT_CODE(journal().EditText(added.id, bad), kInvalidArgument) << bad;
  }
  EXPECT_CODE(journal().Add(Draft("note", "fine", {}, nlohmann::json::array())), kInvalidArgument);
  EXPECT_CODE(journal().UpdateFields(added.id, "not an object"), kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(Entry unchanged, journal().Get(added.id));
  EXPECT_EQ(unchanged.fields, nlohmann::json::object());
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> all, journal().List({}));
  EXPECT_EQ(all.size(), 1u);
}

TEST_F(JournalEntriesTest, LinksResolvePrefixesToFullIds) {
  ASSERT_OK_AND_ASSIGN(Entry wound, AddEntry("wound", "not being chosen"));
  // The same entry twice.
  const NewEntry origin = Draft("origin", "the move at seven", {}, nlohmann::json::object(),
                                {wound.id.substr(0, 8), wound.id});
  ASSERT_OK_AND_ASSIGN(Entry linked, journal().Add(origin));
  EXPECT_EQ(linked.links, std::vector<std::string>{wound.id});

  NewEntry dangling = Draft("origin", "points nowhere");
  char unused_digit = '0';
  while (unused_digit == wound.id[0] || unused_digit == linked.id[0]) ++unused_digit;
  dangling.links = {wound.id.substr(0, 8), std::string(8, unused_digit)};
  EXPECT_CODE(journal().Add(dangling), kNotFound);
  dangling.links = {"zz"};
  EXPECT_CODE(journal().Add(dangling), kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(auto counts, journal().CountByKind());
  EXPECT_EQ(counts["origin"], 1);
}

TEST_F(JournalEntriesTest, EditTextBumpsUpdatedButNotCreated) {
  ASSERT_OK_AND_ASSIGN(Entry added, AddEntry("need", "to be reassured", {"keep"}));
  clock_.Advance(90'000);
  ASSERT_OK_AND_ASSIGN(Entry edited, journal().EditText(added.id.substr(0, 6), "to be asked"));
  EXPECT_EQ(edited.created.utc_ms, kStartTime.utc_ms);
  EXPECT_EQ(edited.updated.utc_ms, kStartTime.utc_ms + 90'000);
  ASSERT_OK_AND_ASSIGN(Entry got, journal().Get(added.id));
  EXPECT_EQ(got.text, "to be asked");
  EXPECT_EQ(got.tags, std::vector<std::string>{"keep"});
  EXPECT_EQ(got.created.utc_ms, kStartTime.utc_ms);
  EXPECT_EQ(got.updated.utc_ms, kStartTime.utc_ms + 90'000);

  EXPECT_CODE(journal().EditText(added.id, "  "), kInvalidArgument);
  EXPECT_CODE(journal().EditText(added.id, std::string(kMaxTextBytes + 1, 'y')), kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(Entry unchanged, journal().Get(added.id));
  EXPECT_EQ(unchanged.text, "to be asked");
}

TEST_F(JournalEntriesTest, RemoveDeletesOnlyThatEntry) {
  ASSERT_OK_AND_ASSIGN(Entry gone, AddEntry("note", "remove me"));
  ASSERT_OK_AND_ASSIGN(Entry stays, AddEntry("note", "keep me"));
  ASSERT_OK(journal().Remove(gone.id));
  EXPECT_CODE(journal().Get(gone.id), kNotFound);
  EXPECT_CODE(journal().Remove(gone.id), kNotFound);
  EXPECT_OK(journal().Get(stays.id).status());
}

TEST_F(JournalEntriesTest, PrefixesNeedFourHexCharacters) {
  ASSERT_OK_AND_ASSIGN(Entry added, AddEntry("note", "x"));
  EXPECT_CODE(journal().ResolveId(added.id.substr(0, 3)), kInvalidArgument);
  EXPECT_CODE(journal().ResolveId(""), kInvalidArgument);
  EXPECT_CODE(journal().ResolveId("xyz12"), kInvalidArgument);
  EXPECT_CODE(journal().ResolveId(added.id + "0"), kInvalidArgument);  // 33 characters
  EXPECT_CODE(journal().Get("g000"), kInvalidArgument);
  EXPECT_CODE(journal().Matches("12"), kInvalidArgument);
  EXPECT_TRUE(journal().ResolveId("xyz12").status().Is(JournalReason::kMalformedId));
  ASSERT_OK_AND_ASSIGN(std::string full, journal().ResolveId(" " + added.id.substr(0, 4) + " "));
  EXPECT_EQ(full, added.id);
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> one, journal().Matches(added.id));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].text, "x");
}

TEST_F(JournalEntriesTest, SharedPrefixIsAmbiguousUntilLongEnough) {
  // 4 hex characters give 65536 prefixes; by the birthday bound two of ~1000 random ids share
  // one with probability above 0.999. Cap the search far beyond that.
  std::map<std::string, std::string> by_prefix;
  std::string first, second;
  for (int i = 0; i < 5000 && first.empty(); ++i) {
    ASSERT_OK_AND_ASSIGN(Entry added, AddEntry("note", "entry " + std::to_string(i)));
    auto [it, inserted] = by_prefix.emplace(added.id.substr(0, 4), added.id);
    if (!inserted) std::tie(first, second) = std::tie(it->second, added.id);
  }
  ASSERT_FALSE(first.empty()) << "no shared 4-character prefix in 5000 ids";
  const std::string shared = first.substr(0, 4);
  EXPECT_REASON(journal().ResolveId(shared), kInvalidArgument, node::JournalReason::kAmbiguousId);
  EXPECT_REASON(journal().Get(shared), kInvalidArgument, node::JournalReason::kAmbiguousId);
  EXPECT_REASON(journal().Remove(shared), kInvalidArgument, node::JournalReason::kAmbiguousId);
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> matches, journal().Matches(shared));
  std::set<std::string> ids;
  for (const Entry& entry : matches) ids.insert(entry.id);
  EXPECT_EQ(ids, (std::set<std::string>{first, second}));

  size_t common = 0;
  while (first[common] == second[common]) ++common;
  ASSERT_OK_AND_ASSIGN(std::string resolved, journal().ResolveId(first.substr(0, common + 1)));
  EXPECT_EQ(resolved, first);

  ASSERT_OK_AND_ASSIGN(auto short_ids, journal().ShortIds());
  EXPECT_EQ(short_ids.size(), by_prefix.size() + 1);
  for (const auto& [id, short_id] : short_ids) {
    ASSERT_GE(short_id.size(), 6u);
    ASSERT_EQ(id.substr(0, short_id.size()), short_id);
  }
  EXPECT_GT(short_ids[first].size(), common);
  EXPECT_GT(short_ids[second].size(), common);
}

TEST_F(JournalEntriesTest, ShortIdsAreUniquePrefixes) {
  for (int i = 0; i < 40; ++i) ASSERT_OK(AddEntry("note", "n" + std::to_string(i)).status());
  ASSERT_OK_AND_ASSIGN(auto short_ids, journal().ShortIds());
  ASSERT_EQ(short_ids.size(), 40u);
  for (const auto& [id, short_id] : short_ids) {
    EXPECT_GE(short_id.size(), 6u);
    EXPECT_EQ(id.rfind(short_id, 0), 0u);
    ASSERT_OK_AND_ASSIGN(std::string resolved, journal().ResolveId(short_id));
    EXPECT_EQ(resolved, id);
    for (const auto& [other, unused] : short_ids) {
      if (other != id) {
        EXPECT_NE(other.rfind(short_id, 0), 0u) << short_id << " also fits " << other;
      }
    }
  }
}

}  // namespace
}  // namespace attune::node::testing
