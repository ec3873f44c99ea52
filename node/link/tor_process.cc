#include "node/link/tor_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <sstream>

#include "tor/control.h"
#include "tor/socks5.h"
#include "tor/torrc.h"

extern char** environ;

namespace attune::node::link_io {
namespace {

constexpr char kTorrcName[] = "torrc";
constexpr char kControlPortName[] = "control-port";
constexpr char kCookieName[] = "control-cookie";
constexpr size_t kCookieBytes = 32;
constexpr size_t kOutputLinesKept = 12;
constexpr size_t kEventsKept = 256;

Status TorError(StatusCode code, tor::TorReason reason, std::string detail) {
  switch (code) {
    case StatusCode::kNotFound:
      return Status::NotFound(std::move(detail)).WithReason(reason);
    case StatusCode::kTimedOut:
      return Status::TimedOut(std::move(detail)).WithReason(reason);
    case StatusCode::kProtocolError:
      return Status::ProtocolError(std::move(detail)).WithReason(reason);
    default:
      return Status::Unreachable(std::move(detail)).WithReason(reason);
  }
}

Status Refused(const tor::ControlEvent& event) {
  return TorError(StatusCode::kProtocolError, tor::TorReason::kControlRefused,
                  "tor refused a command with status " + std::to_string(event.status));
}

Result<std::string> ReadSmallFile(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + path);
  std::string content(limit + 1, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<size_t>(in.gcount()));
  if (content.size() > limit) return Status::ProtocolError(path + " is too large");
  return content;
}

Status WritePrivateFile(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  const ssize_t written = ::write(fd, content.data(), content.size());
  const bool closed = ::close(fd) == 0;
  if (written != static_cast<ssize_t>(content.size()) || !closed) {
    return Status::IoError("cannot write " + path);
  }
  return Status::Ok();
}

Status MakePrivateFolder(const std::string& folder) {
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::IoError("cannot make " + folder + ": " + std::strerror(errno));
  }
  if (::chmod(folder.c_str(), 0700) != 0) {
    return Status::IoError("cannot restrict " + folder + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

void MarkOnionPublished(const std::string& tor_folder, const std::string& address) {
  (void)WritePrivateFile(tor_folder + "/" + kPublishedMarkName, address + "\n");
}

void ClearOnionPublished(const std::string& tor_folder) {
  ::unlink((tor_folder + "/" + kPublishedMarkName).c_str());
}

Result<std::string> FindTorBinary() {
  if (const char* chosen = std::getenv("ATTUNE_TOR"); chosen != nullptr && *chosen != '\0') {
    if (::access(chosen, X_OK) == 0) return std::string(chosen);
    return TorError(StatusCode::kNotFound, tor::TorReason::kNotInstalled, "ATTUNE_TOR");
  }
  const char* path = std::getenv("PATH");
  std::stringstream folders(std::string(path != nullptr ? path : "") + ":/usr/sbin:/usr/bin");
  for (std::string folder; std::getline(folders, folder, ':');) {
    if (folder.empty() || folder.front() != '/') continue;  // never the current folder
    const std::string candidate = folder + "/tor";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return TorError(StatusCode::kNotFound, tor::TorReason::kNotInstalled, "no tor binary");
}

struct TorProcess::Impl {
  explicit Impl(asio::any_io_executor executor)
      : output(executor), watch(executor), control(executor), changed(executor) {}

  asio::posix::stream_descriptor output;  // tor's standard output and error
  asio::posix::stream_descriptor watch;   // inotify on the tor folder
  tcp::socket control;
  Wakeup changed;  // notified whenever anything below changes
  tor::Controller controller;
  std::string folder;
  pid_t pid = -1;
  bool exited = false;
  std::deque<std::string> last_lines;  // tor's last lines of output, for diagnostics
  std::string partial_line;
  bool control_file_written = false;
  bool cookie_written = false;  // tor may write it after the control port file
  Status control_error;
  uint64_t sent = 0;                              // commands written
  uint64_t answered = 0;                          // answers read
  std::map<uint64_t, tor::ControlEvent> answers;  // by the command's number, until taken
  std::deque<tor::ControlEvent> events;           // asynchronous events, until taken
  std::function<void(int)> on_progress;
  int percent = 0;

  std::string Path(const char* name) const { return folder + "/" + name; }
  std::string LastLines() const {
    std::string lines;
    for (const std::string& line : last_lines) lines += line + "\n";
    return lines;
  }
  void TakeOutput(const char* data, size_t size);
  void TakeInotify(const char* data, size_t size);
  void TakeEvent(tor::ControlEvent event);
};

void TorProcess::Impl::TakeOutput(const char* data, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    if (data[i] != '\n') {
      if (partial_line.size() < 1024) partial_line.push_back(data[i]);
      continue;
    }
    last_lines.push_back(std::exchange(partial_line, {}));
    if (last_lines.size() > kOutputLinesKept) last_lines.pop_front();
  }
}

void TorProcess::Impl::TakeInotify(const char* data, size_t size) {
  for (size_t at = 0; at + sizeof(inotify_event) <= size;) {
    inotify_event event;
    std::memcpy(&event, data + at, sizeof event);
    const std::string name = event.len > 0 ? std::string(data + at + sizeof event) : "";
    if (name == kControlPortName) control_file_written = true;
    if (name == kCookieName) cookie_written = true;
    at += sizeof event + event.len;
  }
}

void TorProcess::Impl::TakeEvent(tor::ControlEvent event) {
  if (event.kind == tor::ControlEvent::Kind::kBootstrap && event.percent > percent) {
    percent = event.percent;
    if (on_progress) on_progress(percent);
  }
  if (event.answer) {
    answers.emplace(answered++, std::move(event));
  } else if (event.kind != tor::ControlEvent::Kind::kBootstrap) {
    events.push_back(std::move(event));
    if (events.size() > kEventsKept) events.pop_front();  // nobody is waiting for the oldest
  }
}

namespace {

Task<void> ReadOutput(std::shared_ptr<TorProcess::Impl> impl) {
  std::array<char, 4096> buffer{};
  for (;;) {
    boost::system::error_code error;
    const size_t size = co_await impl->output.async_read_some(
        asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, error));
    if (error) break;
    impl->TakeOutput(buffer.data(), size);
  }
  impl->exited = true;  // tor closed its output: it is gone, or going
  impl->changed.Notify();
}

Task<void> WatchFolder(std::shared_ptr<TorProcess::Impl> impl) {
  alignas(inotify_event) std::array<char, 4096> buffer{};
  while (impl->watch.is_open()) {
    boost::system::error_code error;
    const size_t size = co_await impl->watch.async_read_some(
        asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return;
    impl->TakeInotify(buffer.data(), size);
    impl->changed.Notify();
  }
}

Task<void> ReadControl(std::shared_ptr<TorProcess::Impl> impl) {
  std::array<uint8_t, 4096> buffer{};
  for (;;) {
    boost::system::error_code error;
    const size_t size = co_await impl->control.async_read_some(
        asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      impl->control_error = Status::Unreachable("tor closed its control connection");
      break;
    }
    Result<std::vector<tor::ControlEvent>> events =
        impl->controller.Receive(ByteSpan(buffer.data(), size));
    if (!events.ok()) {
      impl->control_error = events.status();
      break;
    }
    for (tor::ControlEvent& event : *events) impl->TakeEvent(std::move(event));
    impl->changed.Notify();
  }
  impl->changed.Notify();
}

// Starts tor with `torrc`, its output into a pipe read by ReadOutput. Returns its pid.
Result<pid_t> Spawn(const std::string& binary, const std::string& torrc, int& output_fd) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return Status::IoError("pipe");
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
  ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> args = {binary, "-f", torrc, "--defaults-torrc", "/dev/null"};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (spawned != 0) {
    ::close(out[0]);
    return TorError(StatusCode::kNotFound, tor::TorReason::kNotInstalled, std::strerror(spawned));
  }
  output_fd = out[0];
  return pid;
}

}  // namespace

TorProcess::TorProcess(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

TorProcess::~TorProcess() {
  Stop();
}

void TorProcess::Stop() {
  if (!impl_) return;
  boost::system::error_code ignored;
  impl_->control.close(ignored);  // TAKEOWNERSHIP: tor exits when its owner's connection closes
  impl_->watch.close(ignored);
  impl_->changed.Notify();
  if (impl_->pid <= 0) return;  // attached to serve's tor: it runs on
  ::kill(impl_->pid, SIGTERM);
  int status = 0;
  while (::waitpid(impl_->pid, &status, 0) < 0 && errno == EINTR) {
  }
  impl_->pid = -1;
  impl_->output.close(ignored);
  impl_->changed.Notify();
}

Task<Result<std::shared_ptr<TorProcess>>> TorProcess::Start(TorStartOptions options) {
  asio::any_io_executor executor = co_await asio::this_coro::executor;
  Result<std::string> binary = FindTorBinary();
  if (!binary.ok()) co_return binary.status();
  auto impl = std::make_shared<Impl>(executor);
  impl->folder = options.folder;
  impl->on_progress = std::move(options.on_progress);
  ATTUNE_CO_RETURN_IF_ERROR(MakePrivateFolder(impl->folder));
  // Files left by an earlier tor: only this tor's own may be read.
  ::unlink(impl->Path(kControlPortName).c_str());
  ::unlink(impl->Path(kCookieName).c_str());
  tor::TorrcOptions torrc{impl->folder, impl->Path(kControlPortName), impl->Path(kCookieName),
                          static_cast<int>(::getpid()), options.extra_torrc};
  Result<std::string> text = tor::ComposeTorrc(torrc);
  if (!text.ok()) co_return text.status();
  ATTUNE_CO_RETURN_IF_ERROR(WritePrivateFile(impl->Path(kTorrcName), *text));

  // The watch before the process, so the control port file cannot be written unseen.
  const int watch_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (watch_fd < 0) co_return Status::IoError(std::string("inotify: ") + std::strerror(errno));
  impl->watch.assign(watch_fd);
  if (::inotify_add_watch(watch_fd, impl->folder.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
    co_return Status::IoError(std::string("inotify: ") + std::strerror(errno));
  }
  int output_fd = -1;
  Result<pid_t> pid = Spawn(*binary, impl->Path(kTorrcName), output_fd);
  if (!pid.ok()) co_return pid.status();
  impl->pid = *pid;
  impl->output.assign(output_fd);
  std::shared_ptr<TorProcess> process(new TorProcess(impl));
  asio::co_spawn(executor, ReadOutput(impl), asio::detached);
  asio::co_spawn(executor, WatchFolder(impl), asio::detached);

  const TimePoint started = SteadyLinkClock().Now();
  while (!(impl->control_file_written && impl->cookie_written) && !impl->exited) {
    if (co_await WaitUntil(SteadyLinkClock(), started + options.start_timeout, impl->changed)) {
      co_return TorError(StatusCode::kTimedOut, tor::TorReason::kBootstrapTimedOut,
                         "no control port\n" + impl->LastLines());
    }
  }
  if (impl->exited) {
    co_return TorError(StatusCode::kUnreachable, tor::TorReason::kExitedEarly, impl->LastLines());
  }
  ATTUNE_CO_RETURN_IF_ERROR(
      co_await process->OpenControl(/*take_ownership=*/true, options.start_timeout));

  const TimePoint bootstrap_deadline = SteadyLinkClock().Now() + options.bootstrap_timeout;
  while (impl->percent < 100) {
    if (impl->exited || !impl->control_error.ok()) {
      co_return TorError(StatusCode::kUnreachable, tor::TorReason::kExitedEarly, impl->LastLines());
    }
    if (co_await WaitUntil(SteadyLinkClock(), bootstrap_deadline, impl->changed)) {
      co_return TorError(StatusCode::kTimedOut, tor::TorReason::kBootstrapTimedOut,
                         "bootstrap stopped at " + std::to_string(impl->percent) + "%");
    }
  }
  process->percent_ = impl->percent;
  co_return process;
}

bool TorProcess::attached() const {
  return impl_->pid <= 0;
}

Task<Status> TorProcess::OpenControl(bool take_ownership, Duration step) {
  std::shared_ptr<Impl> impl = impl_;
  asio::any_io_executor executor = co_await asio::this_coro::executor;
  Result<std::string> port_file = ReadSmallFile(impl->Path(kControlPortName), 256);
  if (!port_file.ok()) co_return port_file.status();
  Result<uint16_t> control_port = tor::ParseControlPortFile(*port_file);
  if (!control_port.ok()) co_return control_port.status();
  boost::system::error_code error;
  co_await impl->control.async_connect(
      tcp::endpoint(asio::ip::address_v4::loopback(), *control_port),
      asio::redirect_error(asio::use_awaitable, error));
  if (error) co_return Status::Unreachable("tor's control port: " + error.message());
  asio::co_spawn(executor, ReadControl(impl), asio::detached);

  Result<std::string> cookie_text = ReadSmallFile(impl->Path(kCookieName), kCookieBytes);
  if (!cookie_text.ok()) co_return cookie_text.status();
  crypto::SecureBytes cookie = crypto::SecureBytes::CopyOf(AsBytes(*cookie_text));
  crypto::Wipe(*cookie_text);
  Result<tor::ControlEvent> answer =
      co_await Command([&](tor::Controller& c) { c.Authenticate(cookie.span()); },
                       tor::Command::kAuthenticate, step);
  if (!answer.ok()) co_return answer.status();
  for (tor::Command command : {tor::Command::kTakeOwnership, tor::Command::kSubscribeEvents,
                               tor::Command::kAskSocksListener, tor::Command::kAskBootstrap}) {
    if (command == tor::Command::kTakeOwnership && !take_ownership) continue;
    answer = co_await Command(
        [command](tor::Controller& c) {
          if (command == tor::Command::kTakeOwnership) c.TakeOwnership();
          if (command == tor::Command::kSubscribeEvents) c.SubscribeEvents();
          if (command == tor::Command::kAskSocksListener) c.AskSocksListener();
          if (command == tor::Command::kAskBootstrap) c.AskBootstrap();
        },
        command, step);
    if (!answer.ok()) co_return answer.status();
    if (command == tor::Command::kAskSocksListener) socks_port_ = answer->port;
  }
  co_return Status::Ok();
}

Task<Result<std::shared_ptr<TorProcess>>> TorProcess::Attach(std::string folder, Duration step) {
  asio::any_io_executor executor = co_await asio::this_coro::executor;
  auto impl = std::make_shared<Impl>(executor);
  impl->folder = std::move(folder);
  std::shared_ptr<TorProcess> process(new TorProcess(impl));
  ATTUNE_CO_RETURN_IF_ERROR(co_await process->OpenControl(/*take_ownership=*/false, step));
  if (impl->percent < 100) {
    co_return TorError(StatusCode::kUnreachable, tor::TorReason::kBootstrapTimedOut,
                       "serve's tor has not bootstrapped");
  }
  process->percent_ = impl->percent;
  co_return process;
}

Task<Result<std::shared_ptr<TorProcess>>> TorProcess::StartOrAttach(TorStartOptions options) {
  if (options.attach_to_running) {
    Result<std::shared_ptr<TorProcess>> attached =
        co_await Attach(options.folder, kAttachStepTimeout);
    if (attached.ok()) co_return attached;
  }
  co_return co_await Start(std::move(options));
}

Task<Result<tor::ControlEvent>> TorProcess::Command(std::function<void(tor::Controller&)> queue,
                                                    tor::Command command, Duration timeout) {
  std::shared_ptr<Impl> impl = impl_;
  queue(impl->controller);
  crypto::SecureBytes output = impl->controller.TakeOutput();
  const uint64_t number = impl->sent++;
  boost::system::error_code error;
  co_await asio::async_write(impl->control, asio::buffer(output.data(), output.size()),
                             asio::redirect_error(asio::use_awaitable, error));
  if (error) co_return Status::Unreachable("tor's control port: " + error.message());
  const TimePoint deadline = SteadyLinkClock().Now() + timeout;
  while (!impl->answers.contains(number)) {
    if (!impl->control_error.ok()) co_return impl->control_error;
    if (co_await WaitUntil(SteadyLinkClock(), deadline, impl->changed)) {
      co_return Status::TimedOut("tor did not answer");
    }
  }
  tor::ControlEvent answer = std::move(impl->answers.at(number));
  impl->answers.erase(number);
  if (answer.kind == tor::ControlEvent::Kind::kCommandFailed) co_return Refused(answer);
  if (answer.command != command) co_return Status::Internal("an answer to another command");
  co_return answer;
}

namespace {

// Hands `count` each event about `service_id` as tor reports it and, after each batch, asks
// `verdict` whether the outcome is known. Ends with the control connection's error if it
// breaks, or `timed_out` after `timeout`.
Task<Status> FollowServiceEvents(TorProcess::Impl& impl, const std::string& service_id,
                                 Duration timeout,
                                 const std::function<void(const tor::ControlEvent&)>& count,
                                 const std::function<std::optional<Status>()>& verdict,
                                 Status timed_out) {
  const TimePoint deadline = SteadyLinkClock().Now() + timeout;
  for (;;) {
    while (!impl.events.empty()) {
      const tor::ControlEvent event = std::move(impl.events.front());
      impl.events.pop_front();
      if (event.service_id == service_id) count(event);
    }
    if (std::optional<Status> outcome = verdict()) co_return *outcome;
    if (!impl.control_error.ok()) co_return impl.control_error;
    if (co_await WaitUntil(SteadyLinkClock(), deadline, impl.changed)) co_return timed_out;
  }
}

}  // namespace

Task<Result<std::string>> TorProcess::PublishOnion(const crypto::SecureBytes& key_blob,
                                                   tor::OnionPorts ports,
                                                   std::vector<std::string> authorised,
                                                   Duration timeout) {
  std::shared_ptr<Impl> impl = impl_;
  Status queued = Status::Ok();
  Result<tor::ControlEvent> added = co_await Command(
      [&](tor::Controller& c) { queued = c.AddOnion(key_blob, ports, authorised); },
      tor::Command::kAddOnion, timeout);
  ATTUNE_CO_RETURN_IF_ERROR(queued);
  if (!added.ok()) co_return added.status();
  const std::string service_id = added->service_id;
  // Published once every upload begun has been answered and one succeeded: a partner asking an
  // HSDir whose upload is still under way would be told there is no descriptor (0xF0).
  int started = 0;
  int answered = 0;
  int succeeded = 0;
  const auto count = [&](const tor::ControlEvent& event) {
    using Kind = tor::ControlEvent::Kind;
    started += event.kind == Kind::kOnionUploadStarted ? 1 : 0;
    answered += event.kind == Kind::kOnionUploaded || event.kind == Kind::kOnionUploadFailed;
    succeeded += event.kind == Kind::kOnionUploaded ? 1 : 0;
  };
  const auto verdict = [&]() -> std::optional<Status> {
    if (started == 0 || answered < started) return std::nullopt;
    if (succeeded > 0) return Status::Ok();
    return TorError(StatusCode::kUnreachable, tor::TorReason::kPublishFailed,
                    "every upload of the descriptor failed");
  };
  ATTUNE_CO_RETURN_IF_ERROR(
      co_await FollowServiceEvents(*impl, service_id, timeout, count, verdict,
                                   TorError(StatusCode::kTimedOut, tor::TorReason::kPublishTimedOut,
                                            "no descriptor upload succeeded")));
  co_return service_id;
}

Task<Result<std::string>> TorProcess::Version(Duration timeout) {
  Result<tor::ControlEvent> answer = co_await Command([](tor::Controller& c) { c.AskVersion(); },
                                                      tor::Command::kAskVersion, timeout);
  if (!answer.ok()) co_return answer.status();
  co_return answer->tag;
}

Task<Status> TorProcess::FetchDescriptor(std::string service_id, Duration timeout) {
  std::shared_ptr<Impl> impl = impl_;
  Status queued = Status::Ok();
  Result<tor::ControlEvent> asked =
      co_await Command([&](tor::Controller& c) { queued = c.FetchDescriptor(service_id); },
                       tor::Command::kFetchDescriptor, timeout);
  ATTUNE_CO_RETURN_IF_ERROR(queued);
  if (!asked.ok()) co_return asked.status();
  int requested = 0;
  int failed = 0;
  bool fetched = false;
  std::string last_reason;
  const auto count = [&](const tor::ControlEvent& event) {
    using Kind = tor::ControlEvent::Kind;
    fetched = fetched || event.kind == Kind::kDescriptorFetched;
    requested += event.kind == Kind::kDescriptorRequested ? 1 : 0;
    if (event.kind == Kind::kDescriptorFetchFailed) {
      ++failed;
      last_reason = event.tag;
    }
  };
  const auto verdict = [&]() -> std::optional<Status> {
    if (fetched) return Status::Ok();
    if (failed == 0 || failed < requested) return std::nullopt;
    return TorError(StatusCode::kUnreachable, tor::TorReason::kDescriptorUnavailable,
                    last_reason.empty() ? "FAILED" : last_reason);
  };
  co_return co_await FollowServiceEvents(
      *impl, service_id, timeout, count, verdict,
      TorError(StatusCode::kTimedOut, tor::TorReason::kDescriptorUnavailable, "no HSDir answered"));
}

Task<void> TorProcess::WaitUntilGone() {
  std::shared_ptr<Impl> impl = impl_;
  while (!impl->exited && impl->control_error.ok()) co_await impl->changed.Wait();
}

Task<Status> TorProcess::AddClientAuth(std::string service_id,
                                       const crypto::SecureBytes& private_text, Duration timeout) {
  Status queued = Status::Ok();
  Result<tor::ControlEvent> added = co_await Command(
      [&](tor::Controller& c) { queued = c.AddClientAuth(service_id, private_text); },
      tor::Command::kAddClientAuth, timeout);
  ATTUNE_CO_RETURN_IF_ERROR(queued);
  co_return added.status();
}

Task<Result<tcp::socket>> ConnectThroughTor(asio::any_io_executor executor, uint16_t socks_port,
                                            std::string host, uint16_t port, Duration timeout,
                                            uint8_t* socks_reply) {
  Result<tor::Socks5Connect> made = tor::Socks5Connect::To(host, port);
  if (!made.ok()) co_return made.status();
  tor::Socks5Connect socks = std::move(made).value();
  tcp::socket socket(executor);
  asio::steady_timer deadline(executor, timeout);
  bool expired = false;
  deadline.async_wait([&](boost::system::error_code error) {
    if (error) return;
    expired = true;
    boost::system::error_code ignored;
    socket.close(ignored);
  });
  boost::system::error_code error;
  co_await socket.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), socks_port),
                                asio::redirect_error(asio::use_awaitable, error));
  const Bytes greeting = socks.Start();
  if (!error) {
    co_await asio::async_write(socket, asio::buffer(greeting),
                               asio::redirect_error(asio::use_awaitable, error));
  }
  std::array<uint8_t, 512> buffer{};
  while (!error && !socks.Done()) {
    const size_t size = co_await socket.async_read_some(
        asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, error));
    if (error) break;
    const Status received = socks.Receive(ByteSpan(buffer.data(), size));
    if (socks_reply != nullptr) *socks_reply = socks.reply();
    if (!received.ok()) {
      deadline.cancel();
      co_return received;
    }
    const Bytes request = socks.TakeRequest();
    if (!request.empty()) {
      co_await asio::async_write(socket, asio::buffer(request),
                                 asio::redirect_error(asio::use_awaitable, error));
    }
  }
  deadline.cancel();
  if (expired) co_return Status::TimedOut("tor's SOCKS port did not connect in time");
  if (error) co_return Status::Unreachable("tor's SOCKS port: " + error.message());
  // The initiator speaks first on the link, so nothing may come before it has.
  if (!socks.TakeLeftover().empty()) co_return Status::ProtocolError("bytes before the link");
  co_return std::move(socket);
}

}  // namespace attune::node::link_io
