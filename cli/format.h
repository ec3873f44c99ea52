// How entries look on a terminal and in --json output.
#ifndef ATTUNE_CLI_FORMAT_H_
#define ATTUNE_CLI_FORMAT_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "node/entry.h"

namespace attune::cli {

using ShortIds = std::map<std::string, std::string>;

// Text as it may reach a terminal: control characters (C0 but newline and tab, DEL, C1) become
// '?'. A partner's entries are their text, and an escape sequence in them must not be able to
// rewrite the reader's screen.
std::string Printable(std::string_view text);

// "2026-11-28 09:15" in the reader's local time zone.
std::string LocalTime(const node::Timestamp& at);

// One line for lists: short id, date, kind, the first line of the text (shortened), tags. With
// a `width` (the terminal's), the text's preview is shortened further so that the line fits.
// `mark_whose` marks the partner's entries, for a list that mixes both (search).
std::string EntryLine(const node::Entry& entry, const ShortIds& short_ids, size_t width = 0,
                      bool mark_whose = false);

// The parts of EntryLine, without colour, for laying out in columns: the short id, the local
// date, the kind, and the text's preview with what follows it (restatements, what a response
// answers, tags). Control characters in the text are replaced, as in EntryLine. With `whole`,
// the whole text (its lines kept) in place of the preview, for a view that wraps it.
struct EntryCells {
  std::string short_id, date, kind, text;
};
EntryCells EntryLineCells(const node::Entry& entry, const ShortIds& short_ids, bool whole = false);

// Whose an entry is and who can see it: "private", "shared with your partner", ...
std::string Provenance(const node::Entry& entry);

// Everything about one entry, for `show`.
std::string EntryDetail(const node::Entry& entry, const ShortIds& short_ids);

// What `list` (of one's own entries, or with --partner) and `search` say when they find nothing.
std::string NothingListedText(bool partner);
std::string NothingFoundText();
// `list` with filters that match nothing: says so, and how to see everything (`partner` for
// --partner). The page says the first sentence alone (NoMatchesText).
std::string NoMatchesText();
std::string NothingMatchedText(bool partner);

// A timeline with each response right after the entry it answers (`fields.responds_to`), in
// the order the responses were written; everything else, and a response whose entry is not in
// the list, stays in time order.
std::vector<node::Entry> ThreadedTimeline(std::vector<node::Entry> entries);

nlohmann::json EntriesJson(const std::vector<node::Entry>& entries);

// Prints JSON to stdout, pretty and newline-terminated.
void PrintJson(const nlohmann::json& json);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_FORMAT_H_
