// The fixed setup shared by exercise_fuzz and make_fuzz_seeds: the exercise, the two sides' link
// keys and openings, and the input format. Everything is fixed, so a seed's commitments and
// reveals are the same bytes on every run and open under the keys the target uses.
//
// Input: one setup byte (ExerciseSetup flags), then steps until the input ends:
//   [op][length: 2 bytes, big-endian][length bytes]   (the last may be shorter than it says)
// op bit 0 picks the side (0: A, 1: B); (op >> 1) % kExerciseOpCount what it does (ExerciseOp).
#ifndef ATTUNE_TESTS_FUZZ_EXERCISE_FIXTURE_H_
#define ATTUNE_TESTS_FUZZ_EXERCISE_FIXTURE_H_

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "crypto/commitment.h"

namespace attune::fuzz {

enum ExerciseSetup : uint8_t {
  kAStarted = 1,   // A asked (else B did); both sides hold the exercise from the start
  kAAnswered = 2,  // A answered before the first step
  kBAnswered = 4,  // B answered before the first step
};

enum ExerciseOp : uint8_t {
  kHostile = 0,   // the bytes are an envelope from a hostile partner, given to the side
  kDeliver = 1,   // the other side's outbox reaches the side (each message was checked to
                  // come out of the wire encoding as it went in)
  kAnswerOp = 2,  // the side answers with the bytes as its text
  kWithdrawOp = 3,
  kResendOp = 4,  // the side's Resend() joins its outbox (a reconnect)
};
inline constexpr uint8_t kExerciseOpCount = 5;

inline constexpr uint8_t ExerciseStepOp(bool side_b, ExerciseOp op) {
  return static_cast<uint8_t>((op << 1) | (side_b ? 1 : 0));
}

inline const std::string& FuzzExerciseId() {
  static const std::string id = "5eed0000000000000000000000e8e7c1";
  return id;
}
inline constexpr const char* kFuzzExerciseName = "check-in";

// Side A's and side B's link keys (what commitments bind), and the opening each answers with.
inline Bytes ExerciseSideKey(bool side_b) {
  return Bytes(32, side_b ? 0xb2 : 0xa1);
}
inline Bytes ExerciseSideOpening(bool side_b) {
  return Bytes(crypto::kOpeningBytes, side_b ? 0xb0 : 0xa0);
}

}  // namespace attune::fuzz

#endif  // ATTUNE_TESTS_FUZZ_EXERCISE_FIXTURE_H_
