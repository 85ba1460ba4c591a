// The text every extraction pass reads: the original, its normalised form with the map back,
// and the normalised form's tokens and sentences.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "khabar/extract.h"
#include "khabar/normalize.h"

namespace khabar::extract_internal {

struct Token {
  enum class Kind : uint8_t {
    kWord,    // letters (and marks) of any script
    kNumber,  // digits, with a decimal point or thousands separator between digits
    kPunct,   // one punctuation character: , . : ; ? ! " ' ( ) - / ...
    kBreak,   // a line break: paragraphs are on lines
  };
  Kind kind = Kind::kWord;
  uint32_t begin = 0;  // in the normalised text
  uint32_t end = 0;
  std::string_view text;
  char32_t punct = 0;  // the character, for kPunct

  bool is_word() const { return kind == Kind::kWord; }
  bool is_punct(char32_t c) const { return kind == Kind::kPunct && punct == c; }
  bool is_quote() const { return kind == Kind::kPunct && (punct == '"' || punct == '\''); }
};

// Tokens [begin, end) of one sentence: split at . ! ? ; and line breaks.
struct Sentence {
  size_t begin = 0;
  size_t end = 0;
};

class TextView {
 public:
  TextView(std::string_view original, const Normalizer& normalizer);

  std::string_view original() const { return original_; }
  std::string_view normalized() const { return normalized_.text; }
  const std::vector<Token>& tokens() const { return tokens_; }
  const Token& token(size_t i) const { return tokens_[i]; }
  size_t size() const { return tokens_.size(); }
  const std::vector<Sentence>& sentences() const { return sentences_; }
  const Sentence& sentence_of(size_t token) const { return sentences_[sentence_index_[token]]; }
  size_t sentence_index(size_t token) const { return sentence_index_[token]; }

  // The original bytes behind tokens [first, last), optionally without the first token's
  // first `skip_bytes` normalised bytes (a clitic).
  ByteSpan span(size_t first, size_t last, size_t skip_bytes = 0) const;
  ByteSpan span_of_normalized(size_t begin, size_t end) const;
  std::string_view original_of(ByteSpan span) const {
    return original_.substr(span.begin, span.end - span.begin);
  }
  // A sentence as printed, trimmed: what counts, events and the timeline quote.
  std::string sentence_text(const Sentence& sentence) const;
  // Tokens [first, last) of the normalised text with one space between words.
  std::string normalized_phrase(size_t first, size_t last, size_t skip_bytes = 0) const;

 private:
  std::string_view original_;
  NormalizedText normalized_;
  std::vector<Token> tokens_;
  std::vector<Sentence> sentences_;
  std::vector<uint32_t> sentence_index_;
};

std::vector<Token> tokenize(std::string_view normalized);

}  // namespace khabar::extract_internal
