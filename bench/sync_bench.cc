#include "bench/sync_bench.h"

#include <csignal>
#include <optional>
#include <string>
#include <utility>

#include "bench/measure.h"
#include "crypto/aead.h"
#include "crypto/random.h"
#include "node/journal/entry_codec.h"
#include "node/secret.h"
#include "storage/database.h"

namespace attune::bench {
namespace {

// Edits get text no filled entry has, so every edit is a real change.
constexpr uint64_t kFirstEditSerial = 1'000'000;

std::string LoopbackAddress(uint16_t port) {
  return "127.0.0.1:" + std::to_string(port);
}

// One `attune sync --json` from couple.sam to couple.alex's serve, or to `port` in between.
Result<SyncRun> SyncOnce(const Scratch& scratch, const Couple& couple, uint16_t port = 0) {
  const std::string to = LoopbackAddress(port != 0 ? port : couple.alex_port);
  const TimedRun timed =
      RunTimed(scratch.Request(couple.sam, {"sync", "--to", to, "--json"}, kLongStep));
  if (timed.result.timed_out) {
    return Status::TimedOut("sync did not finish within " +
                            std::to_string(kLongStep.count() / 1000) + " s");
  }
  if (timed.result.exit_code != 0) {
    return Status::Internal("sync failed (exit " + std::to_string(timed.result.exit_code) +
                            "): " + timed.result.err);
  }
  const nlohmann::json summary =
      nlohmann::json::parse(timed.result.out, nullptr, /*allow_exceptions=*/false);
  for (const char* field : {"seconds", "received", "bytes_sent", "bytes_received"}) {
    if (!summary.is_object() || !summary.contains(field) || !summary[field].is_number()) {
      return Status::Internal(std::string("sync --json has no \"") + field +
                              "\": " + timed.result.out);
    }
  }
  SyncRun run;
  run.seconds = summary["seconds"].get<double>();
  run.received = summary["received"].get<uint64_t>();
  run.bytes_sent = summary["bytes_sent"].get<uint64_t>();
  run.bytes_received = summary["bytes_received"].get<uint64_t>();
  run.process_seconds = timed.millis() / 1000;
  run.sync_rss_kib = timed.max_rss_kib;
  return run;
}

Status ExpectReceived(const SyncRun& run, uint64_t expected) {
  if (run.received == expected) return Status::Ok();
  return Status::Internal("the partner received " + std::to_string(run.received) +
                          " entries, not " + std::to_string(expected));
}

}  // namespace

Result<FirstSync> MeasureFirstSync(const Scratch& scratch, const Couple& couple,
                                   uint64_t expected) {
  ATTUNE_ASSIGN_OR_RETURN(e2e::BackgroundProcess serve, scratch.Serve(couple.alex));
  ATTUNE_ASSIGN_OR_RETURN(SyncRun run, SyncOnce(scratch, couple));
  FirstSync first{run, PeakRssKib(serve.pid())};
  ATTUNE_RETURN_IF_ERROR(Stop(serve));
  ATTUNE_RETURN_IF_ERROR(ExpectReceived(run, expected));
  return first;
}

Result<FirstSync> MeasureFirstSyncOverRoundTrip(const Scratch& scratch, const Couple& couple,
                                                uint64_t expected, std::chrono::milliseconds rtt) {
  ATTUNE_ASSIGN_OR_RETURN(e2e::BackgroundProcess serve, scratch.Serve(couple.alex));
  e2e::RunRequest request;
  request.binary = "/usr/bin/python3";
  request.args = {std::string(ATTUNE_SOURCE_DIR) + "/bench/delay_relay.py", "--to",
                  std::to_string(couple.alex_port), "--rtt-ms", std::to_string(rtt.count())};
  request.env = {{"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}};
  e2e::BackgroundProcess relay(request);
  if (!relay.failure().empty()) return Status::Internal("delay_relay.py: " + relay.failure());
  const std::optional<std::string> listening = relay.ReadLineContaining("listening ", kStep);
  if (!listening) return Status::Internal("delay_relay.py did not start: " + relay.skipped());
  const uint16_t port = static_cast<uint16_t>(std::stoi(listening->substr(listening->find(' '))));
  ATTUNE_ASSIGN_OR_RETURN(SyncRun run, SyncOnce(scratch, couple, port));
  FirstSync first{run, PeakRssKib(serve.pid())};
  relay.Signal(SIGTERM);
  relay.Wait(kStep);
  ATTUNE_RETURN_IF_ERROR(Stop(serve));
  ATTUNE_RETURN_IF_ERROR(ExpectReceived(run, expected));
  return first;
}

Result<double> MeasureBaselineInsert(const std::vector<node::Entry>& entries,
                                     const std::string& path) {
  ATTUNE_ASSIGN_OR_RETURN(storage::Database db,
                          storage::Database::Open(path, storage::OpenMode::kCreateIfMissing));
  const node::Secret data_key = crypto::RandomSecret(crypto::aead::kKeyBytes);
  const SteadyClock::time_point start = SteadyClock::now();
  ATTUNE_ASSIGN_OR_RETURN(storage::Transaction transaction, db.BeginTransaction());
  for (const node::Entry& entry : entries) {
    ATTUNE_ASSIGN_OR_RETURN(storage::EntryRow row, node::SealEntry(data_key, entry));
    // As the receiving node stores them; the author is a clear column, outside the seal.
    row.author = std::string(storage::kAuthorPartner);
    ATTUNE_RETURN_IF_ERROR(db.InsertEntry(row));
  }
  ATTUNE_RETURN_IF_ERROR(transaction.Commit());
  return SecondsSince(start);
}

Result<std::vector<SyncRun>> MeasureIncrementalSyncs(const Scratch& scratch, const Couple& couple,
                                                     const std::vector<std::string>& edit_ids) {
  ATTUNE_ASSIGN_OR_RETURN(e2e::BackgroundProcess serve, scratch.Serve(couple.alex));
  std::vector<SyncRun> runs;
  for (size_t i = 0; i < edit_ids.size(); ++i) {
    // A change to a shared entry travels only in a version its author confirmed (--yes).
    ATTUNE_RETURN_IF_ERROR(
        scratch.Run(couple.alex, {"edit", edit_ids[i], EntryText(kFirstEditSerial + i), "--yes"})
            .status());
    ATTUNE_ASSIGN_OR_RETURN(SyncRun run, SyncOnce(scratch, couple));
    ATTUNE_RETURN_IF_ERROR(ExpectReceived(run, 1));
    runs.push_back(run);
  }
  ATTUNE_RETURN_IF_ERROR(Stop(serve));
  return runs;
}

}  // namespace attune::bench
