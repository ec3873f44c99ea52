#include "protocol/frame.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace attune::protocol {
namespace {

Bytes Payload(size_t size, uint8_t seed = 1) {
  Bytes payload(size);
  for (size_t i = 0; i < size; ++i) payload[i] = static_cast<uint8_t>(seed + i * 7);
  return payload;
}

Bytes Text(std::string_view text) {
  ByteSpan bytes = AsBytes(text);
  return Bytes(bytes.begin(), bytes.end());
}

Bytes MustEncode(ByteSpan payload) {
  Result<Bytes> frame = EncodeFrame(payload);
  EXPECT_TRUE(frame.ok()) << frame.status().detail();
  return frame.ok() ? *frame : Bytes();
}

// The encoded frames back to back, as they would arrive on a connection.
Bytes Stream(const std::vector<Bytes>& payloads) {
  Bytes stream;
  for (const Bytes& payload : payloads) {
    Bytes frame = MustEncode(payload);
    stream.insert(stream.end(), frame.begin(), frame.end());
  }
  return stream;
}

// Feeds `bytes` and appends the completed frames to `out`; fails the test on an error.
void FeedOk(FrameDecoder& decoder, ByteSpan bytes, std::vector<Bytes>& out) {
  Result<std::vector<Bytes>> frames = decoder.Feed(bytes);
  ASSERT_TRUE(frames.ok()) << frames.status().detail();
  out.insert(out.end(), frames->begin(), frames->end());
}

TEST(EncodeFrameTest, WritesBigEndianLengthThenPayload) {
  Bytes payload = Payload(0x0102);
  Bytes frame = MustEncode(payload);
  ASSERT_EQ(frame.size(), 2 + payload.size());
  EXPECT_EQ(frame[0], 0x01);
  EXPECT_EQ(frame[1], 0x02);
  EXPECT_EQ(Bytes(frame.begin() + 2, frame.end()), payload);
}

TEST(EncodeFrameTest, RejectsEmptyPayload) {
  Result<Bytes> frame = EncodeFrame(ByteSpan());
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.status().code(), StatusCode::kInvalidArgument);
}

TEST(EncodeFrameTest, AcceptsMaximumAndRejectsOneMore) {
  Result<Bytes> largest = EncodeFrame(Payload(kMaxFrameBytes));
  ASSERT_TRUE(largest.ok());
  EXPECT_EQ(largest->at(0), 0xff);
  EXPECT_EQ(largest->at(1), 0xff);

  Result<Bytes> too_long = EncodeFrame(Payload(kMaxFrameBytes + 1));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().code(), StatusCode::kInvalidArgument);
}

TEST(FrameDecoderTest, RoundTripsOneFrame) {
  FrameDecoder decoder;
  std::vector<Bytes> frames;
  FeedOk(decoder, MustEncode(Text("hello")), frames);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], Text("hello"));
  EXPECT_FALSE(decoder.HasPartialFrame());
}

TEST(FrameDecoderTest, SeveralFramesInOneFeed) {
  std::vector<Bytes> payloads = {Text("a"), Payload(300, 9), Text("third")};
  FrameDecoder decoder;
  std::vector<Bytes> frames;
  FeedOk(decoder, Stream(payloads), frames);
  EXPECT_EQ(frames, payloads);
  EXPECT_FALSE(decoder.HasPartialFrame());
}

TEST(FrameDecoderTest, SameFramesWhateverTheSplitPoint) {
  // 300 bytes makes the high length byte non-zero, so a wrong byte order would show.
  std::vector<Bytes> payloads = {Text("x"), Payload(300, 3), Text("end")};
  Bytes stream = Stream(payloads);
  for (size_t split = 0; split <= stream.size(); ++split) {
    SCOPED_TRACE(split);
    FrameDecoder decoder;
    std::vector<Bytes> frames;
    FeedOk(decoder, ByteSpan(stream).first(split), frames);
    FeedOk(decoder, ByteSpan(stream).subspan(split), frames);
    EXPECT_EQ(frames, payloads);
    EXPECT_FALSE(decoder.HasPartialFrame());
  }
}

TEST(FrameDecoderTest, OneByteAtATime) {
  std::vector<Bytes> payloads = {Payload(2, 5), Payload(258, 6)};
  Bytes stream = Stream(payloads);
  FrameDecoder decoder;
  std::vector<Bytes> frames;
  for (size_t i = 0; i < stream.size(); ++i) {
    FeedOk(decoder, ByteSpan(stream).subspan(i, 1), frames);
    // A frame appears exactly when its last byte arrives.
    EXPECT_EQ(frames.size(), i + 1 < 4 ? 0u : (i + 1 < stream.size() ? 1u : 2u)) << i;
  }
  EXPECT_EQ(frames, payloads);
}

TEST(FrameDecoderTest, AcceptsMaximumLength) {
  Bytes payload = Payload(kMaxFrameBytes, 42);
  FrameDecoder decoder;
  std::vector<Bytes> frames;
  FeedOk(decoder, MustEncode(payload), frames);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], payload);
}

TEST(FrameDecoderTest, HeaderOnlyYieldsNoFrameUntilPayloadArrives) {
  FrameDecoder decoder;
  std::vector<Bytes> frames;
  FeedOk(decoder, Bytes{0x00}, frames);
  EXPECT_TRUE(frames.empty());
  EXPECT_TRUE(decoder.HasPartialFrame());
  FeedOk(decoder, Bytes{0x03}, frames);
  EXPECT_TRUE(frames.empty());
  EXPECT_TRUE(decoder.HasPartialFrame());
  FeedOk(decoder, Text("ab"), frames);
  EXPECT_TRUE(frames.empty());
  FeedOk(decoder, Text("c"), frames);
  EXPECT_EQ(frames, std::vector<Bytes>{Text("abc")});
  EXPECT_FALSE(decoder.HasPartialFrame());
}

TEST(FrameDecoderTest, EmptyFeedIsHarmless) {
  FrameDecoder decoder;
  std::vector<Bytes> frames;
  FeedOk(decoder, ByteSpan(), frames);
  EXPECT_TRUE(frames.empty());
  EXPECT_FALSE(decoder.HasPartialFrame());
}

TEST(FrameDecoderTest, ZeroLengthIsCorruption) {
  FrameDecoder decoder;
  Result<std::vector<Bytes>> frames = decoder.Feed(Bytes{0x00, 0x00});
  ASSERT_FALSE(frames.ok());
  EXPECT_EQ(frames.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(frames.status().detail(), "zero-length frame");
  EXPECT_TRUE(decoder.poisoned());
}

TEST(FrameDecoderTest, ZeroLengthAfterGoodFramesFailsTheWholeFeed) {
  Bytes stream = Stream({Text("ok")});
  stream.insert(stream.end(), {0x00, 0x00});
  FrameDecoder decoder;
  Result<std::vector<Bytes>> frames = decoder.Feed(stream);
  ASSERT_FALSE(frames.ok());
  EXPECT_EQ(frames.status().code(), StatusCode::kCorruption);
}

TEST(FrameDecoderTest, PoisonedAfterError) {
  FrameDecoder decoder;
  // The zero header arrives split, so poisoning also works across calls.
  ASSERT_TRUE(decoder.Feed(Bytes{0x00}).ok());
  Result<std::vector<Bytes>> first = decoder.Feed(Bytes{0x00});
  ASSERT_FALSE(first.ok());
  for (const Bytes& more : {Stream({Text("valid")}), Bytes()}) {
    Result<std::vector<Bytes>> again = decoder.Feed(more);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.status().code(), first.status().code());
    EXPECT_EQ(again.status().detail(), first.status().detail());
  }
  EXPECT_TRUE(decoder.poisoned());
}

}  // namespace
}  // namespace attune::protocol
