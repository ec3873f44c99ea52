// The one-time pairing code a person reads out to their partner: a channel number and three
// words from attune's shipped word list (protocol/words/pairing_words.txt), e.g.
//
//   7-maple-lagoon-violet
//
// The three words carry 33 bits (2048 words each); the channel number (1..kMaxChannel) tells
// pairing attempts on one network apart and is part of the secret too, but it travels in the
// clear once the joiner connects, so docs/security.md counts only the words' 33 bits. CPace
// (protocol/pairing.h) turns the code into a key while giving an attacker one guess per run.
#ifndef ATTUNE_PROTOCOL_PAIRING_CODE_H_
#define ATTUNE_PROTOCOL_PAIRING_CODE_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"

namespace attune::protocol {

inline constexpr uint32_t kMaxChannel = 999;
inline constexpr size_t kCodeWords = 3;

struct PairingCode {
  uint32_t channel = 0;                         // 1..kMaxChannel
  std::array<uint16_t, kCodeWords> words = {};  // indexes into PairingWords()

  // The canonical spelling, "7-maple-lagoon-violet". It is also the CPace password, so both
  // sides must derive it from the same code (ParsePairingCode normalises what was typed).
  std::string ToString() const;
  bool operator==(const PairingCode&) const = default;
};

// The shipped list: 2048 lowercase words, sorted, no two sharing their first 5 letters.
std::span<const std::string_view> PairingWords();

// A fresh random code (channel and words uniform).
PairingCode NewPairingCode();

// Reads a code as a person typed it: case-insensitive, words separated by hyphens, spaces or
// both, each word written in full or by at least its first 5 letters.
//   kInvalidArgument  not a number and three words, a channel out of range, or a word that is
//                     not on the list; the message names the problem (never echoing the whole
//                     code, which is a secret while it is valid)
Result<PairingCode> ParsePairingCode(std::string_view typed);

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_PAIRING_CODE_H_
