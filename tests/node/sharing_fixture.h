// The fixture of the sharing tests in the journal service: a passphrase-free journal, a second
// connection reading its outgoing log as another process would, and a JournalSyncStore through
// which rows "from the partner" are applied (its cursor already set to a partner epoch).
#ifndef ATTUNE_TESTS_NODE_SHARING_FIXTURE_H_
#define ATTUNE_TESTS_NODE_SHARING_FIXTURE_H_

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "node/journal.h"
#include "node/journal/journal_sync.h"
#include "protocol/sync.h"
#include "storage/database.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {

// A raw connection to the journal's file, for changing its schema behind the journal's back.
class RawSql {
 public:
  explicit RawSql(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path;
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawSql() { sqlite3_close_v2(db_); }
  RawSql(const RawSql&) = delete;
  RawSql& operator=(const RawSql&) = delete;

  void Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (error ? error : "?");
    }
    sqlite3_free(error);
  }

 private:
  sqlite3* db_ = nullptr;
};

// One row of the outgoing log, without the entry it names.
struct LogLine {
  int64_t seq;
  std::string entry_id;
  bool withdrawn;
  bool operator==(const LogLine&) const = default;
};
void PrintTo(const LogLine& line, std::ostream* out);

// A fresh random entry id.
std::string NewId();

class JournalSharingTest : public JournalTest {
 protected:
  void SetUp() override;

  // The whole outgoing log, read through a second connection as another process would.
  std::vector<LogLine> Log();
  int64_t LastSeq();

  // An entry as the partner's journal would have written it.
  Entry PartnerEntry(std::string kind, std::string text);
  // Rows of the partner's log, numbered on from the last one made.
  protocol::LogRow RowOf(const Entry& entry);
  protocol::LogRow RawRow(const std::string& id, std::string_view content);
  protocol::LogRow TombstoneOf(const std::string& id);

  Result<protocol::ApplyCounts> Receive(const std::vector<protocol::LogRow>& rows);
  // The journal's own log epoch (made on first use), recording a failure if it cannot be read.
  Bytes OwnEpoch();
  // Receives `entry` from the partner, asserting it was taken.
  void ReceiveEntry(const Entry& entry);

  // Ids of the entries by `author` ("" for all), in list order.
  std::vector<std::string> IdsBy(std::optional<Author> author);
  // Stores a partner record, as pairing would.
  void Pair();

  std::optional<storage::Database> log_reader_;
  std::unique_ptr<JournalSyncStore> store_;
  Bytes peer_epoch_ = Bytes(protocol::kEpochBytes, 0x5a);
  uint64_t peer_seq_ = 0;
};

}  // namespace attune::node::testing

#endif  // ATTUNE_TESTS_NODE_SHARING_FIXTURE_H_
