#include "ingest/internal/gzip_members.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace khabar::ingest_internal {
namespace {

constexpr size_t kReadChunk = 1 << 16;
constexpr std::string_view kGzipHeader = "\x1f\x8b\x08";

}  // namespace

bool GzipMembers::read_more() {
  return input_.read_some(buffer_, kReadChunk) > 0;
}

// The next position at or after `from` where a gzip header starts, reading on as needed; the
// buffer's end when the input ends first.
size_t GzipMembers::next_header_from(size_t from) {
  for (;;) {
    const size_t found = buffer_.find(kGzipHeader, from);
    if (found != std::string::npos) return found;
    // A header may straddle the chunk boundary: look again from two bytes before the end.
    from = buffer_.size() >= 2 ? std::max(from, buffer_.size() - 2) : from;
    if (!read_more()) return buffer_.size();
  }
}

GzipMembers::Outcome GzipMembers::next(Member& member, size_t max_bytes) {
  if (at_ > 0) {  // drop what earlier members used
    buffer_.erase(0, at_);
    buffer_offset_ += at_;
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
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      member.error = std::string("corrupt gzip member: ") + (z.msg != nullptr ? z.msg : "bad data");
      break;
    }
  }
  inflateEnd(&z);
  if (!member.error.empty()) {
    member.bytes.clear();
    at_ = next_header_from(1);
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
