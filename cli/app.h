// attune's command line: parses arguments, runs one command, maps its status to an exit code.
#ifndef ATTUNE_CLI_APP_H_
#define ATTUNE_CLI_APP_H_

namespace attune::cli {

// The whole program; returns the process exit code (see exit_codes.h).
int Run(int argc, char** argv);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_APP_H_
