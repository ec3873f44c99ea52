#include "node/ui/ui_pairing.h"

#include <boost/asio/post.hpp>

namespace attune::node::ui {

PairingRun::PairingRun(boost::asio::io_context& io, PairingSettings settings,
                       std::function<void(const nlohmann::json&)> on_change,
                       std::function<nlohmann::json(const Status&)> describe_error)
    : io_(io),
      settings_(std::move(settings)),
      on_change_(std::move(on_change)),
      describe_error_(std::move(describe_error)) {}

PairingRun::~PairingRun() {
  stop_->Stop();
  if (thread_.joinable()) thread_.join();
}

Status PairingRun::Begin(std::string_view state) {
  if (running_) return Status::Busy("pairing is already under way");
  if (thread_.joinable()) thread_.join();  // the last run's thread has handed back its result
  stop_ = std::make_unique<StopSignal>();
  running_ = true;
  Set({{"state", state}});
  return Status::Ok();
}

Status PairingRun::Invite(Journal journal) {
  ATTUNE_RETURN_IF_ERROR(Begin("inviting"));
  InviteOptions options;
  options.listen = settings_.listen;
  options.timeouts = settings_.timeouts;
  options.discovery = settings_.discovery;
  options.stop = stop_.get();
  // Called on the pairing thread once the code exists and the port is open.
  options.on_ready = [this](const PairingOffer& offer) {
    boost::asio::post(io_, [this, offer] {
      Set({{"state", "inviting"}, {"code", offer.code}, {"address", offer.address}});
    });
  };
  thread_ = std::thread([this, journal = std::move(journal), options]() mutable {
    Result<PairingResult> result = InvitePartner(journal, options);
    boost::asio::post(io_,
                      [this, result = std::move(result)]() mutable { Finish(std::move(result)); });
  });
  return Status::Ok();
}

Status PairingRun::Join(Journal journal, std::string code, std::optional<Endpoint> inviter) {
  ATTUNE_RETURN_IF_ERROR(Begin("joining"));
  thread_ = std::thread([this, journal = std::move(journal), code = std::move(code),
                         inviter = std::move(inviter)]() mutable {
    Result<PairingResult> result =
        JoinPartner(journal, code, inviter, settings_.timeouts, settings_.discovery);
    boost::asio::post(io_,
                      [this, result = std::move(result)]() mutable { Finish(std::move(result)); });
  });
  return Status::Ok();
}

void PairingRun::Cancel() {
  stop_->Stop();
}

void PairingRun::Forget() {
  if (!running_) Set({{"state", "idle"}});
}

void PairingRun::Finish(Result<PairingResult> result) {
  running_ = false;
  if (result.status().code() == StatusCode::kCancelled) {  // the page withdrew the invitation
    Set({{"state", "idle"}});
    return;
  }
  if (!result.ok()) {
    Set({{"state", "failed"}, {"error", describe_error_(result.status())}});
    return;
  }
  Set({{"state", "paired"},
       {"partner_name", result->partner.display_name},
       {"safety_number", result->safety_number}});
}

void PairingRun::Set(nlohmann::json state) {
  state_ = std::move(state);
  if (on_change_) on_change_(state_);
}

}  // namespace attune::node::ui
