#include <sys/prctl.h>
#include <sys/resource.h>

#include "cli/app.h"

namespace {

// A crash must not write journal text, passphrases or keys to disk: a core dump is a copy of the
// process's memory, kept wherever the system keeps them (systemd-coredump stores them for days).
// Both settings: a core limit of 0 stops core files (a core_pattern pipe helper honours it only
// by choice), and a process that is not dumpable is not dumped at all (with the usual
// suid_dumpable=0). Not dumpable also stops other processes of the same user from attaching a
// debugger or reading /proc/PID/mem and /proc/PID/environ, so a stray program running as you
// cannot lift the key out of a long-running `attune serve` (root still can). The hard limit
// goes to 0 too, so nothing later in the process can raise it again; the editor attune starts
// inherits the limit (it holds the text too), while exec makes it dumpable again as usual.
void KeepMemoryOutOfCoreDumps() {
  const rlimit none{0, 0};
  (void)::setrlimit(RLIMIT_CORE, &none);
  (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

}  // namespace

int main(int argc, char** argv) {
  KeepMemoryOutOfCoreDumps();
  return attune::cli::Run(argc, argv);
}
