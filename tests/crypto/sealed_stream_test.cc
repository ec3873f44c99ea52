#include "crypto/sealed_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/random.h"

namespace attune::crypto::sealed_stream {
namespace {

Bytes BytesOf(std::string_view text) {
  ByteSpan bytes = AsBytes(text);
  return Bytes(bytes.begin(), bytes.end());
}

// A sealed stream as it would be stored: its header and its chunks, kept apart so that the
// cases below can damage any one of them.
struct Sealed {
  Bytes header;
  std::vector<Bytes> chunks;
};

class SealedStreamTest : public ::testing::Test {
 protected:
  SecureBytes key_ = RandomSecret(kKeyBytes);
  Bytes ad_ = BytesOf("backup header");
  std::vector<Bytes> parts_ = {BytesOf("the first chunk"), BytesOf("a second one"),
                               BytesOf("and the last")};

  Sealed SealParts(const SecureBytes& key) {
    Sealed sealed;
    Result<Writer> writer = Writer::Start(key);
    EXPECT_TRUE(writer.ok());
    if (!writer.ok()) return sealed;
    sealed.header.assign(writer->header().begin(), writer->header().end());
    for (size_t i = 0; i < parts_.size(); ++i) {
      Result<Bytes> chunk = writer->Seal(parts_[i], ad_, i + 1 == parts_.size());
      EXPECT_TRUE(chunk.ok());
      if (chunk.ok()) sealed.chunks.push_back(*chunk);
    }
    return sealed;
  }

  // Opens every chunk in order: the plaintexts, or the first failure; a stream whose final
  // chunk never came is kCorruption here, as a reader of a file treats the file's end.
  Result<std::vector<Bytes>> OpenAll(const SecureBytes& key, const Sealed& sealed, ByteSpan ad) {
    ATTUNE_ASSIGN_OR_RETURN(Reader reader, Reader::Start(key, sealed.header));
    std::vector<Bytes> opened;
    for (const Bytes& chunk : sealed.chunks) {
      ATTUNE_ASSIGN_OR_RETURN(Chunk plain, reader.Open(chunk, ad));
      opened.push_back(std::move(plain.plaintext));
    }
    if (!reader.finished()) return Status::Corruption("cut short");
    return opened;
  }
};

TEST_F(SealedStreamTest, RoundTripsEveryChunkInOrderAndEndsAtTheFinalOne) {
  Sealed sealed = SealParts(key_);
  ASSERT_EQ(sealed.chunks.size(), 3u);
  EXPECT_EQ(sealed.header.size(), kHeaderBytes);
  for (size_t i = 0; i < parts_.size(); ++i) {
    EXPECT_EQ(sealed.chunks[i].size(), parts_[i].size() + kOverheadBytes);
  }
  Result<std::vector<Bytes>> opened = OpenAll(key_, sealed, ad_);
  ASSERT_TRUE(opened.ok()) << opened.status().detail();
  EXPECT_EQ(*opened, parts_);
}

TEST_F(SealedStreamTest, TwoStreamsOfTheSameTextUnderOneKeyDiffer) {
  Sealed first = SealParts(key_);
  Sealed second = SealParts(key_);
  EXPECT_NE(first.header, second.header);
  EXPECT_NE(first.chunks, second.chunks);
}

TEST_F(SealedStreamTest, EveryKindOfDamageFailsToOpen) {
  const Sealed good = SealParts(key_);
  struct Case {
    std::string name;
    Sealed sealed;
    StatusCode code;
  };
  std::vector<Case> cases;
  for (size_t chunk = 0; chunk < good.chunks.size(); ++chunk) {
    for (size_t at : {size_t{0}, good.chunks[chunk].size() / 2, good.chunks[chunk].size() - 1}) {
      Sealed flipped = good;
      flipped.chunks[chunk][at] ^= 0x01;
      cases.push_back(
          {"a flipped byte in chunk " + std::to_string(chunk) + " at " + std::to_string(at),
           flipped, StatusCode::kAuthFailed});
    }
  }
  Sealed header = good;
  header.header[3] ^= 0x80;
  cases.push_back({"a flipped byte in the header", header, StatusCode::kAuthFailed});
  Sealed truncated = good;
  truncated.chunks.pop_back();
  cases.push_back({"the final chunk dropped", truncated, StatusCode::kCorruption});
  Sealed cut = good;
  cut.chunks.back().resize(cut.chunks.back().size() - 1);
  cases.push_back({"the final chunk cut by a byte", cut, StatusCode::kAuthFailed});
  Sealed stub = good;
  stub.chunks.back().resize(kOverheadBytes - 1);
  cases.push_back({"a chunk shorter than its tag", stub, StatusCode::kCorruption});
  Sealed reordered = good;
  std::swap(reordered.chunks[0], reordered.chunks[1]);
  cases.push_back({"two chunks swapped", reordered, StatusCode::kAuthFailed});
  Sealed repeated = good;
  repeated.chunks.insert(repeated.chunks.begin() + 1, good.chunks[0]);
  cases.push_back({"a chunk repeated", repeated, StatusCode::kAuthFailed});
  Sealed dropped = good;
  dropped.chunks.erase(dropped.chunks.begin() + 1);
  cases.push_back({"a middle chunk dropped", dropped, StatusCode::kAuthFailed});
  Sealed extra = good;
  extra.chunks.push_back(good.chunks[2]);
  cases.push_back({"a chunk after the final one", extra, StatusCode::kCorruption});
  const Sealed other = SealParts(key_);
  Sealed spliced = good;
  spliced.chunks[1] = other.chunks[1];
  cases.push_back(
      {"a chunk of another stream under the same key", spliced, StatusCode::kAuthFailed});

  for (const Case& c : cases) {
    Result<std::vector<Bytes>> opened = OpenAll(key_, c.sealed, ad_);
    ASSERT_FALSE(opened.ok()) << c.name;
    EXPECT_EQ(opened.status().code(), c.code) << c.name;
  }
}

TEST_F(SealedStreamTest, TheWrongKeyOrAssociatedDataFailsAtTheFirstChunk) {
  const Sealed sealed = SealParts(key_);
  Result<std::vector<Bytes>> wrong_key = OpenAll(RandomSecret(kKeyBytes), sealed, ad_);
  ASSERT_FALSE(wrong_key.ok());
  EXPECT_EQ(wrong_key.status().code(), StatusCode::kAuthFailed);
  Result<std::vector<Bytes>> wrong_ad = OpenAll(key_, sealed, BytesOf("another header"));
  ASSERT_FALSE(wrong_ad.ok());
  EXPECT_EQ(wrong_ad.status().code(), StatusCode::kAuthFailed);
}

TEST_F(SealedStreamTest, MisuseIsRefused) {
  EXPECT_EQ(Writer::Start(RandomSecret(16)).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Reader::Start(RandomSecret(16), Bytes(kHeaderBytes)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Reader::Start(key_, Bytes(kHeaderBytes - 1)).status().code(), StatusCode::kCorruption);
  Result<Writer> writer = Writer::Start(key_);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->Seal(parts_[0], ad_, /*final=*/true).ok());
  EXPECT_EQ(writer->Seal(parts_[1], ad_, false).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SealedStreamTest, AnEmptyFinalChunkIsAStream) {
  Result<Writer> writer = Writer::Start(key_);
  ASSERT_TRUE(writer.ok());
  Result<Bytes> only = writer->Seal({}, ad_, /*final=*/true);
  ASSERT_TRUE(only.ok());
  Sealed sealed{Bytes(writer->header().begin(), writer->header().end()), {*only}};
  Result<std::vector<Bytes>> opened = OpenAll(key_, sealed, ad_);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, std::vector<Bytes>{Bytes()});
}

}  // namespace
}  // namespace attune::crypto::sealed_stream
