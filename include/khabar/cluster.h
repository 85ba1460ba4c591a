// khabar/cluster.h — online story clustering: each article joins the story it most probably
// belongs to, or starts a new one; the corpus is never re-clustered.
//
//   khabar::Analyzer analyzer;
//   khabar::StoryClusterer clusterer(khabar::ClusterOptions{});
//   for (const auto& a : articles_in_ingest_order) {
//     khabar::StoryAssignment s = clusterer.add(khabar::cluster_input(
//         analyzer, a.normalized_title, a.normalized_body, a.published_unix_seconds));
//     // s.story, s.new_story, s.probability
//   }
//
// A story is one happening. Reports of one happening share its specific signals: its title
// words, its lead, its names, numbers and dates. Reports of one beat share vocabulary. So an
// article is compared with each candidate story on several signals at once:
//   - TF-IDF cosines with the story's members (its first and most recent ones), each signal at
//     its best: titles with their leads, titles alone, the numbers printed, and the places,
//     names and dates the extractor found (ClusterInput's places, entities and dates);
//   - how rare the names they share are;
//   - the cosines with the story's body and head centroids;
//   - the days between them.
// (Character n-grams of the titles and leads were tried; they added nothing the stemmed words
// did not give, at twice the cost.) A logistic model learnt from hand-labelled real news
// (data/cluster/join_model.tsv, made by eval/train_join_model.py) turns these into the
// probability that the article reports the story's happening. The article joins the most
// probable story when that probability reaches `join_threshold`.
//
// Word frequencies start from those of real Arabic news (data/cluster/
// document_frequencies_ar.tsv), so that a new store already knows a common word from a rare one.
// Document frequencies are learnt online, as articles arrive. A story takes articles while its
// last one is within `active_window_seconds` of the new one; candidates are the active stories
// that share a distinctive term with the article, found through an inverted index. A story
// whose last article is more than three windows older than the third newest article seen is
// retired for good (its memory goes back): an article arriving that late, dated in the story's
// window, starts a story of its own. The same articles in the same order always give the same
// stories, whether placed at once or replayed from a store and continued.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "khabar/result.h"

namespace khabar {

class Analyzer;

// What the join model weighs, for an article and a candidate story: each member-level cosine
// at its best over the story's compared members, the story-level ones against its centroids.
enum class JoinFeature : size_t {
  kHead,                 // cosine of the titles with their leads' TF-IDF vectors (stemmed words)
  kTitle,                // of the titles' words
  kNumbers,              // of the numbers printed: a market up 135 points is not the one up 44
  kEntities,             // of the people and organisations the extractor found (none given: 0)
  kPlaces,               // of the places it found
  kDates,                // of the dates the texts name (resolved where they can be)
  kSharedNames,          // how rare the places and names shared with a member are, together
  kNamesContained,       // that rarity over the smaller of the two's own: one's names in the other
  kCompeting,            // log of the number of candidate stories compared
  kLeadNumbersDisjoint,  // 1 when both titles and leads print numbers and share none
  kStoryBody,            // cosine of the body with the story's body centroid (all members)
  kStoryHead,            // of the title and lead with the story's head centroid
  kDaysApart,            // days to the story's nearest compared member, up to the window
  kCount
};
inline constexpr size_t kJoinFeatures = static_cast<size_t>(JoinFeature::kCount);
using JoinFeatures = std::array<double, kJoinFeatures>;
// "body", "head", ...: the names the model file uses.
std::string_view join_feature_name(JoinFeature feature);

// P(same happening) = 1 / (1 + exp(−(intercept + Σ weight·feature))).
struct JoinModel {
  double intercept = 0;
  JoinFeatures weights{};

  // A model file: `name<TAB>value` lines for `intercept` and every feature, `#` comments.
  // `origin` names the file in errors.
  static Result<JoinModel> parse(std::string_view text, std::string_view origin);
  static Result<JoinModel> load(const std::string& path);  // kIo when it cannot be read
  // data/cluster/join_model.tsv, compiled in.
  static const JoinModel& built_in();
  double probability(const JoinFeatures& features) const;
};

struct ClusterOptions {
  // The join model's probability at or above which an article joins a story. Chosen on real
  // labelled news (README, "Stories").
  double join_threshold = 0.25;
  // A story stops taking articles this long after its last one (3 days); it is retired when
  // the newest article seen is three windows past its last one.
  int64_t active_window_seconds = 3 * 24 * 3600;
  // An article with fewer distinct body terms is too short to cluster and stays alone.
  size_t min_terms = 8;
  // Members an article is compared with in each candidate story: its first and its most
  // recent ones.
  size_t compared_members = 6;
  // Candidate stories compared in full, the best by the distinctive terms they share.
  size_t compared_stories = 8;
  // Null: JoinModel::built_in().
  std::shared_ptr<const JoinModel> model{};

  Status validate() const;
};

struct ClusterInput {
  std::vector<std::string> terms{};         // Analyzer::terms of the body
  std::vector<std::string> lead_terms{};    // of the body's first words
  std::vector<std::string> title_terms{};   // of the title, if any
  std::vector<std::string> numbers{};       // the numbers printed in the title and body
  std::vector<std::string> lead_numbers{};  // in the title and lead
  std::vector<std::string> places{};        // place keys, when extracted
  std::vector<std::string> entities{};      // people's and organisations' keys, when extracted
  std::vector<std::string> dates{};         // the dates named, ISO 8601, when extracted
  // Seconds since the epoch; articles without a date pass the time of the one before them,
  // so that they cluster by ingest order.
  int64_t time = 0;
};

// The clusterer's view of one article, from its normalised title and body (khabar/normalize.h).
ClusterInput cluster_input(const Analyzer& analyzer, std::string_view normalized_title,
                           std::string_view normalized_body, int64_t time);

struct StoryAssignment {
  uint32_t story = 0;  // numbered from 0 in order of creation
  bool new_story = true;
  // The join model's probability for the story joined; for a new story, the best
  // candidate's, which fell short of the threshold (0 with no candidate).
  double probability = 0;
  bool too_short = false;  // fewer than min_terms: a story of its own
};

// A candidate story, as the join model sees it: for training the model.
struct CandidateStory {
  uint32_t story = 0;
  JoinFeatures features{};
};

class StoryClusterer {
 public:
  explicit StoryClusterer(ClusterOptions options);  // options must have passed validate()
  ~StoryClusterer();
  StoryClusterer(StoryClusterer&&) noexcept;
  StoryClusterer& operator=(StoryClusterer&&) noexcept;

  // `compared`, when given, receives the candidate stories the article was compared with and
  // their features (for training the model on the clusterer's own decisions).
  StoryAssignment add(const ClusterInput& article, std::vector<CandidateStory>* compared = nullptr);
  // Rebuilding from a store: the article joins `story` as it did before, or starts it when
  // story == story_count(). Document frequencies and stories come out as they were.
  void replay(const ClusterInput& article, uint32_t story);
  // For training: the stories the article would be compared with, with their features; then
  // the article joins `story` as replay() does. Empty for an article too short to cluster,
  // which joins no story (the store keeps it in none).
  std::vector<CandidateStory> replay_with_candidates(const ClusterInput& article, uint32_t story);

  // The clusterer's whole state as bytes, so that a process can start from it instead of
  // replaying every stored article: restore() into a new clusterer with the same options gives
  // one that places the next article exactly as this one would. Stories retired by then are
  // kept as numbers only. The bytes name the options and the built-in data they depend on.
  std::string snapshot() const;
  // The same at the end of `out`, which a caller's own bytes may precede: a snapshot is MBs.
  void append_snapshot(std::string& out) const;
  // Into a clusterer that has seen nothing. kInvalidArgument, and the clusterer unchanged, when
  // the bytes are not a snapshot or were made with other options or another prior.
  Status restore(std::string_view snapshot);
  // What a snapshot depends on besides the articles (options, format, built-in data): equal for
  // two clusterers whose snapshots each can restore.
  uint64_t snapshot_fingerprint() const;

  size_t story_count() const;
  size_t article_count() const;
  // Heap bytes held, roughly (hash tables counted at their nodes), for the benchmark.
  size_t memory_bytes() const;

 private:
  std::vector<CandidateStory> replay_with_candidates(const ClusterInput& article, uint32_t story,
                                                     bool compare);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace khabar
