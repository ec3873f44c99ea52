// Themes across step-4 triggers: which tags and which words keep returning.
// Used in step 5 to help find the wound beneath several triggers.
//
// Pure and thread-safe; the caller passes decrypted trigger text in and gets
// counts out. Nothing is kept.
#ifndef ATTUNE_STEPS_THEMES_H_
#define ATTUNE_STEPS_THEMES_H_

#include <string>
#include <string_view>
#include <vector>

namespace attune::steps {

inline constexpr int kMaxThemeTerms = 10;

struct TriggerText {
  std::string text;
  std::vector<std::string> tags;
};

struct ThemeCount {
  std::string term;
  int count = 0;  // how many triggers mention the term (each trigger counts once)

  bool operator==(const ThemeCount&) const = default;
};

struct Themes {
  std::vector<ThemeCount> tags;   // at most kMaxThemeTerms
  std::vector<ThemeCount> words;  // at most kMaxThemeTerms
};

// Counts, over all triggers, the tags (trimmed, ASCII-lowercased, empty ones
// skipped) and the words of the text (see SplitWords in steps/words.h: lowercase
// runs of letters and apostrophes), skipping stop words and words with fewer
// than three letters. A term counts once per trigger however often it repeats
// there, so the numbers read as "in N of your triggers". Each list is sorted
// by count, highest first, then by term, and cut to kMaxThemeTerms.
Themes ComputeThemes(const std::vector<TriggerText>& triggers);

// True for the built-in English stop words ("i", "feel", "when", "the", ...).
// word must already be lowercase.
bool IsStopWord(std::string_view word);

}  // namespace attune::steps

#endif  // ATTUNE_STEPS_THEMES_H_
