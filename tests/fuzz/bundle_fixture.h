// The fixed setup shared by bundle_fuzz and make_fuzz_seeds: the first input byte's meaning, the
// writer's and recipient's keys, and a partner log to write bundles from. Every key is fixed, so
// the sealed seeds are the same bytes on every run and stay valid for the target.
//
// FOR FUZZING ONLY: fixed ephemeral keys destroy forward secrecy.
// Preconditions: crypto::Init() has succeeded.
#ifndef ATTUNE_TESTS_FUZZ_BUNDLE_FIXTURE_H_
#define ATTUNE_TESTS_FUZZ_BUNDLE_FIXTURE_H_

#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "crypto/x25519.h"
#include "tests/fuzz/noise_fixture.h"
#include "tests/protocol/memory_sync_store.h"

namespace attune::fuzz {

// What the first input byte selects in bundle_fuzz.
enum BundleScenario : uint8_t {
  kBundleContent = 0,  // the rest is a bundle's content, opened (DecodeBundleContent) and applied
  kSealedBundle = 1,   // the rest is a sealed bundle file (OpenSealedBundle)
};

inline const crypto::X25519KeyPair& BundleWriterKey() {
  static const crypto::X25519KeyPair key = FixedKey(0x50);
  return key;
}
inline const crypto::X25519KeyPair& BundleRecipientKey() {
  static const crypto::X25519KeyPair key = FixedKey(0x60);
  return key;
}
inline crypto::X25519KeyPair BundleEphemeralKey() {
  return FixedKey(0x70);
}

// A partner log with a bit of everything: short rows, a tombstone, and a row long enough to travel
// in fragments.
inline void FillPartnerLog(protocol::sync_testing::MemorySyncStore& store) {
  using protocol::sync_testing::EntryId;
  Check(store.Share(EntryId(1), ToBytes("{\"id\": \"first\"}")).ok());
  Check(store.Share(EntryId(2), ToBytes("second")).ok());
  Check(store.Share(EntryId(3), Bytes(70000, 'l')).ok());
  Check(store.Withdraw(EntryId(2)).ok());
}

}  // namespace attune::fuzz

#endif  // ATTUNE_TESTS_FUZZ_BUNDLE_FIXTURE_H_
