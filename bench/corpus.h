// Synthetic news corpora for benchmarks: deterministic for a seed, Arabic and English mixed,
// with the boilerplate, bylines, pull-quotes and spelling noise that real crawls carry.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace khabar::bench {

struct CorpusOptions {
  size_t articles = 100'000;
  uint64_t seed = 1;
  double arabic_share = 0.7;
  double exact_duplicate_share = 0.02;  // verbatim copies of an earlier article
  double near_duplicate_share = 0.03;   // an earlier article with a few words changed
  // Articles come in stories: each starts a new one with this probability, or else reports on
  // one of the recent stories, whose names and places (made-up words) it shares.
  double new_story_share = 0.3;
};

struct GeneratedArticle {
  std::string title;
  std::string text;  // as crawled: byline, body, boilerplate tail
  std::string source;
  std::string published;  // ISO 8601 date
  std::string lang;       // what was generated, for checking language id
  size_t story = 0;       // the story it reports on (copies keep their original's)
};

std::vector<GeneratedArticle> generate_corpus(const CorpusOptions& options);

// One JSON object a line, as `khabar ingest` reads it.
std::string to_jsonl(const std::vector<GeneratedArticle>& articles);

}  // namespace khabar::bench
