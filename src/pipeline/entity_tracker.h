// Links each new article's people, places and organisations to the store's entities, so that
// one person is one entity across every article and outlet, not only within a story.
//
// The rules are the story's (khabar/story_facts.h), applied store-wide: the same gazetteer
// entry is one entity; a person found by a title or a speech verb is the stored person whose
// name it is, a spelling variant of, or a partial name of (ending with the family name), when
// exactly one stored person of an agreeing country fits; with none or several, a new entity.
// A longer name learned later («بوتين», then «فلاديمير بوتين») becomes the entity's name.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "khabar/extract.h"
#include "khabar/result.h"
#include "khabar/store.h"
#include "khabar/story_facts.h"

namespace khabar::pipeline_internal {

class EntityTracker {
 public:
  EntityTracker(Store& store, const Extractor& extractor);

  // Learns the stored entities it does not know yet: all of them at the start of a run, those
  // other workers stored since, later.
  Status load_stored();

  // Extracts a stored article's entities and replaces its mentions with these, linked. Within
  // the caller's transaction.
  Status refresh(const StoredArticle& article, int64_t sequence);
  // The second step for a new article, after extract_article (khabar/pipeline.h), which needs
  // nothing of the store, so workers do it before they take the writers' lock
  // (Store::lock_writers): linking stores new entities, and returns the mentions for the caller
  // to store.
  Result<std::vector<EntityMentionRecord>> link_mentions(const StoredArticle& article,
                                                         Extraction extraction);

 private:
  struct Person {
    int64_t sequence = 0;
    std::vector<std::string> words;  // of its name_key
    std::string country;
  };

  void remember(const StoredEntity& entity);
  Result<int64_t> link(const Entity& entity);
  Result<int64_t> link_person(const Entity& entity);
  Result<int64_t> link_by_key(const std::string& key, const Entity& entity);
  Result<int64_t> store_new(StoredEntity entity);

  Store& store_;
  const Extractor& extractor_;
  std::unordered_map<std::string, int64_t> by_key_;
  int64_t known_through_ = 0;  // the last stored entity it has learned
  std::vector<Person> people_;
  // By the skeleton of the family name (the last word): every kind of name match needs it equal.
  std::unordered_map<uint64_t, std::vector<size_t>> people_by_family_;
};

}  // namespace khabar::pipeline_internal
