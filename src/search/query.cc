#include <string>

#include "khabar/search.h"
#include "search/analysis.h"

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

}  // namespace

std::string search_expression(std::string_view query, SearchWords words) {
  thread_local search_internal::SearchAnalysis analysis;
  std::string expression;
  analysis.each_term(query, [&](const search_internal::SearchTerm& t) {
    if (!expression.empty()) expression += words == SearchWords::kAll ? " AND " : " OR ";
    if (t.skeleton.empty()) {
      expression += quoted(t.term);
    } else {
      expression += "(" + quoted(t.term) + " OR " + quoted(t.skeleton) + ")";
    }
  });
  return expression;
}

}  // namespace khabar
