#include "steps/boundary_check.h"

#include <algorithm>
#include <optional>
#include <string>

#include "steps/words.h"

namespace attune::steps {
namespace {

struct BoundaryRule {
  std::string_view phrase;  // lowercase words separated by single spaces
  std::string_view why;
  std::string_view suggestion;
};

constexpr std::string_view kDemandWhy =
    "A boundary that says what your partner must do is heard as a demand, and it leaves you "
    "waiting for them to change before you can feel safe.";
constexpr std::string_view kDemandSuggestion =
    "you might say what you will do instead, for example \"I will step away for twenty minutes "
    "and come back\"";

constexpr std::string_view kThreatWhy =
    "Words like \"or else\" turn a boundary into an ultimatum, which tends to frighten rather "
    "than reassure, even when you only mean to protect yourself.";
constexpr std::string_view kThreatSuggestion =
    "you might name what you will do to take care of yourself, and when you will come back to "
    "the two of you";

constexpr std::string_view kForeverWhy =
    "A boundary promised for always is hard to keep and easy to break; one that names the "
    "moment it is for is easier for both of you to trust.";
constexpr std::string_view kForeverSuggestion =
    "you might say when it applies, for example \"when a talk gets loud\"";

constexpr std::string_view kBlameWhy =
    "\"You make me\" hands your partner the responsibility for what you feel, which can sound "
    "like blame, and a boundary works best as something you hold for yourself.";
constexpr std::string_view kBlameSuggestion =
    "you might begin with what you notice in yourself, for example \"when I start to shut "
    "down\"";

constexpr BoundaryRule kRules[] = {
    {"you must", kDemandWhy, kDemandSuggestion},
    {"you have to", kDemandWhy, kDemandSuggestion},
    {"you need to", kDemandWhy, kDemandSuggestion},
    {"you should", kDemandWhy, kDemandSuggestion},
    {"you'd better", kDemandWhy, kDemandSuggestion},
    {"you are not allowed", kDemandWhy, kDemandSuggestion},
    {"or else", kThreatWhy, kThreatSuggestion},
    {"i will leave you", kThreatWhy, kThreatSuggestion},
    {"always", kForeverWhy, kForeverSuggestion},
    {"never", kForeverWhy, kForeverSuggestion},
    {"you make me", kBlameWhy, kBlameSuggestion},
};

std::optional<size_t> Find(const std::vector<std::string>& words, std::string_view phrase) {
  const std::vector<std::string> wanted = SplitWords(phrase);
  const auto found = std::search(words.begin(), words.end(), wanted.begin(), wanted.end());
  if (wanted.empty() || found == words.end()) return std::nullopt;
  return static_cast<size_t>(found - words.begin());
}

}  // namespace

std::vector<PhrasingNote> CheckBoundary(std::string_view text) {
  const std::vector<std::string> words = SplitWords(text);
  std::vector<std::pair<size_t, PhrasingNote>> found;
  for (const BoundaryRule& rule : kRules) {
    if (std::optional<size_t> at = Find(words, rule.phrase)) {
      found.push_back({*at, PhrasingNote{"boundary", std::string(rule.phrase),
                                         std::string(rule.why), std::string(rule.suggestion)}});
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<PhrasingNote> notes;
  for (auto& [position, note] : found) notes.push_back(std::move(note));
  return notes;
}

}  // namespace attune::steps
