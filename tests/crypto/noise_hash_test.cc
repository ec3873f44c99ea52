#include "crypto/noise_hash.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/bytes.h"

namespace attune::crypto::noise {
namespace {

std::string HexOf(const SecureBytes& secret) {
  return ToHex(secret.span());
}

// Known answers: SHA-2 hashes and HMACs from FIPS 180-4 and RFC 4231 (test
// cases 2 and 6); the BLAKE2b ones and every HKDF value were computed
// independently with Python's hashlib/hmac (generic RFC 2104 HMAC).
struct HashCase {
  HashFunction function;
  size_t hash_length;
  size_t block_length;
  std::string_view hash_of_abc;
  std::string_view hmac_jefe;
  std::string_view hmac_long_key;
  std::string_view hkdf[3];
};

const HashCase kCases[] = {
    {HashFunction::kSha256,
     32,
     64,
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
     {"785dba36cff1fcf591f812fa0b2bade807af9e50d2a96caf28d3c9a285558549",
      "8b4e05ec153f03cf906c305b981902e2af26ae2966397bb43988c4ab28f3aae1",
      "35effd0e30e44866f90854f48ee80ae324d856c3ee9ddde0e87365acf4aeeeed"}},
    {HashFunction::kSha512,
     64,
     128,
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
     "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
     "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
     "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
     {"015206ebe01bb508cbbd8f5f1c71a8a3da42c67164abce53997889eaa9bb5bf6"
      "dbc44b6ff1e5176ac47c65c2209f6a34ab76d6b043e74583097b075ba9f70994",
      "333dab724ea81eccdab8dc713c66ecd06e3ba1ecd96cc75359209aae6abf6e2d"
      "50c436261124ad33da3ecd3fa486f4dcc956144c6071e80affcf7305269bd299",
      "fb9a3617510ef7947ceb6f5b9877e21831de04b6dcaef789c7de6ddbd99d09a2"
      "4f3e80554df8ed3b9fa615af1b985decaa66a48d5d38cff5ea867895b3d2402c"}},
    {HashFunction::kBlake2b,
     64,
     128,
     "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
     "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
     "6ff884f8ddc2a6586b3c98a4cd6ebdf14ec10204b6710073eb5865ade37a2643"
     "b8807c1335d107ecdb9ffeaeb6828c4625ba172c66379efcd222c2de11727ab4",
     "a54b2943b2a20227d41ca46c0945af09bc1faefb2f49894c23aebc557fb79c48"
     "89dca74408dc865086667aedee4a3185c53a49c80b814c4c5813ea0c8b38a8f8",
     {"a94ec1ceaa5ac0280eafc97980003e4019176e4bf7c914c45fb0bbda0b22a995"
      "4d01f3697bbf32817ed0fccbf6dd1ebd24c0b05611051e63dc56e131af4f7c10",
      "f9d83f6c5d34695529eb8e35c8a2ed78658092e7c3b38fdf0cea2a2096b6f6e5"
      "42af644e298508f37da08860db285a8ad4b604c1f160f23356df6b28c183508d",
      "bb6f14b645bac5dd79c98ce583e3357b43b431c22400c9b79d690c1d2fe2d391"
      "ab8372b0b08553b56e802dc6badace75398c1b8a973d0aab18d857d431c3a48f"}},
};

class NoiseHashTest : public ::testing::TestWithParam<HashCase> {};

TEST_P(NoiseHashTest, LengthsMatchTheSpec) {
  EXPECT_EQ(HashLength(GetParam().function), GetParam().hash_length);
  EXPECT_EQ(BlockLength(GetParam().function), GetParam().block_length);
}

TEST_P(NoiseHashTest, HashesKnownInput) {
  EXPECT_EQ(ToHex(Hash(GetParam().function, {AsBytes("abc")}).span()), GetParam().hash_of_abc);
}

TEST_P(NoiseHashTest, HashOfPartsEqualsHashOfConcatenation) {
  Digest whole = Hash(GetParam().function, {AsBytes("abc")});
  Digest parts = Hash(GetParam().function, {AsBytes("a"), AsBytes(""), AsBytes("bc")});
  EXPECT_EQ(ToHex(parts.span()), ToHex(whole.span()));
}

TEST_P(NoiseHashTest, HmacMatchesKnownAnswers) {
  EXPECT_EQ(
      HexOf(Hmac(GetParam().function, AsBytes("Jefe"), {AsBytes("what do ya want for nothing?")})),
      GetParam().hmac_jefe);
  // A 131-byte key is longer than every block, so it is hashed first.
  const Bytes long_key(131, 0xaa);
  EXPECT_EQ(HexOf(Hmac(GetParam().function, long_key,
                       {AsBytes("Test Using Larger Than Block-Size Key - Hash Key First")})),
            GetParam().hmac_long_key);
}

TEST_P(NoiseHashTest, HkdfMatchesKnownAnswers) {
  Bytes chaining_key(GetParam().hash_length);
  for (size_t i = 0; i < chaining_key.size(); ++i) chaining_key[i] = static_cast<uint8_t>(i);
  Result<std::vector<SecureBytes>> three =
      Hkdf(GetParam().function, chaining_key, AsBytes("input key material"), 3);
  ASSERT_TRUE(three.ok()) << three.status().detail();
  ASSERT_EQ(three->size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(HexOf((*three)[i]), GetParam().hkdf[i]) << i;

  // Two outputs are the first two of three.
  Result<std::vector<SecureBytes>> two =
      Hkdf(GetParam().function, chaining_key, AsBytes("input key material"), 2);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ(HexOf((*two)[1]), GetParam().hkdf[1]);
}

TEST_P(NoiseHashTest, HkdfRejectsOtherOutputCounts) {
  const Bytes chaining_key(GetParam().hash_length);
  for (size_t count : {0, 1, 4}) {
    Result<std::vector<SecureBytes>> outputs =
        Hkdf(GetParam().function, chaining_key, AsBytes("x"), count);
    ASSERT_FALSE(outputs.ok()) << count;
    EXPECT_EQ(outputs.status().code(), StatusCode::kInvalidArgument);
  }
}

INSTANTIATE_TEST_SUITE_P(AllHashes, NoiseHashTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<HashCase>& param_info) {
                           return std::string(HashName(param_info.param.function));
                         });

TEST(NoiseHashNameTest, NamesRoundTripAndUnknownNamesAreUnsupported) {
  for (HashFunction function :
       {HashFunction::kBlake2b, HashFunction::kSha256, HashFunction::kSha512}) {
    Result<HashFunction> named = HashFunctionNamed(HashName(function));
    ASSERT_TRUE(named.ok());
    EXPECT_EQ(*named, function);
  }
  for (std::string_view name : {"BLAKE2s", "blake2b", "SHA-256", ""}) {
    Result<HashFunction> named = HashFunctionNamed(name);
    ASSERT_FALSE(named.ok()) << name;
    EXPECT_EQ(named.status().code(), StatusCode::kUnsupported);
  }
}

}  // namespace
}  // namespace attune::crypto::noise
