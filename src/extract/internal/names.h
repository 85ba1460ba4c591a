// Letters, consonant skeletons and edit distance: how two spellings of one name are compared,
// for people (توكايف ~ توكاييف) and for misspelt places (كازخستان ~ كازاخستان) alike.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace khabar::extract_internal {

std::u32string letters_of(std::string_view word);

// The consonants: long vowels (ا و ي) and hamza dropped after the first letter, doubled
// letters once, غ as ج. Transliterations differ mostly in their vowels (توكاييف، توكايف → تكف)
// and in how they write a foreign g (سيرغي، سيرجي).
std::u32string skeleton(const std::u32string& letters);

// Levenshtein distance with adjacent transpositions counted as one edit.
size_t edit_distance(const std::u32string& a, const std::u32string& b);

}  // namespace khabar::extract_internal
