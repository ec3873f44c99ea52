// The setup shared by sync_engine_fuzz and make_fuzz_seeds: the fuzzed node's store (its log and
// what it already applied of the partner), the partner's epoch, and the input format. Stores draw
// their epochs from fixed seeds, so the seeds make_fuzz_seeds records from a genuine exchange
// name the epochs the fuzz target's node expects, and get past the epoch checks.
//
// Input: one setup byte (SyncSetup flags), then steps until the input ends:
//   [length: 2 bytes, big-endian][length bytes]  an envelope from the partner (the last may be
//                                                shorter than its length says)
//   [0xff 0xff][op]                              a local change, then LocalChanged() (LocalOp)
#ifndef ATTUNE_TESTS_FUZZ_SYNC_FIXTURE_H_
#define ATTUNE_TESTS_FUZZ_SYNC_FIXTURE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "protocol/sync.h"
#include "tests/protocol/memory_sync_store.h"

namespace attune::fuzz {

using protocol::sync_testing::EntryId;
using protocol::sync_testing::MemorySyncStore;

inline constexpr uint64_t kSyncNodeSeed = 1;     // the fuzzed node's store
inline constexpr uint64_t kSyncPartnerSeed = 2;  // the partner's store (in make_fuzz_seeds)
inline constexpr uint16_t kLocalStepMarker = 0xffff;

enum SyncSetup : uint8_t {
  kNodeHasRows = 1,         // three rows shared, one of them withdrawn
  kNodeAppliedPartner = 2,  // applied the partner's first epoch through seq 2
};

// What a local step's op byte does, modulo kLocalOpCount.
enum LocalOp : uint8_t {
  kShareShortRow = 0,
  kShareLongRow = 1,  // long enough to be fragmented
  kWithdrawARow = 2,
  kNothingChanged = 3,
  kLocalOpCount = 4,
};

inline Bytes SyncContent(const std::string& label, size_t size) {
  Bytes content(label.begin(), label.end());
  if (content.size() < size) content.resize(size, '.');
  return content;
}

// The partner's epoch before anything renumbers it.
inline Bytes PartnerEpoch() {
  return MemorySyncStore(kSyncPartnerSeed).epoch();
}

// The partner rows a node with kNodeAppliedPartner holds (make_fuzz_seeds shares the same).
inline std::vector<protocol::LogRow> AppliedPartnerRows() {
  return {{1, EntryId(1001), false, SyncContent("partner one", 20)},
          {2, EntryId(1002), false, SyncContent("partner two", 20)}};
}

inline void PrepareNodeStore(MemorySyncStore& store, uint8_t setup) {
  if (setup & kNodeHasRows) {
    for (uint64_t n = 1; n <= 3; ++n) {
      (void)store.Share(EntryId(n), SyncContent("node " + std::to_string(n), 30));
    }
    (void)store.Withdraw(EntryId(2));
  }
  if (setup & kNodeAppliedPartner) {
    (void)store.ResetPeer(PartnerEpoch());
    (void)store.Apply(PartnerEpoch(), AppliedPartnerRows());
  }
}

inline void AppendEnvelopeStep(Bytes& input, ByteSpan envelope) {
  input.push_back(static_cast<uint8_t>(envelope.size() >> 8));
  input.push_back(static_cast<uint8_t>(envelope.size()));
  input.insert(input.end(), envelope.begin(), envelope.end());
}

inline void AppendLocalStep(Bytes& input, LocalOp op) {
  input.insert(input.end(), {0xff, 0xff, op});
}

}  // namespace attune::fuzz

#endif  // ATTUNE_TESTS_FUZZ_SYNC_FIXTURE_H_
