// The shared exercises in the sharing simulation (issue 20; sharing_simulation.h): both authors,
// paired with each other's real link keys, start, answer and withdraw exercises at random through
// node::Exercises, while their journals sync. The exercise messages travel through
// node::ExerciseLink (one per node per session, as node/link runs it) on the same simulated
// sessions as sync, with the same drops, repeats, reordering and cuts. Now and then a sender acts
// as a modified attune would and changes its answer in a reveal after committing to it.
//
// Every answer carries a marker, "ANSWER-<n>;". Checked at the moment each envelope leaves a node
// (the wire tap), whatever the message:
//  1. An answer's marker leaves only its author's node, and only after that node sent its own
//     commitment to it and handled the partner's commitment to the same exercise: no answer
//     crosses before both commitments are held.
//  2. A reveal carries the answer exactly as written (or as the modified sender changed it); a
//     commitment, once sent, is the same bytes in every later session.
// Checked whenever both sides are compared, and after the final clean sync:
//  3. Every answer a node shows as the partner's is, character for character, what the partner
//     wrote and committed to; a changed one is never shown: the exercise shows a mismatch.
//  4. After the final sync, each exercise is where the two authors' actions put it: withdrawn on
//     both sides, revealed on both (or a mismatch where a changed reveal came first), or still
//     open with no partner answer anywhere.
// Every call is checked against what its author asked, refusals included (answering twice,
// withdrawing the partner's exercise or one both answered).
#ifndef ATTUNE_TESTS_NODE_EXERCISE_PLAY_H_
#define ATTUNE_TESTS_NODE_EXERCISE_PLAY_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "node/exercises.h"
#include "node/journal/exercise_link.h"
#include "protocol/messages.h"
#include "tests/node/sharing_author.h"
#include "tests/protocol/sync_network.h"

namespace attune::node::testing {

struct ExerciseCounts {
  uint64_t asked = 0;
  uint64_t answered = 0;
  uint64_t withdrawn = 0;
  uint64_t refused = 0;          // calls the journal must refuse, and did
  uint64_t changed_reveals = 0;  // reveals a modified sender changed after committing
  uint64_t commits_tapped = 0;   // commitments seen leaving their node
  uint64_t answers_tapped = 0;   // answer markers seen leaving their node, each checked
  uint64_t revealed = 0;         // exercises revealed on both sides at the end
  uint64_t mismatched = 0;       // ... shown as a mismatch on a side a changed reveal reached
  uint64_t open_at_end = 0;      // ... still waiting for an answer

  ExerciseCounts& operator+=(const ExerciseCounts& other);
  std::string ToString() const;
  // The names of the counts that are zero.
  std::vector<std::string> Missing() const;
};

class ExercisePlay final : public protocol::sync_testing::SideExchange {
 public:
  // `authors` and `run` must outlive the play; the authors may be created later, before Pair().
  ExercisePlay(const std::array<std::unique_ptr<Author>, 2>& authors, RunContext& run)
      : authors_(authors), run_(run) {}

  // Pairs each journal with the other's link key, as pairing would.
  Status Pair();
  // One exercise action of author `who`; what its node sends now if a session is up (`linked`).
  Result<std::vector<protocol::Message>> Act(size_t who, bool linked);

  // The wire tap: `envelope` (carrying `message`) leaves node `from`.
  Status CheckSend(size_t from, const protocol::Message& message, ByteSpan envelope);
  // Node `to` handled `message` without error.
  void Received(size_t to, const protocol::Message& message);
  // Property 3, on both nodes.
  Status CheckShown();
  // Properties 3 and 4, after the final clean sync.
  Status CheckFinal();

  const ExerciseCounts& counts() const { return counts_; }

  // protocol::sync_testing::SideExchange:
  bool Carries(const protocol::Message& message) const override;
  Result<std::vector<protocol::Message>> Opened(size_t node) override;
  Result<std::vector<protocol::Message>> Receive(size_t to,
                                                 const protocol::Message& message) override;

 private:
  // One exercise as its two authors made it.
  struct Played {
    std::string id;
    std::string name;
    size_t starter = 0;
    std::array<std::optional<std::string>, 2> answers;  // as each author wrote it
    bool withdrawn = false;
    std::array<Bytes, 2> commitments;  // as each node first sent it
    std::array<bool, 2> commit_sent = {false, false};
    // Node i handled the partner's commitment while it knew the exercise.
    std::array<bool, 2> partner_commit_held = {false, false};
    std::array<bool, 2> known = {false, false};  // node i has the exercise
    // The first reveal node i handled: whether its answer was changed after the commitment.
    std::array<std::optional<bool>, 2> first_reveal_changed;
    std::string label;  // "X3", in the log
  };

  Status Ask(size_t who);
  Status Answer(size_t who);
  Status AnswerAgain(size_t who);
  Status Withdraw(size_t who);
  Status WithdrawTheirs(size_t who);
  // What node `who` shows of exercise `played` now.
  Result<ExerciseView> ViewOf(size_t who, const Played& played);
  // A call the journal must refuse with `reason`: counts it, or says what it did instead.
  Status ExpectRefused(const Status& status, ExerciseReason reason, const std::string& what);
  // What node `from` sends: now and then a reveal changed as a modified attune would.
  std::vector<protocol::Message> Outgoing(size_t from,
                                          std::vector<protocol::ExerciseMessage> messages);
  Status CheckAnswerMarker(size_t from, uint64_t marker);
  Status CheckReveal(size_t from, const protocol::ExerciseMessage& reveal);
  Status CheckSide(size_t who, const Played& played, bool final);
  Played* Find(const std::string& id);
  Journal& JournalOf(size_t who) { return authors_[who]->node().journal(); }
  const std::string& Name(size_t who) const { return authors_[who]->model().who(); }
  void Log(size_t who, const Played& played, const std::string& what);

  const std::array<std::unique_ptr<Author>, 2>& authors_;
  RunContext& run_;
  std::vector<std::unique_ptr<Played>> played_;
  std::map<uint64_t, std::pair<Played*, size_t>> markers_;  // marker -> exercise, author
  std::array<std::optional<ExerciseLink>, 2> links_;        // this session's, per node
  std::set<std::pair<std::string, size_t>> changed_;        // (id, sender) of changed reveals
  ExerciseCounts counts_;
  uint64_t next_marker_ = 1;
};

}  // namespace attune::node::testing

#endif  // ATTUNE_TESTS_NODE_EXERCISE_PLAY_H_
