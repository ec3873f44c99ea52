// Export and import: JSON that restores a journal exactly, imports that are idempotent and
// all-or-nothing, and the entries of a readable export.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "node/journal.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

using nlohmann::json;

class JournalExportTest : public JournalTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(InitJournal());
    ASSERT_OK_AND_ASSIGN(Entry wound, AddEntry("wound", "not being chosen", {"old"}));
    clock_.Advance(1'234);
    const NewEntry origin =
        Draft("origin", "the move at seven\nsecond line \"quoted\"", {"childhood", "moves"},
              {{"age", 7}, {"places", {"north", "south"}}}, {wound.id});
    ASSERT_OK(journal().Add(origin).status());
    clock_.Advance(60'000);
    ASSERT_OK_AND_ASSIGN(Entry note, AddEntry("note", "edited later"));
    clock_.Advance(5'000);
    ASSERT_OK(journal().EditText(note.id, "edited later, and now").status());
  }

  // A second, empty journal to import into.
  void InitTarget() {
    ASSERT_OK_AND_ASSIGN(
        Journal made, Journal::Init(target_home_, FastOptions(true, "Sam"), MustNotAsk(), clock_));
    target_.emplace(std::move(made));
  }

  int64_t TargetCount() {
    Result<std::vector<Entry>> all = target_->List({});
    return all.ok() ? static_cast<int64_t>(all->size()) : -1;
  }

  Home target_home_{temp_.File("target")};
  std::optional<Journal> target_;
};

TEST_F(JournalExportTest, JsonRoundTripReproducesEveryEntry) {
  ASSERT_OK_AND_ASSIGN(std::string exported, journal().ExportJson());
  const json document = json::parse(exported);
  EXPECT_EQ(document["format"], "attune-export");
  EXPECT_EQ(document["version"], 1);
  EXPECT_EQ(document["name"], "Robin");
  ASSERT_EQ(document["entries"].size(), 3u);

  ASSERT_NO_FATAL_FAILURE(InitTarget());
  ASSERT_OK_AND_ASSIGN(ImportSummary summary, target_->ImportJson(exported));
  EXPECT_EQ(summary.added, 3);
  EXPECT_EQ(summary.updated, 0);
  EXPECT_EQ(summary.unchanged, 0);

  ASSERT_OK_AND_ASSIGN(std::vector<Entry> original, journal().List({}));
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> imported, target_->List({}));
  ASSERT_EQ(imported.size(), original.size());
  for (size_t i = 0; i < original.size(); ++i) EXPECT_TRUE(SameEntry(original[i], imported[i]));
  // The edited note kept distinct created and updated times, to the millisecond.
  EXPECT_EQ(imported[2].created.utc_ms, kStartTime.utc_ms + 61'234);
  EXPECT_EQ(imported[2].updated.utc_ms, kStartTime.utc_ms + 66'234);
  EXPECT_EQ(imported[1].links, std::vector<std::string>{imported[0].id});

  // The target keeps its own name.
  ASSERT_OK_AND_ASSIGN(std::string name, target_->Name());
  EXPECT_EQ(name, "Sam");
}

TEST_F(JournalExportTest, ImportKeepsVisibility) {
  ASSERT_OK_AND_ASSIGN(std::string exported, journal().ExportJson());
  json document = json::parse(exported);
  document["entries"][0]["visibility"] = "shared";
  ASSERT_NO_FATAL_FAILURE(InitTarget());
  ASSERT_OK(target_->ImportJson(document.dump()).status());
  ASSERT_OK_AND_ASSIGN(Entry shared, target_->Get(std::string(document["entries"][0]["id"])));
  EXPECT_EQ(shared.visibility, node::Visibility::kShared);
  EXPECT_EQ(shared.author, node::Author::kMe);
  ASSERT_OK_AND_ASSIGN(std::string again, target_->ExportJson());
  EXPECT_EQ(json::parse(again)["entries"][0]["visibility"], "shared");
}

// An export is one person's journal; what a partner shared comes back by sync, never by import.
TEST_F(JournalExportTest, ImportRefusesEntriesThatAreNotTheJournalsOwn) {
  ASSERT_OK_AND_ASSIGN(std::string exported, journal().ExportJson());
  json document = json::parse(exported);
  document["entries"][1]["author"] = "partner";
  ASSERT_NO_FATAL_FAILURE(InitTarget());
  EXPECT_CODE(target_->ImportJson(document.dump()), kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> none, target_->List({.author = std::nullopt}));
  EXPECT_TRUE(none.empty()) << "nothing of a refused import is written";
}

TEST_F(JournalExportTest, ImportingTwiceAddsNothing) {
  ASSERT_OK_AND_ASSIGN(std::string exported, journal().ExportJson());
  ASSERT_NO_FATAL_FAILURE(InitTarget());
  ASSERT_OK(target_->ImportJson(exported).status());
  ASSERT_OK_AND_ASSIGN(ImportSummary again, target_->ImportJson(exported));
  EXPECT_EQ(again.added, 0);
  EXPECT_EQ(again.updated, 0);
  EXPECT_EQ(again.unchanged, 3);
  EXPECT_EQ(TargetCount(), 3);

  // Into the journal it came from, too.
  ASSERT_OK_AND_ASSIGN(ImportSummary self, journal().ImportJson(exported));
  EXPECT_EQ(self.added, 0);
  EXPECT_EQ(self.unchanged, 3);
}

TEST_F(JournalExportTest, ANewerEditUpdatesAndAnOlderOneDoesNot) {
  ASSERT_OK_AND_ASSIGN(std::string exported, journal().ExportJson());
  ASSERT_NO_FATAL_FAILURE(InitTarget());
  ASSERT_OK(target_->ImportJson(exported).status());

  json document = json::parse(exported);
  json& note = document["entries"][2];
  const std::string id = note["id"];
  note["text"] = "edited elsewhere, later";
  note["updated"] = FormatRfc3339({kStartTime.utc_ms + 999'000, -300});
  json& wound = document["entries"][0];
  wound["text"] = "an older version";
  wound["updated"] = FormatRfc3339({kStartTime.utc_ms - 1'000, 60});

  ASSERT_OK_AND_ASSIGN(ImportSummary summary, target_->ImportJson(document.dump()));
  EXPECT_EQ(summary.added, 0);
  EXPECT_EQ(summary.updated, 1);
  EXPECT_EQ(summary.unchanged, 2);
  ASSERT_OK_AND_ASSIGN(Entry updated, target_->Get(id));
  EXPECT_EQ(updated.text, "edited elsewhere, later");
  EXPECT_EQ(updated.updated.utc_ms, kStartTime.utc_ms + 999'000);
  EXPECT_EQ(updated.updated.offset_min, -300);
  EXPECT_EQ(updated.created.utc_ms, kStartTime.utc_ms + 61'234);
  ASSERT_OK_AND_ASSIGN(Entry kept, target_->Get(std::string(wound["id"])));
  EXPECT_EQ(kept.text, "not being chosen");
}

TEST_F(JournalExportTest, MalformedImportsAreRejectedAndWriteNothing) {
  ASSERT_NO_FATAL_FAILURE(InitTarget());
  ASSERT_OK_AND_ASSIGN(std::string exported, journal().ExportJson());
  json wrong_format = json::parse(exported);
  wrong_format["format"] = "someone-else";
  json newer = json::parse(exported);
  newer["version"] = 2;
  json typed_format = json::parse(exported);
  typed_format["format"] = 7;
  json typed_version = json::parse(exported);
  typed_version["version"] = "1";
  json entries_not_list = json::parse(exported);
  entries_not_list["entries"] = json::object();

  EXPECT_CODE(target_->ImportJson(""), kInvalidArgument);
  EXPECT_CODE(target_->ImportJson("{ not json"), kInvalidArgument);
  EXPECT_TRUE(target_->ImportJson("{ not json").status().Is(JournalReason::kImportNotJson));
  EXPECT_CODE(target_->ImportJson("[1, 2]"), kInvalidArgument);
  EXPECT_CODE(target_->ImportJson(wrong_format.dump()), kInvalidArgument);
  EXPECT_CODE(target_->ImportJson(newer.dump()), kUnsupported);
  // Fields of the wrong JSON type are refused, not thrown.
  EXPECT_FALSE(target_->ImportJson(typed_format.dump()).ok());
  EXPECT_FALSE(target_->ImportJson(typed_version.dump()).ok());
  EXPECT_CODE(target_->ImportJson(entries_not_list.dump()), kInvalidArgument);
  // Nested past any real export: refused before it is parsed, whose copies would recurse.
  std::string deep = exported;
  deep.insert(deep.rfind('}'),
              ",\"extra\":" + std::string(100'000, '[') + std::string(100'000, ']'));
  EXPECT_CODE(target_->ImportJson(deep), kInvalidArgument);
  EXPECT_EQ(TargetCount(), 0);
}

TEST_F(JournalExportTest, OneBadEntryMeansNoEntryIsWritten) {
  ASSERT_NO_FATAL_FAILURE(InitTarget());
  ASSERT_OK_AND_ASSIGN(std::string exported, journal().ExportJson());
  const json good = json::parse(exported);

  // Each variant spoils the last entry; the first two are fine on their own.
  std::vector<std::pair<std::string, json>> spoilers = {
      {"kind", "diary"},        {"id", "1234"},
      {"created", "yesterday"}, {"text", std::string(kMaxTextBytes + 1, 'x')},
      {"tags", "not a list"},   {"visibility", "public"},
      {"visibility", 5},        {"author", "stranger"},
  };
  for (const auto& [key, value] : spoilers) {
    json spoiled = good;
    spoiled["entries"][2][key] = value;
    EXPECT_FALSE(target_->ImportJson(spoiled.dump()).ok()) << key << " = " << value.dump();
    EXPECT_EQ(TargetCount(), 0) << key << " = " << value.dump();
  }
  ASSERT_OK_AND_ASSIGN(ImportSummary summary, target_->ImportJson(exported));
  EXPECT_EQ(summary.added, 3);
}

// The readable export's entries (cli lays them out: tests/cli/markdown_export_test.cc): the own
// entries, as they read now, with the owner's name and the clock's time.
TEST_F(JournalExportTest, TheReadableExportHoldsEveryOwnEntryAsItReadsNow) {
  ASSERT_OK_AND_ASSIGN(JournalExport exported, journal().ExportEntries());
  EXPECT_EQ(exported.name, "Robin");
  EXPECT_EQ(exported.exported.utc_ms, clock_.Now().utc_ms);
  ASSERT_OK_AND_ASSIGN(std::vector<Entry> listed, journal().List({}));
  ASSERT_EQ(exported.entries.size(), 3u);
  ASSERT_EQ(exported.entries.size(), listed.size());
  for (size_t i = 0; i < listed.size(); ++i) {
    EXPECT_EQ(EntryToJson(exported.entries[i]), EntryToJson(listed[i])) << i;
  }
  bool edited_seen = false;
  for (const Entry& entry : exported.entries) edited_seen |= entry.text == "edited later, and now";
  EXPECT_TRUE(edited_seen) << "the note as edited";
}

// Progress reports counts only, from 0 to the total, never going back.
std::vector<std::pair<uint64_t, uint64_t>> Recorded(
    const std::function<void(const ProgressCallback&)>& work) {
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  work([&](uint64_t done, uint64_t total) { calls.emplace_back(done, total); });
  return calls;
}

void ExpectCountsUpTo(const std::vector<std::pair<uint64_t, uint64_t>>& calls, uint64_t total) {
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.front(), std::make_pair(uint64_t{0}, total));
  EXPECT_EQ(calls.back(), std::make_pair(total, total));
  for (size_t i = 1; i < calls.size(); ++i) {
    EXPECT_GE(calls[i].first, calls[i - 1].first) << "progress went back at call " << i;
    EXPECT_EQ(calls[i].second, total);
  }
}

TEST_F(JournalExportTest, ExportAndImportReportTheirProgress) {
  std::string exported;
  const auto json_calls = Recorded([&](const ProgressCallback& progress) {
    Result<std::string> done = journal().ExportJson(progress);
    ASSERT_OK(done.status());
    exported = *done;
  });
  ExpectCountsUpTo(json_calls, 3);
  const auto markdown_calls = Recorded([&](const ProgressCallback& progress) {
    ASSERT_OK(journal().ExportEntries(progress).status());
  });
  ExpectCountsUpTo(markdown_calls, 3);
  ASSERT_NO_FATAL_FAILURE(InitTarget());
  const auto import_calls = Recorded([&](const ProgressCallback& progress) {
    ASSERT_OK(target_->ImportJson(exported, progress).status());
  });
  ExpectCountsUpTo(import_calls, 3);
  // Without a callback the same work runs as before.
  ASSERT_OK(target_->ImportJson(exported).status());
}

}  // namespace
}  // namespace attune::node::testing
