#include "crypto/cpace.h"

#include <sodium.h>

#include <utility>

#include "crypto/cpace_internal.h"

namespace attune::crypto::cpace {

namespace {

// Shared tail of Start and StartWithFixedScalarForTestingOnly: the generator
// is needed only to compute the share, so it is dropped (and wiped by
// SecureBytes) before returning.
Result<Share> ComputeShare(const SecureBytes& password, ByteSpan channel_id, ByteSpan session_id,
                           const SecureBytes& scalar) {
  const SecureBytes generator =
      internal::CalculateGenerator(password.span(), channel_id, session_id);
  return internal::ScalarMult(scalar.span(), generator.span());
}

}  // namespace

Party::Party(Role role, SecureBytes scalar, const Share& share, ByteSpan session_id,
             ByteSpan own_associated_data)
    : role_(role),
      scalar_(std::move(scalar)),
      share_(share),
      session_id_(session_id.begin(), session_id.end()),
      own_associated_data_(own_associated_data.begin(), own_associated_data.end()) {}

Result<Party> Party::Start(Role role, const SecureBytes& password, ByteSpan channel_id,
                           ByteSpan session_id, ByteSpan own_associated_data) {
  if (password.empty()) return Status::InvalidArgument("cpace password is empty");
  SecureBytes scalar(kScalarBytes);
  // Uniform in [1, group order): libsodium redraws zero and non-canonical
  // values, so no bias and no zero scalar.
  crypto_core_ristretto255_scalar_random(scalar.data());
  ATTUNE_ASSIGN_OR_RETURN(Share share, ComputeShare(password, channel_id, session_id, scalar));
  return Party(role, std::move(scalar), share, session_id, own_associated_data);
}

Result<Party> Party::StartWithFixedScalarForTestingOnly(Role role, const SecureBytes& password,
                                                        ByteSpan channel_id, ByteSpan session_id,
                                                        ByteSpan own_associated_data,
                                                        const SecureBytes& scalar) {
  if (password.empty()) return Status::InvalidArgument("cpace password is empty");
  if (!internal::IsCanonicalNonZeroScalar(scalar.span())) {
    return Status::InvalidArgument("cpace scalar is not canonical and non-zero");
  }
  SecureBytes own_scalar = SecureBytes::CopyOf(scalar.span());
  ATTUNE_ASSIGN_OR_RETURN(Share share, ComputeShare(password, channel_id, session_id, own_scalar));
  return Party(role, std::move(own_scalar), share, session_id, own_associated_data);
}

Result<SecureBytes> Party::Finish(ByteSpan peer_share, ByteSpan peer_associated_data) && {
  if (scalar_.empty()) return Status::Internal("cpace party already finished");
  // Taking the scalar out first consumes the party on every path below; the
  // local is wiped by its destructor when this function returns.
  const SecureBytes scalar = std::move(scalar_);
  if (peer_share.size() != kShareBytes) {
    return Status::Corruption("cpace share has the wrong length");
  }
  ATTUNE_ASSIGN_OR_RETURN(SecureBytes shared_point,
                          internal::ScalarMultVfy(scalar.span(), peer_share));
  const Bytes transcript =
      role_ == Role::kInitiator
          ? internal::TranscriptIr(share_, own_associated_data_, peer_share, peer_associated_data)
          : internal::TranscriptIr(peer_share, peer_associated_data, share_, own_associated_data_);
  return internal::DeriveIsk(session_id_, shared_point.span(), transcript);
}

}  // namespace attune::crypto::cpace
