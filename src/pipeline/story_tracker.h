// Places each new article in a story, and keeps the store's stories up to date.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "khabar/analyzer.h"
#include "khabar/cluster.h"
#include "khabar/ingest.h"
#include "khabar/normalize.h"
#include "khabar/result.h"
#include "khabar/store.h"

namespace khabar::pipeline_internal {

class StoryTracker {
 public:
  StoryTracker(Store& store, const ClusterOptions& options, const Normalizer& normalizer);

  // Replays the stories of the stored articles it does not know yet: all of them at the start of
  // a run, those other workers stored since, later.
  Status load_stored();

  // A newly stored article, the store's decision `decision`, joins a story or starts one.
  // False when it is too short to cluster: it is then in no story. The store learns where it
  // went at store_placements, with the rest of the batch.
  Result<bool> add(int64_t sequence, int64_t decision, const std::string& normalized_body,
                   const std::string& title, const std::string& published,
                   const std::string& signals);
  // Before the batch commits.
  Status store_placements();

 private:
  ClusterInput input(const std::string& normalized_body, const std::string& title,
                     const std::string& published, const std::string& signals);

  Store& store_;
  const Normalizer& normalizer_;
  Analyzer analyzer_;
  StoryClusterer clusterer_;
  std::vector<int64_t> store_story_;  // clusterer's story number → store's story; −1: none
  std::unordered_map<int64_t, uint32_t> number_of_;  // store's story → clusterer's number
  int64_t last_time_ = 0;                            // the time an undated article takes
  int64_t known_decision_ = 0;                       // the last decision it has seen
  std::vector<StoryPlacement> placements_;           // this batch's, not stored yet
};

}  // namespace khabar::pipeline_internal
