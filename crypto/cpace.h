// CPace, a balanced password-authenticated key exchange, in the suite
// CPACE-RISTR255-SHA512 of draft-irtf-cfrg-cpace (group ristretto255, hash
// SHA-512), initiator-responder flavour, via libsodium.
//
// Two parties that share a low-entropy password (attune: the short pairing
// code shown on one device and typed on the other) each send one 32-byte
// share and end with the same 64-byte intermediate session key (ISK), or with
// different keys if the passwords, channel identifiers or session ids differ.
// An eavesdropper learns nothing useful, and an active attacker gets one
// password guess per protocol run. The ISK is NOT authenticated yet: the
// caller must confirm it (e.g. by a MAC over the transcript, or by using it
// to key a channel whose first message would fail otherwise) before trusting
// the peer, and should pass it through a KDF before using it as a key.
//
// Flow (no I/O here; the caller moves the bytes):
//
//   initiator                                responder
//   a = Party::Start(kInitiator, pw, ci,     b = Party::Start(kResponder, pw,
//                    sid, ad_a)                               ci, sid, ad_b)
//   send a.share(), ad_a           ---->
//                                  <----     send b.share(), ad_b
//   isk = move(a).Finish(Yb, ad_b)           isk = move(b).Finish(Ya, ad_a)
//
// Inputs, as the draft names them:
//   password (PRS)  secret; must be non-empty.
//   channel_id (CI) public bytes both sides agree on, e.g. the parties'
//                   identities; may be empty.
//   session_id (sid) public bytes both sides agree on, ideally fresh per run
//                   (e.g. random bytes the initiator announced); may be empty
//                   but then an attacker can replay shares across runs.
//   associated data (ADa / ADb) public bytes each party sends with its share;
//                   they enter the transcript, so a tampered AD yields a
//                   different ISK.
//
// Preconditions: crypto::Init() has succeeded. A Party is not thread-safe;
// distinct Party objects are independent.
#ifndef ATTUNE_CRYPTO_CPACE_H_
#define ATTUNE_CRYPTO_CPACE_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secure_bytes.h"

namespace attune::crypto::cpace {

// Size of a share (an encoded ristretto255 element) on the wire.
inline constexpr size_t kShareBytes = 32;
// Size of a scalar, little-endian.
inline constexpr size_t kScalarBytes = 32;
// Size of the intermediate session key (one SHA-512 output).
inline constexpr size_t kIskBytes = 64;

using Share = std::array<uint8_t, kShareBytes>;

// Which transcript slot this party's share and AD occupy. The two parties
// must take different roles, or their ISKs differ.
enum class Role { kInitiator, kResponder };

// One side of one CPace run. Move-only; Finish consumes it, so a secret
// scalar is never used for two key derivations. The secret scalar lives in
// secure memory and is wiped when Finish returns or the Party is destroyed.
class Party {
 public:
  // Derives the generator from (password, channel_id, session_id), draws a
  // fresh secret scalar and computes this party's share.
  //   kInvalidArgument  password is empty
  //   kInternal         the derived generator was the identity element
  //                     (probability ~2^-252; indicates a broken library)
  static Result<Party> Start(Role role, const SecureBytes& password, ByteSpan channel_id,
                             ByteSpan session_id, ByteSpan own_associated_data);

  // As Start, but with the caller's secret scalar (32 bytes, little-endian,
  // canonical and non-zero). FOR TEST VECTORS ONLY: reusing a scalar across
  // runs, or choosing it non-randomly, breaks the protocol's security.
  // Production code calls Start.
  //   kInvalidArgument  as Start, or the scalar is not a canonical non-zero
  //                     32-byte scalar
  static Result<Party> StartWithFixedScalarForTestingOnly(Role role, const SecureBytes& password,
                                                          ByteSpan channel_id, ByteSpan session_id,
                                                          ByteSpan own_associated_data,
                                                          const SecureBytes& scalar);

  Party(Party&&) noexcept = default;
  Party& operator=(Party&&) noexcept = default;
  Party(const Party&) = delete;
  Party& operator=(const Party&) = delete;
  ~Party() = default;

  // This party's share (Ya or Yb), to send to the peer with its own AD.
  const Share& share() const { return share_; }
  Role role() const { return role_; }

  // Verifies the peer's share and derives the ISK over the
  // initiator-responder transcript. Consumes the party whatever the outcome.
  //   kCorruption  peer_share is not kShareBytes long
  //   kAuthFailed  peer_share is not a canonical ristretto255 encoding, or
  //                the shared point is the identity (e.g. an all-zero share)
  //   kInternal    the party was already finished or moved from
  Result<SecureBytes> Finish(ByteSpan peer_share, ByteSpan peer_associated_data) &&;

 private:
  Party(Role role, SecureBytes scalar, const Share& share, ByteSpan session_id,
        ByteSpan own_associated_data);

  Role role_;
  SecureBytes scalar_;  // Empty once finished or moved from.
  Share share_;
  Bytes session_id_;
  Bytes own_associated_data_;
};

}  // namespace attune::crypto::cpace

#endif  // ATTUNE_CRYPTO_CPACE_H_
