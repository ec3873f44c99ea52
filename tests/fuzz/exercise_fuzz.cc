// Runs one shared exercise between two protocol::ExerciseExchange sides, A and B, with a hostile
// partner's envelopes mixed into their honest traffic; the input format is in exercise_fixture.h.
// Nothing may crash, and after every step (std::abort otherwise):
//  - a refused step (Receive: kProtocolError; Answer and Withdraw: kInvalidArgument) leaves the
//    state as it was;
//  - no kReveal leaves a side before it has its own commitment and holds the partner's, nor once
//    it has withdrawn; what it reveals opens its own commitment, and what it sends is its own
//    exercise's and encodes and decodes to the same envelope;
//  - a partner answer, once taken, opens the partner's commitment under the partner's key (and
//    is the other side's own answer where only honest traffic reached this side);
//  - nothing taken changes again: an answer, a commitment, an end (revealed, mismatch, withdrawn).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/utf8.h"
#include "crypto/commitment.h"
#include "protocol/exercise.h"
#include "protocol/messages.h"
#include "tests/fuzz/exercise_fixture.h"

namespace {

namespace fuzz = attune::fuzz;
namespace protocol = attune::protocol;
using attune::ByteSpan;
using attune::StatusCode;
using protocol::ExerciseMessage;
using protocol::ExercisePhase;
using protocol::ExerciseState;
using Messages = std::vector<ExerciseMessage>;

void Check(bool condition) {
  if (!condition) std::abort();
}

// Messages a side may have waiting for the other: enough for every resend, never the input.
constexpr size_t kMaxOutbox = 32;

class Side {
 public:
  Side(ExerciseState state, bool is_b)
      : is_b_(is_b),
        exchange_(std::move(state), fuzz::ExerciseSideKey(is_b), fuzz::ExerciseSideKey(!is_b)) {}

  void Answer(std::string text) {
    // Node refuses these before the exchange sees them (node/journal/journal_exercises.cc).
    if (text.size() > protocol::kMaxExerciseAnswerBytes) {
      text.resize(protocol::kMaxExerciseAnswerBytes);
    }
    if (!attune::IsValidUtf8(text)) return;
    const ExerciseState before = exchange_.state();
    Step(before, exchange_.Answer(std::move(text), fuzz::ExerciseSideOpening(is_b_)),
         StatusCode::kInvalidArgument);
  }

  void Withdraw() {
    const ExerciseState before = exchange_.state();
    Step(before, exchange_.Withdraw(), StatusCode::kInvalidArgument);
  }

  void Resend() {
    const ExerciseState& state = exchange_.state();
    for (const ExerciseMessage& message : exchange_.Resend()) {
      CheckSent(message);
      if (state.phase == ExercisePhase::kWithdrawn) {
        Check(message.kind == ExerciseMessage::Kind::kAsk ||
              message.kind == ExerciseMessage::Kind::kWithdraw);
      }
      Queue(message);
    }
  }

  // A message from the partner: `honest` when it is the other side's own.
  void Receive(const ExerciseMessage& message, bool honest) {
    if (!honest) only_honest_ = false;
    const ExerciseState before = exchange_.state();
    Step(before, exchange_.Receive(message), StatusCode::kProtocolError);
    const ExerciseState& after = exchange_.state();
    if (after.partner_answer && !before.partner_answer) {
      Check(message.kind == ExerciseMessage::Kind::kReveal &&
            *after.partner_answer == message.answer);
      Check(attune::crypto::OpensCommitment(after.partner_commitment, after.id,
                                            fuzz::ExerciseSideKey(!is_b_), message.opening,
                                            attune::AsBytes(*after.partner_answer)));
    }
  }

  // After any step: the partner answer this side took is the other side's own, where only the
  // other side's messages reached it.
  void CheckAgainst(const Side& other) const {
    const ExerciseState& state = exchange_.state();
    if (only_honest_ && state.partner_answer) {
      Check(state.partner_answer == other.exchange_.state().my_answer);
    }
  }

  Messages TakeOutbox() { return std::exchange(outbox_, {}); }

 private:
  void Step(const ExerciseState& before, attune::Result<Messages> result, StatusCode refusal) {
    const ExerciseState& after = exchange_.state();
    if (!result.ok()) {
      Check(result.status().code() == refusal);
      Check(after == before);
      return;
    }
    CheckProgress(before, after);
    for (const ExerciseMessage& message : *result) {
      CheckSent(message);
      if (message.kind == ExerciseMessage::Kind::kReveal) {
        Check(before.phase != ExercisePhase::kWithdrawn);
      }
      Queue(message);
    }
  }

  // What once was taken stays.
  static void CheckProgress(const ExerciseState& before, const ExerciseState& after) {
    Check(after.id == before.id && after.exercise == before.exercise &&
          after.started_here == before.started_here);
    if (before.phase != ExercisePhase::kOpen) Check(after.phase == before.phase);
    if (before.my_answer) {
      Check(after.my_answer == before.my_answer && after.my_commitment == before.my_commitment &&
            after.my_opening == before.my_opening);
    }
    if (!before.partner_commitment.empty()) {
      Check(after.partner_commitment == before.partner_commitment);
    }
    if (before.partner_answer) Check(after.partner_answer == before.partner_answer);
    if (before.my_reveal_sent) Check(after.my_reveal_sent);
    if (after.phase == ExercisePhase::kRevealed) {
      Check(after.my_answer && after.partner_answer && after.my_reveal_sent);
    }
  }

  void CheckSent(const ExerciseMessage& message) const {
    const ExerciseState& state = exchange_.state();
    Check(message.exercise_id == state.id);
    if (message.kind == ExerciseMessage::Kind::kReveal) {
      Check(state.my_answer && !state.my_commitment.empty() && !state.partner_commitment.empty());
      Check(state.phase != ExercisePhase::kWithdrawn && message.answer == *state.my_answer);
      Check(attune::crypto::OpensCommitment(state.my_commitment, state.id,
                                            fuzz::ExerciseSideKey(is_b_), message.opening,
                                            attune::AsBytes(message.answer)));
    }
    if (message.kind == ExerciseMessage::Kind::kCommit) {
      Check(state.my_answer && message.commitment == state.my_commitment);
    }
    attune::Result<attune::Bytes> encoded = protocol::EncodeEnvelope(protocol::Message(message));
    Check(encoded.ok());
    attune::Result<protocol::Message> decoded = protocol::DecodeEnvelope(*encoded);
    Check(decoded.ok());
    const auto* again = std::get_if<ExerciseMessage>(&*decoded);
    Check(again != nullptr && *again == message);
  }

  void Queue(const ExerciseMessage& message) {
    if (outbox_.size() < kMaxOutbox) outbox_.push_back(message);
  }

  bool is_b_;
  protocol::ExerciseExchange exchange_;
  Messages outbox_;
  bool only_honest_ = true;
};

class Harness {
 public:
  explicit Harness(uint8_t setup)
      : a_(InitialState(setup, /*is_b=*/false), /*is_b=*/false),
        b_(InitialState(setup, /*is_b=*/true), /*is_b=*/true) {
    if (setup & fuzz::kAAnswered) a_.Answer("A's answer, given before");
    if (setup & fuzz::kBAnswered) b_.Answer("B's answer, given before");
  }

  void Run(bool side_b, uint8_t op, ByteSpan bytes) {
    Side& acting = side(side_b);
    switch (op % fuzz::kExerciseOpCount) {
      case fuzz::kHostile:
        Hostile(acting, bytes);
        break;
      case fuzz::kDeliver:
        for (const ExerciseMessage& message : side(!side_b).TakeOutbox()) {
          acting.Receive(message, /*honest=*/true);
        }
        break;
      case fuzz::kAnswerOp:
        acting.Answer(std::string(bytes.begin(), bytes.end()));
        break;
      case fuzz::kWithdrawOp:
        acting.Withdraw();
        break;
      case fuzz::kResendOp:
        acting.Resend();
        break;
      default:
        break;
    }
    side(false).CheckAgainst(side(true));
    side(true).CheckAgainst(side(false));
  }

 private:
  static void Hostile(Side& acting, ByteSpan bytes) {
    attune::Result<protocol::Message> message = protocol::DecodeEnvelope(bytes);
    if (!message.ok()) {
      const StatusCode code = message.status().code();
      Check(code == StatusCode::kCorruption || code == StatusCode::kUnsupported);
      return;
    }
    if (const auto* exercise = std::get_if<ExerciseMessage>(&*message)) {
      acting.Receive(*exercise, /*honest=*/false);
    }
  }

  // The starter's state after its ask, or the other's after receiving it.
  static ExerciseState InitialState(uint8_t setup, bool is_b) {
    auto [asked, ask] =
        protocol::ExerciseExchange::Ask(fuzz::FuzzExerciseId(), fuzz::kFuzzExerciseName);
    const bool started = ((setup & fuzz::kAStarted) != 0) != is_b;
    return started ? asked : protocol::ExerciseExchange::Asked(ask);
  }

  Side& side(bool side_b) { return side_b ? b_ : a_; }

  Side a_;
  Side b_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Harness harness(data[0]);
  size_t at = 1;
  while (at + 3 <= size) {
    const uint8_t op = data[at];
    const size_t length = static_cast<size_t>(data[at + 1] << 8 | data[at + 2]);
    at += 3;
    const size_t available = std::min(length, size - at);
    harness.Run((op & 1) != 0, static_cast<uint8_t>(op >> 1), ByteSpan(data + at, available));
    at += available;
  }
  return 0;
}
