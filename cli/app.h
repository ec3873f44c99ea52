// attune's command line: parses arguments, runs one command, maps its status to an exit code.
#ifndef ATTUNE_CLI_APP_H_
#define ATTUNE_CLI_APP_H_

#include <string_view>

namespace attune::cli {

// What the program carries that is made while it is built, from cli itself.
struct ProgramAssets {
  // The page's words (GET /wording.json), made from UiWordingJson() at build time by
  // attune_page_wording, so that the page's assets hold cli's own sentences.
  std::string_view page_wording_json = "{}";
};

// The whole program; returns the process exit code (see exit_codes.h).
int Run(int argc, char** argv, const ProgramAssets& assets);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_APP_H_
