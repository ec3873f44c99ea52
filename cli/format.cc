#include "cli/format.h"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

#include "cli/console.h"
#include "cli/layout.h"
#include "node/entry_rules.h"

namespace attune::cli {
namespace {

constexpr size_t kPreviewChars = 60;

std::string ShortIdOf(const node::Entry& entry, const ShortIds& short_ids) {
  auto it = short_ids.find(entry.id);
  return it != short_ids.end() ? it->second : entry.id.substr(0, 6);
}

}  // namespace

std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte < 0x20 && byte != '\n' && byte != '\t') || byte == 0x7f) {
      out += '?';
    } else if (byte == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      out += '?';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

namespace {

// `json[key]` if it is a string, else "" (a partner's fields are not trusted to be well-formed).
std::string StringField(const nlohmann::json& json, const char* key) {
  if (!json.is_object()) return "";
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : "";
}

// The first line, cut at a UTF-8 character boundary near kPreviewChars bytes.
std::string Preview(const std::string& raw) {
  // Only the start of the first line is cleaned, not the whole text (a list shows thousands of
  // entries). Twice the preview's length is enough: cleaning at most halves a run of bytes.
  const std::string_view first_line = std::string_view(raw).substr(0, raw.find('\n'));
  const std::string line = Printable(first_line.substr(0, 2 * kPreviewChars));
  const bool longer = first_line.size() > 2 * kPreviewChars;
  if (line.size() <= kPreviewChars) return longer ? line + "…" : line;
  size_t cut = kPreviewChars;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return line.substr(0, cut) + "…";
}

std::string Tags(const node::Entry& entry) {
  std::string out;
  for (const std::string& tag : entry.tags) out += " #" + Printable(tag);
  return out;
}

}  // namespace

std::string LocalTime(const node::Timestamp& at) {
  const std::time_t seconds = static_cast<std::time_t>(at.utc_ms / 1000);
  std::tm local{};
  localtime_r(&seconds, &local);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M", &local);
  return buffer;
}

namespace {

// When a boundary was restated, in the local format of every other time shown (the entry keeps
// RFC 3339); as it is, made printable, if it is not a time attune wrote.
std::string RestatedAt(const std::string& at) {
  Result<node::Timestamp> parsed = node::ParseRfc3339(at);
  return parsed.ok() ? LocalTime(*parsed) : Printable(at);
}

}  // namespace

// " (restated 3 times)" for a boundary that had to be restated, else "".
std::string Restated(const node::Entry& entry) {
  if (entry.kind != "boundary" || !entry.fields.contains("restatements") ||
      !entry.fields["restatements"].is_array() || entry.fields["restatements"].empty()) {
    return "";
  }
  const size_t count = entry.fields["restatements"].size();
  return count == 1 ? " (restated once)" : " (restated " + std::to_string(count) + " times)";
}

// "re ID, ACK" for a response (ID shortened to `id_chars` unless a shorter unique prefix is
// known), "" for anything else. The fields are checked when an entry is stored, the partner's
// too; anything that does not look right here is left out rather than shown.
std::string ResponseNote(const node::Entry& entry, const ShortIds& short_ids, size_t id_chars) {
  const auto target = entry.fields.find("responds_to");
  if (target == entry.fields.end() || !target->is_string()) return "";
  const std::string& id = target->get_ref<const std::string&>();
  if (!node::IsFullEntryId(id)) return "";
  auto known = short_ids.find(id);
  std::string note = "re " + (known != short_ids.end() ? known->second : id.substr(0, id_chars));
  const auto ack = entry.fields.find("ack");
  if (ack != entry.fields.end() && ack->is_string() &&
      node::IsResponseAck(ack->get_ref<const std::string&>())) {
    note += ", " + ack->get<std::string>();
  }
  return note;
}

namespace {

// After an entry that is not the journal's own, in lists that mix them (search).
std::string WhoseMark(const node::Entry& entry) {
  switch (entry.author) {
    case node::Author::kPartner:
      return "  [from your partner]";
    case node::Author::kFormer:
      return "  [from a former partner]";
    case node::Author::kMe:
      break;
  }
  return "";
}

}  // namespace

std::string EntryLine(const node::Entry& entry, const ShortIds& short_ids, size_t width,
                      bool mark_whose) {
  char kind[16];
  std::snprintf(kind, sizeof kind, "%-13s", entry.kind.c_str());
  const bool shared_by_me =
      entry.author == node::Author::kMe && entry.visibility == node::Visibility::kShared;
  const std::string id = ShortIdOf(entry, short_ids);
  const std::string date = LocalTime(entry.created);
  const std::string answers = ResponseNote(entry, short_ids, 6);
  const std::string answered = answers.empty() ? "" : "  (" + answers + ")";
  const std::string tags = Tags(entry);
  const std::string marks =
      std::string(shared_by_me ? "  [shared]" : "") + (mark_whose ? WhoseMark(entry) : "");
  std::string preview = Preview(entry.text) + Restated(entry);
  if (width > 0) {
    // The preview gives way so that the line fits the terminal (which would otherwise wrap it
    // in the middle of a word); everything around it stays whole.
    constexpr size_t kLeastPreview = 12;
    const size_t around = DisplayWidth(id) + DisplayWidth(date) + 13 + 5 + DisplayWidth(answered) +
                          DisplayWidth(tags) + DisplayWidth(marks);
    preview = Shorten(preview, width > around + kLeastPreview ? width - around : kLeastPreview);
  }
  return Dim(id) + "  " + date + "  " + kind + " " + preview + Dim(answered) + Dim(tags) +
         Dim(marks);
}

EntryCells EntryLineCells(const node::Entry& entry, const ShortIds& short_ids, bool whole) {
  const std::string answers = ResponseNote(entry, short_ids, 6);
  return {ShortIdOf(entry, short_ids), LocalTime(entry.created), entry.kind,
          (whole ? Printable(entry.text) : Preview(entry.text)) + Restated(entry) +
              (answers.empty() ? "" : "  (" + answers + ")") + Tags(entry)};
}

std::string Provenance(const node::Entry& entry) {
  if (entry.author == node::Author::kPartner) return "shared with you by your partner (read-only)";
  if (entry.author == node::Author::kFormer) return "shared by a former partner (kept at unpair)";
  return entry.visibility == node::Visibility::kShared ? "shared with your partner" : "private";
}

std::string EntryDetail(const node::Entry& entry, const ShortIds& short_ids) {
  std::ostringstream out;
  out << Bold(entry.kind) << " (step " << entry.step << ")  " << Dim(entry.id) << "\n";
  out << "written " << LocalTime(entry.created);
  if (entry.updated.utc_ms != entry.created.utc_ms) out << ", edited " << LocalTime(entry.updated);
  out << " · " << Provenance(entry) << "\n\n" << Printable(entry.text) << "\n";
  if (!entry.tags.empty()) out << "\ntags:" << Tags(entry) << "\n";
  for (const std::string& link : entry.links) {
    auto it = short_ids.find(link);
    out << "linked to " << (it != short_ids.end() ? it->second : link) << "\n";
  }
  if (const std::string answers = ResponseNote(entry, short_ids, 8); !answers.empty()) {
    out << "responds to " << answers.substr(3) << "\n";
  }
  if (entry.fields.contains("restatements") && entry.fields["restatements"].is_array()) {
    const auto& restated = entry.fields["restatements"];
    out << "\nrestated " << restated.size() << (restated.size() == 1 ? " time" : " times") << ":\n";
    for (const auto& item : restated) {
      out << "  " << RestatedAt(StringField(item, "at")) << "  "
          << Printable(StringField(item, "note")) << "\n";
    }
  }
  return out.str();
}

std::string NothingListedText(bool partner) {
  return partner ? "Nothing from your partner yet. What they share arrives with `attune sync` (or "
                   "while `attune serve` runs)."
                 : "No entries yet. `attune steps` is a gentle start.";
}

std::string NoMatchesText() {
  return "No entries match these filters.";
}

std::string NothingMatchedText(bool partner) {
  return NoMatchesText() + (partner ? " `attune list --partner` without them shows all your "
                                      "partner shared."
                                    : " `attune list` without them shows all your entries.");
}

std::string NothingFoundText() {
  return "No entries contain all of those words.";
}

std::vector<node::Entry> ThreadedTimeline(std::vector<node::Entry> entries) {
  const auto answered = [](const node::Entry& entry) -> std::string {
    if (entry.kind != "response" || !entry.fields.is_object()) return "";
    const auto target = entry.fields.find("responds_to");
    return target != entry.fields.end() && target->is_string() ? target->get<std::string>() : "";
  };
  std::set<std::string> present;
  for (const node::Entry& entry : entries) present.insert(entry.id);
  std::map<std::string, std::vector<node::Entry>> replies;  // answered id -> its responses
  std::vector<node::Entry> threaded;
  std::vector<node::Entry> top;
  for (node::Entry& entry : entries) {
    const std::string target = answered(entry);
    if (!target.empty() && present.count(target) > 0 && target != entry.id) {
      replies[target].push_back(std::move(entry));
    } else {
      top.push_back(std::move(entry));
    }
  }
  // Depth first, so that a response to a response follows it too.
  std::function<void(node::Entry &&)> place = [&](node::Entry&& entry) {
    const std::string id = entry.id;
    threaded.push_back(std::move(entry));
    const auto found = replies.find(id);
    if (found == replies.end()) return;
    std::vector<node::Entry> children = std::move(found->second);
    replies.erase(found);
    for (node::Entry& child : children) place(std::move(child));
  };
  for (node::Entry& entry : top) place(std::move(entry));
  for (auto& [target, left] : replies) {  // only in a cycle of responses: keep them all
    for (node::Entry& entry : left) threaded.push_back(std::move(entry));
  }
  return threaded;
}

nlohmann::json EntriesJson(const std::vector<node::Entry>& entries) {
  nlohmann::json list = nlohmann::json::array();
  for (const node::Entry& entry : entries) list.push_back(node::EntryToJson(entry));
  return list;
}

void PrintJson(const nlohmann::json& json) {
  std::cout << json.dump(2) << "\n";
}

}  // namespace attune::cli
