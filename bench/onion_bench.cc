#include "bench/onion_bench.h"

#include <unistd.h>

#include <optional>
#include <vector>

#include "bench/live_bench.h"
#include "bench/measure.h"
#include "tests/e2e/run_attune.h"

namespace attune::bench {
namespace {

constexpr char kNetworkScript[] = ATTUNE_SOURCE_DIR "/tests/onion/private_tor_network.py";
// Starting the network, a tor bootstrapping, a descriptor uploaded: seconds each on the private
// network; the bounds only end a broken run.
constexpr std::chrono::milliseconds kNetworkStep = std::chrono::minutes(3);
constexpr std::chrono::milliseconds kTorStep = std::chrono::minutes(2);

std::optional<std::string> Find(const std::string& name) {
  for (const char* folder : {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
    const std::string path = std::string(folder) + "/" + name;
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return std::nullopt;
}

Result<e2e::RunResult> RunNetworkScript(std::vector<std::string> args) {
  const std::optional<std::string> python = Find("python3");
  if (!python) return Status::NotFound("python3");
  args.insert(args.begin(), kNetworkScript);
  e2e::RunResult result =
      e2e::RunProcess({*python, std::move(args), {{"PATH", "/usr/bin:/bin"}}, "", kNetworkStep});
  if (result.exit_code != 0) {
    return Status::Internal("private_tor_network.py failed:\n" + result.out + result.err);
  }
  return result;
}

// Connect and handshake of one `ping --json ARGS` from `home`, in seconds.
Result<double> ConnectSeconds(const Scratch& scratch, const std::string& home,
                              std::vector<std::string> args) {
  args.insert(args.begin(), "ping");
  ATTUNE_ASSIGN_OR_RETURN(nlohmann::json ping, scratch.RunJson(home, args));
  if (!ping["connect_us"].is_number() || !ping["handshake_us"].is_number()) {
    return Status::Internal("ping --json without connect_us and handshake_us: " + ping.dump());
  }
  return (ping["connect_us"].get<double>() + ping["handshake_us"].get<double>()) / 1e6;
}

// `serve` in `home` reachable through Tor alone (a port nobody was told, no discovery), once
// its onion service is published.
Result<e2e::BackgroundProcess> ServeThroughTorOnly(const Scratch& scratch,
                                                   const std::string& home) {
  ATTUNE_ASSIGN_OR_RETURN(
      e2e::BackgroundProcess serve,
      scratch.Start(home, {"serve", "--json", "--listen", "127.0.0.1:0", "--no-discovery"}));
  if (!serve.ReadLineContaining("\"event\":\"onion_published\"", kTorStep)) {
    return Status::Internal("serve did not publish its onion service:\n" + serve.Wait(kStep).out);
  }
  return serve;
}

Result<double> MedianConnect(const Scratch& scratch, const std::string& home,
                             const std::vector<std::string>& args, int runs) {
  std::vector<double> samples;
  for (int i = 0; i < runs; ++i) {
    ATTUNE_ASSIGN_OR_RETURN(double seconds, ConnectSeconds(scratch, home, args));
    samples.push_back(seconds);
  }
  return Median(samples);
}

}  // namespace

Result<PrivateTorNetwork> PrivateTorNetwork::Start(const Scratch& scratch) {
  const std::optional<std::string> tor = Find("tor");
  const std::optional<std::string> gencert = Find("tor-gencert");
  if (!tor || !gencert) return Status::NotFound("tor or tor-gencert (apt install tor)");
  const std::string dir = scratch.PathIn("tor-network");
  ATTUNE_RETURN_IF_ERROR(RunNetworkScript({"start", "--dir", dir, "--tor", *tor, "--tor-gencert",
                                           *gencert, "--authorities", "5", "--timeout", "120",
                                           "--owner-pid", std::to_string(::getpid())})
                             .status());
  return PrivateTorNetwork(dir);
}

PrivateTorNetwork::~PrivateTorNetwork() {
  if (!dir_.empty()) (void)RunNetworkScript({"stop", "--dir", dir_});
}

PrivateTorNetwork::PrivateTorNetwork(PrivateTorNetwork&& other) noexcept
    : dir_(std::exchange(other.dir_, {})) {}

Result<OnionFigures> MeasureOnion(Scratch& scratch, const PrivateTorNetwork& network, int entries,
                                  int connects, int live_trials) {
  scratch.UseTorNetwork(network.client_torrc());
  ATTUNE_ASSIGN_OR_RETURN(Couple couple, scratch.NewCouple("onion"));
  ATTUNE_RETURN_IF_ERROR(FillJournal(couple.alex, MakeSharedEntries(entries)));
  for (const std::string& home : {couple.alex, couple.sam}) {
    ATTUNE_RETURN_IF_ERROR(scratch.Run(home, {"tor", "on"}).status());
  }
  OnionFigures figures;
  {
    ATTUNE_ASSIGN_OR_RETURN(e2e::BackgroundProcess serve,
                            ServeThroughTorOnly(scratch, couple.alex));
    // Each ping starts a tor of its own: a cold connect (descriptor fetch, rendezvous) each time.
    ATTUNE_ASSIGN_OR_RETURN(figures.connect_p50_s,
                            MedianConnect(scratch, couple.sam, {"--via", "onion"}, connects));
    ATTUNE_ASSIGN_OR_RETURN(nlohmann::json synced,
                            scratch.RunJson(couple.sam, {"sync", "--via", "onion"}));
    if (synced["received"] != entries) {
      return Status::Internal("the sync through Tor brought " + synced["received"].dump());
    }
    figures.first_sync_1k_s = synced["seconds"].get<double>();
    ATTUNE_RETURN_IF_ERROR(Stop(serve));
  }
  {
    ATTUNE_ASSIGN_OR_RETURN(e2e::BackgroundProcess serve, scratch.Serve(couple.alex));
    const std::string to = "127.0.0.1:" + std::to_string(couple.alex_port);
    ATTUNE_ASSIGN_OR_RETURN(figures.loopback_connect_p50_s,
                            MedianConnect(scratch, couple.sam, {"--to", to}, connects));
    ATTUNE_RETURN_IF_ERROR(Stop(serve));
  }
  ATTUNE_ASSIGN_OR_RETURN(
      std::vector<double> latency,
      MeasureLiveLatency(scratch, couple, live_trials,
                         {"serve", "--json", "--listen", "127.0.0.1:0", "--no-discovery"}));
  figures.live_latency_p50_ms = Median(latency);
  return figures;
}

}  // namespace attune::bench
