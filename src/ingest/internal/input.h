// Bytes from a file, standard input or memory, with look-ahead for format sniffing, bounded
// whole reads for one-article files and bounded lines for JSONL.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace khabar::ingest_internal {

class Input {
 public:
  explicit Input(std::string_view memory) : data_(memory), at_eof_(true) {}
  explicit Input(std::FILE* file) : file_(file) {}  // not owned
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;

  // Up to n upcoming bytes, without consuming them.
  std::string_view peek(size_t n);
  // Appends everything left, unless it is more than max_bytes: then appends nothing, returns
  // false and sets `size_seen` to how much was read before giving up.
  bool read_all(std::string& out, size_t max_bytes, uint64_t& size_seen);
  // The next line without its terminator. A line longer than max_bytes is not kept: `line`
  // holds its first max_bytes bytes, `too_long` is set, and the rest is skipped.
  bool next_line(std::string& line, size_t max_bytes, bool& too_long);
  // Appends up to n bytes (fewer only at the end of the input); returns how many.
  size_t read_some(std::string& out, size_t n);
  // Consumes up to n bytes without keeping them; returns how many.
  uint64_t skip(uint64_t n);
  // Offset of the next unread byte from the start of the input.
  uint64_t offset() const { return consumed_ + pos_; }
  bool read_failed() const { return read_error_; }

 private:
  bool fill();  // false at end of input
  std::string_view unread() const { return data_.substr(pos_); }

  std::FILE* file_ = nullptr;
  std::string owned_;
  std::string_view data_;
  size_t pos_ = 0;
  uint64_t consumed_ = 0;
  bool at_eof_ = false;
  bool read_error_ = false;
};

}  // namespace khabar::ingest_internal
