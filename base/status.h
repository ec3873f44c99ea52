// attune's one error style: a [[nodiscard]] Status (code + developer-facing
// detail) and Result<T> (a value or a non-ok Status).
//
// Low layers return codes and short factual details; the sentences a person
// reads are written once, at the cli edge, from the code and, where one code
// covers several situations, a typed reason. Details never carry journal
// text, names, passphrases or key material.
//
// Reasons: a module that must tell its callers apart within one code defines
// an enum of reasons in its public header, numbered from its own base so that
// two modules never share a value (protocol from 300, node from 400), and
// attaches one with WithReason(). Callers test it with Is(). base knows
// nothing of the enums themselves.
//
// The codes are the kinds of failure a library has to tell apart (much as
// LevelDB's few); what a person must be told apart beyond them, such as "no
// journal here yet", "no partner yet" or "wrong passphrase", is a reason of
// the module that knows it (node::JournalReason, node::PairingReason, ...).
#ifndef ATTUNE_BASE_STATUS_H_
#define ATTUNE_BASE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace attune {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller (ultimately the user) gave bad input
  kNotFound,         // no such entry, file or setting
  kAlreadyExists,    // e.g. init on a home that already has a journal
  kAuthFailed,       // sealed bytes failed authentication (tamper, swap)
  kCorruption,       // stored bytes are not in a format we wrote
  kUnsupported,      // e.g. a database from a newer schema version
  kBusy,             // the database stayed locked past the busy timeout
  kIoError,          // the OS refused: permissions, read-only, missing dir
  kCancelled,        // the user said no at a confirmation
  kInternal,         // a bug: should never reach a user
  kUnknownPeer,      // a peer proved a key that is not the paired partner's
  kUnreachable,      // could not connect, or the peer closed the connection early
  kTimedOut,         // the peer (or the person being waited for) took too long
  kProtocolError,    // the link broke: tampered, malformed or unexpected bytes from the peer
  kNoSpace,          // no room to write: full disk, full quota or the file-size limit
};

// The code's stable name: "invalid_argument", "no_space", ... A failing command's --json error
// reports it (docs/guide.md), so a name is never changed once released.
constexpr const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kAuthFailed:
      return "auth_failed";
    case StatusCode::kCorruption:
      return "corruption";
    case StatusCode::kUnsupported:
      return "unsupported";
    case StatusCode::kBusy:
      return "busy";
    case StatusCode::kIoError:
      return "io_error";
    case StatusCode::kCancelled:
      return "cancelled";
    case StatusCode::kInternal:
      return "internal";
    case StatusCode::kUnknownPeer:
      return "unknown_peer";
    case StatusCode::kUnreachable:
      return "unreachable";
    case StatusCode::kTimedOut:
      return "timed_out";
    case StatusCode::kProtocolError:
      return "protocol_error";
    case StatusCode::kNoSpace:
      return "no_space";
  }
  return "internal";
}

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string d) {
    return {StatusCode::kInvalidArgument, std::move(d)};
  }
  static Status NotFound(std::string d) { return {StatusCode::kNotFound, std::move(d)}; }
  static Status AlreadyExists(std::string d) { return {StatusCode::kAlreadyExists, std::move(d)}; }
  static Status AuthFailed(std::string d) { return {StatusCode::kAuthFailed, std::move(d)}; }
  static Status Corruption(std::string d) { return {StatusCode::kCorruption, std::move(d)}; }
  static Status Unsupported(std::string d) { return {StatusCode::kUnsupported, std::move(d)}; }
  static Status Busy(std::string d) { return {StatusCode::kBusy, std::move(d)}; }
  static Status IoError(std::string d) { return {StatusCode::kIoError, std::move(d)}; }
  static Status Cancelled(std::string d) { return {StatusCode::kCancelled, std::move(d)}; }
  static Status Internal(std::string d) { return {StatusCode::kInternal, std::move(d)}; }
  static Status UnknownPeer(std::string d) { return {StatusCode::kUnknownPeer, std::move(d)}; }
  static Status Unreachable(std::string d) { return {StatusCode::kUnreachable, std::move(d)}; }
  static Status TimedOut(std::string d) { return {StatusCode::kTimedOut, std::move(d)}; }
  static Status ProtocolError(std::string d) { return {StatusCode::kProtocolError, std::move(d)}; }
  static Status NoSpace(std::string d) { return {StatusCode::kNoSpace, std::move(d)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& detail() const { return detail_; }

  // The same code with another detail: for a layer that words the message anew.
  // The reason stays.
  Status WithDetail(std::string detail) const {
    if (ok()) return *this;
    Status out{code_, std::move(detail)};
    out.reason_ = reason_;
    return out;
  }

  // The same status with a typed reason (an enumerator of a module's reason enum, see above).
  // An ok status stays ok and carries none.
  template <typename Enum>
  Status WithReason(Enum reason) const {
    Status out = *this;
    if (!ok()) out.reason_ = static_cast<int>(reason);
    return out;
  }
  // Whether this status carries `reason`. Never true for an ok status.
  template <typename Enum>
  bool Is(Enum reason) const {
    return !ok() && reason_ == static_cast<int>(reason);
  }
  // The reason as a number, 0 if none: for logs and tests that print it.
  int reason() const { return reason_; }

  // Prefixes the detail with where it happened, keeping the code.
  Status WithContext(const std::string& where) const {
    if (ok()) return *this;
    return WithDetail(where + ": " + detail_);
  }

 private:
  Status(StatusCode code, std::string detail) : code_(code), detail_(std::move(detail)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string detail_;
  int reason_ = 0;
};

// A value or the reason there is none. Construct from a T or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "Result needs a value or a non-ok Status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace attune

// Returns early with the status if it is not ok.
#define ATTUNE_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::attune::Status attune_status_ = (expr);        \
    if (!attune_status_.ok()) return attune_status_; \
  } while (0)

#define ATTUNE_CONCAT_INNER_(a, b) a##b
#define ATTUNE_CONCAT_(a, b) ATTUNE_CONCAT_INNER_(a, b)

// ATTUNE_ASSIGN_OR_RETURN(auto x, MakeX()); declares x from a Result or returns its status.
#define ATTUNE_ASSIGN_OR_RETURN(decl, expr) \
  ATTUNE_ASSIGN_OR_RETURN_IMPL_(ATTUNE_CONCAT_(attune_result_, __LINE__), decl, expr)
#define ATTUNE_ASSIGN_OR_RETURN_IMPL_(tmp, decl, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  decl = std::move(tmp).value()

#endif  // ATTUNE_BASE_STATUS_H_
