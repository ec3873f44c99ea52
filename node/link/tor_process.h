// Internal to node/: the tor that attune starts for a home, as a child process, and the SOCKS5
// path through it. tor/ holds the protocols (control, SOCKS5, torrc) as pure code; this file
// owns the process, its control connection and the waiting. Only the link's .cc files include
// it.
//
// The process: `tor -f TORRC` with the torrc of tor/torrc.h in the home's tor folder (0700),
// which also holds tor's data. tor chooses its control and SOCKS ports on 127.0.0.1; the control
// port is read from ControlPortWriteToFile as soon as inotify reports the file, and the SOCKS
// port from GETINFO. Cookie authentication; TAKEOWNERSHIP and __OwningControllerProcess, so tor
// exits when attune does, however attune ends. Bootstrap progress comes from STATUS_CLIENT
// events, descriptor uploads from HS_DESC events: nothing is polled.
#ifndef ATTUNE_NODE_LINK_TOR_PROCESS_H_
#define ATTUNE_NODE_LINK_TOR_PROCESS_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "crypto/secure_bytes.h"
#include "node/link/link_clock.h"
#include "node/link/link_io.h"
#include "tor/controller.h"

namespace attune::node::link_io {

struct TorStartOptions {
  std::string folder;  // the home's tor folder: made 0700 if missing
  // Lines appended to the torrc (ATTUNE_TOR_EXTRA_TORRC).
  std::string extra_torrc;
  // Called with each bootstrap percentage as tor reports it (on the executor).
  std::function<void(int percent)> on_progress;
  Duration start_timeout = std::chrono::seconds(20);       // until the control port is up
  Duration bootstrap_timeout = std::chrono::seconds(120);  // until tor reports 100%
  // StartOrAttach: the home's `serve` runs, so its tor (in `folder`) may be used.
  bool attach_to_running = false;
};

// How long attaching to serve's tor may take for each step (connect, each command): tor
// answers its control port at once, so a longer silence means it is not tor.
inline constexpr Duration kAttachStepTimeout = std::chrono::seconds(5);

// Where the tor binary is: $ATTUNE_TOR, else `tor` in PATH, /usr/sbin or /usr/bin.
// kNotFound with reason tor::TorReason::kNotInstalled if there is none.
Result<std::string> FindTorBinary();

class TorProcess {
 public:
  // Starts tor and waits until it has bootstrapped.
  //   kNotFound (kNotInstalled)          no tor binary
  //   kUnreachable (kExitedEarly)        tor stopped before its control port was up; detail has
  //                                      tor's last lines of output (never a secret)
  //   kTimedOut (kBootstrapTimedOut)     no control port, or no 100%, in time
  //   kProtocolError (kControlRefused)   tor refused the cookie or a command
  //   kIoError                           the folder or torrc could not be written
  static Task<Result<std::shared_ptr<TorProcess>>> Start(TorStartOptions options);

  // The tor that `serve` started in `folder`, used without owning it (no TAKEOWNERSHIP; Stop()
  // only closes this control connection). Fails if its control port or cookie is not there,
  // does not answer within `step`, or has not bootstrapped.
  static Task<Result<std::shared_ptr<TorProcess>>> Attach(std::string folder, Duration step);

  // A one-shot command's tor: the running serve's (options.attach_to_running), else one of its
  // own (Start), stopped with Stop().
  static Task<Result<std::shared_ptr<TorProcess>>> StartOrAttach(TorStartOptions options);

  ~TorProcess();
  TorProcess(const TorProcess&) = delete;
  TorProcess& operator=(const TorProcess&) = delete;

  uint16_t socks_port() const { return socks_port_; }
  bool attached() const;  // serve's tor, not this process's own
  int bootstrap_percent() const { return percent_; }

  // Publishes an onion service with `key_blob` (crypto/onion.h: "ED25519-V3:..."), forwarding
  // `ports`, readable only by the clients whose x25519 keys are `authorised` (base32); returns
  // its service id once the first descriptor upload succeeded.
  //   kProtocolError (kControlRefused)  tor refused ADD_ONION
  //   kTimedOut (kPublishTimedOut)      no upload succeeded within `timeout`
  Task<Result<std::string>> PublishOnion(const crypto::SecureBytes& key_blob, tor::OnionPorts ports,
                                         std::vector<std::string> authorised, Duration timeout);

  // Lets this tor read `service_id`'s descriptor with the client key "x25519:<base64>".
  Task<Status> AddClientAuth(std::string service_id, const crypto::SecureBytes& private_text,
                             Duration timeout);

  // tor's version ("0.4.9.11"), as it answers GETINFO version.
  Task<Result<std::string>> Version(Duration timeout);

  // Fetches `service_id`'s descriptor from the HSDirs (HSFETCH), with whatever client key was
  // added for it: ok once one was received and could be read. Otherwise kUnreachable with
  // reason tor::TorReason::kDescriptorUnavailable and tor's REASON of the last failure
  // (e.g. NOT_FOUND) as detail, once every HSDir asked has answered; kTimedOut after `timeout`.
  Task<Status> FetchDescriptor(std::string service_id, Duration timeout);

  // Returns once tor has exited or its control connection broke (tor killed, or Stop()).
  Task<void> WaitUntilGone();

  // Ends tor: closes the control connection (TAKEOWNERSHIP makes tor exit), then SIGTERM, and
  // reaps it. Also done by the destructor. Attached to serve's tor: closes the connection only.
  void Stop();

  struct Impl;

 private:
  explicit TorProcess(std::shared_ptr<Impl> impl);
  // Connects to the control port tor wrote into the folder, authenticates with its cookie,
  // subscribes to events and asks the SOCKS port and bootstrap; takes ownership if asked.
  Task<Status> OpenControl(bool take_ownership, Duration step);
  Task<Result<tor::ControlEvent>> Command(std::function<void(tor::Controller&)> queue,
                                          tor::Command command, Duration timeout);

  std::shared_ptr<Impl> impl_;
  uint16_t socks_port_ = 0;
  int percent_ = 0;
};

// While `serve` has its onion service published, it keeps the address in a file in the tor
// folder, for `attune doctor` (another process) to see; removed when tor stops and when serve
// ends. Nothing secret: the address alone, which the partner knows.
inline constexpr char kPublishedMarkName[] = "onion-published";
void MarkOnionPublished(const std::string& tor_folder, const std::string& address);
void ClearOnionPublished(const std::string& tor_folder);

// A TCP connection to `host:port` through tor's SOCKS port, ready for the link's frames. A
// refusal is kUnreachable with reason tor::TorReason::kSocksRefused and tor's reply code (the
// extended codes say, e.g., that this client lacks the service's key) in `socks_reply`.
Task<Result<tcp::socket>> ConnectThroughTor(asio::any_io_executor executor, uint16_t socks_port,
                                            std::string host, uint16_t port, Duration timeout,
                                            uint8_t* socks_reply = nullptr);

}  // namespace attune::node::link_io

#endif  // ATTUNE_NODE_LINK_TOR_PROCESS_H_
