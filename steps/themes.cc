#include "steps/themes.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "base/text_util.h"
#include "steps/words.h"

namespace attune::steps {
namespace {

// Function words, the words of the "I feel ... when ..." frame itself (which every
// trigger shares), and filler that names no theme ("goes", "last", "thing"). Kept
// sorted for binary search (checked at compile time below).
constexpr std::string_view kStopWords[] = {
    "a",       "about",      "after",   "again",    "all",      "also",     "always",   "am",
    "an",      "and",        "any",     "anything", "are",      "aren't",   "around",   "as",
    "at",      "back",       "be",      "because",  "been",     "before",   "being",    "bit",
    "but",     "by",         "came",    "can",      "can't",    "come",     "comes",    "coming",
    "could",   "couldn't",   "day",     "days",     "did",      "didn't",   "do",       "does",
    "doesn't", "doing",      "don't",   "end",      "ended",    "ends",     "even",     "ever",
    "every",   "everything", "feel",    "feeling",  "feelings", "feels",    "felt",     "first",
    "for",     "from",       "get",     "gets",     "getting",  "go",       "goes",     "going",
    "gone",    "got",        "had",     "has",      "have",     "having",   "he",       "her",
    "here",    "him",        "his",     "how",      "i",        "i'd",      "i'll",     "i'm",
    "i've",    "if",         "in",      "into",     "is",       "isn't",    "it",       "it's",
    "its",     "just",       "keep",    "keeps",    "kept",     "kind",     "knew",     "know",
    "last",    "let",        "lets",    "like",     "lot",      "made",     "make",     "makes",
    "making",  "me",         "more",    "most",     "much",     "my",       "myself",   "never",
    "next",    "no",         "not",     "nothing",  "now",      "of",       "off",      "on",
    "once",    "one",        "only",    "or",       "other",    "our",      "out",      "over",
    "put",     "puts",       "really",  "said",     "say",      "saying",   "says",     "seem",
    "seemed",  "seems",      "she",     "so",       "some",     "somebody", "someone",  "something",
    "sort",    "start",      "started", "starts",   "still",    "such",     "take",     "takes",
    "tell",    "tells",      "than",    "that",     "that's",   "the",      "their",    "them",
    "then",    "there",      "these",   "they",     "they're",  "thing",    "things",   "think",
    "thinks",  "this",       "those",   "thought",  "through",  "time",     "times",    "to",
    "today",   "told",       "too",     "took",     "tried",    "tries",    "try",      "up",
    "us",      "very",       "want",    "wanted",   "wants",    "was",      "wasn't",   "way",
    "we",      "we're",      "week",    "went",     "were",     "what",     "when",     "whenever",
    "where",   "which",      "while",   "who",      "why",      "will",     "with",     "won't",
    "would",   "yesterday",  "you",     "you're",   "your",     "yours",    "yourself",
};
static_assert(std::is_sorted(std::begin(kStopWords), std::end(kStopWords)));

// Words that name a feeling, grouped on their own so that what a person keeps
// feeling stands out. Kept sorted for binary search.
constexpr std::string_view kFeelingWords[] = {
    "abandoned", "afraid",       "alone",     "angry",       "anxious",     "ashamed",
    "confused",  "disappointed", "dismissed", "embarrassed", "exhausted",   "frustrated",
    "guilty",    "helpless",     "hopeless",  "hurt",        "ignored",     "inadequate",
    "insecure",  "invisible",    "jealous",   "lonely",      "lost",        "nervous",
    "numb",      "overwhelmed",  "panicked",  "panicky",     "rejected",    "resentful",
    "sad",       "scared",       "small",     "stressed",    "stupid",      "tense",
    "terrified", "trapped",      "uneasy",    "unheard",     "unimportant", "unloved",
    "unsafe",    "unseen",       "unwanted",  "upset",       "useless",     "vulnerable",
    "worried",   "worthless",
};
static_assert(std::is_sorted(std::begin(kFeelingWords), std::end(kFeelingWords)));

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

using TermTriggers = std::map<std::string, std::vector<std::string>>;  // term -> trigger ids

std::vector<ThemeCount> TopTerms(const TermTriggers& counts, int at_least = 1) {
  std::vector<ThemeCount> terms;
  terms.reserve(counts.size());
  for (const auto& [term, ids] : counts) {
    const int count = static_cast<int>(ids.size());
    if (count >= at_least) terms.push_back({term, count, ids});
  }
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

bool IsFeelingWord(std::string_view word) {
  return std::binary_search(std::begin(kFeelingWords), std::end(kFeelingWords), word);
}

Themes ComputeThemes(const std::vector<TriggerText>& triggers) {
  TermTriggers feelings, tags, words;
  for (const TriggerText& trigger : triggers) {
    for (const std::string& tag : TagsOf(trigger.tags)) tags[tag].push_back(trigger.id);
    for (const std::string& word : WordsOf(trigger.text)) {
      (IsFeelingWord(word) ? feelings : words)[word].push_back(trigger.id);
    }
  }
  // A word written once is no theme; a feeling or a tag named once still says something.
  return {TopTerms(feelings), TopTerms(tags), TopTerms(words, /*at_least=*/2)};
}

}  // namespace attune::steps
