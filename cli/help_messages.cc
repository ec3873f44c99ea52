#include "cli/help_messages.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "steps/steps_guide.h"

namespace attune::cli {
namespace {

// Optimal string alignment distance: insertions, deletions, replacements, and a swap of two
// neighbouring letters, each one edit ("lsit" is one edit from "list").
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t replace = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, replace});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string OverviewText() {
  return "attune: a private journal for the nine steps of healing attachment wounds, kept\n"
         "encrypted on this machine, shared with your partner only entry by entry.\n"
         "\n"
         "To begin:\n"
         "  attune init --name NAME    make your journal\n"
         "  attune steps               the nine steps, and where you are in each\n"
         "  attune quiz                a gentle self-assessment of your attachment style\n"
         "  attune add KIND \"TEXT\"     write an entry (kinds: `attune add --help`)\n"
         "  attune list                your entries\n"
         "  attune unlock              type your passphrase once for a while (15 minutes)\n"
         "  attune pair                pair with your partner, together\n"
         "  attune ui                  the same journal in your browser\n"
         "  attune backup --out FILE   a sealed backup (attune restore-backup FILE)\n"
         "\n"
         "`attune help` lists every command; `attune help COMMAND` tells about one;\n"
         "`attune help support` says where to find more support.\n"
         "attune is a companion for reflection, not a diagnosis or a therapy; a trained\n"
         "psychotherapist can offer more support.\n";
}

std::string ClosestCommand(std::string_view typed, const std::vector<std::string>& names) {
  std::string best;
  size_t best_distance = 3;  // at most two edits
  for (const std::string& name : names) {
    const size_t distance = EditDistance(typed, name);
    if (distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

std::string NotACommandText(std::string_view typed, std::string_view suggestion) {
  std::string text = "'" + std::string(typed) + "' is not an attune command; nothing was run.";
  if (!suggestion.empty()) text += " Did you mean `attune " + std::string(suggestion) + "`?";
  return text + " `attune help` lists them all.";
}

std::string SupportHelpText() {
  return std::string(steps::SupportNote()) +
         "\n\nattune never diagnoses, and its quiz is a reflection aid, not a validated "
         "psychological test. Your journal stays on this computer; nothing you write reaches "
         "anyone unless you share it, entry by entry, with your partner.\n";
}

std::string SearchNeedsWordsText() {
  return "search needs at least one word: `attune search WORD...` finds the entries that contain "
         "every word (yours and what your partner shared); `attune list` shows them all.";
}

}  // namespace attune::cli
