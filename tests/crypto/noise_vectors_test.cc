// Every vector of the cacophony and snow files (two independent
// implementations), through the runner that the noise_vectors tool also uses,
// plus checks that the runner itself can fail and skip, and reads what other
// implementations leave out.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/crypto/noise_vector_runner.h"

namespace attune::crypto::noise::vectors {
namespace {

// 38 patterns (one-way, interactive, deferred) x 3 hashes, none with psk: in
// both files. Asserted as a floor so a parser regression cannot skip vectors
// silently.
constexpr size_t kExpectedSupported = 114;

std::string VectorFile(const std::string& name) {
  return std::string(ATTUNE_SOURCE_DIR) + "/tests/vectors/" + name;
}

// Every vector of `report` passed or was skipped with a reason.
void ExpectNoneFailed(const VectorReport& report) {
  for (const VectorResult& result : report.results) {
    EXPECT_NE(result.verdict, Verdict::kFailed) << result.protocol_name << ": " << result.reason;
    if (result.verdict == Verdict::kSkipped) {
      EXPECT_FALSE(result.reason.empty()) << result.protocol_name << " skipped without a reason";
    }
  }
  EXPECT_EQ(report.failed, 0u);
  EXPECT_GE(report.passed, kExpectedSupported) << SummaryLine(report);
  EXPECT_EQ(report.passed + report.skipped + report.failed, report.results.size());
}

TEST(NoiseVectorsTest, EverySupportedCacophonyVectorPasses) {
  Result<VectorReport> report =
      RunVectorsFromFile(VectorFile("noise-cacophony-25519-chachapoly.json"));
  ASSERT_TRUE(report.ok()) << report.status().detail();
  ExpectNoneFailed(*report);
  EXPECT_EQ(SummaryLine(*report), std::to_string(report->passed) + " passed, 0 failed, " +
                                      std::to_string(report->skipped) + " skipped");
}

// snow's file, unedited: no handshake hashes, empty psk arrays on every
// pattern without psk, and the psk patterns, which are skipped.
TEST(NoiseVectorsTest, EverySupportedSnowVectorPasses) {
  Result<VectorReport> report = RunVectorsFromFile(VectorFile("noise-snow-25519-chachapoly.json"));
  ASSERT_TRUE(report.ok()) << report.status().detail();
  ExpectNoneFailed(*report);
  EXPECT_EQ(report->passed, kExpectedSupported);
  EXPECT_EQ(report->skipped, 39u) << "13 psk patterns x 3 hashes";
  for (const VectorResult& result : report->results) {
    const bool psk = result.protocol_name.find("psk") != std::string::npos;
    EXPECT_EQ(result.verdict, psk ? Verdict::kSkipped : Verdict::kPassed) << result.protocol_name;
  }
}

// NN/BLAKE2b from the shared file, in full, so edits below have a known base.
const char kNnVector[] = R"({
  "protocol_name": "Noise_NN_25519_ChaChaPoly_BLAKE2b",
  "init_prologue": "4a6f686e2047616c74",
  "init_ephemeral": "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a",
  "resp_prologue": "4a6f686e2047616c74",
  "resp_ephemeral": "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b",
  "handshake_hash": "25b3d1154146a2e058e4db548e0841992cf33a972d5b85a908e4fb8f14b6d94f4987e17baa330c93dd842d6eda030cd47190c60d7c862574078779aba1302a2e",
  "messages": [
    {"payload": "4c756477696720766f6e204d69736573",
     "ciphertext": "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573"},
    {"payload": "4d757272617920526f746862617264",
     "ciphertext": "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843d10cf8ef4ab895bed3e4673211f0c9337039d63a450c7b28196b8a0ebade00"},
    {"payload": "462e20412e20486179656b",
     "ciphertext": "e50ec882703a1f34bf4957d8cafd036d34e02930f672f424c676e1"}
  ]})";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

VectorReport RunOne(const std::string& vector) {
  Result<VectorReport> report = RunVectorsFromJson("{\"vectors\": [" + vector + "]}");
  EXPECT_TRUE(report.ok()) << report.status().detail();
  return report.ok() ? *report : VectorReport{};
}

TEST(NoiseVectorRunnerTest, PassesTheUnchangedVector) {
  VectorReport report = RunOne(kNnVector);
  EXPECT_EQ(report.passed, 1u) << report.results.at(0).reason;
}

TEST(NoiseVectorRunnerTest, FailsOnAWrongHandshakeCiphertext) {
  VectorReport report = RunOne(Replace(kNnVector, "ca35def5", "ca35def6"));
  ASSERT_EQ(report.failed, 1u);
  EXPECT_NE(report.results[0].reason.find("message 0"), std::string::npos)
      << report.results[0].reason;
}

TEST(NoiseVectorRunnerTest, FailsOnAWrongTransportCiphertext) {
  VectorReport report = RunOne(Replace(kNnVector, "e50ec882", "e50ec883"));
  ASSERT_EQ(report.failed, 1u);
  EXPECT_NE(report.results[0].reason.find("message 2"), std::string::npos);
}

TEST(NoiseVectorRunnerTest, FailsOnAWrongHandshakeHash) {
  EXPECT_EQ(RunOne(Replace(kNnVector, "25b3d115", "25b3d116")).failed, 1u);
}

TEST(NoiseVectorRunnerTest, FailsOnAMismatchedPrologue) {
  EXPECT_EQ(RunOne(Replace(kNnVector, "\"resp_prologue\": \"4a", "\"resp_prologue\": \"5a")).failed,
            1u);
}

TEST(NoiseVectorRunnerTest, FailsWhenTheHandshakeNeverFinishes) {
  // Keep only the first message: NN needs two.
  std::string truncated = kNnVector;
  const size_t cut = truncated.find(",\n    {\"payload\": \"4d75");
  ASSERT_NE(cut, std::string::npos);
  truncated.erase(cut, truncated.rfind(']') - cut);
  VectorReport report = RunOne(truncated);
  ASSERT_EQ(report.failed, 1u);
  EXPECT_NE(report.results[0].reason.find("did not finish"), std::string::npos);
}

TEST(NoiseVectorRunnerTest, SkipsForeignProtocolsAndPskWithTheirReasons) {
  VectorReport report =
      RunOne(Replace(kNnVector, "25519_ChaChaPoly_BLAKE2b", "448_ChaChaPoly_BLAKE2b") + "," +
             Replace(kNnVector, "25519_ChaChaPoly_BLAKE2b", "25519_AESGCM_BLAKE2b") + "," +
             Replace(kNnVector, "Noise_NN_", "Noise_NNpsk0_") + "," +
             Replace(kNnVector, "\"init_prologue\"", "\"init_psks\": [\"00\"], \"init_prologue\"") +
             "," + Replace(kNnVector, "\"init_prologue\"", "\"fail\": true, \"init_prologue\""));
  EXPECT_EQ(report.skipped, 5u);
  EXPECT_EQ(report.passed + report.failed, 0u);
  std::vector<std::string> reasons;
  for (const VectorResult& result : report.results) reasons.push_back(result.reason);
  for (const std::string& reason : reasons) EXPECT_FALSE(reason.empty());
  // Each names its own cause: five different reasons.
  std::sort(reasons.begin(), reasons.end());
  EXPECT_EQ(std::unique(reasons.begin(), reasons.end()), reasons.end());
  EXPECT_NE(report.results[3].reason.find("init_psks"), std::string::npos)
      << report.results[3].reason;
}

// What other implementations publish differently from cacophony.
TEST(NoiseVectorRunnerTest, AnEmptyPskArrayMeansNoPsk) {
  const std::string no_psks =
      Replace(Replace(kNnVector, "\"init_prologue\"", "\"init_psks\": [], \"init_prologue\""),
              "\"resp_prologue\"", "\"resp_psks\": [], \"resp_prologue\"");
  VectorReport report = RunOne(no_psks);
  EXPECT_EQ(report.passed, 1u) << report.results.at(0).reason;
}

TEST(NoiseVectorRunnerTest, AMissingHandshakeHashIsNotChecked) {
  std::string without_hash = kNnVector;
  const size_t begin = without_hash.find("  \"handshake_hash\"");
  ASSERT_NE(begin, std::string::npos);
  without_hash.erase(begin, without_hash.find('\n', begin) + 1 - begin);
  ASSERT_EQ(without_hash.find("handshake_hash"), std::string::npos);
  VectorReport report = RunOne(without_hash);
  EXPECT_EQ(report.passed, 1u) << report.results.at(0).reason;
  // Still played in full: a wrong ciphertext after it fails.
  EXPECT_EQ(RunOne(Replace(without_hash, "e50ec882", "e50ec883")).failed, 1u);
}

TEST(NoiseVectorRunnerTest, AHandshakeHashThatIsNotHexFails) {
  EXPECT_EQ(RunOne(Replace(kNnVector, "25b3d115", "25b3d11z")).failed, 1u);
}

TEST(NoiseVectorRunnerTest, MalformedVectorsFailAndBadDocumentsAreErrors) {
  EXPECT_EQ(RunOne(Replace(kNnVector, "893e28b9", "893e28bz")).failed, 1u);
  EXPECT_EQ(RunOne("{\"messages\": []}").failed, 1u);
  EXPECT_EQ(RunOne("42").failed, 1u);
  for (std::string_view bad : {"", "not json", "{}", "{\"vectors\": 3}", "[]"}) {
    Result<VectorReport> report = RunVectorsFromJson(bad);
    ASSERT_FALSE(report.ok()) << bad;
    EXPECT_EQ(report.status().code(), StatusCode::kCorruption);
  }
  EXPECT_EQ(RunVectorsFromFile("/nonexistent/noise.json").status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace attune::crypto::noise::vectors
