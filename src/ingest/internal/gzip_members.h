// The members of a multi-member gzip stream, one at a time: web archives (.warc.gz) compress
// each record as a member of its own, so a damaged member costs one record, not the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/internal/input.h"

namespace khabar::ingest_internal {

class GzipMembers {
 public:
  explicit GzipMembers(Input& input) : input_(input) {}

  struct Member {
    uint64_t offset = 0;  // of the member's first byte in the compressed input
    std::string bytes;    // decompressed
    std::string error;    // why the member was bad
  };
  enum class Outcome { kMember, kBad, kEnd };

  // The next member, decompressed. A member larger than max_bytes decompressed, or truncated,
  // or corrupt, is kBad with `error` set; reading goes on at the member after it (the end of
  // a large one, or the next gzip header after a damaged one).
  Outcome next(Member& member, size_t max_bytes);

 private:
  bool read_more();
  void drop_front(size_t bytes);
  size_t next_header_from(size_t from);

  Input& input_;
  std::string buffer_;
  size_t at_ = 0;               // the next member's start in buffer_
  uint64_t buffer_offset_ = 0;  // input offset of buffer_[0]
};

}  // namespace khabar::ingest_internal
