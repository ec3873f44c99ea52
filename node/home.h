// Where a node keeps its data. A home is a directory, private to its owner (0700), holding the
// journal database and nothing secret in the clear.
#ifndef ATTUNE_NODE_HOME_H_
#define ATTUNE_NODE_HOME_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/unique_fd.h"

namespace attune::node {

struct HomeSources {
  std::optional<std::string> flag;           // --home
  std::optional<std::string> attune_home;    // $ATTUNE_HOME
  std::optional<std::string> xdg_data_home;  // $XDG_DATA_HOME
  std::optional<std::string> user_home;      // $HOME
};

// The first of: --home, $ATTUNE_HOME, $XDG_DATA_HOME/attune, $HOME/.local/share/attune.
// Empty values count as unset. kInvalidArgument if none is available.
Result<std::string> ResolveHome(const HomeSources& sources);

// Reads the sources from the process environment (plus the flag given).
HomeSources HomeSourcesFromEnvironment(std::optional<std::string> flag);

// A path in the home that other users may reach (cli words the warning and the chmod).
struct LoosePath {
  std::string path;
  bool is_home = false;       // the home directory itself; else a regular file in it
  unsigned mode = 0;          // its permission bits, e.g. 0755
  unsigned private_mode = 0;  // the mode that makes it private: 0700 for the home, 0600 a file
  bool operator==(const LoosePath&) const = default;
};

class Home {
 public:
  explicit Home(std::string dir) : dir_(std::move(dir)) {}

  const std::string& dir() const { return dir_; }
  std::string database_path() const { return dir_ + "/journal.db"; }
  // The copy of the database an upgrade keeps until it has committed (node/journal_upgrade.h).
  std::string upgrade_copy_path() const { return dir_ + "/journal.db.before-upgrade"; }
  // The file whose lock `serve` and a re-key hold (see HomeLock).
  std::string serve_lock_path() const { return dir_ + "/serve.lock"; }
  // The socket on which a running `serve` opens the browser page for `attune ui` (node/ui.h).
  std::string ui_socket_path() const { return dir_ + "/ui.sock"; }
  // The folder of the tor that attune starts for this home (issue 17): torrc and tor's data.
  std::string tor_folder() const { return dir_ + "/tor"; }
  bool HasJournal() const;

  // Creates the directory (and missing parents) with mode 0700. An existing directory is kept
  // as it is.
  Status Create() const;

  // Each path in the home that other users may reach: first the directory (any group or other
  // bit), then each regular file in it by name (journal.db, its -wal and -shm, anything else)
  // with a group or other bit. SQLite gives -wal and -shm the database's own mode, so a
  // loosened journal.db loosens them too. Empty when all is private or the home does not exist.
  std::vector<LoosePath> LoosePaths() const;

 private:
  std::string dir_;
};

// An exclusive lock on a home (flock on its serve.lock file), held by `attune serve` for as long
// as it runs and by a re-key for its duration: neither runs beside the other, and no two serves
// run on one home. The kernel releases it when the process ends, however it ends.
class HomeLock {
 public:
  // kBusy if another process holds it; kIoError (or kNoSpace) if the lock file cannot be made.
  static Result<HomeLock> Acquire(const Home& home);

  HomeLock(HomeLock&& other) noexcept;
  HomeLock& operator=(HomeLock&&) = delete;
  ~HomeLock();  // out of line: inlined into a std::optional, GCC 12 warns falsely

 private:
  explicit HomeLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;  // closing it releases the lock
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_HOME_H_
