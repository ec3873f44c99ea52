// Sealing entries and settings: what goes into a row in the clear, and every way a sealed
// body can be altered, moved or opened with the wrong key.
#include "node/journal/entry_codec.h"

#include <gtest/gtest.h>

#include <functional>
#include <utility>
#include <vector>

#include "crypto/aead.h"
#include "crypto/random.h"
#include "storage/schema.h"
#include "tests/node/node_test_util.h"

namespace attune::node::testing {
namespace {

Entry SampleCodecEntry() {
  Entry entry;
  entry.id = "00112233445566778899aabbccddeeff";
  entry.kind = "trigger";
  entry.step = 4;
  entry.text = "PLAINTEXT-MARKER I feel small when";
  entry.fields = {{"intensity", 3}};
  entry.tags = {"TAG-MARKER"};
  entry.links = {"ffeeddccbbaa99887766554433221100"};
  entry.created = {1767225600123, 60};
  entry.updated = {1767225700456, 120};
  entry.visibility = node::Visibility::kShared;
  entry.author = node::Author::kMe;
  return entry;
}

class EntryCodecTest : public ::testing::Test {
 protected:
  Secret key_ = crypto::RandomSecret(crypto::aead::kKeyBytes);
};

TEST_F(EntryCodecTest, SealedRowKeepsStructureInTheClearAndTheRestSealed) {
  const Entry entry = SampleCodecEntry();
  ASSERT_OK_AND_ASSIGN(storage::EntryRow row, SealEntry(key_, entry));
  EXPECT_EQ(row.id, entry.id);
  EXPECT_EQ(row.kind, "trigger");
  EXPECT_EQ(row.step, 4);
  EXPECT_EQ(row.created_ms, 1767225600123);
  EXPECT_EQ(row.created_offset_min, 60);
  EXPECT_EQ(row.updated_ms, 1767225700456);
  EXPECT_EQ(row.updated_offset_min, 120);
  EXPECT_EQ(row.visibility, "shared");
  EXPECT_EQ(row.author, "me");
  EXPECT_GT(row.body.size(), crypto::aead::kOverheadBytes + entry.text.size());
  EXPECT_FALSE(BytesContain(row.body, "PLAINTEXT-MARKER"));
  EXPECT_FALSE(BytesContain(row.body, "TAG-MARKER"));
  EXPECT_FALSE(BytesContain(row.body, "ffeeddcc"));

  ASSERT_OK_AND_ASSIGN(Entry opened, OpenEntry(key_, row));
  EXPECT_TRUE(SameEntry(entry, opened));
}

// Author and Visibility are stored by name: the names must be the file's.
TEST(EntryNamesTest, AuthorAndVisibilityNamesAreTheStoredOnes) {
  EXPECT_EQ(AuthorName(Author::kMe), storage::kAuthorMe);
  EXPECT_EQ(AuthorName(Author::kPartner), storage::kAuthorPartner);
  EXPECT_EQ(AuthorName(Author::kFormer), storage::kAuthorFormer);
  EXPECT_EQ(VisibilityName(Visibility::kShared), storage::kVisibilityShared);
  EXPECT_EQ(VisibilityName(Visibility::kPrivate), storage::kVisibilityPrivate);
  for (Author author : {Author::kMe, Author::kPartner, Author::kFormer}) {
    EXPECT_EQ(ParseAuthor(AuthorName(author)), author);
  }
  EXPECT_EQ(ParseAuthor("Me"), std::nullopt);
  EXPECT_EQ(ParseVisibility("public"), std::nullopt);
}

TEST_F(EntryCodecTest, SealingTwiceGivesDifferentBodies) {
  ASSERT_OK_AND_ASSIGN(storage::EntryRow first, SealEntry(key_, SampleCodecEntry()));
  ASSERT_OK_AND_ASSIGN(storage::EntryRow second, SealEntry(key_, SampleCodecEntry()));
  EXPECT_NE(first.body, second.body);
}

TEST_F(EntryCodecTest, WrongKeyFailsAuthentication) {
  ASSERT_OK_AND_ASSIGN(storage::EntryRow row, SealEntry(key_, SampleCodecEntry()));
  const Secret other = crypto::RandomSecret(crypto::aead::kKeyBytes);
  EXPECT_CODE(OpenEntry(other, row), kAuthFailed);
}

TEST_F(EntryCodecTest, BodyIsBoundToItsIdAndKind) {
  ASSERT_OK_AND_ASSIGN(storage::EntryRow row, SealEntry(key_, SampleCodecEntry()));
  storage::EntryRow moved = row;
  moved.id[31] = moved.id[31] == 'f' ? 'e' : 'f';
  EXPECT_CODE(OpenEntry(key_, moved), kAuthFailed);
  storage::EntryRow relabelled = row;
  relabelled.kind = "need";
  EXPECT_CODE(OpenEntry(key_, relabelled), kAuthFailed);
  // The separator keeps "id + kind" from being re-split at another place.
  storage::EntryRow resplit = row;
  resplit.id = row.id.substr(0, 31);
  resplit.kind = row.id.substr(31) + row.kind;
  EXPECT_CODE(OpenEntry(key_, resplit), kAuthFailed);
}

// Format 2: every column storage keeps in the clear is bound into the seal, so that nobody
// without the data key can make a private entry look shared, or change who wrote what, when.
TEST_F(EntryCodecTest, EveryPlainColumnIsBoundIntoTheSeal) {
  ASSERT_OK_AND_ASSIGN(storage::EntryRow row, SealEntry(key_, SampleCodecEntry()));
  const std::vector<std::pair<const char*, std::function<void(storage::EntryRow&)>>> changes = {
      {"step", [](storage::EntryRow& r) { r.step = 5; }},
      {"created_ms", [](storage::EntryRow& r) { r.created_ms += 1; }},
      {"created_offset_min", [](storage::EntryRow& r) { r.created_offset_min = 0; }},
      {"updated_ms", [](storage::EntryRow& r) { r.updated_ms -= 1; }},
      {"updated_offset_min", [](storage::EntryRow& r) { r.updated_offset_min = -60; }},
      {"visibility", [](storage::EntryRow& r) { r.visibility = "private"; }},
      {"author", [](storage::EntryRow& r) { r.author = "partner"; }},
  };
  for (const auto& [column, change] : changes) {
    storage::EntryRow tampered = row;
    change(tampered);
    EXPECT_CODE(OpenEntry(key_, tampered), kAuthFailed) << column;
  }
  // And the other way round: a private entry cannot be made to look shared.
  Entry entry = SampleCodecEntry();
  entry.visibility = node::Visibility::kPrivate;
  ASSERT_OK_AND_ASSIGN(storage::EntryRow private_row, SealEntry(key_, entry));
  private_row.visibility = "shared";
  EXPECT_CODE(OpenEntry(key_, private_row), kAuthFailed);
  // A format-2 body does not pass for format 1, which bound only the id and kind.
  EXPECT_CODE(OpenEntryFormat1(key_, row), kAuthFailed);
}

TEST_F(EntryCodecTest, TheShareStateTravelsInsideTheSeal) {
  Entry entry = SampleCodecEntry();
  entry.share.log_seq = 42;
  entry.share.with_answers = true;
  ASSERT_OK_AND_ASSIGN(storage::EntryRow row, SealEntry(key_, entry));
  ASSERT_OK_AND_ASSIGN(Entry opened, OpenEntry(key_, row));
  EXPECT_EQ(opened.share, entry.share);
  entry.share = ShareState{};
  ASSERT_OK_AND_ASSIGN(row, SealEntry(key_, entry));
  ASSERT_OK_AND_ASSIGN(opened, OpenEntry(key_, row));
  EXPECT_EQ(opened.share, ShareState{});
}

TEST_F(EntryCodecTest, ALogRowIsBoundToItsEntryItsSeqAndWhetherItIsWithdrawn) {
  const std::string id = SampleCodecEntry().id;
  ASSERT_OK_AND_ASSIGN(Bytes sealed, SealLogRow(key_, id, 7, false, AsBytes("CONTENT-MARKER")));
  EXPECT_FALSE(BytesContain(sealed, "CONTENT-MARKER"));
  storage::OutgoingRow row{7, id, false, sealed, std::nullopt};
  ASSERT_OK_AND_ASSIGN(std::string content, OpenLogRow(key_, row));
  EXPECT_EQ(content, "CONTENT-MARKER");
  storage::OutgoingRow other_seq = row;
  other_seq.seq = 8;
  EXPECT_CODE(OpenLogRow(key_, other_seq), kAuthFailed);
  storage::OutgoingRow other_entry = row;
  other_entry.entry_id = "ffeeddccbbaa99887766554433221100";
  EXPECT_CODE(OpenLogRow(key_, other_entry), kAuthFailed);
  storage::OutgoingRow withdrawn = row;
  withdrawn.withdrawn = true;
  EXPECT_CODE(OpenLogRow(key_, withdrawn), kAuthFailed);
  storage::OutgoingRow unsealed = row;
  unsealed.sealed.reset();
  EXPECT_CODE(OpenLogRow(key_, unsealed), kAuthFailed);
  // A withdrawal seals nothing, and cannot carry content.
  ASSERT_OK_AND_ASSIGN(Bytes tombstone, SealLogRow(key_, id, 9, true, {}));
  ASSERT_OK_AND_ASSIGN(content, OpenLogRow(key_, {9, id, true, tombstone, std::nullopt}));
  EXPECT_TRUE(content.empty());
  EXPECT_CODE(SealLogRow(key_, id, 9, true, AsBytes("x")), kInvalidArgument);
  EXPECT_CODE(OpenLogRow(key_, {9, id, false, tombstone, std::nullopt}), kAuthFailed);
}

TEST_F(EntryCodecTest, EveryAlteredByteFailsAuthentication) {
  ASSERT_OK_AND_ASSIGN(storage::EntryRow row, SealEntry(key_, SampleCodecEntry()));
  for (size_t i = 0; i < row.body.size(); ++i) {
    storage::EntryRow tampered = row;
    tampered.body[i] ^= 0x20;
    ASSERT_CODE(OpenEntry(key_, tampered), kAuthFailed) << "byte " << i;
  }
  storage::EntryRow truncated = row;
  truncated.body.pop_back();
  EXPECT_CODE(OpenEntry(key_, truncated), kAuthFailed);
  storage::EntryRow too_short = row;
  too_short.body.resize(crypto::aead::kOverheadBytes - 1);
  EXPECT_FALSE(OpenEntry(key_, too_short).ok());
  storage::EntryRow empty = row;
  empty.body.clear();
  EXPECT_FALSE(OpenEntry(key_, empty).ok());
}

// Bodies that authenticate but were not written by SealEntry (e.g. a future format), under the
// format-1 associated data that journals made before format 2 have until their upgrade.
TEST_F(EntryCodecTest, AuthenticBodyOfUnknownFormatIsCorruption) {
  const Entry entry = SampleCodecEntry();
  std::string ad = "attune/entry/v1";
  ad.push_back('\0');
  ad += entry.id;
  ad.push_back('\0');
  ad += entry.kind;
  ASSERT_OK_AND_ASSIGN(storage::EntryRow row, SealEntry(key_, entry));
  for (const char* body : {"not json", "[1,2]", "{\"v\":2,\"text\":\"x\"}", "{\"text\":\"x\"}"}) {
    ASSERT_OK_AND_ASSIGN(row.body, crypto::aead::Seal(key_, AsBytes(body), AsBytes(ad)));
    EXPECT_CODE(OpenEntryFormat1(key_, row), kCorruption) << body;
  }
  // Format 2: a marker byte, the text's length, the text, then JSON details.
  const std::string two = std::string(1, '\x02');
  for (const std::string& body : std::vector<std::string>{
           two, two + std::string("\x05\0\0\0hi", 6), two + std::string("\x02\0\0\0hi", 6),
           two + std::string("\x02\0\0\0hi[]", 8),
           two + std::string("\x02\0\0\0hi{\"tags\":[1]}", 18),
           two + std::string("\x02\0\0\0hi{\"fields\":[]}", 19), "{\"v\":\"1\",\"text\":\"x\"}",
           "{\"v\":1,\"text\":7}"}) {
    ASSERT_OK_AND_ASSIGN(row.body, crypto::aead::Seal(key_, AsBytes(body), AsBytes(ad)));
    EXPECT_CODE(OpenEntryFormat1(key_, row), kCorruption) << body;
  }
  // The same associated data with well-formed bodies of either format opens: the test's
  // framing is the real one, and journals written before format 2 still read.
  ASSERT_OK_AND_ASSIGN(
      row.body,
      crypto::aead::Seal(key_, AsBytes("{\"v\":1,\"text\":\"hi\",\"tags\":[\"t\"]}"), AsBytes(ad)));
  ASSERT_OK_AND_ASSIGN(Entry opened, OpenEntryFormat1(key_, row));
  EXPECT_EQ(opened.text, "hi");
  EXPECT_EQ(opened.tags, std::vector<std::string>{"t"});
  ASSERT_OK_AND_ASSIGN(
      row.body,
      crypto::aead::Seal(key_, AsBytes(two + std::string("\x02\0\0\0hi{}", 8)), AsBytes(ad)));
  ASSERT_OK_AND_ASSIGN(Entry minimal, OpenEntryFormat1(key_, row));
  EXPECT_EQ(minimal.text, "hi");
  EXPECT_TRUE(minimal.tags.empty());
}

TEST_F(EntryCodecTest, TextIsStoredAsItIsWhateverItHolds) {
  Entry entry = SampleCodecEntry();
  entry.text = std::string("quotes \" and \\ backslashes, {braces} [brackets]\n\t\x01 and ü");
  ASSERT_OK_AND_ASSIGN(storage::EntryRow row, SealEntry(key_, entry));
  ASSERT_OK_AND_ASSIGN(Entry opened, OpenEntry(key_, row));
  EXPECT_EQ(opened.text, entry.text);
  entry.text = "\xff not UTF-8";
  EXPECT_CODE(SealEntry(key_, entry), kInvalidArgument);
}

TEST_F(EntryCodecTest, SettingsAreBoundToTheirName) {
  ASSERT_OK_AND_ASSIGN(Bytes sealed, SealSetting(key_, "journal.name", "Robin"));
  EXPECT_FALSE(BytesContain(sealed, "Robin"));
  ASSERT_OK_AND_ASSIGN(std::string opened, OpenSetting(key_, "journal.name", sealed));
  EXPECT_EQ(opened, "Robin");
  EXPECT_CODE(OpenSetting(key_, "partner.name", sealed), kAuthFailed);
  EXPECT_CODE(OpenSetting(crypto::RandomSecret(crypto::aead::kKeyBytes), "journal.name", sealed),
              kAuthFailed);
  sealed[sealed.size() / 2] ^= 1;
  EXPECT_CODE(OpenSetting(key_, "journal.name", sealed), kAuthFailed);

  ASSERT_OK_AND_ASSIGN(Bytes empty, SealSetting(key_, "empty", ""));
  ASSERT_OK_AND_ASSIGN(std::string empty_opened, OpenSetting(key_, "empty", empty));
  EXPECT_EQ(empty_opened, "");
}

}  // namespace
}  // namespace attune::node::testing
