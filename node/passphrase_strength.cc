#include "node/passphrase_strength.h"

#include <zxcvbn.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace attune::node {
namespace {

// zxcvbn's score thresholds, in log10 of guesses (its own, plus its small margin of 5 guesses,
// which makes no difference at these sizes).
int ScoreFor(double guesses_log10) {
  if (guesses_log10 < 3) return 0;
  if (guesses_log10 < 6) return 1;
  if (guesses_log10 < 8) return 2;
  if (guesses_log10 < 10) return 3;
  return 4;
}

std::optional<StrengthHint> HintFor(ZxcTypeMatch_t type) {
  switch (static_cast<ZxcTypeMatch_t>(type & ~MULTIPLE_MATCH)) {
    case DICTIONARY_MATCH:
      return StrengthHint::kCommonWord;
    case DICT_LEET_MATCH:
      return StrengthHint::kSubstitutions;
    case USER_MATCH:
    case USER_LEET_MATCH:
      return StrengthHint::kPersonalWord;
    case REPEATS_MATCH:
      return StrengthHint::kRepeats;
    case SEQUENCE_MATCH:
      return StrengthHint::kSequence;
    case SPATIAL_MATCH:
      return StrengthHint::kKeyboardPattern;
    case DATE_MATCH:
    case YEAR_MATCH:
      return StrengthHint::kDate;
    default:
      return std::nullopt;
  }
}

}  // namespace

PassphraseStrength EstimatePassphraseStrength(const Secret& passphrase,
                                              const std::vector<std::string>& personal_words) {
  // zxcvbn reads a C string: a copy with its terminating zero, in secure memory.
  Secret terminated(passphrase.size() + 1);
  std::copy(passphrase.span().begin(), passphrase.span().end(), terminated.data());
  std::vector<const char*> user_words;
  for (const std::string& word : personal_words) user_words.push_back(word.c_str());
  user_words.push_back("attune");
  user_words.push_back(nullptr);

  ZxcMatch_t* matches = nullptr;
  const double bits =
      ZxcvbnMatch(reinterpret_cast<const char*>(terminated.data()), user_words.data(), &matches);
  const std::unique_ptr<ZxcMatch_t, decltype(&ZxcvbnFreeInfo)> owned(matches, ZxcvbnFreeInfo);

  PassphraseStrength strength;
  strength.guesses_log10 = bits * std::log10(2.0);
  strength.score = ScoreFor(strength.guesses_log10);
  auto note = [&strength](std::optional<StrengthHint> hint) {
    if (hint &&
        std::find(strength.hints.begin(), strength.hints.end(), *hint) == strength.hints.end()) {
      strength.hints.push_back(*hint);
    }
  };
  for (const ZxcMatch_t* match = matches; match != nullptr; match = match->Next) {
    note(HintFor(match->Type));
    // zxcvbn marks a part that repeats an earlier one ("abcabc", "aaaa") with this flag.
    if (match->Type & MULTIPLE_MATCH) note(StrengthHint::kRepeats);
  }
  std::sort(strength.hints.begin(), strength.hints.end());
  return strength;
}

}  // namespace attune::node
