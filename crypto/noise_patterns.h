// Noise handshake patterns (revision 34, sections 7 and 18) as data: the
// pre-message tokens and the token list of each message, parsed from the
// spec's own arrow notation held in one table. Internal to the Noise
// implementation; noise.h is the public entry point.
//
// Supported: the one-way patterns N, K, X; the interactive patterns NN, NK,
// NX, KN, KK, KX, XN, XK, XX, IN, IK, IX; and their deferred variants (NK1,
// X1X1, I1K1, ...). Not supported: psk modifiers, fallback, and ephemeral
// pre-messages.
//
// Thread-safe: the table is immutable.
#ifndef ATTUNE_CRYPTO_NOISE_PATTERNS_H_
#define ATTUNE_CRYPTO_NOISE_PATTERNS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace attune::crypto::noise {

enum class Token : uint8_t { kE, kS, kEE, kES, kSE, kSS };

struct HandshakePattern {
  std::string name;  // e.g. "XX", "X1K1"
  // Keys known to the other side before the handshake (only kS is supported).
  std::vector<Token> initiator_pre_message;
  std::vector<Token> responder_pre_message;
  // messages[i] is written by the initiator when i is even, else by the
  // responder. Never empty.
  std::vector<std::vector<Token>> messages;

  // One-way patterns (N, K, X) have a single message; afterwards only the
  // initiator may send.
  bool IsOneWay() const { return messages.size() == 1; }
};

// The pattern called `name` (exact, case-sensitive).
//   kUnsupported  no such pattern here (unknown, psk, fallback, ...)
//   kInternal     the built-in table failed to parse (a bug)
Result<HandshakePattern> FindHandshakePattern(std::string_view name);

// The names of every supported pattern, in table order.
std::vector<std::string_view> SupportedPatternNames();

// Parses the spec's notation: messages separated by ';', each "->" or "<-"
// followed by comma-separated tokens, e.g. "-> e; <- e, ee, s, es; -> s, se".
// Messages must alternate starting with "->". Pre-messages use the same
// notation ("-> s; <- s", "<- s" or "") with at most one line per side, the
// initiator's first, holding only "s". kInvalidArgument on anything else.
Result<HandshakePattern> ParseHandshakePattern(std::string_view name, std::string_view pre_messages,
                                               std::string_view messages);

}  // namespace attune::crypto::noise

#endif  // ATTUNE_CRYPTO_NOISE_PATTERNS_H_
