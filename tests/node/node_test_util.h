// Helpers shared by the journal-service tests (node_test): libsodium start-up, a temporary
// home per test, passphrase sources that count their calls, entry drafts and comparisons.
// Temporary directories, raw file access and the Status assertion macros come from
// tests/common/ and are re-exported here.
#ifndef ATTUNE_TESTS_NODE_NODE_TEST_UTIL_H_
#define ATTUNE_TESTS_NODE_NODE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "node/clock.h"
#include "node/entry.h"
#include "node/home.h"
#include "node/journal.h"
#include "node/secret.h"
#include "tests/common/files.h"
#include "tests/common/status_assertions.h"

namespace attune::node::testing {

// 2026-01-01T00:00:00.123 UTC, written one hour east of UTC.
inline constexpr Timestamp kStartTime = {1767225600123, 60};

// From tests/common, so the node tests can keep calling them unqualified.
using test_common::BytesContain;
using test_common::CodeName;
using test_common::Describe;
using test_common::FileExists;
using test_common::FileMode;
using test_common::ReadFileBytes;
using test_common::TempDir;

// A passphrase source that hands out `passphrase` and counts how often it was asked.
struct CountingPassphrase {
  explicit CountingPassphrase(std::string passphrase);
  PassphraseSource source();

  std::string passphrase;
  std::shared_ptr<int> calls = std::make_shared<int>(0);
};

// A source that must not be called: it records a test failure if it is.
PassphraseSource MustNotAsk();

// A source that answers as a session with no terminal would.
PassphraseSource NoPassphraseAvailable();

// Every stored and exported property of two entries, as a gtest assertion.
::testing::AssertionResult SameEntry(const Entry& expected, const Entry& actual);

// A draft for Journal::Add.
// For a response without `responds_to` in `fields`, a placeholder target is added.
NewEntry Draft(std::string kind, std::string text, std::vector<std::string> tags = {},
               nlohmann::json fields = nlohmann::json::object(),
               std::vector<std::string> links = {});

// A filter on one kind only.
ListFilter KindFilter(std::string kind);

// Options that keep tests fast: the cheapest Argon2id level, or no passphrase at all.
InitOptions FastOptions(bool no_passphrase, std::string name = "Robin");

// A temporary home and a pinned clock per test; InitJournal() makes a passphrase-free journal.
class JournalTest : public ::testing::Test {
 protected:
  JournalTest() : home_(temp_.File("home")), clock_(kStartTime) {}

  // Creates journal_ (no passphrase). Call through ASSERT_NO_FATAL_FAILURE.
  void InitJournal();
  Journal& journal() { return *journal_; }
  // Closes the journal, so its files can be read or changed behind its back.
  void CloseJournal() { journal_.reset(); }
  Result<Entry> AddEntry(std::string kind, std::string text, std::vector<std::string> tags = {});
  // A new entry, shared as it is added (`attune add --share`).
  Result<Entry> AddShared(std::string kind, std::string text);

  TempDir temp_;
  Home home_;
  ManualClock clock_;
  std::optional<Journal> journal_;
};

}  // namespace attune::node::testing

#endif  // ATTUNE_TESTS_NODE_NODE_TEST_UTIL_H_
