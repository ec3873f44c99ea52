// How hard a new passphrase would be to guess, as the zxcvbn estimator sees it (Debian's
// libzxcvbn: dictionaries of common passwords, words and names, keyboard patterns, sequences,
// repeats and dates). An estimate, not a guarantee; cli turns it into words and asks on a
// terminal before a weak one is used.
#ifndef ATTUNE_NODE_PASSPHRASE_STRENGTH_H_
#define ATTUNE_NODE_PASSPHRASE_STRENGTH_H_

#include <string>
#include <vector>

#include "node/secret.h"

namespace attune::node {

// What made a passphrase easier to guess, for advice; each named at most once, in this order.
enum class StrengthHint {
  kCommonWord,       // a word or password from the estimator's dictionaries
  kSubstitutions,    // ... with predictable substitutions ("p@ssw0rd")
  kPersonalWord,     // the journal's name, or "attune"
  kRepeats,          // "aaaa", "abcabc"
  kSequence,         // "abcd", "1234"
  kKeyboardPattern,  // "qwerty", "zxcvbn"
  kDate,             // a date or a recent year
};

struct PassphraseStrength {
  // log10 of the guesses the estimator expects an attacker to need.
  double guesses_log10 = 0;
  // zxcvbn's scale: 0 (under 10^3 guesses), 1 (10^6), 2 (10^8), 3 (10^10), 4 (more).
  int score = 0;
  std::vector<StrengthHint> hints;
  // Below 10^10 guesses: a copied journal could be opened by a patient attacker despite
  // Argon2id (docs/security.md, "A weak passphrase").
  bool weak() const { return score < 4; }
};

// `personal_words`: words that belong to this person (the name the journal goes by).
// The passphrase is handed to libzxcvbn, whose working copies are not in secure memory.
PassphraseStrength EstimatePassphraseStrength(const Secret& passphrase,
                                              const std::vector<std::string>& personal_words);

}  // namespace attune::node

#endif  // ATTUNE_NODE_PASSPHRASE_STRENGTH_H_
