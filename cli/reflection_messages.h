// What the guided commands say in words: a statement's phrasing notes, a boundary's restatement
// count, the quiz's answers and result, an empty style or themes. The commands print these;
// tests/cli/reflection_messages_test.cc owns the wording, the e2e tests check the outcomes.
#ifndef ATTUNE_CLI_REFLECTION_MESSAGES_H_
#define ATTUNE_CLI_REFLECTION_MESSAGES_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "steps/quiz.h"
#include "steps/statement_check.h"
#include "steps/themes.h"

namespace attune::cli {

// The notes after a statement saved as written, and how to reword it; "" when there are none.
std::string StatementNotesText(const std::vector<steps::PhrasingNote>& notes,
                               const std::string& id);

// After `boundary restate`: how many times the boundary has been restated, `count` >= 1.
std::string RestatedText(size_t count);

// One quiz answer; nullopt unless it is a whole number on the scale.
std::optional<int> ParseQuizAnswer(std::string_view text);
// The quiz's answers read from a pipe, one a line; blank lines are skipped. Refuses, naming
// the first answer off the scale, or the count when it is not the quiz's.
Result<std::vector<int>> ReadQuizAnswers(const std::string& input);

// After a statement whose words speak of fear of the partner (steps::FindSafetyConcern): that
// it is not a phrasing problem and sharing is optional (SafetyConcernSentence, also the page's),
// then the support note in full.
std::string SafetyConcernSentence();
std::string SafetyConcernText();

// What each style in the blend (largest share first, those above 0%) often feels like, in the
// quiz's own warm words (steps::StyleSummary), wrapped to `width`.
std::string BlendMeaningText(const steps::QuizScore& score, size_t width);

// The quiz's result in words, around `chart` (the picture of the two scores).
std::string ScoreText(const steps::QuizScore& score, const std::string& chart);

// `style` before any quiz.
std::string NoStyleYetText();

// `style`, when `count` style entries were written as text (before attune refused that): they
// have no scores, so they are left out.
std::string StyleWrittenAsTextNote(size_t count);

// `themes`: what recurs across the triggers, or what to do when there are none yet.
// Grouped as feelings, tags and other words, each with the short ids of its triggers for
// `attune add wound "..." --link ID`.
std::string ThemesText(const steps::Themes& themes,
                       const std::map<std::string, std::string>& short_ids);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_REFLECTION_MESSAGES_H_
