#include "cli/text_input.h"

#include <array>
#include <iostream>
#include <sstream>
#include <vector>

#include "base/text_util.h"
#include "cli/console.h"
#include "cli/editor.h"
#include "cli/messages.h"

namespace attune::cli {
namespace {

// One part of a statement: where it goes, how it is asked for, and what it holds.
struct PartSlot {
  const char* name;     // for a message: "the feeling"
  const char* lead_in;  // what the statement says before it
  const char* hint;
  const std::optional<std::string>* given;
  std::string* out;
  const std::string* current;  // null without a current statement
};

std::vector<std::string> NonBlankLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const std::string_view trimmed = Trim(line);
    if (!trimmed.empty()) lines.emplace_back(trimmed);
  }
  return lines;
}

// Fills the missing parts from standard input, one line each.
Status PartsFromStdin(const std::vector<PartSlot*>& missing) {
  ATTUNE_ASSIGN_OR_RETURN(std::string text, ReadAllStdin());
  const std::vector<std::string> lines = NonBlankLines(text);
  if (lines.size() != missing.size()) {
    std::vector<std::string> wanted;
    for (const PartSlot* slot : missing) wanted.emplace_back(slot->name);
    return WrongStatementLines(wanted, lines.size());
  }
  for (size_t i = 0; i < missing.size(); ++i) *missing[i]->out = lines[i];
  return Status::Ok();
}

// Asks for one part at the terminal until it is given (or kept); kCancelled at end of input.
Status AskForPart(const PartSlot& slot) {
  std::string prompt = std::string(slot.lead_in) + " … (" + slot.hint + ")";
  if (slot.current != nullptr) prompt += " [Enter keeps \"" + *slot.current + "\"]";
  prompt += ": ";
  for (;;) {
    std::optional<std::string> line = PromptLine(prompt);
    if (!line) return Status::Cancelled("the statement was not finished; nothing was saved");
    const std::string_view answer = Trim(*line);
    if (!answer.empty()) {
      *slot.out = std::string(answer);
      return Status::Ok();
    }
    if (slot.current != nullptr) {
      *slot.out = *slot.current;
      return Status::Ok();
    }
    std::cerr << "  This part is needed for the statement (Ctrl-D stops without saving).\n";
  }
}

}  // namespace

Result<std::string> EntryText(const std::optional<std::string>& given, const std::string& prompt,
                              const std::string& initial) {
  std::string text;
  if (given) {
    text = *given;
  } else if (!StdinIsTty()) {
    ATTUNE_ASSIGN_OR_RETURN(text, ReadAllStdin());
  } else {
    const std::string header = "# " + prompt +
                               "\n# attune removes these two lines; everything you write is kept. "
                               "Save and close the editor to keep the entry; leave it empty to "
                               "cancel.\n";
    ATTUNE_ASSIGN_OR_RETURN(text, EditInEditor(initial, header));
  }
  std::string trimmed(Trim(text));
  if (trimmed.empty()) return Status::InvalidArgument("the text is empty; nothing was saved");
  return trimmed;
}

Result<std::string> OptionalNote(const std::optional<std::string>& given,
                                 const std::string& prompt) {
  std::string text;
  if (given) {
    text = *given;
  } else if (!StdinIsTty()) {
    ATTUNE_ASSIGN_OR_RETURN(text, ReadAllStdin());
  } else {
    text = PromptLine(prompt + " (optional; Enter for none): ").value_or("");
  }
  return std::string(Trim(text));
}

Status WrongStatementLines(const std::vector<std::string>& wanted, size_t found) {
  std::string names;
  for (const std::string& name : wanted) names += (names.empty() ? "" : ", ") + name;
  return Status::InvalidArgument("a statement needs " + std::to_string(wanted.size()) +
                                 (wanted.size() == 1 ? " line" : " lines") +
                                 " on standard input (" + names + "), but found " +
                                 std::to_string(found) +
                                 "; or give the parts as --feel, --when and --need")
      .WithReason(CliReason::kStatementLines);
}

Result<steps::StatementParts> ReadStatementParts(
    const StatementInput& given, const std::optional<steps::StatementParts>& current) {
  steps::StatementParts parts;
  std::array<PartSlot, 3> slots = {{
      {"the feeling", "I feel", kFeelHint, &given.feel, &parts.feel,
       current ? &current->feel : nullptr},
      {"the situation", "when", kWhenHint, &given.when, &parts.when,
       current ? &current->when : nullptr},
      {"what helps", "I feel loved and connected when", kNeedHint, &given.need, &parts.need,
       current ? &current->need : nullptr},
  }};
  std::vector<PartSlot*> missing;
  for (PartSlot& slot : slots) {
    if (*slot.given) {
      *slot.out = **slot.given;
    } else {
      missing.push_back(&slot);
    }
  }
  if (missing.empty()) return parts;
  if (!StdinIsTty()) {
    ATTUNE_RETURN_IF_ERROR(PartsFromStdin(missing));
    return parts;
  }
  std::cerr << "A step-7 statement: \"I feel FEELING when SITUATION. I feel loved and connected "
               "when NEED.\"\n";
  for (const PartSlot* slot : missing) ATTUNE_RETURN_IF_ERROR(AskForPart(*slot));
  return parts;
}

}  // namespace attune::cli
