// Result<T>: a value or an Error. Errors are values at every boundary (docs/architecture.md
// rule 5): the ErrorCode tells the caller what to do next, the message tells a human what
// happened.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace wgtrack {

enum class ErrorCode {
  kNotFound,          // interface/peer/family does not exist: skip it, do not retry now
  kPermissionDenied,  // missing capability or file permission: tell the operator
  kTransient,         // may succeed later (EAGAIN, DNS timeout, busy): retry with back-off
  kPermanent,         // will not succeed by retrying (NXDOMAIN, ENOTSUP)
  kProtocol,          // the other side sent something malformed or unexpected
  kInvalidInput,      // our caller or the operator gave bad input
  kUnsupported,       // not available on this system
  kTimeout,           // the other side did not answer within the bound
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;

  Error(ErrorCode c, std::string m) : code(c), message(std::move(m)) {}
  // Prefixes context: Error(...).context("reading wg0") -> "reading wg0: <message>".
  Error context(std::string_view what) const&;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_{ErrorCode::kProtocol, {}};
  bool ok_ = true;
};

inline Result<void> success() { return {}; }

}  // namespace wgtrack
