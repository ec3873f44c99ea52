#include "crypto/x25519.h"

#include <gtest/gtest.h>

#include "base/bytes.h"

namespace attune::crypto {
namespace {

SecureBytes SecretFromHex(std::string_view hex) {
  return SecureBytes::CopyOf(FromHex(hex).value());
}

X25519PublicKey PublicFromHex(std::string_view hex) {
  Bytes bytes = FromHex(hex).value();
  X25519PublicKey key{};
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

// RFC 7748 section 6.1.
constexpr std::string_view kAliceSecret =
    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
constexpr std::string_view kAlicePublic =
    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
constexpr std::string_view kBobPublic =
    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
constexpr std::string_view kShared =
    "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

TEST(X25519Test, MatchesRfc7748) {
  SecureBytes alice = SecretFromHex(kAliceSecret);
  Result<X25519PublicKey> alice_public = DeriveX25519Public(alice);
  ASSERT_TRUE(alice_public.ok());
  EXPECT_EQ(ToHex(*alice_public), kAlicePublic);
  Result<SecureBytes> shared = X25519(alice, PublicFromHex(kBobPublic));
  ASSERT_TRUE(shared.ok()) << shared.status().detail();
  EXPECT_EQ(ToHex(shared->span()), kShared);
}

TEST(X25519Test, GeneratedPairsAgree) {
  X25519KeyPair a = GenerateX25519KeyPair();
  X25519KeyPair b = GenerateX25519KeyPair();
  EXPECT_NE(a.public_key, b.public_key);
  EXPECT_EQ(*DeriveX25519Public(a.secret), a.public_key);
  Result<SecureBytes> ab = X25519(a.secret, b.public_key);
  Result<SecureBytes> ba = X25519(b.secret, a.public_key);
  ASSERT_TRUE(ab.ok() && ba.ok());
  EXPECT_TRUE(ab->ConstantTimeEquals(*ba));
}

TEST(X25519Test, RejectsLowOrderPeerKeys) {
  X25519KeyPair a = GenerateX25519KeyPair();
  X25519PublicKey zero{};
  X25519PublicKey one{};
  one[0] = 1;  // u = 1 is another small-order point (RFC 7748 section 7)
  for (const X25519PublicKey& bad : {zero, one}) {
    Result<SecureBytes> shared = X25519(a.secret, bad);
    ASSERT_FALSE(shared.ok());
    EXPECT_EQ(shared.status().code(), StatusCode::kAuthFailed);
  }
}

TEST(X25519Test, RejectsWrongSizedSecrets) {
  EXPECT_EQ(DeriveX25519Public(SecureBytes(31)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(X25519(SecureBytes(33), X25519PublicKey{}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(X25519KeyPairFromSecret(SecureBytes()).ok());
}

TEST(X25519Test, KeyPairFromSecretAndCopy) {
  Result<X25519KeyPair> pair = X25519KeyPairFromSecret(SecretFromHex(kAliceSecret));
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(ToHex(pair->public_key), kAlicePublic);
  X25519KeyPair copy = CopyKeyPair(*pair);
  EXPECT_EQ(copy.public_key, pair->public_key);
  EXPECT_TRUE(copy.secret.ConstantTimeEquals(pair->secret));
  EXPECT_NE(copy.secret.data(), pair->secret.data());
}

}  // namespace
}  // namespace attune::crypto
