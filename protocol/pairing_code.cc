#include "protocol/pairing_code.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "crypto/random.h"
#include "protocol/pairing_words_embedded.h"

namespace attune::protocol {
namespace {

// Words shorter than this must be typed in full; longer ones may be cut to this prefix.
constexpr size_t kUniquePrefixLetters = 5;

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t position = 0;
  while (position < text.size()) {
    while (position < text.size() &&
           (text[position] == '-' || std::isspace(static_cast<unsigned char>(text[position])))) {
      ++position;
    }
    size_t end = position;
    while (end < text.size() && text[end] != '-' &&
           !std::isspace(static_cast<unsigned char>(text[end]))) {
      ++end;
    }
    if (end > position) words.push_back(text.substr(position, end - position));
    position = end;
  }
  return words;
}

std::vector<std::string_view> ParseWordList() {
  std::string_view text = embedded::kPairingWordFiles[0].text;
  std::vector<std::string_view> words;
  words.reserve(2048);
  for (std::string_view word : SplitWords(text)) words.push_back(word);
  return words;
}

std::string Lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

Result<uint16_t> FindWord(std::string_view typed, size_t position) {
  const std::string word = Lowercase(typed);
  std::span<const std::string_view> list = PairingWords();
  auto found = std::lower_bound(list.begin(), list.end(), std::string_view(word));
  const bool exact = found != list.end() && *found == word;
  const bool by_prefix = !exact && word.size() >= kUniquePrefixLetters && found != list.end() &&
                         found->substr(0, word.size()) == word;
  if (!exact && !by_prefix) {
    static constexpr const char* kOrdinals[] = {"first", "second", "third"};
    return Status::InvalidArgument(std::string("the ") + kOrdinals[position % 3] +
                                   " word of the code is not one of attune's code words; check "
                                   "its spelling");
  }
  return static_cast<uint16_t>(found - list.begin());
}

Result<uint32_t> ParseChannel(std::string_view text) {
  uint32_t channel = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), channel);
  if (error != std::errc() || end != text.data() + text.size() || channel == 0 ||
      channel > kMaxChannel) {
    return Status::InvalidArgument("a pairing code starts with a number from 1 to " +
                                   std::to_string(kMaxChannel) + ", like 7-maple-lagoon-violet");
  }
  return channel;
}

}  // namespace

std::span<const std::string_view> PairingWords() {
  static const std::vector<std::string_view> words = ParseWordList();
  return words;
}

std::string PairingCode::ToString() const {
  std::string text = std::to_string(channel);
  std::span<const std::string_view> list = PairingWords();
  for (uint16_t word : words) {
    text += '-';
    text += list[word];
  }
  return text;
}

PairingCode NewPairingCode() {
  PairingCode code;
  code.channel = 1 + crypto::RandomUniform(kMaxChannel);
  const auto word_count = static_cast<uint32_t>(PairingWords().size());
  for (uint16_t& word : code.words) word = static_cast<uint16_t>(crypto::RandomUniform(word_count));
  return code;
}

Result<PairingCode> ParsePairingCode(std::string_view typed) {
  std::vector<std::string_view> parts = SplitWords(typed);
  if (parts.size() != 1 + kCodeWords) {
    return Status::InvalidArgument(
        "a pairing code is a number and three words, like 7-maple-lagoon-violet");
  }
  PairingCode code;
  ATTUNE_ASSIGN_OR_RETURN(code.channel, ParseChannel(parts[0]));
  for (size_t i = 0; i < kCodeWords; ++i) {
    ATTUNE_ASSIGN_OR_RETURN(code.words[i], FindWord(parts[1 + i], i));
  }
  return code;
}

}  // namespace attune::protocol
