// Text primitives shared by every stage: UTF-8 stepping (through ICU's macros), line spans with
// byte offsets into the original text, and whitespace/word helpers. Offsets are always byte
// offsets into the UTF-8 text they were computed on, because removals and highlights are stored
// as such.
#pragma once

#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace khabar::text {

inline constexpr size_t kNoInvalidByte = static_cast<size_t>(-1);
inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Byte offset of the first ill-formed UTF-8 sequence, or kNoInvalidByte.
size_t find_invalid_utf8(std::string_view s);

// Replaces each ill-formed sequence by U+FFFD, so later stages can assume valid UTF-8.
std::string to_valid_utf8(std::string_view s);

// Decodes the code point at s[i] and advances i past it; an ill-formed sequence yields a
// negative value and i moves past the bad bytes. Inline: it is on every hot loop. i < s.size().
int32_t next_code_point_slow(std::string_view s, size_t& i);

[[gnu::always_inline]] inline int32_t next_code_point(std::string_view s, size_t& i) {
  // ASCII and two-byte sequences (Arabic, Latin-1) inline: they are nearly all news text.
  const auto lead = static_cast<uint8_t>(s[i]);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  if (lead >= 0xC2 && lead <= 0xDF && i + 1 < s.size()) {
    const auto trail = static_cast<uint8_t>(s[i + 1]);
    if ((trail & 0xC0) == 0x80) {
      i += 2;
      return ((lead & 0x1F) << 6) | (trail & 0x3F);
    }
  }
  return next_code_point_slow(s, i);
}

void append_code_point(std::string& out, char32_t c);

// Length of the longest prefix of s of at most max_bytes that ends on a code point boundary.
size_t utf8_prefix_length(std::string_view s, size_t max_bytes);

bool is_unicode_space(char32_t c);  // ICU's White_Space, plus U+200B and U+FEFF

// Unicode White_Space, plus the zero-width space that some outlets paste between words.
// Below U+2000 only a few code points are spaces, so letters skip the ICU property lookup.
inline bool is_space(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r');
  if (c < 0x2000 && c != 0x85 && c != 0xA0 && c != 0x1680) return false;
  return is_unicode_space(c);
}
bool is_line_break(char32_t c);

// Does `word` start with a character of the Arabic block, U+0600..U+06FF (UTF-8 lead byte D8
// to DB)? How the stages tell an Arabic word from a Latin one without decoding it.
inline bool starts_in_arabic_block(std::string_view word) {
  if (word.empty()) return false;
  const auto lead = static_cast<unsigned char>(word.front());
  return lead >= 0xD8 && lead <= 0xDB;
}

struct Span {
  size_t begin = 0;
  size_t end = 0;
  size_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
  std::string_view of(std::string_view s) const { return s.substr(begin, end - begin); }
};

// Lines of s split at \n, \r\n or \r; spans exclude the terminators.
std::vector<Span> split_lines(std::string_view s);

// The span of s without leading and trailing Unicode whitespace, relative to s.
Span trim_span(std::string_view s);
std::string_view trim(std::string_view s);

// Whitespace-separated words.
size_t count_words(std::string_view s);

// ASCII letters lowered, everything else as it is: for tag names, charsets and extensions.
std::string ascii_lower(std::string_view s);

// Text fit for a terminal: C0 and C1 control characters (an escape sequence can rewrite the
// screen or the window title) become U+FFFD; line breaks and tabs become spaces unless kept.
std::string without_controls(std::string_view s, bool keep_line_breaks = false);

// A line of a data file (data/): trimmed, with its 1-based number for error messages.
struct DataLine {
  size_t number = 0;
  std::string_view text;
};
// The lines of a data file, without blank lines and lines starting with #.
std::vector<DataLine> data_lines(std::string_view data);

// The parts of `s` between separators, each trimmed; one part when there is none.
std::vector<std::string_view> split(std::string_view s, char separator);

// Collapses every whitespace run to one ASCII space and trims.
std::string collapse_spaces(std::string_view s);

}  // namespace khabar::text
