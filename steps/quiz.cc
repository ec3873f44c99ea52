#include "steps/quiz.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "base/text_util.h"

namespace attune::steps {
namespace {

using enum Dimension;

// Written for attune. Items alternate between the dimensions so that neither
// sits in one long block, and the reverse-keyed ones are spread through the
// list so that agreeing with everything does not read as a style.
constexpr QuizItem kItems[kQuizItemCount] = {
    {1,
     "When my partner takes a while to reply, I start wondering whether something has gone wrong "
     "between us.",
     kAnxiety, false},
    {2, "I would rather sort out my feelings on my own than bring them to my partner.", kAvoidance,
     false},
    {3, "I keep an eye out for small signs that my partner might be drifting away.", kAnxiety,
     false},
    {4, "On a hard day, reaching out to my partner is one of the first things I do.", kAvoidance,
     true},
    {5, "When we disagree, I still trust that my partner's care for me is steady.", kAnxiety, true},
    {6, "When closeness deepens quickly, I notice an urge to make some space.", kAvoidance, false},
    {7,
     "I find it hard to settle until my partner shows me, in words or actions, that we are okay.",
     kAnxiety, false},
    {8, "I am glad when my partner leans on me for comfort.", kAvoidance, true},
    {9, "When my partner wants time to themselves, I can give it without feeling uneasy.", kAnxiety,
     true},
    {10, "Relying on my partner for things that matter to me makes me uneasy.", kAvoidance, false},
    {11, "A small shift in my partner's mood can leave me unsettled for hours.", kAnxiety, false},
    {12, "Letting my partner see what is going on inside me comes fairly easily.", kAvoidance,
     true},
    {13, "Most days I feel settled about where our relationship is heading.", kAnxiety, true},
    {14,
     "When my partner is upset and wants to talk, part of me wants to change the subject or leave "
     "the room.",
     kAvoidance, false},
    {15, "When we are apart, I find myself replaying our last conversation for signs of trouble.",
     kAnxiety, false},
    {16, "After an argument, I would rather move toward my partner than wait it out alone.",
     kAvoidance, true},
    {17, "I believe I am worth loving, even when my partner is busy or distracted.", kAnxiety,
     true},
    {18, "I keep some parts of my inner life to myself, even with the person closest to me.",
     kAvoidance, false},
};

constexpr std::string_view kScaleLabels[] = {
    "strongly disagree", "disagree", "slightly disagree", "neither agree nor disagree",
    "slightly agree",    "agree",    "strongly agree",
};

struct StyleNames {
  std::string_view display;
  std::string_view short_name;
  std::string_view summary;
};

constexpr StyleNames kStyleNames[kStyleCount] = {
    {"secure", "secure",
     "Closeness and independence both tend to feel fairly safe. Hard moments still hurt; a secure "
     "leaning simply means there is often a steadier place to come back to."},
    {"anxious-preoccupied", "anxious",
     "Connection matters deeply, and distance or silence can feel alarming. The longing to be "
     "close is a strength; the gentle work is soothing the alarm so the longing can be heard."},
    {"dismissive-avoidant", "dismissive",
     "Standing on your own often feels like the safest place to be, and closeness can feel like "
     "pressure. That independence is a real strength; the gentle work is letting someone in a "
     "little at a time."},
    {"fearful-avoidant", "fearful",
     "Closeness can be wished for and feared at the same time, like being pulled two ways at "
     "once. That push and pull makes sense given what was learned early on, and it can soften "
     "with patience."},
};

const StyleNames& NamesOf(Style style) {
  return kStyleNames[static_cast<int>(style)];
}

// Largest-remainder (Hamilton) rounding: floor every share, then hand the
// missing points to the largest fractional parts. Floating error can only move
// a share by a hair across an integer, which this method absorbs, so the total
// is exactly 100 for any weights that sum to about 1.
std::array<int, kStyleCount> RoundToPercent(const std::array<double, kStyleCount>& weights) {
  std::array<int, kStyleCount> percent{};
  std::array<double, kStyleCount> remainder{};
  int assigned = 0;
  for (int i = 0; i < kStyleCount; ++i) {
    double scaled = std::clamp(weights[i], 0.0, 1.0) * 100.0;
    percent[i] = static_cast<int>(std::floor(scaled));
    remainder[i] = scaled - percent[i];
    assigned += percent[i];
  }
  std::array<int, kStyleCount> order{};
  std::iota(order.begin(), order.end(), 0);
  // stable_sort keeps enum order among equal remainders: the documented tie rule.
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return remainder[a] > remainder[b]; });
  for (int k = 0; assigned < 100; ++k, ++assigned) ++percent[order[k % kStyleCount]];
  return percent;
}

double ClampScore(double score) {
  if (!std::isfinite(score)) return 4.0;
  return std::clamp(score, static_cast<double>(kMinAnswer), static_cast<double>(kMaxAnswer));
}

}  // namespace

std::span<const QuizItem> QuizItems() {
  return kItems;
}

std::span<const std::string_view> AnswerScaleLabels() {
  return kScaleLabels;
}

std::string_view AnswerScaleDescription() {
  return "Answer each statement from 1 to 7: 1 = strongly disagree, 4 = neither agree nor "
         "disagree, 7 = strongly agree. There are no right or wrong answers.";
}

std::string_view StyleDisplayName(Style style) {
  return NamesOf(style).display;
}
std::string_view StyleShortName(Style style) {
  return NamesOf(style).short_name;
}
std::string_view StyleSummary(Style style) {
  return NamesOf(style).summary;
}

Result<Style> ParseStyle(std::string_view name) {
  std::string wanted = ToLower(Trim(name));
  for (int i = 0; i < kStyleCount; ++i) {
    if (wanted == kStyleNames[i].display || wanted == kStyleNames[i].short_name) {
      return static_cast<Style>(i);
    }
  }
  return Status::InvalidArgument(
      "unknown attachment style; expected secure, anxious, dismissive or fearful");
}

QuizScore BlendFromScores(double anxiety, double avoidance) {
  QuizScore score;
  score.anxiety = ClampScore(anxiety);
  score.avoidance = ClampScore(avoidance);
  const double x = (score.avoidance - 1.0) / 6.0;
  const double y = (score.anxiety - 1.0) / 6.0;
  const std::array<double, kStyleCount> weights = {(1 - x) * (1 - y), (1 - x) * y, x * (1 - y),
                                                   x * y};
  score.blend_percent = RoundToPercent(weights);
  // max_element returns the first of equal maxima: the documented tie rule.
  score.primary =
      static_cast<Style>(std::max_element(weights.begin(), weights.end()) - weights.begin());
  return score;
}

Result<QuizScore> ScoreQuiz(std::span<const int> answers) {
  if (answers.size() != static_cast<size_t>(kQuizItemCount)) {
    return Status::InvalidArgument("expected " + std::to_string(kQuizItemCount) + " answers, got " +
                                   std::to_string(answers.size()));
  }
  double anxiety_sum = 0;
  double avoidance_sum = 0;
  int anxiety_items = 0;
  int avoidance_items = 0;
  for (const QuizItem& item : kItems) {
    const int answer = answers[item.number - 1];
    if (answer < kMinAnswer || answer > kMaxAnswer) {
      return Status::InvalidArgument("item " + std::to_string(item.number) + ": answer " +
                                     std::to_string(answer) +
                                     " is outside 1 to 7 (1 = strongly disagree, 7 = strongly "
                                     "agree)");
    }
    const int keyed = item.reverse_keyed ? (kMinAnswer + kMaxAnswer) - answer : answer;
    if (item.dimension == kAnxiety) {
      anxiety_sum += keyed;
      ++anxiety_items;
    } else {
      avoidance_sum += keyed;
      ++avoidance_items;
    }
  }
  return BlendFromScores(anxiety_sum / anxiety_items, avoidance_sum / avoidance_items);
}

std::string DescribeBlend(const QuizScore& score) {
  constexpr int kSmallestNamedPercent = 5;
  std::array<int, kStyleCount> order{};
  std::iota(order.begin(), order.end(), 0);
  const int primary = static_cast<int>(score.primary);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    if (score.blend_percent[a] != score.blend_percent[b]) {
      return score.blend_percent[a] > score.blend_percent[b];
    }
    return a == primary && b != primary;
  });
  std::string out = "about ";
  bool first = true;
  for (int i : order) {
    if (i != primary && score.blend_percent[i] < kSmallestNamedPercent) continue;
    if (!first) out += ", ";
    out += std::to_string(score.blend_percent[i]) + "% ";
    out += StyleShortName(static_cast<Style>(i));
    first = false;
  }
  return out;
}

std::string_view QuizDisclaimer() {
  return "This blend is a reflection aid for your journal, not a diagnosis and not a validated "
         "psychological score. Attachment styles are ways of coping that were learned for good "
         "reasons, and they can change over time and from one relationship to another. If you "
         "would like support in exploring yours, a trained psychotherapist can help.";
}

}  // namespace attune::steps
