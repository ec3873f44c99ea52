#include "protocol/bundle_seal.h"

#include <algorithm>
#include <utility>

#include "crypto/noise.h"
#include "crypto/secure_bytes.h"

namespace attune::protocol {
namespace {

constexpr uint8_t kLastChunk = 0x01;
constexpr size_t kChunkHeaderBytes = 3;

size_t ChunksFor(size_t content_bytes) {
  return std::max<size_t>(1, (content_bytes + kBundleChunkDataBytes - 1) / kBundleChunkDataBytes);
}

Result<crypto::noise::HandshakeState> StartHandshake(crypto::noise::Role role,
                                                     crypto::X25519KeyPair local,
                                                     const crypto::X25519PublicKey& remote,
                                                     std::optional<crypto::X25519KeyPair> fixed) {
  crypto::noise::HandshakeOptions options;
  options.role = role;
  options.protocol_name = std::string(kBundleNoiseName);
  options.prologue = Bytes(kBundlePrologue.begin(), kBundlePrologue.end());
  options.local_static = std::move(local);
  options.remote_static = remote;
  options.fixed_ephemeral_for_testing = std::move(fixed);
  return crypto::noise::HandshakeState::Create(std::move(options));
}

// One chunk's plaintext: flags, length, data, zeros. Secure memory: it holds entry text.
crypto::SecureBytes ChunkPlaintext(ByteSpan data, bool last) {
  crypto::SecureBytes plain(kBundleChunkPlainBytes);
  plain.data()[0] = last ? kLastChunk : 0;
  plain.data()[1] = static_cast<uint8_t>(data.size() >> 8);
  plain.data()[2] = static_cast<uint8_t>(data.size());
  std::copy(data.begin(), data.end(), plain.data() + kChunkHeaderBytes);
  return plain;
}

Status Damaged(const std::string& what) {
  return Status::Corruption("the bundle is damaged: " + what);
}

// Appends one opened chunk's data to `content`; whether it was the last.
Result<bool> TakeChunk(const crypto::SecureBytes& plain, Bytes& content) {
  if (plain.size() != kBundleChunkPlainBytes) return Damaged("a chunk has the wrong size");
  const uint8_t flags = plain.data()[0];
  const size_t length = size_t{plain.data()[1]} << 8 | plain.data()[2];
  if ((flags & ~kLastChunk) != 0) return Damaged("a chunk has unknown flags");
  if (length > kBundleChunkDataBytes) return Damaged("a chunk's length is too large");
  const uint8_t* data = plain.data() + kChunkHeaderBytes;
  if (!std::all_of(data + length, plain.data() + plain.size(), [](uint8_t b) { return b == 0; })) {
    return Damaged("a chunk's padding is not zeros");
  }
  content.insert(content.end(), data, data + length);
  return (flags & kLastChunk) != 0;
}

}  // namespace

size_t SealedBundleBytes(size_t content_bytes) {
  return kBundleHeaderBytes + ChunksFor(content_bytes) * kBundleChunkBytes;
}

bool IsBundleSize(size_t file_bytes) {
  if (file_bytes < kBundleHeaderBytes + kBundleChunkBytes) return false;
  const size_t body = file_bytes - kBundleHeaderBytes;
  return body % kBundleChunkBytes == 0 && body / kBundleChunkBytes <= kMaxBundleChunks;
}

Result<Bytes> SealBundle(const crypto::X25519KeyPair& writer,
                         const crypto::X25519PublicKey& recipient, ByteSpan content,
                         std::optional<crypto::X25519KeyPair> fixed_ephemeral_for_testing) {
  const size_t chunks = ChunksFor(content.size());
  if (chunks > kMaxBundleChunks) return Status::InvalidArgument("the bundle would be too large");
  ATTUNE_ASSIGN_OR_RETURN(
      crypto::noise::HandshakeState handshake,
      StartHandshake(crypto::noise::Role::kInitiator, crypto::CopyKeyPair(writer), recipient,
                     std::move(fixed_ephemeral_for_testing)));
  ATTUNE_ASSIGN_OR_RETURN(Bytes file, handshake.WriteMessage({}));
  ATTUNE_ASSIGN_OR_RETURN(crypto::noise::TransportSession transport, std::move(handshake).Finish());
  file.reserve(kBundleHeaderBytes + chunks * kBundleChunkBytes);
  for (size_t i = 0; i < chunks; ++i) {
    const size_t begin = i * kBundleChunkDataBytes;
    const size_t length = std::min(kBundleChunkDataBytes, content.size() - begin);
    const crypto::SecureBytes plain =
        ChunkPlaintext(content.subspan(begin, length), /*last=*/i + 1 == chunks);
    ATTUNE_ASSIGN_OR_RETURN(Bytes sealed, transport.Encrypt(plain.span()));
    file.insert(file.end(), sealed.begin(), sealed.end());
  }
  return file;
}

Result<Bytes> OpenSealedBundle(const crypto::X25519KeyPair& recipient,
                               const crypto::X25519PublicKey& writer, ByteSpan file) {
  if (!IsBundleSize(file.size())) return Damaged("its size is not a bundle's");
  ATTUNE_ASSIGN_OR_RETURN(crypto::noise::HandshakeState handshake,
                          StartHandshake(crypto::noise::Role::kResponder,
                                         crypto::CopyKeyPair(recipient), writer, std::nullopt));
  if (!handshake.ReadMessage(file.first(kBundleHeaderBytes)).ok()) {
    return Status::UnknownPeer("the bundle was not sealed by your partner for you");
  }
  ATTUNE_ASSIGN_OR_RETURN(crypto::noise::TransportSession transport, std::move(handshake).Finish());
  Bytes content;
  bool last = false;
  for (size_t offset = kBundleHeaderBytes; offset < file.size(); offset += kBundleChunkBytes) {
    if (last) return Damaged("chunks follow the last one");
    Result<crypto::SecureBytes> plain = transport.Decrypt(file.subspan(offset, kBundleChunkBytes));
    if (!plain.ok()) {
      crypto::Wipe(content);
      return Status::AuthFailed("the bundle is damaged: a chunk failed its integrity check");
    }
    Result<bool> taken = TakeChunk(*plain, content);
    if (!taken.ok()) {
      crypto::Wipe(content);
      return taken.status();
    }
    last = *taken;
  }
  if (!last) {
    crypto::Wipe(content);
    return Damaged("its last chunk is missing");
  }
  return content;
}

}  // namespace attune::protocol
