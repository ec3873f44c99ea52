// Internal to node/: the shared exercises as the link sees them (node/exercises.h has the
// commands' side). What this node has to say to the partner about every exercise with them, and
// what it makes of the partner's messages: each step of protocol::ExerciseExchange, with the
// state kept in the journal's sealed record and every change made in one write transaction, so
// that a command and `serve` answering at the same moment cannot lose either.
//
// One ExerciseLink per session: it sends each message once in the session (the next session
// sends again what the partner may still lack, and the partner takes repeats as duplicates).
#ifndef ATTUNE_NODE_JOURNAL_EXERCISE_LINK_H_
#define ATTUNE_NODE_JOURNAL_EXERCISE_LINK_H_

#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "node/exercises.h"
#include "node/journal.h"
#include "protocol/exercise.h"

namespace attune::node {

class ExerciseLink {
 public:
  explicit ExerciseLink(Journal& journal) : journal_(journal) {}

  // What the partner may lack, exercise by exercise (protocol's Resend), less what this session
  // sent already: to send at the start of the session and after the journal changed.
  Result<std::vector<protocol::ExerciseMessage>> Due();

  // Applies one message of the partner's: what to send back (our reveal, once both are
  // committed; not sent this session yet), and whether it is news for the person (a new exercise,
  // the partner's answer committed or revealed; not a repeat, not a withdrawal). kProtocolError
  // when the partner broke the exchange (nothing is stored then).
  struct Receipt {
    std::vector<protocol::ExerciseMessage> reply;
    bool news = false;
  };
  Result<Receipt> Receive(const protocol::ExerciseMessage& message);

  // What a session showed of the partner's attune (Exercises::Partner reads it back); written
  // only when it changed.
  Status NotePartner(const PartnerSoftware& seen);

  // Unpair's part, inside its write transaction (the caller commits or rolls back): removes
  // every exercise, with the answers, openings and commitments in them, and what was seen of the
  // partner's attune. A partner paired later (even the same one again) starts with none.
  Status ForgetPairing();

 private:
  // Keeps the messages this session has not sent yet, and notes them as sent.
  std::vector<protocol::ExerciseMessage> NotSentYet(
      std::vector<protocol::ExerciseMessage> messages);

  Journal& journal_;
  std::set<std::string> sent_;  // "id:kind" of every message handed out this session
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_EXERCISE_LINK_H_
