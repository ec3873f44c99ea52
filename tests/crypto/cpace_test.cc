// CPACE-RISTR255-SHA512: the draft's string-function vectors (appendix A),
// the ristretto255 vectors from the shared JSON file (appendix B.3), and the
// behaviour of the Party API under mismatched inputs and hostile shares.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "base/bytes.h"
#include "crypto/cpace.h"
#include "crypto/cpace_internal.h"
#include "crypto/secure_bytes.h"
#include "crypto/sodium.h"

namespace attune::crypto::cpace {
namespace {

class SodiumEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { ASSERT_TRUE(Init().ok()); }
};

const ::testing::Environment* const kSodiumEnvironment =
    ::testing::AddGlobalTestEnvironment(new SodiumEnvironment);

Bytes Hex(std::string_view hex) {
  std::optional<Bytes> bytes = FromHex(hex);
  EXPECT_TRUE(bytes.has_value()) << hex;
  return bytes.value_or(Bytes{});
}

std::string HexOf(ByteSpan bytes) {
  return ToHex(bytes);
}

Bytes Range(size_t count) {
  Bytes out(count);
  for (size_t i = 0; i < count; ++i) out[i] = static_cast<uint8_t>(i);
  return out;
}

// ---- Appendix A: string utility functions -------------------------------

TEST(CpaceEncodingTest, Leb128) {
  EXPECT_EQ(HexOf(internal::Leb128(0)), "00");
  EXPECT_EQ(HexOf(internal::Leb128(127)), "7f");
  EXPECT_EQ(HexOf(internal::Leb128(128)), "8001");
  EXPECT_EQ(HexOf(internal::Leb128(300)), "ac02");
  EXPECT_EQ(HexOf(internal::Leb128(16384)), "808001");
}

TEST(CpaceEncodingTest, PrependLenMatchesDraft) {
  EXPECT_EQ(HexOf(internal::PrependLen({})), "00");
  EXPECT_EQ(HexOf(internal::PrependLen(AsBytes("1234"))), "0431323334");
  Bytes short_input = Range(127);
  Bytes expected_short = {0x7f};
  expected_short.insert(expected_short.end(), short_input.begin(), short_input.end());
  EXPECT_EQ(internal::PrependLen(short_input), expected_short);
  Bytes long_input = Range(128);
  Bytes expected_long = {0x80, 0x01};
  expected_long.insert(expected_long.end(), long_input.begin(), long_input.end());
  EXPECT_EQ(internal::PrependLen(long_input), expected_long);
}

TEST(CpaceEncodingTest, LvCatMatchesDraft) {
  EXPECT_EQ(HexOf(internal::LvCat({AsBytes("1234"), AsBytes("5"), {}, AsBytes("678")})),
            "043132333401350003363738");
}

TEST(CpaceEncodingTest, LexicographicOrderMatchesDraft) {
  const Bytes zero = {0}, one = {1}, zero_zero = {0, 0}, zero_one = {0, 1};
  EXPECT_FALSE(internal::LexicographicallyLarger(zero, zero_zero));
  EXPECT_TRUE(internal::LexicographicallyLarger(one, zero_zero));
  EXPECT_TRUE(internal::LexicographicallyLarger(zero_zero, zero));
  EXPECT_FALSE(internal::LexicographicallyLarger(zero_zero, one));
  EXPECT_FALSE(internal::LexicographicallyLarger(zero_one, one));
  EXPECT_FALSE(internal::LexicographicallyLarger(AsBytes("ABCD"), AsBytes("BCD")));
  EXPECT_FALSE(internal::LexicographicallyLarger(AsBytes("same"), AsBytes("same")));
}

TEST(CpaceEncodingTest, OrderedCatMatchesDraft) {
  EXPECT_EQ(HexOf(internal::OrderedCat(AsBytes("ABCD"), AsBytes("BCD"))), "6f6342434441424344");
  EXPECT_EQ(HexOf(internal::OrderedCat(AsBytes("BCD"), AsBytes("ABCDE"))), "6f634243444142434445");
}

TEST(CpaceEncodingTest, TranscriptIrMatchesDraft) {
  EXPECT_EQ(HexOf(internal::TranscriptIr(AsBytes("123"), AsBytes("PartyA"), AsBytes("234"),
                                         AsBytes("PartyB"))),
            "03313233065061727479410332333406506172747942");
  EXPECT_EQ(HexOf(internal::TranscriptIr(AsBytes("3456"), AsBytes("PartyA"), AsBytes("2345"),
                                         AsBytes("PartyB"))),
            "043334353606506172747941043233343506506172747942");
}

TEST(CpaceEncodingTest, TranscriptOcMatchesDraft) {
  EXPECT_EQ(HexOf(internal::TranscriptOc(AsBytes("123"), AsBytes("PartyA"), AsBytes("234"),
                                         AsBytes("PartyB"))),
            "6f6303323334065061727479420331323306506172747941");
  EXPECT_EQ(HexOf(internal::TranscriptOc(AsBytes("3456"), AsBytes("PartyA"), AsBytes("2345"),
                                         AsBytes("PartyB"))),
            "6f63043334353606506172747941043233343506506172747942");
}

TEST(CpaceEncodingTest, ZeroPadFillsTheFirstHashBlock) {
  // lv(DSI) is 18 bytes; lv(zpad)'s own length byte is 1.
  EXPECT_EQ(internal::ZeroPadBytes(8), 100u);  // "Password", as in the vectors
  EXPECT_EQ(internal::ZeroPadBytes(0), 108u);
  EXPECT_EQ(internal::ZeroPadBytes(107), 1u);
  EXPECT_EQ(internal::ZeroPadBytes(108), 0u);
  EXPECT_EQ(internal::ZeroPadBytes(127), 0u);
  EXPECT_EQ(internal::ZeroPadBytes(1000), 0u);
}

TEST(CpaceEncodingTest, GeneratorStringMatchesDraft) {
  const SecureBytes generator_string = internal::GeneratorString(
      AsBytes("Password"), Hex("0b415f696e69746961746f720b425f726573706f6e646572"),
      Hex("7e4b4791d6a8ef019b936c79fb7f2c57"));
  const std::string expected = "11435061636552697374726574746f3235350850617373776f726464" +
                               std::string(200, '0') +
                               "180b415f696e69746961746f720b425f726573706f6e646572"
                               "107e4b4791d6a8ef019b936c79fb7f2c57";
  EXPECT_EQ(generator_string.size(), 170u);
  EXPECT_EQ(HexOf(generator_string.span()), expected);
}

TEST(CpaceEncodingTest, ScalarCanonicity) {
  // The group order L and L - 1, little-endian.
  const Bytes order = Hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  const Bytes order_minus_one =
      Hex("ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  Bytes one(kScalarBytes, 0);
  one[0] = 1;
  EXPECT_TRUE(internal::IsCanonicalNonZeroScalar(one));
  EXPECT_TRUE(internal::IsCanonicalNonZeroScalar(order_minus_one));
  EXPECT_FALSE(internal::IsCanonicalNonZeroScalar(order));
  EXPECT_FALSE(internal::IsCanonicalNonZeroScalar(Bytes(kScalarBytes, 0xff)));
  EXPECT_FALSE(internal::IsCanonicalNonZeroScalar(Bytes(kScalarBytes, 0)));
  EXPECT_FALSE(internal::IsCanonicalNonZeroScalar(Bytes(31, 1)));
}

// ---- Appendix B.3: the shared ristretto255 / SHA-512 vectors -------------

class CpaceVectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path =
        std::string(ATTUNE_SOURCE_DIR) + "/tests/vectors/cpace-ristretto255-sha512.json";
    std::ifstream file(path);
    ASSERT_TRUE(file.is_open()) << "missing " << path;
    const nlohmann::json json = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(json.is_discarded()) << "unparsable " << path;
    ASSERT_TRUE(json.contains("G_Ristretto255_SHA512") && json.contains("points"));
    vectors_ = json["G_Ristretto255_SHA512"];
    points_ = json["points"];
  }

  Bytes Field(const char* name) const {
    EXPECT_TRUE(vectors_.contains(name)) << name;
    return Hex(vectors_.value(name, std::string()));
  }
  SecureBytes SecretField(const char* name) const { return SecureBytes::CopyOf(Field(name)); }

  Party StartParty(Role role, const char* scalar_name, const char* ad_name) const {
    Result<Party> party = Party::StartWithFixedScalarForTestingOnly(
        role, SecretField("PRS"), Field("CI"), Field("sid"), Field(ad_name),
        SecretField(scalar_name));
    EXPECT_TRUE(party.ok()) << party.status().detail();
    return std::move(party).value();
  }

  nlohmann::json vectors_;
  nlohmann::json points_;
};

TEST_F(CpaceVectorTest, Generator) {
  const SecureBytes g = internal::CalculateGenerator(Field("PRS"), Field("CI"), Field("sid"));
  EXPECT_EQ(HexOf(g.span()), HexOf(Field("g")));
}

TEST_F(CpaceVectorTest, Shares) {
  const Party a = StartParty(Role::kInitiator, "ya", "ADa");
  const Party b = StartParty(Role::kResponder, "yb", "ADb");
  EXPECT_EQ(HexOf(a.share()), HexOf(Field("Ya")));
  EXPECT_EQ(HexOf(b.share()), HexOf(Field("Yb")));
}

TEST_F(CpaceVectorTest, SharedPointK) {
  Result<SecureBytes> k_a = internal::ScalarMultVfy(Field("ya"), Field("Yb"));
  Result<SecureBytes> k_b = internal::ScalarMultVfy(Field("yb"), Field("Ya"));
  ASSERT_TRUE(k_a.ok() && k_b.ok());
  EXPECT_EQ(HexOf(k_a->span()), HexOf(Field("K")));
  EXPECT_EQ(HexOf(k_b->span()), HexOf(Field("K")));
}

TEST_F(CpaceVectorTest, IskInitiatorResponderFromBothParties) {
  Party a = StartParty(Role::kInitiator, "ya", "ADa");
  Party b = StartParty(Role::kResponder, "yb", "ADb");
  Result<SecureBytes> isk_a = std::move(a).Finish(Field("Yb"), Field("ADb"));
  Result<SecureBytes> isk_b = std::move(b).Finish(Field("Ya"), Field("ADa"));
  ASSERT_TRUE(isk_a.ok()) << isk_a.status().detail();
  ASSERT_TRUE(isk_b.ok()) << isk_b.status().detail();
  EXPECT_EQ(HexOf(isk_a->span()), HexOf(Field("ISK_IR")));
  EXPECT_EQ(HexOf(isk_b->span()), HexOf(Field("ISK_IR")));
}

TEST_F(CpaceVectorTest, IskInitiatorResponderFromBuildingBlocks) {
  const Bytes transcript =
      internal::TranscriptIr(Field("Ya"), Field("ADa"), Field("Yb"), Field("ADb"));
  const SecureBytes isk = internal::DeriveIsk(Field("sid"), Field("K"), transcript);
  EXPECT_EQ(HexOf(isk.span()), HexOf(Field("ISK_IR")));
}

TEST_F(CpaceVectorTest, IskSymmetric) {
  const Bytes transcript =
      internal::TranscriptOc(Field("Ya"), Field("ADa"), Field("Yb"), Field("ADb"));
  const SecureBytes isk = internal::DeriveIsk(Field("sid"), Field("K"), transcript);
  EXPECT_EQ(HexOf(isk.span()), HexOf(Field("ISK_SY")));
  // Symmetric: swapping the parties does not change the transcript.
  EXPECT_EQ(transcript,
            internal::TranscriptOc(Field("Yb"), Field("ADb"), Field("Ya"), Field("ADa")));
}

TEST_F(CpaceVectorTest, SidOutputs) {
  const internal::SidOutput ir = internal::DeriveSidOutput(
      internal::TranscriptIr(Field("Ya"), Field("ADa"), Field("Yb"), Field("ADb")));
  const internal::SidOutput oc = internal::DeriveSidOutput(
      internal::TranscriptOc(Field("Ya"), Field("ADa"), Field("Yb"), Field("ADb")));
  EXPECT_EQ(HexOf(ir), HexOf(Field("sid_output_ir")));
  EXPECT_EQ(HexOf(oc), HexOf(Field("sid_output_oc")));
}

TEST_F(CpaceVectorTest, ScalarMultVfyOfValidPoint) {
  const nlohmann::json& valid = points_["Valid"];
  Result<SecureBytes> product = internal::ScalarMultVfy(Hex(valid.value("s", std::string())),
                                                        Hex(valid.value("X", std::string())));
  ASSERT_TRUE(product.ok()) << product.status().detail();
  EXPECT_EQ(HexOf(product->span()),
            HexOf(Hex(valid.value("G.scalar_mult_vfy(s,X)", std::string()))));
  EXPECT_EQ(HexOf(product->span()),
            HexOf(Hex(valid.value("G.scalar_mult(s,decode(X))", std::string()))));
}

TEST_F(CpaceVectorTest, ScalarMultVfyRejectsInvalidPoints) {
  const Bytes scalar = Hex(points_["Valid"].value("s", std::string()));
  for (const char* name : {"Invalid Y1", "Invalid Y2"}) {
    SCOPED_TRACE(name);
    Result<SecureBytes> product =
        internal::ScalarMultVfy(scalar, Hex(points_.value(name, std::string())));
    ASSERT_FALSE(product.ok());
    EXPECT_EQ(product.status().code(), StatusCode::kAuthFailed);
  }
}

TEST_F(CpaceVectorTest, PartyRejectsInvalidPoints) {
  for (const char* name : {"Invalid Y1", "Invalid Y2"}) {
    SCOPED_TRACE(name);
    Party a = StartParty(Role::kInitiator, "ya", "ADa");
    Result<SecureBytes> isk =
        std::move(a).Finish(Hex(points_.value(name, std::string())), Field("ADb"));
    ASSERT_FALSE(isk.ok());
    EXPECT_EQ(isk.status().code(), StatusCode::kAuthFailed);
  }
}

}  // namespace
}  // namespace attune::crypto::cpace
