#pragma once
// Fixed-width values as bytes, in the machine's byte order: the state khabar keeps in the store
// to start from instead of rebuilding it (story snapshots, duplicate keys). Each such record
// names its format, so bytes from another machine or build fail that check and are rebuilt.
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace khabar::text {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  template <typename T>
  void put(T value) {
    static_assert(std::is_arithmetic_v<T>);
    out_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }

 private:
  std::string& out_;
};

// Reads what a ByteWriter wrote. Reading past the end, or a count larger than what is left
// could hold, fails the reader for good: every later value is zero and ok() is false.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  template <typename T>
  T get() {
    static_assert(std::is_arithmetic_v<T>);
    T value{};
    if (failed_ || in_.size() < sizeof value) {
      failed_ = true;
      return value;
    }
    std::memcpy(&value, in_.data(), sizeof value);
    in_.remove_prefix(sizeof value);
    return value;
  }
  // A count of things that take at least `bytes_each` bytes each: damaged bytes cannot ask for
  // more memory than what is left to read could fill.
  template <typename T>
  T count(size_t bytes_each) {
    const T n = get<T>();
    if (n > in_.size() / bytes_each) failed_ = true;
    return failed_ ? 0 : n;
  }
  bool ok() const { return !failed_; }
  bool done() const { return !failed_ && in_.empty(); }
  std::string_view rest() const { return failed_ ? std::string_view() : in_; }

 private:
  std::string_view in_;
  bool failed_ = false;
};

}  // namespace khabar::text
