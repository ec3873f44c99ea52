#include "tor/control.h"

#include <charconv>
#include <utility>

namespace attune::tor {
namespace {

Result<int> ParseStatus(std::string_view line) {
  if (line.size() < 4) return Status::ProtocolError("control reply line too short");
  int status = 0;
  for (size_t i = 0; i < 3; ++i) {
    if (line[i] < '0' || line[i] > '9') return Status::ProtocolError("control status not digits");
    status = status * 10 + (line[i] - '0');
  }
  return status;
}

bool IsSeparator(char c) {
  return c == ' ' || c == '-' || c == '+';
}

// Reads a quoted string starting at text[at] == '"'; moves `at` past the closing quote.
Result<std::string> Unquote(std::string_view text, size_t& at) {
  std::string value;
  for (++at; at < text.size(); ++at) {
    char c = text[at];
    if (c == '"') {
      ++at;
      return value;
    }
    if (c == '\\' && at + 1 < text.size()) {
      c = text[++at];
      if (c == 'n') c = '\n';
      if (c == 't') c = '\t';
      if (c == 'r') c = '\r';
    }
    value.push_back(c);
  }
  return Status::ProtocolError("a quoted value never ends");
}

}  // namespace

Status ReplyReader::Poison(std::string detail) {
  error_ = Status::ProtocolError(std::move(detail));
  return error_;
}

Result<std::vector<Reply>> ReplyReader::Feed(ByteSpan bytes) {
  if (!error_.ok()) return error_;
  std::vector<Reply> done;
  for (uint8_t byte : bytes) {
    if (byte != '\n') {
      if (partial_.size() >= kMaxLineBytes) return Poison("control reply line too long");
      partial_.push_back(static_cast<char>(byte));
      continue;
    }
    std::string line = std::exchange(partial_, {});
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const Status taken = in_data_ ? TakeDataLine(std::move(line)) : TakeLine(std::move(line), done);
    if (!taken.ok()) return taken;
  }
  return done;
}

Status ReplyReader::TakeLine(std::string line, std::vector<Reply>& done) {
  Result<int> status = ParseStatus(line);
  if (!status.ok() || !IsSeparator(line[3])) return Poison("malformed control reply line");
  if (current_.lines.empty()) {
    current_.status = *status;
  } else if (current_.status != *status) {
    return Poison("control reply lines of different statuses");
  }
  if (current_.lines.size() >= kMaxReplyLines) return Poison("control reply too long");
  const char separator = line[3];
  current_.lines.push_back({line.substr(4), {}});
  if (separator == '+') {
    in_data_ = true;
    return Status::Ok();
  }
  if (separator == ' ') done.push_back(std::exchange(current_, {}));
  return Status::Ok();
}

Status ReplyReader::TakeDataLine(std::string line) {
  if (line == ".") {
    in_data_ = false;
    return Status::Ok();
  }
  std::string& data = current_.lines.back().data;
  if (line.starts_with("..")) line.erase(0, 1);
  if (data.size() + line.size() + 1 > kMaxLineBytes * 4) return Poison("control data too long");
  if (!data.empty()) data.push_back('\n');
  data += line;
  return Status::Ok();
}

std::optional<std::string> Words::Get(const std::string& key) const {
  auto found = keyed.find(key);
  if (found == keyed.end()) return std::nullopt;
  return found->second;
}

Result<Words> SplitWords(std::string_view text) {
  Words words;
  size_t at = 0;
  while (at < text.size()) {
    if (text[at] == ' ') {
      ++at;
      continue;
    }
    size_t end = at;
    while (end < text.size() && text[end] != ' ' && text[end] != '=') ++end;
    std::string word(text.substr(at, end - at));
    if (end >= text.size() || text[end] == ' ') {
      words.positional.push_back(std::move(word));
      at = end;
      continue;
    }
    at = end + 1;  // past '='
    std::string value;
    if (at < text.size() && text[at] == '"') {
      ATTUNE_ASSIGN_OR_RETURN(value, Unquote(text, at));
    } else {
      const size_t stop = std::min(text.find(' ', at), text.size());
      value = std::string(text.substr(at, stop - at));
      at = stop;
    }
    words.keyed[std::move(word)] = std::move(value);
  }
  return words;
}

Result<uint16_t> ParseLoopbackPort(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  constexpr std::string_view kLoopback = "127.0.0.1:";
  if (!text.starts_with(kLoopback)) return Status::ProtocolError("not a loopback address");
  text.remove_prefix(kLoopback.size());
  unsigned port = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc() || end != text.data() + text.size() || port == 0 || port > 65535) {
    return Status::ProtocolError("not a port number");
  }
  return static_cast<uint16_t>(port);
}

Result<uint16_t> ParseControlPortFile(std::string_view content) {
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
    content.remove_suffix(1);
  }
  constexpr std::string_view kPrefix = "PORT=";
  if (!content.starts_with(kPrefix) || content.find('\n') != std::string_view::npos) {
    return Status::ProtocolError("not a control port file");
  }
  return ParseLoopbackPort(content.substr(kPrefix.size()));
}

}  // namespace attune::tor
