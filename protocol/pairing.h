// Pairing: two people who share a one-time code (protocol/pairing_code.h) exchange their
// long-term X25519 public keys and display names, authenticated by that code and nothing else.
// A pure state machine: messages in, messages out; node/ moves the frames and keeps the time.
//
//   joiner (typed the code)                        inviter (showed the code)
//   PairRequest{version = 2, channel, sid, Ya}  ---->
//                                           <----  PairResponse{Yb, confirm_inviter}
//   PairConfirm{confirm_joiner, seal_j(id_j)} ---->
//                                           <----  PairFinish{seal_i(id_i)}
//
// CPace (draft-irtf-cfrg-cpace, ristretto255/SHA-512) with password = the canonical code,
// channel identifier = "attune/1 pairing" || channel, session id = the joiner's 16 random bytes,
// gives both sides the same ISK exactly when both used the same code. From the ISK, keyed
// BLAKE2b derives one confirmation key and one sealing key per direction; the confirmation tags
// cover the transcript (sid, Ya, Yb), so a wrong code fails at the first tag on either side and
// an attacker who does not know the code learns only "wrong" per run: one online guess.
// Identities are sealed with XChaCha20-Poly1305, so an eavesdropper never sees keys or names.
//
// Contract:
//  - Any error from Receive() ends the run (finished() never becomes true); nothing it returned
//    earlier should be stored. After a code mismatch detected here, abort_message() holds a
//    PairAbort to send (best effort) so the other side can say what happened.
//  - Errors: kAuthFailed with PairingReason::kCodeMismatch: the codes differ (either side's
//    check, or the peer's PairAbort);
//    kUnsupported: the peer speaks another pairing version (the inviter's check of the request,
//    which leaves a PairAbort{VERSION_MISMATCH} in abort_message(), or that abort received),
//    with the reason kPeerOlder or kPeerNewer; kCorruption: a malformed or unexpected message;
//    kInvalidArgument: a programming error (wrong role for Start()).
#ifndef ATTUNE_PROTOCOL_PAIRING_H_
#define ATTUNE_PROTOCOL_PAIRING_H_

#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/cpace.h"
#include "crypto/secure_bytes.h"
#include "crypto/x25519.h"
#include "protocol/pairing_code.h"

namespace attune::protocol {

// The pairing's protocol version: the version of the link protocol the two will speak once paired
// (attune/2, sessions in Noise KK). PairRequest and PairAbort carry it, and the two sides pair
// only if theirs are equal, so that a new attune never pairs with an old one it then could not
// talk to. Version 1 (attune before issue 15) sent no version in its PairAbort.
inline constexpr uint32_t kPairingVersion = 2;

// Why a pairing was refused with kUnsupported (Status::Is).
enum class PairingReason {
  kPeerOlder = 350,  // the peer speaks an older version (or, in its abort, did not say which)
  kPeerNewer = 351,  // the peer speaks a newer version
  // kAuthFailed: the codes differ (either side's check, or the peer's PairAbort).
  kCodeMismatch = 352,
};

// What each side learns about the other.
struct PairingIdentity {
  crypto::X25519PublicKey static_key{};
  std::string display_name;  // valid UTF-8, at most kMaxDisplayNameBytes
  uint16_t serve_port = 0;   // where this side's `attune serve` listens; 0 if not announced
  // Where this side's node is reached through Tor (crypto/onion.h: 56 characters, no ".onion")
  // and the X25519 key of its tor as a client, which the other side's onion service admits.
  // Both or neither: a peer older than issue 17 sends neither.
  std::string onion_address;
  std::optional<crypto::X25519PublicKey> onion_client_key;
  bool operator==(const PairingIdentity&) const = default;
};

enum class PairingRole { kInviter, kJoiner };

class Pairing {
 public:
  // kInvalidArgument if `own.display_name` is too long or not UTF-8.
  static Result<Pairing> Create(PairingRole role, const PairingCode& code, PairingIdentity own);

  Pairing(Pairing&&) noexcept = default;
  Pairing& operator=(Pairing&&) noexcept = default;

  // Joiner only, once: the PairRequest to send first.
  Result<Bytes> Start();

  // Processes the peer's next message; returns the reply to send, if any (the joiner's last
  // step returns none). See the contract above for errors.
  Result<std::optional<Bytes>> Receive(ByteSpan message);

  bool finished() const { return stage_ == Stage::kFinished; }
  // The peer's identity; meaningful once finished().
  const PairingIdentity& peer() const { return peer_; }
  // A PairAbort to send after this side detected a code mismatch.
  const std::optional<Bytes>& abort_message() const { return abort_message_; }

 private:
  enum class Stage {
    kIdle,           // joiner: Start() not called; inviter: waiting for the request
    kAwaitResponse,  // joiner
    kAwaitConfirm,   // inviter
    kAwaitFinish,    // joiner
    kFinished,
    kFailed,
  };

  Pairing(PairingRole role, const PairingCode& code, PairingIdentity own);

  Result<std::optional<Bytes>> OnRequest(ByteSpan message);
  Result<std::optional<Bytes>> OnResponse(ByteSpan message);
  Result<std::optional<Bytes>> OnConfirm(ByteSpan message);
  Result<std::optional<Bytes>> OnFinish(ByteSpan message);
  Status DeriveKeys(const crypto::SecureBytes& isk);
  Status CodeMismatch();
  Result<Bytes> SealOwnIdentity() const;
  Status OpenPeerIdentity(ByteSpan sealed);
  Status ReadPeerOnion(const std::string& address, const std::string& client_key);
  Bytes Transcript() const;

  PairingRole role_;
  Stage stage_ = Stage::kIdle;
  PairingCode code_;
  PairingIdentity own_;
  PairingIdentity peer_;
  std::optional<crypto::cpace::Party> party_;
  Bytes session_id_;
  Bytes joiner_share_;
  Bytes inviter_share_;
  crypto::SecureBytes confirm_joiner_key_;
  crypto::SecureBytes confirm_inviter_key_;
  crypto::SecureBytes seal_joiner_key_;
  crypto::SecureBytes seal_inviter_key_;
  std::optional<Bytes> abort_message_;
};

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_PAIRING_H_
