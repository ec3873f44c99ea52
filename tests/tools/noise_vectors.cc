// noise_vectors FILE.json: runs every Noise test vector in FILE (the format
// cacophony and snow publish) against attune::crypto::noise. Prints one line
// per vector not passed ("FAIL <protocol name>: <why>", "SKIP <protocol
// name>: <why>") and ends with "N passed, M failed, K skipped". Exit status: 0 if none failed, 1 if
// any failed, 2 if the file could not be read or parsed (or libsodium could not start).
#include <cstdio>
#include <string>

#include "crypto/sodium.h"
#include "tests/crypto/noise_vector_runner.h"

namespace {

constexpr int kExitFailures = 1;
constexpr int kExitBadInput = 2;

int Run(const std::string& path) {
  attune::Status init = attune::crypto::Init();
  if (!init.ok()) {
    std::fprintf(stderr, "noise_vectors: %s\n", init.detail().c_str());
    return kExitBadInput;
  }
  namespace vectors = attune::crypto::noise::vectors;
  attune::Result<vectors::VectorReport> report = vectors::RunVectorsFromFile(path);
  if (!report.ok()) {
    std::fprintf(stderr, "noise_vectors: %s: %s\n", path.c_str(), report.status().detail().c_str());
    return kExitBadInput;
  }
  for (const vectors::VectorResult& result : report->results) {
    if (result.verdict == vectors::Verdict::kPassed) continue;
    std::printf("%s %s: %s\n", result.verdict == vectors::Verdict::kFailed ? "FAIL" : "SKIP",
                result.protocol_name.c_str(), result.reason.c_str());
  }
  std::printf("%s\n", vectors::SummaryLine(*report).c_str());
  return report->failed == 0 ? 0 : kExitFailures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: noise_vectors FILE.json\n");
    return kExitBadInput;
  }
  return Run(argv[1]);
}
