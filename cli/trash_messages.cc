#include "cli/trash_messages.h"

#include <sstream>

#include "cli/console.h"
#include "node/journal.h"

namespace attune::cli {

std::string RemoveFooterText() {
  return "rm moves the entry to your trash, which is private: a shared entry is withdrawn from "
         "your partner (their copy goes at the next sync), and nothing in the trash is ever "
         "sent. `attune trash` lists it, `attune restore ID` brings it back (private), and the "
         "trash deletes it for good " +
         std::to_string(node::kTrashKeepDays) +
         " days after it was put there (`attune trash --empty` does it now). An entry that "
         "failed its integrity check cannot be read: rm deletes it for good at once.";
}

std::string RestoreFooterText() {
  return "The entry comes back private, even if it was shared before it went to the trash: "
         "`attune share ID` shares it again if you want your partner to have it. An entry stays "
         "in the trash " +
         std::to_string(node::kTrashKeepDays) + " days (`attune trash` lists them).";
}

std::string TrashFooterText() {
  return "The trash holds what `attune rm` put there, for " + std::to_string(node::kTrashKeepDays) +
         " days; then each entry is deleted for good (the next time attune opens your journal). "
         "It is private: nothing in it is sent to your partner, listed, searched or exported. "
         "`attune restore ID` brings an entry back; --empty deletes everything in it now (it "
         "asks on a terminal; a script needs --yes).";
}

std::string MovedToTrashText(const std::string& short_id, const std::string& emptied,
                             const std::string& withdrawn_from) {
  std::string text = "Moved to the trash; it is deleted for good on " + emptied +
                     ". `attune restore " + short_id + "` brings it back.\n";
  if (!withdrawn_from.empty()) {
    text += "It was withdrawn from " + withdrawn_from + ": their copy goes at the next sync.\n";
  }
  return text;
}

std::string RestoredText(const std::string& short_id, bool paired) {
  return "Restored: " + short_id + " is back in your journal, private. " +
         (paired ? "It is not shared again by itself; `attune share " + short_id +
                       "` shares it with your partner if you want.\n"
                 : "`attune share " + short_id + "` shares it once you have paired.\n");
}

std::string TrashListText(const std::vector<node::Entry>& entries, const ShortIds& short_ids,
                          size_t width) {
  if (entries.empty()) return "The trash is empty.\n";
  std::ostringstream out;
  for (const node::Entry& entry : entries) {
    out << EntryLine(entry, short_ids, width) << "\n";
    out << Dim("        in the trash since " + LocalTime(*entry.trashed) +
               "; deleted for good on " + LocalTime(node::TrashEmptiesAt(*entry.trashed)))
        << "\n";
  }
  out << "`attune restore ID` brings one back (private); `attune trash --empty` empties the "
         "trash now.\n";
  return out.str();
}

std::string EmptyTrashQuestion(size_t count) {
  return "Delete the " + (count == 1 ? std::string("entry") : std::to_string(count) + " entries") +
         " in the trash for good?";
}

std::string EmptiedTrashText(int64_t deleted) {
  if (deleted == 0) return "The trash is empty.\n";
  return "Deleted for good: " +
         (deleted == 1 ? std::string("1 entry") : std::to_string(deleted) + " entries") +
         ". The trash is empty.\n";
}

}  // namespace attune::cli
