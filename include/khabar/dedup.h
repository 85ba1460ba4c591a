// khabar/dedup.h — exact, near-duplicate and contained copies of articles.
//
// Agencies' wires are copied by dozens of outlets: word for word (exact duplicates, the same
// article id), lightly edited (near-duplicates), or pasted inside a longer report (contained).
// A DuplicateIndex takes articles one at a time, in ingest order, and says which earlier
// articles each one copies or is copied in, every link verified on the texts themselves:
//
//   khabar::DuplicateIndex index(khabar::DedupOptions{});          // defaults below
//   for (const auto& body : normalized_bodies) {
//     auto links = index.add(body, [&](uint32_t k) { return normalized_bodies[k]; });
//     for (const khabar::DuplicateLink& l : links) { /* l.other, l.kind, l.score */ }
//   }
//
// Near-duplicates: MinHash over word shingles with LSH banding finds candidates; the true
// Jaccard similarity of the two shingle sets decides, so an LSH false positive never reaches
// the caller. Containment: sentences are indexed by hash; an earlier article that shares
// sentences with the new one is a candidate, and the true containment of shingles decides.
//
// Texts are khabar's normalised bodies (khabar/normalize.h). Articles are numbered from 0 in
// the order they were added; `text_of` must give back an earlier article's body by number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "khabar/result.h"

namespace khabar {

struct DedupOptions {
  // Words per shingle. Five words rarely repeat by chance in news prose, and an edit changes
  // only the five shingles around it.
  size_t shingle_words = 5;
  // MinHash values per article. 128 estimates a Jaccard of 0.8 within ±0.07 (two standard
  // errors), enough to pick candidates that the exact check then confirms.
  size_t permutations = 128;
  // Jaccard similarity of shingle sets at or above which two articles are near-duplicates.
  // 0.8 keeps re-edited wires (a changed lead, an added sentence) and leaves apart two
  // reports that merely quote the same statement.
  double jaccard_threshold = 0.8;
  // LSH bands; 0 chooses them from the threshold (optimal_lsh_shape), as datasketch does.
  size_t bands = 0;
  // Share of the shorter article's shingles found in the longer one for "contained in".
  double containment_threshold = 0.8;
  // Articles with fewer words are too short to compare: a one-line item matches anything.
  size_t min_words = 20;

  // Every value in range, or an error naming the option and its range.
  Status validate() const;
};

// How LSH cuts a signature: `bands` bands of `rows` values each.
struct LshShape {
  size_t bands = 0;
  size_t rows = 0;
};
// The split of `permutations` MinHash values into b bands of r rows (b·r ≤ permutations) that
// minimises the weighted false-positive and false-negative areas under LSH's S-curve
// P(candidate | Jaccard s) = 1 − (1 − s^r)^b, below and above the threshold. Misses weigh 0.9
// and extra candidates 0.1, since every candidate is verified exactly: for 128 values and 0.8
// that is 14 bands of 9 rows, which finds a pair at 0.8 with p = 0.87, at 0.9 with p = 0.999,
// and makes a candidate of a pair at 0.5 with p = 0.03.
LshShape optimal_lsh_shape(size_t permutations, double threshold);
// The shape the options ask for: their bands, or the optimal ones when bands is 0.
LshShape lsh_shape(const DedupOptions& options);

// The words that duplicate detection and clustering compare: the normalised text split at
// whitespace, with punctuation stripped from both ends of each word and empty words dropped.
std::vector<std::string_view> match_words(std::string_view normalized);

struct DuplicateLink {
  enum class Kind {
    kNearDuplicate,  // Jaccard(new, other) ≥ jaccard_threshold
    kContainedIn,    // the new article lies inside the other
    kContains,       // the other lies inside the new article
  };
  uint32_t other = 0;  // the earlier article's number
  Kind kind = Kind::kNearDuplicate;
  double score = 0;  // Jaccard for near-duplicates, containment of the shorter otherwise
};

const char* duplicate_kind_name(DuplicateLink::Kind kind);

class DuplicateIndex {
 public:
  using TextOf = std::function<std::string(uint32_t article)>;

  // Options must have passed validate().
  explicit DuplicateIndex(DedupOptions options);
  ~DuplicateIndex();
  DuplicateIndex(DuplicateIndex&&) noexcept;
  DuplicateIndex& operator=(DuplicateIndex&&) noexcept;

  // Numbers the article (size() before the call), indexes it, and returns its verified links
  // to earlier articles, best first. An article shorter than min_words is numbered but neither
  // indexed nor compared: its result is empty and too_short(number) is true.
  // With `keys`, also the article's keys as add_keys takes them: what the index holds of it.
  std::vector<DuplicateLink> add(std::string_view normalized_body, const TextOf& text_of,
                                 std::string* keys = nullptr);

  // Numbers and indexes an article without looking for its copies: for rebuilding the index
  // from articles whose links are already known.
  void add_without_links(std::string_view normalized_body, std::string* keys = nullptr);
  // The same from the keys add gave (its MinHash bands and sentence hashes), without the text:
  // a process rebuilding the index from a store reads them instead of hashing every body
  // again. False, and nothing numbered, when the bytes are not keys made with these options.
  bool add_keys(std::string_view keys);

  size_t size() const;
  bool too_short(uint32_t article) const;
  // Heap bytes held by the index, for the benchmark's bytes-per-article figure.
  size_t memory_bytes() const;

 private:
  struct Impl;
  struct Prepared;
  Prepared prepare(std::string_view normalized_body) const;
  void index(const Prepared& prepared);
  void write_keys(const Prepared& prepared, std::string& out) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace khabar
