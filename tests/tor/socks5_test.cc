// SOCKS5 connect by host name (tor/socks5.h), against bytes as tor's SOCKS port writes them.
#include "tor/socks5.h"

#include <gtest/gtest.h>

#include "tests/common/status_assertions.h"
#include "tor/control.h"

namespace attune::tor {
namespace {

constexpr std::string_view kHost = "abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefab.onion";

Socks5Connect Connect() {
  Result<Socks5Connect> made = Socks5Connect::To(kHost, 9878);
  EXPECT_TRUE(made.ok());
  return std::move(made).value();
}

Bytes Reply(uint8_t code) {
  return {0x05, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
}

TEST(Socks5Test, GreetingRequestAndStreamBytesAfterTheReply) {
  Socks5Connect connect = Connect();
  EXPECT_EQ(connect.Start(), (Bytes{0x05, 0x01, 0x00}));
  EXPECT_TRUE(connect.TakeRequest().empty());
  ASSERT_OK(connect.Receive(Bytes{0x05}));
  EXPECT_TRUE(connect.TakeRequest().empty());  // the method choice is not complete
  ASSERT_OK(connect.Receive(Bytes{0x00}));
  const Bytes request = connect.TakeRequest();
  ASSERT_EQ(request.size(), 5 + kHost.size() + 2);
  EXPECT_EQ(Bytes(request.begin(), request.begin() + 5),
            (Bytes{0x05, 0x01, 0x00, 0x03, static_cast<uint8_t>(kHost.size())}));
  EXPECT_EQ(std::string(request.begin() + 5, request.end() - 2), kHost);
  EXPECT_EQ(request[request.size() - 2], 9878 >> 8);
  EXPECT_EQ(request.back(), 9878 & 0xff);

  Bytes reply = Reply(0x00);
  reply.insert(reply.end(), {'h', 'i'});
  ASSERT_OK(connect.Receive(ByteSpan(reply).first(7)));
  EXPECT_FALSE(connect.Done());
  ASSERT_OK(connect.Receive(ByteSpan(reply).subspan(7)));
  ASSERT_TRUE(connect.Done());
  ASSERT_OK(connect.Receive(Bytes{'!'}));
  EXPECT_EQ(connect.TakeLeftover(), (Bytes{'h', 'i', '!'}));
}

TEST(Socks5Test, TorsExtendedErrorsAreReportedByCode) {
  for (uint8_t code : {0x01, 0x04, 0xF0, 0xF4, 0xF5, 0xF6}) {
    Socks5Connect connect = Connect();
    ASSERT_OK(connect.Receive(Bytes{0x05, 0x00}));
    const Status refused = connect.Receive(Reply(code));
    EXPECT_EQ(refused.code(), StatusCode::kUnreachable);
    EXPECT_TRUE(refused.Is(TorReason::kSocksRefused));
    EXPECT_EQ(connect.reply(), code);
    EXPECT_FALSE(connect.Done());
    EXPECT_EQ(connect.Receive(Bytes{0}).code(), StatusCode::kUnreachable);  // stays failed
  }
  EXPECT_EQ(SocksReplyName(0xF4), "missing_client_auth");
  EXPECT_EQ(SocksReplyName(0x42), "unknown");
}

TEST(Socks5Test, DomainAndIpv6RepliesAreReadToTheirEnd) {
  Socks5Connect domain = Connect();
  ASSERT_OK(domain.Receive(Bytes{0x05, 0x00, 0x05, 0x00, 0x00, 0x03, 0x02, 'a', 'b', 0, 1, 'x'}));
  ASSERT_TRUE(domain.Done());
  EXPECT_EQ(domain.TakeLeftover(), (Bytes{'x'}));
  Socks5Connect ipv6 = Connect();
  Bytes reply = {0x05, 0x00, 0x05, 0x00, 0x00, 0x04};
  reply.resize(reply.size() + 16 + 2, 0);
  ASSERT_OK(ipv6.Receive(reply));
  EXPECT_TRUE(ipv6.Done());
}

TEST(Socks5Test, RefusesWhatIsNotSocks5) {
  Socks5Connect wants_password = Connect();
  EXPECT_EQ(wants_password.Receive(Bytes{0x05, 0x02}).code(), StatusCode::kProtocolError);
  Socks5Connect socks4 = Connect();
  EXPECT_EQ(socks4.Receive(Bytes{0x04, 0x00}).code(), StatusCode::kProtocolError);
  Socks5Connect odd_type = Connect();
  EXPECT_EQ(odd_type.Receive(Bytes{0x05, 0x00, 0x05, 0x00, 0x00, 0x09, 0}).code(),
            StatusCode::kProtocolError);
  EXPECT_CODE(Socks5Connect::To("", 1), kInvalidArgument);
  EXPECT_CODE(Socks5Connect::To(std::string(256, 'a'), 1), kInvalidArgument);
  EXPECT_CODE(Socks5Connect::To("host", 0), kInvalidArgument);
}

}  // namespace
}  // namespace attune::tor
