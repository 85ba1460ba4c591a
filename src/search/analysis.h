// The words search indexes and looks for, with where they stand in the original text: one
// analysis for the FTS5 tokenizer (documents) and for search_expression (queries).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "khabar/analyzer.h"
#include "khabar/normalize.h"

namespace khabar::search_internal {

// Skeletons are marked so that they never equal a term.
inline constexpr std::string_view kSkeletonMark = "~";

struct SearchTerm {
  std::string term;      // the analyzer's term
  std::string skeleton;  // kSkeletonMark + consonants, or empty (short or non-Arabic word)
  size_t begin = 0;      // byte span of the word in the original text
  size_t end = 0;
};

// Holds a Normalizer and an Analyzer (Snowball keeps state): one per thread or connection.
class SearchAnalysis {
 public:
  void each_term(std::string_view original, const std::function<void(const SearchTerm&)>& visit);

 private:
  Normalizer normalizer_;
  Analyzer analyzer_;
};

}  // namespace khabar::search_internal
