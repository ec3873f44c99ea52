// Step 7: need statements of the shape
//   "I feel FEELING when SITUATION. I feel loved and connected when NEED."
// and a gentle check of their phrasing. The check never refuses a statement:
// it points out wording that often lands as blame and offers another way to
// say it; the person decides.
//
// Pure functions, thread-safe, no I/O. Matching is on whole words, ignoring
// ASCII case (see steps/words.h for what counts as a word).
#ifndef ATTUNE_STEPS_STATEMENT_CHECK_H_
#define ATTUNE_STEPS_STATEMENT_CHECK_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace attune::steps {

// The three parts as they will appear in the composed statement: trimmed, with
// trailing periods removed, and with a typed lead-in removed so it is not
// doubled: "I feel" from feel, "when" from when, and "I feel loved and
// connected when" (or just "when") from need. An ASCII capital starting the
// feeling is lowercased when a lowercase letter follows ("Hurt" -> "hurt").
struct StatementParts {
  std::string feel;
  std::string when;
  std::string need;
};
StatementParts NormalizeStatementParts(std::string_view feel, std::string_view when,
                                       std::string_view need);

// kInvalidArgument if any part is empty after normalization; the detail names
// the part and gives an example of what could go there.
Status ValidateStatementParts(std::string_view feel, std::string_view when, std::string_view need);

// "I feel FEEL when WHEN. I feel loved and connected when NEED." from the
// normalized parts. Precondition: ValidateStatementParts(...) is ok (otherwise
// the sentence has gaps, but nothing fails).
std::string ComposeStatement(std::string_view feel, std::string_view when, std::string_view need);

struct PhrasingNote {
  std::string part;        // "feel", "when" or "need"
  std::string found;       // the phrase noticed, lowercase, e.g. "always", "i feel like"
  std::string why;         // a compassionate sentence on how it may land
  std::string suggestion;  // a concrete way to reword it
};

// Notes on phrasing, in part order (feel, when, need) and then in order of
// appearance; each phrase is noted at most once per part. Looks for:
//  - absolutes ("always", "never", "every time", "constantly", ...), any part;
//  - a thought dressed as a feeling ("I feel that/like/as if ..."), any part;
//    the feel part is read as if it began with "I feel";
//  - words naming what the partner did rather than a feeling ("ignored",
//    "rejected", ...; see PartnerActionWords()), in the feel part only,
//    since in the situation they are often plain description;
//  - blame ("you should", "you need to", "you make me", "your fault", ...), any part.
// An empty vector means nothing to point out; it is always empty when FindSafetyConcern finds
// something.
std::vector<PhrasingNote> CheckStatement(std::string_view feel, std::string_view when,
                                         std::string_view need);

// The single words the feel-part check looks for, lowercase.
std::span<const std::string_view> PartnerActionWords();

// Words of fear or threat aimed at the partner ("afraid of you", "threatened", "you hurt me"),
// anywhere in the three parts: the phrase found (lowercase), or "" for none. Feeling unsafe is
// not a phrasing problem, so when one is found CheckStatement suggests no rewording at all, and
// the caller says so kindly and points to support (never a diagnosis, never a judgement of the
// partner). Ordinary conflict ("I feel attacked when you criticise me") is not this.
std::string FindSafetyConcern(std::string_view feel, std::string_view when, std::string_view need);

}  // namespace attune::steps

#endif  // ATTUNE_STEPS_STATEMENT_CHECK_H_
