// Status and StatusOr<T>: what the library could not do.
//
// Problems in a user's rules are not Statuses but Diagnostics (diagnostic.h);
// bad records in a findings file are reported per record (finding_io.h). A
// Status is for I/O failures, limits reached, and bugs.
//
//   xuncha::StatusOr<Engine> engine = ...;
//   if (!engine.ok()) { std::cerr << engine.status() << "\n"; return 1; }
//
// The codes are Abseil's canonical codes; Abseil itself is not a dependency.

#ifndef XUNCHA_STATUS_H_
#define XUNCHA_STATUS_H_

#include <cassert>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "xuncha/export.h"

namespace xuncha {

enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
};

XUNCHA_EXPORT std::string_view StatusCodeName(StatusCode code);

// Immutable value; cheap to copy when OK.
class XUNCHA_EXPORT Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "INVALID_ARGUMENT: message", or "OK".
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline std::ostream& operator<<(std::ostream& os, const Status& s) {
  return os << s.ToString();
}

inline Status InvalidArgumentError(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFoundError(std::string m) {
  return Status(StatusCode::kNotFound, std::move(m));
}
inline Status ResourceExhaustedError(std::string m) {
  return Status(StatusCode::kResourceExhausted, std::move(m));
}
inline Status FailedPreconditionError(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status OutOfRangeError(std::string m) {
  return Status(StatusCode::kOutOfRange, std::move(m));
}
inline Status InternalError(std::string m) {
  return Status(StatusCode::kInternal, std::move(m));
}
inline Status UnavailableError(std::string m) {
  return Status(StatusCode::kUnavailable, std::move(m));
}
inline Status DataLossError(std::string m) {
  return Status(StatusCode::kDataLoss, std::move(m));
}
inline Status UnimplementedError(std::string m) {
  return Status(StatusCode::kUnimplemented, std::move(m));
}
// An errno-carrying I/O failure: "open foo.jsonl: No such file or directory".
XUNCHA_EXPORT Status ErrnoError(std::string_view what, int errnum);

// Either a value or a non-OK Status.
template <typename T>
class StatusOr {
 public:
  // REQUIRES: !status.ok()
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok());
    if (status_.ok()) status_ = InternalError("StatusOr built from OK status");
  }
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok()
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace xuncha

#define XUNCHA_STATUS_CONCAT_INNER_(a, b) a##b
#define XUNCHA_STATUS_CONCAT_(a, b) XUNCHA_STATUS_CONCAT_INNER_(a, b)

#define XUNCHA_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::xuncha::Status xuncha_status_ = (expr);        \
    if (!xuncha_status_.ok()) return xuncha_status_; \
  } while (0)

#define XUNCHA_ASSIGN_OR_RETURN(lhs, expr)                                  \
  XUNCHA_ASSIGN_OR_RETURN_IMPL_(                                            \
      XUNCHA_STATUS_CONCAT_(xuncha_statusor_, __LINE__), lhs, expr)
#define XUNCHA_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()

#endif  // XUNCHA_STATUS_H_
