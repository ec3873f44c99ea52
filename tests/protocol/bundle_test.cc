// Offline bundles at the protocol level: the content (protocol/bundle.h) written from and
// applied to in-memory stores, and the sealed file (protocol/bundle_seal.h) against the wrong
// keys and every kind of damage.
#include "protocol/bundle.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "crypto/x25519.h"
#include "protocol/bundle_seal.h"
#include "tests/common/status_assertions.h"
#include "tests/protocol/memory_sync_store.h"

namespace attune::protocol {
namespace {

using sync_testing::EntryId;
using sync_testing::MemorySyncStore;

Bytes Content(const std::string& text, size_t size = 0) {
  Bytes content(text.begin(), text.end());
  if (content.size() < size) content.resize(size, 'x');
  return content;
}

// What `from` would put in a bundle now, decoded again (as the partner's attune reads it).
Result<BundleContent> Bundle(MemorySyncStore& from, size_t max_bytes = kMaxBundleContentBytes) {
  ATTUNE_ASSIGN_OR_RETURN(BundleWritten written,
                          BuildBundleContent(from, from.peer_acked(), max_bytes));
  return DecodeBundleContent(written.content);
}

Result<BundleApplied> Open(MemorySyncStore& to, const BundleContent& bundle) {
  return ApplyBundle(to, to.peer_acked(), bundle);
}

class BundleTest : public ::testing::Test {
 protected:
  MemorySyncStore alex_{1};
  MemorySyncStore sam_{2};
};

TEST_F(BundleTest, ABundleCarriesTheSharedSetAndOpeningItTwiceChangesNothing) {
  ASSERT_OK(alex_.Share(EntryId(1), Content("one")));
  ASSERT_OK(alex_.Share(EntryId(2), Content("two")));
  ASSERT_OK(alex_.Share(EntryId(3), Content("three")));
  ASSERT_OK(alex_.Withdraw(EntryId(2)));
  ASSERT_OK_AND_ASSIGN(BundleContent bundle, Bundle(alex_));
  EXPECT_EQ(bundle.after_seq, 0u);
  EXPECT_EQ(bundle.rows.size(), 3u);  // one row per entry: 1, 3, and 2's tombstone
  EXPECT_TRUE(bundle.complete);

  ASSERT_OK_AND_ASSIGN(BundleApplied first, Open(sam_, bundle));
  EXPECT_EQ(first.applied.received, 2u);
  EXPECT_EQ(sam_.PeerEntries(), alex_.SharedSet());
  EXPECT_EQ(sam_.cursor().applied_seq, 4u);  // seqs 1, 2, 3 and the withdrawal, 4

  const MemorySyncStore::State before = sam_.Snapshot();
  ASSERT_OK_AND_ASSIGN(BundleApplied again, Open(sam_, bundle));
  EXPECT_EQ(again.applied.received, 0u);
  EXPECT_EQ(again.skipped, 3u);
  EXPECT_EQ(sam_.PeerEntries(), before.peer_entries);
  EXPECT_EQ(sam_.cursor().applied_seq, before.cursor.applied_seq);
  EXPECT_EQ(sam_.stale_rows_offered(), 0u) << "skipped rows are not even offered to the store";
}

TEST_F(BundleTest, AnOlderBundleOpenedAfterANewerOneChangesNothing) {
  ASSERT_OK(alex_.Share(EntryId(1), Content("first version")));
  ASSERT_OK(alex_.Share(EntryId(2), Content("two")));
  ASSERT_OK_AND_ASSIGN(BundleContent older, Bundle(alex_));
  ASSERT_OK(alex_.Share(EntryId(1), Content("second version")));
  ASSERT_OK(alex_.Withdraw(EntryId(2)));
  ASSERT_OK_AND_ASSIGN(BundleContent newer, Bundle(alex_));

  ASSERT_OK(Open(sam_, newer).status());
  EXPECT_EQ(sam_.PeerEntries(), alex_.SharedSet());
  ASSERT_OK_AND_ASSIGN(BundleApplied stale, Open(sam_, older));
  EXPECT_EQ(stale.applied.received, 0u);
  EXPECT_EQ(stale.skipped, 2u);
  EXPECT_EQ(sam_.PeerEntries(), alex_.SharedSet()) << "the withdrawn entry must not come back";
}

TEST_F(BundleTest, AcknowledgementsTravelBackAndMakeTheNextBundleSmaller) {
  for (uint64_t i = 1; i <= 2; ++i) ASSERT_OK(alex_.Share(EntryId(i), Content("entry", 1000)));
  ASSERT_OK_AND_ASSIGN(BundleContent early, Bundle(alex_));
  ASSERT_OK(Open(sam_, early).status());
  ASSERT_OK_AND_ASSIGN(BundleContent sams_early, Bundle(sam_));  // acknowledges through 2
  for (uint64_t i = 3; i <= 5; ++i) ASSERT_OK(alex_.Share(EntryId(i), Content("entry", 1000)));
  ASSERT_OK_AND_ASSIGN(BundleWritten full, BuildBundleContent(alex_, alex_.peer_acked()));
  ASSERT_OK_AND_ASSIGN(BundleContent to_sam, DecodeBundleContent(full.content));
  EXPECT_EQ(full.sent, 5u) << "nothing acknowledged yet: everything again";
  ASSERT_OK(Open(sam_, to_sam).status());
  ASSERT_OK_AND_ASSIGN(BundleContent sams_reply, Bundle(sam_));
  EXPECT_EQ(sams_reply.hello.your_epoch, alex_.epoch());
  EXPECT_EQ(sams_reply.hello.applied_seq, 5u);

  ASSERT_OK_AND_ASSIGN(BundleApplied applied, Open(alex_, sams_reply));
  EXPECT_EQ(applied.acknowledged, 5u);
  EXPECT_EQ(alex_.peer_acked(), 5u);
  ASSERT_OK_AND_ASSIGN(BundleWritten next, BuildBundleContent(alex_, alex_.peer_acked()));
  EXPECT_EQ(next.sent, 0u);
  EXPECT_LT(next.content.size(), full.content.size() / 10);

  // Sam's older bundle, opened late, does not take the acknowledgement back.
  ASSERT_OK_AND_ASSIGN(BundleApplied late, Open(alex_, sams_early));
  EXPECT_EQ(late.acknowledged, 0u);
  EXPECT_EQ(alex_.peer_acked(), 5u);
}

TEST_F(BundleTest, ABundleThatStartsAfterAHoleIsRefusedAndChangesNothing) {
  ASSERT_OK(alex_.Share(EntryId(1), Content("one")));
  ASSERT_OK(alex_.Share(EntryId(2), Content("two")));
  const MemorySyncStore::State sam_untouched = sam_.Snapshot();
  ASSERT_OK_AND_ASSIGN(BundleContent first, Bundle(alex_));
  ASSERT_OK(Open(sam_, first).status());
  ASSERT_OK_AND_ASSIGN(BundleContent reply, Bundle(sam_));
  ASSERT_OK(Open(alex_, reply).status());
  ASSERT_EQ(alex_.peer_acked(), 2u);
  ASSERT_OK(alex_.Share(EntryId(3), Content("three")));
  ASSERT_OK_AND_ASSIGN(BundleContent second, Bundle(alex_));
  EXPECT_EQ(second.after_seq, 2u);

  // Sam's journal goes back to a copy from before the first bundle: rows 1 and 2 are missing.
  sam_.RestoreFromOlderCopy(sam_untouched);
  EXPECT_CODE(Open(sam_, second), kNotFound);
  EXPECT_TRUE(sam_.PeerEntries().empty());
  EXPECT_EQ(sam_.cursor().applied_seq, 0u);
  EXPECT_TRUE(sam_.cursor().epoch.empty()) << "not even the epoch moved";

  // Opening the earlier one first, then this one, works.
  ASSERT_OK(Open(sam_, first).status());
  ASSERT_OK(Open(sam_, second).status());
  EXPECT_EQ(sam_.PeerEntries(), alex_.SharedSet());
}

TEST_F(BundleTest, ANewEpochReplacesWhatWasAppliedOfTheOldOne) {
  ASSERT_OK(alex_.Share(EntryId(1), Content("old journal")));
  ASSERT_OK_AND_ASSIGN(BundleContent old_epoch, Bundle(alex_));
  ASSERT_OK(Open(sam_, old_epoch).status());
  alex_.ReinstallNewEpoch();
  ASSERT_OK(alex_.Share(EntryId(7), Content("restored journal")));
  ASSERT_OK_AND_ASSIGN(BundleContent new_epoch, Bundle(alex_));
  ASSERT_OK_AND_ASSIGN(BundleApplied applied, Open(sam_, new_epoch));
  EXPECT_TRUE(applied.new_epoch);
  EXPECT_EQ(sam_.PeerEntries(), alex_.SharedSet());
  EXPECT_EQ(sam_.cursor().epoch, alex_.epoch());
}

TEST_F(BundleTest, APartnerHoldingMoreThanTheLogHasMakesTheLogStartANewEpoch) {
  const MemorySyncStore::State alex_early = alex_.Snapshot();
  ASSERT_OK(alex_.Share(EntryId(1), Content("one")));
  ASSERT_OK(alex_.Share(EntryId(2), Content("two")));
  ASSERT_OK_AND_ASSIGN(BundleContent bundle, Bundle(alex_));
  ASSERT_OK(Open(sam_, bundle).status());
  ASSERT_OK_AND_ASSIGN(BundleContent reply, Bundle(sam_));

  alex_.RestoreFromOlderCopy(alex_early);  // the same epoch, without rows 1 and 2
  const Bytes epoch_before = alex_.epoch();
  ASSERT_OK_AND_ASSIGN(BundleApplied applied, Open(alex_, reply));
  EXPECT_TRUE(applied.log_restarted);
  EXPECT_NE(alex_.epoch(), epoch_before);
  EXPECT_EQ(alex_.peer_acked(), 0u);
}

TEST_F(BundleTest, LongEntriesTravelInFragmentsAndACappedBundleIsContinuedByTheNext) {
  ASSERT_OK(alex_.Share(EntryId(1), Content("long", kMaxSharedEntryBytes)));
  for (uint64_t i = 2; i <= 40; ++i) ASSERT_OK(alex_.Share(EntryId(i), Content("entry", 5000)));
  ASSERT_OK_AND_ASSIGN(BundleContent capped, Bundle(alex_, /*max_bytes=*/300 * 1024));
  EXPECT_FALSE(capped.complete);
  EXPECT_LT(capped.rows.size(), 40u);
  EXPECT_EQ(capped.rows.front().content.size(), kMaxSharedEntryBytes);
  ASSERT_OK(Open(sam_, capped).status());
  ASSERT_OK_AND_ASSIGN(BundleContent reply, Bundle(sam_));
  ASSERT_OK(Open(alex_, reply).status());
  ASSERT_OK_AND_ASSIGN(BundleContent rest, Bundle(alex_));
  EXPECT_TRUE(rest.complete);
  EXPECT_EQ(rest.after_seq, capped.rows.back().seq);
  ASSERT_OK(Open(sam_, rest).status());
  EXPECT_EQ(sam_.PeerEntries(), alex_.SharedSet());
}

// ---- Malformed content (after authentication: a buggy or newer partner) ----

Bytes Envelope(const Message& message) {
  Bytes out = EncodeEnvelope(message).value();
  const size_t size = out.size();
  // The length (u32 big-endian) before the envelope.
  out.insert(out.begin(), 4, 0);
  out[2] = static_cast<uint8_t>(size >> 8);
  out[3] = static_cast<uint8_t>(size);
  return out;
}

TEST(BundleContentTest, TheDecoderRefusesEveryMalformedShape) {
  const Bytes epoch(kEpochBytes, 7);
  const Bytes hello = Envelope(SyncHelloMessage{epoch, {}, 0});
  auto batch = [&](uint64_t number, uint64_t after, std::vector<SyncRecord> records, bool done) {
    return Envelope(SyncBatchMessage{epoch, number, after, std::move(records), done});
  };
  auto concat = [](std::vector<Bytes> parts) {
    Bytes out;
    for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
    return out;
  };
  const SyncRecord row1{1, EntryId(1), false, Content("a"), 0, false};
  const SyncRecord row2{2, EntryId(2), false, Content("b"), 0, false};
  EXPECT_OK(DecodeBundleContent(concat({hello, batch(1, 0, {row1, row2}, true)})).status());

  const std::vector<std::pair<std::string, Bytes>> cases = {
      {"empty", {}},
      {"a hello alone", hello},
      {"a batch first", batch(1, 0, {row1}, true)},
      {"two hellos", concat({hello, hello, batch(1, 0, {}, true)})},
      {"batch 2 first", concat({hello, batch(2, 0, {row1}, true)})},
      {"a batch after the last", concat({hello, batch(1, 0, {row1}, true), batch(2, 1, {}, true)})},
      {"after_seq broken", concat({hello, batch(1, 0, {row1}, false), batch(2, 5, {row2}, true)})},
      {"seqs going back", concat({hello, batch(1, 0, {row2, row1}, true)})},
      {"a fragment never finished",
       concat({hello, batch(1, 0, {{1, EntryId(1), false, Content("a"), 0, true}}, true)})},
      {"a length past the end",
       [&] {
         Bytes cut = concat({hello, batch(1, 0, {row1}, true)});
         cut.pop_back();
         return cut;
       }()},
      {"trailing bytes", concat({hello, batch(1, 0, {row1}, true), Bytes{0}})},
  };
  for (const auto& [name, bytes] : cases) {
    EXPECT_CODE(DecodeBundleContent(bytes), kCorruption) << name;
  }
}

// ---- The sealed file ----

class BundleSealTest : public ::testing::Test {
 protected:
  crypto::X25519KeyPair alex_ = crypto::GenerateX25519KeyPair();
  crypto::X25519KeyPair sam_ = crypto::GenerateX25519KeyPair();
  crypto::X25519KeyPair stranger_ = crypto::GenerateX25519KeyPair();
  // Three chunks' worth, so that chunks can be swapped and dropped.
  Bytes content_ = Content("the content", 2 * kBundleChunkDataBytes + 100);

  Bytes Sealed() { return SealBundle(alex_, sam_.public_key, content_).value(); }
};

TEST_F(BundleSealTest, OnlyThePartnerOpensItAndTheSizeIsAllItShows) {
  const Bytes file = Sealed();
  EXPECT_EQ(file.size(), kBundleHeaderBytes + 3 * kBundleChunkBytes);
  EXPECT_EQ(file.size(), SealedBundleBytes(content_.size()));
  ASSERT_OK_AND_ASSIGN(Bytes opened, OpenSealedBundle(sam_, alex_.public_key, file));
  EXPECT_EQ(opened, content_);
  EXPECT_NE(Sealed(), file) << "a fresh ephemeral key each time";

  EXPECT_CODE(OpenSealedBundle(stranger_, alex_.public_key, file), kUnknownPeer) << "for Sam";
  EXPECT_CODE(OpenSealedBundle(sam_, stranger_.public_key, file), kUnknownPeer) << "from Alex";
  EXPECT_CODE(OpenSealedBundle(alex_, sam_.public_key, file), kUnknownPeer) << "its writer";
  const Bytes forged = SealBundle(stranger_, sam_.public_key, content_).value();
  EXPECT_CODE(OpenSealedBundle(sam_, alex_.public_key, forged), kUnknownPeer);
}

TEST_F(BundleSealTest, AnEmptyContentIsOneChunk) {
  const Bytes file = SealBundle(alex_, sam_.public_key, {}).value();
  EXPECT_EQ(file.size(), kBundleHeaderBytes + kBundleChunkBytes);
  ASSERT_OK_AND_ASSIGN(Bytes opened, OpenSealedBundle(sam_, alex_.public_key, file));
  EXPECT_TRUE(opened.empty());
}

TEST_F(BundleSealTest, EveryKindOfDamageIsRefused) {
  const Bytes file = Sealed();
  auto chunk = [&](size_t i) {
    const auto begin =
        file.begin() + static_cast<std::ptrdiff_t>(kBundleHeaderBytes + i * kBundleChunkBytes);
    return Bytes(begin, begin + static_cast<std::ptrdiff_t>(kBundleChunkBytes));
  };
  const Bytes header(file.begin(), file.begin() + kBundleHeaderBytes);
  auto join = [&](std::vector<Bytes> chunks) {
    Bytes out = header;
    for (const Bytes& c : chunks) out.insert(out.end(), c.begin(), c.end());
    return out;
  };
  const Bytes other = SealBundle(alex_, sam_.public_key, content_).value();

  struct Case {
    std::string name;
    Bytes bytes;
    StatusCode code;
  };
  std::vector<Case> cases = {
      {"chunks swapped", join({chunk(1), chunk(0), chunk(2)}), StatusCode::kAuthFailed},
      {"the last chunk dropped", join({chunk(0), chunk(1)}), StatusCode::kCorruption},
      {"the middle chunk dropped", join({chunk(0), chunk(2)}), StatusCode::kAuthFailed},
      {"a chunk repeated", join({chunk(0), chunk(0), chunk(1), chunk(2)}), StatusCode::kAuthFailed},
      {"a chunk appended", join({chunk(0), chunk(1), chunk(2), chunk(2)}), StatusCode::kCorruption},
      {"cut by one byte", Bytes(file.begin(), file.end() - 1), StatusCode::kCorruption},
      {"one byte more",
       [&] {
         Bytes longer = file;
         longer.push_back(0);
         return longer;
       }(),
       StatusCode::kCorruption},
      {"only the header", header, StatusCode::kCorruption},
      {"empty", {}, StatusCode::kCorruption},
      {"a chunk from another bundle",
       [&] {
         Bytes spliced = file;
         std::copy(other.end() - kBundleChunkBytes, other.end(), spliced.end() - kBundleChunkBytes);
         return spliced;
       }(),
       StatusCode::kAuthFailed},
  };
  // One flipped bit at the start, in the header's tag, in each chunk and in the last tag.
  for (size_t at : {size_t{0}, size_t{40}, kBundleHeaderBytes,
                    kBundleHeaderBytes + kBundleChunkBytes + 5, file.size() - 1}) {
    Bytes flipped = file;
    flipped[at] ^= 0x01;
    cases.push_back({"bit flipped at " + std::to_string(at), flipped,
                     at < kBundleHeaderBytes ? StatusCode::kUnknownPeer : StatusCode::kAuthFailed});
  }
  for (const Case& c : cases) {
    Result<Bytes> opened = OpenSealedBundle(sam_, alex_.public_key, c.bytes);
    ASSERT_FALSE(opened.ok()) << c.name;
    EXPECT_EQ(test_common::CodeName(opened.status().code()), test_common::CodeName(c.code))
        << c.name << ": " << opened.status().detail();
  }
}

}  // namespace
}  // namespace attune::protocol
