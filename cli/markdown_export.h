// The readable backup, `attune export --format md`: the journal's own entries under the heading
// of their step, in attune's words. A pure function of what Journal::ExportEntries returns, so
// tests/cli owns the layout and the wording.
#ifndef ATTUNE_CLI_MARKDOWN_EXPORT_H_
#define ATTUNE_CLI_MARKDOWN_EXPORT_H_

#include <string>

#include "node/journal.h"

namespace attune::cli {

// A Markdown document: a title with the owner's name, when it was exported and that the file
// is not encrypted, then one section per step (1 to 9) and a last one for notes (step 0), each
// holding its entries in the order given.
std::string MarkdownExport(const node::JournalExport& exported);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_MARKDOWN_EXPORT_H_
