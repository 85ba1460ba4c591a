#include "ingest/internal/gzip_members.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace khabar::ingest_internal {
namespace {

constexpr size_t kReadChunk = 1 << 16;
// How much of a long member's consumed input is kept, to look for the next member in.
constexpr size_t kResyncWindow = size_t{1} << 20;
constexpr std::string_view kGzipHeader = "\x1f\x8b\x08";

}  // namespace

bool GzipMembers::read_more() {
  return input_.read_some(buffer_, kReadChunk) > 0;
}

void GzipMembers::drop_front(size_t bytes) {
  buffer_.erase(0, bytes);
  buffer_offset_ += bytes;
}

// The next position at or after `from` where a gzip header starts, reading on as needed; the
// buffer's end when the input ends first. What was searched is let go as the search goes on:
// after a damaged member the rest of a large file may hold no header at all.
size_t GzipMembers::next_header_from(size_t from) {
  for (;;) {
    const size_t found = buffer_.find(kGzipHeader, from);
    if (found != std::string::npos) return found;
    // A header may straddle the chunk boundary: keep the last two bytes, and look again there.
    if (buffer_.size() > 2 && from < buffer_.size() - 2) {
      drop_front(buffer_.size() - 2);
      from = 0;
    }
    if (!read_more()) return buffer_.size();
  }
}

GzipMembers::Outcome GzipMembers::next(Member& member, size_t max_bytes) {
  if (at_ > 0) {  // drop what earlier members used
    drop_front(at_);
    at_ = 0;
  }
  member.bytes.clear();
  member.error.clear();
  member.offset = buffer_offset_;
  while (buffer_.size() < kGzipHeader.size() && read_more()) {
  }
  if (buffer_.empty()) return Outcome::kEnd;
  if (std::string_view(buffer_).substr(0, kGzipHeader.size()) != kGzipHeader) {
    member.error = "not the start of a gzip member (the file is damaged here)";
    at_ = next_header_from(1);
    return Outcome::kBad;
  }

  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
    member.error = "zlib could not start";
    at_ = buffer_.size();
    return Outcome::kBad;
  }
  std::array<unsigned char, kReadChunk> out{};
  size_t in = 0;
  bool too_large = false;
  bool start_dropped = false;
  for (;;) {
    if (in == buffer_.size() && !read_more()) {
      member.error = "truncated gzip member (the file ends inside it)";
      break;
    }
    z.next_in = reinterpret_cast<Bytef*>(buffer_.data() + in);
    z.avail_in = static_cast<uInt>(buffer_.size() - in);
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_NO_FLUSH);
    in = buffer_.size() - z.avail_in;
    const size_t produced = out.size() - z.avail_out;
    // Past the limit the rest is decompressed and dropped, to find where the member ends.
    if (!too_large && member.bytes.size() + produced > max_bytes) {
      too_large = true;
      member.bytes.clear();
    }
    if (!too_large) member.bytes.append(reinterpret_cast<const char*>(out.data()), produced);
    // A member past the limit is only read to its end: its compressed bytes need not be kept,
    // but for the last stretch, where the next member's header is if this one is cut short
    // (zlib reads on into it before it fails).
    if (rc != Z_STREAM_END && (too_large || in > max_bytes) && in >= kResyncWindow + kReadChunk) {
      drop_front(in - kResyncWindow);
      in = kResyncWindow;
      start_dropped = true;
    }
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      member.error = std::string("corrupt gzip member: ") + (z.msg != nullptr ? z.msg : "bad data");
      break;
    }
  }
  inflateEnd(&z);
  if (!member.error.empty()) {
    member.bytes.clear();
    // The next header after this member's first byte, or in what is kept of what was read.
    at_ = next_header_from(start_dropped ? 0 : 1);
    return Outcome::kBad;
  }
  at_ = in;
  if (too_large) {
    member.error = "a gzip member larger than the limit decompressed";
    return Outcome::kBad;
  }
  return Outcome::kMember;
}

}  // namespace khabar::ingest_internal
