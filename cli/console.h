// The terminal edge: where attune reads what a person types and decides how to print.
#ifndef ATTUNE_CLI_CONSOLE_H_
#define ATTUNE_CLI_CONSOLE_H_

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace attune::cli {

bool StdinIsTty();
bool StdoutIsTty();
bool StderrIsTty();

// Colour only on a terminal, never when NO_COLOR is set (https://no-color.org), and never on a
// terminal that says it cannot show it (TERM=dumb).
bool UseColor();

// Columns to lay text out in: $COLUMNS if it is a positive number, else the width of the
// terminal on standard output (TIOCGWINSZ), else 80 (a pipe or a file). At least 20.
int TerminalWidth();
std::string Bold(std::string_view text);
std::string Dim(std::string_view text);

// Reads all of standard input. kIoError on a read error.
Result<std::string> ReadAllStdin();

// Reads one line from the terminal (stdin) after printing `prompt` to stderr. nullopt at EOF.
// With echo_off, the typed characters are not shown (for passphrases and recovery codes).
std::optional<std::string> PromptLine(std::string_view prompt, bool echo_off = false);

// Asks a yes/no question on the terminal. `assume_yes` (--yes) answers yes without asking.
// Without a terminal and without --yes: kInvalidArgument telling the user to add --yes.
Status Confirm(std::string_view question, bool assume_yes);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_CONSOLE_H_
