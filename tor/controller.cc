#include "tor/controller.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <utility>

namespace attune::tor {
namespace {

crypto::SecureBytes Join(std::initializer_list<ByteSpan> pieces) {
  size_t size = 0;
  for (ByteSpan piece : pieces) size += piece.size();
  crypto::SecureBytes joined(size);
  size_t at = 0;
  for (ByteSpan piece : pieces) {
    std::copy(piece.begin(), piece.end(), joined.data() + at);
    at += piece.size();
  }
  return joined;
}

// A word tor reads as one token: no space, quote or line break, and not empty.
bool IsPlainWord(std::string_view word) {
  if (word.empty()) return false;
  return std::none_of(word.begin(), word.end(), [](char c) {
    return c == ' ' || c == '"' || c == '\r' || c == '\n' || c == '\0' || c == '\t';
  });
}

bool IsPlainWord(ByteSpan word) {
  return IsPlainWord(std::string_view(reinterpret_cast<const char*>(word.data()), word.size()));
}

Status NotAWord(std::string_view what) {
  return Status::InvalidArgument(std::string(what) + " is not one word");
}

std::optional<int> ToInt(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

ControlEvent Done(Command command) {
  ControlEvent event;
  event.kind = ControlEvent::Kind::kCommandDone;
  event.command = command;
  return event;
}

// The value after "KEY=" on the reply's lines, if one of them starts so.
std::optional<std::string_view> LineValue(const Reply& reply, std::string_view key) {
  for (const ReplyLine& line : reply.lines) {
    std::string_view text = line.text;
    if (text.size() > key.size() && text.starts_with(key) && text[key.size()] == '=') {
      return text.substr(key.size() + 1);
    }
  }
  return std::nullopt;
}

}  // namespace

Result<ControlEvent> ParseBootstrap(std::string_view text) {
  ATTUNE_ASSIGN_OR_RETURN(Words words, SplitWords(text));
  const std::optional<std::string> progress = words.Get("PROGRESS");
  const std::optional<int> percent = progress ? ToInt(*progress) : std::nullopt;
  if (!percent || *percent < 0 || *percent > 100) {
    return Status::ProtocolError("bootstrap status without a valid PROGRESS");
  }
  ControlEvent event;
  event.kind = ControlEvent::Kind::kBootstrap;
  event.percent = *percent;
  event.tag = words.Get("TAG").value_or("");
  event.warning =
      std::find(words.positional.begin(), words.positional.end(), "WARN") != words.positional.end();
  return event;
}

void Controller::Queue(Command command, crypto::SecureBytes line) {
  awaiting_.push_back(command);
  outbox_.push_back(std::move(line));
}

void Controller::QueueText(Command command, std::string_view line) {
  Queue(command, crypto::SecureBytes::CopyOf(AsBytes(line)));
}

void Controller::Authenticate(ByteSpan cookie) {
  constexpr char kHex[] = "0123456789abcdef";
  crypto::SecureBytes hex(cookie.size() * 2);
  for (size_t i = 0; i < cookie.size(); ++i) {
    hex.data()[2 * i] = static_cast<uint8_t>(kHex[cookie[i] >> 4]);
    hex.data()[2 * i + 1] = static_cast<uint8_t>(kHex[cookie[i] & 0x0f]);
  }
  Queue(Command::kAuthenticate, Join({AsBytes("AUTHENTICATE "), hex.span(), AsBytes("\r\n")}));
}

void Controller::TakeOwnership() {
  QueueText(Command::kTakeOwnership, "TAKEOWNERSHIP\r\n");
}

void Controller::SubscribeEvents() {
  QueueText(Command::kSubscribeEvents, "SETEVENTS STATUS_CLIENT HS_DESC\r\n");
}

void Controller::AskBootstrap() {
  QueueText(Command::kAskBootstrap, "GETINFO status/bootstrap-phase\r\n");
}

void Controller::AskSocksListener() {
  QueueText(Command::kAskSocksListener, "GETINFO net/listeners/socks\r\n");
}

void Controller::AskVersion() {
  QueueText(Command::kAskVersion, "GETINFO version\r\n");
}

Status Controller::AddOnion(const crypto::SecureBytes& key_blob, OnionPorts ports,
                            const std::vector<std::string>& authorised) {
  if (!IsPlainWord(key_blob.span())) return NotAWord("the onion service key");
  if (ports.virtual_port == 0 || ports.target_port == 0) {
    return Status::InvalidArgument("an onion service port is 0");
  }
  // Client authorisation needs the V3Auth flag beside the keys (tor refuses either alone).
  std::string rest =
      std::string(authorised.empty() ? " Flags=DiscardPK" : " Flags=DiscardPK,V3Auth") +
      " Port=" + std::to_string(ports.virtual_port) +
      ",127.0.0.1:" + std::to_string(ports.target_port);
  for (const std::string& client : authorised) {
    if (!IsPlainWord(client)) return NotAWord("a client key");
    rest += " ClientAuthV3=" + client;
  }
  rest += "\r\n";
  Queue(Command::kAddOnion, Join({AsBytes("ADD_ONION "), key_blob.span(), AsBytes(rest)}));
  return Status::Ok();
}

Status Controller::AddClientAuth(std::string_view service_id,
                                 const crypto::SecureBytes& private_text) {
  if (!IsPlainWord(service_id)) return NotAWord("the service id");
  if (!IsPlainWord(private_text.span())) return NotAWord("the client key");
  const std::string head = "ONION_CLIENT_AUTH_ADD " + std::string(service_id) + " ";
  Queue(Command::kAddClientAuth,
        Join({AsBytes(head), private_text.span(), AsBytes(std::string_view("\r\n"))}));
  return Status::Ok();
}

Status Controller::FetchDescriptor(std::string_view service_id) {
  if (!IsPlainWord(service_id)) return NotAWord("the service id");
  QueueText(Command::kFetchDescriptor, "HSFETCH " + std::string(service_id) + "\r\n");
  return Status::Ok();
}

crypto::SecureBytes Controller::TakeOutput() {
  size_t size = 0;
  for (const crypto::SecureBytes& line : outbox_) size += line.size();
  crypto::SecureBytes output(size);
  size_t at = 0;
  for (const crypto::SecureBytes& line : outbox_) {
    std::copy(line.data(), line.data() + line.size(), output.data() + at);
    at += line.size();
  }
  outbox_.clear();  // each SecureBytes wipes itself
  return output;
}

Result<std::vector<ControlEvent>> Controller::Receive(ByteSpan bytes) {
  if (!error_.ok()) return error_;
  Result<std::vector<Reply>> replies = reader_.Feed(bytes);
  if (!replies.ok()) return error_ = replies.status();
  std::vector<ControlEvent> events;
  for (const Reply& reply : *replies) {
    if (reply.is_event()) {
      OnEvent(reply, events);
      continue;
    }
    const Status answered = Answer(reply, events);
    if (!answered.ok()) return error_ = answered;
  }
  return events;
}

Status Controller::Answer(const Reply& reply, std::vector<ControlEvent>& events) {
  if (awaiting_.empty()) return Status::ProtocolError("a control reply nothing asked for");
  const Command command = awaiting_.front();
  awaiting_.pop_front();
  const size_t before = events.size();
  ATTUNE_RETURN_IF_ERROR(AnswerTo(command, reply, events));
  for (size_t i = before; i < events.size(); ++i) {
    events[i].answer = true;
    events[i].command = command;
  }
  return Status::Ok();
}

Status Controller::AnswerTo(Command command, const Reply& reply,
                            std::vector<ControlEvent>& events) {
  if (!reply.ok()) {
    ControlEvent failed;
    failed.kind = ControlEvent::Kind::kCommandFailed;
    failed.command = command;
    failed.status = reply.status;
    events.push_back(std::move(failed));
    return Status::Ok();
  }
  switch (command) {
    case Command::kAskBootstrap: {
      const std::optional<std::string_view> phase = LineValue(reply, "status/bootstrap-phase");
      if (!phase) return Status::ProtocolError("no bootstrap phase in the answer");
      ATTUNE_ASSIGN_OR_RETURN(ControlEvent event, ParseBootstrap(*phase));
      events.push_back(std::move(event));
      return Status::Ok();
    }
    case Command::kAskSocksListener: {
      const std::optional<std::string_view> listener = LineValue(reply, "net/listeners/socks");
      if (!listener) return Status::ProtocolError("no SOCKS listener in the answer");
      ControlEvent event;
      event.kind = ControlEvent::Kind::kSocksListener;
      ATTUNE_ASSIGN_OR_RETURN(event.port, ParseLoopbackPort(listener->substr(
                                              0, std::min(listener->find(' '), listener->size()))));
      events.push_back(std::move(event));
      return Status::Ok();
    }
    case Command::kAskVersion: {
      // "0.4.9.11" or "0.4.9.11 (git-...)": the first word, shown as a fact, never parsed.
      const std::optional<std::string_view> version = LineValue(reply, "version");
      if (!version || version->empty() || !IsPlainWord(version->substr(0, version->find(' ')))) {
        return Status::ProtocolError("no version in the answer");
      }
      ControlEvent event;
      event.kind = ControlEvent::Kind::kVersion;
      event.tag = std::string(version->substr(0, version->find(' ')));
      events.push_back(std::move(event));
      return Status::Ok();
    }
    case Command::kAddOnion: {
      const std::optional<std::string_view> id = LineValue(reply, "ServiceID");
      if (!id || !IsPlainWord(*id)) return Status::ProtocolError("no ServiceID in the answer");
      ControlEvent event;
      event.kind = ControlEvent::Kind::kOnionAdded;
      event.service_id = std::string(*id);
      own_services_.insert(event.service_id);
      events.push_back(std::move(event));
      return Status::Ok();
    }
    default:
      events.push_back(Done(command));
      return Status::Ok();
  }
}

void Controller::OnEvent(const Reply& reply, std::vector<ControlEvent>& events) {
  // Events attune did not subscribe to, or cannot read, are not its business: skipped.
  Result<Words> words = SplitWords(reply.lines.front().text);
  if (!words.ok() || words->positional.empty()) return;
  const std::string& type = words->positional.front();
  if (type == "STATUS_CLIENT" && words->positional.size() >= 3 &&
      words->positional[2] == "BOOTSTRAP") {
    Result<ControlEvent> bootstrap = ParseBootstrap(reply.lines.front().text);
    if (bootstrap.ok()) events.push_back(std::move(bootstrap).value());
    return;
  }
  if (type == "HS_DESC") OnHsDesc(*words, events);
}

// "HS_DESC Action HSAddress AuthType HsDir [DescriptorID] [REASON=...]" (control-spec 4.1.25).
void Controller::OnHsDesc(const Words& words, std::vector<ControlEvent>& events) {
  if (words.positional.size() < 3) return;
  const std::string& action = words.positional[1];
  ControlEvent event;
  event.service_id = words.positional[2];
  event.tag = words.Get("REASON").value_or("");
  if (action == "UPLOAD") {
    event.kind = ControlEvent::Kind::kOnionUploadStarted;
  } else if (action == "UPLOADED") {
    event.kind = ControlEvent::Kind::kOnionUploaded;
  } else if (action == "FAILED") {
    // tor says FAILED for an upload and for a fetch alike: a service this controller added is
    // uploaded, any other fetched.
    event.kind = own_services_.contains(event.service_id)
                     ? ControlEvent::Kind::kOnionUploadFailed
                     : ControlEvent::Kind::kDescriptorFetchFailed;
  } else if (action == "REQUESTED") {
    event.kind = ControlEvent::Kind::kDescriptorRequested;
  } else if (action == "RECEIVED") {
    event.kind = ControlEvent::Kind::kDescriptorFetched;
  } else {
    return;
  }
  events.push_back(std::move(event));
}

}  // namespace attune::tor
