// The Noise Protocol Framework, revision 34 (https://noiseprotocol.org/noise.html),
// for protocol names "Noise_<PATTERN>_25519_ChaChaPoly_<HASH>" with HASH one of
// BLAKE2b, SHA256, SHA512 and PATTERN one of noise_patterns.h's (no psk).
//
// A pure state machine: bytes in, bytes out. It never touches a socket or a
// clock; framing, timeouts and retries belong to the caller (protocol/).
//
//   Result<HandshakeState> handshake = HandshakeState::Create(std::move(options));
//   initiator: Result<Bytes> m1 = handshake->WriteMessage(payload);  // send *m1
//   responder: Result<SecureBytes> p1 = handshake->ReadMessage(m1);  // ...
//   ... alternate, guided by next_step(), until it returns kFinished, then
//   Result<TransportSession> session = std::move(*handshake).Finish();
//
// Security contract:
//   - Authentication only means something if the caller checks
//     remote_static() against the partner's pinned key (or supplied it up
//     front for K/I/N-style patterns where the pattern pre-shares it).
//   - Handshake payloads are encrypted only once a DH has been mixed in;
//     the first message of most patterns is sent in the clear.
//   - Every message (handshake or transport) is at most kMaxMessageBytes.
//
// Preconditions: crypto::Init() has succeeded. HandshakeState and
// TransportSession are move-only and not thread-safe: confine each to one
// thread (or strand) at a time.
#ifndef ATTUNE_CRYPTO_NOISE_H_
#define ATTUNE_CRYPTO_NOISE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/noise_cipher_state.h"
#include "crypto/noise_hash.h"
#include "crypto/noise_patterns.h"
#include "crypto/noise_symmetric_state.h"
#include "crypto/secure_bytes.h"
#include "crypto/x25519.h"

namespace attune::crypto::noise {

// Noise section 3: no message, handshake or transport, exceeds this.
inline constexpr size_t kMaxMessageBytes = 65535;

enum class Role { kInitiator, kResponder };

// A parsed protocol name. The DH (25519) and cipher (ChaChaPoly) are fixed.
struct Protocol {
  std::string name;  // the full name, hashed into the handshake
  HandshakePattern pattern;
  HashFunction hash = HashFunction::kBlake2b;
};

// Parses "Noise_<PATTERN>_25519_ChaChaPoly_<HASH>".
//   kInvalidArgument  not of the form Noise_A_B_C_D
//   kUnsupported      a well-formed name using a pattern, modifier (psk,
//                     fallback), DH, cipher or hash this module lacks
Result<Protocol> ParseProtocolName(std::string_view name);

struct HandshakeOptions {
  Role role = Role::kInitiator;
  std::string protocol_name;  // e.g. "Noise_XX_25519_ChaChaPoly_BLAKE2b"
  Bytes prologue;             // must equal the peer's, or the handshake fails
  // Required exactly when the pattern makes this side send or pre-share a
  // static key (the I, K, X positions of our role); rejected otherwise.
  std::optional<X25519KeyPair> local_static;
  // Required exactly when the pattern pre-shares the peer's static key
  // (e.g. the initiator of NK, IK, XK; either side of KK); rejected otherwise,
  // since a key the pattern would ignore would look like pinning but not be.
  std::optional<X25519PublicKey> remote_static;
  // FOR TEST VECTORS ONLY: use this instead of a fresh random ephemeral key.
  // Reusing an ephemeral key across handshakes destroys forward secrecy and,
  // in many patterns, confidentiality. Ignored if this side sends no e.
  std::optional<X25519KeyPair> fixed_ephemeral_for_testing;
};

// What a HandshakeState expects next.
enum class HandshakeStep {
  kWrite,     // our turn: call WriteMessage
  kRead,      // the peer's turn: call ReadMessage with its message
  kFinished,  // all messages exchanged: call Finish
  kFailed,    // an earlier step failed; the handshake is dead
};

class TransportSession;

class HandshakeState {
 public:
  // Parses the name, checks the keys against the pattern (see
  // HandshakeOptions), and mixes in the prologue and pre-messages.
  //   kInvalidArgument / kUnsupported  as ParseProtocolName, or a key is
  //                     missing, unexpected, or not 32 bytes / inconsistent
  static Result<HandshakeState> Create(HandshakeOptions options);

  HandshakeState(HandshakeState&&) noexcept = default;
  HandshakeState& operator=(HandshakeState&&) noexcept = default;

  HandshakeStep next_step() const;
  Role role() const { return role_; }
  const Protocol& protocol() const { return protocol_; }

  // Builds our next handshake message carrying `payload` (encrypted if a key
  // has been mixed in already).
  //   kInvalidArgument  not our turn (or finished / failed), or the message
  //                     would exceed kMaxMessageBytes; the state is unchanged
  //   kAuthFailed       a DH gave the all-zero output (low-order peer key);
  //                     the handshake is now failed
  Result<Bytes> WriteMessage(ByteSpan payload);

  // Processes the peer's next handshake message and returns its payload.
  // ANY error leaves the handshake failed (no retry on a partially mixed
  // state): the caller must drop the connection and start over.
  //   kInvalidArgument  not the peer's turn, finished, failed, or the message
  //                     exceeds kMaxMessageBytes
  //   kCorruption       the message is too short for its tokens
  //   kAuthFailed       a tag did not verify, or a low-order peer key
  Result<SecureBytes> ReadMessage(ByteSpan message);

  // h: the handshake hash so far. After the handshake it uniquely identifies
  // the session (channel binding); both sides agree on it.
  ByteSpan handshake_hash() const;
  // The peer's static key once known (supplied up front or received), else
  // nullopt. Received keys are authenticated only when the handshake
  // finishes; pin-check them then.
  const std::optional<X25519PublicKey>& remote_static() const { return remote_static_; }

  // Consumes the finished handshake into a transport session.
  // kInvalidArgument if next_step() is not kFinished.
  Result<TransportSession> Finish() &&;

 private:
  HandshakeState(HandshakeOptions options, Protocol protocol);

  const std::vector<Token>& CurrentMessage() const;
  size_t WrittenSize(size_t payload_size) const;
  Result<Bytes> WriteTokensAndPayload(ByteSpan payload);
  Result<SecureBytes> ReadTokensAndPayload(ByteSpan message);
  Result<Bytes> WriteToken(Token token);
  Result<size_t> ReadToken(Token token, ByteSpan remaining);
  Status MixDh(Token token);
  void Fail();

  Protocol protocol_;
  Role role_;
  std::optional<SymmetricState> symmetric_;  // reset when the handshake fails
  std::optional<X25519KeyPair> local_static_;
  std::optional<X25519KeyPair> local_ephemeral_;
  std::optional<X25519KeyPair> fixed_ephemeral_;
  std::optional<X25519PublicKey> remote_static_;
  std::optional<X25519PublicKey> remote_ephemeral_;
  size_t next_message_ = 0;
};

// The transport phase: one CipherState per direction (by role), the final
// handshake hash and the peer's static key. Transport messages carry no
// associated data and use consecutive nonces, so they must be decrypted in
// the order they were encrypted (a reliable, ordered stream).
class TransportSession {
 public:
  TransportSession(TransportSession&&) noexcept = default;
  TransportSession& operator=(TransportSession&&) noexcept = default;

  // Encrypts the next outgoing message (plaintext + 16-byte tag).
  //   kInvalidArgument  the result would exceed kMaxMessageBytes, this side
  //                     may not send (responder of a one-way pattern), or the
  //                     nonces are exhausted (the direction is then dead)
  Result<Bytes> Encrypt(ByteSpan plaintext);
  // Decrypts the next incoming message. On failure the receive nonce does
  // not advance; since the stream is ordered, the caller should treat any
  // error as fatal for the connection.
  //   kInvalidArgument  too long, or this side may not receive
  //   kCorruption       shorter than a tag
  //   kAuthFailed       tampered, reordered, or not from this session
  Result<SecureBytes> Decrypt(ByteSpan ciphertext);
  // The same into `scratch`, reused from message to message (CipherState::DecryptWithAdInto).
  Result<ByteSpan> DecryptInto(ByteSpan ciphertext, SecureScratch& scratch);

  // Noise section 11.3 rekey of one direction; both sides must rekey the
  // same direction at the same point in the stream. kInvalidArgument if that
  // direction is unused (one-way patterns).
  Status RekeyOutgoing() { return send_.Rekey(); }
  Status RekeyIncoming() { return receive_.Rekey(); }

  Role role() const { return role_; }
  bool CanSend() const { return send_.HasKey(); }
  bool CanReceive() const { return receive_.HasKey(); }
  // Messages sent / received so far in each direction (the next nonce).
  uint64_t sending_nonce() const { return send_.nonce(); }
  uint64_t receiving_nonce() const { return receive_.nonce(); }
  ByteSpan handshake_hash() const { return handshake_hash_; }
  const std::optional<X25519PublicKey>& remote_static() const { return remote_static_; }

 private:
  friend class HandshakeState;
  TransportSession(Role role, CipherState send, CipherState receive, Bytes handshake_hash,
                   std::optional<X25519PublicKey> remote_static);
  // Decrypt's and DecryptInto's checks: this side receives, and the message fits Noise's limit.
  Status CheckReceivable(ByteSpan ciphertext) const;

  Role role_;
  CipherState send_;
  CipherState receive_;
  Bytes handshake_hash_;
  std::optional<X25519PublicKey> remote_static_;
};

}  // namespace attune::crypto::noise

#endif  // ATTUNE_CRYPTO_NOISE_H_
