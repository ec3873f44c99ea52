// Internal to node/: the shared exercises as the link sees them (node/exercises.h has the
// commands' side). What this node has to say to the partner about every exercise with them, and
// what it makes of the partner's messages: each step of protocol::ExerciseExchange, with the
// state kept in the journal's sealed record and every change made in one write transaction, so
// that a command and `serve` answering at the same moment cannot lose either.
#ifndef ATTUNE_NODE_JOURNAL_EXERCISE_LINK_H_
#define ATTUNE_NODE_JOURNAL_EXERCISE_LINK_H_

#include <vector>

#include "base/status.h"
#include "node/exercises.h"
#include "node/journal.h"
#include "protocol/exercise.h"

namespace attune::node {

class ExerciseLink {
 public:
  explicit ExerciseLink(Journal& journal) : journal_(journal) {}

  // Everything the partner may lack, exercise by exercise (protocol's Resend): sent at the start
  // of each session and after the journal changed; the partner takes repeats as duplicates.
  Result<std::vector<protocol::ExerciseMessage>> Resends();

  // Applies one message of the partner's: what to send back (our reveal, once both are
  // committed), and whether it is news for the person (a new exercise, the partner's answer
  // committed or revealed; not a repeat, not a withdrawal). kProtocolError when the partner broke
  // the exchange (nothing is stored then).
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
  Journal& journal_;
};

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_EXERCISE_LINK_H_
