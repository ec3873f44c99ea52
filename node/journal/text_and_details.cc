#include "node/journal/text_and_details.h"

#include <cstdint>

namespace attune::node {
namespace {

constexpr size_t kHeaderBytes = 5;  // the marker and the length

}  // namespace

std::string JoinTextAndDetails(std::string_view text, std::string_view details) {
  std::string joined;
  joined.reserve(kHeaderBytes + text.size() + details.size());
  joined.push_back(kTextAndDetailsMarker);
  const auto text_bytes = static_cast<uint32_t>(text.size());
  for (int shift = 0; shift < 32; shift += 8)
    joined.push_back(static_cast<char>(text_bytes >> shift));
  joined += text;
  joined += details;
  return joined;
}

std::optional<TextAndDetails> SplitTextAndDetails(std::string_view bytes) {
  if (bytes.size() < kHeaderBytes || !IsTextAndDetails(bytes)) return std::nullopt;
  uint32_t text_bytes = 0;
  for (int i = 0; i < 4; ++i) {
    text_bytes |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[1 + i])) << (8 * i);
  }
  if (text_bytes > bytes.size() - kHeaderBytes) return std::nullopt;
  return TextAndDetails{bytes.substr(kHeaderBytes, text_bytes),
                        bytes.substr(kHeaderBytes + text_bytes)};
}

}  // namespace attune::node
