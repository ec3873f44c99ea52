// Offline bundles (`attune bundle`): a sync with the partner carried in a file, for partners
// who are never online at the same time. The content and its rules are protocol/bundle.h; the
// sealing to the partner (Noise K) is protocol/bundle_seal.h; this is the journal's side: the
// keys, the sync store, and the file.
//
// Errors (cli/commands_bundle.cc words them):
//   kNotFound         no partner (reason JournalReason::kNotPaired): nothing to write a bundle
//                     for, nor to open one from
//   kInvalidArgument  --out to a file that exists, without `replace` (reason
//                     PrivateFileReason::kFileExists, node/private_file.h)
//   kNotFound         no file to open (reason BundleReason::kNoSuchFile, the detail its path);
//                     or the bundle continues an earlier one not opened here (nothing changed)
//   kUnknownPeer      not written by the partner for this journal (or damaged in its first
//                     48 bytes); nothing changed
//   kCorruption, kAuthFailed   the file is not a whole, intact bundle; nothing changed
//   kProtocolError    it opened, but its content breaks the protocol (a buggy or newer
//                     partner); nothing changed
//   kNoSpace, kIoError  writing or reading the file failed; no partial file is left
//   the journal's errors otherwise (kBusy: another command changed the sync state meanwhile)
#ifndef ATTUNE_NODE_BUNDLE_H_
#define ATTUNE_NODE_BUNDLE_H_

#include <cstdint>
#include <string>

#include "base/status.h"
#include "node/journal.h"

namespace attune::node {

// Reasons (base/status.h) for a bundle's file; node's range 600-619 is this file's.
enum class BundleReason {
  kNoSuchFile = 600,  // kNotFound: nothing at the path given to open
};

struct BundleWriteResult {
  uint64_t sent = 0;      // own entries (new or changed) in the bundle
  uint64_t withdrew = 0;  // withdrawals in the bundle
  uint64_t bytes = 0;     // the file's size
  bool complete = true;   // false: more than one bundle holds; the rest follows in the next
};

// Writes everything the partner has not acknowledged to `path`, sealed to the partner, through
// WritePrivateFile (node/private_file.h): mode 0600, whole or not at all, through an
// unpredictable temporary name. Refuses an existing file unless `replace`.
// Changes nothing in the journal (except making its log's epoch on a first use).
Result<BundleWriteResult> WriteBundle(Journal& journal, const std::string& path, bool replace);

struct BundleOpenResult {
  uint64_t received = 0;  // partner entries added or updated
  uint64_t removed = 0;   // partner entries removed (they withdrew them)
  uint64_t refused = 0;   // rows that were not valid entries (none, normally)
  uint64_t skipped = 0;   // rows already applied (the bundle, or a newer one, was opened before)
  bool partner_started_over = false;  // their log has a new epoch: what they shared came anew
  uint64_t newly_delivered = 0;       // own log seq the partner now acknowledges (0: no news)
  // The partner holds more of this journal's log than it has (it was restored from an older
  // copy): the log started a new epoch, and the next bundle or sync sends everything again.
  bool own_log_restarted = false;
  bool complete = true;  // false: the partner had more than one bundle holds
  uint64_t bytes = 0;    // the file's size
};

// Opens the partner's bundle at `path` and applies it as a sync would: idempotent, in order,
// and resumable (opening it again after an interruption completes it). What can be checked
// before reading the file is: a file whose size is not a bundle's (or that is not a regular
// file: a FIFO, a device) is refused without reading a byte, and one whose first 48 bytes were
// not sealed by the partner for this journal after reading only those. Errors: see above.
Result<BundleOpenResult> OpenBundle(Journal& journal, const std::string& path);

}  // namespace attune::node

#endif  // ATTUNE_NODE_BUNDLE_H_
