// khabar/store.h — articles in one SQLite file, or in a PostgreSQL database shared by workers.
//
// The store holds each article as displayed (title, byline, subheads, body), its matching form
// (normalised body), the raw text it was cleaned from, and the audit of every removal, so
// nothing read is lost and every cleaning decision can be checked later.
//
//   khabar::Result<khabar::Store> store = khabar::Store::open("khabar.db");
//   // or Store::open("postgresql://khabar@db.example/news"): the same store on a server
//   if (!store.ok()) { std::cerr << store.error().message; return 2; }
//   store->begin();
//   khabar::Result<bool> inserted = store->insert(article);  // false: the id was there already
//   store->commit();
//
// Durability: on SQLite, WAL journal with synchronous=NORMAL; on PostgreSQL, the server's. A
// committed batch survives the process being killed at any moment; the next open recovers and
// goes on. Callers report an article as stored only after the commit that holds it.
//
// Schema: versioned (SQLite's PRAGMA user_version, PostgreSQL's table khabar_schema) and
// migrated forward on open, each migration in its own transaction. A database from a newer
// khabar is refused, never modified.
// A Store is one connection: use it from one thread; open another for concurrent readers.
// Several processes may write one PostgreSQL store at once: an article or entity stored by two
// of them is stored once (ids and keys are unique; the second gets the first's sequence).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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
  // What story clustering compares beyond the text, the extractor's names (khabar/cluster.h,
  // story_signals_text): kept so that a process rebuilding the stories from the store need not
  // extract every article again. Empty for articles stored before schema 12.
  std::string story_signals;
  // The extractor's findings (encode_extraction, khabar/extract.h), stored so that story facts
  // are read instead of extracted again; empty when the article was not extracted. Written by
  // insert and set_entity_mentions; Store::get leaves it empty (story_extractions reads it).
  std::string extraction;
  int64_t sequence = 0;  // ingest order, set by the store
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

// Where the pipeline put an article.
struct StoryPlacement {
  int64_t article_sequence = 0;
  int64_t story = 0;
  std::optional<double> similarity;  // to the story; none for the article that started it
  std::string published;             // ISO 8601; empty: undated
};

struct ClusteredArticle {
  int64_t decision = 0;  // its place in the order articles were decided (Store::last_decision)
  int64_t sequence = 0;
  int64_t story = 0;
  std::string title;
  std::string body;
  std::string published;
  std::string story_signals;  // StoredArticle::story_signals
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

// A story member's extraction as stored (StoredArticle::extraction), with what its facts need.
struct MemberExtraction {
  std::string id;
  std::string source;
  std::string published;
  int64_t sequence = 0;
  std::string body;        // what it was extracted from, which the extraction points into
  std::string extraction;  // empty: stored before schema 15, or without extraction
};

struct StoryMember {
  ArticleSummary article;
  double similarity = 0;  // when it joined; 0 for the first member
  int64_t family = 0;     // its duplicate family (the earliest member's sequence)
};

// An entity across the whole store: one person, place or organisation, with every article's
// mentions of it linked to it. Which mentions are one entity is the pipeline's decision
// (khabar/pipeline.h): the same gazetteer entry, or a person's name, a spelling variant or a
// partial name of exactly one stored person of an agreeing country.
struct StoredEntity {
  int64_t sequence = 0;  // its id, set by the store
  // Unique: "place:KZ", "organisation:CSTO" (the gazetteer's), "person:<normalised name>", with
  // ".<country>" and "#<n>" when needed to tell namesakes apart.
  std::string key{};
  std::string type{};       // entity_type_name: person, place, organisation
  std::string canonical{};  // the longest name seen, as printed
  std::string name_key{};   // its normalised words, space-separated: what people match on
  std::string role{};       // a person's title, as first printed
  std::string country{};    // ISO code, when known
};

struct EntityMentionRecord {
  int64_t entity = 0;  // StoredEntity::sequence
  int64_t begin = 0;   // byte span in the article's body, or in its title when in_title
  int64_t end = 0;
  bool in_title = false;
  std::string surface{};  // as printed
};

struct ArticleMentions {
  int64_t article_sequence = 0;
  std::vector<EntityMentionRecord> mentions;
};

struct EntityCount {
  std::string value;
  int64_t count = 0;
};

struct EntitySummary {
  StoredEntity entity;
  int64_t articles = 0;  // articles that mention it
};

struct EntityProfile {
  StoredEntity entity;
  int64_t articles = 0;
  std::vector<EntityCount> aliases;    // spellings, the most mentioned first
  std::vector<EntityCount> outlets;    // sources, by articles mentioning it
  std::vector<StorySummary> stories;   // the most recently active first
  std::vector<ArticleSummary> recent;  // latest published first
};

// A place in the story listing (most recently active first, then the newest story): a page
// starts after it, so a story that starts meanwhile shifts nothing and none is shown twice (a
// story that grows meanwhile moves before it, to the top of the next listing).
struct StoryListPosition {
  int64_t story = 0;        // the last story of the previous page; 0: from the start
  std::string last_time{};  // its last_time; empty when undated
};

// A worker's progress (khabar worker), reported after each batch, for `khabar status`.
struct WorkerReport {
  std::string name{};        // host:pid
  std::string started_at{};  // UTC, ISO 8601
  std::string seen_at{};     // its last report
  int64_t articles = 0;      // messages done (stored, present, or rejected)
  int64_t batches = 0;
  double rate = 0;  // articles per second over its last minute or so
};

// What live intake (khabar watch, khabar ingest URL) knows of a URL it fetched: a feed's
// validators for the next conditional GET, whether a page is done, and when to try again after
// a failure. Kept in the store, so that a restart fetches nothing twice.
struct FetchRecord {
  std::string url{};            // as requested: a feed's address, or an item's link
  std::string kind{};           // "feed" or "page"
  std::string etag{};           // the last 200's validators, for If-None-Match
  std::string last_modified{};  // and If-Modified-Since
  int64_t status = 0;           // the last HTTP status; 0 when no answer came
  std::string fetched_at{};     // the last attempt, UTC ISO 8601
  bool done = false;            // a page stored, or given up for good: never fetched again
  int64_t failures = 0;         // failures in a row since the last success
  int64_t next_at = 0;          // Unix seconds before which it is not tried again
  std::string note{};           // why the last attempt failed, for `khabar watch` messages
};

inline constexpr int kSchemaVersion = 15;

class Store {
 public:
  // A file path, or a libpq URI ("postgresql://..." or "postgres://...").
  static Result<Store> open(const std::string& location);
  // As open(), but a database file that does not exist is kNotFound (with a hint to ingest
  // first), not created: for commands that only read.
  static Result<Store> open_existing(const std::string& location);
  // The location as messages show it: a URI's password masked.
  static std::string shown(const std::string& location);
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;

  // Batch transactions: inserts between begin() and commit() land together or not at all.
  Status begin();
  Status commit();
  Status rollback();
  // Within a batch: waits until no other writer is inside the same step, and keeps them out
  // until the batch ends. Workers sharing a PostgreSQL store take it before deciding anything
  // that depends on what is stored (is this a copy, which story, which entity), so that those
  // decisions are made one batch at a time, as by one process (README, Workers). On SQLite the
  // batch holds the write lock already.
  Status lock_writers();
  // Before inserting articles beside other writers: locks their ids, to the end of the
  // transaction, in one order for everyone (PostgreSQL; SQLite's write transaction excludes the
  // others). Two batches holding copies of the same articles in different orders would
  // otherwise each insert one and wait for the other's.
  Status lock_ids(const std::vector<std::string>& ids);
  // True when another writer is blocked on a row this transaction wrote (PostgreSQL; SQLite
  // writers wait for the whole transaction instead). A worker waiting for an earlier batch
  // must then give its rows up: the earlier batch may be the one blocked.
  Result<bool> blocking_others();

  struct InsertOutcome {
    bool inserted = false;  // false: an article with the same id was stored before
    int64_t sequence = 0;   // the stored article's, new or old
  };
  // Inserts the article unless one with the same id is stored. With `entities_follow` the
  // caller stores its entity mentions in this transaction (add_entity_mentions), so it is
  // marked extracted from the start, saving an update of its row.
  Result<InsertOutcome> insert(const StoredArticle& article, bool entities_follow = false);
  // By full id, or by a unique prefix of at least 4 hex digits.
  Result<std::optional<StoredArticle>> get(const std::string& id_or_prefix);
  // Whether an article of this full id is stored.
  Result<bool> contains(const std::string& id);
  // In ingest order.
  Result<std::vector<ArticleSummary>> list(int64_t limit, int64_t offset = 0);
  Status for_each(const std::function<void(const StoredArticle&)>& visit);
  Result<int64_t> count_articles();

  // --- Decision order ---
  // Articles are decided (deduplicated, clustered, their entities linked) one at a time, under
  // the writers' lock, in this order. With several workers on PostgreSQL an article is inserted
  // before its turn, so its sequence is not its place in this order; workers learn each
  // other's decisions by it instead.
  //
  // The last decision's number, 0 for none. Read under the writers' lock, every decision up to
  // it is committed, and the next is numbered after it.
  Result<int64_t> last_decision();
  // Records that the articles were decided, numbered from `first` on.
  Status record_decisions(int64_t first, const std::vector<int64_t>& article_sequences);
  // True when other processes can write while this one's transaction is open (PostgreSQL); a
  // SQLite write transaction excludes every other writer from its start.
  bool writes_concurrently() const;

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
  // An article's duplicate-index keys (khabar/dedup.h, DuplicateIndex::add_keys), kept so that
  // rebuilding the index need not hash every body again.
  Status add_duplicate_keys(int64_t sequence, std::string_view keys);
  // Every decided article after decision `after_decision`, in decision order, with its
  // duplicate-index keys, or its body when it has none (stored before them, or by a run without
  // duplicate detection): for building the duplicate index, or bringing it up to date.
  Status for_each_duplicate_keys(
      const std::function<void(int64_t decision, int64_t sequence, const std::string& keys,
                               const std::string& body)>& visit,
      int64_t after_decision = 0);
  // Families with more than one member (or with sightings), largest first.
  Result<std::vector<DuplicateFamily>> duplicate_families(int64_t limit);
  // An article's family: its members with their links, earliest first.
  Result<DuplicateFamily> family_of(int64_t sequence);

  // --- Settings (src/store/snapshots.cc) ---
  // The value the store keeps for `name`: `proposed` when it had none (it keeps it from now on),
  // else the one kept before, whatever `proposed` is. For the options that define what is
  // stored, fixed by the first run (PipelineOptions::normalize).
  Result<std::string> keep_setting(std::string_view name, std::string_view proposed);

  // --- Snapshots (src/store/snapshots.cc) ---
  // A process's state as of a decision, so that the next process starts from it instead of
  // replaying every stored article (khabar/cluster.h, StoryClusterer::snapshot). Keeps the
  // newer of two saved under one name: writers save without the writers' lock. A name
  // "kind:fingerprint" replaces the older snapshots of its kind under other fingerprints too.
  struct Snapshot {
    int64_t decision = 0;  // every decision up to this one is in `data`
    std::string data;
    std::string name;
  };
  Status save_snapshot(std::string_view name, int64_t decision, std::string_view data);
  Result<std::optional<Snapshot>> snapshot(std::string_view name);
  // Every snapshot's name and decision (not its data), by name.
  Result<std::vector<Snapshot>> snapshots();
  // Every snapshot, when what they were made from changes.
  Status drop_snapshots();

  // --- Stories (src/store/stories.cc) ---
  // A new story, empty until place_in_stories puts its first article in it; returns its
  // sequence (its id).
  Result<int64_t> new_story();
  // Puts articles in their stories, counting them in and widening each story's time span: a
  // batch's placements in a few statements, for they are made under the writers' lock.
  Status place_in_stories(const std::vector<StoryPlacement>& placements);
  // Every clustered article's story after decision `after_decision`, with what clustering
  // needs, in decision order: for building the clusterer from the store, or bringing it up to
  // date.
  Status for_each_clustered(const std::function<void(const ClusteredArticle&)>& visit,
                            int64_t after_decision = 0);
  // Stories, the most recently active first (the newest story first among equals).
  Result<std::vector<StorySummary>> stories(int64_t limit, int64_t offset = 0);
  // The same after a position, only stories active on or after `since` and starting on or
  // before `until` (ISO 8601 dates; empty: no bound; with a bound, undated stories are left
  // out).
  Result<std::vector<StorySummary>> stories_between(const std::string& since,
                                                    const std::string& until, int64_t limit,
                                                    const StoryListPosition& after = {});
  Result<std::optional<StorySummary>> story(int64_t story);
  // A story's members, earliest first.
  Result<std::vector<StoryMember>> story_members(int64_t story);
  // The same members' stored extractions with their bodies, in the same order.
  Result<std::vector<MemberExtraction>> story_extractions(int64_t story);
  // The members' entity mentions, by article sequence, each article's as entity_mentions_of
  // orders them; and the stored entities they name. Two queries for what a story's page would
  // otherwise ask article by article and entity by entity.
  Result<std::vector<ArticleMentions>> story_entity_mentions(int64_t story);
  Result<std::vector<StoredEntity>> story_entities(int64_t story);
  // Every stored article's story, in ingest order, then every sighting's: for scoring against
  // gold labels, which name each arrival.
  Status for_each_assignment(const std::function<void(const StoryAssignmentRow&)>& visit);

  // A page of the articles matching a query, best first, with the totals (khabar/search.h).
  // kInvalidArgument: a query with nothing to look for (stop words only, or only words left
  // out), or a cursor no search gave.
  Result<SearchPage> search(const SearchQuery& query);

  // Stored articles after `after_sequence` in ingest order, without their removals; only
  // those whose entities are not extracted yet, or whose extraction is not stored (articles
  // from before schema 15), with `awaiting_entities`.
  Result<std::vector<StoredArticle>> articles_after(int64_t after_sequence, int64_t limit,
                                                    bool awaiting_entities = false);

  // --- Entities (src/store/entities.cc) ---
  // Stores the entity unless one with its key is stored (by this process or, with several
  // workers, another); returns the stored entity's sequence.
  Result<int64_t> add_entity(const StoredEntity& entity);
  // A longer name was learned for it («بوتين» first, «فلاديمير بوتين» later).
  Status rename_entity(int64_t entity, const std::string& canonical, const std::string& name_key);
  // Replaces the article's mentions with these and its stored extraction with `extraction`
  // (encode_extraction's bytes), and marks its entities extracted.
  Status set_entity_mentions(int64_t article_sequence,
                             const std::vector<EntityMentionRecord>& mentions,
                             std::string_view extraction);
  // The mentions of an article inserted in this transaction with `entities_follow` (insert):
  // it has none to replace, and is marked already.
  Status add_entity_mentions(int64_t article_sequence,
                             const std::vector<EntityMentionRecord>& mentions);
  // The same for a batch's articles, put off on PostgreSQL: set aside in this transaction, one
  // row an article, and stored by apply_deferred_mentions after the commit. A worker links
  // mentions under the writers' lock, which is held to the commit, and storing some 50 rows
  // an article there would make every other worker wait for them. SQLite stores them at once.
  Status defer_entity_mentions(const std::vector<ArticleMentions>& articles);
  // Stores the mentions set aside, by any process (one killed between its commit and this left
  // them), each process taking different articles'; in transactions of its own, so not within
  // a batch. Returns how many articles' it stored; 0 on SQLite.
  Result<int64_t> apply_deferred_mentions();
  // Entities after `after_sequence` (their ids), in the order they were stored.
  Status for_each_entity(const std::function<void(const StoredEntity&)>& visit,
                         int64_t after_sequence = 0);
  // By sequence ("42") or by key ("place:KZ").
  Result<std::optional<StoredEntity>> find_entity(const std::string& id_or_key);
  // What the store knows of an entity; `limit` bounds its stories and recent articles.
  Result<EntityProfile> entity_profile(int64_t entity, int64_t limit);
  // The entities mentioned in the most articles, of one type ("" for any).
  Result<std::vector<EntitySummary>> top_entities(const std::string& type, int64_t limit);
  // An article's mentions, in text order (title first).
  Result<std::vector<EntityMentionRecord>> entity_mentions_of(int64_t article_sequence);
  // Articles whose entities are not extracted yet.
  Result<int64_t> count_awaiting_entities();
  // Articles whose entities are, but whose extraction is not stored (before schema 15):
  // articles_after(…, true) gives them too.
  Result<int64_t> count_without_extraction();

  // --- Workers (src/store/workers.cc) ---
  Status report_worker(const WorkerReport& report);
  // Every worker that reported, the latest report first.
  Result<std::vector<WorkerReport>> workers();
  // How far a stream's messages are committed: every message at or before this position is;
  // -1 while no worker has started on the stream.
  Result<int64_t> queue_position(const std::string& stream);
  // The first worker on a stream sets where it starts (just before the oldest message in it).
  Status start_queue_position(const std::string& stream, int64_t position);
  // Within a batch: these messages are committed with it. The position moves over every
  // message committed in a row after it, this batch's or earlier ones' out of order.
  Status record_queue_commits(const std::string& stream, const std::vector<int64_t>& sequences);
  Result<int64_t> count_stories();

  // --- Live intake (src/store/fetches.cc) ---
  Result<std::optional<FetchRecord>> fetch_record(const std::string& url);
  // Inserts or replaces the record of record.url.
  Status record_fetch(const FetchRecord& record);
  // The pages not done: failed for now, to be tried again from next_at on.
  Result<std::vector<FetchRecord>> unfinished_pages();

  int schema_version() const;
  const std::string& path() const;  // as opened, without a password

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace khabar
