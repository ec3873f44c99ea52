// Where the editor's drafts live, so that the text of an entry being written never reaches a
// disk and none outlives the attune that wrote it.
//
// The drafts directory is private and memory-backed: $XDG_RUNTIME_DIR/attune when
// XDG_RUNTIME_DIR names a directory of this user that nobody else may write to (systemd makes
// it a per-user tmpfs), else /dev/shm/attune-UID on the tmpfs at /dev/shm. Either is created
// 0700 and, before every use, checked to be a real directory (not a symbolic link) of this
// user that nobody else may enter; anything else is refused, never worked around. There is no
// fallback to disk-backed storage ($TMPDIR, /tmp).
//
// Each draft has a subdirectory of its own (draft-XXXXXX), holding a `lock` file that its
// attune keeps an exclusive flock on while the draft exists. An attune killed while its editor
// is open leaves its draft behind, unlocked: WipeLeftoverDrafts() finds and wipes those. A
// `lock` file at the top of the drafts directory, held while a draft is made and while leftovers
// are looked for, keeps the one from taking a draft being made for a leftover.
#ifndef ATTUNE_CLI_DRAFTS_H_
#define ATTUNE_CLI_DRAFTS_H_

#include <string>

#include "base/status.h"
#include "base/unique_fd.h"

namespace attune::cli {

// One draft's private directory (0700), locked for as long as the object owns it. Move-only;
// the destructor wipes it as Wipe() does.
class DraftDirectory {
 public:
  // Makes one. kIoError when there is no private memory-backed place for it (the detail says
  // why and how to give the text without the editor).
  static Result<DraftDirectory> Create();

  DraftDirectory(DraftDirectory&& other) noexcept;
  DraftDirectory& operator=(DraftDirectory&&) = delete;
  DraftDirectory(const DraftDirectory&) = delete;
  DraftDirectory& operator=(const DraftDirectory&) = delete;
  ~DraftDirectory();

  const std::string& path() const { return path_; }

  // Overwrites every file in the directory with zeros (folders of them too, to a depth of 8;
  // symbolic links are removed, never followed), removes them and the directory, then lets go
  // of the lock. Later calls do nothing.
  void Wipe();

 private:
  DraftDirectory(std::string path, UniqueFd lock_fd)
      : path_(std::move(path)), lock_fd_(std::move(lock_fd)) {}

  std::string path_;
  UniqueFd lock_fd_;
};

// Wipes, as DraftDirectory::Wipe does, every draft directory whose attune is gone (its lock
// can be taken), in each drafts directory that exists and passes the checks above; the drafts
// of a running attune are left alone. Creates nothing. Returns how many it wiped.
int WipeLeftoverDrafts();

// Why the editor will not open (`why`: there is no private place in memory for the draft) and
// how to give the text instead: kIoError (exit 10).
Status NoPrivatePlace(const std::string& why);

}  // namespace attune::cli

#endif  // ATTUNE_CLI_DRAFTS_H_
