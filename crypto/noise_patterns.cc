#include "crypto/noise_patterns.h"

#include <array>
#include <optional>
#include <utility>

namespace attune::crypto::noise {
namespace {

struct PatternText {
  std::string_view name;
  std::string_view pre_messages;
  std::string_view messages;
};

// Transcribed from the Noise specification, revision 34: section 7.4 (one-way),
// 7.5 (interactive) and 18.2 (deferred). Only this table says what a pattern is.
// clang-format off
constexpr std::array<PatternText, 38> kPatterns = {{
    {"N",    "<- s",       "-> e, es"},
    {"K",    "-> s; <- s", "-> e, es, ss"},
    {"X",    "<- s",       "-> e, es, s, ss"},
    {"NN",   "",           "-> e; <- e, ee"},
    {"NK",   "<- s",       "-> e, es; <- e, ee"},
    {"NX",   "",           "-> e; <- e, ee, s, es"},
    {"KN",   "-> s",       "-> e; <- e, ee, se"},
    {"KK",   "-> s; <- s", "-> e, es, ss; <- e, ee, se"},
    {"KX",   "-> s",       "-> e; <- e, ee, se, s, es"},
    {"XN",   "",           "-> e; <- e, ee; -> s, se"},
    {"XK",   "<- s",       "-> e, es; <- e, ee; -> s, se"},
    {"XX",   "",           "-> e; <- e, ee, s, es; -> s, se"},
    {"IN",   "",           "-> e, s; <- e, ee, se"},
    {"IK",   "<- s",       "-> e, es, s, ss; <- e, ee, se"},
    {"IX",   "",           "-> e, s; <- e, ee, se, s, es"},
    {"NK1",  "<- s",       "-> e; <- e, ee, es"},
    {"NX1",  "",           "-> e; <- e, ee, s; -> es"},
    {"X1N",  "",           "-> e; <- e, ee; -> s; <- se"},
    {"X1K",  "<- s",       "-> e, es; <- e, ee; -> s; <- se"},
    {"XK1",  "<- s",       "-> e; <- e, ee, es; -> s, se"},
    {"X1K1", "<- s",       "-> e; <- e, ee, es; -> s; <- se"},
    {"X1X",  "",           "-> e; <- e, ee, s, es; -> s; <- se"},
    {"XX1",  "",           "-> e; <- e, ee, s; -> es, s, se"},
    {"X1X1", "",           "-> e; <- e, ee, s; -> es, s; <- se"},
    {"K1N",  "-> s",       "-> e; <- e, ee; -> se"},
    {"K1K",  "-> s; <- s", "-> e, es; <- e, ee; -> se"},
    {"KK1",  "-> s; <- s", "-> e; <- e, ee, se, es"},
    {"K1K1", "-> s; <- s", "-> e; <- e, ee, es; -> se"},
    {"K1X",  "-> s",       "-> e; <- e, ee, s, es; -> se"},
    {"KX1",  "-> s",       "-> e; <- e, ee, se, s; -> es"},
    {"K1X1", "-> s",       "-> e; <- e, ee, s; -> se, es"},
    {"I1N",  "",           "-> e, s; <- e, ee; -> se"},
    {"I1K",  "<- s",       "-> e, es, s; <- e, ee; -> se"},
    {"IK1",  "<- s",       "-> e, s; <- e, ee, se, es"},
    {"I1K1", "<- s",       "-> e, s; <- e, ee, es; -> se"},
    {"I1X",  "",           "-> e, s; <- e, ee, s, es; -> se"},
    {"IX1",  "",           "-> e, s; <- e, ee, se, s; -> es"},
    {"I1X1", "",           "-> e, s; <- e, ee, s; -> se, es"},
}};
// clang-format on

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// Splits on `separator`; an empty text gives no pieces.
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  if (Trim(text).empty()) return pieces;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    pieces.push_back(Trim(text.substr(start, end - start)));
    if (end == std::string_view::npos) return pieces;
    start = end + 1;
  }
}

std::optional<Token> TokenNamed(std::string_view name) {
  if (name == "e") return Token::kE;
  if (name == "s") return Token::kS;
  if (name == "ee") return Token::kEE;
  if (name == "es") return Token::kES;
  if (name == "se") return Token::kSE;
  if (name == "ss") return Token::kSS;
  return std::nullopt;
}

struct Line {
  bool from_initiator;
  std::vector<Token> tokens;
};

// One "-> a, b" or "<- a, b" line.
Result<Line> ParseLine(std::string_view text) {
  Line line;
  if (text.starts_with("->")) {
    line.from_initiator = true;
  } else if (text.starts_with("<-")) {
    line.from_initiator = false;
  } else {
    return Status::InvalidArgument("noise pattern line lacks a direction");
  }
  for (std::string_view name : Split(text.substr(2), ',')) {
    std::optional<Token> token = TokenNamed(name);
    if (!token) return Status::InvalidArgument("noise pattern has an unknown token");
    line.tokens.push_back(*token);
  }
  if (line.tokens.empty()) return Status::InvalidArgument("noise pattern line has no tokens");
  return line;
}

Status ParsePreMessages(std::string_view text, HandshakePattern& pattern) {
  std::vector<std::string_view> lines = Split(text, ';');
  if (lines.size() > 2) return Status::InvalidArgument("noise pattern has too many pre-messages");
  for (size_t i = 0; i < lines.size(); ++i) {
    ATTUNE_ASSIGN_OR_RETURN(Line line, ParseLine(lines[i]));
    if (line.tokens != std::vector<Token>{Token::kS}) {
      return Status::InvalidArgument("noise pre-messages may only hold s");
    }
    if (i == 1 && line.from_initiator) {
      return Status::InvalidArgument("noise pre-messages out of order");
    }
    (line.from_initiator ? pattern.initiator_pre_message : pattern.responder_pre_message) =
        std::move(line.tokens);
  }
  return Status::Ok();
}

}  // namespace

Result<HandshakePattern> ParseHandshakePattern(std::string_view name, std::string_view pre_messages,
                                               std::string_view messages) {
  HandshakePattern pattern;
  pattern.name = std::string(name);
  ATTUNE_RETURN_IF_ERROR(ParsePreMessages(pre_messages, pattern));
  for (std::string_view text : Split(messages, ';')) {
    ATTUNE_ASSIGN_OR_RETURN(Line line, ParseLine(text));
    if (line.from_initiator != (pattern.messages.size() % 2 == 0)) {
      return Status::InvalidArgument("noise pattern messages must alternate from the initiator");
    }
    pattern.messages.push_back(std::move(line.tokens));
  }
  if (pattern.messages.empty()) return Status::InvalidArgument("noise pattern has no messages");
  return pattern;
}

Result<HandshakePattern> FindHandshakePattern(std::string_view name) {
  for (const PatternText& text : kPatterns) {
    if (text.name != name) continue;
    Result<HandshakePattern> pattern =
        ParseHandshakePattern(text.name, text.pre_messages, text.messages);
    if (!pattern.ok()) return Status::Internal("built-in noise pattern does not parse");
    return pattern;
  }
  return Status::Unsupported("noise handshake pattern not supported");
}

std::vector<std::string_view> SupportedPatternNames() {
  std::vector<std::string_view> names;
  for (const PatternText& text : kPatterns) names.push_back(text.name);
  return names;
}

}  // namespace attune::crypto::noise
