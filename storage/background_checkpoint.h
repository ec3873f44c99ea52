// Checkpoints a writing connection's WAL on a thread of its own, so that the writer never waits
// for them (Database::CheckpointInBackground).
//
// SQLite's automatic checkpoint runs inside the commit that pushes the WAL past its threshold:
// the committing thread copies every page back into the database file and waits for two
// fsyncs. During a first sync that stalled the receiving session (and, through its
// acknowledgements, the sender) for 100-150 ms every 32 MiB. Here the writer's commit only
// notes that a checkpoint is due; a second connection to the same file runs it as a PASSIVE
// checkpoint, which takes no lock a writer needs, while the writer goes on. Crash safety is
// SQLite's own: a checkpoint cut short is redone from the WAL at the next open.
//
// Thread-safe as documented per member. Not in storage's public API: Database owns one.
#ifndef ATTUNE_STORAGE_BACKGROUND_CHECKPOINT_H_
#define ATTUNE_STORAGE_BACKGROUND_CHECKPOINT_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/status.h"
#include "storage/connection.h"
#include "storage/database.h"

namespace attune::storage {

class BackgroundCheckpointer {
 public:
  // Opens a second connection to `path` and hooks `writer`'s commits: once one leaves at least
  // `threshold_pages` frames in the WAL, the thread checkpoints. `writer` must outlive this
  // object and must not be used by another thread while Start or the destructor runs.
  static Result<std::unique_ptr<BackgroundCheckpointer>> Start(sqlite3* writer,
                                                               const std::string& path,
                                                               int threshold_pages);

  // Stops the thread (after the checkpoint it is running, if any), closes its connection and
  // gives `writer` back SQLite's automatic checkpoint at the same threshold.
  ~BackgroundCheckpointer();

  BackgroundCheckpointer(const BackgroundCheckpointer&) = delete;
  BackgroundCheckpointer& operator=(const BackgroundCheckpointer&) = delete;

  // Holds off the thread's checkpoints while `run` runs on the caller's thread: a checkpoint
  // that must complete (Database::Checkpoint's TRUNCATE) would fail with kBusy beside one.
  template <typename Run>
  auto Exclusively(Run&& run) {
    std::lock_guard<std::mutex> hold(checkpointing_);
    return run();
  }

  // What the thread has done once it has attempted at least `checkpoints`, or `timeout`
  // passed. For tests.
  CheckpointActivity WaitFor(int checkpoints, std::chrono::milliseconds timeout);

 private:
  BackgroundCheckpointer(sqlite3* writer, SqliteHandle reader, int threshold_pages);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Run();

  sqlite3* const writer_;
  const SqliteHandle checkpointer_;
  const int threshold_pages_;

  std::mutex checkpointing_;  // held while the thread checkpoints

  std::mutex state_;                   // guards the four below
  std::condition_variable wake_;       // the thread: a checkpoint is due, or stop
  std::condition_variable attempted_;  // WaitFor: a checkpoint was attempted
  bool due_ = false;
  bool stopping_ = false;
  int checkpoints_run_ = 0;
  int64_t pages_copied_ = 0;

  std::thread thread_;  // last, so that it starts after everything it uses is built
};

}  // namespace attune::storage

#endif  // ATTUNE_STORAGE_BACKGROUND_CHECKPOINT_H_
