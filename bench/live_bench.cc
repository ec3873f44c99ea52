#include "bench/live_bench.h"

#include <array>
#include <cstdio>
#include <random>
#include <thread>
#include <utility>

#include "bench/measure.h"
#include "crypto/password_kdf.h"
#include "crypto/secure_bytes.h"
#include "crypto/x25519.h"
#include "node/home.h"
#include "node/journal.h"
#include "protocol/session.h"

namespace attune::bench {
namespace {

// Added entries get text no filled entry or edit has.
constexpr uint64_t kFirstLiveSerial = 2'000'000;
// How often the probe looks at the receiving database: well under the latencies measured, and
// cheap (one indexed lookup on a prepared statement).
constexpr std::chrono::microseconds kProbeInterval{500};
// Trials start at random moments, so that anything periodic in serve (it once polled the journal
// every 50 ms; it now wakes on inotify) would show as spread rather than as one phase of it.
constexpr int kMaxPauseMillis = 120;
// The first crossing also waits for the nodes to dial each other (with backoff).
constexpr std::chrono::milliseconds kLinkUpTimeout = std::chrono::minutes(2);

std::string DatabaseOf(const std::string& home) {
  return node::Home(home).database_path();
}

// Adds a shared entry in `home`; the finished process (its stdout is the new id).
Result<TimedRun> AddShared(const Scratch& scratch, const std::string& home, uint64_t serial) {
  TimedRun add =
      RunTimed(scratch.Request(home, {"add", "need", EntryText(serial), "--share", "--yes"}));
  if (add.result.exit_code != 0) return Status::Internal("add failed: " + add.result.err);
  while (!add.result.out.empty() && add.result.out.back() == '\n') add.result.out.pop_back();
  return add;
}

// One sample: the entry leaves `from`, and the time until `to_probe` sees it. The id is known
// only once `add` has exited, so an entry that crossed while `add` was still closing its
// journal counts as the probe's first look: a fraction of a millisecond, never negative.
Result<double> CrossOnce(const Scratch& scratch, const std::string& from, ArrivalProbe& to_probe,
                         uint64_t serial, std::chrono::milliseconds timeout) {
  ATTUNE_ASSIGN_OR_RETURN(TimedRun add, AddShared(scratch, from, serial));
  ATTUNE_ASSIGN_OR_RETURN(SteadyClock::time_point seen,
                          to_probe.WaitFor(add.result.out, kProbeInterval, timeout));
  return MillisBetween(add.exited, seen);
}

Result<double> TimedCommandMillis(const Scratch& scratch, const std::string& home,
                                  const std::vector<std::string>& args, int runs) {
  std::vector<double> samples;
  for (int i = 0; i < runs; ++i) {
    // Output goes to a pipe the driver drains, as it would to a pager.
    const TimedRun run = RunTimed(scratch.Request(home, args));
    if (run.result.exit_code != 0) {
      return Status::Internal("attune " + args.front() + " failed: " + run.result.err);
    }
    samples.push_back(run.millis());
  }
  return Median(samples);
}

}  // namespace

Result<std::vector<double>> MeasureLiveLatency(const Scratch& scratch, const Couple& couple,
                                               int trials,
                                               const std::vector<std::string>& serve_args) {
  ATTUNE_ASSIGN_OR_RETURN(ArrivalProbe at_alex, ArrivalProbe::Open(DatabaseOf(couple.alex)));
  ATTUNE_ASSIGN_OR_RETURN(ArrivalProbe at_sam, ArrivalProbe::Open(DatabaseOf(couple.sam)));
  const auto serve = [&](const std::string& home) {
    return serve_args.empty() ? scratch.Serve(home) : scratch.Start(home, serve_args);
  };
  ATTUNE_ASSIGN_OR_RETURN(e2e::BackgroundProcess alex_serve, serve(couple.alex));
  ATTUNE_ASSIGN_OR_RETURN(e2e::BackgroundProcess sam_serve, serve(couple.sam));
  uint64_t serial = kFirstLiveSerial;
  ATTUNE_RETURN_IF_ERROR(
      CrossOnce(scratch, couple.alex, at_sam, serial++, kLinkUpTimeout).status());
  ATTUNE_RETURN_IF_ERROR(
      CrossOnce(scratch, couple.sam, at_alex, serial++, kLinkUpTimeout).status());
  // A pause of random length before each trial: back-to-back trials would start each `add` at
  // the same point of any periodic work in the nodes, and measure that one phase only.
  std::mt19937 random_pause(20261129);
  std::uniform_int_distribution<int> pause_ms(0, kMaxPauseMillis);
  std::vector<double> samples;
  for (int trial = 0; trial < trials; ++trial) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random_pause)));
    const bool from_alex = trial % 2 == 0;
    ATTUNE_ASSIGN_OR_RETURN(double millis,
                            CrossOnce(scratch, from_alex ? couple.alex : couple.sam,
                                      from_alex ? at_sam : at_alex, serial++, kStep));
    samples.push_back(millis);
  }
  ATTUNE_RETURN_IF_ERROR(Stop(sam_serve));
  ATTUNE_RETURN_IF_ERROR(Stop(alex_serve));
  return samples;
}

Result<std::vector<double>> MeasureHandshakes(const Scratch& scratch, const Couple& couple,
                                              int count) {
  ATTUNE_ASSIGN_OR_RETURN(e2e::BackgroundProcess serve, scratch.Serve(couple.alex));
  const std::string to = "127.0.0.1:" + std::to_string(couple.alex_port);
  constexpr std::array<const char*, 3> kParts = {"connect_us", "handshake_us", "round_trip_us"};
  std::vector<double> samples;
  std::array<std::vector<double>, 3> parts;
  for (int i = 0; i < count; ++i) {
    ATTUNE_ASSIGN_OR_RETURN(nlohmann::json ping, scratch.RunJson(couple.sam, {"ping", "--to", to}));
    double micros = 0;
    for (size_t part = 0; part < kParts.size(); ++part) {
      const char* name = kParts[part];
      if (!ping.contains(name) || !ping[name].is_number()) {
        return Status::Internal(std::string("ping --json has no \"") + name + "\": " + ping.dump());
      }
      micros += ping[name].get<double>();
      parts[part].push_back(ping[name].get<double>() / 1000);
    }
    samples.push_back(micros / 1000);
  }
  ATTUNE_RETURN_IF_ERROR(Stop(serve));
  std::printf("   medians: connect %.3g ms, handshake %.3g ms, round trip %.3g ms\n",
              Median(parts[0]), Median(parts[1]), Median(parts[2]));
  return samples;
}

namespace {

// Hands every frame `from` queued to `to`.
Status HandOver(protocol::Session& from, protocol::Session& to) {
  for (const Bytes& frame : from.TakeOutgoing()) ATTUNE_RETURN_IF_ERROR(to.Receive(frame));
  return Status::Ok();
}

// One handshake (message 1, admission, message 2) and one ping answered, as `attune ping` does.
Status HandshakeAndPingInMemory(const crypto::X25519KeyPair& alex, const crypto::X25519KeyPair& sam,
                                uint64_t counter) {
  protocol::SessionConfig initiator;
  initiator.role = protocol::SessionRole::kInitiator;
  initiator.local_static = crypto::CopyKeyPair(sam);
  initiator.pinned_partner = alex.public_key;
  initiator.hello.one_shot = true;
  initiator.handshake_counter = counter;
  protocol::SessionConfig responder;
  responder.role = protocol::SessionRole::kResponder;
  responder.local_static = crypto::CopyKeyPair(alex);
  responder.pinned_partner = sam.public_key;
  ATTUNE_ASSIGN_OR_RETURN(protocol::Session syncing,
                          protocol::Session::Start(std::move(initiator)));
  ATTUNE_ASSIGN_OR_RETURN(protocol::Session serving,
                          protocol::Session::Start(std::move(responder)));
  ATTUNE_RETURN_IF_ERROR(HandOver(syncing, serving));
  ATTUNE_RETURN_IF_ERROR(serving.Admit());
  ATTUNE_RETURN_IF_ERROR(HandOver(serving, syncing));
  ATTUNE_RETURN_IF_ERROR(syncing.Send(protocol::PingMessage{counter}));
  ATTUNE_RETURN_IF_ERROR(HandOver(syncing, serving));
  for (const protocol::Message& message : serving.TakeIncoming()) {
    if (const auto* ping = std::get_if<protocol::PingMessage>(&message)) {
      ATTUNE_RETURN_IF_ERROR(serving.Send(protocol::PongMessage{ping->nonce}));
    }
  }
  ATTUNE_RETURN_IF_ERROR(HandOver(serving, syncing));
  const std::vector<protocol::Message> answers = syncing.TakeIncoming();
  if (answers.size() != 1 || !std::holds_alternative<protocol::PongMessage>(answers[0])) {
    return Status::Internal("the in-memory ping was not answered");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<double>> MeasureHandshakesInMemory(int count) {
  const crypto::X25519KeyPair alex = crypto::GenerateX25519KeyPair();
  const crypto::X25519KeyPair sam = crypto::GenerateX25519KeyPair();
  std::vector<double> samples;
  for (int i = 0; i < count; ++i) {
    const SteadyClock::time_point start = SteadyClock::now();
    ATTUNE_RETURN_IF_ERROR(HandshakeAndPingInMemory(alex, sam, static_cast<uint64_t>(i) + 1));
    samples.push_back(MillisBetween(start, SteadyClock::now()));
  }
  return samples;
}

Result<double> MeasureOpenAllMillis(const std::string& home, int runs) {
  const node::SystemClock clock;
  const node::PassphraseSource no_passphrase = []() -> Result<node::Secret> {
    return Status::InvalidArgument("the bench's homes have no passphrase");
  };
  std::vector<double> samples;
  for (int i = 0; i < runs; ++i) {
    const SteadyClock::time_point start = SteadyClock::now();
    ATTUNE_ASSIGN_OR_RETURN(node::Journal journal,
                            node::Journal::Open(node::Home(home), no_passphrase, clock));
    ATTUNE_ASSIGN_OR_RETURN(std::vector<node::Entry> entries, journal.List({}));
    if (entries.empty()) return Status::Internal("the journal to list is empty");
    samples.push_back(MillisBetween(start, SteadyClock::now()));
  }
  return Median(samples);
}

Result<CommandTimes> MeasureCommands(const Scratch& scratch, const std::string& home, int runs) {
  CommandTimes times;
  ATTUNE_ASSIGN_OR_RETURN(times.list_ms, TimedCommandMillis(scratch, home, {"list"}, runs));
  ATTUNE_ASSIGN_OR_RETURN(
      times.search_ms,
      TimedCommandMillis(scratch, home, {"search", std::string(kSearchWord)}, runs));
  ATTUNE_ASSIGN_OR_RETURN(times.steps_ms, TimedCommandMillis(scratch, home, {"steps"}, runs));
  return times;
}

Result<double> MeasureKdfMillis(int runs) {
  // InitOptions' default strength is what `attune init` uses without --interactive-kdf.
  const crypto::KdfParams params = crypto::NewKdfParams(node::InitOptions{}.kdf_strength);
  const crypto::SecureBytes passphrase =
      crypto::SecureBytes::CopyOf(AsBytes("a passphrase of ordinary length"));
  std::vector<double> samples;
  for (int i = 0; i < runs; ++i) {
    const SteadyClock::time_point start = SteadyClock::now();
    ATTUNE_RETURN_IF_ERROR(crypto::DeriveKey(passphrase, params).status());
    samples.push_back(MillisBetween(start, SteadyClock::now()));
  }
  return Median(samples);
}

Result<double> MeasureUnlockMillis(const Scratch& scratch, int runs) {
  const std::string home = scratch.PathIn("locked");
  const auto with_passphrase = [&](std::vector<std::string> args) {
    e2e::RunRequest request = scratch.Request(home, std::move(args));
    request.env["ATTUNE_PASSPHRASE"] = "four unrelated words, then more: lantern orchard tide";
    return request;
  };
  const e2e::RunResult init = e2e::RunProcess(with_passphrase({"init", "--name", "Alex"}));
  if (init.exit_code != 0) return Status::Internal("init with a passphrase failed: " + init.err);
  std::vector<double> samples;
  for (int i = 0; i < runs; ++i) {
    const TimedRun run = RunTimed(with_passphrase({"list"}));
    if (run.result.exit_code != 0) return Status::Internal("list failed: " + run.result.err);
    samples.push_back(run.millis());
  }
  return Median(samples);
}

}  // namespace attune::bench
