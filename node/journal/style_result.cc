#include "node/style_result.h"

namespace attune::node {
namespace {

constexpr int kQuizVersion = 1;
constexpr steps::Style kStyles[] = {steps::Style::kSecure, steps::Style::kAnxious,
                                    steps::Style::kDismissive, steps::Style::kFearful};

}  // namespace

nlohmann::json QuizScoreToJson(const steps::QuizScore& score) {
  nlohmann::json blend = nlohmann::json::object();
  for (steps::Style style : kStyles) {
    blend[std::string(steps::StyleShortName(style))] = score.blend_percent[static_cast<int>(style)];
  }
  return {{"quiz_version", kQuizVersion},
          {"anxiety", score.anxiety},
          {"avoidance", score.avoidance},
          {"primary", std::string(steps::StyleShortName(score.primary))},
          {"blend", std::move(blend)}};
}

Result<steps::QuizScore> QuizScoreFromJson(const nlohmann::json& fields) {
  if (!fields.is_object() || !fields.contains("anxiety") || !fields.contains("avoidance") ||
      !fields["anxiety"].is_number() || !fields["avoidance"].is_number()) {
    return Status::Corruption("not a stored quiz result");
  }
  const double anxiety = fields["anxiety"].get<double>();
  const double avoidance = fields["avoidance"].get<double>();
  if (!(anxiety >= 1.0 && anxiety <= 7.0 && avoidance >= 1.0 && avoidance <= 7.0)) {
    return Status::Corruption("quiz scores out of range");
  }
  // The blend is a function of the two scores, so recomputing it keeps one source of truth.
  return steps::BlendFromScores(anxiety, avoidance);
}

}  // namespace attune::node
