#include "tests/common/random_runs.h"

#include <cstdlib>
#include <string>

namespace attune::test_common {
namespace {

const char* Variable(std::string_view name, std::string_view suffix) {
  const std::string variable = "ATTUNE_" + std::string(name) + "_" + std::string(suffix);
  const char* value = std::getenv(variable.c_str());
  return value != nullptr && *value != '\0' ? value : nullptr;
}

}  // namespace

std::vector<uint64_t> SeedsToRun(std::string_view name, uint64_t count) {
  if (const char* forced = Variable(name, "SEED")) return {std::strtoull(forced, nullptr, 10)};
  if (const char* more = Variable(name, "SEEDS")) count = std::strtoull(more, nullptr, 10);
  std::vector<uint64_t> seeds;
  for (uint64_t seed = 1; seed <= count; ++seed) seeds.push_back(seed);
  return seeds;
}

bool TracingRuns(std::string_view name) {
  return Variable(name, "TRACE") != nullptr;
}

}  // namespace attune::test_common
