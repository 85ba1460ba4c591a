#include "extract/internal/lexicon.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>

#include "khabar_data/attribution_tsv.h"
#include "khabar_data/count_events_tsv.h"
#include "khabar_data/counted_nouns_tsv.h"
#include "khabar_data/date_expressions_tsv.h"
#include "khabar_data/entity_heads_tsv.h"
#include "khabar_data/framings_tsv.h"
#include "khabar_data/given_names_txt.h"
#include "khabar_data/known_people_tsv.h"
#include "khabar_data/ministries_tsv.h"
#include "khabar_data/months_tsv.h"
#include "khabar_data/name_particles_txt.h"
#include "khabar_data/number_multipliers_tsv.h"
#include "khabar_data/number_words_tsv.h"
#include "khabar_data/ordinal_days_tsv.h"
#include "khabar_data/organisations_tsv.h"
#include "khabar_data/person_titles_txt.h"
#include "khabar_data/places_tsv.h"
#include "khabar_data/speech_adverbials_txt.h"
#include "khabar_data/speech_verbs_txt.h"
#include "khabar_data/stopwords_ar_txt.h"
#include "khabar_data/stopwords_en_txt.h"
#include "khabar_data/weekdays_tsv.h"
#include "text/utf8.h"

namespace khabar::extract_internal {
namespace {

using text::split;

// A data file's rows, each checked for its column count: the data is compiled in, so a broken
// row is a build defect, caught by the first test that builds an Extractor.
std::vector<std::vector<std::string_view>> rows(std::string_view data, std::string_view file,
                                                size_t columns) {
  std::vector<std::vector<std::string_view>> out;
  for (const text::DataLine& line : text::data_lines(data)) {
    std::vector<std::string_view> cells = split(line.text, '\t');
    if (cells.size() != columns) {
      std::cerr << "khabar: data/extract/" << file << ":" << line.number << ": expected " << columns
                << " tab-separated columns, found " << cells.size() << "\n";
      std::abort();
    }
    out.push_back(std::move(cells));
  }
  return out;
}

// The canonical form: the first of "|"-separated forms.
std::string_view first_form(std::string_view forms) {
  return split(forms, '|').front();
}

double to_double(std::string_view s) {
  return std::strtod(std::string(s).c_str(), nullptr);
}
int to_int(std::string_view s) {
  return static_cast<int>(std::strtol(std::string(s).c_str(), nullptr, 10));
}

// لل is ل + ال: «للأمم المتحدة» is «الأمم المتحدة» after ل.
constexpr std::string_view kClitics[] = {"و",  "ف",  "ب",  "ل",  "ك",   "وب", "ول",
                                         "فب", "فل", "وك", "لل", "ولل", "فلل"};

bool starts_with_clitic_letter(std::string_view word) {
  return word.starts_with("و") || word.starts_with("ف") || word.starts_with("ب") ||
         word.starts_with("ل") || word.starts_with("ك");
}

}  // namespace

Lexicon::Lexicon(const Normalizer& normalizer) : normalizer_(normalizer) {
  // Places first: a country's index is needed by its nisba and by the ministries.
  std::vector<std::pair<uint32_t, std::string_view>> nisba_rows;
  for (const auto& row : rows(data::places_tsv, "places.tsv", 6)) {
    const auto index = static_cast<uint32_t>(entities.size());
    const bool country = row[1] == "country";
    entities.push_back({std::string(row[0]), std::string(row[1]),
                        std::string(country ? row[0] : row[2]), std::string(first_form(row[3])),
                        std::string(first_form(row[4])), EntityType::kPlace});
    add_forms(row[3], Category::kPlace, index);
    add_forms(row[4], Category::kPlace, index);
    if (country && row[5] != "-") nisba_rows.emplace_back(index, row[5]);
  }
  // Nisba adjectives, each in four forms: روسي الروسي روسيه الروسيه (ة is ه once normalised).
  std::vector<std::pair<uint32_t, std::string>> masculine_nisba, feminine_nisba;
  std::unordered_map<uint32_t, std::string_view> printed_nisba;  // the first, for display
  for (const auto& [country, forms] : nisba_rows) {
    printed_nisba.emplace(country, first_form(forms));
    for (const std::string_view form : split(forms, '|')) {
      const std::string base = normalizer_.normalize(form);
      for (const std::string& variant : {base, "ال" + base}) {
        masculine_nisba.emplace_back(country, variant);
        feminine_nisba.emplace_back(country, variant + "ه");
      }
    }
  }
  for (const auto* list : {&masculine_nisba, &feminine_nisba}) {
    for (const auto& [country, form] : *list) {
      add_normalized(form, Category::kNisba, static_cast<uint32_t>(nisba_country.size()));
      nisba_country.push_back(country);
    }
  }

  for (const auto& row : rows(data::organisations_tsv, "organisations.tsv", 5)) {
    const auto index = static_cast<uint32_t>(entities.size());
    entities.push_back({std::string(row[0]), std::string(row[1]),
                        row[2] == "-" ? std::string() : std::string(row[2]),
                        std::string(first_form(row[3])), std::string(first_form(row[4])),
                        EntityType::kOrganisation});
    add_forms(row[3], Category::kOrganisation, index);
    add_forms(row[4], Category::kOrganisation, index);
  }
  // One ministry (or army, police...) per country: وزارة الخارجية الروسية، الجيش الروسي.
  for (const auto& row : rows(data::ministries_tsv, "ministries.tsv", 4)) {
    const bool feminine = row[1] == "f";
    const std::vector<std::string_view> forms = split(row[2], '|');
    const auto& nisbas = feminine ? feminine_nisba : masculine_nisba;
    std::unordered_map<uint32_t, uint32_t> entity_of_country;
    for (const auto& [country, nisba] : nisbas) {
      if (!nisba.starts_with("ال")) continue;
      auto [it, added] = entity_of_country.try_emplace(country, 0);
      if (added) {
        it->second = static_cast<uint32_t>(entities.size());
        const GazetteerEntry& place = entities[country];
        const std::string adjective =
            "ال" + std::string(printed_nisba.at(country)) + (feminine ? "ة" : "");
        entities.push_back({place.id + "-" + std::string(row[0]), "ministry", place.id,
                            std::string(forms.front()) + " " + adjective,
                            std::string(row[3]) + " (" + place.english + ")",
                            EntityType::kOrganisation});
      }
      for (const std::string_view form : forms) {
        add_normalized(normalizer_.normalize(form) + " " + nisba, Category::kOrganisation,
                       it->second);
      }
    }
  }
  for (const auto& row : rows(data::known_people_tsv, "known_people.tsv", 3)) {
    const auto index = static_cast<uint32_t>(entities.size());
    entities.push_back({std::string(row[0]), "person", "", std::string(first_form(row[1])),
                        std::string(row[2]), EntityType::kPerson});
    add_forms(row[1], Category::kKnownPerson, index);
    add(row[2], Category::kKnownPerson, index);
  }

  for (const text::DataLine& line : text::data_lines(data::person_titles_txt)) {
    add(line.text, Category::kTitle, static_cast<uint32_t>(titles.size()));
    titles.emplace_back(line.text);
  }
  for (const auto& row : rows(data::speech_verbs_txt, "speech_verbs.txt", 2)) {
    for (const std::string_view verb : row) {
      const std::string base = normalizer_.normalize(verb);
      // Past: قال قالت; present: يقول تقول. Then with و or ف glued on.
      std::vector<std::string> forms = {base};
      if (base.starts_with("ي")) {
        forms.push_back("ت" + base.substr(std::string_view("ي").size()));
      } else {
        forms.push_back(base + "ت");
      }
      for (const std::string& form : forms) {
        for (const std::string_view conjunction : {"", "و", "ف"}) {
          add_normalized(std::string(conjunction) + form, Category::kSpeechVerb, 0);
        }
      }
    }
  }
  for (const text::DataLine& line : text::data_lines(data::speech_adverbials_txt)) {
    add(line.text, Category::kSpeechAdverbial, 0);
  }
  for (const text::DataLine& line : text::data_lines(data::given_names_txt)) {
    add(line.text, Category::kGivenName, 0);
  }
  for (const text::DataLine& line : text::data_lines(data::name_particles_txt)) {
    add(line.text, Category::kNameParticle, 0);
  }
  for (const auto& row : rows(data::entity_heads_tsv, "entity_heads.tsv", 2)) {
    if (row[0] != "organisation" && row[0] != "party" && row[0] != "place") {
      std::cerr << "khabar: data/extract/entity_heads.tsv: unknown type " << row[0] << "\n";
      std::abort();
    }
    add_forms(row[1], row[0] == "place" ? Category::kPlaceHead : Category::kOrganisationHead,
              row[0] == "party" ? kNamingHead : 0);
  }

  for (const auto& row : rows(data::count_events_tsv, "count_events.tsv", 2)) {
    add_forms(row[1], Category::kCountEvent, static_cast<uint32_t>(count_events.size()));
    count_events.emplace_back(row[0]);
  }
  for (const auto& row : rows(data::counted_nouns_tsv, "counted_nouns.tsv", 2)) {
    add_forms(row[1], Category::kCountedNoun, static_cast<uint32_t>(counted_nouns.size()));
    counted_nouns.emplace_back(row[0]);
  }
  for (const auto& row : rows(data::number_words_tsv, "number_words.tsv", 2)) {
    const bool approximate = row[0].starts_with("~");
    add_forms(row[1], Category::kNumberWord, static_cast<uint32_t>(number_words.size()));
    number_words.push_back({to_double(row[0].substr(approximate ? 1 : 0)), approximate});
  }
  for (const auto& row : rows(data::number_multipliers_tsv, "number_multipliers.tsv", 2)) {
    add_forms(row[1], Category::kMultiplier, static_cast<uint32_t>(multipliers.size()));
    multipliers.push_back(to_double(row[0]));
  }

  for (const auto& row : rows(data::months_tsv, "months.tsv", 3)) {
    add_forms(row[2], Category::kMonth, static_cast<uint32_t>(months.size()));
    months.push_back({row[0] == "hijri", to_int(row[1])});
  }
  for (const auto& row : rows(data::weekdays_tsv, "weekdays.tsv", 2)) {
    add_forms(row[1], Category::kWeekday, static_cast<uint32_t>(weekdays.size()));
    weekdays.push_back(to_int(row[0]));
  }
  for (const auto& row : rows(data::ordinal_days_tsv, "ordinal_days.tsv", 2)) {
    add_forms(row[1], Category::kOrdinalDay, static_cast<uint32_t>(ordinal_days.size()));
    ordinal_days.push_back(to_int(row[0]));
  }
  for (const auto& row : rows(data::date_expressions_tsv, "date_expressions.tsv", 3)) {
    if (row[0] == "part") {
      add_forms(row[2], Category::kDatePart, static_cast<uint32_t>(date_parts.size()));
      date_parts.push_back(row[1] == "early" ? DatePart::kEarly
                           : row[1] == "mid" ? DatePart::kMid
                                             : DatePart::kLate);
    } else if (row[0] == "relative") {
      add_forms(row[2], Category::kDateRelative, static_cast<uint32_t>(relative_days.size()));
      relative_days.push_back(to_int(row[1]));
    } else if (row[0] == "period") {
      add_forms(row[2], Category::kDatePeriod, static_cast<uint32_t>(periods.size()));
      periods.emplace_back(row[1]);
    } else if (row[0].starts_with("unit-")) {
      add_forms(row[2], Category::kDateUnit, static_cast<uint32_t>(date_units.size()));
      date_units.push_back({std::string(row[1]), row[0] == "unit-one"   ? 1
                                                 : row[0] == "unit-two" ? 2
                                                                        : 0});
    } else if (row[0] == "set") {
      add_forms(row[2], Category::kDateSet, static_cast<uint32_t>(date_sets.size()));
      date_sets.emplace_back(row[1]);
    } else if (row[0] == "offset") {
      add_forms(row[2], Category::kDateOffset, static_cast<uint32_t>(date_offsets.size()));
      date_offsets.push_back(to_int(row[1]));
    } else if (row[0] == "not-date") {
      add_forms(row[2], Category::kNotDate, 0);
    } else if (row[0] == "year-word") {
      add_forms(row[2], Category::kYearWord, 0);
    } else if (row[0] == "part-of-day") {
      add_forms(row[2], Category::kPartOfDay, static_cast<uint32_t>(parts_of_day.size()));
      parts_of_day.emplace_back(row[1]);
    } else if (row[0] == "ref" || row[0] == "season" || row[0] == "decade" ||
               row[0] == "day-part" || row[0] == "day-part-noun" || row[0] == "playing-season" ||
               row[0] == "clock-hour") {
      add_forms(row[2], Category::kDateNamed, static_cast<uint32_t>(named_dates.size()));
      named_dates.push_back({row[0] == "ref"             ? NamedDate::Kind::kReference
                             : row[0] == "season"        ? NamedDate::Kind::kSeason
                             : row[0] == "decade"        ? NamedDate::Kind::kDecade
                             : row[0] == "day-part"      ? NamedDate::Kind::kDayPart
                             : row[0] == "day-part-noun" ? NamedDate::Kind::kDayPartNoun
                             : row[0] == "clock-hour"    ? NamedDate::Kind::kClockHour
                                                         : NamedDate::Kind::kPlayingSeason,
                             std::string(row[1])});
    } else {
      // Compiled-in data: a bad row is a build mistake, as in rows().
      std::cerr << "khabar: data/extract/date_expressions.tsv: unknown kind " << row[0] << "\n";
      std::abort();
    }
  }
  for (const text::DataLine& line : text::data_lines(data::framings_tsv)) {
    add_forms(line.text, Category::kFramingHead, static_cast<uint32_t>(framing_heads.size()));
    framing_heads.push_back(normalizer_.normalize(first_form(line.text)));
  }
  for (const auto& row : rows(data::attribution_tsv, "attribution.tsv", 2)) {
    add_forms(row[1], row[0] == "via" ? Category::kVia : Category::kAccording, 0);
  }
  for (const std::string_view list : {data::stopwords_ar_txt, data::stopwords_en_txt}) {
    for (const text::DataLine& line : text::data_lines(list)) {
      add(line.text, Category::kStopWord, 0);
    }
  }
}

uint64_t Lexicon::hash_of(std::string_view s) {
  return XXH3_64bits(s.data(), s.size());
}

void Lexicon::add(std::string_view printed, Category category, uint32_t index) {
  if (printed.empty() || printed == "-") return;
  add_normalized(normalizer_.normalize(printed), category, index);
}

void Lexicon::add_forms(std::string_view forms, Category category, uint32_t index) {
  for (const std::string_view form : split(forms, '|'))
    add(form, category, index);
}

void Lexicon::add_normalized(const std::string& normalized, Category category, uint32_t index) {
  // Keyed as text is tokenised: "وفقا لـ" is the tokens وفقا and ل.
  const std::vector<Token> tokens = tokenize(normalized);
  if (tokens.empty()) return;
  std::string key;
  for (const Token& token : tokens) {
    if (!key.empty()) key += ' ';
    key += token.text;
  }
  Phrase& phrase = phrases_[hash_of(key)];
  if (phrase.key.empty()) {
    phrase.key = key;
  } else if (phrase.key != key) {
    std::cerr << "khabar: data/extract: phrases «" << phrase.key << "» and «" << key
              << "» share a 64-bit hash\n";
    std::abort();
  }
  std::vector<LexMatch>& entries = phrase.matches;
  for (const LexMatch& entry : entries) {
    // The first listing of a phrase in a category wins: a spelling shared by two places is
    // the first place's.
    if (entry.category == category) return;
  }
  entries.push_back({category, index, static_cast<uint16_t>(tokens.size()), 0});
  uint16_t& longest = first_words_[hash_of(tokens.front().text)];
  longest = std::max(longest, static_cast<uint16_t>(tokens.size()));
}

const std::vector<LexMatch>* Lexicon::phrase(std::string_view normalized_phrase) const {
  const auto it = phrases_.find(hash_of(normalized_phrase));
  if (it == phrases_.end() || it->second.key != normalized_phrase) return nullptr;
  return &it->second.matches;
}

std::vector<std::pair<std::string_view, uint32_t>> Lexicon::single_word_places() const {
  std::vector<std::pair<std::string_view, uint32_t>> out;
  for (const auto& [hash, phrase] : phrases_) {
    const std::string& key = phrase.key;
    for (const LexMatch& entry : phrase.matches) {
      if (entry.category == Category::kPlace && entry.tokens == 1)
        out.emplace_back(key, entry.index);
    }
  }
  // Hash order is not stable across standard libraries; candidates are tried in order.
  std::sort(out.begin(), out.end());
  return out;
}

void Lexicon::lookup(const TextView& text, size_t first, size_t clitic_bytes,
                     std::string_view first_word, std::vector<LexMatch>& out) const {
  const auto longest = first_words_.find(hash_of(first_word));
  if (longest == first_words_.end()) return;
  // Phrases run over words and numbers on one line with single spaces between them.
  size_t last = first + 1;
  while (last < text.size() && last - first < longest->second &&
         text.token(last).kind != Token::Kind::kPunct &&
         text.token(last).kind != Token::Kind::kBreak) {
    ++last;
  }
  const std::string_view normalized = text.normalized();
  for (size_t end = last; end > first; --end) {
    const size_t begin = text.token(first).begin + clitic_bytes;
    std::string joined;
    std::string_view key;
    if (first_word.data() >= normalized.data() &&
        first_word.data() < normalized.data() + normalized.size()) {
      key = normalized.substr(begin, text.token(end - 1).end - begin);
    } else {  // لل + word: the key starts with "ال", which the text does not hold
      joined = std::string(first_word);
      joined +=
          normalized.substr(text.token(first).end, text.token(end - 1).end - text.token(first).end);
      key = joined;
    }
    const std::vector<LexMatch>* entries = phrase(key);
    if (entries == nullptr) continue;
    for (LexMatch match : *entries) {
      if (match.tokens != end - first) continue;
      match.clitic_bytes = static_cast<uint8_t>(clitic_bytes);
      out.push_back(match);
    }
  }
}

void Lexicon::matches_at(const TextView& text, size_t first, std::vector<LexMatch>& out) const {
  out.clear();
  const Token& token = text.token(first);
  if (token.kind != Token::Kind::kWord) return;
  lookup(text, first, 0, token.text, out);
  if (!starts_with_clitic_letter(token.text)) return;
  for (const std::string_view clitic : kClitics) {
    // What is left must still be a word of two letters or more.
    if (!token.text.starts_with(clitic) || token.text.size() < clitic.size() + 4) continue;
    if (clitic.ends_with("لل")) {
      const std::string with_article = "ال" + std::string(token.text.substr(clitic.size()));
      lookup(text, first, clitic.size() - std::string_view("ل").size(), with_article, out);
    } else {
      lookup(text, first, clitic.size(), token.text.substr(clitic.size()), out);
    }
  }
}

}  // namespace khabar::extract_internal
