// khabar/story_facts.h — what each outlet reports of one story, side by side.
//
// Given the extractions of a story's articles, this merges their entities (spellings, partial
// names and titles that refer to one person or place become one entity, with the evidence for
// each merge), groups their counts by what happened to what (arrested persons, killed security
// personnel) with the outlets reporting each value, marks a value reported by one outlet as
// single-source and two outlets' different values as a conflict, lists the phrases each speaker
// uses for the event, and orders dated statements into a timeline.
//
//   std::vector<khabar::ArticleFacts> articles = ...;  // one per story member
//   khabar::StoryFacts facts = khabar::build_story_facts(articles);
//   for (const khabar::CountGroup& g : facts.counts)
//     if (g.conflict) ...;  // two outlets disagree
//
// Entity merging, within a story:
//   - the same gazetteer entry (ألماتي and ألما آتا are both Almaty's spellings);
//   - people: the same name; a spelling variant, token by token (توكايف ~ توكاييف: the same
//     consonant skeleton, within one edit for names of up to six letters, two above); a partial
//     name whose tokens all match, in order and ending with the family name, one longer name
//     (بوتين → فلاديمير بوتين).
//   Guards: people of different countries never merge; a partial name that fits two different
//   longer names (محمد → محمد بن سلمان, محمد بن زايد) merges with neither; two full names with
//   different given names stay apart even when their family names match.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "khabar/extract.h"

namespace khabar {

struct ArticleFacts {
  std::string article_id;
  std::string outlet;     // the source; "" when unknown
  std::string published;  // ISO 8601 or empty
  Extraction extraction;
};

// The outlet, or for an article without a source "(its id)": it still counts as a voice of
// its own.
std::string outlet_or_id(const ArticleFacts& article);
// Whether an outlet is outlet_or_id's stand-in for an article without a source, which JSON
// writes as null.
bool is_unnamed_outlet(std::string_view outlet);

struct EntityAlias {
  std::string surface;  // as printed
  size_t mentions = 0;
};

// Why a name was merged into an entity, for the person checking.
struct MergeEvidence {
  std::string alias;  // the spelling merged
  std::string into;   // the name it was merged with
  std::string reason;
};

struct EntityMentionRef {
  size_t article = 0;  // index in the input
  ByteSpan span;       // in the article's body, or in its title when in_title
  bool in_title = false;
};

struct Entity {
  std::string id;  // "place:KZ", "organisation:CSTO", "person:<normalised full name>"
  EntityType type = EntityType::kPerson;
  std::string gazetteer_id;  // its gazetteer entry; empty for a person found by a pattern
  std::string canonical;
  std::string key;                   // the canonical name's normalised words
  std::string role;                  // a person's title, as first printed
  std::string country;               // ISO code, when known
  std::vector<EntityAlias> aliases;  // most mentioned first
  std::vector<MergeEvidence> merges;
  std::vector<EntityMentionRef> mentions;
  std::vector<std::string> outlets;  // that mention it
};

// Entities of the articles, most mentioned first. `entity_of_mention[a][m]`, when given,
// receives the entity index of article a's mention m.
std::vector<Entity> resolve_entities(const std::vector<ArticleFacts>& articles,
                                     std::vector<std::vector<int>>* entity_of_mention = nullptr);

// May two people of these countries (ISO codes, "" when unknown) be one? Unknown agrees with
// any: the guard that keeps namesakes of different countries apart.
bool countries_agree(const std::string& a, const std::string& b);

// A normalised name's words (Mention::key, Entity::key), as match_person_names takes them.
std::vector<std::string> name_words(std::string_view key);

// A person found by a pattern: "person:<words joined by _>", and ".<country>" when known.
// Namesakes left apart take "#2", "#3"... after it.
std::string person_entity_id(const std::vector<std::string>& words, const std::string& country);

// Two person names' normalised tokens: are they one person's? Exposed for its tests and for
// linking people across the store.
enum class NameMatch { kNone, kSame, kVariant, kPartial };
NameMatch match_person_names(const std::vector<std::string>& shorter,
                             const std::vector<std::string>& longer);

struct CountReport {
  std::string outlet;
  std::string article_id;
  double value = 0;
  bool approximate = false;
  std::string date;  // the sentence's date value, if any
  std::string sentence;
};

struct CountGroup {
  std::string event;  // "" when no trigger said what happened
  std::string what;
  std::vector<CountReport> reports;  // one per outlet and value
  bool single_source = false;        // one outlet reports it
  bool conflict = false;             // outlets give different values
};

struct FramingUse {
  std::string phrase;  // as first printed
  std::string key;     // normalised
  int speaker = -1;    // entity index; -1 for an outlet's own words
  std::vector<std::string> outlets;
  size_t uses = 0;
};

struct EventFact {
  std::string event;
  int entity = -1;  // the body or place it happened to
  std::vector<std::string> outlets;
  bool shared = false;   // reported by two outlets or more
  std::string sentence;  // the first report's sentence
};

struct QuoteItem {
  int speaker = -1;  // entity index
  std::string outlet;
  std::string article_id;
  bool direct = true;
  std::string text;
};

struct ChainItem {
  std::string outlet;
  std::vector<int> sources;  // entity indices, reporter first
};

struct TimelineItem {
  std::string date;  // DateFact::value
  std::string range_begin;
  std::string range_end;
  std::string precision;
  std::string outlet;
  std::string article_id;
  std::string sentence;
};

struct StoryFacts {
  std::vector<std::string> outlets;
  std::vector<Entity> entities;
  std::vector<CountGroup> counts;
  std::vector<EventFact> events;
  std::vector<FramingUse> framings;
  std::vector<QuoteItem> quotes;
  std::vector<ChainItem> chains;
  std::vector<TimelineItem> timeline;  // by date
};

StoryFacts build_story_facts(const std::vector<ArticleFacts>& articles);

}  // namespace khabar
