// Why a journal operation failed, where one status code covers several situations that a person
// must be told apart (base/status.h: Status::WithReason). cli words each one. Values 520-599.
#ifndef ATTUNE_NODE_JOURNAL_REASON_H_
#define ATTUNE_NODE_JOURNAL_REASON_H_

namespace attune::node {

enum class JournalReason {
  // kAuthFailed or kCorruption: one entry failed its integrity check (changed outside attune,
  // or damaged); the detail is its id. It is never sent; the rest of the journal works.
  kEntryDamaged = 520,
  // kAuthFailed or kCorruption: a stored record other than an entry failed its check (a
  // setting, the sync state); the detail names it.
  kRecordDamaged = 521,
  // kCorruption: the journal holds an unprotected data key beside its passphrase-protected
  // one, which attune never writes: someone changed the file to switch the passphrase off.
  kPlainKeyBesideWrapped = 522,
  // kCorruption: the key unwrapped does not match the journal's key check.
  kKeyCheckFailed = 523,
  // kBusy: another command gave the journal a new data key (`passwd --rekey`) while this one
  // ran; run it again.
  kKeyChanged = 524,
  // kBusy: `attune serve` runs on this home (or another re-key does), so the journal cannot be
  // re-keyed now.
  kServeRunning = 525,
  // kBusy: the entry changed after its preview was shown; nothing was shared.
  kChangedSincePreview = 526,
  // kInvalidArgument: a style result's words come from its answers; they are not edited.
  kStyleTextIsDerived = 527,
  // kInvalidArgument: the entry is not shared (unshare, or a share confirmation of nothing).
  kNotShared = 528,
  // kInvalidArgument: the entry is the partner's (read-only here).
  kNotOwnEntry = 529,
  // kInvalidArgument: --with-answers on an entry that has no quiz answers.
  kNoAnswersToShare = 530,
  // kInvalidArgument: `statement --edit` on an entry that is not a statement.
  kNotAStatement = 531,
  // kBusy: another `attune serve` (or a re-key) holds the home (HomeLock).
  kHomeInUse = 532,
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_REASON_H_
