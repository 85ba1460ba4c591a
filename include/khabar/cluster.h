// khabar/cluster.h — online story clustering: each article joins the best matching active
// story or starts a new one; the corpus is never re-clustered.
//
//   khabar::StoryClusterer clusterer(khabar::ClusterOptions{});
//   for (const auto& a : articles_in_ingest_order) {
//     khabar::StoryAssignment s = clusterer.add({.terms = analyzer.terms(a.normalized_body),
//                                                .title_terms = analyzer.terms(a.title),
//                                                .time = a.published_unix_seconds});
//     // s.story, s.new_story, s.similarity
//   }
//
// Similarity is the cosine of TF-IDF vectors (document frequencies learnt online, as
// articles arrive) between the article and a story's centroid, the sum of its members'
// vectors. A story is active while its last article is within `active_window_seconds` of the
// new one; only active stories are compared, through an inverted index on their top terms.
// The same articles in the same order always give the same stories.
//
// Hooks for what the extraction stage will add: `entities` and `numbers` (normalised names and
// counts) are matched as terms of their own, with their own weights; with none given the
// similarity is the text's alone. Cross-lingual linking (an Arabic and an English report of
// one event) would need a shared term space: entity ids from the extraction stage's gazetteers
// and numbers are the first step, translated or multilingual embeddings the next.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "khabar/result.h"

namespace khabar {

struct ClusterOptions {
  // Cosine similarity at or above which an article joins a story. Two long reports of one
  // event by different outlets score about 0.2 with nothing else in the corpus (the seeds),
  // more once the corpus's document frequencies push common words down; reports of different
  // events stay under 0.1 in cluster_test. To be tuned on the evaluation corpus (eval/).
  double similarity_threshold = 0.15;
  // A story stops taking articles this long after its last one (3 days).
  int64_t active_window_seconds = 3 * 24 * 3600;
  // Terms kept per article and per story centroid, by weight.
  size_t article_terms = 64;
  size_t story_terms = 160;
  // An article with fewer distinct terms is too short to cluster and stays alone.
  size_t min_terms = 8;
  // Weight of a title term against a body term, and of the extraction hooks.
  double title_weight = 2.0;
  double entity_weight = 2.0;
  double number_weight = 1.0;

  Status validate() const;
};

struct ClusterInput {
  std::vector<std::string> terms{};        // Analyzer::terms of the body
  std::vector<std::string> title_terms{};  // of the title, if any
  std::vector<std::string> entities{};     // hook: entity ids or canonical names
  std::vector<std::string> numbers{};      // hook: counts, with what they count
  // Seconds since the epoch; articles without a date pass the time of the one before them,
  // so that they cluster by ingest order.
  int64_t time = 0;
};

struct StoryAssignment {
  uint32_t story = 0;  // numbered from 0 in order of creation
  bool new_story = true;
  double similarity = 0;   // to the story joined; 0 for a new story
  bool too_short = false;  // fewer than min_terms: a story of its own
};

class StoryClusterer {
 public:
  explicit StoryClusterer(ClusterOptions options);  // options must have passed validate()
  ~StoryClusterer();
  StoryClusterer(StoryClusterer&&) noexcept;
  StoryClusterer& operator=(StoryClusterer&&) noexcept;

  StoryAssignment add(const ClusterInput& article);
  // Rebuilding from a store: the article joins `story` as it did before, or starts it when
  // story == story_count(). Document frequencies and centroids come out as they were.
  void replay(const ClusterInput& article, uint32_t story);

  size_t story_count() const;
  size_t article_count() const;
  // Heap bytes held, roughly (hash tables counted at their nodes), for the benchmark.
  size_t memory_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace khabar
