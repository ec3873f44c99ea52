// attune's own tor (node/link/tor_process.h) on the suite's private Tor network (the
// onion_network fixture, tests/onion/README.md): two tors started as attune starts them, one
// publishing an onion service in front of a listener on 127.0.0.1, the other connecting to it
// through its SOCKS port. Every wait is an event with a deadline; nothing sleeps.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "crypto/onion.h"
#include "crypto/sodium.h"
#include "node/link/tor_process.h"
#include "tests/common/files.h"
#include "tor/socks5.h"

namespace attune::onion_testing {
namespace {

namespace asio = node::link_io::asio;
using node::link_io::ConnectThroughTor;
using node::link_io::Task;
using node::link_io::tcp;
using node::link_io::TorProcess;
using node::link_io::TorStartOptions;

constexpr uint16_t kVirtualPort = 9878;

std::string ClientTorrc() {
  std::ifstream in(std::string(ATTUNE_ONION_NETWORK_DIR) + "/client.torrc");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Task<void> EchoOnce(tcp::acceptor& acceptor) {
  boost::system::error_code error;
  tcp::socket socket =
      co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
  if (error) co_return;
  std::array<uint8_t, 5> buffer{};
  co_await asio::async_read(socket, asio::buffer(buffer),
                            asio::redirect_error(asio::use_awaitable, error));
  if (error) co_return;
  co_await asio::async_write(socket, asio::buffer(buffer),
                             asio::redirect_error(asio::use_awaitable, error));
}

class TorProcessOnionTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::Init().ok()); }

  TorStartOptions Options(const std::string& name) {
    TorStartOptions options;
    options.folder = temp_.File(name);
    options.extra_torrc = ClientTorrc();
    return options;
  }

  // Starts the service side's tor (a_, its bootstrap percentages in progress_), with a listener
  // that echoes one message, and the client side's (b_).
  Task<Status> StartBoth() {
    asio::any_io_executor executor = co_await asio::this_coro::executor;
    TorStartOptions service_side = Options("a");
    service_side.on_progress = [this](int percent) { progress_.push_back(percent); };
    Result<std::shared_ptr<TorProcess>> a = co_await TorProcess::Start(service_side);
    if (!a.ok()) co_return a.status();
    Result<std::shared_ptr<TorProcess>> b = co_await TorProcess::Start(Options("b"));
    if (!b.ok()) co_return b.status();
    a_ = *a;
    b_ = *b;
    acceptor_.emplace(executor, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    asio::co_spawn(executor, EchoOnce(*acceptor_), asio::detached);
    co_return Status::Ok();
  }

  // Runs `body` until it finishes, and returns its status. The tors stay up (their readers keep
  // io_ busy) until the test ends: the members below go first, then io_.
  template <typename Body>
  Status RunToTheEnd(Body body) {
    std::optional<Status> outcome;
    asio::co_spawn(io_, body(), [&](std::exception_ptr thrown, Status status) {
      outcome = thrown ? Status::Internal("the test coroutine threw") : std::move(status);
      io_.stop();
    });
    io_.run();
    return outcome.value_or(Status::Internal("the test coroutine never finished"));
  }

  tor::OnionPorts Ports() const { return {kVirtualPort, acceptor_->local_endpoint().port()}; }

  // Connects from b_ to `service` and returns what the echo sends back for `message`.
  Task<Result<std::string>> EchoThroughTor(const std::string& service, std::string message,
                                           uint8_t* socks_reply = nullptr) {
    asio::any_io_executor executor = co_await asio::this_coro::executor;
    Result<tcp::socket> socket =
        co_await ConnectThroughTor(executor, b_->socks_port(), service + ".onion", kVirtualPort,
                                   std::chrono::seconds(60), socks_reply);
    if (!socket.ok()) co_return socket.status();
    co_await asio::async_write(*socket, asio::buffer(message), asio::use_awaitable);
    std::string echoed(message.size(), '\0');
    co_await asio::async_read(*socket, asio::buffer(echoed), asio::use_awaitable);
    co_return echoed;
  }

  asio::io_context io_;
  test_common::TempDir temp_;
  std::shared_ptr<TorProcess> a_;
  std::shared_ptr<TorProcess> b_;
  std::optional<tcp::acceptor> acceptor_;
  std::vector<int> progress_;
};

TEST_F(TorProcessOnionTest, OnePublishesAnOnionServiceTheOtherReachesItThroughSocks) {
  Result<std::string> echoed = Status::Internal("not run");
  const Status outcome = RunToTheEnd([&]() -> Task<Status> {
    ATTUNE_CO_RETURN_IF_ERROR(co_await StartBoth());
    const auto fresh_key = crypto::SecureBytes::CopyOf(AsBytes("NEW:ED25519-V3"));
    Result<std::string> service =
        co_await a_->PublishOnion(fresh_key, Ports(), {}, std::chrono::seconds(60));
    if (!service.ok()) co_return service.status();
    echoed = co_await EchoThroughTor(*service, "hello");
    co_return echoed.status();
  });
  ASSERT_TRUE(outcome.ok()) << StatusCodeName(outcome.code()) << ": " << outcome.detail();
  EXPECT_EQ(*echoed, "hello");
  ASSERT_FALSE(progress_.empty());
  EXPECT_EQ(progress_.back(), 100);
  EXPECT_TRUE(std::is_sorted(progress_.begin(), progress_.end()));
  EXPECT_EQ(test_common::FileMode(temp_.File("a")), 0700);
}

// The service's address is the one attune computes from its own key (crypto/onion.h), and only
// a tor holding the authorised client key can even read its descriptor: without it, tor's
// extended SOCKS error says so (0xF4, missing client authorisation), at once rather than by a
// timeout; with it, the connection is made.
TEST_F(TorProcessOnionTest, OnlyTheAuthorisedClientCanReachTheServiceAtTheAddressOfItsKey) {
  const crypto::OnionServiceKey service_key = crypto::OnionServiceKey::Generate();
  const crypto::OnionClientAuthKey client_key = crypto::OnionClientAuthKey::Generate();
  std::string published;
  uint8_t refused_with = 0;
  Status refused = Status::Ok();
  Result<std::string> echoed = Status::Internal("not run");
  const Status outcome = RunToTheEnd([&]() -> Task<Status> {
    ATTUNE_CO_RETURN_IF_ERROR(co_await StartBoth());
    // Named rather than braced in the call: GCC 12 cannot keep an initializer list's array in a
    // coroutine frame.
    std::vector<std::string> authorised;
    authorised.push_back(crypto::ClientAuthPublicText(client_key.public_key()));
    const crypto::SecureBytes key_blob = service_key.ControlPortKeyBlob();
    Result<std::string> service =
        co_await a_->PublishOnion(key_blob, Ports(), authorised, std::chrono::seconds(60));
    if (!service.ok()) co_return service.status();
    published = *service;
    refused = (co_await EchoThroughTor(*service, "early", &refused_with)).status();
    const crypto::SecureBytes client_text = crypto::ClientAuthPrivateText(client_key);
    ATTUNE_CO_RETURN_IF_ERROR(
        co_await b_->AddClientAuth(*service, client_text, std::chrono::seconds(30)));
    echoed = co_await EchoThroughTor(*service, "safe!");
    co_return echoed.status();
  });
  ASSERT_TRUE(outcome.ok()) << StatusCodeName(outcome.code()) << ": " << outcome.detail();
  EXPECT_EQ(published, crypto::OnionAddress(service_key.public_key()));
  EXPECT_EQ(refused.code(), StatusCode::kUnreachable);
  EXPECT_TRUE(refused.Is(tor::TorReason::kSocksRefused));
  EXPECT_EQ(refused_with, static_cast<uint8_t>(tor::SocksReply::kMissingClientAuth));
  EXPECT_EQ(*echoed, "safe!");
}

}  // namespace
}  // namespace attune::onion_testing
