// The journal's database and keys (Journal::Backing), and the accessors the journal's own files
// use. Only node/journal includes this header: callers of node/journal.h see neither storage's
// types nor the keyring.
#ifndef ATTUNE_NODE_JOURNAL_JOURNAL_BACKING_H_
#define ATTUNE_NODE_JOURNAL_JOURNAL_BACKING_H_

#include <unistd.h>

#include <string>

#include "node/journal.h"
#include "node/journal/keyring.h"
#include "storage/database.h"

namespace attune::node {

struct Journal::Backing {
  storage::Database db;
  Keyring keyring;
};

// Removes a database file with its -wal and -shm (absent ones are fine).
inline void RemoveDatabaseFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
}

inline storage::Database& Journal::db() const {
  return backing_->db;
}

inline Keyring& Journal::keyring() const {
  return backing_->keyring;
}

}  // namespace attune::node

#endif  // ATTUNE_NODE_JOURNAL_JOURNAL_BACKING_H_
