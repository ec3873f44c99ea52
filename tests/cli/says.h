// The wording tests' one question: does the text a person reads contain this part?
#ifndef ATTUNE_TESTS_CLI_SAYS_H_
#define ATTUNE_TESTS_CLI_SAYS_H_

#include <string>

namespace attune::cli::testing {

inline bool Says(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace attune::cli::testing

#endif  // ATTUNE_TESTS_CLI_SAYS_H_
