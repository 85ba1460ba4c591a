#include "extract/internal/text_view.h"

#include <unicode/uchar.h>

#include "text/utf8.h"

namespace khabar::extract_internal {
namespace {

bool is_digit(char32_t c) {
  return c >= '0' && c <= '9';
}

bool is_word_character(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  const int8_t type = u_charType(static_cast<UChar32>(c));
  return (U_MASK(type) & (U_GC_L_MASK | U_GC_M_MASK)) != 0 || c == 0x0621;
}

bool ends_sentence(const Token& token) {
  if (token.kind == Token::Kind::kBreak) return true;
  if (token.kind != Token::Kind::kPunct) return false;
  return token.punct == '.' || token.punct == '!' || token.punct == '?' || token.punct == ';';
}

}  // namespace

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    const int32_t decoded = text::next_code_point(s, i);
    const char32_t c = decoded < 0 ? text::kReplacementCharacter : static_cast<char32_t>(decoded);
    if (c == '\n') {
      tokens.push_back({Token::Kind::kBreak, uint32_t(start), uint32_t(i), s.substr(start, 1), 0});
      continue;
    }
    if (text::is_space(c)) continue;
    Token token;
    token.begin = static_cast<uint32_t>(start);
    if (is_digit(c)) {
      token.kind = Token::Kind::kNumber;
      // 1.5 and 1,500 are one number; "2030 و250" are two.
      while (i < s.size()) {
        const char next = s[i];
        if (is_digit(static_cast<char32_t>(next))) {
          ++i;
        } else if ((next == '.' || next == ',') && i + 1 < s.size() &&
                   is_digit(static_cast<char32_t>(s[i + 1]))) {
          i += 2;
        } else {
          break;
        }
      }
    } else if (is_word_character(c)) {
      token.kind = Token::Kind::kWord;
      while (i < s.size()) {
        size_t j = i;
        const int32_t next = text::next_code_point(s, j);
        if (next < 0 || !is_word_character(static_cast<char32_t>(next))) break;
        i = j;
      }
    } else {
      token.kind = Token::Kind::kPunct;
      token.punct = c;
    }
    token.end = static_cast<uint32_t>(i);
    token.text = s.substr(start, i - start);
    tokens.push_back(token);
  }
  return tokens;
}

TextView::TextView(std::string_view original, const Normalizer& normalizer)
    : original_(original),
      normalized_(normalizer.normalize_with_offsets(original)),
      tokens_(tokenize(normalized_.text)) {
  sentence_index_.resize(tokens_.size());
  size_t begin = 0;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    sentence_index_[i] = static_cast<uint32_t>(sentences_.size());
    if (ends_sentence(tokens_[i])) {
      sentences_.push_back({begin, i + 1});
      begin = i + 1;
    }
  }
  if (begin < tokens_.size()) sentences_.push_back({begin, tokens_.size()});
}

ByteSpan TextView::span_of_normalized(size_t begin, size_t end) const {
  return {normalized_.to_original[begin], normalized_.to_original[end]};
}

ByteSpan TextView::span(size_t first, size_t last, size_t skip_bytes) const {
  if (first >= last) return {};
  return span_of_normalized(tokens_[first].begin + skip_bytes, tokens_[last - 1].end);
}

std::string TextView::sentence_text(const Sentence& sentence) const {
  return std::string(text::trim(original_of(span(sentence.begin, sentence.end))));
}

std::string TextView::normalized_phrase(size_t first, size_t last, size_t skip_bytes) const {
  std::string phrase;
  for (size_t i = first; i < last; ++i) {
    if (!phrase.empty() && tokens_[i].kind != Token::Kind::kPunct) phrase += ' ';
    phrase += tokens_[i].text.substr(i == first ? skip_bytes : 0);
  }
  return phrase;
}

}  // namespace khabar::extract_internal
