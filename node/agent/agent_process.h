// How the unlock agent's process (node/agent.h, RunAgentProcess) reports its start back to
// StartAgent.
#ifndef ATTUNE_NODE_AGENT_AGENT_PROCESS_H_
#define ATTUNE_NODE_AGENT_AGENT_PROCESS_H_

#include <string_view>

#include "base/status.h"

namespace attune::node::agent {

// The agent's report on its standard output, which StartAgent reads through a pipe: "ready PID"
// once it listens, or "failed STEP" (StepFailed's detail).
Result<int> ParseStartReport(std::string_view report);

}  // namespace attune::node::agent

#endif  // ATTUNE_NODE_AGENT_AGENT_PROCESS_H_
