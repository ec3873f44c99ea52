#include "crypto/x25519.h"

#include <sodium.h>

#include <cstdlib>
#include <utility>

#include "crypto/random.h"

namespace attune::crypto {

static_assert(kX25519SecretBytes == crypto_scalarmult_curve25519_SCALARBYTES);
static_assert(kX25519PublicBytes == crypto_scalarmult_curve25519_BYTES);
static_assert(kX25519SharedBytes == crypto_scalarmult_curve25519_BYTES);

namespace {

Status CheckSecret(const SecureBytes& secret) {
  if (secret.size() != kX25519SecretBytes) {
    return Status::InvalidArgument("x25519 secret must be 32 bytes");
  }
  return Status::Ok();
}

}  // namespace

X25519KeyPair GenerateX25519KeyPair() {
  X25519KeyPair pair{RandomSecret(kX25519SecretBytes), {}};
  // A 32-byte secret is always accepted, so only a libsodium bug could fail here.
  Result<X25519PublicKey> public_key = DeriveX25519Public(pair.secret);
  if (!public_key.ok()) std::abort();
  pair.public_key = *public_key;
  return pair;
}

Result<X25519PublicKey> DeriveX25519Public(const SecureBytes& secret) {
  ATTUNE_RETURN_IF_ERROR(CheckSecret(secret));
  X25519PublicKey public_key{};
  if (crypto_scalarmult_curve25519_base(public_key.data(), secret.data()) != 0) {
    return Status::Internal("x25519 base multiplication failed");
  }
  return public_key;
}

Result<X25519KeyPair> X25519KeyPairFromSecret(SecureBytes secret) {
  ATTUNE_ASSIGN_OR_RETURN(X25519PublicKey public_key, DeriveX25519Public(secret));
  return X25519KeyPair{std::move(secret), public_key};
}

X25519KeyPair CopyKeyPair(const X25519KeyPair& pair) {
  return X25519KeyPair{SecureBytes::CopyOf(pair.secret.span()), pair.public_key};
}

Result<SecureBytes> X25519(const SecureBytes& secret, const X25519PublicKey& peer_public) {
  ATTUNE_RETURN_IF_ERROR(CheckSecret(secret));
  SecureBytes shared(kX25519SharedBytes);
  // libsodium returns -1 when the output is all zeros (a low-order input);
  // the explicit check below keeps that guarantee even if it ever stopped doing so.
  int rc = crypto_scalarmult_curve25519(shared.data(), secret.data(), peer_public.data());
  if (rc != 0 || sodium_is_zero(shared.data(), shared.size()) == 1) {
    return Status::AuthFailed("x25519 peer key is a low-order point");
  }
  return shared;
}

}  // namespace attune::crypto
