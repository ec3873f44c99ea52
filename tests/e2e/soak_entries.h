// The SIGKILL soak's (soak_test.cc) picture of a home's own entries, the random choices it
// makes, and the bulk changes it writes as `attune import` files. Runs nothing.
#ifndef ATTUNE_TESTS_E2E_SOAK_ENTRIES_H_
#define ATTUNE_TESTS_E2E_SOAK_ENTRIES_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace attune::e2e {

// In the text of every entry that must never reach the partner, to look for on their side.
inline constexpr char kNeverCrossMarker[] = "NEVER-CROSS";

// One of a home's own entries, as the test expects `list --json` to show it.
struct OwnEntry {
  std::string kind;
  std::string text;
  nlohmann::json fields = nlohmann::json::object();
  nlohmann::json tags = nlohmann::json::array();
  std::string created, updated;  // bulk entries only: those made by hand carry the real time
  bool shared = false;
  bool never_cross = false;  // private from the start and never shared
  bool by_hand = false;      // made by `add`; changed only by `edit`, `share`, `unshare`, `rm`
};

using OwnEntries = std::map<std::string, OwnEntry>;  // by id

struct ChangeCounts {
  int created = 0, edited = 0, removed = 0;
};

// Random choices from one seeded generator, and the entries made from them. Bulk entries get
// times from the maker's own clock (one millisecond later at each change, from 2026-01-01), so
// every imported edit is newer than the version before it; entries made by hand are never
// edited in bulk, so the real clock of the commands never competes with it.
class ChangeMaker {
 public:
  void Seed(uint64_t seed) { rng_.seed(seed); }

  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int Between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  double UpTo(double limit) { return std::uniform_real_distribution<double>(0.0, limit)(rng_); }

  // Text starting with `head`, of a varied length: mostly short, some of a few KiB, and a few
  // near the 64 KiB limit, which travel in several fragments. Includes multi-byte UTF-8.
  std::string SomeText(const std::string& head);

  // Adds `fresh` new entries written by `author` to `entries` and gives up to `edits` of its
  // bulk entries a newer version (sometimes shared or unshared, never one that must not cross);
  // returns all of them as an export document for `attune import`, or "" if there are none.
  // `round` goes into each new entry's fields.
  std::string BulkChanges(const std::string& author, OwnEntries& entries, int fresh, int edits,
                          int round);
  // The id of the last shared entry of the latest BulkChanges document ("" if none): the log
  // sends in order, so once the partner holds it, it holds all of them.
  const std::string& last_shared_id() const { return last_shared_id_; }

  ChangeCounts& counts() { return counts_; }

 private:
  std::string NewId();
  std::string NextTime();
  OwnEntry NewBulkEntry(const std::string& author, int round);
  void EditBulkEntry(OwnEntry& entry);

  std::mt19937_64 rng_;
  uint64_t clock_ms_ = 0;
  std::string last_shared_id_;
  ChangeCounts counts_;
};

// Entries of `list --json` by id, without `author` (which says whose they are from the reader's
// side, so it differs between the writer's copy and the partner's).
using EntryMap = std::map<std::string, nlohmann::json>;
EntryMap ById(const nlohmann::json& listed);

// How `got` differs from `want`, by ids and field names only (never text); "" if equal.
std::string Difference(const EntryMap& want, const EntryMap& got);

}  // namespace attune::e2e

#endif  // ATTUNE_TESTS_E2E_SOAK_ENTRIES_H_
