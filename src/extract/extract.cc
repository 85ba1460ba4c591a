#include "khabar/extract.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "extract/internal/dictionary.h"
#include "extract/internal/lexicon.h"
#include "extract/internal/passes.h"
#include "extract/internal/tagger.h"
#include "extract/internal/text_view.h"
#include "khabar/ingest.h"
#include "text/utf8.h"

namespace khabar {

std::string_view entity_type_name(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return "person";
    case EntityType::kPlace:
      return "place";
    case EntityType::kOrganisation:
      return "organisation";
  }
  return "unknown";
}

std::string_view date_precision_name(DatePrecision precision) {
  switch (precision) {
    case DatePrecision::kDay:
      return "day";
    case DatePrecision::kPartOfMonth:
      return "part of month";
    case DatePrecision::kMonth:
      return "month";
    case DatePrecision::kWeek:
      return "week";
    case DatePrecision::kPartOfYear:
      return "part of year";
    case DatePrecision::kYear:
      return "year";
    case DatePrecision::kTime:
      return "time";
    case DatePrecision::kVague:
      return "vague";
    case DatePrecision::kWeekday:
      return "weekday";
  }
  return "unknown";
}

namespace extract_internal {

MatchTable::MatchTable(const TextView& text, const Lexicon& lexicon) {
  start_.reserve(text.size() + 1);
  categories_.reserve(text.size());
  std::vector<LexMatch> at;
  for (size_t i = 0; i < text.size(); ++i) {
    start_.push_back(static_cast<uint32_t>(all_.size()));
    lexicon.matches_at(text, i, at);
    uint32_t bits = 0;
    for (const LexMatch& match : at)
      bits |= category_bit(match.category);
    categories_.push_back(bits);
    all_.insert(all_.end(), at.begin(), at.end());
  }
  start_.push_back(static_cast<uint32_t>(all_.size()));
}

const LexMatch* MatchTable::longest(size_t token, Category category) const {
  if (!has(token, category)) return nullptr;
  const LexMatch* best = nullptr;
  for (const LexMatch& match : at(token)) {
    if (match.category == category && longer_than(match, best)) best = &match;
  }
  return best;
}

bool is_stop_word(const Context& context, size_t token) {
  if (!context.matches.has(token, Category::kStopWord)) return false;
  for (const LexMatch& match : context.matches.at(token)) {
    if (match.category == Category::kStopWord && match.tokens == 1 && match.clitic_bytes == 0)
      return true;
  }
  return false;
}

bool starts_with_article(std::string_view word) {
  return word.starts_with("ال") && word.size() > std::string_view("ال").size() + 2;
}

std::string_view without_accusative_alef(std::string_view word) {
  constexpr std::string_view kAlef = "ا";
  if (word.ends_with(kAlef) && word.size() >= kAlef.size() + 4) {
    return word.substr(0, word.size() - kAlef.size());
  }
  return word;
}

namespace {

std::vector<TimelineEntry> timeline_of(const TextView& text,
                                       const std::vector<std::pair<size_t, size_t>>& date_tokens,
                                       const std::vector<DateFact>& dates) {
  std::vector<TimelineEntry> timeline;
  for (size_t d = 0; d < dates.size(); ++d) {
    if (!dates[d].on_calendar()) continue;
    const Sentence& sentence = text.sentence_of(date_tokens[d].first);
    TimelineEntry entry;
    entry.date = static_cast<int>(d);
    entry.span = text.span(sentence.begin, sentence.end);
    entry.sentence = text.sentence_text(sentence);
    timeline.push_back(std::move(entry));
  }
  return timeline;
}

}  // namespace
}  // namespace extract_internal

namespace {

// Spans must point into the caller's text: valid UTF-8 (all stored text) is read in place, and
// broken input from a repaired copy, whose offsets then differ only after a bad byte.
std::string_view readable(std::string_view text, std::string& repaired) {
  if (text::find_invalid_utf8(text) == text::kNoInvalidByte) return text;
  repaired = text::to_valid_utf8(text);
  return repaired;
}

}  // namespace

struct Extractor::Impl {
  explicit Impl(const ExtractOptions& options)
      : own_tagger(read_tagger(options.name_model)),
        tagger(own_tagger                ? &*own_tagger
               : options.use_name_tagger ? &extract_internal::NameTagger::built_in()
                                         : nullptr),
        lexicon(normalizer),
        fuzzy_places(lexicon),
        dictionary(options.use_dictionary ? options.hunspell_affix : std::string(),
                   options.use_dictionary ? options.hunspell_dictionary : std::string()) {}

  static std::optional<extract_internal::NameTagger> read_tagger(const std::string& path) {
    if (path.empty()) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": the name tagger's model cannot be read");
    std::ostringstream model;
    model << in.rdbuf();
    return extract_internal::NameTagger::parse(model.str(), path);
  }

  std::optional<extract_internal::NameTagger> own_tagger;
  const extract_internal::NameTagger* tagger;  // null: names by rules alone
  Normalizer normalizer;
  extract_internal::Lexicon lexicon;
  extract_internal::FuzzyPlaces fuzzy_places;
  extract_internal::Dictionary dictionary;
};

Extractor::Extractor(ExtractOptions options) : impl_(std::make_unique<Impl>(options)) {}
Extractor::~Extractor() = default;
Extractor::Extractor(Extractor&&) noexcept = default;
Extractor& Extractor::operator=(Extractor&&) noexcept = default;

// The title's mentions go first, so that indices into `mentions` from the body's facts are
// shifted by their number.
void Extractor::add_title_mentions(const ExtractInput& input, Extraction& out) const {
  using namespace extract_internal;
  std::string repaired;
  const TextView title(readable(input.title, repaired), impl_->normalizer);
  const MatchTable matches(title, impl_->lexicon);
  const Context context{title, impl_->lexicon, impl_->dictionary, matches, std::nullopt};
  std::vector<Mention> mentions =
      find_mentions(context, impl_->fuzzy_places, impl_->tagger).mentions;
  if (mentions.empty()) return;
  for (Mention& m : mentions)
    m.in_title = true;
  const int shift = static_cast<int>(mentions.size());
  auto shifted = [shift](int& index) {
    if (index >= 0) index += shift;
  };
  for (Quote& q : out.quotes)
    shifted(q.speaker);
  for (Framing& f : out.framings)
    shifted(f.speaker);
  for (SourceChain& c : out.chains)
    std::for_each(c.sources.begin(), c.sources.end(), shifted);
  for (EventMention& e : out.events)
    std::for_each(e.mentions.begin(), e.mentions.end(), shifted);
  mentions.insert(mentions.end(), std::make_move_iterator(out.mentions.begin()),
                  std::make_move_iterator(out.mentions.end()));
  out.mentions = std::move(mentions);
}

bool Extractor::has_dictionary() const {
  return impl_->dictionary.loaded();
}

Extraction Extractor::extract(const ExtractInput& input) const {
  using namespace extract_internal;
  std::string repaired;
  const TextView text(readable(input.text, repaired), impl_->normalizer);
  const MatchTable matches(text, impl_->lexicon);
  const Context context{text, impl_->lexicon, impl_->dictionary, matches,
                        iso8601_date(input.published)};

  Extraction out;
  FoundMentions found = find_mentions(context, impl_->fuzzy_places, impl_->tagger);
  std::vector<std::pair<size_t, size_t>> date_tokens;
  out.dates = find_dates(context, found, date_tokens);
  out.counts = find_counts(context, found, out.dates, date_tokens);
  out.events = find_events(context, found);
  find_speech(context, found, out);
  out.timeline = timeline_of(text, date_tokens, out.dates);
  out.mentions = std::move(found.mentions);  // the passes above read them in place
  if (!input.title.empty()) add_title_mentions(input, out);
  return out;
}

}  // namespace khabar
