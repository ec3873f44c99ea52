// How a quiz result is kept in a `style` entry's fields, and read back for `attune style`.
#ifndef ATTUNE_NODE_STYLE_RESULT_H_
#define ATTUNE_NODE_STYLE_RESULT_H_

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "steps/quiz.h"

namespace attune::node {

// {"quiz_version", "anxiety", "avoidance", "primary", "blend": {"secure": 80, ...}}
nlohmann::json QuizScoreToJson(const steps::QuizScore& score);

// kCorruption if the fields are not a stored quiz result.
Result<steps::QuizScore> QuizScoreFromJson(const nlohmann::json& fields);

}  // namespace attune::node

#endif  // ATTUNE_NODE_STYLE_RESULT_H_
