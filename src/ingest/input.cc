#include "ingest/internal/input.h"

#include <algorithm>
#include <cstring>

namespace khabar::ingest_internal {

namespace {
constexpr size_t kChunk = 1 << 16;
}

bool Input::fill() {
  if (at_eof_ || file_ == nullptr) return false;
  if (pos_ > 0 && pos_ >= owned_.size() / 2) {  // drop what was consumed before growing
    owned_.erase(0, pos_);
    consumed_ += pos_;
    pos_ = 0;
  }
  const size_t old_size = owned_.size();
  owned_.resize(old_size + kChunk);
  const size_t got = std::fread(owned_.data() + old_size, 1, kChunk, file_);
  owned_.resize(old_size + got);
  data_ = owned_;
  if (got == 0) {
    at_eof_ = true;
    read_error_ = std::ferror(file_) != 0;
    return false;
  }
  return true;
}

std::string_view Input::peek(size_t n) {
  while (unread().size() < n && fill()) {
  }
  return unread().substr(0, n);
}

bool Input::read_all(std::string& out, size_t max_bytes, uint64_t& size_seen) {
  while (unread().size() <= max_bytes && fill()) {
  }
  size_seen = unread().size();
  if (unread().size() > max_bytes) return false;
  out.append(unread());
  pos_ = data_.size();
  return true;
}

bool Input::next_line(std::string& line, size_t max_bytes, bool& too_long) {
  line.clear();
  too_long = false;
  if (unread().empty() && !fill()) return false;
  while (true) {
    const std::string_view rest = unread();
    const void* found = std::memchr(rest.data(), '\n', rest.size());
    const size_t length =
        found == nullptr ? rest.size() : static_cast<const char*>(found) - rest.data();
    if (!too_long) {
      const size_t room = max_bytes - line.size();
      line.append(rest.substr(0, std::min(length, room)));
      if (length > room) too_long = true;
    }
    if (found != nullptr) {
      pos_ += length + 1;
      break;
    }
    pos_ += length;
    if (!fill()) break;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

size_t Input::read_some(std::string& out, size_t n) {
  size_t got = 0;
  while (got < n) {
    if (unread().empty() && !fill()) break;
    const std::string_view part = unread().substr(0, n - got);
    out.append(part);
    pos_ += part.size();
    got += part.size();
  }
  return got;
}

uint64_t Input::skip(uint64_t n) {
  uint64_t skipped = 0;
  while (skipped < n) {
    if (unread().empty() && !fill()) break;
    const size_t part = static_cast<size_t>(std::min<uint64_t>(unread().size(), n - skipped));
    pos_ += part;
    skipped += part;
  }
  return skipped;
}

}  // namespace khabar::ingest_internal
