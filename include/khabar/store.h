// khabar/store.h — articles in one SQLite file.
//
// The store holds each article as displayed (title, byline, subheads, body), its matching form
// (normalised body), the raw text it was cleaned from, and the audit of every removal, so
// nothing read is lost and every cleaning decision can be checked later.
//
//   khabar::Result<khabar::Store> store = khabar::Store::open("khabar.db");
//   if (!store.ok()) { std::cerr << store.error().message; return 2; }
//   store->begin();
//   khabar::Result<bool> inserted = store->insert(article);  // false: the id was there already
//   store->commit();
//
// Durability: WAL journal with synchronous=NORMAL. A committed batch survives the process being
// killed at any moment; the next open recovers the WAL and goes on. Callers report an article
// as stored only after the commit that holds it.
//
// Schema: versioned with PRAGMA user_version and migrated forward on open, each migration in its
// own transaction. A database from a newer khabar is refused, never modified.
// A Store is one connection: use it from one thread; open another for concurrent readers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "khabar/clean.h"
#include "khabar/result.h"
#include "khabar/search.h"

namespace khabar {

struct StoredArticle {
  std::string id;  // khabar/fingerprint.h
  std::string title;
  std::string source;
  std::string url;
  std::string published;  // ISO 8601 or empty
  std::string lang = "und";
  double lang_confidence = 0.0;
  Byline byline;
  std::vector<std::string> subheads;
  std::string body;      // normalize(body) is the matching form; the id hashes it
  std::string raw_text;  // what cleaning started from; removal spans point into it
  std::vector<Removal> removals;
  std::string origin;  // "path" or "path:line"
  std::string format;
  std::string encoding;
  std::string external_id;
  std::string metadata_json;  // other source fields, a JSON object or empty
  std::string ingested_at;    // UTC, ISO 8601
  int64_t sequence = 0;       // ingest order, set by the store
};

struct ArticleSummary {
  std::string id;
  std::string title;
  std::string source;
  std::string published;
  std::string lang;
  int64_t body_bytes = 0;
  int64_t sequence = 0;
};

struct DuplicateLinkRecord {
  int64_t other_sequence = 0;
  std::string kind;  // duplicate_kind_name: near-duplicate, contained-in, contains
  double score = 0;
};

struct ArticleRank {
  int64_t sequence = 0;
  std::string published;  // empty when unknown: ranks after every dated article
  int64_t family = 0;     // the family's earliest member; the article itself when alone
};

struct FamilyMember {
  ArticleSummary article;
  // Its best link to a member ingested before it; "" for the first one ingested.
  std::string kind;
  double score = 0;
  int64_t linked_to = 0;  // that member's sequence
};

struct DuplicateFamily {
  int64_t representative = 0;         // the earliest member's sequence
  std::vector<FamilyMember> members;  // earliest first
  std::vector<std::string> outlets;   // distinct sources of members and sightings
  int64_t sightings = 0;              // exact copies that arrived again
};

struct ClusteredArticle {
  int64_t sequence = 0;
  int64_t story = 0;
  std::string title;
  std::string body;
  std::string published;
};

// One line of `khabar stories --assignments`: a stored article, or another arrival of its
// exact text (a sighting), with the story the text is in.
struct StoryAssignmentRow {
  std::string id;           // the stored article's
  std::string external_id;  // the input's own id for this arrival, if it gave one
  int64_t story = 0;        // 0: in no story (too short to cluster, or stored before stories)
  bool sighting = false;    // another arrival of an exact copy
};

struct StorySummary {
  int64_t story = 0;
  std::string title;                 // its first member's, or the first member title there is
  std::vector<std::string> outlets;  // distinct sources of its members
  int64_t article_count = 0;
  std::string first_time;  // earliest and latest member dates; empty when none is dated
  std::string last_time;
};

struct StoryMember {
  ArticleSummary article;
  double similarity = 0;  // when it joined; 0 for the first member
  int64_t family = 0;     // its duplicate family (the earliest member's sequence)
};

inline constexpr int kSchemaVersion = 7;

class Store {
 public:
  static Result<Store> open(const std::string& path);
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;

  // Batch transactions: inserts between begin() and commit() land together or not at all.
  Status begin();
  Status commit();
  Status rollback();

  struct InsertOutcome {
    bool inserted = false;  // false: an article with the same id was stored before
    int64_t sequence = 0;   // the stored article's, new or old
  };
  // Inserts the article unless one with the same id is stored.
  Result<InsertOutcome> insert(const StoredArticle& article);
  // By full id, or by a unique prefix of at least 4 hex digits.
  Result<std::optional<StoredArticle>> get(const std::string& id_or_prefix);
  // In ingest order.
  Result<std::vector<ArticleSummary>> list(int64_t limit, int64_t offset = 0);
  Status for_each(const std::function<void(const StoredArticle&)>& visit);
  Result<int64_t> count_articles();

  // --- Duplicates (src/store/duplicates.cc) ---
  // Records that `copy`, an exact duplicate of the stored article, arrived from elsewhere. A
  // copy from the article's own origin (the same file read again) is not a sighting.
  Status add_sighting(int64_t sequence, const StoredArticle& copy);
  // Verified links from `sequence` to earlier articles.
  Status add_duplicate_links(int64_t sequence, const std::vector<DuplicateLinkRecord>& links);
  // What a family merge needs to know of an article: its publication date and its family.
  Result<ArticleRank> rank_of(int64_t sequence);
  // Makes `representative` the family of every article in `families` (their members too).
  Status set_family(const std::vector<int64_t>& families, int64_t representative);
  // The body of an article by sequence, for verifying a duplicate candidate.
  Result<std::string> body_of(int64_t sequence);
  // Every article's sequence and body, in ingest order: for rebuilding the duplicate index.
  Status for_each_body(const std::function<void(int64_t sequence, const std::string& body)>& visit);
  // Families with more than one member (or with sightings), largest first.
  Result<std::vector<DuplicateFamily>> duplicate_families(int64_t limit);
  // An article's family: its members with their links, earliest first.
  Result<DuplicateFamily> family_of(int64_t sequence);

  // --- Stories (src/store/stories.cc) ---
  // A new story holding the article; returns the story's sequence (its id).
  Result<int64_t> start_story(int64_t article_sequence, const std::string& published);
  // Puts the article in an existing story.
  Status join_story(int64_t story, int64_t article_sequence, double similarity,
                    const std::string& published);
  // Every clustered article's story, with what clustering needs, in ingest order: for
  // rebuilding the clusterer from the store.
  Status for_each_clustered(const std::function<void(const ClusteredArticle&)>& visit);
  // Stories, the most recently active first.
  Result<std::vector<StorySummary>> stories(int64_t limit, int64_t offset = 0);
  // The same, only stories active on or after `since` and starting on or before `until`
  // (ISO 8601 dates; empty: no bound; with a bound, undated stories are left out).
  Result<std::vector<StorySummary>> stories_between(const std::string& since,
                                                    const std::string& until, int64_t limit,
                                                    int64_t offset);
  Result<std::optional<StorySummary>> story(int64_t story);
  // A story's members, earliest first.
  Result<std::vector<StoryMember>> story_members(int64_t story);
  // Every stored article's story, in ingest order, then every sighting's: for scoring against
  // gold labels, which name each arrival.
  Status for_each_assignment(const std::function<void(const StoryAssignmentRow&)>& visit);

  // Articles matching a query, best first (khabar/search.h). An empty or stop-words-only query
  // is an error: it would match nothing.
  Result<std::vector<SearchHit>> search(const SearchQuery& query);

  int schema_version() const;
  const std::string& path() const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace khabar
