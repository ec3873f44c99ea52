// Word-level helpers for the node content code (statement checks, themes).
// Internal to node/; Trim and ToLower live in node/text_util.h.
//
// ASCII-only case folding on purpose: the journal's own vocabulary (the
// phrase lists, stop words) is ASCII, and bytes of other scripts pass through
// unchanged rather than being guessed at. Pure and thread-safe.
#ifndef ATTUNE_STEPS_WORDS_H_
#define ATTUNE_STEPS_WORDS_H_

#include <string>
#include <string_view>
#include <vector>

namespace attune::steps {

// True if text starts with prefix, ignoring ASCII case.
bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix);

// The words of text, lowercased: maximal runs of letters and apostrophes
// (bytes >= 0x80 count as letters so other scripts stay whole). The curly
// apostrophes U+2018/U+2019 count as '\''; the rest of U+2000..U+207F (curly
// quotes, dashes, ellipsis) and U+00A0, U+00A1, U+00AB, U+00BB, U+00BF count as
// spaces. Apostrophes at either end of a word are dropped, and so are words
// left empty.
std::vector<std::string> SplitWords(std::string_view text);

}  // namespace attune::steps

#endif  // ATTUNE_STEPS_WORDS_H_
