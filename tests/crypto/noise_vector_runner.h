// Runs Noise test vectors in the JSON format that cacophony and snow publish
// ({"vectors": [{"protocol_name", "init_prologue", "init_static",
// "init_ephemeral", "init_remote_static", "init_psks", "resp_*",
// "handshake_hash", "messages": [{"payload", "ciphertext"}]}]}) against
// attune::crypto::noise, without edits to the files.
//
// Each vector is played by two HandshakeStates built independently from the
// init_* and resp_* fields: every ciphertext one side writes must equal the
// vector's, the other side must read back the payload, both must reach the
// same handshake hash (and the vector's, when it gives one: "handshake_hash"
// is optional), and the remaining messages go through the two
// TransportSessions (all from the initiator for one-way patterns, else
// alternating). An empty "init_psks"/"resp_psks" array means no pre-shared
// key. Shared by noise_test and the noise_vectors tool.
//
// Preconditions: crypto::Init() has succeeded.
#ifndef ATTUNE_TESTS_CRYPTO_NOISE_VECTOR_RUNNER_H_
#define ATTUNE_TESTS_CRYPTO_NOISE_VECTOR_RUNNER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace attune::crypto::noise::vectors {

enum class Verdict { kPassed, kFailed, kSkipped };

struct VectorResult {
  std::string protocol_name;
  Verdict verdict = Verdict::kFailed;
  std::string reason;  // why it failed or was skipped; empty when passed
};

struct VectorReport {
  std::vector<VectorResult> results;  // one per vector, in file order
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;
};

// Runs every vector in `json_text`. A vector whose protocol this module does
// not support (psk, other DH, cipher, hash or pattern), that gives a
// pre-shared key, or that expects the handshake to fail ("fail": true) is
// skipped, with the reason in its result; a malformed vector fails. kCorruption if the text is not
// JSON with a "vectors" array.
Result<VectorReport> RunVectorsFromJson(std::string_view json_text);

// As RunVectorsFromJson on the file's contents; kIoError if unreadable.
Result<VectorReport> RunVectorsFromFile(const std::string& path);

// "N passed, M failed, K skipped".
std::string SummaryLine(const VectorReport& report);

}  // namespace attune::crypto::noise::vectors

#endif  // ATTUNE_TESTS_CRYPTO_NOISE_VECTOR_RUNNER_H_
