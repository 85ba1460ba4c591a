// The rules of data/extract/ compiled into one phrase table over normalised tokens.
//
// Every phrase (a place's spelling, a title, a month name, a trigger word) is normalised and
// tokenised as article text is, and keyed by its tokens joined with single spaces, so a match at
// a token is a few hash lookups on slices of the normalised text: no allocation. A phrase's first
// word may carry the clitics news glues to it (و، ف، ب، ل، ك and لل for ل+ال), which are tried
// off as well; the match records how many bytes they took.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "extract/internal/text_view.h"
#include "khabar/extract.h"
#include "khabar/normalize.h"

namespace khabar::extract_internal {

// The index of an organisation head (kOrganisationHead) whose complement is the body's own
// name (حزب الليكود).
constexpr uint32_t kNamingHead = 1;

enum class Category : uint8_t {
  kPlace,
  kOrganisation,
  kKnownPerson,
  kNisba,  // a country's nisba adjective: الروسي، الروسية
  kTitle,
  kSpeechVerb,
  kSpeechAdverbial,
  kGivenName,
  kNameParticle,      // بن، آل، أبو, joining the parts of a person's name
  kOrganisationHead,  // وزارة، الهيئة، المرصد: heads an organisation's name
  kPlaceHead,         // مدينة، محافظة: heads a place's name, which follows it
  kCountEvent,
  kCountedNoun,
  kNumberWord,
  kMultiplier,
  kMonth,
  kWeekday,
  kOrdinalDay,
  kDatePart,
  kDateRelative,
  kDatePeriod,
  kDateUnit,    // عام، عامين، أعوام: a unit of time
  kDateSet,     // يوميا، كل عام
  kDateOffset,  // قبل، بعد a length
  kYearWord,    // عام 1998
  kPartOfDay,   // صباح، مساء
  kDateNamed,   // حاليا، الصيف، الثمانينات: a time a word names
  kNotDate,     // عين اليوم، الربيع العربي: names holding a time word
  kFramingHead,
  kVia,
  kAccording,
  kStopWord,
  kCategoryCount,  // not a category: MatchTable keeps one bit for each above
};
static_assert(static_cast<unsigned>(Category::kCategoryCount) <= 32);

struct GazetteerEntry {
  std::string id;
  std::string kind;     // country, city, agency, outlet ...
  std::string country;  // a city's or body's country; a country's own code
  std::string canonical;
  std::string english;
  EntityType type = EntityType::kPlace;
};

struct NumberWord {
  double value = 0;
  bool approximate = false;
};

struct Month {
  bool hijri = false;
  int number = 0;
};

enum class DatePart : uint8_t { kEarly, kMid, kLate };

struct DateUnit {
  std::string letter;  // ISO 8601's: Y, M, W, D, H; MIN for minutes
  int count = 0;       // 1 for the singular (عام), 2 for the dual (عامين), 0 for a plural
};

struct NamedDate {
  enum class Kind : uint8_t {
    kReference,
    kSeason,
    kDecade,
    kDayPart,
    kDayPartNoun,
    kPlayingSeason,
    kClockHour
  };
  Kind kind = Kind::kReference;
  std::string value;  // PRESENT_REF; SU; 198X; EV (a day part); season; 1-12 (a clock's hour)
};

struct LexMatch {
  Category category = Category::kPlace;
  uint32_t index = 0;        // into the category's table below
  uint16_t tokens = 0;       // tokens covered
  uint8_t clitic_bytes = 0;  // normalised bytes of clitic before the phrase on its first token
};

// Does `match` cover more tokens than `best` (or as many, with less clitic)? True when best is
// null: the order in which a position's matches are ranked.
inline bool longer_than(const LexMatch& match, const LexMatch* best) {
  return best == nullptr || match.tokens > best->tokens ||
         (match.tokens == best->tokens && match.clitic_bytes < best->clitic_bytes);
}

class Lexicon {
 public:
  explicit Lexicon(const Normalizer& normalizer);

  // Every phrase that starts at token `first`, longest first.
  void matches_at(const TextView& text, size_t first, std::vector<LexMatch>& out) const;
  const std::vector<LexMatch>* phrase(std::string_view normalized_phrase) const;
  // Place spellings of one word, normalised, with their entity.
  std::vector<std::pair<std::string_view, uint32_t>> single_word_places() const;

  std::vector<GazetteerEntry> entities;  // places, organisations and known people
  std::vector<uint32_t> nisba_country;   // kNisba index → entities index of the country
  std::vector<std::string> titles;
  std::vector<std::string> count_events;   // event name
  std::vector<std::string> counted_nouns;  // class
  std::vector<NumberWord> number_words;
  std::vector<double> multipliers;
  std::vector<Month> months;
  std::vector<int> weekdays;      // ISO number
  std::vector<int> ordinal_days;  // day of month
  std::vector<DatePart> date_parts;
  std::vector<int> relative_days;
  std::vector<std::string> periods;  // last-week ...
  std::vector<DateUnit> date_units;
  std::vector<std::string> date_sets;     // TIMEX3 value: P1D ...
  std::vector<int> date_offsets;          // -1 before, 1 after
  std::vector<std::string> parts_of_day;  // MO, AF, EV, NI
  std::vector<NamedDate> named_dates;
  std::vector<std::string> framing_heads;

 private:
  // Keyed by the phrase's 64-bit XXH3 hash: every token of every article is looked up here
  // several times (with and without clitics, for each phrase length) and nearly all miss, so a
  // miss must cost one hash and integer compares, not string compares. The key is kept to
  // confirm a hit.
  struct Phrase {
    std::string key;
    std::vector<LexMatch> matches;
  };
  using PhraseMap = std::unordered_map<uint64_t, Phrase>;
  static uint64_t hash_of(std::string_view s);

  void add(std::string_view printed, Category category, uint32_t index);
  // Each of the "|"-separated forms.
  void add_forms(std::string_view forms, Category category, uint32_t index);
  void add_normalized(const std::string& key, Category category, uint32_t index);
  void lookup(const TextView& text, size_t first, size_t clitic_bytes, std::string_view first_word,
              std::vector<LexMatch>& out) const;

  const Normalizer& normalizer_;
  PhraseMap phrases_;
  // First word of any phrase (its hash) → the most tokens of a phrase starting with it. Two
  // words sharing a hash would only make a lookup try longer phrases.
  std::unordered_map<uint64_t, uint16_t> first_words_;
};

}  // namespace khabar::extract_internal
