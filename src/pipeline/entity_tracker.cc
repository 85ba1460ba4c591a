#include "pipeline/entity_tracker.h"

#include <algorithm>

#include "khabar/pipeline.h"
#include "text/spelling.h"

namespace khabar {

Extraction extract_article(const Extractor& extractor, const StoredArticle& article) {
  return extractor.extract({.text = article.body,
                            .title = article.title,
                            .published = article.published,
                            .lang = article.lang});
}

namespace pipeline_internal {
namespace {

uint64_t family_of(const std::vector<std::string>& words) {
  return words.empty() ? 0 : text::skeleton_digest(words.back()).hash;
}

NameMatch match_either_way(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return a.size() <= b.size() ? match_person_names(a, b) : match_person_names(b, a);
}

}  // namespace

EntityTracker::EntityTracker(Store& store, const Extractor& extractor)
    : store_(store), extractor_(extractor) {}

Status EntityTracker::load_stored() {
  return store_.for_each_entity([&](const StoredEntity& e) { remember(e); }, known_through_);
}

void EntityTracker::remember(const StoredEntity& entity) {
  known_through_ = std::max(known_through_, entity.sequence);
  by_key_.emplace(entity.key, entity.sequence);
  if (entity.type != "person") return;
  // People found by a pattern are matched by name, and their key is made of it (store_person);
  // a gazetteer's people are matched by their entry.
  std::vector<std::string> words = name_words(entity.name_key);
  if (words.empty() || !entity.key.starts_with(person_entity_id(words, ""))) return;
  const uint64_t family = family_of(words);
  people_by_family_[family].push_back(people_.size());
  people_.push_back({entity.sequence, std::move(words), entity.country});
}

Status EntityTracker::refresh(const StoredArticle& article, int64_t sequence) {
  Extraction extraction = extract_article(extractor_, article);
  const std::string stored = encode_extraction(extraction, article.body);
  Result<std::vector<EntityMentionRecord>> mentions = link_mentions(article, std::move(extraction));
  if (!mentions.ok()) return mentions.error();
  return store_.set_entity_mentions(sequence, *mentions, stored);
}

Result<std::vector<EntityMentionRecord>> EntityTracker::link_mentions(const StoredArticle& article,
                                                                      Extraction extraction) {
  std::vector<ArticleFacts> facts(1);
  facts[0].article_id = article.id;
  facts[0].outlet = article.source;
  facts[0].published = article.published;
  facts[0].extraction = std::move(extraction);
  std::vector<std::vector<int>> entity_of;
  const std::vector<Entity> entities = resolve_entities(facts, &entity_of);

  std::vector<int64_t> stored(entities.size(), 0);
  for (size_t e = 0; e < entities.size(); ++e) {
    Result<int64_t> linked = link(entities[e]);
    if (!linked.ok()) return linked.error();
    stored[e] = *linked;
  }

  const std::vector<Mention>& mentions = facts[0].extraction.mentions;
  std::vector<EntityMentionRecord> records;
  for (size_t m = 0; m < mentions.size(); ++m) {
    const Mention& mention = mentions[m];
    // A title standing for a person named earlier («رئيس كازاخستان») is no spelling of them.
    if (mention.role_reference) continue;
    int64_t entity = 0;
    if (entity_of[0][m] >= 0) {
      entity = stored[static_cast<size_t>(entity_of[0][m])];
    } else {
      // Places and bodies found by a head word have no gazetteer entry; their name is their key.
      Entity unlisted;
      unlisted.type = mention.type;
      unlisted.canonical = mention.surface;
      unlisted.key = mention.key;
      unlisted.country = mention.country;
      Result<int64_t> linked = link(unlisted);
      if (!linked.ok()) return linked.error();
      entity = *linked;
    }
    records.push_back({entity, static_cast<int64_t>(mention.span.begin),
                       static_cast<int64_t>(mention.span.end), mention.in_title, mention.surface});
  }
  return records;
}

Result<int64_t> EntityTracker::link(const Entity& entity) {
  if (!entity.gazetteer_id.empty()) return link_by_key(entity.id, entity);  // "place:KZ"
  if (entity.type == EntityType::kPerson) return link_person(entity);
  // A place or body found by a head word: its normalised name, which no gazetteer id (ASCII)
  // can equal.
  return link_by_key(std::string(entity_type_name(entity.type)) + ":" + entity.key, entity);
}

Result<int64_t> EntityTracker::link_by_key(const std::string& key, const Entity& entity) {
  if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
  return store_new({.key = key,
                    .type = std::string(entity_type_name(entity.type)),
                    .canonical = entity.canonical,
                    .name_key = entity.key,
                    .role = entity.role,
                    .country = entity.country});
}

Result<int64_t> EntityTracker::link_person(const Entity& entity) {
  const std::vector<std::string> words = name_words(entity.key);
  if (words.empty()) return link_by_key(entity.id, entity);
  std::vector<size_t> fits;
  if (auto it = people_by_family_.find(family_of(words)); it != people_by_family_.end()) {
    for (const size_t p : it->second) {
      if (countries_agree(entity.country, people_[p].country) &&
          match_either_way(words, people_[p].words) != NameMatch::kNone) {
        fits.push_back(p);
      }
    }
  }
  if (fits.size() == 1) {
    Person& person = people_[fits[0]];
    if (words.size() > person.words.size()) {
      if (Status s = store_.rename_entity(person.sequence, entity.canonical, entity.key); !s.ok())
        return s.error();
      person.words = words;
    }
    if (person.country.empty()) person.country = entity.country;
    return person.sequence;
  }
  // None fits, or several do (a partial name of two people): a person of its own.
  std::string key = person_entity_id(words, entity.country);
  const std::string base = key;
  for (int suffix = 2; by_key_.contains(key); ++suffix)
    key = base + "#" + std::to_string(suffix);
  return store_new({.key = key,
                    .type = "person",
                    .canonical = entity.canonical,
                    .name_key = entity.key,
                    .role = entity.role,
                    .country = entity.country});
}

Result<int64_t> EntityTracker::store_new(StoredEntity entity) {
  Result<int64_t> sequence = store_.add_entity(entity);
  if (!sequence.ok()) return sequence.error();
  entity.sequence = *sequence;
  remember(entity);
  return *sequence;
}

}  // namespace pipeline_internal
}  // namespace khabar
