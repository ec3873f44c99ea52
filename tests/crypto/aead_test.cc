#include "crypto/aead.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "base/bytes.h"
#include "crypto/random.h"

namespace attune::crypto::aead {
namespace {

Bytes Hex(std::string_view hex) {
  return FromHex(hex).value();
}

Bytes ToBytes(const SecureBytes& secret) {
  return Bytes(secret.span().begin(), secret.span().end());
}

Bytes BytesOf(std::string_view text) {
  ByteSpan bytes = AsBytes(text);
  return Bytes(bytes.begin(), bytes.end());
}

class AeadTest : public ::testing::Test {
 protected:
  SecureBytes key_ = RandomSecret(kKeyBytes);
  Bytes plaintext_ = BytesOf("dear diary, today we went to the lake");
  SecureScratch scratch_;  // reused across OpenInto calls, as the journal does
  Bytes ad_ = BytesOf("entry:0042|kind:text");

  Bytes SealOrDie(ByteSpan plaintext, ByteSpan ad) {
    Result<Bytes> sealed = Seal(key_, plaintext, ad);
    EXPECT_TRUE(sealed.ok()) << sealed.status().detail();
    return sealed.ok() ? *sealed : Bytes();
  }

  void ExpectOpenFails(ByteSpan sealed, ByteSpan ad, StatusCode code, const std::string& what) {
    Result<SecureBytes> opened = Open(key_, sealed, ad);
    ASSERT_FALSE(opened.ok()) << what;
    EXPECT_EQ(opened.status().code(), code) << what;
    // OpenInto refuses the same, and leaves nothing of a plaintext in the scratch buffer.
    SecureScratch scratch;
    Result<ByteSpan> into = OpenInto(key_, sealed, ad, scratch);
    ASSERT_FALSE(into.ok()) << what;
    EXPECT_EQ(into.status().code(), code) << what;
    if (scratch.capacity() > 0) {
      const std::span<uint8_t> whole = scratch.Take(scratch.capacity());
      EXPECT_TRUE(std::all_of(whole.begin(), whole.end(), [](uint8_t b) { return b == 0; }))
          << what;
    }
  }
};

TEST_F(AeadTest, RoundTripsPlaintextOfManySizes) {
  for (size_t size : {0, 1, 15, 16, 17, 63, 64, 65, 1000}) {
    Bytes plaintext = RandomBytes(size);
    Bytes sealed = SealOrDie(plaintext, ad_);
    Result<SecureBytes> opened = Open(key_, sealed, ad_);
    ASSERT_TRUE(opened.ok()) << "size " << size << ": " << opened.status().detail();
    EXPECT_EQ(ToBytes(*opened), plaintext) << "size " << size;
    Result<ByteSpan> into = OpenInto(key_, sealed, ad_, scratch_);
    ASSERT_TRUE(into.ok()) << "size " << size;
    EXPECT_EQ(Bytes(into->begin(), into->end()), plaintext) << "size " << size;
  }
}

TEST_F(AeadTest, RoundTripsWithEmptyAssociatedData) {
  Bytes sealed = SealOrDie(plaintext_, {});
  Result<SecureBytes> opened = Open(key_, sealed, {});
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(ToBytes(*opened), plaintext_);
}

TEST_F(AeadTest, SealedIsNonceCiphertextTagWithFreshNonce) {
  Bytes first = SealOrDie(plaintext_, ad_);
  Bytes second = SealOrDie(plaintext_, ad_);
  EXPECT_EQ(first.size(), kNonceBytes + plaintext_.size() + kTagBytes);
  EXPECT_EQ(first.size(), plaintext_.size() + kOverheadBytes);
  // Same key and plaintext, different random nonces: nothing in common.
  EXPECT_FALSE(std::equal(first.begin(), first.begin() + kNonceBytes, second.begin()));
  EXPECT_NE(first, second);
  // The plaintext does not appear in the output.
  EXPECT_EQ(std::search(first.begin(), first.end(), plaintext_.begin(), plaintext_.begin() + 8),
            first.end());
}

TEST_F(AeadTest, RejectsEveryFlippedByte) {
  const Bytes sealed = SealOrDie(plaintext_, ad_);
  for (size_t i = 0; i < sealed.size(); ++i) {
    Bytes tampered = sealed;
    tampered[i] ^= 0x01;
    const char* region = i < kNonceBytes                 ? "nonce"
                         : i < sealed.size() - kTagBytes ? "ciphertext"
                                                         : "tag";
    ExpectOpenFails(tampered, ad_, StatusCode::kAuthFailed,
                    std::string(region) + " byte " + std::to_string(i));
  }
}

TEST_F(AeadTest, RejectsTamperedNonce) {
  Bytes sealed = SealOrDie(plaintext_, ad_);
  sealed[kNonceBytes - 1] ^= 0x80;
  ExpectOpenFails(sealed, ad_, StatusCode::kAuthFailed, "last nonce byte");
}

TEST_F(AeadTest, RejectsTamperedTag) {
  Bytes sealed = SealOrDie(plaintext_, ad_);
  sealed.back() ^= 0x80;
  ExpectOpenFails(sealed, ad_, StatusCode::kAuthFailed, "last tag byte");
}

TEST_F(AeadTest, RejectsWrongAssociatedData) {
  Bytes sealed = SealOrDie(plaintext_, ad_);
  Bytes other_ad = ad_;
  other_ad.back() ^= 0x01;
  ExpectOpenFails(sealed, other_ad, StatusCode::kAuthFailed, "changed AD");
  ExpectOpenFails(sealed, {}, StatusCode::kAuthFailed, "missing AD");
  Bytes longer_ad = ad_;
  longer_ad.push_back(0);
  ExpectOpenFails(sealed, longer_ad, StatusCode::kAuthFailed, "extended AD");
}

// The node seals each row with AD = entry id || kind. Someone with write
// access to the database who swaps two rows' sealed bytes must be caught.
TEST_F(AeadTest, SealedRowCannotBeSwapped) {
  const Bytes ad_a = BytesOf("entry:A|kind:text");
  const Bytes ad_b = BytesOf("entry:B|kind:text");
  const Bytes row_a = SealOrDie(AsBytes("we argued about the dishes"), ad_a);
  const Bytes row_b = SealOrDie(AsBytes("we made up over pancakes"), ad_b);

  // Each row opens in its own place...
  ASSERT_TRUE(Open(key_, row_a, ad_a).ok());
  ASSERT_TRUE(Open(key_, row_b, ad_b).ok());
  // ...and neither opens in the other's place.
  ExpectOpenFails(row_a, ad_b, StatusCode::kAuthFailed, "row A under B's id");
  ExpectOpenFails(row_b, ad_a, StatusCode::kAuthFailed, "row B under A's id");
  // Same id, different kind: also refused.
  const Bytes ad_a_photo = BytesOf("entry:A|kind:photo");
  ExpectOpenFails(row_a, ad_a_photo, StatusCode::kAuthFailed, "row A as another kind");
}

TEST_F(AeadTest, RejectsWrongKey) {
  Bytes sealed = SealOrDie(plaintext_, ad_);
  SecureBytes other_key = RandomSecret(kKeyBytes);
  Result<SecureBytes> opened = Open(other_key, sealed, ad_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kAuthFailed);
}

TEST_F(AeadTest, RejectsTruncatedInput) {
  const Bytes sealed = SealOrDie(plaintext_, ad_);
  // Too short to hold a nonce and a tag: not something Seal produced.
  for (size_t length = 0; length < kOverheadBytes; ++length) {
    ExpectOpenFails(ByteSpan(sealed).first(length), ad_, StatusCode::kCorruption,
                    "length " + std::to_string(length));
  }
  // Long enough to parse, but cut: authentication fails.
  for (size_t length = kOverheadBytes; length < sealed.size(); ++length) {
    ExpectOpenFails(ByteSpan(sealed).first(length), ad_, StatusCode::kAuthFailed,
                    "length " + std::to_string(length));
  }
  // Extra bytes appended are refused too.
  Bytes extended = sealed;
  extended.push_back(0);
  ExpectOpenFails(extended, ad_, StatusCode::kAuthFailed, "appended byte");
}

TEST_F(AeadTest, RejectsKeysOfTheWrongSize) {
  Bytes sealed = SealOrDie(plaintext_, ad_);
  for (size_t size : {0, 16, 31, 33, 64}) {
    SecureBytes bad_key(size);
    Result<Bytes> sealed_bad = Seal(bad_key, plaintext_, ad_);
    ASSERT_FALSE(sealed_bad.ok());
    EXPECT_EQ(sealed_bad.status().code(), StatusCode::kInvalidArgument);
    Result<SecureBytes> opened = Open(bad_key, sealed, ad_);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  }
}

// draft-irtf-cfrg-xchacha-03 (S. Arciszewski, January 2020), Appendix A.3.1
// "AEAD_XCHACHA20_POLY1305", copied from the draft's text as published in the
// draft's source repository (bikeshedders/xchacha-rfc,
// draft-irtf-cfrg-xchacha-rfc-03.txt). The plaintext is the ASCII text
// "Ladies and Gentlemen of the class of '99: If I could offer you only one tip
// for the future, sunscreen would be it."
struct DraftVector {
  const char* key;
  const char* nonce;
  const char* associated_data;
  const char* plaintext;
  const char* ciphertext;
  const char* tag;
};

constexpr DraftVector kXChaChaA31 = {
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
    "404142434445464748494a4b4c4d4e4f5051525354555657",
    "50515253c0c1c2c3c4c5c6c7",
    "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
    "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
    "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
    "637265656e20776f756c642062652069742e",
    "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
    "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
    "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
    "21f9664c97637da9768812f615c68b13b52e",
    "c0875924c1c7987947deafd8780acf49",
};

TEST(AeadVectorTest, DraftIrtfCfrgXChachaA31Seal) {
  const DraftVector& v = kXChaChaA31;
  SecureBytes key = SecureBytes::CopyOf(Hex(v.key));
  Nonce nonce;
  Bytes nonce_bytes = Hex(v.nonce);
  ASSERT_EQ(nonce_bytes.size(), nonce.size());
  std::copy(nonce_bytes.begin(), nonce_bytes.end(), nonce.begin());
  ASSERT_EQ(Hex(v.plaintext), BytesOf("Ladies and Gentlemen of the class of '99: If I could offer "
                                      "you only one tip for the future, sunscreen would be it."));

  Result<Bytes> sealed = SealWithNonce(key, nonce, Hex(v.plaintext), Hex(v.associated_data));
  ASSERT_TRUE(sealed.ok()) << sealed.status().detail();
  EXPECT_EQ(ToHex(*sealed), std::string(v.nonce) + v.ciphertext + v.tag);
}

TEST(AeadVectorTest, DraftIrtfCfrgXChachaA31Open) {
  const DraftVector& v = kXChaChaA31;
  SecureBytes key = SecureBytes::CopyOf(Hex(v.key));
  Bytes sealed = Hex(std::string(v.nonce) + v.ciphertext + v.tag);
  Result<SecureBytes> opened = Open(key, sealed, Hex(v.associated_data));
  ASSERT_TRUE(opened.ok()) << opened.status().detail();
  EXPECT_EQ(ToHex(opened->span()), v.plaintext);
}

}  // namespace
}  // namespace attune::crypto::aead
