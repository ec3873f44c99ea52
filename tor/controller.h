// A controller for the tor that attune starts: the commands attune sends and the events it acts
// on, as a sans-I/O state machine. node/ writes TakeOutput() to the control connection, passes
// what it reads to Receive(), and acts on the ControlEvents that come out; no socket, clock or
// process here.
//
// Commands are answered in the order they were sent (control-spec section 2); the controller
// remembers which command each coming reply answers. Events (status 650) may come at any time
// once subscribed.
//
// Secrets: the authentication cookie, the onion service key and the client authorisation key
// travel in command lines; the output is handed out in secure memory and every copy is wiped.
#ifndef ATTUNE_TOR_CONTROLLER_H_
#define ATTUNE_TOR_CONTROLLER_H_

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/secure_bytes.h"
#include "tor/control.h"

namespace attune::tor {

enum class Command {
  kAuthenticate,
  kTakeOwnership,
  kSubscribeEvents,
  kAskBootstrap,
  kAskSocksListener,
  kAddOnion,
  kAddClientAuth,
  kFetchDescriptor,
  kAskVersion,
};

struct ControlEvent {
  enum class Kind {
    kCommandDone,            // `command` succeeded (for those with no fact of their own)
    kCommandFailed,          // `command` was refused; `status` is tor's (e.g. 515 bad cookie)
    kBootstrap,              // `percent` 0..100 and tor's `tag` ("done" at 100); `warning`
    kSocksListener,          // tor's SOCKS port on 127.0.0.1 is `port`
    kOnionAdded,             // the service `service_id` exists (not yet published)
    kOnionUploadStarted,     // an upload of `service_id`'s descriptor to one HSDir began
    kOnionUploaded,          // one upload of `service_id`'s descriptor succeeded
    kOnionUploadFailed,      // one upload of `service_id` failed, for `tag` (tor's REASON)
    kDescriptorRequested,    // a fetch of `service_id`'s descriptor from one HSDir began
    kDescriptorFetched,      // the descriptor of `service_id` was found and could be read
    kDescriptorFetchFailed,  // a fetch of `service_id`'s descriptor failed, for `reason`
    kVersion                 // tor's version, in `tag` (e.g. "0.4.9.11")
  };
  Kind kind = Kind::kCommandDone;
  Command command = Command::kAuthenticate;  // every answer: the command it answers
  int status = 0;                            // kCommandFailed
  int percent = 0;                           // kBootstrap
  bool warning = false;                      // kBootstrap: tor reports a problem (WARN)
  std::string tag;         // kBootstrap: TAG; failures: tor's REASON; kVersion: the version
  std::string service_id;  // onion events: the address without ".onion"
  uint16_t port = 0;       // kSocksListener
  bool answer = false;     // the answer to a command (in the order sent), not an asynchronous event
};

// Where an onion service sends what reaches it: 127.0.0.1:target_port.
struct OnionPorts {
  uint16_t virtual_port = 0;  // the port in the address partners connect to
  uint16_t target_port = 0;   // the node's listener on 127.0.0.1
};

class Controller {
 public:
  // Each queues one command. kInvalidArgument, with nothing queued, for an argument that would
  // break the command line (a line break, a space inside a key or id).
  void Authenticate(ByteSpan cookie);
  // Tor exits when this control connection closes (the owner's connection only).
  void TakeOwnership();
  void SubscribeEvents();  // STATUS_CLIENT and HS_DESC
  void AskBootstrap();     // answered as a kBootstrap event
  void AskSocksListener();
  void AskVersion();  // answered as a kVersion event
  // `key_blob` is "ED25519-V3:<base64>" (crypto/onion.h); `authorised` the base32 x25519 public
  // keys of the clients allowed to read the descriptor (none: anyone with the address).
  Status AddOnion(const crypto::SecureBytes& key_blob, OnionPorts ports,
                  const std::vector<std::string>& authorised);
  // `private_text` is "x25519:<base64>", the key that lets this tor read `service_id`'s
  // descriptor.
  Status AddClientAuth(std::string_view service_id, const crypto::SecureBytes& private_text);
  Status FetchDescriptor(std::string_view service_id);

  // The bytes of every command queued since the last call, in secure memory.
  crypto::SecureBytes TakeOutput();

  // Takes bytes read from the control connection; returns the events they complete, in order.
  // kProtocolError for a malformed stream or a reply nothing was waiting for; it poisons the
  // controller (the caller closes the connection).
  Result<std::vector<ControlEvent>> Receive(ByteSpan bytes);

  // Commands sent whose replies have not come yet.
  size_t awaiting() const { return awaiting_.size(); }

 private:
  void Queue(Command command, crypto::SecureBytes line);
  void QueueText(Command command, std::string_view line);
  Status Answer(const Reply& reply, std::vector<ControlEvent>& events);
  Status AnswerTo(Command command, const Reply& reply, std::vector<ControlEvent>& events);
  void OnEvent(const Reply& reply, std::vector<ControlEvent>& events);
  void OnHsDesc(const Words& words, std::vector<ControlEvent>& events);

  ReplyReader reader_;
  std::deque<Command> awaiting_;
  std::vector<crypto::SecureBytes> outbox_;
  std::set<std::string> own_services_;  // added through this controller
  Status error_;
};

// The bootstrap facts of "... BOOTSTRAP PROGRESS=N TAG=T ..." (an event or GETINFO's answer).
// kProtocolError if there is no valid PROGRESS.
Result<ControlEvent> ParseBootstrap(std::string_view text);

}  // namespace attune::tor

#endif  // ATTUNE_TOR_CONTROLLER_H_
