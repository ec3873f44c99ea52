// The gentle hint: after a command that moves the work along, at most one line suggesting the
// natural next step in the nine steps, derived from the journal's step progress. It is an
// invitation, never a demand, and it stays out of the way of scripts: it is printed only when
// standard output is a terminal, never with --json, never after a failure, and never when
// ATTUNE_QUIET is set to anything but "" or "0".
#ifndef ATTUNE_CLI_HINTS_H_
#define ATTUNE_CLI_HINTS_H_

#include <optional>
#include <string>
#include <vector>

#include "steps/steps_guide.h"

namespace CLI {
class App;
}

namespace attune::cli {

class Context;

// What just happened, as far as the hint cares.
struct HintRequest {
  std::string command;  // the subcommand's name: "init", "add", "restate", ...
  std::string kind;     // for `add`: the kind written; else empty
};

// Whether `command` is one after which a hint may be given: init, add, statement, boundary
// restate, quiz, respond, import, pair and sync. Reading commands already show what they show.
bool CommandMayHint(const std::string& command);

// The hint's text (without colour), or nullopt. Pure: `progress` is the journal's progress
// after the command (steps::ComputeProgress).
std::optional<std::string> NextStepHint(const HintRequest& request,
                                        const std::vector<steps::StepProgress>& progress);

// After a successful command: prints the hint on standard output if everything above allows it.
// Reads the step counts without the passphrase (node::CountOwnEntriesByKind); if that fails,
// says nothing.
void MaybePrintHint(const Context& context, const CLI::App& ran);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_HINTS_H_
