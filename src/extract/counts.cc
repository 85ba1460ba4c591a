// Counts: a number, what it counts and what happened to it. «ألقت القبض على 7939 شخصًا» is
// (7939, person, arrested); «مقتل 16 من قوات الأمن» is (16, security personnel, killed);
// «عشرات المدنيين» is (at least 10, person). A number without a counted noun after it (a year,
// a percentage, a phone number) is not a count.
#include <cmath>
#include <cstdlib>
#include <set>
#include <string>
#include <tuple>

#include "extract/internal/passes.h"
#include "text/utf8.h"

namespace khabar::extract_internal {
namespace {

// How far from the number a trigger word may stand, in tokens, within the sentence.
constexpr size_t kTriggerWindow = 6;

struct NumberAt {
  double value = 0;
  bool approximate = false;
  size_t end = 0;  // first token after the number and its multiplier
};

std::optional<NumberAt> number_at(const Context& context, size_t i) {
  const Token& token = context.text.token(i);
  NumberAt number;
  if (token.kind == Token::Kind::kNumber) {
    std::string digits;
    for (const char c : token.text) {
      if (c != ',') digits += c;  // thousands separator
    }
    number.value = std::strtod(digits.c_str(), nullptr);
    number.end = i + 1;
  } else if (const LexMatch* word = context.matches.longest(i, Category::kNumberWord)) {
    if (word->clitic_bytes > 0 && !token.text.starts_with("و")) return std::nullopt;
    const NumberWord& n = context.lexicon.number_words[word->index];
    number.value = n.value;
    number.approximate = n.approximate;
    number.end = i + word->tokens;
  } else {
    return std::nullopt;
  }
  if (number.end < context.text.size()) {
    if (const LexMatch* multiplier = context.matches.longest(number.end, Category::kMultiplier)) {
      if (!number.approximate) {
        number.value *= context.lexicon.multipliers[multiplier->index];
        number.end += multiplier->tokens;
      }
    }
  }
  return number;
}

struct NounAt {
  uint32_t noun_class = 0;
  size_t end = 0;
};

std::optional<NounAt> counted_noun_at(const Context& context, size_t i) {
  if (i >= context.text.size()) return std::nullopt;
  if (const LexMatch* noun = context.matches.longest(i, Category::kCountedNoun)) {
    if (noun->clitic_bytes == 0) return NounAt{noun->index, i + noun->tokens};
  }
  // جنديًا is جنديا once normalised: the noun with the accusative alef. After a vague number
  // the noun is definite: «آلاف الأسر»، «مئات المنازل».
  const Token& token = context.text.token(i);
  if (!token.is_word()) return std::nullopt;
  std::string_view bare = without_accusative_alef(token.text);
  if (bare.size() == token.text.size()) {
    if (!starts_with_article(bare)) return std::nullopt;
    bare.remove_prefix(std::string_view("ال").size());
  }
  if (const auto* entries = context.lexicon.phrase(bare)) {
    for (const LexMatch& entry : *entries) {
      if (entry.category == Category::kCountedNoun) return NounAt{entry.index, i + 1};
    }
  }
  return std::nullopt;
}

// The count event whose trigger is nearest the count, before it or after, in its sentence; a
// noun that says the event itself (2862 قتيلا و2562 جريحا) is nearest of all.
const LexMatch* nearest_trigger(const Context& context, size_t first, size_t noun_first,
                                size_t last, size_t& trigger_token) {
  for (size_t at = noun_first; at < last; ++at) {
    if (const LexMatch* m = context.matches.longest(at, Category::kCountEvent)) {
      trigger_token = at;
      return m;
    }
  }
  const Sentence& sentence = context.text.sentence_of(first);
  for (size_t distance = 1; distance <= kTriggerWindow; ++distance) {
    if (first >= sentence.begin + distance) {
      // A trigger's phrase may end just before the count: «ألقت القبض على».
      const size_t at = first - distance;
      if (const LexMatch* m = context.matches.longest(at, Category::kCountEvent)) {
        trigger_token = at;
        return m;
      }
    }
    if (last + distance - 1 < sentence.end) {
      const size_t at = last + distance - 1;
      if (const LexMatch* m = context.matches.longest(at, Category::kCountEvent)) {
        trigger_token = at;
        return m;
      }
    }
  }
  return nullptr;
}

}  // namespace

std::vector<CountFact> find_counts(const Context& context, const FoundMentions& found,
                                   const std::vector<DateFact>& dates,
                                   const std::vector<std::pair<size_t, size_t>>& date_tokens) {
  std::vector<CountFact> counts;
  // A sentence printed twice must not double a count: (value, what, event) once per article.
  std::set<std::tuple<double, std::string, std::string>> seen;
  for (size_t i = 0; i < context.text.size(); ++i) {
    if (found.at_token[i] >= 0) continue;
    const std::optional<NumberAt> number = number_at(context, i);
    if (!number) continue;
    size_t noun_first = number->end;
    std::optional<NounAt> noun = counted_noun_at(context, noun_first);
    if (!noun && noun_first < context.text.size() && context.text.token(noun_first).text == "من") {
      noun_first += 1;  // «16 من الجنود»
      noun = counted_noun_at(context, noun_first);
    }
    if (!noun) continue;
    CountFact count;
    count.value = number->value;
    count.approximate = number->approximate;
    count.what = context.lexicon.counted_nouns[noun->noun_class];
    count.noun = std::string(context.text.original_of(context.text.span(noun_first, noun->end)));
    count.span = context.text.span(i, noun->end);
    size_t trigger_token = 0;
    if (const LexMatch* trigger =
            nearest_trigger(context, i, noun_first, noun->end, trigger_token)) {
      count.event = context.lexicon.count_events[trigger->index];
      count.trigger = std::string(context.text.original_of(context.text.span(
          trigger_token, trigger_token + trigger->tokens, trigger->clitic_bytes)));
    }
    count.sentence = context.text.sentence_text(context.text.sentence_of(i));
    // A count takes the date of its sentence: «7939 … حتى العاشر من يناير».
    for (size_t d = 0; d < date_tokens.size(); ++d) {
      if (dates[d].on_calendar() &&
          context.text.sentence_index(date_tokens[d].first) == context.text.sentence_index(i)) {
        count.date = static_cast<int>(d);
        break;
      }
    }
    if (seen.emplace(count.value, count.what, count.event).second) {
      counts.push_back(std::move(count));
    }
    i = noun->end - 1;
  }
  return counts;
}

std::vector<EventMention> find_events(const Context& context, const FoundMentions& found) {
  std::vector<EventMention> events;
  size_t last_sentence = 0;  // of the last event kept
  for (size_t i = 0; i < context.text.size(); ++i) {
    if (found.at_token[i] >= 0) continue;
    const LexMatch* trigger = context.matches.longest(i, Category::kCountEvent);
    if (trigger == nullptr) continue;
    const size_t sentence_index = context.text.sentence_index(i);
    const std::string& event_name = context.lexicon.count_events[trigger->index];
    i += trigger->tokens - 1;
    // One event of a kind per sentence: «انسحاب قوات حفظ السلام» holds two triggers.
    if (!events.empty() && events.back().event == event_name && last_sentence == sentence_index) {
      continue;
    }
    const Sentence& sentence = context.text.sentences()[sentence_index];
    EventMention event;
    for (size_t t = sentence.begin; t < sentence.end; ++t) {
      const int m = found.at_token[t];
      if (m < 0 || found.mentions[m].type == EntityType::kPerson) continue;
      if (event.mentions.empty() || event.mentions.back() != m) event.mentions.push_back(m);
    }
    if (event.mentions.empty()) continue;
    event.event = event_name;
    event.span = context.text.span(i + 1 - trigger->tokens, i + 1, trigger->clitic_bytes);
    event.trigger = std::string(context.text.original_of(event.span));
    event.sentence = context.text.sentence_text(sentence);
    events.push_back(std::move(event));
    last_sentence = sentence_index;
  }
  return events;
}

}  // namespace khabar::extract_internal
