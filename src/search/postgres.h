// Search on PostgreSQL: the same analysis as SQLite's FTS5 tokenizer (search/analysis.h),
// written as tsvector and tsquery values that khabar computes itself, so that the server's own
// text-search configurations never touch the words. PostgreSQL has no snippet() that knows
// khabar's analyzer, so snippets are cut here, the way FTS5 cuts them.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "khabar/search.h"
#include "search/analysis.h"

namespace khabar::search_internal {

// A tsvector literal: title terms at weight A, body terms at D, with positions; a word's
// skeleton stands at the word's position.
std::string tsvector_of(SearchAnalysis& analysis, std::string_view title, std::string_view body);

// A tsquery literal for a user's query (search/query.h): each word's term, or term | skeleton,
// a phrase's words joined by <->, all joined by & (all words) or | (any word), and what is left
// out after & !. Empty when no word is wanted. `terms` receives every term and skeleton wanted,
// to mark in snippets.
std::string tsquery_of(std::string_view query, SearchWords words, std::set<std::string>* terms);

// The text around the most distinct matches, at most `window` words (analysed words; stop words
// do not count), "…" where cut, with the matches' byte spans, into hit.snippet and
// hit.highlights. Returns the window's score (FTS5's: 1000 a distinct term, 1 a repeat); 0, and
// `hit` untouched, when nothing matches.
size_t cut_snippet(SearchAnalysis& analysis, std::string_view text,
                   const std::set<std::string>& terms, size_t window, SearchHit& hit);

}  // namespace khabar::search_internal
