#include <algorithm>

#include "clean/internal/clean_internal.h"
#include "text/utf8.h"

namespace khabar::clean_internal {
namespace {

char32_t last_code_point(std::string_view text) {
  text = text::trim(text);
  if (text.empty()) return 0;
  size_t start = text.size() - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
    --start;
  size_t i = start;
  const int32_t c = text::next_code_point(text, i);
  return c < 0 ? 0 : static_cast<char32_t>(c);
}

bool is_sentence_punctuation(char32_t c) {
  switch (c) {
    case '.':
    case ',':
    case ';':
    case ':':
    case '!':
    case '?':
    case 0x060C:
    case 0x061B:
    case 0x061F:
    case 0x2026:
    case 0x06D4:
      return true;
    default:
      return false;
  }
}

// Punctuation runs ("..", "؟!") count once: a headline list separates items with nothing,
// prose separates clauses with commas and sentences with stops.
size_t punctuation_runs(std::string_view text) {
  size_t runs = 0, i = 0;
  bool in_run = false;
  while (i < text.size()) {
    const int32_t c = text::next_code_point(text, i);
    const bool punctuation = c >= 0 && is_sentence_punctuation(static_cast<char32_t>(c));
    if (punctuation && !in_run) ++runs;
    in_run = punctuation;
  }
  return runs;
}

}  // namespace

std::string comparison_key(const Normalizer& normalizer, std::string_view text) {
  return without_trailing_punctuation(normalizer.normalize(text));
}

size_t key_length(std::string_view normalized) {
  size_t length = normalized.size();
  while (length > 0 && (std::ispunct(static_cast<unsigned char>(normalized[length - 1])) ||
                        normalized[length - 1] == ' ')) {
    --length;
  }
  return length;
}

std::string without_trailing_punctuation(std::string key) {
  key.resize(key_length(key));
  return key;
}

bool ends_sentence(std::string_view text) {
  switch (last_code_point(text)) {
    case '.':
    case '!':
    case '?':
    case ';':
    case 0x061F:
    case 0x061B:
    case 0x2026:
    case 0x06D4:
      return true;
    default:
      return false;
  }
}

// A full stop followed by more words ends a sentence inside the line: prose, not a headline.
// Headlines do use ".." as a dash, so a run of stops does not count.
bool has_inner_full_stop(std::string_view text) {
  text = text::trim(text);
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '.' && text[i - 1] != '.' && text[i + 1] == ' ') return true;
  }
  return false;
}

bool looks_like_title(std::string_view text) {
  const size_t words = text::count_words(text);
  return words >= 2 && words <= 25 && !ends_sentence(text) && last_code_point(text) != ':' &&
         !has_inner_full_stop(text);
}

bool looks_like_subhead(std::string_view text) {
  const size_t words = text::count_words(text);
  const char32_t last = last_code_point(text);
  return words >= 1 && words <= 8 && !ends_sentence(text) && last != ':' && last != ',' &&
         last != 0x060C;
}

bool is_headline_run(std::string_view text) {
  const size_t words = text::count_words(text);
  return words >= 40 && punctuation_runs(text) * 25 < words;
}

bool ends_like_prose(std::string_view text) {
  if (ends_sentence(text)) return true;
  switch (last_code_point(text)) {
    case ':':
    case 0x060C:  // ، a list runs on
    case '"':
    case ')':
    case ']':
    case 0x00BB:  // »
    case 0x201C:  // “ closes a German quotation
    case 0x201D:  // ”
    case 0x2019:  // ’
    case 0x3002:  // 。
    case 0xFF01:  // ！
    case 0xFF1F:  // ？
      return true;
    default:
      return false;
  }
}

bool is_teaser(std::string_view text) {
  const size_t words = text::count_words(text);
  const char32_t last = last_code_point(text);
  if (words <= 20 && (last == '?' || last == 0x061F)) return true;
  // "Headline.. tease" is how outlets print links to their other stories.
  return words <= 15 && text.find("..") != std::string_view::npos && !ends_sentence(text);
}

bool starts_with_phrase(std::string_view key, const std::vector<std::string>& phrases) {
  return std::any_of(phrases.begin(), phrases.end(), [&](const std::string& phrase) {
    return key.size() >= phrase.size() && key.compare(0, phrase.size(), phrase) == 0 &&
           (key.size() == phrase.size() || key[phrase.size()] == ' ' ||
            std::ispunct(static_cast<unsigned char>(key[phrase.size()])));
  });
}

bool contains_phrase(std::string_view key, const std::vector<std::string>& phrases) {
  return std::any_of(phrases.begin(), phrases.end(), [&](const std::string& phrase) {
    return key.find(phrase) != std::string::npos;
  });
}

bool equals_phrase(std::string_view key, const std::vector<std::string>& phrases) {
  return std::find(phrases.begin(), phrases.end(), key) != phrases.end();
}

}  // namespace khabar::clean_internal
