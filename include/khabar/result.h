// khabar/result.h — errors as values across khabar's public API.
//
// No khabar function throws across the public API. A call that can fail returns a Status (no
// value) or a Result<T> (a value or an Error). The Error's message is written for the person
// running khabar: it names the file, the line or byte offset and the reason, so it can be
// printed as it is.
//
//   khabar::Result<khabar::Store> store = khabar::Store::open("news.db");
//   if (!store.ok()) {
//     std::cerr << store.error().message << "\n";
//     return 2;
//   }
//   store->count_articles();
//
// Result is movable and copyable when T is; accessing the value of a failed Result (or the error
// of a successful one) is a programming error and aborts in debug builds.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace khabar {

enum class ErrorCode {
  kInvalidArgument,  // the caller passed something out of range (a flag, an option)
  kBadInput,         // the data being read is malformed (bad UTF-8, broken JSON, ...)
  kNotFound,         // a path, an article id
  kIo,               // the operating system refused a read or a write
  kStorage,          // the database refused an operation or is of an unknown schema
  kInternal,         // a bug in khabar: please report it
};

// A short stable name for the code ("bad_input"), for JSON output and logs.
const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

inline Error make_error(ErrorCode code, std::string message) {
  return {code, std::move(message)};
}

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(status.error()) {}  // NOLINT: only from a failed Status

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Error& error() const {
    assert(!ok());
    return std::get<Error>(state_);
  }
  Status status() const { return ok() ? Status() : Status(error()); }

  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace khabar
