// Internal to node/: what two partners' nodes say to each other once a session is established.
// Drives a protocol::SyncEngine over a protocol::Session on a FramedSocket, answers pings, and
// in live mode watches the journal for changes other commands make and keeps the link alive.
// Only the link's .cc files include this (and so Asio).
#ifndef ATTUNE_NODE_LINK_LINK_CONVERSATION_H_
#define ATTUNE_NODE_LINK_LINK_CONVERSATION_H_

#include <functional>
#include <set>
#include <string>

#include "node/journal.h"
#include "node/journal/exercise_link.h"
#include "node/journal/journal_sync.h"
#include "node/link/link_io.h"
#include "node/progress.h"
#include "protocol/session.h"
#include "protocol/sync.h"

namespace attune::node::link_io {

struct ConversationOptions {
  // One-shot (`attune sync`): end with a Goodbye once both directions are settled.
  // Live (`attune serve`): keep going, sending new changes as they appear.
  bool live = false;
  // Longest silence from the peer before the session is given up.
  Duration idle = std::chrono::seconds(60);
  // Live: the longest time between two looks at the journal for changes other attune commands
  // made. With the default, the conversation looks when JournalMayHaveChanged() is called (serve
  // watches the database's WAL) and, as a safety net, at each keepalive (every idle / 3); a
  // caller without such notices sets an interval here.
  Duration poll = Duration::max();
  // One-shot: told how far the exchange has come (protocol::SyncProgress, in log seqs) after
  // each frame the peer sends, and once more when it settled.
  ProgressCallback progress = nullptr;
  // Called after the peer's rows were applied that added or updated any of their entries (once
  // per frame, or per batches applied together), with how many, and with 1 for news of a shared
  // exercise (a new one, the partner's answer committed or revealed): serve's kPartnerNews.
  std::function<void(uint64_t received)> on_received = nullptr;
};

class Conversation {
 public:
  Conversation(Journal& journal, FramedSocket& socket, protocol::Session& session,
               ConversationOptions options);
  Conversation(const Conversation&) = delete;
  Conversation& operator=(const Conversation&) = delete;

  // Runs the exchange. Ends with Ok when a one-shot sync settled, when the peer said goodbye,
  // when Stop() was called, or when the session is due for a fresh handshake (live; the peer
  // is told so). Errors: kUnreachable (the peer went away before a one-shot sync settled),
  // kTimedOut, kProtocolError, kUnsupported with LinkReason::kPeerLacksFeature (one-shot, and
  // the peer does not offer sync), or a journal error. Only messages of features both sides
  // agreed to are sent: without sync a live session only answers pings (if agreed).
  Task<Status> Run();

  // Ends Run() soon with a Goodbye; safe to call from another coroutine on the same thread.
  void Stop();
  // Ends Run() at once, without a Goodbye: for a connection the peer has given up (it connected
  // again), where a Goodbye could wait for the write timeout on a peer that no longer reads.
  // Run() then returns Ok. Safe to call as Stop().
  void Drop();
  // Live: the journal may have changed (another process committed); the conversation looks at
  // PRAGMA data_version soon and sends what is new. Cheap when nothing changed; safe to call at
  // any time from a coroutine on the same thread, even before Run or after it ended.
  void JournalMayHaveChanged();

  const protocol::SyncCounts& counts() const { return engine_.counts(); }
  // The log rows that failed their integrity check and went out as withdrawals.
  const std::set<std::string>& withheld() const { return store_.quarantined(); }

 private:
  Status Send(const protocol::Message& message);
  Status SendEngineOutput();
  Task<void> WriteQueued();
  Task<void> WatchJournal();
  Task<void> WatchChanges();
  // Whether a change to send, or a keepalive ping, is due now; sends it.
  Status SendWhatIsDue(int64_t& seen_version);
  // Ends the session with `status` (unless it already has an error): closes the socket.
  void Abort(Status status);
  Task<void> WaitForWrites();
  Task<Status> SayGoodbye(protocol::GoodbyeMessage::Reason reason);
  // Handles one message; sets `done` when the conversation is over.
  Status Handle(const protocol::Message& message, bool& done);
  // Couples paired before onion contacts travelled at pairing (onion/1): each side tells its
  // own once, and learns the partner's (kept from the first, never replaced).
  Status TellOwnOnion();
  Status LearnPartnerOnion(const protocol::OnionContactMessage& contact);
  Status RememberOwnOnionTold();
  // Shared exercises (exercise/1): what the partner may lack, at the start and whenever the
  // journal changed, each message once per session; and the partner's, applied and answered.
  Status SendExercisesDue();
  Status SendExercises(const std::vector<protocol::ExerciseMessage>& messages);
  Status ReceiveExercise(const protocol::ExerciseMessage& message);
  // After a frame's messages: applies what was received and answers, unless more frames are
  // already waiting; ends a one-shot sync once it settled.
  Status AfterFrame(bool& done);
  // Applies what was received so far (SyncEngine::Flush), and tells options_.on_received.
  Status Apply();
  // Tells options_.on_received of the peer's entries applied since it was last told.
  void TellReceived();
  // Passes the engine's progress to options_.progress, if set.
  void ReportProgressSoFar() const;
  // Whether both sides agreed to sync on this session (protocol::kFeatureSync): if not, no sync
  // message is sent and the engine never starts.
  bool syncing() const { return session_.Agreed(protocol::kFeatureSync); }

  Journal& journal_;
  FramedSocket& socket_;
  protocol::Session& session_;
  ConversationOptions options_;
  JournalSyncStore store_;
  protocol::SyncEngine engine_;
  ExerciseLink exercises_;

  asio::any_io_executor socket_executor() { return socket_.executor(); }
  LinkClock& clock() const { return socket_.clock(); }

  std::vector<Bytes> queued_;  // encrypted frames waiting for the writer
  bool writing_ = false;       // WriteQueued is running
  bool watching_ = false;      // WatchJournal is running
  // Run's, while it waits for the writer to make room or for the helpers to end: notified when
  // the writer took frames, when a helper ended, and when the session was aborted.
  Wakeup progress_;
  // WatchJournal's: notified when the journal may have changed and when Run ends.
  Wakeup journal_wakeup_;
  Status write_error_;  // the writer's or the journal watcher's failure; ends Run
  bool stopping_ = false;
  bool finished_ = false;
  uint64_t told_received_ = 0;   // options_.on_received was told of this many
  bool told_own_onion_ = false;  // sent in this session (remembered once it ends cleanly)
  TimePoint last_sent_;
  TimePoint started_;
};

}  // namespace attune::node::link_io

#endif  // ATTUNE_NODE_LINK_LINK_CONVERSATION_H_
