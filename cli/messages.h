// The sentences a person reads when something goes wrong: what happened and what to do.
#ifndef ATTUNE_CLI_MESSAGES_H_
#define ATTUNE_CLI_MESSAGES_H_

#include <string>

#include "base/status.h"

namespace attune::cli {

// One or two lines for standard error, without the "attune: " prefix.
std::string Explain(const Status& status);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_MESSAGES_H_
