// The page's HTTP server: Boost.Beast over its own io_context, on a thread of its own. Requests
// are read with a bounded parser, checked by the guard (ui_guard.h), and answered by the API
// (ui_api.h) or from the page compiled into the binary. The event stream is server-sent events.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange unincluded

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "base/bytes.h"
#include "crypto/random.h"
#include "node/link/link_change_watch.h"
#include "node/link/link_io.h"
#include "node/ui.h"
#include "node/ui/ui_api.h"
#include "node/ui/ui_guard.h"
#include "node/ui/ui_page.h"
#include "node/ui/ui_pairing.h"

namespace attune::node {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using ui::RouteKind;

// How long a connection may take to send a request (or stay silent between two).
constexpr std::chrono::seconds kRequestTimeout{30};
// An open event stream hears a comment this often, so a page closed without a goodbye is
// noticed by the failed write and its place given back.
constexpr std::chrono::seconds kEventKeepalive{25};
// After the end is decided, a moment for the last answer and the pages' "closing" to go out.
constexpr std::chrono::milliseconds kEndGrace{200};
// How long after the last write to the journal's files the pages' second look comes.
constexpr std::chrono::milliseconds kCommitSettle{50};

// Boost 1.74's Beast speaks boost::string_view; attune speaks std::string_view.
beast::string_view ToBeast(std::string_view text) {
  return {text.data(), text.size()};
}
std::string_view FromBeast(beast::string_view text) {
  return {text.data(), text.size()};
}

std::string_view ContentTypeOf(std::string_view name) {
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".json")) return "application/json";
  return "text/html; charset=utf-8";
}

std::optional<std::string_view> PageFile(std::string_view name) {
  for (const ui::EmbeddedFile& file : ui::kPageFiles) {
    if (file.name == name) return file.text;
  }
  return std::nullopt;
}

using Response = http::response<http::string_body>;

Response MakeResponse(int status, std::string_view content_type, std::string body) {
  Response response{static_cast<http::status>(status), 11};
  for (const auto& [name, value] : ui::SecurityHeaders()) {
    response.set(ToBeast(name), ToBeast(value));
  }
  response.set(http::field::content_type, ToBeast(content_type));
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

// One page's event stream: what is waiting to be written, and a timer to wake its writer.
struct EventClient {
  explicit EventClient(asio::io_context& io) : wake(io) {}
  std::deque<std::string> queue;
  asio::steady_timer wake;
};

}  // namespace

class UiServer::Impl {
 public:
  Impl(Journal journal, UiOptions options)
      : journal_(std::move(journal)),
        api_(journal_),
        options_(std::move(options)),
        acceptor_(io_),
        idle_(io_),
        grace_(io_),
        settle_(io_),
        signals_(io_, SIGINT, SIGTERM),
        pairing_(
            io_, {.listen = options_.pair_listen, .discovery = options_.discovery, .timeouts = {}},
            [this](const nlohmann::json& state) { OnPairingChanged(state); },
            [this](const Status& failure) { return ErrorJson(failure); }) {}

  Status Bind() {
    if (options_.listen.host != "127.0.0.1") {
      return Status::InvalidArgument("not a loopback address: " + options_.listen.host)
          .WithReason(UiReason::kNotLoopback);
    }
    ATTUNE_ASSIGN_OR_RETURN(acceptor_, link_io::Listen(io_, options_.listen));
    port_ = acceptor_.local_endpoint().port();
    const std::string host = "127.0.0.1:" + std::to_string(port_);
    access_ = {.host = host,
               .origin = "http://" + host,
               .token = ToHex(crypto::RandomBytes(32)),
               .session = ToHex(crypto::RandomBytes(32)),
               .cookie_name = "attune_session_" + std::to_string(port_)};
    url_ = "http://" + host + "/?token=" + access_.token;
    return Status::Ok();
  }

  void Run() {
    asio::co_spawn(io_, AcceptLoop(), asio::detached);
    Result<int64_t> version = journal_.DataVersion();
    data_version_ = version.ok() ? *version : 0;
    Result<std::shared_ptr<link_io::DatabaseWatch>> watch = link_io::DatabaseWatch::Start(
        io_.get_executor(), journal_.DatabasePath(), [this] { JournalMayHaveChanged(); });
    if (watch.ok()) watch_ = *watch;
    ArmIdleLock();
    // Ctrl-C ends the page as it ends the link (each has its own wait for the signal).
    signals_.async_wait([this](const boost::system::error_code& error, int) {
      if (!error) End(UiEnd::kStopped);
    });
    thread_ = std::thread([this] {
      io_.run();
      if (options_.on_end) options_.on_end(end_reason_);
      std::lock_guard lock(mutex_);
      ended_ = true;
      ended_changed_.notify_all();
    });
  }

  void Publish(const ServeEvent& event) {
    asio::post(io_, [this, event] { OnLinkEvent(event); });
  }

  void Stop() {
    asio::post(io_, [this] { End(UiEnd::kStopped); });
  }

  UiEnd Wait() {
    std::unique_lock lock(mutex_);
    ended_changed_.wait(lock, [this] { return ended_; });
    return end_reason_;
  }

  void Join() {
    if (thread_.joinable()) thread_.join();
  }

  const std::string& url() const { return url_; }
  uint16_t port() const { return port_; }

 private:
  struct Reply {
    Response response;
    bool events = false;      // answer with the event stream instead
    bool then_close = false;  // end the server once the answer is written
  };

  asio::awaitable<void> AcceptLoop() {
    for (;;) {
      boost::system::error_code error;
      tcp::socket socket =
          co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        if (ending_) co_return;
        continue;
      }
      asio::co_spawn(io_, Connection(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> Connection(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(kUiMaxHeaderBytes);
      parser.body_limit(kUiMaxBodyBytes);
      stream.expires_after(kRequestTimeout);
      boost::system::error_code error;
      co_await http::async_read(stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, error));
      if (error == http::error::header_limit || error == http::error::body_limit) {
        const bool header = error == http::error::header_limit;
        Response response =
            ErrorResponse(header ? 431 : 413,
                          Status::InvalidArgument(header ? "header too large" : "body too large")
                              .WithReason(UiReason::kTooLarge));
        response.keep_alive(false);
        co_await http::async_write(stream, response,
                                   asio::redirect_error(asio::use_awaitable, error));
        break;
      }
      if (error) break;
      Reply reply = Handle(parser.get());
      if (reply.events) {
        co_await EventStream(stream);
        co_return;
      }
      reply.response.keep_alive(parser.get().keep_alive() && !ending_);
      co_await http::async_write(stream, reply.response,
                                 asio::redirect_error(asio::use_awaitable, error));
      if (reply.then_close) End(UiEnd::kClosed);
      if (error || !reply.response.keep_alive()) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  Reply Handle(const http::request<http::string_body>& request) {
    const ui::RequestFacts facts{.method = FromBeast(request.method_string()),
                                 .target = FromBeast(request.target()),
                                 .host = FromBeast(request[http::field::host]),
                                 .origin = FromBeast(request[http::field::origin]),
                                 .cookie = FromBeast(request[http::field::cookie]),
                                 .sec_fetch_site = FromBeast(request["Sec-Fetch-Site"])};
    ui::Decision decision = ui::Check(facts, access_);
    if (!decision.refusal.ok()) return {RefusalResponse(decision)};
    if (decision.route->kind == RouteKind::kEvents) return {.response = {}, .events = true};
    ArmIdleLock();
    switch (decision.route->kind) {
      case RouteKind::kPage: {
        Response response = MakeResponse(200, ContentTypeOf("index.html"),
                                         std::string(PageFile("index.html").value_or("")));
        if (decision.start_session) {
          response.set(http::field::set_cookie, ToBeast(ui::SessionCookie(access_)));
        }
        return {std::move(response)};
      }
      case RouteKind::kAsset:
        return {AssetResponse(decision.path.substr(1))};
      default:
        break;
    }
    if (decision.route->pattern == "/api/close") {
      return {.response = MakeResponse(200, "application/json", R"({"closing":true})"),
              .then_close = true};
    }
    if (decision.route->pattern.starts_with("/api/pairing")) {
      Result<ui::ApiAnswer> answer = AnswerPairing(decision, request.body());
      if (!answer.ok()) return {ErrorResponse(ui::HttpStatusFor(answer.status()), answer.status())};
      return {MakeResponse(answer->status, "application/json", answer->body.dump())};
    }
    const int idle_minutes = static_cast<int>(
        std::chrono::duration_cast<std::chrono::minutes>(options_.idle_lock).count());
    Result<ui::ApiAnswer> answer = api_.Answer(decision, request.body(), link_, idle_minutes);
    if (!answer.ok()) return {ErrorResponse(ui::HttpStatusFor(answer.status()), answer.status())};
    if (decision.route->method != "GET" && options_.on_journal_written) {
      options_.on_journal_written();
    }
    if (decision.route->pattern == "/api/unpair") {
      pairing_.Forget();
      if (options_.on_partner_changed) options_.on_partner_changed();
    }
    return {MakeResponse(answer->status, "application/json", answer->body.dump())};
  }

  // The pairing routes: the state, or a pairing started on a thread of its own (202).
  Result<ui::ApiAnswer> AnswerPairing(const ui::Decision& decision, std::string_view body) {
    const std::string_view pattern = decision.route->pattern;
    if (pattern == "/api/pairing") return ui::ApiAnswer{200, pairing_.State()};
    if (pattern == "/api/pairing/cancel") {
      pairing_.Cancel();
      return ui::ApiAnswer{200, pairing_.State()};
    }
    ATTUNE_ASSIGN_OR_RETURN(Journal own, journal_.OpenAnother());
    if (pattern == "/api/pairing/invite") {
      ATTUNE_RETURN_IF_ERROR(pairing_.Invite(std::move(own)));
      return ui::ApiAnswer{202, pairing_.State()};
    }
    ATTUNE_ASSIGN_OR_RETURN(ui::JoinRequest join, ui::ParseJoinRequest(body));
    ATTUNE_RETURN_IF_ERROR(pairing_.Join(std::move(own), join.code, join.inviter));
    return ui::ApiAnswer{202, pairing_.State()};
  }

  void OnPairingChanged(const nlohmann::json& state) {
    Broadcast("pairing", state);
    if (state.value("state", "") == "paired") {
      if (options_.on_partner_changed) options_.on_partner_changed();
      Broadcast("journal", nlohmann::json::object());
    }
  }

  nlohmann::json ErrorJson(const Status& failure) const {
    return options_.describe_error
               ? options_.describe_error(failure)
               : nlohmann::json{{"error", {{"code", StatusCodeName(failure.code())}}}};
  }

  Response AssetResponse(std::string_view name) {
    if (name == "favicon.ico") return MakeResponse(204, "image/x-icon", "");
    if (name == "wording.json") {
      return MakeResponse(200, ContentTypeOf(name), options_.wording_json);
    }
    return MakeResponse(200, ContentTypeOf(name), std::string(PageFile(name).value_or("")));
  }

  // The page's own "open the address attune ui printed" for a browser without a session; JSON
  // for everything else.
  Response RefusalResponse(const ui::Decision& decision) {
    const int status = ui::HttpStatusFor(decision.refusal);
    if (decision.route && decision.route->kind == RouteKind::kPage &&
        decision.refusal.Is(UiReason::kNoSession)) {
      return MakeResponse(status, ContentTypeOf("no-session.html"),
                          std::string(PageFile("no-session.html").value_or("")));
    }
    return ErrorResponse(status, decision.refusal);
  }

  Response ErrorResponse(int status, const Status& failure) {
    return MakeResponse(status, "application/json", ErrorJson(failure).dump());
  }

  asio::awaitable<void> EventStream(beast::tcp_stream& stream) {
    stream.expires_never();
    http::response<http::empty_body> header{http::status::ok, 11};
    for (const auto& [name, value] : ui::SecurityHeaders()) {
      header.set(ToBeast(name), ToBeast(value));
    }
    header.set(http::field::content_type, "text/event-stream");
    header.keep_alive(false);
    http::response_serializer<http::empty_body> serializer(header);
    boost::system::error_code error;
    co_await http::async_write_header(stream, serializer,
                                      asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return;
    auto client = std::make_shared<EventClient>(io_);
    client->queue.push_back("retry: 2000\n\n");
    clients_.push_back(client);
    while (!error) {
      if (client->queue.empty()) {
        if (ending_) break;
        client->wake.expires_after(kEventKeepalive);
        co_await client->wake.async_wait(asio::redirect_error(asio::use_awaitable, error));
        error = {};
        if (client->queue.empty()) client->queue.push_back(":\n\n");
      }
      std::string text;
      for (const std::string& event : client->queue) text += event;
      client->queue.clear();
      co_await asio::async_write(stream, asio::buffer(text),
                                 asio::redirect_error(asio::use_awaitable, error));
    }
    std::erase(clients_, client);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  void Broadcast(std::string_view name, const nlohmann::json& data) {
    const std::string text = "event: " + std::string(name) + "\ndata: " + data.dump() + "\n\n";
    for (const std::shared_ptr<EventClient>& client : clients_) {
      client->queue.push_back(text);
      client->wake.cancel();
    }
  }

  // A write to the journal's files: another connection (the link thread, or another attune
  // command) may have committed. A commit becomes visible just after its last write to the WAL,
  // and a writer that stays open (the link) closes nothing afterwards, so look now and once
  // more a moment after the last write.
  void JournalMayHaveChanged() {
    LookForChanges();
    settle_.expires_after(kCommitSettle);
    settle_.async_wait([this](const boost::system::error_code& error) {
      if (!error) LookForChanges();
    });
  }

  // The pages look again if another connection committed since the last look. The page's own
  // writes do not move this connection's data_version.
  void LookForChanges() {
    Result<int64_t> version = journal_.DataVersion();
    if (!version.ok() || *version == data_version_) return;
    data_version_ = *version;
    Broadcast("journal", nlohmann::json::object());
  }

  void OnLinkEvent(const ServeEvent& event) {
    sessions_.Apply(event);
    link_.connected = sessions_.connected();
    link_.through_tor = sessions_.through_tor();
    if (options_.describe_event) Broadcast("link", options_.describe_event(event));
  }

  void ArmIdleLock() {
    if (ending_) return;
    idle_.expires_after(options_.idle_lock);
    idle_.async_wait([this](const boost::system::error_code& error) {
      if (!error) End(UiEnd::kIdle);
    });
  }

  void End(UiEnd why) {
    if (ending_) return;
    ending_ = true;
    end_reason_ = why;
    std::string_view reason = "signal";
    if (why == UiEnd::kClosed) reason = "closed";
    if (why == UiEnd::kIdle) reason = "idle";
    Broadcast("closing", {{"reason", reason}});
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    idle_.cancel();
    settle_.cancel();
    signals_.cancel(ignored);
    if (watch_) watch_->Stop();
    grace_.expires_after(kEndGrace);
    grace_.async_wait([this](const boost::system::error_code&) { io_.stop(); });
  }

  asio::io_context io_;
  Journal journal_;
  ui::Api api_;
  UiOptions options_;
  tcp::acceptor acceptor_;
  asio::steady_timer idle_;
  asio::steady_timer grace_;
  asio::steady_timer settle_;
  asio::signal_set signals_;
  // Declared after the loop it posts to, so it is gone (its thread joined) before the loop.
  ui::PairingRun pairing_;
  ui::Access access_;
  std::string url_;
  uint16_t port_ = 0;
  ui::LinkView link_;
  LinkSessions sessions_;  // sessions with the partner under way (OnLinkEvent)
  int64_t data_version_ = 0;
  std::shared_ptr<link_io::DatabaseWatch> watch_;
  std::vector<std::shared_ptr<EventClient>> clients_;
  bool ending_ = false;
  UiEnd end_reason_ = UiEnd::kStopped;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable ended_changed_;
  bool ended_ = false;
};

Result<std::unique_ptr<UiServer>> UiServer::Start(Journal journal, UiOptions options) {
  auto impl = std::make_unique<Impl>(std::move(journal), std::move(options));
  ATTUNE_RETURN_IF_ERROR(impl->Bind());
  impl->Run();
  return std::unique_ptr<UiServer>(new UiServer(std::move(impl)));
}

UiServer::UiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

UiServer::~UiServer() {
  impl_->Stop();
  impl_->Join();
}

const std::string& UiServer::url() const {
  return impl_->url();
}
uint16_t UiServer::port() const {
  return impl_->port();
}
void UiServer::Publish(const ServeEvent& event) {
  impl_->Publish(event);
}
void UiServer::Stop() {
  impl_->Stop();
}
UiEnd UiServer::Wait() {
  return impl_->Wait();
}

}  // namespace attune::node
