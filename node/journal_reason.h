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
  // kInvalidArgument: an entry id (or prefix) that is not 4 to 32 hex digits.
  kMalformedId = 533,
  // kInvalidArgument: `respond` to one's own entry; a response answers the partner's.
  kRespondToOwnEntry = 534,
  // kInvalidArgument: a response's acknowledgement that is none of kResponseAcks.
  kUnknownAck = 535,
  // kInvalidArgument: a response added without naming the partner's entry it answers (or with
  // malformed response fields); `respond` writes one.
  kResponseWithoutTarget = 536,
  // kInvalidArgument: the file to import is not JSON (an export in Markdown, say).
  kImportNotJson = 537,
  // kInvalidArgument: no home directory was given and none could be derived from the
  // environment (ResolveHome).
  kNoHomeDirectory = 538,
  // kNotFound: there is no journal in this home yet (`attune init`).
  kNoJournal = 539,
  // kInvalidArgument: an id prefix that more than one entry starts with.
  kAmbiguousId = 540,
  // kAuthFailed: the passphrase (or recovery code) does not unlock this journal; nothing was
  // changed.
  kWrongPassphrase = 541,
  // kNotFound: the command needs a partner and this journal has none yet.
  kNotPaired = 542,
  // kInvalidArgument: `boundary restate` on an entry that is not a boundary.
  kNotABoundary = 543,
  // kAuthFailed: the recovery code is well formed but does not open this journal: another
  // journal's, or this one's before `passwd --rekey` replaced it. Nothing was changed.
  kRecoveryCodeNotThisJournals = 544,
  // kInvalidArgument: a style entry added as text (or imported without the quiz's scores: the
  // detail is then "entry ID"); a style result comes only from the quiz (Journal::RecordQuiz),
  // which keeps the scores `attune style` reads.
  kStyleComesFromQuiz = 545,
  // kNotFound: the entry is in the trash (Journal::MoveToTrash): left out of everything but the
  // trash's own listing until it is restored or the trash is emptied; the detail is its id.
  kInTrash = 546,
  // kInvalidArgument: restoring an entry that is not in the trash.
  kNotInTrash = 547,
  // kInvalidArgument: an entry's text over kMaxTextBytes; the detail is its size in bytes.
  kTextTooLong = 548,
  // kInvalidArgument: an entry's text that is not UTF-8 (a file in another encoding).
  kTextNotUtf8 = 549,

  // Restoring a backup (`attune backup`, `attune restore-backup`): 560 and up.
  //
  // kAlreadyExists: restore-backup into a home that already holds a journal, without being
  // asked to replace it (--replace). Nothing was changed.
  kHomeHasJournal = 560,
  // kCorruption: the file is not an attune backup (too short, or another file's first bytes).
  kNotABackup = 561,
  // kAuthFailed or kCorruption: the backup is damaged, cut short or was changed (the detail
  // says where); nothing was written.
  kBackupDamaged = 562,
  // kInvalidArgument: a backup of a journal without a passphrase opens with the recovery code
  // only (--recovery-code).
  kBackupNeedsRecoveryCode = 563,

  // Desktop notifications (`serve`, `checkin-reminder`; node/notify.h): 570 and up, all
  // kUnreachable. The journal is fine; only the desktop could not be told.
  //
  // No session bus: neither DBUS_SESSION_BUS_ADDRESS nor $XDG_RUNTIME_DIR/bus.
  kNotifyNoSessionBus = 570,
  // notify-send is not installed (Debian's libnotify-bin).
  kNotifyNotInstalled = 571,
  // notify-send failed (the detail has its exit status): most often no notification daemon
  // answers on the bus.
  kNotifyFailed = 572,
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_REASON_H_
