#include "crypto/noise_cipher_state.h"

#include <gtest/gtest.h>

#include <string>

#include "base/bytes.h"

namespace attune::crypto::noise {
namespace {

Bytes Hex(std::string_view hex) {
  return FromHex(hex).value();
}

Bytes CopyOut(const SecureBytes& secret) {
  return Bytes(secret.span().begin(), secret.span().end());
}

// Key 00 01 02 .. 1f. Expected ciphertexts were computed independently with
// Python's `cryptography` ChaCha20Poly1305 and the nonce 4 zero bytes ||
// little-endian counter.
CipherState KeyedState() {
  Bytes key(kCipherKeyBytes);
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
  CipherState state;
  EXPECT_TRUE(state.InitializeKey(key).ok());
  return state;
}

TEST(NoiseCipherStateTest, WithoutAKeyPassesDataThrough) {
  CipherState state;
  EXPECT_FALSE(state.HasKey());
  Result<Bytes> encrypted = state.EncryptWithAd(AsBytes("ad"), AsBytes("hello"));
  ASSERT_TRUE(encrypted.ok());
  EXPECT_EQ(*encrypted, Bytes({'h', 'e', 'l', 'l', 'o'}));
  EXPECT_EQ(state.nonce(), 0u);
  EXPECT_FALSE(state.Rekey().ok());
}

TEST(NoiseCipherStateTest, EncodesTheNonceLittleEndianAfterFourZeroBytes) {
  CipherState state = KeyedState();
  state.SetNonce(0x0102030405060708);
  Result<Bytes> encrypted = state.EncryptWithAd(AsBytes("ad"), AsBytes("hello"));
  ASSERT_TRUE(encrypted.ok());
  EXPECT_EQ(ToHex(*encrypted), "982cc188c470553bfb5182218e71c7b4be8e2490e3");
  EXPECT_EQ(state.nonce(), 0x0102030405060709u);
}

TEST(NoiseCipherStateTest, RoundTripsAndCountsNonces) {
  CipherState sender = KeyedState();
  CipherState receiver = KeyedState();
  for (int i = 0; i < 3; ++i) {
    Result<Bytes> sealed = sender.EncryptWithAd(AsBytes("ad"), AsBytes("message"));
    ASSERT_TRUE(sealed.ok());
    Result<SecureBytes> opened = receiver.DecryptWithAd(AsBytes("ad"), *sealed);
    ASSERT_TRUE(opened.ok()) << opened.status().detail();
    EXPECT_EQ(CopyOut(*opened), Bytes({'m', 'e', 's', 's', 'a', 'g', 'e'}));
  }
  EXPECT_EQ(sender.nonce(), 3u);
  EXPECT_EQ(receiver.nonce(), 3u);
}

TEST(NoiseCipherStateTest, FailedDecryptionDoesNotAdvanceTheNonce) {
  CipherState sender = KeyedState();
  CipherState receiver = KeyedState();
  Bytes sealed = *sender.EncryptWithAd({}, AsBytes("message"));
  Bytes tampered = sealed;
  tampered[0] ^= 0x01;
  Result<SecureBytes> opened = receiver.DecryptWithAd({}, tampered);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kAuthFailed);
  EXPECT_EQ(receiver.nonce(), 0u);
  EXPECT_FALSE(receiver.DecryptWithAd(AsBytes("other ad"), sealed).ok());
  EXPECT_TRUE(receiver.DecryptWithAd({}, sealed).ok());
}

TEST(NoiseCipherStateTest, DecryptingIntoAScratchAgreesWithDecryptingIntoAFreshBuffer) {
  CipherState sender = KeyedState();
  CipherState by_buffer = KeyedState();
  CipherState by_scratch = KeyedState();
  SecureScratch scratch;
  for (const char* text : {"a longer first message", "short", ""}) {
    const Bytes sealed = *sender.EncryptWithAd(AsBytes("ad"), AsBytes(text));
    Result<SecureBytes> fresh = by_buffer.DecryptWithAd(AsBytes("ad"), sealed);
    Result<ByteSpan> reused = by_scratch.DecryptWithAdInto(AsBytes("ad"), sealed, scratch);
    ASSERT_TRUE(fresh.ok() && reused.ok()) << text;
    EXPECT_EQ(Bytes(reused->begin(), reused->end()), CopyOut(*fresh)) << text;
  }
  EXPECT_EQ(by_scratch.nonce(), 3u);
  // A failure leaves the nonce where it was.
  Bytes sealed = *sender.EncryptWithAd(AsBytes("ad"), AsBytes("next"));
  sealed.back() ^= 0x01;
  EXPECT_EQ(by_scratch.DecryptWithAdInto(AsBytes("ad"), sealed, scratch).status().code(),
            StatusCode::kAuthFailed);
  EXPECT_EQ(by_scratch.nonce(), 3u);
  EXPECT_EQ(by_scratch.DecryptWithAdInto({}, Bytes(kCipherTagBytes - 1), scratch).status().code(),
            StatusCode::kCorruption);
  by_scratch.SetNonce(kMaxNonce);
  EXPECT_EQ(by_scratch.DecryptWithAdInto({}, sealed, scratch).status().code(),
            StatusCode::kInvalidArgument);
  // Without a key, as DecryptWithAd: the bytes pass through.
  CipherState keyless;
  Result<ByteSpan> passed = keyless.DecryptWithAdInto({}, AsBytes("plain"), scratch);
  ASSERT_TRUE(passed.ok());
  EXPECT_EQ(Bytes(passed->begin(), passed->end()), Bytes({'p', 'l', 'a', 'i', 'n'}));
}

TEST(NoiseCipherStateTest, RejectsCiphertextShorterThanATag) {
  CipherState receiver = KeyedState();
  Result<SecureBytes> opened = receiver.DecryptWithAd({}, Bytes(kCipherTagBytes - 1));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kCorruption);
}

TEST(NoiseCipherStateTest, ReservedNonceRefusesEncryptionForever) {
  CipherState state = KeyedState();
  state.SetNonce(kMaxNonce);
  Result<Bytes> encrypted = state.EncryptWithAd({}, AsBytes("x"));
  ASSERT_FALSE(encrypted.ok());
  EXPECT_EQ(encrypted.status().code(), StatusCode::kInvalidArgument);
  // Spent: winding the nonce back must not allow reusing earlier nonces.
  state.SetNonce(0);
  EXPECT_FALSE(state.EncryptWithAd({}, AsBytes("x")).ok());
}

TEST(NoiseCipherStateTest, LastUsableNonceIsMaxMinusOne) {
  CipherState state = KeyedState();
  state.SetNonce(kMaxNonce - 1);
  EXPECT_TRUE(state.EncryptWithAd({}, AsBytes("x")).ok());
  EXPECT_EQ(state.nonce(), kMaxNonce);
  EXPECT_FALSE(state.EncryptWithAd({}, AsBytes("x")).ok());
}

TEST(NoiseCipherStateTest, ReservedNonceRefusesDecryption) {
  CipherState sender = KeyedState();
  Bytes sealed = *sender.EncryptWithAd({}, AsBytes("x"));
  CipherState receiver = KeyedState();
  receiver.SetNonce(kMaxNonce);
  Result<SecureBytes> opened = receiver.DecryptWithAd({}, sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
}

TEST(NoiseCipherStateTest, RekeyDerivesTheSpecifiedKeyAndKeepsTheNonce) {
  CipherState state = KeyedState();
  ASSERT_TRUE(state.Rekey().ok());
  EXPECT_EQ(state.nonce(), 0u);
  // k' = first 32 bytes of ENCRYPT(k, 2^64-1, "", 32 zeros); then encrypt "hello" at n = 0.
  CipherState expected;
  ASSERT_TRUE(
      expected
          .InitializeKey(Hex("50835543a205b22c9323f2022bc4f67d838f90e61d5ccf33c4513e01f85b5042"))
          .ok());
  Bytes from_rekeyed = *state.EncryptWithAd({}, AsBytes("hello"));
  EXPECT_EQ(ToHex(from_rekeyed), "837ec04cda2936aad18a97c3e3c98f9b9d87aaa00b");
  EXPECT_EQ(*expected.EncryptWithAd({}, AsBytes("hello")), from_rekeyed);
}

TEST(NoiseCipherStateTest, RekeyChangesTheKeyOnlyWhereApplied) {
  CipherState sender = KeyedState();
  CipherState receiver = KeyedState();
  ASSERT_TRUE(sender.Rekey().ok());
  Bytes sealed = *sender.EncryptWithAd({}, AsBytes("x"));
  EXPECT_FALSE(receiver.DecryptWithAd({}, sealed).ok());
  ASSERT_TRUE(receiver.Rekey().ok());
  EXPECT_TRUE(receiver.DecryptWithAd({}, sealed).ok());
}

TEST(NoiseCipherStateTest, InitializeKeyUsesTheFirst32BytesAndResetsTheNonce) {
  Bytes long_key(64, 0x11);
  Bytes short_key(32, 0x11);
  CipherState from_long;
  CipherState from_short;
  from_long.SetNonce(7);
  ASSERT_TRUE(from_long.InitializeKey(long_key).ok());
  ASSERT_TRUE(from_short.InitializeKey(short_key).ok());
  EXPECT_EQ(from_long.nonce(), 0u);
  EXPECT_EQ(*from_long.EncryptWithAd({}, AsBytes("x")),
            *from_short.EncryptWithAd({}, AsBytes("x")));
  CipherState too_short;
  EXPECT_FALSE(too_short.InitializeKey(Bytes(31)).ok());
}

}  // namespace
}  // namespace attune::crypto::noise
