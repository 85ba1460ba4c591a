#include "text/utf8.h"

#include <simdjson.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace khabar::text {

int32_t next_code_point_slow(std::string_view s, size_t& i) {
  auto length = static_cast<int64_t>(s.size());
  auto index = static_cast<int64_t>(i);
  UChar32 c;
  U8_NEXT(s.data(), index, length, c);
  i = static_cast<size_t>(index);
  return c;
}

size_t find_invalid_utf8(std::string_view s) {
  // simdjson's SIMD validator answers yes or no at several GB/s; nearly all text is valid, so
  // the offset of the first bad byte is looked for only when there is one.
  if (simdjson::validate_utf8(s.data(), s.size())) return kNoInvalidByte;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    if (next_code_point(s, i) < 0) return start;
  }
  return kNoInvalidByte;
}

void append_code_point(std::string& out, char32_t c) {
  char buffer[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(buffer, length, static_cast<UChar32>(c));
  out.append(buffer, static_cast<size_t>(length));
}

std::string to_valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    const int32_t c = next_code_point(s, i);
    if (c < 0) {
      append_code_point(out, kReplacementCharacter);
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

size_t utf8_prefix_length(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s.size();
  size_t n = max_bytes;
  while (n > 0 && U8_IS_TRAIL(static_cast<uint8_t>(s[n])))
    --n;
  return n;
}

bool is_unicode_space(char32_t c) {
  return u_isUWhiteSpace(static_cast<UChar32>(c)) || c == 0x200B || c == 0xFEFF;
}

bool is_line_break(char32_t c) {
  return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2028 ||
         c == 0x2029;
}

std::vector<Span> split_lines(std::string_view s) {
  std::vector<Span> lines;
  size_t begin = 0;
  // memchr for each terminator, remembering the next \r: it is rare, and looking for it again
  // from every line would be quadratic.
  size_t cr = s.find('\r');
  while (begin < s.size()) {
    if (cr != std::string_view::npos && cr < begin) cr = s.find('\r', begin);
    const size_t end = std::min(s.find('\n', begin), cr);
    if (end == std::string_view::npos) break;
    lines.push_back({begin, end});
    begin = end + (s[end] == '\r' && end + 1 < s.size() && s[end + 1] == '\n' ? 2 : 1);
  }
  if (begin < s.size()) lines.push_back({begin, s.size()});
  return lines;
}

Span trim_span(std::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    size_t next = begin;
    const int32_t c = next_code_point(s, next);
    if (c < 0 || !is_space(static_cast<char32_t>(c))) break;
    begin = next;
  }
  size_t end = s.size();
  while (end > begin) {
    size_t start = end - 1;
    while (start > begin && U8_IS_TRAIL(static_cast<uint8_t>(s[start])))
      --start;
    size_t probe = start;
    const int32_t c = next_code_point(s, probe);
    if (c < 0 || !is_space(static_cast<char32_t>(c))) break;
    end = start;
  }
  return {begin, end};
}

std::string_view trim(std::string_view s) {
  return trim_span(s).of(s);
}

namespace {
// Bytes of the whitespace character at s[i], or 0. Only ASCII and the lead bytes C2, E1, E2,
// E3 and EF can start a space, so words are walked byte by byte without decoding them; a
// broken sequence is part of its word, and a space after it is still seen.
inline size_t space_length(std::string_view s, size_t i) {
  const auto lead = static_cast<uint8_t>(s[i]);
  if (lead < 0x80) return is_space(lead) ? 1 : 0;
  if (lead != 0xC2 && lead != 0xE1 && lead != 0xE2 && lead != 0xE3 && lead != 0xEF) return 0;
  size_t next = i;
  const int32_t c = next_code_point(s, next);
  return c >= 0 && is_space(static_cast<char32_t>(c)) ? next - i : 0;
}

template <typename OnWord>
void for_each_word(std::string_view s, OnWord on_word) {
  size_t i = 0;
  size_t word_begin = std::string_view::npos;
  while (i < s.size()) {
    const size_t space = space_length(s, i);
    if (space == 0) {
      if (word_begin == std::string_view::npos) word_begin = i;
      ++i;
      continue;
    }
    if (word_begin != std::string_view::npos) {
      on_word(s.substr(word_begin, i - word_begin));
      word_begin = std::string_view::npos;
    }
    i += space;
  }
  if (word_begin != std::string_view::npos) on_word(s.substr(word_begin));
}
}  // namespace

namespace {
// What a byte can be at the start of a character: part of a word, an ASCII space, or the lead
// byte of one of the few multi-byte spaces (U+0085, U+00A0, U+1680, U+2000.., U+3000, U+FEFF).
enum ByteClass : uint8_t { kWordByte, kAsciiSpace, kMaybeSpace };
constexpr std::array<uint8_t, 256> kByteClasses = [] {
  std::array<uint8_t, 256> classes{};
  for (const char c : {' ', '\t', '\n', '\v', '\f', '\r'})
    classes[static_cast<uint8_t>(c)] = kAsciiSpace;
  for (const uint8_t lead : {0xC2, 0xE1, 0xE2, 0xE3, 0xEF})
    classes[lead] = kMaybeSpace;
  return classes;
}();
}  // namespace

// Bytes of the whitespace at s[i] (0 if none), the byte's class known.
size_t space_length(std::string_view s, size_t i, uint8_t byte_class) {
  if (byte_class == kWordByte) return 0;
  return byte_class == kAsciiSpace ? 1 : space_length(s, i);
}

size_t count_words(std::string_view s) {
  size_t words = 0;
  size_t i = 0;
  while (i < s.size()) {
    const size_t space = space_length(s, i, kByteClasses[static_cast<uint8_t>(s[i])]);
    if (space > 0) {
      i += space;
      continue;
    }
    ++words;
    // The rest of the word, in a tight loop over the bytes that cannot start a space.
    do {
      ++i;
      while (i < s.size() && kByteClasses[static_cast<uint8_t>(s[i])] == kWordByte)
        ++i;
    } while (i < s.size() && space_length(s, i, kByteClasses[static_cast<uint8_t>(s[i])]) == 0);
  }
  return words;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string without_controls(std::string_view s, bool keep_line_breaks) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || c == '\t' || c == '\r') {
      out += keep_line_breaks && c != '\r' ? static_cast<char>(c) : ' ';
    } else if (c < 0x20 || c == 0x7F) {
      out += "\uFFFD";
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += "\uFFFD";  // U+0080 … U+009F
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::vector<DataLine> data_lines(std::string_view data) {
  std::vector<DataLine> out;
  const std::vector<Span> lines = split_lines(data);
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string_view line = trim(lines[n].of(data));
    if (!line.empty() && line.front() != '#') out.push_back({n + 1, line});
  }
  return out;
}

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = s.find(separator, start);
    parts.push_back(trim(s.substr(start, at - start)));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for_each_word(s, [&](std::string_view word) {
    if (!out.empty()) out.push_back(' ');
    out.append(word);
  });
  return out;
}

}  // namespace khabar::text
