#include <string>

#include "khabar/analyzer.h"
#include "khabar/cluster.h"
#include "khabar/dedup.h"

namespace khabar {
namespace {

// The lead: the body's first words, about the first paragraph or two, where a report says
// what happened, to whom, where and when. Scored by the join model beside the whole body.
constexpr size_t kLeadWords = 100;

bool has_digit(std::string_view word) {
  for (const char c : word) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

}  // namespace

ClusterInput cluster_input(const Analyzer& analyzer, std::string_view normalized_title,
                           std::string_view normalized_body, int64_t time) {
  ClusterInput in;
  in.time = time;
  for (const std::string_view word : match_words(normalized_title)) {
    if (std::string term = analyzer.term(word); !term.empty()) in.title_terms.push_back(term);
    if (has_digit(word)) {
      in.numbers.emplace_back(word);
      in.lead_numbers.emplace_back(word);
    }
  }
  size_t words = 0;
  for (const std::string_view word : match_words(normalized_body)) {
    std::string term = analyzer.term(word);
    if (words < kLeadWords && !term.empty()) in.lead_terms.push_back(term);
    ++words;
    if (!term.empty()) in.terms.push_back(std::move(term));
    // Every number as printed, a score «2-1» or a share «3.5%» whole: the ones that tell
    // one day's market or match from the next.
    if (has_digit(word)) {
      in.numbers.emplace_back(word);
      if (words <= kLeadWords) in.lead_numbers.emplace_back(word);
    }
  }
  return in;
}

}  // namespace khabar
