#include "cli/app.h"

int main(int argc, char** argv) {
  return attune::cli::Run(argc, argv);
}
