#include "steps/themes.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "base/text_util.h"
#include "steps/words.h"

namespace attune::steps {
namespace {

// Function words, plus the words of the "I feel ... when ..." frame itself,
// which every trigger shares and so say nothing about its theme. Kept sorted
// for binary search (checked at compile time below).
constexpr std::string_view kStopWords[] = {
    "a",     "about", "after",   "again",    "all",   "also",    "am",       "an",      "and",
    "any",   "are",   "aren't",  "as",       "at",    "be",      "because",  "been",    "before",
    "being", "but",   "by",      "can",      "can't", "could",   "couldn't", "did",     "didn't",
    "do",    "does",  "doesn't", "doing",    "don't", "even",    "feel",     "feeling", "feelings",
    "feels", "felt",  "for",     "from",     "get",   "gets",    "getting",  "got",     "had",
    "has",   "have",  "having",  "he",       "her",   "here",    "him",      "his",     "how",
    "i",     "i'd",   "i'll",    "i'm",      "i've",  "if",      "in",       "into",    "is",
    "isn't", "it",    "it's",    "its",      "just",  "like",    "me",       "more",    "most",
    "much",  "my",    "myself",  "no",       "not",   "of",      "off",      "on",      "once",
    "one",   "only",  "or",      "other",    "our",   "out",     "over",     "really",  "she",
    "so",    "some",  "still",   "such",     "than",  "that",    "that's",   "the",     "their",
    "them",  "then",  "there",   "these",    "they",  "they're", "this",     "those",   "through",
    "to",    "too",   "up",      "us",       "very",  "was",     "wasn't",   "we",      "we're",
    "were",  "what",  "when",    "whenever", "where", "which",   "while",    "who",     "why",
    "will",  "with",  "won't",   "would",    "you",   "you're",  "your",     "yours",   "yourself",
};
static_assert(std::is_sorted(std::begin(kStopWords), std::end(kStopWords)));

int LetterCount(std::string_view word) {
  return static_cast<int>(
      std::count_if(word.begin(), word.end(), [](char c) { return c != '\''; }));
}

// The distinct theme words of one trigger.
std::set<std::string> WordsOf(std::string_view text) {
  std::set<std::string> words;
  for (std::string& word : SplitWords(text)) {
    if (LetterCount(word) >= 3 && !IsStopWord(word)) words.insert(std::move(word));
  }
  return words;
}

// The distinct normalized tags of one trigger.
std::set<std::string> TagsOf(const std::vector<std::string>& tags) {
  std::set<std::string> out;
  for (const std::string& tag : tags) {
    std::string normalized = ToLower(Trim(tag));
    if (!normalized.empty()) out.insert(std::move(normalized));
  }
  return out;
}

std::vector<ThemeCount> TopTerms(const std::map<std::string, int>& counts) {
  std::vector<ThemeCount> terms;
  terms.reserve(counts.size());
  for (const auto& [term, count] : counts) terms.push_back({term, count});
  // The map is ordered by term, so a stable sort by count keeps term order on ties.
  std::stable_sort(terms.begin(), terms.end(),
                   [](const ThemeCount& a, const ThemeCount& b) { return a.count > b.count; });
  if (terms.size() > static_cast<size_t>(kMaxThemeTerms)) terms.resize(kMaxThemeTerms);
  return terms;
}

}  // namespace

bool IsStopWord(std::string_view word) {
  return std::binary_search(std::begin(kStopWords), std::end(kStopWords), word);
}

Themes ComputeThemes(const std::vector<TriggerText>& triggers) {
  std::map<std::string, int> tag_counts;
  std::map<std::string, int> word_counts;
  for (const TriggerText& trigger : triggers) {
    for (const std::string& tag : TagsOf(trigger.tags)) ++tag_counts[tag];
    for (const std::string& word : WordsOf(trigger.text)) ++word_counts[word];
  }
  return {TopTerms(tag_counts), TopTerms(word_counts)};
}

}  // namespace attune::steps
