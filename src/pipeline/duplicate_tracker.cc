#include "pipeline/duplicate_tracker.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace khabar::pipeline_internal {
namespace {

// Earlier publication first; an undated article after every dated one; then ingest order.
auto earliness(const ArticleRank& rank) {
  return std::make_tuple(rank.published.empty(), rank.published, rank.sequence);
}

}  // namespace

DuplicateTracker::DuplicateTracker(Store& store, const DedupOptions& options,
                                   const Normalizer& normalizer)
    : store_(store), normalizer_(normalizer), index_(options) {}

// Keys depend on the normalised text: stored keys start with the normalisation they were made
// under.
char DuplicateTracker::normalization_mark() const {
  return normalizer_.options().fold_hamza_carriers ? 'h' : 'k';
}

Status DuplicateTracker::load_stored() {
  // Only at the start of a run: later, another process's articles without keys (a run without
  // duplicate detection) are few, and a batch's transaction is open.
  const bool keep_missing = !started_;
  started_ = true;
  Status failure;
  Status scanned = store_.for_each_duplicate_keys(
      [&](int64_t decision, int64_t sequence, const std::string& keys, const std::string& body) {
        if (!failure.ok()) return;
        const bool from_keys = !keys.empty() && keys[0] == normalization_mark() &&
                               index_.add_keys(std::string_view(keys).substr(1));
        if (!from_keys) {
          // Stored before keys were, or made with other options: hashed again from the body.
          // (A body is never empty: with keys the query leaves it out.)
          Result<std::string> text = body;
          if (body.empty()) text = store_.body_of(sequence);
          if (!text.ok()) {
            failure = text.status();
            return;
          }
          std::string made;
          const bool keep = keep_missing && keys.empty();
          index_.add_without_links(normalizer_.normalize(*text), keep ? &made : nullptr);
          if (keep) missing_keys_.emplace_back(sequence, normalization_mark() + made);
        }
        sequences_.push_back(sequence);
        known_decision_ = decision;
      },
      known_decision_);
  return scanned.ok() ? failure : scanned;
}

Status DuplicateTracker::store_missing_keys() {
  if (missing_keys_.empty()) return {};
  if (Status s = store_.begin(); !s.ok()) return s;
  for (const auto& [sequence, keys] : missing_keys_) {
    if (Status s = store_.add_duplicate_keys(sequence, keys); !s.ok()) {
      (void)store_.rollback();  // the first error matters
      return s;
    }
  }
  if (Status s = store_.commit(); !s.ok()) {
    (void)store_.rollback();
    return s;
  }
  std::vector<std::pair<int64_t, std::string>>().swap(missing_keys_);
  return {};
}

Result<bool> DuplicateTracker::add(int64_t sequence, int64_t decision,
                                   const std::string& normalized_body,
                                   const std::string& published) {
  known_decision_ = std::max(known_decision_, decision);
  Status failure;
  std::string keys;
  const std::vector<DuplicateLink> links = index_.add(
      normalized_body,
      [&](uint32_t number) -> std::string {
        Result<std::string> body = store_.body_of(sequences_.at(number));
        if (!body.ok()) {
          failure = body.status();
          return {};
        }
        return normalizer_.normalize(*body);
      },
      &keys);
  sequences_.push_back(sequence);
  if (!failure.ok()) return failure.error();
  if (Status s = store_.add_duplicate_keys(sequence, normalization_mark() + keys); !s.ok())
    return s.error();
  if (links.empty()) return false;

  std::vector<DuplicateLinkRecord> records;
  for (const DuplicateLink& link : links) {
    records.push_back({sequences_.at(link.other), duplicate_kind_name(link.kind), link.score});
  }
  if (Status s = store_.add_duplicate_links(sequence, records); !s.ok()) return s.error();
  if (Status s = merge_families(sequence, published, links); !s.ok()) return s.error();
  return true;
}

Status DuplicateTracker::merge_families(int64_t sequence, const std::string& published,
                                        const std::vector<DuplicateLink>& links) {
  std::set<int64_t> families = {sequence};
  for (const DuplicateLink& link : links) {
    Result<ArticleRank> rank = store_.rank_of(sequences_.at(link.other));
    if (!rank.ok()) return rank.status();
    families.insert(rank->family);
  }
  // Each family's representative is its earliest member, so the merged family's earliest
  // member is the earliest of the representatives and the new article.
  ArticleRank earliest{sequence, published, sequence};
  for (const int64_t family : families) {
    if (family == sequence) continue;
    Result<ArticleRank> rank = store_.rank_of(family);
    if (!rank.ok()) return rank.status();
    if (earliness(*rank) < earliness(earliest)) earliest = *rank;
  }
  return store_.set_family({families.begin(), families.end()}, earliest.sequence);
}

}  // namespace khabar::pipeline_internal
