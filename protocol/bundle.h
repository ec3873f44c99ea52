// Offline bundles: a sync from one side, written down. For partners who are never online at
// the same time, `attune bundle --out` writes what the partner has not acknowledged yet into
// one file, and the partner's `attune bundle --open` applies it as a sync would. This header
// is the content (pure: a SyncStore in, bytes out, and back); protocol/bundle_seal.h seals it
// to the partner (Noise K). docs/protocol.md section 7 specifies both.
//
// The content is the sender's half of a sync exchange, as envelopes of the sync protocol
// (protocol/messages.h), each preceded by its length (u32 big-endian):
//   SyncHello{epoch, your_epoch, applied_seq}   the sender's log epoch, and how far it applied
//                                               the recipient's log: the acknowledgements
//   SyncBatch{epoch, 1, after_seq, ...}         the rows of the sender's log after what the
//   SyncBatch{epoch, 2, ...} ...                recipient acknowledged, packed and fragmented
//                                               as a live sync packs them; caught_up on the
//                                               last batch unless the bundle was capped
//
// Bundles are cumulative: each holds every row after what the partner acknowledged, so the
// newest bundle alone is enough, an older one opened after it changes nothing, and opening one
// twice changes nothing. Opening applies under the sync engine's rules (protocol/sync.h): a new
// epoch resets what was applied of the old one; rows at or below the cursor are skipped; rows
// and the cursor move together in one SyncStore::Apply. A bundle that starts after the
// recipient's cursor would leave a hole: it is refused (kNotFound) and nothing changes.
#ifndef ATTUNE_PROTOCOL_BUNDLE_H_
#define ATTUNE_PROTOCOL_BUNDLE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "protocol/messages.h"
#include "protocol/sync.h"

namespace attune::protocol {

// The writer stops adding rows once the content reaches this (the rest goes in the next
// bundle, once the partner's acknowledgements come back); a reader refuses more.
inline constexpr size_t kMaxBundleContentBytes = 64 * 1024 * 1024;

// What a bundle carries, decoded and checked: fragments reassembled, seqs increasing.
struct BundleContent {
  SyncHelloMessage hello;
  uint64_t after_seq = 0;  // the rows follow this seq of hello.epoch
  std::vector<LogRow> rows;
  bool complete = true;  // false: the writer had more rows than one bundle holds

  bool operator==(const BundleContent&) const = default;
};

// What writing took from the log, for the summary.
struct BundleWritten {
  Bytes content;          // the encoded content (partner-visible entry text: wipe after sealing)
  uint64_t sent = 0;      // rows with content
  uint64_t withdrew = 0;  // tombstones
  bool complete = true;
};

// Builds the content from `store`: this side's hello (its cursor of the partner's log) and its
// log after `peer_acked`, the seq of the current epoch the partner acknowledged (0: all).
// Stops adding rows past max_content_bytes (complete = false). Errors: the store's.
Result<BundleWritten> BuildBundleContent(SyncStore& store, uint64_t peer_acked,
                                         size_t max_content_bytes = kMaxBundleContentBytes);

// Parses untrusted content bytes. kCorruption for anything but a hello followed by batches of
// its epoch that continue each other (numbers 1, 2, ...; after_seq chained; seqs increasing;
// fragments in order, each row at most kMaxSharedEntryBytes; nothing after a caught-up batch),
// content over kMaxBundleContentBytes, or an envelope DecodeEnvelope refuses.
Result<BundleContent> DecodeBundleContent(ByteSpan bytes);

struct BundleApplied {
  ApplyCounts applied;         // what the rows did here
  uint64_t skipped = 0;        // rows already applied (a bundle opened twice, or an older one)
  bool new_epoch = false;      // the partner's log started over: what was applied of it went
  uint64_t acknowledged = 0;   // this log's seq the partner now holds (0: none, or unchanged)
  bool log_restarted = false;  // the partner holds more of this log than it has: new epoch
};

// Applies `bundle` to `store` as a sync would, then takes its acknowledgements: the partner
// acknowledged this log through hello.applied_seq (never moving `peer_acked` back). Checks
// everything that can refuse before changing anything:
//   kNotFound  the bundle starts after what was applied here (an earlier one was not opened,
//              or this journal was restored from an older copy): nothing changed
//   the store's errors otherwise (each store call is atomic; opening again completes it)
Result<BundleApplied> ApplyBundle(SyncStore& store, uint64_t peer_acked,
                                  const BundleContent& bundle);

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_BUNDLE_H_
