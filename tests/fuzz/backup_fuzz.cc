// Feeds arbitrary bytes to what reads a sealed backup file (node/journal/backup_file.h): the
// header, then the sealed chunks under a fixed data key (backup_fixture.h), whatever the key
// check says, so that mutations of a genuine seed's body reach the stream reader. Every error
// must be one of the contract's, and an accepted body must be exactly what the chunks held.
#include <cstddef>
#include <cstdint>

#include "crypto/sodium.h"
#include "node/journal/backup_file.h"
#include "node/journal_reason.h"
#include "tests/fuzz/backup_fixture.h"
#include "tests/fuzz/noise_fixture.h"

namespace {

using attune::StatusCode;
using attune::fuzz::Check;

attune::node::ByteSource SourceOf(attune::ByteSpan bytes) {
  return [bytes](std::span<uint8_t> into) mutable -> attune::Result<size_t> {
    const size_t n = std::min(into.size(), bytes.size());
    std::copy_n(bytes.begin(), n, into.begin());
    bytes = bytes.subspan(n);
    return n;
  };
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool ready = attune::crypto::Init().ok();
  Check(ready);
  const attune::node::ByteSource in = SourceOf({data, size});
  attune::Result<attune::node::BackupHeader> header = attune::node::ReadBackupHeader(in);
  if (!header.ok()) {
    const StatusCode code = header.status().code();
    Check(code == StatusCode::kCorruption || code == StatusCode::kUnsupported);
    return 0;
  }
  Check(header->bytes.size() == attune::node::kBackupHeaderBytes);
  (void)attune::node::BackupKeyMatches(*header, attune::fuzz::BackupDataKey());
  size_t taken = 0;
  const attune::Status body = attune::node::ReadBackupBody(
      *header, attune::fuzz::BackupDataKey(), in, [&taken](attune::ByteSpan bytes) {
        Check(bytes.size() <= attune::node::kBackupChunkBytes);
        taken += bytes.size();
        return attune::Status::Ok();
      });
  if (!body.ok()) {
    Check(body.Is(attune::node::JournalReason::kBackupDamaged));
    Check(body.code() == StatusCode::kCorruption || body.code() == StatusCode::kAuthFailed);
    return 0;
  }
  Check(taken <= size);
  return 0;
}
