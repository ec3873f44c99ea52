#include "crypto/noise_patterns.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/noise.h"

namespace attune::crypto::noise {
namespace {

using Tokens = std::vector<Token>;

TEST(NoisePatternsTest, EveryBuiltInPatternParses) {
  std::vector<std::string_view> names = SupportedPatternNames();
  EXPECT_EQ(names.size(), 38u);  // 3 one-way + 12 interactive + 23 deferred
  for (std::string_view name : names) {
    Result<HandshakePattern> pattern = FindHandshakePattern(name);
    ASSERT_TRUE(pattern.ok()) << name << ": " << pattern.status().detail();
    EXPECT_EQ(pattern->name, name);
    EXPECT_FALSE(pattern->messages.empty()) << name;
    EXPECT_EQ(pattern->IsOneWay(), name.size() == 1) << name;
  }
}

TEST(NoisePatternsTest, XXIsTheSpecsXX) {
  Result<HandshakePattern> xx = FindHandshakePattern("XX");
  ASSERT_TRUE(xx.ok());
  EXPECT_TRUE(xx->initiator_pre_message.empty());
  EXPECT_TRUE(xx->responder_pre_message.empty());
  ASSERT_EQ(xx->messages.size(), 3u);
  EXPECT_EQ(xx->messages[0], Tokens({Token::kE}));
  EXPECT_EQ(xx->messages[1], Tokens({Token::kE, Token::kEE, Token::kS, Token::kES}));
  EXPECT_EQ(xx->messages[2], Tokens({Token::kS, Token::kSE}));
}

TEST(NoisePatternsTest, PreMessagesAreAssignedToTheRightSide) {
  Result<HandshakePattern> kk = FindHandshakePattern("KK");
  ASSERT_TRUE(kk.ok());
  EXPECT_EQ(kk->initiator_pre_message, Tokens({Token::kS}));
  EXPECT_EQ(kk->responder_pre_message, Tokens({Token::kS}));
  Result<HandshakePattern> nk1 = FindHandshakePattern("NK1");
  ASSERT_TRUE(nk1.ok());
  EXPECT_TRUE(nk1->initiator_pre_message.empty());
  EXPECT_EQ(nk1->responder_pre_message, Tokens({Token::kS}));
  EXPECT_EQ(nk1->messages[1], Tokens({Token::kE, Token::kEE, Token::kES}));
}

TEST(NoisePatternsTest, UnknownAndModifiedPatternsAreUnsupported) {
  for (std::string_view name : {"XXpsk3", "NNpsk0", "XXfallback", "ZZ", "xx", ""}) {
    Result<HandshakePattern> pattern = FindHandshakePattern(name);
    ASSERT_FALSE(pattern.ok()) << name;
    EXPECT_EQ(pattern.status().code(), StatusCode::kUnsupported) << name;
  }
}

TEST(NoisePatternsTest, ParserRejectsMalformedNotation) {
  struct Case {
    std::string_view pre;
    std::string_view messages;
  };
  const Case kBad[] = {
      {"", ""},                     // no messages
      {"", "<- e"},                 // must start with the initiator
      {"", "-> e; -> s"},           // must alternate
      {"", "-> e, psk"},            // unsupported token
      {"", "-> e,"},                // empty token
      {"", "e"},                    // no direction
      {"-> e", "-> e"},             // ephemeral pre-message
      {"<- s; -> s", "-> e"},       // pre-messages out of order
      {"-> s; <- s; -> s", "-> e"}  // too many pre-messages
  };
  for (const Case& bad : kBad) {
    Result<HandshakePattern> pattern = ParseHandshakePattern("T", bad.pre, bad.messages);
    ASSERT_FALSE(pattern.ok()) << bad.pre << " | " << bad.messages;
    EXPECT_EQ(pattern.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(NoiseProtocolNameTest, ParsesSupportedNames) {
  Result<Protocol> protocol = ParseProtocolName("Noise_X1K1_25519_ChaChaPoly_SHA256");
  ASSERT_TRUE(protocol.ok()) << protocol.status().detail();
  EXPECT_EQ(protocol->name, "Noise_X1K1_25519_ChaChaPoly_SHA256");
  EXPECT_EQ(protocol->pattern.name, "X1K1");
  EXPECT_EQ(protocol->hash, HashFunction::kSha256);
}

TEST(NoiseProtocolNameTest, WellFormedButForeignNamesAreUnsupported) {
  for (std::string_view name :
       {"Noise_XXpsk3_25519_ChaChaPoly_BLAKE2b", "Noise_XX_448_ChaChaPoly_BLAKE2b",
        "Noise_XX_25519_AESGCM_SHA256", "Noise_XX_25519_ChaChaPoly_BLAKE2s",
        "Noise_QQ_25519_ChaChaPoly_SHA512"}) {
    Result<Protocol> protocol = ParseProtocolName(name);
    ASSERT_FALSE(protocol.ok()) << name;
    EXPECT_EQ(protocol.status().code(), StatusCode::kUnsupported) << name;
  }
}

TEST(NoiseProtocolNameTest, MalformedNamesAreInvalid) {
  for (std::string_view name :
       {"", "Noise", "Noise_XX_25519_ChaChaPoly", "Noise_XX_25519_ChaChaPoly_SHA256_extra",
        "Nois_XX_25519_ChaChaPoly_SHA256", "Noise__25519_ChaChaPoly_SHA256",
        "Noise_XX_25519_ChaChaPoly_"}) {
    Result<Protocol> protocol = ParseProtocolName(name);
    ASSERT_FALSE(protocol.ok()) << name;
    EXPECT_EQ(protocol.status().code(), StatusCode::kInvalidArgument) << name;
  }
}

}  // namespace
}  // namespace attune::crypto::noise
