#include "pipeline/story_tracker.h"

#include <algorithm>

namespace khabar::pipeline_internal {

StoryTracker::StoryTracker(Store& store, const ClusterOptions& options,
                           const Normalizer& normalizer)
    : store_(store), normalizer_(normalizer), clusterer_(options) {}

ClusterInput StoryTracker::input(const std::string& normalized_body, const std::string& title,
                                 const std::string& published) {
  // An undated article takes the time of the one before it: it clusters by ingest order.
  if (const std::optional<int64_t> time = iso8601_unix_seconds(published)) last_time_ = *time;
  return {.terms = analyzer_.terms(normalized_body),
          .title_terms = analyzer_.terms(normalizer_.normalize(title)),
          .time = last_time_};
}

Status StoryTracker::load_stored() {
  return store_.for_each_clustered(
      [&](const ClusteredArticle& a) {
        known_decision_ = a.decision;
        const ClusterInput in = input(normalizer_.normalize(a.body), a.title, a.published);
        const auto [it, first] =
            number_of_.emplace(a.story, static_cast<uint32_t>(store_story_.size()));
        if (first) store_story_.push_back(a.story);
        clusterer_.replay(in, it->second);
      },
      known_decision_);
}

Result<bool> StoryTracker::add(int64_t sequence, int64_t decision,
                               const std::string& normalized_body, const std::string& title,
                               const std::string& published) {
  known_decision_ = std::max(known_decision_, decision);
  const StoryAssignment assignment = clusterer_.add(input(normalized_body, title, published));
  if (assignment.story >= store_story_.size()) store_story_.resize(assignment.story + 1, -1);
  if (assignment.too_short) return false;
  if (assignment.new_story) {
    Result<int64_t> story = store_.new_story();
    if (!story.ok()) return story.error();
    store_story_[assignment.story] = *story;
    number_of_[*story] = static_cast<uint32_t>(assignment.story);
    placements_.push_back({sequence, *story, std::nullopt, published});
  } else {
    placements_.push_back(
        {sequence, store_story_[assignment.story], assignment.similarity, published});
  }
  return true;
}

Status StoryTracker::store_placements() {
  Status stored = store_.place_in_stories(placements_);
  placements_.clear();
  return stored;
}

}  // namespace khabar::pipeline_internal
