// UTF-8 validation for text that crosses a boundary (the network, JSON, the database).
#ifndef ATTUNE_BASE_UTF8_H_
#define ATTUNE_BASE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace attune {

// Length of the UTF-8 sequence introduced by `lead`, or 0 if `lead` cannot start one.
inline size_t Utf8SequenceLength(uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;  // 0xc0/0xc1 would only start overlong forms
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;  // above 0xf4 lies beyond U+10FFFF
  return 0;
}

// Strict UTF-8: overlong forms, surrogates and code points above U+10FFFF are refused, as a
// proto3 `string` or a JSON encoder would refuse them, so text that passes is valid for any
// receiver.
inline bool IsValidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  size_t i = 0;
  while (i < text.size()) {
    // Runs of ASCII, most of any journal, eight bytes at a time: every entry a partner sends is
    // checked here, and again before it is sealed.
    while (text.size() - i >= 8) {
      uint64_t word;
      std::memcpy(&word, bytes + i, sizeof word);
      if ((word & 0x8080808080808080u) != 0) break;
      i += 8;
    }
    if (i == text.size()) break;
    size_t length = Utf8SequenceLength(bytes[i]);
    if (length == 0 || length > text.size() - i) return false;
    // The second byte's range is narrowed for the leads that could encode forbidden values.
    uint8_t low = 0x80, high = 0xbf;
    if (bytes[i] == 0xe0) low = 0xa0;   // overlong 3-byte
    if (bytes[i] == 0xed) high = 0x9f;  // UTF-16 surrogates
    if (bytes[i] == 0xf0) low = 0x90;   // overlong 4-byte
    if (bytes[i] == 0xf4) high = 0x8f;  // above U+10FFFF
    for (size_t k = 1; k < length; ++k) {
      uint8_t byte = bytes[i + k];
      uint8_t lowest = k == 1 ? low : 0x80;
      uint8_t highest = k == 1 ? high : 0xbf;
      if (byte < lowest || byte > highest) return false;
    }
    i += length;
  }
  return true;
}

}  // namespace attune

#endif  // ATTUNE_BASE_UTF8_H_
