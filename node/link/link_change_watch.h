// Internal to node/: how `serve` learns at once that another attune command committed to the
// journal. inotify on the home folder, for writes to the database's WAL (a commit appends to
// it) and to the database file (a checkpoint), and for a writer closing them (a command ending,
// its commits visible). Only the link's .cc files include this.
//
// A writer that stays open and commits again without closing (none besides serve itself today)
// could have a commit seen late: its last WAL write can precede the commit's visibility. The
// conversation's look at each keepalive (every idle / 3) bounds that delay; it is the safety
// net, not the mechanism.
//
// Why inotify rather than a datagram the writing command sends: it needs nothing from the
// writers, so it also catches a command of an older attune, a restore, or any program that
// writes the file; a spurious wake (serve's own commits, a frame written before its commit)
// costs one PRAGMA data_version. Linux only, like the rest of attune's packaging.
#ifndef ATTUNE_NODE_LINK_LINK_CHANGE_WATCH_H_
#define ATTUNE_NODE_LINK_LINK_CHANGE_WATCH_H_

#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "node/link/link_clock.h"

namespace attune::node::link_io {

class DatabaseWatch {
 public:
  // Starts watching `database_path` (and its "-wal") on `executor`; `on_write` is called on
  // the executor after writes, possibly several writes per call, and also when the kernel's
  // queue of events overflowed (something may have been missed). Called until Stop() or the
  // end of the io_context. kIoError if inotify refuses (e.g. its per-user limits are reached).
  static Result<std::shared_ptr<DatabaseWatch>> Start(asio::any_io_executor executor,
                                                      const std::string& database_path,
                                                      std::function<void()> on_write);
  DatabaseWatch(asio::posix::stream_descriptor descriptor, std::string file,
                std::function<void()> on_write);
  void Stop();

 private:
  Task<void> ReadEvents(std::shared_ptr<DatabaseWatch> self);
  // Whether a batch of inotify events names the database or its WAL, or reports an overflow.
  bool AnyConcerns(const char* events, size_t size) const;

  asio::posix::stream_descriptor descriptor_;
  std::string file_;  // the database's name in its folder
  std::function<void()> on_write_;
};

}  // namespace attune::node::link_io

#endif  // ATTUNE_NODE_LINK_LINK_CHANGE_WATCH_H_
