#include "search/analysis.h"

#include "khabar/dedup.h"
#include "text/spelling.h"
#include "text/utf8.h"

namespace khabar::search_internal {
namespace {

// A skeleton of fewer consonants than this matches too many unrelated words to help.
constexpr size_t kMinSkeletonLetters = 3;
// Words shorter than this (letters) are common words more often than names, whose variant
// spellings are what the skeleton is for.
constexpr size_t kMinWordLetters = 4;

std::string skeleton_term(std::string_view term) {
  if (!text::starts_in_arabic_block(term)) return {};
  const std::u32string letters = text::letters_of(term);
  if (letters.size() < kMinWordLetters) return {};
  const std::u32string consonants = text::skeleton(letters);
  if (consonants.size() < kMinSkeletonLetters) return {};
  std::string out(kSkeletonMark);
  for (const char32_t c : consonants)
    text::append_code_point(out, c);
  return out;
}

}  // namespace

void SearchAnalysis::each_term(std::string_view original,
                               const std::function<void(const SearchTerm&)>& visit) {
  const NormalizedText normalized = normalizer_.normalize_with_offsets(original);
  const std::string_view text = normalized.text;
  for (const std::string_view word : match_words(text)) {
    SearchTerm term;
    term.term = analyzer_.term(word);
    if (term.term.empty()) continue;
    term.skeleton = skeleton_term(term.term);
    const auto begin = static_cast<size_t>(word.data() - text.data());
    term.begin = normalized.to_original[begin];
    term.end = normalized.to_original[begin + word.size()];
    visit(term);
  }
}

}  // namespace khabar::search_internal
