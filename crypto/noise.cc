#include "crypto/noise.h"

#include <utility>
#include <vector>

namespace attune::crypto::noise {
namespace {

std::vector<std::string_view> SplitOnUnderscore(std::string_view name) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    size_t end = name.find('_', start);
    fields.push_back(name.substr(start, end - start));
    if (end == std::string_view::npos) return fields;
    start = end + 1;
  }
}

}  // namespace

Result<Protocol> ParseProtocolName(std::string_view name) {
  std::vector<std::string_view> fields = SplitOnUnderscore(name);
  if (fields.size() != 5 || fields[0] != "Noise") {
    return Status::InvalidArgument("not a noise protocol name");
  }
  for (std::string_view field : fields) {
    if (field.empty()) return Status::InvalidArgument("noise protocol name has an empty field");
  }
  if (fields[2] != "25519") return Status::Unsupported("noise dh function not supported");
  if (fields[3] != "ChaChaPoly") return Status::Unsupported("noise cipher not supported");
  ATTUNE_ASSIGN_OR_RETURN(HandshakePattern pattern, FindHandshakePattern(fields[1]));
  ATTUNE_ASSIGN_OR_RETURN(HashFunction hash, HashFunctionNamed(fields[4]));
  return Protocol{std::string(name), std::move(pattern), hash};
}

TransportSession::TransportSession(Role role, CipherState send, CipherState receive,
                                   Bytes handshake_hash,
                                   std::optional<X25519PublicKey> remote_static)
    : role_(role),
      send_(std::move(send)),
      receive_(std::move(receive)),
      handshake_hash_(std::move(handshake_hash)),
      remote_static_(remote_static) {}

Result<Bytes> TransportSession::Encrypt(ByteSpan plaintext) {
  // Without a key a CipherState would pass plaintext through unencrypted.
  if (!send_.HasKey()) return Status::InvalidArgument("noise session cannot send");
  if (plaintext.size() > kMaxMessageBytes - kCipherTagBytes) {
    return Status::InvalidArgument("noise message too long");
  }
  return send_.EncryptWithAd(/*associated_data=*/{}, plaintext);
}

Status TransportSession::CheckReceivable(ByteSpan ciphertext) const {
  if (!receive_.HasKey()) return Status::InvalidArgument("noise session cannot receive");
  if (ciphertext.size() > kMaxMessageBytes) {
    return Status::InvalidArgument("noise message too long");
  }
  return Status::Ok();
}

Result<SecureBytes> TransportSession::Decrypt(ByteSpan ciphertext) {
  ATTUNE_RETURN_IF_ERROR(CheckReceivable(ciphertext));
  return receive_.DecryptWithAd(/*associated_data=*/{}, ciphertext);
}

Result<ByteSpan> TransportSession::DecryptInto(ByteSpan ciphertext, SecureScratch& scratch) {
  ATTUNE_RETURN_IF_ERROR(CheckReceivable(ciphertext));
  return receive_.DecryptWithAdInto(/*associated_data=*/{}, ciphertext, scratch);
}

}  // namespace attune::crypto::noise
