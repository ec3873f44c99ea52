#include "tests/crypto/noise_vector_runner.h"

#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "crypto/noise.h"

namespace attune::crypto::noise::vectors {
namespace {

using Json = nlohmann::json;

// Hex field `key` of `vector`: nullopt if absent, an error if not valid hex.
Result<std::optional<Bytes>> OptionalHex(const Json& vector, const std::string& key) {
  auto field = vector.find(key);
  if (field == vector.end()) return std::optional<Bytes>();
  if (!field->is_string()) return Status::Corruption(key + " is not a string");
  std::optional<Bytes> bytes = FromHex(field->get<std::string>());
  if (!bytes) return Status::Corruption(key + " is not hex");
  return bytes;
}

Result<Bytes> RequiredHex(const Json& vector, const std::string& key) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> bytes, OptionalHex(vector, key));
  if (!bytes) return Status::Corruption(key + " is missing");
  return std::move(*bytes);
}

Result<std::optional<X25519KeyPair>> OptionalKeyPair(const Json& vector, const std::string& key) {
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> secret, OptionalHex(vector, key));
  if (!secret) return std::optional<X25519KeyPair>();
  Result<X25519KeyPair> pair = X25519KeyPairFromSecret(SecureBytes::CopyOf(*secret));
  if (!pair.ok()) return pair.status().WithContext(key);
  return std::optional<X25519KeyPair>(std::move(pair).value());
}

// The options one side builds from its own fields ("init_" or "resp_").
Result<HandshakeOptions> OptionsFor(const Json& vector, Role role, const std::string& name) {
  const std::string prefix = role == Role::kInitiator ? "init_" : "resp_";
  HandshakeOptions options;
  options.role = role;
  options.protocol_name = name;
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> prologue, OptionalHex(vector, prefix + "prologue"));
  if (prologue) options.prologue = std::move(*prologue);
  ATTUNE_ASSIGN_OR_RETURN(options.local_static, OptionalKeyPair(vector, prefix + "static"));
  ATTUNE_ASSIGN_OR_RETURN(options.fixed_ephemeral_for_testing,
                          OptionalKeyPair(vector, prefix + "ephemeral"));
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> remote,
                          OptionalHex(vector, prefix + "remote_static"));
  if (remote) {
    if (remote->size() != kX25519PublicBytes) return Status::Corruption("remote_static length");
    X25519PublicKey key{};
    std::copy(remote->begin(), remote->end(), key.begin());
    options.remote_static = key;
  }
  return options;
}

Bytes Copy(const SecureBytes& secret) {
  return Bytes(secret.span().begin(), secret.span().end());
}

// One vector played out by an initiator and a responder.
class VectorPlay {
 public:
  VectorPlay(HandshakeState initiator, HandshakeState responder)
      : initiator_(std::move(initiator)), responder_(std::move(responder)) {}

  // Plays message `index`; errors explain the mismatch. `expected_hash` is checked when the
  // handshake finishes, if the vector gives one.
  Status PlayMessage(size_t index, const Json& message, const std::optional<Bytes>& expected_hash) {
    ATTUNE_ASSIGN_OR_RETURN(Bytes payload, RequiredHex(message, "payload"));
    ATTUNE_ASSIGN_OR_RETURN(Bytes expected, RequiredHex(message, "ciphertext"));
    Status status = initiator_session_ ? PlayTransport(index, payload, expected)
                                       : PlayHandshake(payload, expected);
    if (!status.ok()) return status;
    if (!initiator_session_ && initiator_->next_step() == HandshakeStep::kFinished) {
      return FinishBoth(expected_hash);
    }
    return Status::Ok();
  }

  bool finished() const { return initiator_session_.has_value(); }

 private:
  Status PlayHandshake(ByteSpan payload, const Bytes& expected) {
    const bool initiator_writes = initiator_->next_step() == HandshakeStep::kWrite;
    HandshakeState& writer = initiator_writes ? *initiator_ : *responder_;
    HandshakeState& reader = initiator_writes ? *responder_ : *initiator_;
    Result<Bytes> written = writer.WriteMessage(payload);
    if (!written.ok()) return written.status().WithContext("handshake write");
    if (*written != expected) return Status::Corruption("handshake ciphertext differs");
    Result<SecureBytes> read = reader.ReadMessage(*written);
    if (!read.ok()) return read.status().WithContext("handshake read");
    if (Copy(*read) != Bytes(payload.begin(), payload.end())) {
      return Status::Corruption("handshake payload differs");
    }
    return Status::Ok();
  }

  Status PlayTransport(size_t index, ByteSpan payload, const Bytes& expected) {
    // After a one-way handshake only the initiator may send.
    const bool initiator_sends = one_way_ || index % 2 == 0;
    TransportSession& sender = initiator_sends ? *initiator_session_ : *responder_session_;
    TransportSession& receiver = initiator_sends ? *responder_session_ : *initiator_session_;
    Result<Bytes> sealed = sender.Encrypt(payload);
    if (!sealed.ok()) return sealed.status().WithContext("transport encrypt");
    if (*sealed != expected) return Status::Corruption("transport ciphertext differs");
    Result<SecureBytes> opened = receiver.Decrypt(*sealed);
    if (!opened.ok()) return opened.status().WithContext("transport decrypt");
    if (Copy(*opened) != Bytes(payload.begin(), payload.end())) {
      return Status::Corruption("transport payload differs");
    }
    return Status::Ok();
  }

  Status FinishBoth(const std::optional<Bytes>& expected_hash) {
    if (responder_->next_step() != HandshakeStep::kFinished) {
      return Status::Corruption("only the initiator finished");
    }
    const Bytes initiator_hash(initiator_->handshake_hash().begin(),
                               initiator_->handshake_hash().end());
    if (Bytes(responder_->handshake_hash().begin(), responder_->handshake_hash().end()) !=
        initiator_hash) {
      return Status::Corruption("the two sides' handshake hashes differ");
    }
    if (expected_hash && initiator_hash != *expected_hash) {
      return Status::Corruption("handshake hash differs");
    }
    one_way_ = initiator_->protocol().pattern.IsOneWay();
    Result<TransportSession> initiator = std::move(*initiator_).Finish();
    Result<TransportSession> responder = std::move(*responder_).Finish();
    if (!initiator.ok() || !responder.ok()) return Status::Corruption("finish failed");
    initiator_session_.emplace(std::move(initiator).value());
    responder_session_.emplace(std::move(responder).value());
    return Status::Ok();
  }

  std::optional<HandshakeState> initiator_;
  std::optional<HandshakeState> responder_;
  std::optional<TransportSession> initiator_session_;
  std::optional<TransportSession> responder_session_;
  bool one_way_ = false;
};

// Skipped (not failed) when the name is well-formed but not ours, when a pre-shared key is
// given (an empty array of them, as snow writes for every pattern without psk, means none), or
// when the vector expects the handshake to fail (snow's "fail": true): this runner only plays
// handshakes that succeed.
std::optional<std::string> SkipReason(const Json& vector, const std::string& name) {
  for (const auto& [key, value] : vector.items()) {
    if (key.find("psk") == std::string::npos) continue;
    if (value.is_array() && value.empty()) continue;
    return "psk not supported (" + key + ")";
  }
  auto fail = vector.find("fail");
  if (fail != vector.end() && fail->is_boolean() && fail->get<bool>()) {
    return "expects the handshake to fail, which this runner does not play";
  }
  Result<Protocol> protocol = ParseProtocolName(name);
  if (!protocol.ok() && protocol.status().code() == StatusCode::kUnsupported) {
    return protocol.status().detail();
  }
  return std::nullopt;
}

Status PlayVector(const Json& vector, const std::string& name) {
  ATTUNE_ASSIGN_OR_RETURN(HandshakeOptions initiator_options,
                          OptionsFor(vector, Role::kInitiator, name));
  ATTUNE_ASSIGN_OR_RETURN(HandshakeOptions responder_options,
                          OptionsFor(vector, Role::kResponder, name));
  // Optional: snow's vectors, for one, do not give it; checked when present.
  ATTUNE_ASSIGN_OR_RETURN(std::optional<Bytes> expected_hash,
                          OptionalHex(vector, "handshake_hash"));
  Result<HandshakeState> initiator = HandshakeState::Create(std::move(initiator_options));
  if (!initiator.ok()) return initiator.status().WithContext("initiator setup");
  Result<HandshakeState> responder = HandshakeState::Create(std::move(responder_options));
  if (!responder.ok()) return responder.status().WithContext("responder setup");
  auto messages = vector.find("messages");
  if (messages == vector.end() || !messages->is_array()) {
    return Status::Corruption("messages missing");
  }
  VectorPlay play(std::move(initiator).value(), std::move(responder).value());
  for (size_t i = 0; i < messages->size(); ++i) {
    Status status = play.PlayMessage(i, (*messages)[i], expected_hash);
    if (!status.ok()) return status.WithContext("message " + std::to_string(i));
  }
  if (!play.finished()) return Status::Corruption("handshake did not finish");
  return Status::Ok();
}

VectorResult RunVector(const Json& vector) {
  VectorResult result;
  auto name = vector.find("protocol_name");
  if (name == vector.end() || !name->is_string()) {
    result.reason = "protocol_name missing";
    return result;
  }
  result.protocol_name = name->get<std::string>();
  if (std::optional<std::string> skip = SkipReason(vector, result.protocol_name)) {
    result.verdict = Verdict::kSkipped;
    result.reason = *skip;
    return result;
  }
  Status status = PlayVector(vector, result.protocol_name);
  result.verdict = status.ok() ? Verdict::kPassed : Verdict::kFailed;
  result.reason = status.detail();
  return result;
}

}  // namespace

Result<VectorReport> RunVectorsFromJson(std::string_view json_text) {
  Json document = Json::parse(json_text, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Status::Corruption("not JSON");
  auto vectors = document.is_object() ? document.find("vectors") : document.end();
  if (vectors == document.end() || !vectors->is_array()) {
    return Status::Corruption("no \"vectors\" array");
  }
  VectorReport report;
  for (const Json& vector : *vectors) {
    VectorResult result = vector.is_object() ? RunVector(vector)
                                             : VectorResult{"", Verdict::kFailed, "not an object"};
    if (result.verdict == Verdict::kPassed) ++report.passed;
    if (result.verdict == Verdict::kFailed) ++report.failed;
    if (result.verdict == Verdict::kSkipped) ++report.skipped;
    report.results.push_back(std::move(result));
  }
  return report;
}

Result<VectorReport> RunVectorsFromFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::IoError("cannot open vector file");
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) return Status::IoError("cannot read vector file");
  return RunVectorsFromJson(contents.str());
}

std::string SummaryLine(const VectorReport& report) {
  return std::to_string(report.passed) + " passed, " + std::to_string(report.failed) + " failed, " +
         std::to_string(report.skipped) + " skipped";
}

}  // namespace attune::crypto::noise::vectors
