// The step-1 attachment self-assessment: eighteen gentle first-person
// statements about close relationships, answered on a 1-7 agreement scale and
// scored on the two dimensions attachment research uses, anxiety and
// avoidance. The result is a reflection aid for the journal, never a
// diagnosis or a validated score (see QuizDisclaimer()).
//
// Everything here is pure: no I/O, no globals that change. All functions are
// thread-safe. String views returned point into static storage and stay valid
// for the life of the program.
#ifndef ATTUNE_STEPS_QUIZ_H_
#define ATTUNE_STEPS_QUIZ_H_

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace attune::steps {

enum class Dimension { kAnxiety, kAvoidance };

// The four styles, in the fixed order used by QuizScore::blend_percent and
// for breaking ties.
enum class Style { kSecure = 0, kAnxious = 1, kDismissive = 2, kFearful = 3 };
inline constexpr int kStyleCount = 4;

inline constexpr int kMinAnswer = 1;  // strongly disagree
inline constexpr int kMaxAnswer = 7;  // strongly agree
inline constexpr int kQuizItemCount = 18;

struct QuizItem {
  int number;             // 1-based, the order in which items are asked
  std::string_view text;  // a first-person statement to agree or disagree with
  Dimension dimension;
  bool reverse_keyed;  // agreeing points *away* from the dimension; scored 8 - answer
};

// All items in asking order; size kQuizItemCount, nine per dimension, four of
// each nine reverse-keyed.
std::span<const QuizItem> QuizItems();

// The seven scale labels, index 0 = answer 1 ("strongly disagree") through
// index 6 = answer 7 ("strongly agree").
std::span<const std::string_view> AnswerScaleLabels();

// One line describing the scale, e.g. for a prompt header.
std::string_view AnswerScaleDescription();

// "secure", "anxious-preoccupied", "dismissive-avoidant", "fearful-avoidant".
std::string_view StyleDisplayName(Style style);
// "secure", "anxious", "dismissive", "fearful".
std::string_view StyleShortName(Style style);
// Two or three warm, non-diagnostic sentences about what the style often feels like.
std::string_view StyleSummary(Style style);
// Accepts a short or display name, case-insensitively; kInvalidArgument otherwise.
Result<Style> ParseStyle(std::string_view name);

struct QuizScore {
  double anxiety = 1.0;    // mean of the nine anxiety items after reverse keying, 1..7
  double avoidance = 1.0;  // mean of the nine avoidance items after reverse keying, 1..7
  // Indexed by static_cast<int>(Style); always sums to exactly 100.
  std::array<int, kStyleCount> blend_percent{};
  Style primary = Style::kSecure;
};

// Scores one full set of answers, answers[i] being the answer to item i + 1.
// kInvalidArgument if answers.size() != kQuizItemCount or any answer is outside
// kMinAnswer..kMaxAnswer (the detail names the first offending item).
//
// The blend places the person in the unit square (x = (avoidance - 1) / 6,
// y = (anxiety - 1) / 6) and gives each style the bilinear weight of its corner:
// secure (1-x)(1-y), anxious (1-x)y, dismissive x(1-y), fearful xy. Percentages
// use largest-remainder rounding, remainder ties going to the earlier style.
//
// primary is the style with the largest weight. On an exact tie (a score exactly
// at the midpoint 4) the earlier style in enum order wins, so a midpoint score
// counts as "low": secure before anxious before dismissive before fearful.
Result<QuizScore> ScoreQuiz(std::span<const int> answers);

// The blend computed from dimension scores directly (each clamped to 1..7).
// Exposed so a partner's stored scores can be re-blended the same way.
QuizScore BlendFromScores(double anxiety, double avoidance);

// E.g. "about 80% secure, 20% anxious": short names in descending percentage
// (ties in enum order), leaving out styles under 5% but always naming primary.
std::string DescribeBlend(const QuizScore& score);

// The fixed reminder shown with every quiz result.
std::string_view QuizDisclaimer();

struct ChartPoint {
  double anxiety = 4.0;    // 1..7; clamped, non-finite values drawn at 4
  double avoidance = 4.0;  // 1..7; clamped, non-finite values drawn at 4
  char marker = '*';       // printable ASCII, not a space; otherwise drawn as '?'
  std::string label;       // legend text; bytes outside printable ASCII become '?'
};

// A deterministic ASCII chart: anxiety up the side (high at top), avoidance
// along the bottom (high at right), the four quadrants labelled with short
// style names, midlines at 4, each point drawn with its marker, and a final
// legend line ("* me   o partner"). A cell shared by two or more points shows
// '#', and the legend then explains '#'.
//
// width and height count the plot cells inside the frame; they are clamped to
// 21..101 and 9..51 and rounded up to odd numbers so the midlines sit exactly
// at score 4. Lines end with '\n'. Later points are drawn over quadrant labels.
std::string RenderChart(const std::vector<ChartPoint>& points, int width, int height);

}  // namespace attune::steps

#endif  // ATTUNE_STEPS_QUIZ_H_
