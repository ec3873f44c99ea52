// The control protocol's framing and words (tor/control.h), from replies as tor writes them.
#include "tor/control.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/common/status_assertions.h"

namespace attune::tor {
namespace {

Result<std::vector<Reply>> FeedText(ReplyReader& reader, std::string_view text) {
  return reader.Feed(AsBytes(text));
}

TEST(ReplyReaderTest, SplitsRepliesAndEventsWhateverTheSplit) {
  const std::string stream =
      "250-status/bootstrap-phase=NOTICE BOOTSTRAP PROGRESS=100 TAG=done\r\n250 OK\r\n"
      "650 HS_DESC UPLOADED abc UNKNOWN $F00\r\n"
      "250+info=\r\nfirst\r\n..dotted\r\n.\r\n250 OK\r\n";
  for (size_t piece = 1; piece <= stream.size(); ++piece) {
    ReplyReader reader;
    std::vector<Reply> replies;
    for (size_t at = 0; at < stream.size(); at += piece) {
      ASSERT_OK_AND_ASSIGN(std::vector<Reply> got,
                           FeedText(reader, std::string_view(stream).substr(at, piece)));
      replies.insert(replies.end(), got.begin(), got.end());
    }
    ASSERT_EQ(replies.size(), 3u) << "piece " << piece;
    EXPECT_TRUE(replies[0].ok());
    ASSERT_EQ(replies[0].lines.size(), 2u);
    EXPECT_EQ(replies[0].lines[1].text, "OK");
    EXPECT_TRUE(replies[1].is_event());
    EXPECT_EQ(replies[2].lines[0].text, "info=");
    EXPECT_EQ(replies[2].lines[0].data, "first\n.dotted");
  }
}

TEST(ReplyReaderTest, MalformedStreamsPoisonTheReader) {
  for (std::string_view bad : {"25 OK\r\n", "2x0 OK\r\n", "250?OK\r\n", "250-a\r\n251 b\r\n"}) {
    ReplyReader reader;
    EXPECT_CODE(FeedText(reader, bad), kProtocolError) << bad;
    EXPECT_CODE(FeedText(reader, "250 OK\r\n"), kProtocolError) << "poisoned after " << bad;
  }
}

TEST(ReplyReaderTest, BoundsLineAndReplyLength) {
  ReplyReader long_line;
  EXPECT_CODE(FeedText(long_line, "250 " + std::string(kMaxLineBytes, 'a')), kProtocolError);
  ReplyReader many_lines;
  std::string lines;
  for (size_t i = 0; i <= kMaxReplyLines; ++i) lines += "250-x\r\n";
  EXPECT_CODE(FeedText(many_lines, lines), kProtocolError);
}

TEST(WordsTest, PositionalThenKeyedWithQuotedValues) {
  ASSERT_OK_AND_ASSIGN(
      Words words,
      SplitWords(R"(STATUS_CLIENT WARN BOOTSTRAP PROGRESS=5 SUMMARY="Say \"hi\"\\ now" TAG=x)"));
  EXPECT_EQ(words.positional, (std::vector<std::string>{"STATUS_CLIENT", "WARN", "BOOTSTRAP"}));
  EXPECT_EQ(words.Get("PROGRESS"), "5");
  EXPECT_EQ(words.Get("SUMMARY"), "Say \"hi\"\\ now");
  EXPECT_EQ(words.Get("TAG"), "x");
  EXPECT_FALSE(words.Get("REASON"));
  EXPECT_CODE(SplitWords("A=\"never ends"), kProtocolError);
}

TEST(PortsTest, ControlPortFileAndListenersOnLoopbackOnly) {
  ASSERT_OK_AND_ASSIGN(uint16_t port, ParseControlPortFile("PORT=127.0.0.1:41234\n"));
  EXPECT_EQ(port, 41234);
  ASSERT_OK_AND_ASSIGN(uint16_t socks, ParseLoopbackPort("\"127.0.0.1:9050\""));
  EXPECT_EQ(socks, 9050);
  for (std::string_view bad :
       {"PORT=0.0.0.0:41234\n", "PORT=127.0.0.1:0\n", "PORT=127.0.0.1:70000\n",
        "PORT=127.0.0.1:12x\n", "127.0.0.1:5\n", "PORT=127.0.0.1:5\nPORT=127.0.0.1:6\n", ""}) {
    EXPECT_CODE(ParseControlPortFile(bad), kProtocolError) << bad;
  }
}

}  // namespace
}  // namespace attune::tor
