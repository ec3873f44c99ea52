// The torrc of the tor that attune starts for a home: everything it needs to run without the
// system's tor service, root or any system configuration, and nothing it writes outside the
// home's tor folder. Pure: node/ writes the text to a file and starts tor with it.
#ifndef ATTUNE_TOR_TORRC_H_
#define ATTUNE_TOR_TORRC_H_

#include <string>

#include "base/status.h"

namespace attune::tor {

struct TorrcOptions {
  std::string data_directory;     // the home's tor folder (0700), absolute
  std::string control_port_file;  // where tor writes "PORT=127.0.0.1:N" once listening
  std::string cookie_file;        // the control port's authentication cookie (0600)
  int owner_pid = 0;              // tor exits when this process does
  // Lines appended as they are (ATTUNE_TOR_EXTRA_TORRC: a private test network, a bridge).
  std::string extra;
};

// The torrc text. Control and SOCKS ports are on 127.0.0.1 and chosen by tor ("auto"); SOCKS
// replies carry tor's extended error codes; tor logs notices to standard output (which node/
// reads for diagnostics) and nothing to disk. kInvalidArgument if a path is not absolute or
// holds a line break or a quote, or owner_pid is not positive.
Result<std::string> ComposeTorrc(const TorrcOptions& options);

}  // namespace attune::tor

#endif  // ATTUNE_TOR_TORRC_H_
