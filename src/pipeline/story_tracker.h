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

  // Replays the stories of the stored articles it does not know yet: at the start of a run those
  // after the store's snapshot (all of them without one), those other workers stored since,
  // later.
  Status load_stored();
  // Saves the clusterer's state as the store's snapshot once that many articles were decided
  // since the last one (PipelineOptions::decisions_between_snapshots). Call with every decision it
  // knows committed.
  Status save_snapshot_when_due(int64_t decisions_between_snapshots);

  // A newly stored article, the store's decision `decision`, joins a story or starts one.
  // False when it is too short to cluster: it is then in no story. The store learns where it
  // went at store_placements, with the rest of the batch.
  Result<bool> add(int64_t sequence, int64_t decision, const std::string& normalized_body,
                   const std::string& title, const std::string& published,
                   const std::string& signals);
  // Before the batch commits.
  Status store_placements();

 private:
  // The store's snapshot, when there is one this build and these options can use: true when
  // the state is now the snapshot's.
  Result<bool> restore_snapshot();
  std::string snapshot() const;
  std::string snapshot_name() const;
  ClusterInput input(const std::string& normalized_body, const std::string& title,
                     const std::string& published, const std::string& signals);

  Store& store_;
  const Normalizer& normalizer_;
  Analyzer analyzer_;
  ClusterOptions options_;
  StoryClusterer clusterer_;
  std::vector<int64_t> store_story_;  // clusterer's story number → store's story; −1: none
  std::unordered_map<int64_t, uint32_t> number_of_;  // store's story → clusterer's number
  int64_t last_time_ = 0;                            // the time an undated article takes
  int64_t known_decision_ = 0;                       // the last decision it has seen
  int64_t snapshot_decision_ = 0;           // of the snapshot it started from or saved last
  bool started_ = false;                    // load_stored has run once
  std::vector<StoryPlacement> placements_;  // this batch's, not stored yet
};

}  // namespace khabar::pipeline_internal
