// Small string helpers for user-typed text (ASCII case folding only: names and words outside
// ASCII are compared as typed).
#ifndef ATTUNE_BASE_TEXT_UTIL_H_
#define ATTUNE_BASE_TEXT_UTIL_H_

#include <algorithm>
#include <string>
#include <string_view>

namespace attune {

inline std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

inline std::string ToLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

}  // namespace attune

#endif  // ATTUNE_BASE_TEXT_UTIL_H_
