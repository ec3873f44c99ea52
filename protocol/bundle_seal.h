// Sealing a bundle's content (protocol/bundle.h) to the partner: one Noise one-way message,
// Noise_K_25519_ChaChaPoly_BLAKE2b, the writer as initiator, both static keys known from
// pairing, prologue kBundlePrologue. Only the partner can open it, and opening it proves the
// writer's key wrote it for the partner's key. Pure: bytes in, bytes out.
//
// The file, byte by byte (docs/protocol.md section 7):
//   e                 32 bytes   the writer's ephemeral public key
//   tag               16 bytes   the handshake message's (empty) payload: authenticates e, es, ss
//   chunk 0 .. n-1    n x kBundleChunkBytes   Noise transport messages (nonces 0, 1, ...), each
//                                the encryption of kBundleChunkPlainBytes:
//                                  flags (1 byte: 0x01 on the last chunk, other bits 0)
//                                  length (u16 big-endian, at most kBundleChunkDataBytes)
//                                  data (`length` bytes of the content), zeros to the end
// Nothing else is in the clear: no magic, version or length. The size reveals n, the content's
// length rounded up to whole chunks. Reordered, dropped, repeated or foreign chunks fail their
// tag; a file cut at a chunk boundary has no last chunk; bytes after it are refused.
//
// Why the handshake payload is empty: a failure of the first 48 bytes then means "not written
// by this sender for this recipient" (or damage exactly there), and a later failure means
// damage, which lets the person be told which.
#ifndef ATTUNE_PROTOCOL_BUNDLE_SEAL_H_
#define ATTUNE_PROTOCOL_BUNDLE_SEAL_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/x25519.h"

namespace attune::protocol {

inline constexpr std::string_view kBundleNoiseName = "Noise_K_25519_ChaChaPoly_BLAKE2b";
// Names the bundle format's version; differs from a live session's "attune/1", so neither can
// be taken for the other.
inline constexpr std::string_view kBundlePrologue = "attune/1 bundle v1";
inline constexpr size_t kBundleHeaderBytes = 32 + 16;
inline constexpr size_t kBundleChunkBytes = 16384;
inline constexpr size_t kBundleChunkPlainBytes = kBundleChunkBytes - 16;
inline constexpr size_t kBundleChunkDataBytes = kBundleChunkPlainBytes - 3;
// A reader refuses files with more chunks than this (before reading them): the writer's content
// cap (kMaxBundleContentBytes) needs about 4,100.
inline constexpr size_t kMaxBundleChunks = 8192;

// The size of a sealed bundle of `content_bytes` bytes.
size_t SealedBundleBytes(size_t content_bytes);

// Seals `content` from `writer` to `recipient`. kInvalidArgument for a bad key or content over
// kMaxBundleChunks chunks.
Result<Bytes> SealBundle(const crypto::X25519KeyPair& writer,
                         const crypto::X25519PublicKey& recipient, ByteSpan content,
                         std::optional<crypto::X25519KeyPair> fixed_ephemeral_for_testing = {});

// Whether a file of `file_bytes` bytes has a bundle's shape (a header and 1..kMaxBundleChunks
// whole chunks), so a reader can refuse it before reading it.
bool IsBundleSize(size_t file_bytes);

// Opens a sealed bundle addressed to `recipient` and written by `writer` (the pinned partner):
// the content, which the caller wipes when done.
//   kCorruption   not a bundle's shape; or a chunk's inside is malformed, the last chunk is
//                 missing, or chunks follow it (truncated, padded, damaged)
//   kUnknownPeer  the first 48 bytes do not open: written by someone else, or for someone else
//                 (or by the same keys under another prologue), or damaged right there
//   kAuthFailed   a chunk fails its tag: damaged, reordered, or spliced from another bundle
Result<Bytes> OpenSealedBundle(const crypto::X25519KeyPair& recipient,
                               const crypto::X25519PublicKey& writer, ByteSpan file);

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_BUNDLE_SEAL_H_
