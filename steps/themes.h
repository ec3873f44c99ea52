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
  std::string id = {};  // the trigger's entry id, so that a wound can --link to it
};

struct ThemeCount {
  std::string term;
  int count = 0;  // how many triggers mention the term (each trigger counts once)
  std::vector<std::string> ids = {};  // those triggers' ids, in the order given

  bool operator==(const ThemeCount&) const = default;
};

struct Themes {
  std::vector<ThemeCount> feelings;  // feeling words (IsFeelingWord), at most kMaxThemeTerms
  std::vector<ThemeCount> tags;      // at most kMaxThemeTerms
  std::vector<ThemeCount> words;     // other words in two triggers or more, at most kMaxThemeTerms
};

// Counts, over all triggers, the tags (trimmed, ASCII-lowercased, empty ones
// skipped) and the words of the text (see SplitWords in steps/words.h: lowercase
// runs of letters and apostrophes), skipping stop and filler words and words
// with fewer than three letters. Words that name a feeling are grouped on their
// own; other words count only when two triggers or more share them (a word
// written once is no theme). A term counts once per trigger however often it
// repeats there, so the numbers read as "in N of your triggers". Each list is
// sorted by count, highest first, then by term, and cut to kMaxThemeTerms.
Themes ComputeThemes(const std::vector<TriggerText>& triggers);

// True for the built-in English stop and filler words ("i", "feel", "when",
// "the", "goes", "last", ...). word must already be lowercase.
bool IsStopWord(std::string_view word);

// True for the feeling words themes group on their own ("anxious", "hurt",
// "lonely", ...). word must already be lowercase.
bool IsFeelingWord(std::string_view word);

}  // namespace attune::steps

#endif  // ATTUNE_STEPS_THEMES_H_
