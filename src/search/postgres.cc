#include "search/postgres.h"

#include <algorithm>
#include <vector>

#include "search/query.h"

namespace khabar::search_internal {
namespace {

// A lexeme in a tsvector or tsquery literal: quoted, with quotes doubled and backslashes
// escaped.
void append_lexeme(std::string& out, std::string_view lexeme) {
  out += '\'';
  for (const char c : lexeme) {
    if (c == '\'') out += '\'';
    if (c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
}

// Positions past PostgreSQL's last (16383) are kept at it.
constexpr size_t kLastPosition = 16383;

void append_terms(SearchAnalysis& analysis, std::string_view text, char weight, size_t& position,
                  std::string& out) {
  analysis.each_term(text, [&](const SearchTerm& t) {
    position = std::min(position + 1, kLastPosition);
    const std::string at = std::to_string(position) + weight;
    for (const std::string* lexeme : {&t.term, &t.skeleton}) {
      if (lexeme->empty()) continue;
      if (!out.empty()) out += ' ';
      append_lexeme(out, *lexeme);
      out += ':';
      out += at;
    }
  });
}

// A word: (term | skeleton). A phrase: its words joined by <->, PostgreSQL's "followed by".
std::string tsquery_part(const QueryPart& part) {
  std::string out;
  for (const SearchTerm& t : part.terms) {
    if (!out.empty()) out += " <-> ";
    out += '(';
    append_lexeme(out, t.term);
    if (!t.skeleton.empty()) {
      out += " | ";
      append_lexeme(out, t.skeleton);
    }
    out += ')';
  }
  return part.phrase() ? "(" + out + ")" : out;
}

std::string tsquery_parts(const std::vector<QueryPart>& parts, std::string_view with) {
  std::string out;
  for (const QueryPart& part : parts) {
    if (!out.empty()) out += with;
    out += tsquery_part(part);
  }
  return out;
}

}  // namespace

std::string tsvector_of(SearchAnalysis& analysis, std::string_view title, std::string_view body) {
  std::string out;
  size_t position = 0;
  append_terms(analysis, title, 'A', position, out);
  // A position left empty, so that no phrase runs from the title into the body (FTS5's
  // columns keep them apart too).
  if (position > 0) ++position;
  append_terms(analysis, body, 'D', position, out);
  return out;
}

std::string tsquery_of(std::string_view query, SearchWords words, std::set<std::string>* terms) {
  thread_local SearchAnalysis analysis;
  const ParsedQuery parsed = parse_query(query, analysis);
  if (parsed.wanted.empty()) return {};
  if (terms != nullptr) {
    for (const QueryPart& part : parsed.wanted) {
      for (const SearchTerm& t : part.terms) {
        terms->insert(t.term);
        if (!t.skeleton.empty()) terms->insert(t.skeleton);
      }
    }
  }
  std::string out = tsquery_parts(parsed.wanted, words == SearchWords::kAll ? " & " : " | ");
  if (parsed.excluded.empty()) return out;
  return "(" + out + ") & !(" + tsquery_parts(parsed.excluded, " | ") + ")";
}

size_t cut_snippet(SearchAnalysis& analysis, std::string_view text,
                   const std::set<std::string>& terms, size_t window, SearchHit& hit) {
  struct Word {
    size_t begin, end;
    const std::string* match;  // the query term it matches, or null
  };
  std::vector<Word> words;
  analysis.each_term(text, [&](const SearchTerm& t) {
    const std::string* match = nullptr;
    for (const std::string* candidate : {&t.term, &t.skeleton}) {
      const auto it = terms.find(*candidate);
      if (!candidate->empty() && it != terms.end()) match = &*it;
    }
    words.push_back({t.begin, t.end, match});
  });
  // FTS5's score: a thousand for each distinct term in the window, one for each repeat.
  size_t best_start = 0, best_score = 0;
  for (size_t start = 0; start < words.size(); ++start) {
    if (words[start].match == nullptr) continue;
    std::set<const std::string*> seen;
    size_t score = 0;
    for (size_t i = start; i < std::min(words.size(), start + window); ++i) {
      if (words[i].match == nullptr) continue;
      score += seen.insert(words[i].match).second ? 1000 : 1;
    }
    if (score > best_score) {
      best_score = score;
      best_start = start;
    }
  }
  if (best_score == 0) return 0;
  // The matches centred in the window, as FTS5 places them.
  size_t last_match = best_start;
  for (size_t i = best_start; i < std::min(words.size(), best_start + window); ++i) {
    if (words[i].match != nullptr) last_match = i;
  }
  const size_t spare = window - std::min(window, last_match - best_start + 1);
  size_t first = best_start - std::min(best_start, spare / 2);
  const size_t last = std::min(words.size(), first + window) - 1;
  if (last + 1 - first < window) first = last + 1 - std::min(last + 1, window);

  const size_t begin = first == 0 ? 0 : words[first].begin;
  const size_t end = last + 1 == words.size() ? text.size() : words[last].end;
  hit.snippet = first == 0 ? "" : "…";
  const size_t prefix = hit.snippet.size();
  hit.snippet.append(text.substr(begin, end - begin));
  if (last + 1 < words.size()) hit.snippet += "…";
  hit.highlights.clear();
  for (size_t i = first; i <= last; ++i) {
    if (words[i].match != nullptr) {
      hit.highlights.emplace_back(words[i].begin - begin + prefix, words[i].end - begin + prefix);
    }
  }
  return best_score;
}

}  // namespace khabar::search_internal
