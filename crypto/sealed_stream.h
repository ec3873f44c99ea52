// A sealed stream: a sequence of chunks encrypted and authenticated as one message, so that a
// changed, dropped, repeated or reordered chunk, a chunk from another stream, and a stream cut
// short all fail to open. libsodium's crypto_secretstream_xchacha20poly1305: XChaCha20-Poly1305
// with a random 24-byte stream header (so one key may seal many streams) and a per-chunk counter
// kept in the state; the last chunk carries a final tag.
//
// Format: header (kHeaderBytes) || chunk 1 || chunk 2 || ..., each chunk exactly kOverheadBytes
// longer than its plaintext. Chunk boundaries are the caller's to frame (node's backup file
// uses a fixed chunk size, so no length is read from the file).
//
// Preconditions: crypto::Init() has succeeded. A Writer or Reader is move-only and confined to
// one thread; its state (which holds the key) lives in secure memory and is wiped with it.
#ifndef ATTUNE_CRYPTO_SEALED_STREAM_H_
#define ATTUNE_CRYPTO_SEALED_STREAM_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto::sealed_stream {

inline constexpr size_t kKeyBytes = 32;
inline constexpr size_t kHeaderBytes = 24;
inline constexpr size_t kOverheadBytes = 17;

using Header = std::array<uint8_t, kHeaderBytes>;

class Writer {
 public:
  // A new stream under `key`, with a fresh random header. kInvalidArgument if the key is not
  // kKeyBytes long.
  static Result<Writer> Start(const SecureBytes& key);

  // Goes before the first chunk; not secret.
  const Header& header() const { return header_; }

  // Seals the next chunk, authenticating `associated_data` with it (not stored: the reader
  // supplies the same bytes). `final` marks the last chunk; kInvalidArgument for a chunk after
  // it.
  Result<Bytes> Seal(ByteSpan plaintext, ByteSpan associated_data, bool final);

 private:
  Writer(SecureBytes state, const Header& header) : state_(std::move(state)), header_(header) {}
  SecureBytes state_;
  Header header_;
  bool finished_ = false;
};

struct Chunk {
  Bytes plaintext;
  bool final = false;
};

class Reader {
 public:
  // Reads a stream under `key` that began with `header`. kInvalidArgument for a key of the
  // wrong size, kCorruption for a header of the wrong size.
  static Result<Reader> Start(const SecureBytes& key, ByteSpan header);

  // Opens the next chunk.
  //   kCorruption  shorter than kOverheadBytes, or a chunk after the final one
  //   kAuthFailed  anything else that does not verify: a changed byte, the wrong key or
  //                associated data, a chunk out of order or from another stream
  Result<Chunk> Open(ByteSpan sealed, ByteSpan associated_data);

  // Whether the final chunk was opened: a stream that ends before it was cut short.
  bool finished() const { return finished_; }

 private:
  explicit Reader(SecureBytes state) : state_(std::move(state)) {}
  SecureBytes state_;
  bool finished_ = false;
};

}  // namespace attune::crypto::sealed_stream

#endif  // ATTUNE_CRYPTO_SEALED_STREAM_H_
