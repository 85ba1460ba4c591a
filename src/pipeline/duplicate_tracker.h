// Keeps the store's duplicate links and families up to date as articles arrive.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "khabar/dedup.h"
#include "khabar/normalize.h"
#include "khabar/result.h"
#include "khabar/store.h"

namespace khabar::pipeline_internal {

class DuplicateTracker {
 public:
  DuplicateTracker(Store& store, const DedupOptions& options, const Normalizer& normalizer);

  // Indexes the stored articles it does not know yet: all of them at the start of a run, those
  // other workers stored since, later. Their links are in the store already.
  Status load_stored();

  // Stores the keys of the articles load_stored hashed because they had none (stored by a khabar
  // before keys were kept), so that later runs read them instead. Opens and commits a
  // transaction of its own: call outside a batch.
  Status store_missing_keys();

  // A newly stored article, the store's decision `decision`: links it to the earlier articles
  // it copies or is copied in, and merges their families under the earliest member. True when
  // it was linked.
  Result<bool> add(int64_t sequence, int64_t decision, const std::string& normalized_body,
                   const std::string& published);

 private:
  char normalization_mark() const;
  Status merge_families(int64_t sequence, const std::string& published,
                        const std::vector<DuplicateLink>& links);

  Store& store_;
  const Normalizer& normalizer_;
  DuplicateIndex index_;
  std::vector<int64_t> sequences_;  // index number → store sequence, in decision order
  int64_t known_decision_ = 0;      // the last decision indexed
  bool started_ = false;            // load_stored has run
  std::vector<std::pair<int64_t, std::string>> missing_keys_;  // sequence, keys
};

}  // namespace khabar::pipeline_internal
