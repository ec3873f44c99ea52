#include "crypto/sealed_stream.h"

#include <sodium.h>

namespace attune::crypto::sealed_stream {
namespace {

using State = crypto_secretstream_xchacha20poly1305_state;

static_assert(kKeyBytes == crypto_secretstream_xchacha20poly1305_KEYBYTES);
static_assert(kHeaderBytes == crypto_secretstream_xchacha20poly1305_HEADERBYTES);
static_assert(kOverheadBytes == crypto_secretstream_xchacha20poly1305_ABYTES);
// The state is kept in a SecureBytes, whose memory has no particular alignment.
static_assert(alignof(State) == 1);

State* StateIn(SecureBytes& bytes) {
  return reinterpret_cast<State*>(bytes.data());
}

}  // namespace

Result<Writer> Writer::Start(const SecureBytes& key) {
  if (key.size() != kKeyBytes) return Status::InvalidArgument("stream key has wrong size");
  SecureBytes state(sizeof(State));
  Header header{};
  crypto_secretstream_xchacha20poly1305_init_push(StateIn(state), header.data(), key.data());
  return Writer(std::move(state), header);
}

Result<Bytes> Writer::Seal(ByteSpan plaintext, ByteSpan associated_data, bool final) {
  if (finished_) return Status::InvalidArgument("the stream was finished");
  Bytes sealed(plaintext.size() + kOverheadBytes);
  const unsigned char tag = final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                  : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  if (crypto_secretstream_xchacha20poly1305_push(
          StateIn(state_), sealed.data(), nullptr, plaintext.data(), plaintext.size(),
          associated_data.data(), associated_data.size(), tag) != 0) {
    return Status::InvalidArgument("chunk too large");
  }
  finished_ = final;
  return sealed;
}

Result<Reader> Reader::Start(const SecureBytes& key, ByteSpan header) {
  if (key.size() != kKeyBytes) return Status::InvalidArgument("stream key has wrong size");
  if (header.size() != kHeaderBytes) return Status::Corruption("stream header has wrong size");
  SecureBytes state(sizeof(State));
  // init_pull cannot fail for a header of the right size.
  (void)crypto_secretstream_xchacha20poly1305_init_pull(StateIn(state), header.data(), key.data());
  return Reader(std::move(state));
}

Result<Chunk> Reader::Open(ByteSpan sealed, ByteSpan associated_data) {
  if (finished_) return Status::Corruption("data after the end of the stream");
  if (sealed.size() < kOverheadBytes) return Status::Corruption("chunk too short");
  Chunk chunk;
  chunk.plaintext.resize(sealed.size() - kOverheadBytes);
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(
          StateIn(state_), chunk.plaintext.data(), nullptr, &tag, sealed.data(), sealed.size(),
          associated_data.data(), associated_data.size()) != 0) {
    Wipe(chunk.plaintext);
    return Status::AuthFailed("a chunk does not verify");
  }
  chunk.final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  finished_ = chunk.final;
  return chunk;
}

}  // namespace attune::crypto::sealed_stream
