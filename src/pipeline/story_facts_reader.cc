#include <fmt/format.h>

#include "khabar/pipeline.h"

namespace khabar {
namespace {

// The stored entity of each facts entity: the one its first mention was linked to at ingest
// (sequence 0 when there is none yet).
Status find_stored_entities(Store& store, const StoryFacts& facts,
                            const std::vector<int64_t>& article_sequences,
                            std::vector<StoredEntity>& stored) {
  std::vector<std::optional<std::vector<EntityMentionRecord>>> mentions(article_sequences.size());
  std::vector<int64_t> out(facts.entities.size(), 0);
  for (size_t e = 0; e < facts.entities.size(); ++e) {
    for (const EntityMentionRef& ref : facts.entities[e].mentions) {
      if (ref.article >= mentions.size()) continue;
      auto& of_article = mentions[ref.article];
      if (!of_article) {
        Result<std::vector<EntityMentionRecord>> read =
            store.entity_mentions_of(article_sequences[ref.article]);
        if (!read.ok()) return read.error();
        of_article = std::move(*read);
      }
      for (const EntityMentionRecord& m : *of_article) {
        if (m.in_title == ref.in_title && m.begin == static_cast<int64_t>(ref.span.begin)) {
          out[e] = m.entity;
          break;
        }
      }
      if (out[e] != 0) break;
    }
  }
  stored.assign(facts.entities.size(), StoredEntity{});
  for (size_t e = 0; e < out.size(); ++e) {
    if (out[e] == 0) continue;
    Result<std::optional<StoredEntity>> entity = store.find_entity(std::to_string(out[e]));
    if (!entity.ok()) return entity.error();
    if (entity->has_value()) stored[e] = **entity;
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
  Result<std::vector<StoryMember>> members = store.story_members(story);
  if (!members.ok()) return members.error();
  std::vector<ArticleFacts> articles;
  std::vector<int64_t> sequences;
  for (const StoryMember& member : *members) {
    Result<std::optional<StoredArticle>> article = store.get(member.article.id);
    if (!article.ok()) return article.error();
    if (!article->has_value()) continue;  // listed a moment ago; gone only if deleted since
    const StoredArticle& a = **article;
    articles.push_back({a.id, a.source, a.published, extract_article(extractor, a)});
    sequences.push_back(a.sequence);
  }
  StoryFacts facts = build_story_facts(articles);
  if (stored_entities != nullptr) {
    if (Status s = find_stored_entities(store, facts, sequences, *stored_entities); !s.ok())
      return s.error();
  }
  return facts;
}

}  // namespace khabar
