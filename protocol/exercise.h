// Shared exercises (issue 20): both partners answer the same question, and each sees the other's
// answer only once both have answered. This is the exchange for one exercise on one side, as a
// pure state machine (as sync.h): messages in, messages out; no clock, no randomness (the caller
// gives each answer's opening, 32 fresh random bytes), no storage (ExerciseState is a value the
// node keeps, sealed, after every step).
//
//   ask      -> ExerciseMessage{kAsk, id, exercise}     the starter, once
//   answer   -> ExerciseMessage{kCommit, id, commitment} crypto/commitment.h over the id, the
//                                                        committer's link key, the opening and
//                                                        the answer
//   holding both commitments -> {kReveal, id, opening, answer}
//   withdraw -> {kWithdraw, id}                          the starter, before it holds both
//
// Guarantees (tests/protocol/exercise_test.cc checks each in every order of arrival):
//  - A reveal is never produced before this side has committed and holds the partner's
//    commitment: no answer leaves before both are bound.
//  - The partner's reveal is believed only if it opens the partner's commitment under the
//    partner's key; otherwise the exercise ends kMismatch, and says so.
//  - A partner commitment equal to this side's own is refused (a copy is not an answer), and so
//    is a second, different commitment (an answer does not change once given).
//  - Anything received twice changes nothing; Resend() gives what the partner may have missed
//    after a cut connection, and the partner takes it as new or as a duplicate.
//  - Once withdrawn, nothing more is sent, and an answer of ours never leaves.
//
// Errors (kProtocolError: the partner broke the exchange; the state is unchanged): a reveal
// before its commitment, or before we committed; a commitment copied or changed; a withdrawal
// by the partner of an exercise we started; a message for another exercise. kInvalidArgument
// (the person's own action, refused): answering twice, answering or withdrawing what is over,
// withdrawing what the partner started or what both have answered.
#ifndef ATTUNE_PROTOCOL_EXERCISE_H_
#define ATTUNE_PROTOCOL_EXERCISE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace attune::protocol {

// The longest exercise name on the wire ([a-z-]; steps/exercises.h keeps its names within it).
inline constexpr size_t kMaxExerciseNameBytes = 32;
// The longest answer, in bytes of UTF-8: a few paragraphs.
inline constexpr size_t kMaxExerciseAnswerBytes = 16 * 1024;

struct ExerciseMessage {
  enum class Kind { kAsk, kCommit, kReveal, kWithdraw };
  Kind kind = Kind::kAsk;
  std::string exercise_id = {};
  std::string exercise = {};  // kAsk: which exercise (steps/exercises.h names them)
  Bytes commitment = {};      // kCommit
  Bytes opening = {};         // kReveal
  std::string answer = {};    // kReveal
  bool operator==(const ExerciseMessage&) const = default;
};

enum class ExercisePhase {
  kOpen,       // waiting for one or both answers
  kRevealed,   // both answers are known here, each checked against its commitment
  kMismatch,   // the partner's reveal did not open their commitment: their answer is not shown
  kWithdrawn,  // the starter withdrew it
};

struct ExerciseState {
  std::string id;
  std::string exercise;
  bool started_here = false;
  ExercisePhase phase = ExercisePhase::kOpen;
  // Ours: set by Answer.
  std::optional<std::string> my_answer;
  Bytes my_opening;
  Bytes my_commitment;
  bool my_reveal_sent = false;
  // The partner's: the commitment as received, the answer once its reveal opened it.
  Bytes partner_commitment;
  std::optional<std::string> partner_answer;
  bool operator==(const ExerciseState&) const = default;
};

class ExerciseExchange {
 public:
  // `my_key` and `partner_key`: the two link keys (what the commitments bind).
  ExerciseExchange(ExerciseState state, Bytes my_key, Bytes partner_key);

  // This side starts exercise `exercise` as `id`: the state, and the kAsk to send.
  static std::pair<ExerciseState, ExerciseMessage> Ask(std::string id, std::string exercise);
  // The state for a kAsk received from the partner.
  static ExerciseState Asked(const ExerciseMessage& ask);

  Result<std::vector<ExerciseMessage>> Answer(std::string answer, Bytes opening);
  Result<std::vector<ExerciseMessage>> Receive(const ExerciseMessage& message);
  Result<std::vector<ExerciseMessage>> Withdraw();
  // What the partner may not have received yet (after a reconnect), in the order first sent.
  std::vector<ExerciseMessage> Resend() const;

  const ExerciseState& state() const { return state_; }

 private:
  std::vector<ExerciseMessage> RevealIfBothCommitted();
  Result<std::vector<ExerciseMessage>> ReceiveCommit(const ExerciseMessage& message);
  Result<std::vector<ExerciseMessage>> ReceiveReveal(const ExerciseMessage& message);
  Result<std::vector<ExerciseMessage>> ReceiveWithdraw();
  ExerciseMessage CommitMessage() const;
  ExerciseMessage RevealMessage() const;

  ExerciseState state_;
  Bytes my_key_;
  Bytes partner_key_;
};

}  // namespace attune::protocol

#endif  // ATTUNE_PROTOCOL_EXERCISE_H_
