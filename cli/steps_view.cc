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

void PrintStepsTable(const std::vector<steps::StepProgress>& progress,
                     const std::string& partner_line,
                     const std::optional<PartnerProgress>& partner) {
  const size_t width = static_cast<size_t>(TerminalWidth());
  size_t title_width = 0, summary_width = 0;
  for (const steps::StepGuide& step : steps::AllSteps()) {
    title_width = std::max(title_width, DisplayWidth(step.title));
  }
  for (const steps::StepProgress& step : progress) {
    summary_width = std::max(summary_width, DisplayWidth(step.summary));
  }
  const size_t room =
      width > kMarkWidth + 2 + summary_width ? width - kMarkWidth - 2 - summary_width : 0;
  title_width = std::min(title_width, room);
  const bool side_by_side = title_width >= kMinTitleWidth;
  const std::string indent(kMarkWidth, ' ');
  for (const steps::StepProgress& step : progress) {
    const char* mark = step.complete ? "[x] " : (step.started ? "[~] " : "[ ] ");
    const std::string first = mark + std::to_string(step.step) + ". ";
    const std::string_view title = steps::AllSteps()[step.step - 1].title;
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
    if (partner && static_cast<size_t>(step.step) <= partner->steps.size()) {
      const steps::StepProgress& theirs = partner->steps[step.step - 1];
      if (theirs.started) {
        std::cout << Paragraph(PartnerStepLine(partner->name, theirs.summary), width, indent,
                               indent);
      }
    }
  }
}

std::string PartnerNewsLine(const std::string& name, size_t count) {
  return std::to_string(count) + (count == 1 ? " entry" : " entries") + " from " + name +
         " since you last looked: `attune together` shows them, marked [new].";
}

std::string PartnerStepLine(const std::string& name, const std::string& summary) {
  return name + " has shared: " + summary;
}

std::string PartnerStyleLine(const std::string& name, const std::string& blend) {
  return name + " shared their style result: " + blend +
         " (`attune style` shows you both on one chart)";
}

std::string PartnerStyleChartLine(const std::string& name, const std::string& blend) {
  return name + " shared: " + blend;
}

std::string SuggestedCommand(std::string_view kind) {
  // What to type to add toward a step: the quiz and the statement have commands of their own;
  // every other kind is `attune add` with a placeholder that shows what belongs there.
  struct Suggestion {
    std::string_view kind;
    std::string_view command;
  };
  static constexpr Suggestion kSuggestions[] = {
      {"style", "attune quiz"},
      {"partner-style",
       "attune add partner-style \"what I have learned about my partner's style\""},
      {"upside", "attune add upside \"one strength my style gives me\""},
      {"downside", "attune add downside \"one way my style makes closeness harder\""},
      {"trigger", "attune add trigger \"I feel ... when ...\""},
      {"wound", "attune add wound \"the tender place beneath my triggers\""},
      {"origin", "attune add origin \"where this wound began\""},
      {"need", "attune add need \"what this wound tells me I need\""},
      {"statement",
       "attune statement --feel \"a feeling\" --when \"a moment\" --need \"what helps\""},
      {"boundary", "attune add boundary \"what I will do to take care of myself\""},
      {"repair", "attune add repair \"a moment of repair between us\""},
  };
  if (kind.empty()) return "";
  for (const Suggestion& suggestion : kSuggestions) {
    if (suggestion.kind == kind) return std::string(suggestion.command);
  }
  return "attune add " + std::string(kind) + " \"...\"";
}

void PrintNextStep(const steps::StepProgress& step) {
  const size_t width = static_cast<size_t>(TerminalWidth());
  std::cout << "\nA next step, when you are ready:\n";
  for (const std::string& line : WrapCommand(SuggestedCommand(step.next_kind), width - 4)) {
    std::cout << "    " << line << "\n";
  }
  std::cout << "(`attune step " << step.step << "` has guidance and prompts.)\n";
}

nlohmann::json StepJson(const steps::StepGuide& step) {
  nlohmann::json prompts = nlohmann::json::array();
  for (std::string_view prompt : step.prompts) prompts.push_back(prompt);
  nlohmann::json kinds = nlohmann::json::array();
  for (const steps::KindGuide& kind : step.kinds) kinds.push_back(kind.name);
  return {{"step", step.number}, {"title", step.title}, {"guidance", step.guidance},
          {"prompts", prompts},  {"kinds", kinds},      {"support", steps::SupportLine()}};
}

void PrintStep(const steps::StepGuide& step) {
  const size_t width = static_cast<size_t>(TerminalWidth());
  const std::string heading =
      "Step " + std::to_string(step.number) + ": " + std::string(step.title);
  for (const std::string& line : Wrap(heading, width)) std::cout << Bold(line) << "\n";
  std::cout << "\n" << Paragraph(step.guidance, width, "", "") << "\nPrompts to write from:\n";
  for (std::string_view prompt : step.prompts)
    std::cout << Paragraph(prompt, width, "  - ", "    ");
  // The commands are never broken: on one line if they fit, else one per line.
  // A style result comes only from the quiz; every other kind is written with `attune add`.
  const auto command = [](std::string_view kind) {
    return kind == "style" ? std::string("`attune quiz`")
                           : "`attune add " + std::string(kind) + "`";
  };
  std::string entries = "Entries for this step:";
  for (const steps::KindGuide& kind : step.kinds) entries += " " + command(kind.name);
  if (DisplayWidth(entries) > width) {
    entries = "Entries for this step:";
    for (const steps::KindGuide& kind : step.kinds) entries += "\n  " + command(kind.name);
  }
  std::cout << "\n" << entries << "\n\n" << Paragraph(steps::SupportLine(), width, "", "");
}

}  // namespace attune::cli
