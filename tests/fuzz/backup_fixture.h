// The fixed data key shared by backup_fuzz and make_fuzz_seeds, so that the sealed seeds stay
// valid backups for the target. FOR FUZZING ONLY.
// Preconditions: crypto::Init() has succeeded.
#ifndef ATTUNE_TESTS_FUZZ_BACKUP_FIXTURE_H_
#define ATTUNE_TESTS_FUZZ_BACKUP_FIXTURE_H_

#include "base/bytes.h"
#include "node/secret.h"

namespace attune::fuzz {

inline const node::Secret& BackupDataKey() {
  static const node::Secret key = node::Secret::CopyOf(Bytes(32, 0x42));
  return key;
}

}  // namespace attune::fuzz

#endif  // ATTUNE_TESTS_FUZZ_BACKUP_FIXTURE_H_
