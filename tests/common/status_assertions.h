// gtest assertions for attune::Status and Result<T>, shared by the test suites. On failure
// they print the code by name and the detail.
//
//   ASSERT_OK(db.Put(...));                       EXPECT_OK(status);
//   ASSERT_OK_AND_ASSIGN(auto db, Database::Open(path));
//   EXPECT_CODE(journal.Get("zz"), kInvalidArgument);   // takes a Status or a Result
#ifndef ATTUNE_TESTS_COMMON_STATUS_ASSERTIONS_H_
#define ATTUNE_TESTS_COMMON_STATUS_ASSERTIONS_H_

#include <gtest/gtest.h>

#include <string>

#include "base/status.h"

namespace attune::test_common {

// "auth_failed" for a code (base/status.h, StatusCodeName).
std::string CodeName(StatusCode code);
// "auth_failed: detail" for assertion messages.
std::string Describe(const Status& status);
// "" for an ok status, else Describe(status).
std::string FailureText(const Status& status);

inline StatusCode StatusOf(const Status& status) {
  return status.code();
}
template <typename T>
StatusCode StatusOf(const Result<T>& result) {
  return result.ok() ? StatusCode::kOk : result.status().code();
}

inline Status FailureOf(const Status& status) {
  return status;
}
template <typename T>
Status FailureOf(const Result<T>& result) {
  return result.ok() ? Status::Ok() : result.status();
}

}  // namespace attune::test_common

#define ATTUNE_TEST_CONCAT_INNER_(a, b) a##b
#define ATTUNE_TEST_CONCAT_(a, b) ATTUNE_TEST_CONCAT_INNER_(a, b)

// The status is described inside the full expression, not bound by reference: `expr` may be
// a temporary's status().
#define ASSERT_OK(expr)                                                              \
  do {                                                                               \
    const std::string assert_ok_failure_ = ::attune::test_common::FailureText(expr); \
    ASSERT_TRUE(assert_ok_failure_.empty()) << assert_ok_failure_;                   \
  } while (0)

#define EXPECT_OK(expr)                                                              \
  do {                                                                               \
    const std::string expect_ok_failure_ = ::attune::test_common::FailureText(expr); \
    EXPECT_TRUE(expect_ok_failure_.empty()) << expect_ok_failure_;                   \
  } while (0)

// Passes a Status or a Result: EXPECT_CODE(journal.Get("zz"), kInvalidArgument).
#define EXPECT_CODE(expr, expected_code)                                            \
  EXPECT_EQ(::attune::test_common::CodeName(::attune::test_common::StatusOf(expr)), \
            ::attune::test_common::CodeName(::attune::StatusCode::expected_code))

#define ASSERT_CODE(expr, expected_code)                                            \
  ASSERT_EQ(::attune::test_common::CodeName(::attune::test_common::StatusOf(expr)), \
            ::attune::test_common::CodeName(::attune::StatusCode::expected_code))

// Passes a Status or a Result: EXPECT_REASON(journal.Unpair(true), kNotFound,
// node::JournalReason::kNotPaired) checks the code and the typed reason (Status::Is).
#define EXPECT_REASON(expr, expected_code, expected_reason)                                       \
  do {                                                                                            \
    const ::attune::Status expect_reason_status_ = ::attune::test_common::FailureOf(expr);        \
    EXPECT_EQ(::attune::test_common::CodeName(expect_reason_status_.code()),                      \
              ::attune::test_common::CodeName(::attune::StatusCode::expected_code))               \
        << expect_reason_status_.detail();                                                        \
    EXPECT_TRUE(expect_reason_status_.Is(expected_reason))                                        \
        << "reason " << expect_reason_status_.reason() << ": " << expect_reason_status_.detail(); \
  } while (0)

// ASSERT_OK_AND_ASSIGN(auto x, MakeX()); fails the test unless MakeX() holds a value.
#define ASSERT_OK_AND_ASSIGN(decl, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(ATTUNE_TEST_CONCAT_(assert_result_, __LINE__), decl, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, decl, expr)                       \
  auto tmp = (expr);                                                      \
  ASSERT_TRUE(tmp.ok()) << ::attune::test_common::Describe(tmp.status()); \
  decl = std::move(tmp).value()

#endif  // ATTUNE_TESTS_COMMON_STATUS_ASSERTIONS_H_
