// khabar/article_json.h — the JSON form of a stored article, shared by `khabar show --json`,
// `khabar export --jsonl` and the HTTP API, so that all three agree field for field.
//
// One vocabulary for every JSON khabar writes (web/openapi.json writes it down): what is
// missing is null, never ""; an object's own id is `id`, and a field named after a kind of
// object (`story`, `article`, `entity`) refers to one by its id; the publishing outlet is
// `outlet`; whole numbers are integers; an entity's `key` is its stable name (`place:KZ`).
//
// The export form is also valid ingest input: its "text" is the cleaned body, so re-ingesting
// an export reproduces the same ids.
#pragma once

#include <nlohmann/json.hpp>

#include "khabar/store.h"

namespace khabar {

struct ArticleJsonOptions {
  bool include_raw_text = false;      // the text as read, before cleaning
  bool include_normalized = false;    // the matching form
  size_t removal_excerpt_chars = 80;  // how much of each removed span to quote
  // "audit": the text as read, in pieces, each kept or removed (with the rule and reason), so
  // that a page can show what cleaning took out where it was.
  bool include_audit_text = false;
  // A file's name for `origin`, not where it lies: a server does not tell its clients its paths
  // (a URL is shown whole).
  bool origin_name_only = false;
};

// A text that may be missing: null when it is empty.
inline nlohmann::json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

// What every listing says of an article: id, title, outlet, published.
nlohmann::json article_summary_to_json(const ArticleSummary& article);

nlohmann::json article_to_json(const StoredArticle& article,
                               const ArticleJsonOptions& options = {});

// A search hit: the article's id, title, source, date, language, story, score, and the snippet
// with its highlights as [begin, end) byte spans.
nlohmann::json search_hit_to_json(const SearchHit& hit);
// A page of hits: {total, total_all_words, hits, next_cursor (null on the last page)}, for the
// API and `khabar search --json` alike.
nlohmann::json search_page_to_json(const SearchPage& page);

nlohmann::json story_summary_to_json(const StorySummary& story);
// A story's member: its summary, the similarity it joined with (0 for the first) and its
// duplicate family (the sequence of the family's earliest article; members sharing one are
// copies of one text).
nlohmann::json story_member_to_json(const StoryMember& member);
nlohmann::json entity_to_json(const StoredEntity& entity);
// The entity, its spellings, outlets, stories and recent articles.
nlohmann::json entity_profile_to_json(const EntityProfile& profile);

// The removed text of a removal, cut to about max_chars characters at a character boundary.
std::string removal_excerpt(const StoredArticle& article, const Removal& removal, size_t max_chars);

}  // namespace khabar
