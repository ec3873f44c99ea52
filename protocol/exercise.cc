#include "protocol/exercise.h"

#include <utility>

#include "crypto/commitment.h"

namespace attune::protocol {
namespace {

using Kind = ExerciseMessage::Kind;
using Messages = std::vector<ExerciseMessage>;

Status ExerciseBroken(std::string what) {
  return Status::ProtocolError(std::move(what));
}

Status ExerciseRefused(std::string what) {
  return Status::InvalidArgument(std::move(what));
}

}  // namespace

ExerciseExchange::ExerciseExchange(ExerciseState state, Bytes my_key, Bytes partner_key)
    : state_(std::move(state)), my_key_(std::move(my_key)), partner_key_(std::move(partner_key)) {}

std::pair<ExerciseState, ExerciseMessage> ExerciseExchange::Ask(std::string id,
                                                                std::string exercise) {
  ExerciseState state;
  state.id = id;
  state.exercise = exercise;
  state.started_here = true;
  ExerciseMessage ask{
      .kind = Kind::kAsk, .exercise_id = std::move(id), .exercise = std::move(exercise)};
  return {std::move(state), std::move(ask)};
}

ExerciseState ExerciseExchange::Asked(const ExerciseMessage& ask) {
  ExerciseState state;
  state.id = ask.exercise_id;
  state.exercise = ask.exercise;
  return state;
}

ExerciseMessage ExerciseExchange::CommitMessage() const {
  return {.kind = Kind::kCommit, .exercise_id = state_.id, .commitment = state_.my_commitment};
}

ExerciseMessage ExerciseExchange::RevealMessage() const {
  return {.kind = Kind::kReveal,
          .exercise_id = state_.id,
          .opening = state_.my_opening,
          .answer = *state_.my_answer};
}

Messages ExerciseExchange::RevealIfBothCommitted() {
  // The one place an answer leaves: only once ours is bound and the partner's is held.
  if (state_.phase != ExercisePhase::kOpen || !state_.my_answer ||
      state_.partner_commitment.empty() || state_.my_reveal_sent) {
    return {};
  }
  state_.my_reveal_sent = true;
  if (state_.partner_answer) state_.phase = ExercisePhase::kRevealed;
  return {RevealMessage()};
}

Result<Messages> ExerciseExchange::Answer(std::string answer, Bytes opening) {
  if (state_.phase != ExercisePhase::kOpen) return ExerciseRefused("the exercise is over");
  if (state_.my_answer) return ExerciseRefused("already answered: an answer does not change");
  if (opening.size() != crypto::kOpeningBytes)
    return ExerciseRefused("an opening of the wrong size");
  state_.my_commitment = crypto::Commit(state_.id, my_key_, opening, AsBytes(answer));
  state_.my_opening = std::move(opening);
  state_.my_answer = std::move(answer);
  Messages out = {CommitMessage()};
  for (ExerciseMessage& reveal : RevealIfBothCommitted()) out.push_back(std::move(reveal));
  return out;
}

Result<Messages> ExerciseExchange::Receive(const ExerciseMessage& message) {
  if (message.exercise_id != state_.id) return ExerciseBroken("a message for another exercise");
  switch (message.kind) {
    case Kind::kAsk:
      return Messages{};  // a repeated ask: this side knows the exercise already
    case Kind::kCommit:
      return ReceiveCommit(message);
    case Kind::kReveal:
      return ReceiveReveal(message);
    case Kind::kWithdraw:
      return ReceiveWithdraw();
  }
  return ExerciseBroken("an exercise message of no known kind");
}

Result<Messages> ExerciseExchange::ReceiveCommit(const ExerciseMessage& message) {
  if (state_.phase == ExercisePhase::kWithdrawn) return Messages{};
  if (message.commitment.size() != crypto::kCommitmentBytes) {
    return ExerciseBroken("a commitment of the wrong size");
  }
  if (message.commitment == state_.my_commitment)
    return ExerciseBroken("a copy of our own commitment");
  if (!state_.partner_commitment.empty()) {
    if (message.commitment == state_.partner_commitment) return Messages{};  // a duplicate
    return ExerciseBroken("a second, different commitment: an answer does not change");
  }
  state_.partner_commitment = message.commitment;
  return RevealIfBothCommitted();
}

Result<Messages> ExerciseExchange::ReceiveReveal(const ExerciseMessage& message) {
  if (state_.phase == ExercisePhase::kWithdrawn) return Messages{};
  if (state_.partner_commitment.empty()) return ExerciseBroken("a reveal before its commitment");
  // The partner reveals only once it holds our commitment, which we send only with our answer.
  if (!state_.my_answer) return ExerciseBroken("a reveal before we answered");
  if (state_.partner_answer || state_.phase == ExercisePhase::kMismatch) {
    return Messages{};  // already judged: a duplicate
  }
  if (!crypto::OpensCommitment(state_.partner_commitment, state_.id, partner_key_, message.opening,
                               AsBytes(message.answer))) {
    state_.phase = ExercisePhase::kMismatch;
    return Messages{};
  }
  state_.partner_answer = message.answer;
  if (state_.my_reveal_sent) state_.phase = ExercisePhase::kRevealed;
  return Messages{};
}

Result<Messages> ExerciseExchange::ReceiveWithdraw() {
  if (state_.started_here) return ExerciseBroken("the partner withdrew an exercise we started");
  if (state_.phase != ExercisePhase::kOpen) return Messages{};
  state_.phase = ExercisePhase::kWithdrawn;
  return Messages{};
}

Result<Messages> ExerciseExchange::Withdraw() {
  if (!state_.started_here) return ExerciseRefused("only the one who started it can withdraw it");
  if (state_.phase != ExercisePhase::kOpen) return ExerciseRefused("the exercise is over");
  if (!state_.partner_commitment.empty() && state_.my_answer) {
    return ExerciseRefused("both have answered: the answers are on their way");
  }
  state_.phase = ExercisePhase::kWithdrawn;
  return Messages{{.kind = Kind::kWithdraw, .exercise_id = state_.id}};
}

Messages ExerciseExchange::Resend() const {
  Messages out;
  if (state_.started_here) {
    out.push_back({.kind = Kind::kAsk, .exercise_id = state_.id, .exercise = state_.exercise});
  }
  if (state_.phase == ExercisePhase::kWithdrawn) {
    if (state_.started_here) out.push_back({.kind = Kind::kWithdraw, .exercise_id = state_.id});
    return out;
  }
  if (state_.my_answer) out.push_back(CommitMessage());
  if (state_.my_reveal_sent) out.push_back(RevealMessage());
  return out;
}

}  // namespace attune::protocol
