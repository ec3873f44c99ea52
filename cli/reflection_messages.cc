#include "cli/reflection_messages.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>
#include <vector>

#include "base/text_util.h"
#include "cli/console.h"
#include "cli/layout.h"
#include "steps/steps_guide.h"

namespace attune::cli {

std::string StatementNotesText(const std::vector<steps::PhrasingNote>& notes,
                               const std::string& id) {
  if (notes.empty()) return "";
  std::ostringstream out;
  out << "\nSaved as written. A few gentle thoughts, in case they help the words land:\n";
  for (const auto& note : notes) {
    std::string suggestion = note.suggestion;
    if (!suggestion.empty()) suggestion[0] = static_cast<char>(std::toupper(suggestion[0]));
    out << "  - \"" << note.found << "\": " << note.why << " " << suggestion << ".\n";
  }
  out << "You can reword a part any time with `attune statement --edit " << id.substr(0, 8)
      << " --feel ...` (or --when, --need).\n";
  return out.str();
}

std::string RestatedText(size_t count) {
  return "Noted. This boundary has been restated " +
         (count == 1 ? std::string("once") : std::to_string(count) + " times") +
         ". Holding a boundary kindly and more than once is part of the work.\n";
}

std::optional<int> ParseQuizAnswer(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  if (trimmed.size() != 1 || trimmed[0] < '0' + steps::kMinAnswer ||
      trimmed[0] > '0' + steps::kMaxAnswer) {
    return std::nullopt;
  }
  return trimmed[0] - '0';
}

Result<std::vector<int>> ReadQuizAnswers(const std::string& input) {
  std::vector<int> answers;
  std::istringstream lines(input);
  std::string line;
  while (std::getline(lines, line)) {
    if (Trim(line).empty()) continue;
    std::optional<int> answer = ParseQuizAnswer(line);
    if (!answer) {
      return Status::InvalidArgument("answer " + std::to_string(answers.size() + 1) + " is \"" +
                                     std::string(Trim(line)).substr(0, 20) +
                                     "\"; each answer is a whole number from 1 to 7");
    }
    answers.push_back(*answer);
  }
  if (answers.size() != static_cast<size_t>(steps::kQuizItemCount)) {
    return Status::InvalidArgument("the quiz has " + std::to_string(steps::kQuizItemCount) +
                                   " items, one answer per line, but " +
                                   std::to_string(answers.size()) + " answers were given");
  }
  return answers;
}

std::string SafetyConcernSentence() {
  return "What you wrote speaks of feeling afraid or unsafe with your partner. That is not a "
         "problem of phrasing, and attune suggests no other words for it. Sharing this "
         "statement is entirely your choice: it stays private unless you share it.";
}

std::string SafetyConcernText() {
  const size_t width = static_cast<size_t>(TerminalWidth());
  return "\n" + Paragraph("Saved, in your own words. " + SafetyConcernSentence(), width, "", "") +
         "\n" + Paragraph(steps::SupportNote(), width, "", "");
}

std::string BlendMeaningText(const steps::QuizScore& score, size_t width) {
  std::vector<steps::Style> present;
  for (int i = 0; i < steps::kStyleCount; ++i) {
    if (score.blend_percent[i] > 0) present.push_back(static_cast<steps::Style>(i));
  }
  std::stable_sort(present.begin(), present.end(), [&](steps::Style a, steps::Style b) {
    return score.blend_percent[static_cast<int>(a)] > score.blend_percent[static_cast<int>(b)];
  });
  std::string text = "What each part of the blend often feels like:\n";
  for (steps::Style style : present) {
    const std::string share = std::to_string(score.blend_percent[static_cast<int>(style)]) + "%";
    text += Paragraph(std::string(steps::StyleDisplayName(style)) + " (" + share +
                          "): " + std::string(steps::StyleSummary(style)),
                      width, "  ", "    ");
  }
  return text;
}

std::string ScoreText(const steps::QuizScore& score, const std::string& chart) {
  char scores[96];
  std::snprintf(scores, sizeof scores, "Anxiety %.1f and avoidance %.1f (each from 1 to 7).\n",
                score.anxiety, score.avoidance);
  return std::string(scores) + "Your blend: " + Bold(steps::DescribeBlend(score)) + ".\n\n" +
         BlendMeaningText(score, static_cast<size_t>(TerminalWidth())) + "\n" + chart + "\n" +
         std::string(steps::QuizDisclaimer()) + "\n";
}

std::string NoStyleYetText() {
  return "No style result yet. `attune quiz` takes about five minutes.";
}

std::string StyleWrittenAsTextNote(size_t count) {
  const bool one = count == 1;
  return std::to_string(count) + (one ? " style entry was" : " style entries were") +
         " written as text rather than by the quiz, so " + (one ? "it has" : "they have") +
         " no scores to show here. " + (one ? "It stays" : "They stay") +
         " in your journal (`attune list --kind style`); `attune quiz` gives a result that "
         "`attune style` can show.";
}

std::string ThemesText(const steps::Themes& themes,
                       const std::map<std::string, std::string>& short_ids) {
  if (themes.feelings.empty() && themes.tags.empty() && themes.words.empty()) {
    return "No themes yet. When a moment stings, `attune add trigger` keeps it; themes show once "
           "a feeling, a tag or a word comes back.\n";
  }
  const auto ids_of = [&](const steps::ThemeCount& term) {
    std::string ids;
    for (const std::string& id : term.ids) {
      const auto found = short_ids.find(id);
      ids += " " + (found != short_ids.end() ? found->second : id.substr(0, 6));
    }
    return ids;
  };
  std::ostringstream out;
  out << "What recurs across your triggers (in how many of them, and which):\n";
  const auto group = [&](const char* heading, const std::vector<steps::ThemeCount>& terms,
                         const char* mark) {
    if (terms.empty()) return;
    out << "\n" << heading << "\n";
    for (const auto& term : terms) {
      out << "  " << mark << term.term << "  " << term.count << "   " << Dim(ids_of(term)) << "\n";
    }
  };
  group("Feelings", themes.feelings, "");
  group("Tags", themes.tags, "#");
  group("Words that come back", themes.words, "");
  out << "\nA theme that keeps returning may point to a wound (step 5). "
         "`attune add wound \"...\" --link ID` ties it to the triggers it explains.\n";
  return out.str();
}

}  // namespace attune::cli
