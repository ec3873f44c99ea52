// Keyed BLAKE2b helpers: checked against libsodium's crypto_generichash called directly, and
// against the published BLAKE2b test vectors (RFC 7693 appendix A, the reference blake2b-kat.txt).
#include "crypto/keyed_hash.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>
#include <string>
#include <string_view>

#include "crypto/random.h"

namespace attune::crypto {
namespace {

Bytes Sequence(size_t size) {
  Bytes bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(i);
  return bytes;
}

SecureBytes SecureSequence(size_t size) {
  return SecureBytes::CopyOf(Sequence(size));
}

// crypto_generichash called directly: message `message`, optional key.
Bytes Generichash(ByteSpan message, ByteSpan key, size_t size) {
  Bytes out(size);
  const int rc = crypto_generichash(out.data(), out.size(), message.data(), message.size(),
                                    key.empty() ? nullptr : key.data(), key.size());
  EXPECT_EQ(rc, 0);
  return out;
}

Bytes ToPlain(const SecureBytes& secret) {
  return Bytes(secret.span().begin(), secret.span().end());
}

Bytes Concat(ByteSpan a, ByteSpan b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// RFC 7693 appendix A: BLAKE2b-512("abc").
constexpr std::string_view kBlake2b512Abc =
    "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
    "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923";

// blake2b-kat.txt, first keyed entry: key 00 01 .. 3f, empty input, 64-byte output.
constexpr std::string_view kBlake2bKeyedEmpty =
    "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786"
    "b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568";

TEST(KeyedHashTest, SizesAreThirtyTwoBytes) {
  EXPECT_EQ(kSubkeyBytes, 32u);
  EXPECT_EQ(kTagBytes, 32u);
}

TEST(DeriveSubkeyTest, MatchesPublishedKeyedVector) {
  // The label is the BLAKE2b message and the key material the BLAKE2b key.
  const SecureBytes subkey = DeriveSubkey(SecureSequence(64), "", 64);
  EXPECT_EQ(ToHex(subkey.span()), kBlake2bKeyedEmpty);
}

TEST(DeriveSubkeyTest, MatchesLibsodiumWithLabelAsMessageAndMaterialAsKey) {
  const std::string_view label = "attune/1 pair confirm joiner";
  for (size_t key_size : {16u, 32u, 33u, 64u}) {
    for (size_t out_size : {16u, 32u, 48u, 64u}) {
      const SecureBytes material = SecureSequence(key_size);
      const SecureBytes subkey = DeriveSubkey(material, label, out_size);
      ASSERT_EQ(subkey.size(), out_size);
      EXPECT_EQ(ToPlain(subkey), Generichash(AsBytes(label), material.span(), out_size))
          << "key " << key_size << " out " << out_size;
    }
  }
}

TEST(DeriveSubkeyTest, DefaultSizeIsSubkeyBytes) {
  const SecureBytes material = SecureSequence(64);
  const SecureBytes subkey = DeriveSubkey(material, "label");
  ASSERT_EQ(subkey.size(), kSubkeyBytes);
  EXPECT_EQ(ToPlain(subkey), Generichash(AsBytes("label"), material.span(), kSubkeyBytes));
}

TEST(DeriveSubkeyTest, EachLabelGivesItsOwnKey) {
  const SecureBytes material = RandomSecret(64);
  std::set<Bytes> seen;
  for (std::string_view label :
       {"attune/1 pair confirm joiner", "attune/1 pair confirm inviter",
        "attune/1 pair seal joiner", "attune/1 pair seal inviter", "", "a", "A"}) {
    EXPECT_TRUE(seen.insert(ToPlain(DeriveSubkey(material, label))).second) << label;
  }
}

TEST(DeriveSubkeyTest, DependsOnEveryByteOfTheMaterial) {
  const Bytes base = Sequence(64);
  const Bytes reference = ToPlain(DeriveSubkey(SecureBytes::CopyOf(base), "label"));
  for (size_t i = 0; i < base.size(); ++i) {
    Bytes changed = base;
    changed[i] ^= 0x01;
    EXPECT_NE(ToPlain(DeriveSubkey(SecureBytes::CopyOf(changed), "label")), reference) << i;
  }
}

TEST(DeriveSubkeyTest, IsDeterministic) {
  const SecureBytes material = RandomSecret(32);
  EXPECT_TRUE(DeriveSubkey(material, "x").ConstantTimeEquals(DeriveSubkey(material, "x")));
}

TEST(DeriveSubkeyTest, ShorterOutputIsNotATruncation) {
  // BLAKE2b binds the output length into its parameter block: a 16-byte subkey is not the
  // prefix of the 32-byte one, so two sizes never share key bytes.
  const SecureBytes material = SecureSequence(32);
  const Bytes short_key = ToPlain(DeriveSubkey(material, "label", 16));
  const Bytes long_key = ToPlain(DeriveSubkey(material, "label", 32));
  EXPECT_NE(short_key, Bytes(long_key.begin(), long_key.begin() + 16));
}

TEST(AuthTagTest, MatchesLibsodiumWithDataAsMessage) {
  const SecureBytes key = SecureSequence(32);
  for (size_t data_size : {0u, 1u, 64u, 128u, 129u, 1000u}) {
    const Bytes data = Sequence(data_size);
    const Bytes tag = AuthTag(key, data);
    ASSERT_EQ(tag.size(), kTagBytes);
    EXPECT_EQ(tag, Generichash(data, key.span(), kTagBytes)) << data_size;
  }
}

TEST(VerifyAuthTagTest, AcceptsTheRightTag) {
  const SecureBytes key = RandomSecret(32);
  const Bytes data = Sequence(77);
  EXPECT_TRUE(VerifyAuthTag(key, data, AuthTag(key, data)));
  EXPECT_TRUE(VerifyAuthTag(key, {}, AuthTag(key, {})));
}

TEST(VerifyAuthTagTest, RejectsEveryFlippedBit) {
  const SecureBytes key = RandomSecret(32);
  const Bytes data = Sequence(40);
  const Bytes tag = AuthTag(key, data);
  for (size_t bit = 0; bit < tag.size() * 8; ++bit) {
    Bytes bad = tag;
    bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(VerifyAuthTag(key, data, bad)) << "bit " << bit;
  }
}

TEST(VerifyAuthTagTest, RejectsOtherDataOrKey) {
  const SecureBytes key = SecureSequence(32);
  const Bytes data = Sequence(40);
  const Bytes tag = AuthTag(key, data);
  Bytes other_data = data;
  other_data.back() ^= 0x80;
  EXPECT_FALSE(VerifyAuthTag(key, other_data, tag));
  EXPECT_FALSE(VerifyAuthTag(key, Bytes(data.begin(), data.end() - 1), tag));
  Bytes longer = data;
  longer.push_back(0);
  EXPECT_FALSE(VerifyAuthTag(key, longer, tag));

  Bytes other_key_bytes = Sequence(32);
  other_key_bytes[0] ^= 0x01;
  EXPECT_FALSE(VerifyAuthTag(SecureBytes::CopyOf(other_key_bytes), data, tag));
  // The same bytes as a key of another length are another key.
  EXPECT_FALSE(VerifyAuthTag(SecureSequence(33), data, tag));
}

TEST(VerifyAuthTagTest, RejectsTagsOfTheWrongLength) {
  const SecureBytes key = SecureSequence(32);
  const Bytes data = Sequence(10);
  const Bytes tag = AuthTag(key, data);
  EXPECT_FALSE(VerifyAuthTag(key, data, {}));
  EXPECT_FALSE(VerifyAuthTag(key, data, ByteSpan(tag).first(kTagBytes - 1)));
  EXPECT_FALSE(VerifyAuthTag(key, data, ByteSpan(tag).first(16)));
  Bytes longer = tag;
  longer.push_back(0);
  EXPECT_FALSE(VerifyAuthTag(key, data, longer));
  // A 64-byte BLAKE2b of the same input is not a tag either.
  EXPECT_FALSE(VerifyAuthTag(key, data, Generichash(data, key.span(), 64)));
}

TEST(PublicDigestTest, MatchesRfc7693Vector) {
  EXPECT_EQ(ToHex(PublicDigest("abc", {}, 64)), kBlake2b512Abc);
  EXPECT_EQ(ToHex(PublicDigest("", AsBytes("abc"), 64)), kBlake2b512Abc);
  EXPECT_EQ(ToHex(PublicDigest("a", AsBytes("bc"), 64)), kBlake2b512Abc);
}

TEST(PublicDigestTest, IsUnkeyedBlake2bOfLabelThenData) {
  const std::string_view label = "attune/1 fingerprint";
  const Bytes data = Sequence(32);
  for (size_t size : {16u, 30u, 32u, 64u}) {
    const Bytes digest = PublicDigest(label, data, size);
    ASSERT_EQ(digest.size(), size);
    EXPECT_EQ(digest, Generichash(Concat(AsBytes(label), data), {}, size)) << size;
  }
}

TEST(PublicDigestTest, LabelSeparatesPurposes) {
  const Bytes data = Sequence(32);
  EXPECT_NE(PublicDigest("attune/1 fingerprint", data, 32),
            PublicDigest("attune/1 safety number", data, 32));
  Bytes other = data;
  other[31] ^= 0x01;
  EXPECT_NE(PublicDigest("x", data, 32), PublicDigest("x", other, 32));
}

using KeyedHashDeathTest = ::testing::Test;

TEST_F(KeyedHashDeathTest, AbortsOnKeyOrOutputSizeOutOfRange) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH((void)DeriveSubkey(SecureSequence(15), "label"), "internal error");
  EXPECT_DEATH((void)DeriveSubkey(SecureSequence(65), "label"), "internal error");
  EXPECT_DEATH((void)DeriveSubkey(SecureSequence(32), "label", 15), "internal error");
  EXPECT_DEATH((void)DeriveSubkey(SecureSequence(32), "label", 65), "internal error");
  EXPECT_DEATH((void)AuthTag(SecureBytes(), AsBytes("data")), "internal error");
  EXPECT_DEATH((void)PublicDigest("label", {}, 15), "internal error");
  EXPECT_DEATH((void)PublicDigest("label", {}, 65), "internal error");
}

}  // namespace
}  // namespace attune::crypto
