#include <fmt/format.h>

#include "khabar/pipeline.h"

namespace khabar {

Result<StoryFacts> read_story_facts(Store& store, int64_t story, const Extractor& extractor) {
  Result<std::optional<StorySummary>> summary = store.story(story);
  if (!summary.ok()) return summary.error();
  if (!summary->has_value()) {
    return make_error(ErrorCode::kNotFound, fmt::format("no story {} in {}", story, store.path()));
  }
  Result<std::vector<StoryMember>> members = store.story_members(story);
  if (!members.ok()) return members.error();
  std::vector<ArticleFacts> articles;
  for (const StoryMember& member : *members) {
    Result<std::optional<StoredArticle>> article = store.get(member.article.id);
    if (!article.ok()) return article.error();
    if (!article->has_value()) continue;  // listed a moment ago; gone only if deleted since
    const StoredArticle& a = **article;
    articles.push_back(
        {a.id, a.source, a.published,
         extractor.extract(
             {.text = a.body, .title = a.title, .published = a.published, .lang = a.lang})});
  }
  return build_story_facts(articles);
}

}  // namespace khabar
