#include "bench/measure.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/e2e/child_process.h"

namespace attune::bench {
namespace {

constexpr int kRssSampleMillis = 5;

std::string ExecutableOf(const std::string& pid) {
  std::error_code error;
  return std::filesystem::read_symlink("/proc/" + pid + "/exe", error).string();
}

// Drains the child's output until it closes it, reading the child's high-water mark between
// reads; at the deadline kills the child and sets timed_out.
void PumpAndSample(pid_t child, e2e::child_process::Pipes& pipes, SteadyClock::time_point deadline,
                   TimedRun& run) {
  e2e::child_process::CloseFd(pipes.in[1]);
  // Until it has exec'd, the child is a copy of this driver and shows the driver's memory.
  const std::string driver = ExecutableOf("self");
  bool execed = false;
  std::string_view no_input;
  while (pipes.outputs_open()) {
    execed = execed || ExecutableOf(std::to_string(child)) != driver;
    if (execed) run.max_rss_kib = std::max(run.max_rss_kib, PeakRssKib(child));
    if (SteadyClock::now() >= deadline) {
      run.result.timed_out = true;
      ::kill(child, SIGKILL);
      return;
    }
    const int wait_ms = std::min(kRssSampleMillis, e2e::child_process::MillisUntil(deadline));
    if (!e2e::child_process::PumpOnce(pipes, no_input, run.result, wait_ms)) return;
  }
}

}  // namespace

double MillisBetween(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

double Median(std::vector<double> samples) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const size_t middle = samples.size() / 2;
  if (samples.size() % 2 == 1) return samples[middle];
  return (samples[middle - 1] + samples[middle]) / 2;
}

double Percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const double rank = std::ceil(p / 100 * static_cast<double>(samples.size()));
  const size_t index = static_cast<size_t>(std::clamp(rank, 1.0, double(samples.size()))) - 1;
  return samples[index];
}

TimedRun RunTimed(const e2e::RunRequest& request) {
  e2e::child_process::IgnoreSigpipe();
  TimedRun run;
  const e2e::child_process::ExecArgs exec(request);
  e2e::child_process::Pipes pipes;
  run.started = SteadyClock::now();
  const pid_t child = e2e::child_process::StartWithPipes(exec, pipes, run.result.failure);
  if (child < 0) return run;
  PumpAndSample(child, pipes, run.started + request.timeout, run);
  pipes.CloseAll();
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  run.exited = SteadyClock::now();
  if (WIFEXITED(status) && !run.result.timed_out) run.result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) run.result.signal = WTERMSIG(status);
  return run;
}

long PeakRssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string label;
  while (status >> label) {
    if (label == "VmHWM:") {
      long kib = 0;
      status >> kib;
      return kib;
    }
  }
  return 0;
}

void ArrivalProbe::Closer::operator()(sqlite3* db) const {
  sqlite3_close(db);
}

void ArrivalProbe::Closer::operator()(sqlite3_stmt* statement) const {
  sqlite3_finalize(statement);
}

Result<ArrivalProbe> ArrivalProbe::Open(const std::string& database_path) {
  ArrivalProbe probe;
  sqlite3* db = nullptr;
  const int opened = sqlite3_open_v2(database_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  probe.db_.reset(db);
  if (opened != SQLITE_OK) {
    return Status::IoError("cannot open " + database_path + ": " + sqlite3_errstr(opened));
  }
  sqlite3_stmt* query = nullptr;
  const int prepared = sqlite3_prepare_v2(
      db, "SELECT 1 FROM entries WHERE id = ?1 AND author = 'partner'", -1, &query, nullptr);
  probe.query_.reset(query);
  if (prepared != SQLITE_OK) {
    return Status::Internal(std::string("cannot prepare the probe: ") + sqlite3_errmsg(db));
  }
  return probe;
}

bool ArrivalProbe::Arrived(const std::string& entry_id) {
  sqlite3_stmt* query = query_.get();
  sqlite3_reset(query);
  sqlite3_bind_text(query, 1, entry_id.data(), static_cast<int>(entry_id.size()), SQLITE_STATIC);
  // SQLITE_BUSY (the writer is checkpointing) counts as "not yet": the next look will see it.
  return sqlite3_step(query) == SQLITE_ROW;
}

Result<SteadyClock::time_point> ArrivalProbe::WaitFor(const std::string& entry_id,
                                                      std::chrono::microseconds interval,
                                                      std::chrono::milliseconds timeout) {
  const SteadyClock::time_point deadline = SteadyClock::now() + timeout;
  while (SteadyClock::now() < deadline) {
    if (Arrived(entry_id)) return SteadyClock::now();
    std::this_thread::sleep_for(interval);
  }
  return Status::TimedOut("entry " + entry_id + " did not arrive within " +
                          std::to_string(timeout.count()) + " ms");
}

}  // namespace attune::bench
