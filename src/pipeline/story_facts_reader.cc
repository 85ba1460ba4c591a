#include <fmt/format.h>

#include <unordered_map>

#include "khabar/pipeline.h"

namespace khabar {
namespace {

// The stored entity of each facts entity: the one its first mention was linked to at ingest
// (sequence 0 when there is none yet).
Status find_stored_entities(Store& store, int64_t story, const StoryFacts& facts,
                            const std::vector<int64_t>& article_sequences,
                            std::vector<StoredEntity>& stored) {
  Result<std::vector<ArticleMentions>> story_mentions = store.story_entity_mentions(story);
  if (!story_mentions.ok()) return story_mentions.error();
  Result<std::vector<StoredEntity>> story_entities = store.story_entities(story);
  if (!story_entities.ok()) return story_entities.error();
  std::unordered_map<int64_t, const std::vector<EntityMentionRecord>*> mentions_of;
  for (const ArticleMentions& a : *story_mentions)
    mentions_of.emplace(a.article_sequence, &a.mentions);
  std::unordered_map<int64_t, const StoredEntity*> entity_of;
  for (const StoredEntity& e : *story_entities)
    entity_of.emplace(e.sequence, &e);

  stored.assign(facts.entities.size(), StoredEntity{});
  for (size_t e = 0; e < facts.entities.size(); ++e) {
    int64_t linked = 0;
    for (const EntityMentionRef& ref : facts.entities[e].mentions) {
      if (ref.article >= article_sequences.size()) continue;
      const auto of_article = mentions_of.find(article_sequences[ref.article]);
      if (of_article == mentions_of.end()) continue;
      for (const EntityMentionRecord& m : *of_article->second) {
        if (m.in_title == ref.in_title && m.begin == static_cast<int64_t>(ref.span.begin)) {
          linked = m.entity;
          break;
        }
      }
      if (linked != 0) break;
    }
    if (const auto found = entity_of.find(linked); found != entity_of.end()) {
      stored[e] = *found->second;
    }
  }
  return {};
}

}  // namespace

Result<StoryFacts> read_story_facts(Store& store, int64_t story, const Extractor& extractor,
                                    std::vector<StoredEntity>* stored_entities) {
  Result<std::optional<StorySummary>> summary = store.story(story);
  if (!summary.ok()) return summary.error();
  if (!summary->has_value()) {
    return make_error(ErrorCode::kNotFound, fmt::format("no story {} in {}", story, store.path()));
  }
  Result<std::vector<MemberExtraction>> members = store.story_extractions(story);
  if (!members.ok()) return members.error();
  std::vector<ArticleFacts> articles;
  std::vector<int64_t> sequences;
  for (MemberExtraction& member : *members) {
    // Stored at ingest, the extraction its entity mentions were linked from; an article from
    // before schema 15 (until `khabar entities --refresh`) is extracted now.
    std::optional<Extraction> extraction = decode_extraction(member.extraction, member.body);
    if (!extraction) {
      Result<std::optional<StoredArticle>> article = store.get(member.id);
      if (!article.ok()) return article.error();
      if (!article->has_value()) continue;  // listed a moment ago; gone only if deleted since
      extraction = extract_article(extractor, **article);
    }
    articles.push_back({std::move(member.id), std::move(member.source), std::move(member.published),
                        std::move(*extraction)});
    sequences.push_back(member.sequence);
  }
  StoryFacts facts = build_story_facts(articles);
  if (stored_entities != nullptr) {
    if (Status s = find_stored_entities(store, story, facts, sequences, *stored_entities); !s.ok())
      return s.error();
  }
  return facts;
}

}  // namespace khabar
