// How a quiz result is stored in a `style` entry and read back.
#include "node/style_result.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

using nlohmann::json;

TEST(StyleResultTest, RoundTripAcrossTheSquare) {
  for (double anxiety : {1.0, 2.5, 4.0, 6.75, 7.0}) {
    for (double avoidance : {1.0, 3.25, 7.0}) {
      const steps::QuizScore score = steps::BlendFromScores(anxiety, avoidance);
      const json stored = json::parse(QuizScoreToJson(score).dump());
      ASSERT_OK_AND_ASSIGN(steps::QuizScore back, QuizScoreFromJson(stored));
      EXPECT_DOUBLE_EQ(back.anxiety, anxiety);
      EXPECT_DOUBLE_EQ(back.avoidance, avoidance);
      EXPECT_EQ(back.blend_percent, score.blend_percent);
      EXPECT_EQ(back.primary, score.primary);
    }
  }
}

TEST(StyleResultTest, WritesTheDocumentedShape) {
  const steps::QuizScore score = steps::BlendFromScores(7.0, 1.0);  // the anxious corner
  const json stored = QuizScoreToJson(score);
  EXPECT_EQ(stored["quiz_version"], 1);
  EXPECT_EQ(stored["anxiety"], 7.0);
  EXPECT_EQ(stored["avoidance"], 1.0);
  EXPECT_EQ(stored["primary"], "anxious");
  EXPECT_EQ(stored["blend"],
            (json{{"secure", 0}, {"anxious", 100}, {"dismissive", 0}, {"fearful", 0}}));
}

TEST(StyleResultTest, RejectsWhatIsNotAStoredResult) {
  const json good = QuizScoreToJson(steps::BlendFromScores(3.0, 3.0));
  ASSERT_TRUE(QuizScoreFromJson(good).ok());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::pair<std::string, json>> bad_values = {
      {"anxiety", 0.99}, {"anxiety", 7.01},     {"anxiety", -3},
      {"avoidance", 0},  {"avoidance", 8},      {"avoidance", nan},
      {"anxiety", "4"},  {"avoidance", json()}, {"anxiety", json::array({4})},
  };
  for (const auto& [key, value] : bad_values) {
    json fields = good;
    fields[key] = value;
    EXPECT_CODE(QuizScoreFromJson(fields), kCorruption) << key << " = " << value.dump();
  }
  for (const char* key : {"anxiety", "avoidance"}) {
    json fields = good;
    fields.erase(key);
    EXPECT_CODE(QuizScoreFromJson(fields), kCorruption) << "without " << key;
  }
  EXPECT_CODE(QuizScoreFromJson(json::array()), kCorruption);
  EXPECT_CODE(QuizScoreFromJson(json()), kCorruption);
  EXPECT_CODE(QuizScoreFromJson("style"), kCorruption);
}

}  // namespace
}  // namespace attune::node::testing
