// Where entry text comes from when it is not on the command line (which would leave it in the
// shell's history, and show it to other local users while attune runs): standard input when
// piped, else the editor or a prompt on a terminal.
#ifndef ATTUNE_CLI_TEXT_INPUT_H_
#define ATTUNE_CLI_TEXT_INPUT_H_

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "steps/statement_check.h"

namespace attune::cli {

// `given` if present; else all of stdin (not a terminal); else the editor with `prompt` as a
// comment header. Surrounding whitespace is trimmed; empty text is kInvalidArgument.
Result<std::string> EntryText(const std::optional<std::string>& given, const std::string& prompt,
                              const std::string& initial = "");

// An optional note (`boundary restate`): `given` if present; else all of stdin when it is not
// a terminal (nothing, for no note); else one line asked for at a prompt (Enter for none).
// Trimmed; may be empty.
Result<std::string> OptionalNote(const std::optional<std::string>& given,
                                 const std::string& prompt);

// What each part of a step-7 statement is, for its flag's help and its prompt alike.
inline constexpr const char* kFeelHint = "the feeling, e.g. \"lonely\"";
inline constexpr const char* kWhenHint = "the situation, e.g. \"we go a day without talking\"";
inline constexpr const char* kNeedHint = "what helps, e.g. \"we share ten minutes each evening\"";

// The parts of a statement given as flags (--feel, --when, --need); any may be missing.
struct StatementInput {
  std::optional<std::string> feel, when, need;
};

// The three parts of a statement, as typed (steps/statement_check.h normalizes and validates
// them). Each part given in `given` is taken as it is; the others come
//  - from standard input when it is not a terminal: one line each, in the order feeling,
//    situation, need (so three lines when no flag is given); blank lines are skipped;
//  - else from a prompt on the terminal (standard error) showing the part's lead-in and hint,
//    after one line that shows the statement's shape. With `current` (re-composing a statement)
//    each prompt shows the part's current words and an empty answer keeps them; without, an
//    empty answer asks again.
// Errors: kInvalidArgument when standard input holds another number of lines than parts are
// missing (the detail says what it must hold); kCancelled when the terminal ends (Ctrl-D)
// before every part is given.
Result<steps::StatementParts> ReadStatementParts(
    const StatementInput& given, const std::optional<steps::StatementParts>& current = {});

// The refusal of standard input holding `found` lines for the parts named in `wanted` ("the
// feeling", ...): kInvalidArgument, CliReason::kStatementLines.
Status WrongStatementLines(const std::vector<std::string>& wanted, size_t found);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_TEXT_INPUT_H_
