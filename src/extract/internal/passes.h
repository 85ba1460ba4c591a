// The passes of extraction, in the order they run over one article. Each reads the tokens and
// the lexicon's matches at every token, and what earlier passes found.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "extract/internal/dictionary.h"
#include "extract/internal/lexicon.h"
#include "extract/internal/text_view.h"
#include "khabar/extract.h"

namespace khabar::extract_internal {

// The lexicon's matches at every token, computed once.
class MatchTable {
 public:
  MatchTable(const TextView& text, const Lexicon& lexicon);
  std::span<const LexMatch> at(size_t token) const {
    return {all_.data() + start_[token], all_.data() + start_[token + 1]};
  }
  // The longest match of `category` at `token`, or null.
  const LexMatch* longest(size_t token, Category category) const;
  bool has(size_t token, Category category) const {
    return (categories_[token] & category_bit(category)) != 0;
  }
  // Does any of `categories` match at `token`? One test, however many: the passes ask this of
  // every word.
  bool has_any(size_t token, uint32_t categories) const {
    return (categories_[token] & categories) != 0;
  }

  static constexpr uint32_t category_bit(Category category) {
    return uint32_t{1} << static_cast<unsigned>(category);
  }

 private:
  std::vector<LexMatch> all_;
  std::vector<uint32_t> start_;
  std::vector<uint32_t> categories_;  // per token, a bit per category matching there
};

constexpr uint32_t categories(std::initializer_list<Category> list) {
  uint32_t bits = 0;
  for (const Category category : list)
    bits |= MatchTable::category_bit(category);
  return bits;
}

struct Context {
  const TextView& text;
  const Lexicon& lexicon;
  const Dictionary& dictionary;
  const MatchTable& matches;
  std::optional<std::chrono::year_month_day> published;
};

// Mentions sorted by position, with the token range of each.
struct FoundMentions {
  std::vector<Mention> mentions;
  std::vector<std::pair<size_t, size_t>> tokens;  // [first, last) of each mention
  std::vector<int> at_token;                      // mention index covering a token, or -1
  std::vector<std::string> role_keys;             // a person's role, normalised, or empty
};

// Gazetteer place spellings of one word, for finding misspellings one edit away.
class FuzzyPlaces {
 public:
  struct Candidate {
    std::string spelling;  // normalised
    std::u32string letters;
    uint32_t entity = 0;  // in Lexicon::entities
  };
  explicit FuzzyPlaces(const Lexicon& lexicon);
  // The spelling one edit from `letters`, with the same first letter; null when none, or when
  // `letters` is itself a spelling.
  const Candidate* near(const std::u32string& letters) const;
  // False when no spelling shares `word`'s skeleton, or it is too short to be compared: most
  // words, answered without building a string.
  bool may_be_near(std::string_view word) const;

 private:
  std::vector<Candidate> candidates_;
  std::unordered_set<uint64_t> skeleton_digests_;
  std::unordered_multimap<std::u32string, uint32_t> by_skeleton_;
};

class NameTagger;
// `tagger` may be null: names by rules alone.
FoundMentions find_mentions(const Context& context, const FuzzyPlaces& places,
                            const NameTagger* tagger);
std::vector<DateFact> find_dates(const Context& context, const FoundMentions& found,
                                 std::vector<std::pair<size_t, size_t>>& token_ranges);
// `date_tokens` are find_dates' token ranges: a count takes its sentence's first date on the
// calendar.
std::vector<CountFact> find_counts(const Context& context, const FoundMentions& found,
                                   const std::vector<DateFact>& dates,
                                   const std::vector<std::pair<size_t, size_t>>& date_tokens);
std::vector<EventMention> find_events(const Context& context, const FoundMentions& found);
void find_speech(const Context& context, const FoundMentions& found, Extraction& out);

// Word helpers shared by the passes.
bool is_stop_word(const Context& context, size_t token);
bool starts_with_article(std::string_view normalized_word);  // ال
// The word without the accusative alef of tanween: جنديا → جندي (only when more remains).
std::string_view without_accusative_alef(std::string_view normalized_word);

}  // namespace khabar::extract_internal
