#include "storage/background_checkpoint.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "storage/sqlite_status.h"

namespace attune::storage {

Result<std::unique_ptr<BackgroundCheckpointer>> BackgroundCheckpointer::Start(
    sqlite3* writer, const std::string& path, int threshold_pages) {
  if (threshold_pages < 1) return Status::InvalidArgument("checkpoint: threshold below one page");
  ATTUNE_ASSIGN_OR_RETURN(SqliteHandle reader, OpenConnection(path, /*create_if_missing=*/false,
                                                              std::chrono::milliseconds(0)));
  // A checkpoint syncs the WAL before copying and the file after, as the writer's would.
  // Checkpoint-on-close stays off (OpenConnection's default): the writer, closing last, does it.
  ATTUNE_RETURN_IF_ERROR(ExecScript(reader.get(), "PRAGMA synchronous=NORMAL;", "checkpoint"));
  std::unique_ptr<BackgroundCheckpointer> started(
      new BackgroundCheckpointer(writer, std::move(reader), threshold_pages));
  // Replaces the writer's automatic checkpoint (sqlite3_wal_autocheckpoint is this same hook).
  sqlite3_wal_hook(writer, &BackgroundCheckpointer::OnCommit, started.get());
  return started;
}

BackgroundCheckpointer::BackgroundCheckpointer(sqlite3* writer, SqliteHandle reader,
                                               int threshold_pages)
    : writer_(writer),
      checkpointer_(std::move(reader)),
      threshold_pages_(threshold_pages),
      thread_([this] { Run(); }) {}

BackgroundCheckpointer::~BackgroundCheckpointer() {
  sqlite3_wal_autocheckpoint(writer_, threshold_pages_);
  {
    std::lock_guard<std::mutex> lock(state_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

CheckpointActivity BackgroundCheckpointer::WaitFor(int checkpoints,
                                                   std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(state_);
  attempted_.wait_for(lock, timeout, [&] { return checkpoints_run_ >= checkpoints; });
  return CheckpointActivity{checkpoints_run_, pages_copied_};
}

// Called by SQLite on the writer's thread after each commit, with the WAL's frame count. It
// must not wait: it only marks a checkpoint due.
int BackgroundCheckpointer::OnCommit(void* self, sqlite3* /*db*/, const char* /*schema*/,
                                     int wal_pages) {
  auto* checkpointer = static_cast<BackgroundCheckpointer*>(self);
  if (wal_pages < checkpointer->threshold_pages_) return SQLITE_OK;
  {
    std::lock_guard<std::mutex> lock(checkpointer->state_);
    checkpointer->due_ = true;
  }
  checkpointer->wake_.notify_one();
  return SQLITE_OK;
}

void BackgroundCheckpointer::Run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(state_);
      wake_.wait(lock, [this] { return due_ || stopping_; });
      if (stopping_) return;
      due_ = false;
    }
    int copied = 0;
    {
      std::lock_guard<std::mutex> hold(checkpointing_);
      // PASSIVE copies what no reader still needs and never waits. A failure (another process
      // checkpointing, a full disk) leaves the pages in the WAL, where every reader finds them:
      // the next commit past the threshold tries again, and the writer's close checkpoints.
      // SQLite reports a failure as -1 frames copied, so the result code adds nothing here.
      (void)sqlite3_wal_checkpoint_v2(checkpointer_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                      nullptr, &copied);
    }
    {
      std::lock_guard<std::mutex> lock(state_);
      ++checkpoints_run_;
      pages_copied_ += std::max(copied, 0);
    }
    attempted_.notify_all();
  }
}

}  // namespace attune::storage
