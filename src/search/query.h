// A user's query read into what it asks for: words, "phrases" and what to leave out (-word,
// -"phrase"), each as the analysis of search/analysis.h gives it, for FTS5 (query.cc) and
// PostgreSQL (postgres.cc) to write in their own syntax.
#pragma once

#include <string_view>
#include <vector>

#include "search/analysis.h"

namespace khabar::search_internal {

// One word's term, or a phrase's terms, which must stand together and in order.
struct QueryPart {
  std::vector<SearchTerm> terms;
  bool phrase() const { return terms.size() > 1; }
};

struct ParsedQuery {
  std::vector<QueryPart> wanted;
  std::vector<QueryPart> excluded;
};

// Words are separated by whitespace. A phrase is quoted with "…", «…» or “…” (an unclosed
// quote runs to the end); a word or phrase after a '-' that starts it is left out. Parts with
// no searchable word (stop words, punctuation) are dropped.
ParsedQuery parse_query(std::string_view query, SearchAnalysis& analysis);

// Within the FTS5 string of a phrase, the term and its skeleton stand at one position,
// separated by this, which no term holds (terms are whitespace-free); positions are separated
// by spaces. The tokenizer reads it back as colocated tokens, which FTS5 matches as either.
inline constexpr char kAlternativeSeparator = '\t';

}  // namespace khabar::search_internal
