#include "cli/steps_view.h"

#include <algorithm>
#include <iostream>

#include "cli/console.h"
#include "cli/layout.h"

namespace attune::cli {
namespace {

constexpr size_t kMarkWidth = 7;       // "[x] 1. "
constexpr size_t kMinTitleWidth = 20;  // narrower than this, the progress goes below the title

}  // namespace

void PrintStepsTable(const std::vector<node::StepProgress>& progress,
                     const std::string& partner_line) {
  const size_t width = static_cast<size_t>(TerminalWidth());
  size_t title_width = 0, summary_width = 0;
  for (const node::StepGuide& step : node::AllSteps()) {
    title_width = std::max(title_width, DisplayWidth(step.title));
  }
  for (const node::StepProgress& step : progress) {
    summary_width = std::max(summary_width, DisplayWidth(step.summary));
  }
  const size_t room =
      width > kMarkWidth + 2 + summary_width ? width - kMarkWidth - 2 - summary_width : 0;
  title_width = std::min(title_width, room);
  const bool side_by_side = title_width >= kMinTitleWidth;
  const std::string indent(kMarkWidth, ' ');
  for (const node::StepProgress& step : progress) {
    const char* mark = step.complete ? "[x] " : (step.started ? "[~] " : "[ ] ");
    const std::string first = mark + std::to_string(step.step) + ". ";
    const std::string_view title = node::AllSteps()[step.step - 1].title;
    if (side_by_side) {
      const std::vector<std::string> titles = Wrap(title, title_width);
      const std::vector<std::string> summaries =
          Wrap(step.summary, width - kMarkWidth - title_width - 2);
      for (size_t i = 0; i < std::max(titles.size(), summaries.size()); ++i) {
        const std::string line_title = i < titles.size() ? titles[i] : "";
        std::cout << (i == 0 ? first : indent);
        if (i >= summaries.size()) {
          std::cout << Bold(line_title) << "\n";
          continue;
        }
        std::cout << Bold(line_title)
                  << std::string(title_width + 2 - DisplayWidth(line_title), ' ') << summaries[i]
                  << "\n";
      }
    } else {
      const std::vector<std::string> titles = Wrap(title, width - kMarkWidth);
      for (size_t i = 0; i < titles.size(); ++i) {
        std::cout << (i == 0 ? first : indent) << Bold(titles[i]) << "\n";
      }
      std::cout << Paragraph(step.summary, width, indent, indent);
    }
    if (step.step == 2 && !partner_line.empty()) {
      std::cout << Paragraph(partner_line, width, indent, indent);
    }
  }
}

void PrintNextStep(const node::StepProgress& step) {
  const size_t width = static_cast<size_t>(TerminalWidth());
  std::cout << "\nA next step, when you are ready:\n";
  for (const std::string& line : WrapCommand(step.next_action, width - 4)) {
    std::cout << "    " << line << "\n";
  }
  std::cout << "(`attune step " << step.step << "` has guidance and prompts.)\n";
}

nlohmann::json StepJson(const node::StepGuide& step) {
  nlohmann::json prompts = nlohmann::json::array();
  for (std::string_view prompt : step.prompts) prompts.push_back(prompt);
  nlohmann::json kinds = nlohmann::json::array();
  for (std::string_view kind : step.kinds) kinds.push_back(kind);
  return {{"step", step.number}, {"title", step.title}, {"guidance", step.guidance},
          {"prompts", prompts},  {"kinds", kinds},      {"support", node::SupportNote()}};
}

void PrintStep(const node::StepGuide& step) {
  const size_t width = static_cast<size_t>(TerminalWidth());
  const std::string heading =
      "Step " + std::to_string(step.number) + ": " + std::string(step.title);
  for (const std::string& line : Wrap(heading, width)) std::cout << Bold(line) << "\n";
  std::cout << "\n" << Paragraph(step.guidance, width, "", "") << "\nPrompts to write from:\n";
  for (std::string_view prompt : step.prompts)
    std::cout << Paragraph(prompt, width, "  - ", "    ");
  // The commands are never broken: on one line if they fit, else one per line.
  std::string entries = "Entries for this step:";
  for (std::string_view kind : step.kinds) entries += " `attune add " + std::string(kind) + "`";
  if (DisplayWidth(entries) > width) {
    entries = "Entries for this step:";
    for (std::string_view kind : step.kinds)
      entries += "\n  `attune add " + std::string(kind) + "`";
  }
  std::cout << "\n" << entries << "\n\n" << Paragraph(node::SupportNote(), width, "", "");
}

}  // namespace attune::cli
