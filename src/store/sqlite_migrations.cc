#include <fmt/format.h>

#include <iterator>

#include "khabar/store.h"
#include "store/internal/database.h"

namespace khabar::store_internal {
namespace {

constexpr Migration kMigrations[] = {
    {1, "articles and their cleaning audit", R"sql(
CREATE TABLE articles (
  sequence        INTEGER PRIMARY KEY,          -- ingest order
  id              TEXT NOT NULL UNIQUE,         -- 16 hex: XXH64 of the normalised body
  title           TEXT NOT NULL DEFAULT '',
  source          TEXT NOT NULL DEFAULT '',
  url             TEXT NOT NULL DEFAULT '',
  published       TEXT,                         -- ISO 8601, NULL when the source gave none
  lang            TEXT NOT NULL DEFAULT 'und',
  lang_confidence REAL NOT NULL DEFAULT 0,
  byline_json     TEXT NOT NULL DEFAULT '{}',
  subheads_json   TEXT NOT NULL DEFAULT '[]',
  body            TEXT NOT NULL,
  normalized_body TEXT NOT NULL,
  raw_text        TEXT NOT NULL,
  origin          TEXT NOT NULL,
  format          TEXT NOT NULL,
  encoding        TEXT NOT NULL,
  external_id     TEXT NOT NULL DEFAULT '',
  metadata_json   TEXT NOT NULL DEFAULT '',
  ingested_at     TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_source ON articles(source);
CREATE TABLE removals (
  article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  begin_byte INTEGER NOT NULL,                  -- span in articles.raw_text
  end_byte   INTEGER NOT NULL,
  kind       TEXT NOT NULL,                     -- 'removed' or 'metadata'
  rule       TEXT NOT NULL,
  reason     TEXT NOT NULL,
  PRIMARY KEY (article_id, seq)
) WITHOUT ROWID;
)sql"},
    // normalize(body) gives it back exactly (clean_test checks that), and it was a quarter of
    // every article's bytes: a quarter of the write time of a bulk ingest.
    {2, "drop articles.normalized_body, derivable from body", R"sql(
ALTER TABLE articles DROP COLUMN normalized_body;
)sql"},
    // Keyed by the article's hash id, every batch of inserts landed on pages all over the
    // table, and WAL mode writes each touched page again: keyed by ingest order, they append.
    {3, "key removals by article sequence, so that inserts append", R"sql(
CREATE TABLE removals_by_sequence (
  article_sequence INTEGER NOT NULL REFERENCES articles(sequence) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  begin_byte INTEGER NOT NULL,                  -- span in articles.raw_text
  end_byte   INTEGER NOT NULL,
  kind       TEXT NOT NULL,                     -- 'removed' or 'metadata'
  rule       TEXT NOT NULL,
  reason     TEXT NOT NULL,
  PRIMARY KEY (article_sequence, seq)
) WITHOUT ROWID;
INSERT INTO removals_by_sequence
  SELECT a.sequence, r.seq, r.begin_byte, r.end_byte, r.kind, r.rule, r.reason
  FROM removals r JOIN articles a ON a.id = r.article_id;
DROP TABLE removals;
ALTER TABLE removals_by_sequence RENAME TO removals;
)sql"},
    {4, "duplicate families, links and sightings", R"sql(
-- The earliest member (by publication date, then ingest order) of the article's family of
-- near-duplicates and contained copies; NULL while the article has no such copy.
ALTER TABLE articles ADD COLUMN family_sequence INTEGER;
CREATE INDEX articles_family ON articles(family_sequence) WHERE family_sequence IS NOT NULL;
-- Verified links from an article to earlier ones.
CREATE TABLE duplicate_links (
  article_sequence INTEGER NOT NULL REFERENCES articles(sequence) ON DELETE CASCADE,
  other_sequence   INTEGER NOT NULL REFERENCES articles(sequence) ON DELETE CASCADE,
  kind             TEXT NOT NULL,               -- near-duplicate, contained-in, contains
  score            REAL NOT NULL,               -- Jaccard, or containment of the shorter
  PRIMARY KEY (article_sequence, other_sequence)
) WITHOUT ROWID;
-- Every other time an article's exact text arrived (another outlet, another file).
CREATE TABLE sightings (
  article_sequence INTEGER NOT NULL REFERENCES articles(sequence) ON DELETE CASCADE,
  origin           TEXT NOT NULL,
  source           TEXT NOT NULL DEFAULT '',
  published        TEXT,
  seen_at          TEXT NOT NULL,
  PRIMARY KEY (article_sequence, origin)
) WITHOUT ROWID;
)sql"},
    {5, "stories", R"sql(
CREATE TABLE stories (
  sequence      INTEGER PRIMARY KEY,            -- creation order: the story's id
  article_count INTEGER NOT NULL DEFAULT 0,
  first_time    TEXT,                           -- earliest and latest member dates, ISO 8601
  last_time     TEXT
);
-- NULL: too short to cluster, or stored before stories existed.
ALTER TABLE articles ADD COLUMN story_sequence INTEGER REFERENCES stories(sequence);
-- Cosine similarity to the story when the article joined it; NULL for the story's first.
ALTER TABLE articles ADD COLUMN story_similarity REAL;
CREATE INDEX articles_story ON articles(story_sequence) WHERE story_sequence IS NOT NULL;
)sql"},
    {6, "the input's id of each sighting", R"sql(
-- A gold label or a feed names each arrival by its own id, so a sighting keeps it too.
ALTER TABLE sightings ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
)sql"},
    {7, "full-text search", R"sql(
-- The words of each article's title and body (khabar/search.h), read from articles itself
-- (external content), so the text is stored once and snippets come from what was printed.
-- The "khabar" tokenizer is registered on every connection the store opens.
CREATE VIRTUAL TABLE article_text USING fts5(
  title, body, content='articles', content_rowid='sequence', tokenize='khabar');
CREATE TRIGGER article_text_insert AFTER INSERT ON articles BEGIN
  INSERT INTO article_text(rowid, title, body) VALUES (new.sequence, new.title, new.body);
END;
CREATE TRIGGER article_text_delete AFTER DELETE ON articles BEGIN
  INSERT INTO article_text(article_text, rowid, title, body)
    VALUES ('delete', old.sequence, old.title, old.body);
END;
CREATE TRIGGER article_text_update AFTER UPDATE OF title, body ON articles BEGIN
  INSERT INTO article_text(article_text, rowid, title, body)
    VALUES ('delete', old.sequence, old.title, old.body);
  INSERT INTO article_text(rowid, title, body) VALUES (new.sequence, new.title, new.body);
END;
INSERT INTO article_text(article_text) VALUES ('rebuild');
)sql"},
    // Who and where each article names, linked across articles (khabar/store.h, Entities).
    {8, "entities and their mentions", R"sql(
CREATE TABLE entities (
  sequence  INTEGER PRIMARY KEY,                -- the entity's id
  key       TEXT NOT NULL UNIQUE,               -- place:KZ, organisation:CSTO, person:<name>
  type      TEXT NOT NULL,                      -- person, place, organisation
  canonical TEXT NOT NULL,                      -- the longest name seen, as printed
  name_key  TEXT NOT NULL DEFAULT '',           -- its normalised words: what people match on
  role      TEXT NOT NULL DEFAULT '',
  country   TEXT NOT NULL DEFAULT ''
);
CREATE TABLE entity_mentions (
  article_sequence INTEGER NOT NULL REFERENCES articles(sequence) ON DELETE CASCADE,
  entity_sequence  INTEGER NOT NULL REFERENCES entities(sequence),
  in_title         INTEGER NOT NULL,
  begin_byte       INTEGER NOT NULL,            -- span in articles.body, or title when in_title
  end_byte         INTEGER NOT NULL,
  surface          TEXT NOT NULL,               -- as printed
  PRIMARY KEY (article_sequence, in_title, begin_byte, entity_sequence)
) WITHOUT ROWID;
CREATE INDEX entity_mentions_entity ON entity_mentions(entity_sequence, article_sequence);
-- 0 until the article's entities are extracted: articles stored before this schema, or
-- ingested with extraction off, wait for `khabar entities --refresh`.
ALTER TABLE articles ADD COLUMN entities_extracted INTEGER NOT NULL DEFAULT 0;
)sql"},
    // The story listing's order, so that a page after a position is read from the index.
    {9, "stories by last activity", R"sql(
CREATE INDEX stories_by_activity ON stories(last_time, sequence);
)sql"},
    // What `khabar status` shows of each worker pulling articles from the queue.
    {10, "worker progress", R"sql(
CREATE TABLE workers (
  name       TEXT PRIMARY KEY,                  -- host:pid
  started_at TEXT NOT NULL,
  seen_at    TEXT NOT NULL,                     -- its last report, UTC ISO 8601
  articles   INTEGER NOT NULL DEFAULT 0,
  batches    INTEGER NOT NULL DEFAULT 0,
  rate       REAL NOT NULL DEFAULT 0            -- articles/s over its last minute or so
);
-- Workers store batches in the order they were published: every message of the stream up to
-- `position` is committed, and those committed out of order beyond it are in queue_done.
CREATE TABLE queue_positions (
  stream   TEXT PRIMARY KEY,
  position INTEGER NOT NULL
);
CREATE TABLE queue_done (
  stream   TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  PRIMARY KEY (stream, sequence)
) WITHOUT ROWID;
)sql"},
    // The order in which articles were decided (deduplicated, clustered, their entities linked):
    // with several workers an article's sequence is taken when it is inserted, before its turn
    // to be decided, so workers learn each other's decisions in this order instead.
    {11, "decision order", R"sql(
CREATE TABLE decisions (
  decision         INTEGER PRIMARY KEY,
  article_sequence INTEGER NOT NULL UNIQUE REFERENCES articles(sequence) ON DELETE CASCADE
);
INSERT INTO decisions (decision, article_sequence) SELECT sequence, sequence FROM articles;
)sql"},
    // The extractor's names that story clustering compares (StoredArticle::story_signals), so
    // that rebuilding the stories reads them instead of extracting every article again.
    {12, "story signals", R"sql(
ALTER TABLE articles ADD COLUMN story_signals TEXT;
)sql"},
    // Live intake (khabar watch, khabar ingest URL): what was fetched, so that a restart
    // fetches nothing twice and a feed is asked with its validators.
    {13, "fetches", R"sql(
CREATE TABLE fetches (
  url           TEXT PRIMARY KEY,
  kind          TEXT NOT NULL,                  -- feed or page
  etag          TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  status        INTEGER NOT NULL DEFAULT 0,     -- the last HTTP status; 0: no answer
  fetched_at    TEXT NOT NULL DEFAULT '',
  done          INTEGER NOT NULL DEFAULT 0,     -- a page stored or given up: never again
  failures      INTEGER NOT NULL DEFAULT 0,
  next_at       INTEGER NOT NULL DEFAULT 0,     -- Unix seconds
  note          TEXT NOT NULL DEFAULT ''
);
)sql"},
    // What a process would otherwise rebuild from every stored body at its start: the story
    // clusterer's state as of a decision (it replays only the articles decided after it), and
    // each article's duplicate-index keys (read instead of hashing every body again); and the
    // options that define what is stored (an article's id), fixed when the store is first used.
    {14, "snapshots, duplicate keys and settings", R"sql(
CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE snapshots (
  name     TEXT PRIMARY KEY,
  decision BIGINT NOT NULL,       -- every decision up to this one is in it
  data     BLOB NOT NULL
);
CREATE TABLE duplicate_keys (
  article_sequence INTEGER PRIMARY KEY REFERENCES articles(sequence) ON DELETE CASCADE,
  keys             BLOB NOT NULL  -- DuplicateIndex::add_keys
);
)sql"},
    // Each article's extraction (StoredArticle::extraction), so that a story's facts are read
    // instead of extracted from every member on each request. NULL for articles stored before:
    // `khabar entities --refresh` stores theirs, and until then they are extracted when read.
    {15, "stored extractions", R"sql(
ALTER TABLE articles ADD COLUMN extraction BLOB;
)sql"},
};

static_assert(std::size(kMigrations) == kSchemaVersion &&
                  kMigrations[std::size(kMigrations) - 1].version == kSchemaVersion,
              "kSchemaVersion is the version of the last migration");

Result<int> user_version(Database& db) {
  Result<Statement> stmt = Statement::prepare(db, "PRAGMA user_version");
  if (!stmt.ok()) return stmt.error();
  if (stmt->step() != Step::kRow) return storage_error(db, "reading the schema version");
  return static_cast<int>(stmt->integer(0));
}

}  // namespace

Status refuse_newer_schema(int found, const std::string& location) {
  if (found <= kSchemaVersion) return {};
  return make_error(ErrorCode::kStorage,
                    fmt::format("{}: database schema version {} is newer than this khabar "
                                "supports ({}); upgrade khabar",
                                location, found, kSchemaVersion));
}

Status migrate_sqlite(Database& db, const std::string& path) {
  Result<int> current = user_version(db);
  if (!current.ok()) return current.error();
  if (Status s = refuse_newer_schema(*current, path); !s.ok()) return s;
  for (const Migration& m : kMigrations) {
    if (m.version <= *current) continue;
    const std::string doing = fmt::format("migrating to schema {} ({})", m.version, m.description);
    // Another process opening the same new file may have migrated since the version was read:
    // read it again under the write lock.
    if (Status s = db.begin(); !s.ok()) return s;
    Result<int> now = user_version(db);
    Status status = now.ok() ? Status() : Status(now.error());
    if (status.ok() && *now < m.version) {
      status = db.execute(fmt::format("{}\nPRAGMA user_version = {};", m.sql, m.version), doing);
    }
    if (status.ok()) status = db.commit();
    if (!status.ok()) {
      (void)db.rollback();  // the first error matters
      return status;
    }
  }
  return {};
}

}  // namespace khabar::store_internal
