#include "cli/markdown_export.h"

#include <sstream>

#include "steps/steps_guide.h"

namespace attune::cli {
namespace {

void AppendEntry(std::ostringstream& out, const node::Entry& entry) {
  out << "### " << entry.kind << " · " << node::FormatRfc3339(entry.created) << "\n\n";
  out << entry.text << "\n\n";
  if (!entry.tags.empty()) {
    out << "Tags:";
    for (const std::string& tag : entry.tags) out << " #" << tag;
    out << "\n\n";
  }
  if (!entry.fields.empty()) out << "Details: `" << entry.fields.dump() << "`\n\n";
  out << "<sub>id " << entry.id << "</sub>\n\n";
}

void AppendEntriesOfStep(std::ostringstream& out, const node::JournalExport& exported, int step) {
  for (const node::Entry& entry : exported.entries) {
    if (entry.step == step) AppendEntry(out, entry);
  }
}

}  // namespace

std::string MarkdownExport(const node::JournalExport& exported) {
  std::ostringstream out;
  out << "# " << exported.name << "'s attune journal\n\n";
  out << "Exported " << node::FormatRfc3339(exported.exported)
      << ". This file is not encrypted: keep it somewhere only you can reach.\n\n";
  for (const steps::StepGuide& step : steps::AllSteps()) {
    out << "## Step " << step.number << ": " << step.title << "\n\n";
    AppendEntriesOfStep(out, exported, step.number);
  }
  out << "## Notes\n\n";
  AppendEntriesOfStep(out, exported, 0);
  return out.str();
}

}  // namespace attune::cli
