#include "tests/e2e/soak_entries.h"

#include <cstdio>
#include <set>
#include <utility>
#include <vector>

#include "tests/e2e/e2e_fixture.h"

namespace attune::e2e {
namespace {

using nlohmann::json;

json AsImported(const std::string& id, const OwnEntry& entry) {
  json item = ExportedEntry(id, entry.kind, entry.text, entry.created);
  item["updated"] = entry.updated;
  item["fields"] = entry.fields;
  item["tags"] = entry.tags;
  item["visibility"] = entry.shared ? "shared" : "private";
  return item;
}

// "Alex 12" of "Alex 12 NEVER-CROSS quiet ...": who wrote it and its number.
std::string HeadOf(const std::string& text) {
  return text.substr(0, text.find(' ', text.find(' ') + 1));
}

}  // namespace

std::string ChangeMaker::SomeText(const std::string& head) {
  const int roll = Between(0, 99);
  const size_t size = roll < 85   ? Between(40, 400)
                      : roll < 98 ? Between(400, 4000)
                                  : Between(60'000, 64'000);
  static const char* const kWords[] = {"quiet", "mornings", "réparer", "💛",   "together",
                                       "slow",  "Sunday",   "listen",  "hug", "ça va"};
  std::string text = head;
  while (text.size() < size) {
    text += ' ';
    text += kWords[Between(0, 9)];
  }
  return text;
}

std::string ChangeMaker::BulkChanges(const std::string& author, OwnEntries& entries, int fresh,
                                     int edits, int round) {
  std::vector<json> items;
  for (int i = 0; i < fresh; ++i) {
    const std::string id = NewId();
    entries[id] = NewBulkEntry(author, round);
    items.push_back(AsImported(id, entries[id]));
  }
  std::vector<std::string> bulk;
  for (const auto& [id, entry] : entries) {
    if (!entry.by_hand) bulk.push_back(id);
  }
  std::set<std::string> picked;  // each at most once: one import, one newer version
  for (int i = 0; i < edits && !bulk.empty(); ++i) {
    picked.insert(bulk[Between(0, static_cast<int>(bulk.size()) - 1)]);
  }
  for (const std::string& id : picked) {
    EditBulkEntry(entries[id]);
    items.push_back(AsImported(id, entries[id]));
  }
  if (items.empty()) return "";
  last_shared_id_.clear();
  for (const json& item : items) {
    if (item["visibility"] == "shared") last_shared_id_ = item["id"];
  }
  return ExportDocument(items);
}

std::string ChangeMaker::NewId() {
  char id[33];
  std::snprintf(id, sizeof id, "%016llx%016llx", static_cast<unsigned long long>(rng_()),
                static_cast<unsigned long long>(rng_()));
  return id;
}

std::string ChangeMaker::NextTime() {
  const uint64_t ms = clock_ms_++;
  char time[40];
  std::snprintf(time, sizeof time, "2026-01-01T%02llu:%02llu:%02llu.%03llu+00:00",
                static_cast<unsigned long long>(ms / 3'600'000 % 24),
                static_cast<unsigned long long>(ms / 60'000 % 60),
                static_cast<unsigned long long>(ms / 1000 % 60),
                static_cast<unsigned long long>(ms % 1000));
  return time;
}

OwnEntry ChangeMaker::NewBulkEntry(const std::string& author, int round) {
  static const char* const kKinds[] = {"need", "boundary", "repair", "note", "trigger"};
  OwnEntry entry;
  entry.kind = kKinds[Between(0, 4)];
  entry.never_cross = Chance(0.1);
  entry.shared = !entry.never_cross && Chance(0.8);
  const std::string head = author + " " + std::to_string(++counts_.created);
  entry.text = SomeText(entry.never_cross ? head + " " + kNeverCrossMarker : head);
  entry.fields = {{"round", round}};
  entry.tags = json::array({"soak"});
  if (Chance(0.3)) entry.tags.push_back("tag" + std::to_string(Between(0, 20)));
  entry.created = entry.updated = NextTime();
  return entry;
}

void ChangeMaker::EditBulkEntry(OwnEntry& entry) {
  const std::string marker = entry.never_cross ? std::string(" ") + kNeverCrossMarker : "";
  entry.text = SomeText(HeadOf(entry.text) + marker + " edit " + std::to_string(++counts_.edited));
  if (!entry.never_cross && Chance(0.15)) entry.shared = !entry.shared;
  entry.updated = NextTime();
}

EntryMap ById(const json& listed) {
  EntryMap entries;
  if (!listed.is_array()) return entries;
  for (json entry : listed) {
    entry.erase("author");
    // Read before the move: json's operator= takes its argument by value.
    const std::string id = entry["id"];
    entries[id] = std::move(entry);
  }
  return entries;
}

std::string Difference(const EntryMap& want, const EntryMap& got) {
  constexpr int kShown = 8;
  std::string report;
  int found_differences = 0;
  auto note = [&](const std::string& line) {
    if (found_differences++ < kShown) report += "\n  " + line;
  };
  for (const auto& [id, entry] : want) {
    const auto found = got.find(id);
    if (found == got.end()) {
      note(id + " is missing");
      continue;
    }
    for (const auto& [field, value] : entry.items()) {
      if (!found->second.contains(field) || found->second[field] != value) {
        note(id + " differs in " + field);
      }
    }
  }
  for (const auto& [id, entry] : got) {
    if (!want.contains(id)) note(id + " should not be there");
  }
  if (found_differences > kShown) {
    report += "\n  ... and " + std::to_string(found_differences - kShown) + " more";
  }
  return report;
}

}  // namespace attune::e2e
