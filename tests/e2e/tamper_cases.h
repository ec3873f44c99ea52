// The tamper test's cases (tamper_test.cc): what a disk writer changes in Sam's database file,
// which cases the file's own schema calls for, and each case's documented outcome
// (tamper_outcomes.cc).
#ifndef ATTUNE_TESTS_E2E_TAMPER_CASES_H_
#define ATTUNE_TESTS_E2E_TAMPER_CASES_H_

#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tests/e2e/tamper_pair.h"
#include "tests/e2e/tamper_sql.h"

namespace attune::e2e::tamper {

enum class Change {
  kColumn,        // one column of one row changed (ChangeColumn)
  kRowDeleted,    // one row deleted
  kRowPlanted,    // a row added, copied from another
  kLogRewritten,  // every own entry made shared, the outgoing log rewritten to send them all
  kHeader,        // a field of the file header (PRAGMA user_version, application_id)
};

// One change to Sam's database file. `row` says which row:
//   entries   "private" (the private need) or "shared" (the pending shared need)
//   outgoing  "content" (the pending entry's log row) or "tombstone" (the withdrawn note's)
//   meta      the key
// For kRowPlanted, `row` is what the planted row is made to be: in entries and outgoing
// "private" (a row that would send the private need), in meta the planted key.
struct Case {
  std::string_view table;
  std::string_view column;  // kColumn and kHeader only
  std::string_view row;
  Change change;
};

// "entries.kind@private", "outgoing row deleted@content", "meta row planted@key.plain", ...
std::string NameOf(const Case& what);
// The same in letters, digits and underscores, for gtest.
std::string ParamNameOf(const Case& what);

// The name of every case the schema calls for: for each table, each column of each row kind
// above, each row kind deleted and one row planted; in meta, each key's value and each key
// deleted. A table other than these three gets a case of its own ("TABLE (unknown table)"),
// which no outcome names, so that the test fails until someone decides what it means.
std::vector<std::string> CasesOf(const Schema& schema);

// What a change touched, for the checks that follow it.
struct Touched {
  std::set<std::string> entries;  // own entries whose rows changed: no longer listed
  std::set<std::string> names;    // what a command that fails over the change must name
  std::string show;               // the entry to `show`: the one changed, or "" for none
};

// Makes the change in the database file at `path`.
Touched Apply(const Case& what, const std::string& path, const TamperIds& ids);

// Exit codes (docs/guide.md "Exit codes") expected of each of Sam's commands. kNotRun: the case
// touches no entry to `show`.
inline constexpr int kNotRun = -1;
struct Exits {
  int list, show, sync, serve;
};

enum Flags : unsigned {
  kNone = 0,
  kArrivesBySync = 1,   // Sam's pending shared entry still reaches Alex by Sam's sync
  kNamed = 2,           // every command exiting 8 names what was changed (touched.names)
  kUntouched = 4,       // every command is refused before it writes: the file stays byte for byte
  kArrivesByServe = 8,  // ... and by Alex's sync to Sam's serve
  kArrives = kArrivesBySync | kArrivesByServe,
};

struct Outcome {
  Case what;
  Exits exits;
  unsigned flags;
  std::string_view why;
};

// For gtest's messages and test names: the case's name.
void PrintTo(const Outcome& outcome, std::ostream* out);

// One row per case the schema calls for, and the extra cases (header fields, the rewritten
// log). tamper_outcomes.cc.
const std::vector<Outcome>& Outcomes();

}  // namespace attune::e2e::tamper

#endif  // ATTUNE_TESTS_E2E_TAMPER_CASES_H_
