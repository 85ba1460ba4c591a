#include "text/utf8.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace khabar::text {

size_t find_invalid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
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
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || s[i] == '\r') {
      lines.push_back({begin, i});
      if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      begin = i + 1;
    }
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
template <typename OnWord>
void for_each_word(std::string_view s, OnWord on_word) {
  size_t i = 0;
  size_t word_begin = std::string_view::npos;
  while (i < s.size()) {
    const size_t start = i;
    const int32_t c = next_code_point(s, i);
    const bool space = c >= 0 && is_space(static_cast<char32_t>(c));
    if (space && word_begin != std::string_view::npos) {
      on_word(s.substr(word_begin, start - word_begin));
      word_begin = std::string_view::npos;
    } else if (!space && word_begin == std::string_view::npos) {
      word_begin = start;
    }
  }
  if (word_begin != std::string_view::npos) on_word(s.substr(word_begin));
}
}  // namespace

size_t count_words(std::string_view s) {
  size_t n = 0;
  for_each_word(s, [&](std::string_view) { ++n; });
  return n;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
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
