#include "cli/hints.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cstdlib>
#include <iostream>

#include "cli/console.h"
#include "cli/context.h"
#include "cli/layout.h"
#include "steps/kinds.h"

namespace attune::cli {
namespace {

// One invitation per step: what it is about, in a few words, and where to begin.
constexpr std::array<std::string_view, steps::kStepCount> kInvitations = {
    "step 1 begins with a short quiz: `attune quiz`",
    "step 2 looks at your partner's style: `attune step 2`",
    "step 3 names your style's gifts and costs: `attune step 3`",
    "step 4 notes the moments that sting: `attune add trigger`",
    "step 5 finds the wound in your themes: `attune themes`",
    "step 6 traces a wound to its roots: `attune step 6`",
    "step 7 puts a need into words: `attune step 7`",
    "step 8 is about boundaries, held kindly: `attune step 8`",
    "step 9 is repair, together: `attune step 9`",
};

std::string Invitation(int step) {
  return "When you feel ready, " + std::string(kInvitations[step - 1]) + ".";
}

// The step the command added to, or 0 when it belongs to none.
int StepWrittenBy(const HintRequest& request) {
  if (request.command == "quiz") return 1;
  if (request.command == "statement") return 7;
  if (request.command == "restate") return 8;
  if (request.command == "add") {
    Result<const steps::KindInfo*> kind = steps::FindKind(request.kind);
    return kind.ok() ? (*kind)->step : 0;
  }
  return 0;
}

// The first unfinished step after `after`, else the first unfinished one at all.
std::optional<int> NextUnfinished(const std::vector<steps::StepProgress>& progress, int after) {
  for (const steps::StepProgress& step : progress) {
    if (step.step > after && !step.complete) return step.step;
  }
  return steps::SuggestedNextStep(progress);
}

bool QuietRequested() {
  const char* quiet = std::getenv("ATTUNE_QUIET");
  return quiet != nullptr && *quiet != '\0' && std::string_view(quiet) != "0";
}

bool JsonRequested(const CLI::App& ran) {
  const CLI::Option* json = ran.get_option_no_throw("--json");
  return json != nullptr && json->count() > 0;
}

std::string KindArgument(const CLI::App& ran) {
  const CLI::Option* kind = ran.get_option_no_throw("kind");
  if (kind == nullptr || kind->results().empty()) return "";
  return kind->results().front();
}

}  // namespace

bool CommandMayHint(const std::string& command) {
  static constexpr std::array<std::string_view, 9> kCommands = {
      "init", "add", "statement", "restate", "quiz", "respond", "import", "pair", "sync"};
  return std::find(kCommands.begin(), kCommands.end(), command) != kCommands.end();
}

std::optional<std::string> NextStepHint(const HintRequest& request,
                                        const std::vector<steps::StepProgress>& progress) {
  if (!CommandMayHint(request.command) || progress.size() != steps::kStepCount) {
    return std::nullopt;
  }
  if (request.command == "init") {
    return Invitation(1);
  }
  if (request.command == "pair") {
    return "When you feel ready, share what you choose, entry by entry: `attune share ID`.";
  }
  if (request.command == "sync") {
    return "`attune together` shows what the two of you share, in one timeline.";
  }
  const int written = StepWrittenBy(request);
  if (written > 0 && !progress[written - 1].complete) {
    return "Step " + std::to_string(written) + " so far: " + progress[written - 1].summary +
           ". There is no hurry.";
  }
  if (const std::optional<int> next = NextUnfinished(progress, written)) return Invitation(*next);
  return "Every step holds entries now. Come back to any of them whenever it helps.";
}

void MaybePrintHint(const Context& context, const CLI::App& ran) {
  const std::string& name = ran.get_name();
  if (!CommandMayHint(name) || JsonRequested(ran) || QuietRequested() || !StdoutIsTty()) return;
  Result<node::Home> home = context.ResolveHome();
  if (!home.ok()) return;
  Result<std::map<std::string, int>> counts = node::CountOwnEntriesByKind(*home);
  if (!counts.ok()) return;
  const std::optional<std::string> hint =
      NextStepHint({name, KindArgument(ran)}, steps::ComputeProgress(*counts));
  if (!hint) return;
  for (const std::string& line : Wrap(*hint, static_cast<size_t>(TerminalWidth()))) {
    std::cout << Dim(line) << "\n";
  }
  std::cout << std::flush;
}

}  // namespace attune::cli
