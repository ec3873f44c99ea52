// Internal to node/ui: pairing from the page (docs/ui.md, "Pairing"). InvitePartner and
// JoinPartner run their own event loops and block for as long as pairing takes, so each runs on
// a thread of its own with a Journal of its own; what it comes to is handed back to the page
// server's loop, which tells the page.
#ifndef ATTUNE_NODE_UI_UI_PAIRING_H_
#define ATTUNE_NODE_UI_UI_PAIRING_H_

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "base/status.h"
#include "node/journal.h"
#include "node/link.h"
#include "node/stop_signal.h"

namespace attune::node::ui {

struct PairingSettings {
  Endpoint listen{"0.0.0.0", kDefaultPairPort};  // where an invitation waits
  DiscoveryOptions discovery;
  LinkTimeouts timeouts;
};

class PairingRun {
 public:
  // `on_change` hears each new state (State()'s JSON) on `io`'s thread; `describe_error` words a
  // failure for the page.
  PairingRun(boost::asio::io_context& io, PairingSettings settings,
             std::function<void(const nlohmann::json&)> on_change,
             std::function<nlohmann::json(const Status&)> describe_error);
  ~PairingRun();  // withdraws an invitation and waits for the pairing thread

  // {"state": "idle" | "inviting" | "joining" | "paired" | "failed", and "code" and "address"
  // while inviting, "partner_name" and "safety_number" once paired, "error" once failed}.
  const nlohmann::json& State() const { return state_; }

  // Start pairing with `journal` (a connection of its own). kBusy while one runs.
  Status Invite(Journal journal);
  Status Join(Journal journal, std::string code, std::optional<Endpoint> inviter);
  // Withdraws a waiting invitation (an attempt under way finishes).
  void Cancel();
  // The journal was unpaired: a finished pairing's state no longer holds.
  void Forget();

 private:
  Status Begin(std::string_view state);
  void Finish(Result<PairingResult> result);
  void Set(nlohmann::json state);

  boost::asio::io_context& io_;
  PairingSettings settings_;
  std::function<void(const nlohmann::json&)> on_change_;
  std::function<nlohmann::json(const Status&)> describe_error_;
  nlohmann::json state_ = {{"state", "idle"}};
  bool running_ = false;
  std::unique_ptr<StopSignal> stop_ = std::make_unique<StopSignal>();  // one per run
  std::thread thread_;
};

}  // namespace attune::node::ui

#endif  // ATTUNE_NODE_UI_UI_PAIRING_H_
