// The commitment (crypto/commitment.h): BLAKE2b against RFC 7693, the construction against known
// answers computed with an independent BLAKE2b (tests/vectors/commitment-blake2b.json), and the
// properties the exercises rely on: it opens only with its own context, committer, opening and
// value.
#include "crypto/commitment.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "crypto/keyed_hash.h"
#include "crypto/random.h"

namespace attune::crypto {
namespace {

nlohmann::json LoadVectors() {
  const std::string path =
      std::string(ATTUNE_SOURCE_DIR) + "/tests/vectors/commitment-blake2b.json";
  std::ifstream file(path);
  EXPECT_TRUE(file.is_open()) << "missing " << path;
  return nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
}

Bytes Hex(const nlohmann::json& vector, const char* field) {
  const std::optional<Bytes> bytes = FromHex(vector.value(field, std::string("?")));
  EXPECT_TRUE(bytes.has_value()) << field;
  return bytes.value_or(Bytes{});
}

Bytes AsBytesCopy(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

std::string Text(const Bytes& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

TEST(CommitmentTest, Blake2bMatchesRfc7693) {
  const nlohmann::json vectors = LoadVectors();
  ASSERT_FALSE(vectors.is_discarded());
  const nlohmann::json& primitive = vectors["primitive"];
  EXPECT_EQ(ToHex(PublicDigest("", Hex(primitive, "message"), 64)),
            primitive.value("digest", std::string()));
}

TEST(CommitmentTest, MatchesTheKnownAnswers) {
  const nlohmann::json vectors = LoadVectors();
  ASSERT_FALSE(vectors.is_discarded());
  ASSERT_EQ(vectors["vectors"].size(), 4u);
  for (const nlohmann::json& vector : vectors["vectors"]) {
    SCOPED_TRACE(vector.value("name", std::string()));
    const std::string context = Text(Hex(vector, "context"));
    const Bytes committer = Hex(vector, "committer");
    const Bytes opening = Hex(vector, "opening");
    const Bytes value = Hex(vector, "value");
    const Bytes commitment = Commit(context, committer, opening, value);
    EXPECT_EQ(ToHex(commitment), vector.value("commitment", std::string()));
    EXPECT_TRUE(OpensCommitment(commitment, context, committer, opening, value));
  }
}

TEST(CommitmentTest, OpensOnlyWithEverythingItWasMadeOf) {
  const Bytes committer = RandomBytes(32);
  const Bytes opening = RandomBytes(kOpeningBytes);
  const Bytes value = AsBytesCopy("avoidant");
  const Bytes commitment = Commit("exercise-1", committer, opening, value);
  EXPECT_TRUE(OpensCommitment(commitment, "exercise-1", committer, opening, value));
  EXPECT_FALSE(OpensCommitment(commitment, "exercise-2", committer, opening, value));
  EXPECT_FALSE(OpensCommitment(commitment, "exercise-1", RandomBytes(32), opening, value));
  EXPECT_FALSE(
      OpensCommitment(commitment, "exercise-1", committer, RandomBytes(kOpeningBytes), value));
  EXPECT_FALSE(
      OpensCommitment(commitment, "exercise-1", committer, opening, AsBytesCopy("anxious")));
  EXPECT_FALSE(OpensCommitment(commitment, "exercise-1", committer, Bytes(16), value));
  Bytes changed = commitment;
  changed[31] ^= 1;
  EXPECT_FALSE(OpensCommitment(changed, "exercise-1", committer, opening, value));
}

TEST(CommitmentTest, LengthsKeepTheFieldsApart) {
  // Moving a byte from the context into the committer changes the commitment.
  const Bytes opening(kOpeningBytes, 7);
  EXPECT_NE(Commit("ab", AsBytesCopy("c"), opening, {}),
            Commit("a", AsBytesCopy("bc"), opening, {}));
}

TEST(CommitmentTest, TheSameAnswerTwiceLooksUnrelated) {
  const Bytes committer(32, 1);
  const Bytes value = AsBytesCopy("secure");
  EXPECT_NE(Commit("x", committer, RandomBytes(kOpeningBytes), value),
            Commit("x", committer, RandomBytes(kOpeningBytes), value));
}

}  // namespace
}  // namespace attune::crypto
