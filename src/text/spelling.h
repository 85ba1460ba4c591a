// Letters, consonant skeletons and edit distance: how two spellings of one name are compared,
// for people (توكايف ~ توكاييف), misspelt places (كازخستان ~ كازاخستان) and search alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace khabar::text {

std::u32string letters_of(std::string_view word);

// The consonants: long vowels (ا و ي) and hamza dropped after the first letter, doubled
// letters once, غ as ج. Transliterations differ mostly in their vowels (توكاييف، توكايف → تكف)
// and in how they write a foreign g (سيرغي، سيرجي).
std::u32string skeleton(const std::u32string& letters);

// A skeleton's hash and the word's letter count, read straight from UTF-8 without building
// either string: the cheap test before a misspelling is looked for. hash equals
// skeleton_digest_of(skeleton(letters_of(word))).
struct SkeletonDigest {
  uint64_t hash = 0;
  size_t letters = 0;
};
SkeletonDigest skeleton_digest(std::string_view word);
uint64_t skeleton_digest_of(const std::u32string& skeleton_letters);

// Levenshtein distance with adjacent transpositions counted as one edit.
size_t edit_distance(const std::u32string& a, const std::u32string& b);

}  // namespace khabar::text
