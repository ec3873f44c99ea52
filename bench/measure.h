// Measuring instruments for the end-to-end benchmark: a timed child process (with its peak
// memory), a node's peak memory while it runs, a reader watching another node's database for an
// entry to arrive, and the statistics the figures use. Thread-compatible.
#ifndef ATTUNE_BENCH_MEASURE_H_
#define ATTUNE_BENCH_MEASURE_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "tests/e2e/run_attune.h"

struct sqlite3;
struct sqlite3_stmt;

namespace attune::bench {

using SteadyClock = std::chrono::steady_clock;

double MillisBetween(SteadyClock::time_point from, SteadyClock::time_point to);
double SecondsSince(SteadyClock::time_point start);

// The median of `samples` (the mean of the middle two for an even count); 0 if empty.
double Median(std::vector<double> samples);
// The nearest-rank percentile `p` (0 < p <= 100) of `samples`; 0 if empty.
double Percentile(std::vector<double> samples, double p);

struct TimedRun {
  e2e::RunResult result;
  SteadyClock::time_point started;
  SteadyClock::time_point exited;  // when waitpid saw the child end
  long max_rss_kib = 0;            // the child's peak resident set, sampled (see RunTimed)

  double millis() const { return MillisBetween(started, exited); }
};

// Runs `request` like e2e::RunProcess (pipes, deadline; standard input must be empty), but reaps
// the child with a blocking waitpid, so its exit time is exact rather than rounded up to a
// polling interval. While the child runs, its VmHWM is read every few milliseconds: not
// ru_maxrss, which Linux carries over from before exec, so every child of a driver holding
// 100,000 entries would report the driver's size. Growth in the last interval before exit
// goes unseen.
TimedRun RunTimed(const e2e::RunRequest& request);

// The peak resident set (VmHWM) of a process that is still running, in KiB; 0 if unknown (or
// already exited). For a long-running node, read just before it is stopped: the high-water mark
// covers its whole life since exec.
long PeakRssKib(pid_t pid);

// A read-only connection to another node's journal database, asking whether a partner entry
// has arrived. Reads the file the way any SQLite reader may beside a WAL writer; it never
// writes, so it cannot slow the node down with locks.
class ArrivalProbe {
 public:
  static Result<ArrivalProbe> Open(const std::string& database_path);

  bool Arrived(const std::string& entry_id);
  // Polls every `interval` until the entry is there; the time it was first seen.
  Result<SteadyClock::time_point> WaitFor(const std::string& entry_id,
                                          std::chrono::microseconds interval,
                                          std::chrono::milliseconds timeout);

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
    void operator()(sqlite3_stmt* statement) const;
  };
  ArrivalProbe() = default;

  std::unique_ptr<sqlite3, Closer> db_;
  std::unique_ptr<sqlite3_stmt, Closer> query_;  // prepared once, reset for each look
};

}  // namespace attune::bench

#endif  // ATTUNE_BENCH_MEASURE_H_
