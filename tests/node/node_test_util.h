// Helpers shared by the journal-service tests (node_test): libsodium start-up, a temporary
// home per test, raw file access, passphrase sources that count their calls, and assertion
// macros for Status and Result.
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

namespace attune::node::testing {

// 2026-01-01T00:00:00.123 UTC, written one hour east of UTC.
inline constexpr Timestamp kStartTime = {1767225600123, 60};

// A fresh directory from mkdtemp, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// Whole file contents; empty if the file does not exist.
Bytes ReadFileBytes(const std::string& path);
bool FileExists(const std::string& path);
// Permission bits (mode & 0777), or -1 if nothing is there.
int FileMode(const std::string& path);
bool BytesContain(const Bytes& haystack, std::string_view needle);

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

// "kWrongPassphrase: detail" for assertion messages.
std::string Describe(const Status& status);
std::string CodeName(StatusCode code);

// Every stored and exported property of two entries, as a gtest assertion.
::testing::AssertionResult SameEntry(const Entry& expected, const Entry& actual);

// A draft for Journal::Add.
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

  TempDir temp_;
  Home home_;
  ManualClock clock_;
  std::optional<Journal> journal_;
};

}  // namespace attune::node::testing

#define ATTUNE_TEST_CONCAT_INNER_(a, b) a##b
#define ATTUNE_TEST_CONCAT_(a, b) ATTUNE_TEST_CONCAT_INNER_(a, b)

#define ASSERT_OK(expr)                                                                          \
  do {                                                                                           \
    const ::attune::Status assert_ok_status_ = (expr);                                           \
    ASSERT_TRUE(assert_ok_status_.ok()) << ::attune::node::testing::Describe(assert_ok_status_); \
  } while (0)

#define EXPECT_OK(expr)                                                                          \
  do {                                                                                           \
    const ::attune::Status expect_ok_status_ = (expr);                                           \
    EXPECT_TRUE(expect_ok_status_.ok()) << ::attune::node::testing::Describe(expect_ok_status_); \
  } while (0)

// Passes a Status or a Result: EXPECT_CODE(journal.Get("zz"), kInvalidArgument).
#define EXPECT_CODE(expr, expected_code)                                                \
  EXPECT_EQ(::attune::node::testing::CodeName(::attune::node::testing::StatusOf(expr)), \
            ::attune::node::testing::CodeName(::attune::StatusCode::expected_code))

#define ASSERT_CODE(expr, expected_code)                                                \
  ASSERT_EQ(::attune::node::testing::CodeName(::attune::node::testing::StatusOf(expr)), \
            ::attune::node::testing::CodeName(::attune::StatusCode::expected_code))

// ASSERT_OK_AND_ASSIGN(auto x, MakeX()); fails the test unless MakeX() holds a value.
#define ASSERT_OK_AND_ASSIGN(decl, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(ATTUNE_TEST_CONCAT_(assert_result_, __LINE__), decl, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, decl, expr)                         \
  auto tmp = (expr);                                                        \
  ASSERT_TRUE(tmp.ok()) << ::attune::node::testing::Describe(tmp.status()); \
  decl = std::move(tmp).value()

namespace attune::node::testing {

inline StatusCode StatusOf(const Status& status) {
  return status.code();
}
template <typename T>
StatusCode StatusOf(const Result<T>& result) {
  return result.ok() ? StatusCode::kOk : result.status().code();
}

}  // namespace attune::node::testing

#endif  // ATTUNE_TESTS_NODE_NODE_TEST_UTIL_H_
