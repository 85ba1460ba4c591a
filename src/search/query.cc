#include "search/query.h"

#include <array>
#include <string>

#include "khabar/search.h"

namespace khabar::search_internal {
namespace {

struct QuoteMarks {
  std::string_view open, close;
};
// Arabic keyboards type guillemets; word processors curly quotes.
constexpr std::array<QuoteMarks, 3> kQuoteMarks = {
    {{"\"", "\""}, {"\xC2\xAB", "\xC2\xBB"}, {"\xE2\x80\x9C", "\xE2\x80\x9D"}}};

bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The text of the part starting at `at` (a quoted phrase or a word), moving `at` past it.
std::string_view next_part(std::string_view query, size_t& at) {
  for (const QuoteMarks& marks : kQuoteMarks) {
    if (!query.substr(at).starts_with(marks.open)) continue;
    const size_t begin = at + marks.open.size();
    const size_t close = query.find(marks.close, begin);
    const size_t end = close == std::string_view::npos ? query.size() : close;
    at = close == std::string_view::npos ? query.size() : close + marks.close.size();
    return query.substr(begin, end - begin);
  }
  const size_t begin = at;
  while (at < query.size() && !is_separator(query[at]))
    ++at;
  return query.substr(begin, at - begin);
}

}  // namespace

ParsedQuery parse_query(std::string_view query, SearchAnalysis& analysis) {
  ParsedQuery parsed;
  size_t at = 0;
  while (at < query.size()) {
    if (is_separator(query[at])) {
      ++at;
      continue;
    }
    const bool excluded = query[at] == '-' && at + 1 < query.size() && !is_separator(query[at + 1]);
    if (excluded) ++at;
    QueryPart part;
    analysis.each_term(next_part(query, at), [&](const SearchTerm& t) { part.terms.push_back(t); });
    if (part.terms.empty()) continue;
    (excluded ? parsed.excluded : parsed.wanted).push_back(std::move(part));
  }
  return parsed;
}

}  // namespace khabar::search_internal

namespace khabar {
namespace {

// FTS5 strings are double-quoted, with a quote inside written twice.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    out += c;
    if (c == '"') out += '"';
  }
  out += '"';
  return out;
}

// A word: its term, or its term or skeleton. A phrase: one FTS5 string of its terms, each with
// its skeleton beside it for the tokenizer to read back as either.
std::string fts5_part(const search_internal::QueryPart& part) {
  if (!part.phrase()) {
    const search_internal::SearchTerm& t = part.terms.front();
    if (t.skeleton.empty()) return quoted(t.term);
    return "(" + quoted(t.term) + " OR " + quoted(t.skeleton) + ")";
  }
  std::string phrase;
  for (const search_internal::SearchTerm& t : part.terms) {
    if (!phrase.empty()) phrase += ' ';
    phrase += t.term;
    if (!t.skeleton.empty()) {
      phrase += search_internal::kAlternativeSeparator;
      phrase += t.skeleton;
    }
  }
  return quoted(phrase);
}

std::string joined(const std::vector<search_internal::QueryPart>& parts, std::string_view with) {
  std::string out;
  for (const search_internal::QueryPart& part : parts) {
    if (!out.empty()) out += with;
    out += fts5_part(part);
  }
  return out;
}

}  // namespace

std::string search_expression(std::string_view query, SearchWords words) {
  thread_local search_internal::SearchAnalysis analysis;
  const search_internal::ParsedQuery parsed = search_internal::parse_query(query, analysis);
  if (parsed.wanted.empty()) return {};
  std::string expression = joined(parsed.wanted, words == SearchWords::kAll ? " AND " : " OR ");
  if (parsed.excluded.empty()) return expression;
  return "(" + expression + ") NOT (" + joined(parsed.excluded, " OR ") + ")";
}

}  // namespace khabar
