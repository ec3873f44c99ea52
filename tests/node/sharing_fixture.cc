#include "tests/node/sharing_fixture.h"

#include "crypto/random.h"
#include "node/shared_content.h"
#include "steps/kinds.h"

namespace attune::node::testing {
namespace {

Bytes ToBytes(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

}  // namespace

void PrintTo(const LogLine& line, std::ostream* out) {
  *out << "{" << line.seq << ", " << line.entry_id << (line.withdrawn ? ", withdrawn}" : "}");
}

std::string NewId() {
  return ToHex(crypto::RandomBytes(16));
}

void JournalSharingTest::SetUp() {
  ASSERT_NO_FATAL_FAILURE(InitJournal());
  ASSERT_OK_AND_ASSIGN(
      storage::Database db,
      storage::Database::Open(home_.database_path(), storage::OpenMode::kMustExist));
  log_reader_.emplace(std::move(db));
  store_ = std::make_unique<JournalSyncStore>(journal());
  // The partner's log as this journal applies it, as after their first hello.
  ASSERT_OK(store_->ResetPeer(peer_epoch_));
}

std::vector<LogLine> JournalSharingTest::Log() {
  Result<std::vector<storage::OutgoingRow>> rows = log_reader_->ReadLog(0, 10'000);
  EXPECT_OK(rows.status());
  std::vector<LogLine> lines;
  if (!rows.ok()) return lines;
  for (const storage::OutgoingRow& row : *rows) {
    lines.push_back({row.seq, row.entry_id, row.withdrawn});
  }
  return lines;
}

int64_t JournalSharingTest::LastSeq() {
  Result<int64_t> last = log_reader_->LastLogSeq();
  EXPECT_OK(last.status());
  return last.ok() ? *last : -1;
}

Entry JournalSharingTest::PartnerEntry(std::string kind, std::string text) {
  Entry entry;
  entry.id = NewId();
  entry.kind = std::move(kind);
  entry.step = (*steps::FindKind(entry.kind))->step;
  entry.text = std::move(text);
  entry.created = entry.updated = clock_.Now();
  return entry;
}

protocol::LogRow JournalSharingTest::RowOf(const Entry& entry) {
  return {++peer_seq_, entry.id, false, ToBytes(EncodeSharedContent(entry))};
}

protocol::LogRow JournalSharingTest::RawRow(const std::string& id, std::string_view content) {
  return {++peer_seq_, id, false, ToBytes(content)};
}

protocol::LogRow JournalSharingTest::TombstoneOf(const std::string& id) {
  return {++peer_seq_, id, true, {}};
}

Result<protocol::ApplyCounts> JournalSharingTest::Receive(
    const std::vector<protocol::LogRow>& rows) {
  return store_->Apply(peer_epoch_, rows);
}

Bytes JournalSharingTest::OwnEpoch() {
  Result<Bytes> epoch = store_->LocalEpoch();
  EXPECT_OK(epoch.status());
  return epoch.ok() ? *epoch : Bytes();
}

void JournalSharingTest::ReceiveEntry(const Entry& entry) {
  ASSERT_OK_AND_ASSIGN(protocol::ApplyCounts counts, Receive({RowOf(entry)}));
  ASSERT_EQ(counts.received, 1u);
}

std::vector<std::string> JournalSharingTest::IdsBy(std::optional<Author> author) {
  Result<std::vector<Entry>> entries = journal().List({.author = author});
  EXPECT_OK(entries.status());
  std::vector<std::string> ids;
  if (entries.ok()) {
    for (const Entry& entry : *entries) ids.push_back(entry.id);
  }
  return ids;
}

void JournalSharingTest::Pair() {
  Partner partner;
  partner.public_key[0] = 7;
  partner.display_name = "Sam";
  partner.paired_at = clock_.Now();
  partner.last_address = "127.0.0.1:1";
  ASSERT_OK(journal().SavePartner(partner, /*replace=*/false));
}

}  // namespace attune::node::testing
