// Word shingles and the set measures on them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace khabar::dedup_internal {

// Hashes of every run of `size` consecutive words, in text order, repeats included. A text of
// fewer words than `size` is one shingle of all its words; no words, no shingles. Enough for a
// MinHash signature, which a repeat cannot change.
std::vector<uint64_t> shingle_hashes(const std::vector<std::string_view>& words, size_t size);
// The same, sorted and without repeats: the set that Jaccard and containment are measured on.
std::vector<uint64_t> shingle_set(const std::vector<std::string_view>& words, size_t size);

// |a ∩ b| for sorted sets.
size_t intersection_size(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

// One-permutation MinHash with optimal densification (Shrivastava, ICML 2017): each shingle
// hash falls into one of `slots` bins by its high bits and competes there on its low bits;
// empty bins borrow from a bin chosen by a fixed probe sequence. The probability that two
// signatures agree in a slot is the Jaccard similarity of the sets, as with `slots`
// independent permutations, for one hash per shingle instead of `slots`.
std::vector<uint32_t> minhash_signature(const std::vector<uint64_t>& shingles, size_t slots);

// Sentence hashes for containment candidates: sentences end at . ! ? ; or a line break (the
// normalised forms of Arabic punctuation too); a sentence of fewer than `min_words` words is
// too common to say anything and is left out.
std::vector<uint64_t> sentence_hashes(std::string_view normalized, size_t min_words);

}  // namespace khabar::dedup_internal
