// Feeds arbitrary bytes to what opens an offline bundle (protocol/bundle.h, bundle_seal.h). The
// first byte picks the entry point (bundle_fixture.h):
//   kBundleContent  the content after decryption: DecodeBundleContent, then ApplyBundle to an
//                   in-memory store, twice. A refusal must change nothing; a second application
//                   must change nothing either.
//   kSealedBundle   the sealed file: OpenSealedBundle with the fixed keys, whose errors must be
//                   the contract's and whose content must then decode or be refused.
#include <cstddef>
#include <cstdint>

#include "crypto/sodium.h"
#include "protocol/bundle.h"
#include "protocol/bundle_seal.h"
#include "tests/fuzz/bundle_fixture.h"

namespace {

namespace protocol = attune::protocol;
using attune::StatusCode;
using attune::fuzz::Check;

void FuzzContent(attune::ByteSpan bytes) {
  attune::Result<protocol::BundleContent> bundle = protocol::DecodeBundleContent(bytes);
  if (!bundle.ok()) {
    Check(bundle.status().code() == StatusCode::kCorruption);
    return;
  }
  uint64_t last = bundle->after_seq;
  for (const protocol::LogRow& row : bundle->rows) {
    Check(row.seq > last && row.content.size() <= protocol::kMaxSharedEntryBytes);
    last = row.seq;
  }
  protocol::sync_testing::MemorySyncStore store(/*epoch_seed=*/7);
  attune::fuzz::FillPartnerLog(store);
  attune::Result<protocol::BundleApplied> applied = protocol::ApplyBundle(store, 0, *bundle);
  if (!applied.ok()) {
    Check(applied.status().code() == StatusCode::kNotFound);
    Check(store.cursor().epoch.empty() && store.PeerEntries().empty());
    return;
  }
  Check(store.cursor().epoch == bundle->hello.epoch);
  const auto entries = store.PeerEntries();
  const uint64_t cursor = store.cursor().applied_seq;
  attune::Result<protocol::BundleApplied> again =
      protocol::ApplyBundle(store, store.peer_acked(), *bundle);
  Check(again.ok() && again->applied.received == 0 && again->applied.removed == 0);
  Check(store.PeerEntries() == entries && store.cursor().applied_seq == cursor);
}

void FuzzSealed(attune::ByteSpan bytes) {
  attune::Result<attune::Bytes> content = protocol::OpenSealedBundle(
      attune::fuzz::BundleRecipientKey(), attune::fuzz::BundleWriterKey().public_key, bytes);
  if (!content.ok()) {
    const StatusCode code = content.status().code();
    Check(code == StatusCode::kCorruption || code == StatusCode::kUnknownPeer ||
          code == StatusCode::kAuthFailed);
    return;
  }
  FuzzContent(*content);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool ready = attune::crypto::Init().ok();
  Check(ready);
  if (size == 0) return 0;
  const attune::ByteSpan rest(data + 1, size - 1);
  if (data[0] % 2 == attune::fuzz::kBundleContent) {
    FuzzContent(rest);
  } else {
    FuzzSealed(rest);
  }
  return 0;
}
