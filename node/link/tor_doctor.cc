// `attune doctor`'s look at Tor (node/link.h): a tor of its own, its version, and whether the
// partner's onion service has a descriptor this node can read.
#include <fstream>

#include "crypto/onion.h"
#include "node/journal/link_identity.h"
#include "node/journal_reason.h"
#include "node/link.h"
#include "node/link/link_session_internal.h"
#include "node/link/tor_process.h"

namespace attune::node {
namespace {

using link_io::Task;
using SteadyClock = std::chrono::steady_clock;

// The partner's descriptor through `tor`, with this node's client key added for it.
Task<Status> FetchPartnerDescriptor(Journal& journal, link_io::TorProcess& tor,
                                    const TorOptions& options) {
  Result<std::optional<Partner>> partner = journal.GetPartner();
  if (!partner.ok()) co_return partner.status();
  if (!*partner) {
    co_return Status::NotFound("not paired").WithReason(JournalReason::kNotPaired);
  }
  if (!(*partner)->onion) {
    co_return Status::NotFound("no onion address").WithReason(LinkReason::kPartnerHasNoOnion);
  }
  const std::string service = (*partner)->onion->address;
  Result<OnionKeys> keys = OnionKeysOf(journal);
  if (!keys.ok()) co_return keys.status();
  const crypto::SecureBytes client_key = crypto::ClientAuthPrivateText(keys->client);
  ATTUNE_CO_RETURN_IF_ERROR(
      co_await tor.AddClientAuth(service, client_key, options.handshake_timeout));
  co_return co_await tor.FetchDescriptor(service, options.connect_timeout);
}

}  // namespace

Result<TorDiagnosis> DiagnoseTor(Journal& journal, const TorOptions& tor) {
  link_io::asio::io_context io;
  auto run = [&]() -> Task<Result<TorDiagnosis>> {
    const SteadyClock::time_point start = SteadyClock::now();
    Result<std::shared_ptr<link_io::TorProcess>> started =
        co_await link_io::TorProcess::StartOrAttach(link_session::StartOptions(tor));
    if (!started.ok()) co_return started.status();
    TorDiagnosis diagnosis;
    diagnosis.serves = (*started)->attached();
    diagnosis.bootstrap =
        std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start);
    Result<std::string> version = co_await (*started)->Version(tor.handshake_timeout);
    if (version.ok()) diagnosis.version = *version;
    diagnosis.partner_descriptor = co_await FetchPartnerDescriptor(journal, **started, tor);
    (*started)->Stop();  // tor exits and its readers end, so the loop runs out
    co_return diagnosis;
  };
  return link_io::RunToCompletion(io, run());
}

std::optional<std::string> PublishedOnionAddress(const std::string& tor_folder) {
  std::ifstream in(tor_folder + "/" + link_io::kPublishedMarkName);
  std::string address;
  if (!(in >> address) || !address.ends_with(".onion")) return std::nullopt;
  return address;
}

}  // namespace attune::node
