// "Text then details": how an entry is laid out both in its sealed body on disk (body format 2,
// node/journal/entry_codec.cc) and in what a partner receives (shared content format 2,
// docs/protocol.md 4.3):
//
//   0x02 | the text's length in bytes (4 bytes, little-endian) | the text | details (JSON)
//
// The text, nearly all of an entry, is neither JSON-escaped nor lexed; only the small details
// are JSON. The other format of both places is one JSON object, whose first byte is '{'.
#ifndef ATTUNE_NODE_JOURNAL_TEXT_AND_DETAILS_H_
#define ATTUNE_NODE_JOURNAL_TEXT_AND_DETAILS_H_

#include <optional>
#include <string>
#include <string_view>

namespace attune::node {

inline constexpr char kTextAndDetailsMarker = 0x02;

// Whether `bytes` claims this layout (its first byte is the marker).
inline bool IsTextAndDetails(std::string_view bytes) {
  return !bytes.empty() && bytes[0] == kTextAndDetailsMarker;
}

// The layout of `text` and `details`. The caller wipes the result if it was private.
std::string JoinTextAndDetails(std::string_view text, std::string_view details);

struct TextAndDetails {
  std::string_view text;
  std::string_view details;  // not parsed
};
// The two parts of `bytes`, views into it; nullopt if it is too short, lacks the marker, or
// announces more text than it holds.
std::optional<TextAndDetails> SplitTextAndDetails(std::string_view bytes);

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_TEXT_AND_DETAILS_H_
