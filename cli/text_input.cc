#include "cli/text_input.h"

#include "cli/console.h"
#include "cli/editor.h"
#include "node/text_util.h"

namespace attune::cli {

Result<std::string> EntryText(const std::optional<std::string>& given, const std::string& prompt,
                              const std::string& initial) {
  std::string text;
  if (given) {
    text = *given;
  } else if (!StdinIsTty()) {
    ATTUNE_ASSIGN_OR_RETURN(text, ReadAllStdin());
  } else {
    const std::string header = "# " + prompt +
                               "\n# Lines starting with # are ignored. Save and close the editor "
                               "to keep the entry; leave it empty to cancel.\n";
    ATTUNE_ASSIGN_OR_RETURN(text, EditInEditor(initial, header));
  }
  std::string trimmed(node::Trim(text));
  if (trimmed.empty()) return Status::InvalidArgument("the text is empty; nothing was saved");
  return trimmed;
}

}  // namespace attune::cli
