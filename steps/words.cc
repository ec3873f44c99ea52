#include "steps/words.h"

#include <utility>

namespace attune::steps {
namespace {

char LowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool IsWordByte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'' || byte >= 0x80;
}

// Typed text often carries typographic punctuation: folding the curly
// apostrophes to '\'' lets "don’t" and "don't" be the same word, and turning
// the rest of the General Punctuation block (curly quotes, dashes, ellipsis),
// the no-break space and the Spanish/French marks into spaces keeps them from
// gluing onto a word as if they were letters.
std::string NormalizePunctuation(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const std::string_view rest = text.substr(i);
    if (rest.starts_with("\xE2\x80\x98") || rest.starts_with("\xE2\x80\x99")) {
      out.push_back('\'');
      i += 2;
    } else if (rest.size() >= 3 && (rest.starts_with("\xE2\x80") || rest.starts_with("\xE2\x81"))) {
      out.push_back(' ');
      i += 2;
    } else if (rest.starts_with("\xC2\xA0") || rest.starts_with("\xC2\xA1") ||
               rest.starts_with("\xC2\xAB") || rest.starts_with("\xC2\xBB") ||
               rest.starts_with("\xC2\xBF")) {
      out.push_back(' ');
      i += 1;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

void AddWord(std::string word, std::vector<std::string>& words) {
  const size_t first = word.find_first_not_of('\'');
  if (first == std::string::npos) return;
  const size_t last = word.find_last_not_of('\'');
  words.push_back(word.substr(first, last - first + 1));
}

}  // namespace

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (LowerAscii(text[i]) != LowerAscii(prefix[i])) return false;
  }
  return true;
}

std::vector<std::string> SplitWords(std::string_view text) {
  const std::string folded = NormalizePunctuation(text);
  std::vector<std::string> words;
  std::string current;
  for (char c : folded) {
    if (IsWordByte(c)) {
      current.push_back(LowerAscii(c));
    } else if (!current.empty()) {
      AddWord(std::move(current), words);
      current.clear();
    }
  }
  if (!current.empty()) AddWord(std::move(current), words);
  return words;
}

}  // namespace attune::steps
