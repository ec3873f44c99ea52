// How `attune steps` and `attune step N` look: the nine steps as a table laid out for the
// terminal's width, and one step's guidance. Text goes to standard output.
#ifndef ATTUNE_CLI_STEPS_VIEW_H_
#define ATTUNE_CLI_STEPS_VIEW_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "steps/steps_guide.h"

namespace attune::cli {

// The nine steps as a table: the mark and the number, the title, and the progress in a column
// of its own. The progress column is as wide as the longest summary, so a summary is never
// broken; titles wrap within theirs. On a narrow terminal the progress goes under the title.
// `partner_line` (may be empty) goes under step 2. With `partner` (the partner's progress as
// what they shared shows it, and their name), a line under each step they have started.
struct PartnerProgress {
  std::string name;
  std::vector<steps::StepProgress> steps;
};
void PrintStepsTable(const std::vector<steps::StepProgress>& progress,
                     const std::string& partner_line,
                     const std::optional<PartnerProgress>& partner = std::nullopt);

// Below the steps: how many of the partner's entries are new since the person last looked.
std::string PartnerNewsLine(const std::string& name, size_t count);

// Under a step of `steps`: where the partner is in it, from what they shared.
std::string PartnerStepLine(const std::string& name, const std::string& summary);

// Under step 2 of `steps`, when the partner (`name`) shared a style result described as `blend`.
std::string PartnerStyleLine(const std::string& name, const std::string& blend);
// Above the chart of `style`, for the same.
std::string PartnerStyleChartLine(const std::string& name, const std::string& blend);

// The command that adds an entry of `kind` toward its step, with placeholders to replace
// ("attune quiz", "attune add upside \"one strength my style gives me\""); "" for no kind.
std::string SuggestedCommand(std::string_view kind);

// The suggested next action of `step` as a command to copy, never broken inside a word.
void PrintNextStep(const steps::StepProgress& step);

// One step's guidance, prompts and kinds, as text and as JSON.
void PrintStep(const steps::StepGuide& step);
nlohmann::json StepJson(const steps::StepGuide& step);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_STEPS_VIEW_H_
