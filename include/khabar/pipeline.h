// khabar/pipeline.h — ingest → clean → normalise → store, as one call.
//
//   khabar::Result<khabar::Store> store = khabar::Store::open("khabar.db");
//   khabar::IngestObserver quiet;
//   khabar::Result<khabar::IngestCounts> counts =
//       khabar::ingest_paths({"../shared/seeds"}, *store, {}, quiet);
//   // counts->stored == 2 the first time, counts->already_present == 2 the second.
//
// Articles are stored in batches of PipelineOptions::batch_size, each one transaction; the
// observer hears of stored articles only after their batch is committed, so whatever it
// reports survives the process being killed. Bad input is reported through the observer and
// never stops the run; only a failing store does (the error is returned, and what was
// committed before it stays).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "khabar/clean.h"
#include "khabar/cluster.h"
#include "khabar/dedup.h"
#include "khabar/extract.h"
#include "khabar/ingest.h"
#include "khabar/normalize.h"
#include "khabar/result.h"
#include "khabar/store.h"
#include "khabar/story_facts.h"

namespace khabar {

struct PipelineOptions {
  ReadOptions read;
  // Defines what is stored (an article's id depends on it), so a store keeps the one of its
  // first run (Store::keep_setting) and every later run, server and worker uses that one. When
  // `normalize_chosen` (`ingest --keep-hamza`), a store made with another is refused instead.
  NormalizeOptions normalize;
  bool normalize_chosen = false;
  size_t batch_size = 500;
  // Link each new article to the earlier ones it copies (khabar/dedup.h) and keep duplicate
  // families in the store. Off only to measure the rest without it.
  bool find_duplicates = true;
  DedupOptions dedup;
  // Place each new article in a story (khabar/cluster.h).
  bool cluster_stories = true;
  // These two define which articles are linked and grouped, so a store keeps those of its first
  // run too: a later run, server or worker follows them, and one that chose others
  // (`dedup_chosen`, `cluster_chosen`: `ingest --story-threshold` and the like) is refused,
  // since a story would otherwise hold articles joined by two rules.
  ClusterOptions cluster;
  bool dedup_chosen = false;
  bool cluster_chosen = false;
  // A run that has decided or replayed this many articles since the store's stories snapshot
  // saves a new one as it finishes (Store::save_snapshot), so that the next run starts from it
  // and replays at most about this many stored articles, whatever the store's size. A snapshot
  // is some MB (21 MB at 25,000 real articles: the active stories, and 29 bytes for each retired
  // one) and costs about as much to save as replaying a few hundred articles.
  int64_t decisions_between_snapshots = 1000;
  // Extract each new article's people, places and organisations and link them to the store's
  // entities (khabar/store.h). Off, they wait for refresh_entities (`khabar entities
  // --refresh`).
  bool extract_entities = true;
  // Shared with the caller, which keeps one (a server); when null, a run loads its own.
  const Extractor* extractor = nullptr;
};

// Cleans, normalises, identifies the language of and fingerprints one document. No I/O; one
// processor can be shared by threads.
class ArticleProcessor {
 public:
  explicit ArticleProcessor(NormalizeOptions options = {});
  // kBadInput when cleaning leaves no body (the whole text was boilerplate or markup).
  // `normalized_body`, when given, receives the body's matching form (the id hashes it).
  Result<StoredArticle> process(const Document& document,
                                std::string* normalized_body = nullptr) const;

 private:
  Cleaner cleaner_;
  Normalizer normalizer_;
};

// What ingest extracts from a stored article: its body, with its title, publication date and
// language. The one call for it, so that entities, stories and the tools that train for them
// read an article alike.
Extraction extract_article(const Extractor& extractor, const StoredArticle& article);

// The extractor's names that story clustering compares, in the form the store keeps
// (StoredArticle::story_signals): a line a signal, "p<TAB>key" for a place, "e<TAB>key" for a
// person or an organisation (its gazetteer entry, a person's name by the skeleton of its last
// word, or the normalised name) and "d<TAB>date" for a day or month named (ISO 8601).
std::string story_signals(const Extraction& extraction);
// Adds signals in that form to a clusterer's input (places, entities and dates).
void add_story_signals(std::string_view signals, ClusterInput& input);

struct IngestCounts {
  uint64_t read = 0;                  // articles read and processed
  uint64_t stored = 0;                // committed to the store
  uint64_t already_present = 0;       // same id stored before (or earlier in this run)
  uint64_t linked_to_copies = 0;      // stored, and a near-duplicate, container or part of another
  uint64_t too_short_to_cluster = 0;  // stored, but in no story: too few words to compare
  uint64_t rejected = 0;              // inputs refused, each reported as a Problem
  uint64_t warnings = 0;
  uint64_t skipped_files = 0;  // files in directories that are not articles
  uint64_t files = 0;
  uint64_t bytes_in_finished_files = 0;

  // Adds another run's or batch's articles (not its files): totals over batches.
  IngestCounts& add_articles(const IngestCounts& other) {
    read += other.read;
    stored += other.stored;
    already_present += other.already_present;
    linked_to_copies += other.linked_to_copies;
    too_short_to_cluster += other.too_short_to_cluster;
    rejected += other.rejected;
    warnings += other.warnings;
    return *this;
  }
};

// What became of one article read, told once its batch is committed.
struct ArticleOutcome {
  std::string id;           // khabar's
  std::string external_id;  // the input's own, if it gave one
  bool stored = false;      // false: the same text was stored before (already present)
};

class IngestObserver {
 public:
  virtual ~IngestObserver() = default;
  virtual void on_problem(const Problem& /*problem*/) {}
  virtual void on_article(const ArticleOutcome& /*outcome*/) {}
  virtual void on_file(std::string_view /*path*/, uint64_t /*bytes*/,
                       const IngestCounts& /*so_far*/) {}
  virtual void on_commit(const IngestCounts& /*so_far*/) {}
};

Result<IngestCounts> ingest_paths(const std::vector<std::string>& paths, Store& store,
                                  const PipelineOptions& options, IngestObserver& observer);

// The same over bytes in memory (one source named `path`): for the HTTP API and benchmarks.
Result<IngestCounts> ingest_buffer(std::string_view bytes, std::string_view path, Store& store,
                                   const PipelineOptions& options, IngestObserver& observer);

namespace pipeline_internal {
class IngestRun;
}

// Ingest calls that share what they learned of the store. ingest_buffer loads the duplicate
// index, the clusterer and the entity index from the store on every call, which costs more as
// the store grows; a session loads them once, and at each batch learns only what other
// processes stored since (a server taking POSTs; a worker taking batches from the queue). After
// a failed call it loads them again. Calls must not overlap.
class IngestSession {
 public:
  IngestSession(Store& store, PipelineOptions options);
  ~IngestSession();
  IngestSession(const IngestSession&) = delete;
  IngestSession& operator=(const IngestSession&) = delete;

  Result<IngestCounts> ingest_buffer(std::string_view bytes, std::string_view path,
                                     IngestObserver& observer);
  // What a caller of ingest_documents does around the batch's transaction.
  struct BatchHooks {
    // Before the batch's articles are decided (a worker waits there for the batches published
    // before its own). On a store that writes concurrently (Store::writes_concurrently) the
    // articles are inserted already, in the batch's open transaction, and `holding_articles`
    // is true: another writer may be blocked on one of them (an exact copy in its own batch),
    // and false asks to roll the batch back and start it again, this wait first.
    std::function<Result<bool>(bool holding_articles)> before_decisions;
    // Last in the transaction (a worker records its messages' position there).
    std::function<Status(Store&)> before_commit;
    // Once committed, which releases the writers' lock, before the entity mentions set aside
    // are stored (Store::apply_deferred_mentions).
    std::function<void()> after_commit;
  };
  // Documents already read (a worker's batch from the queue), stored in one transaction. They
  // are cleaned and their entities extracted first, and on PostgreSQL inserted too, before the
  // batch takes the writers' lock (Store::lock_writers) to decide them, so that workers sharing
  // a store do the costly part side by side.
  Result<IngestCounts> ingest_documents(std::vector<Document> documents, IngestObserver& observer,
                                        const BatchHooks& hooks = {});

 private:
  Result<IngestCounts> call(IngestObserver& observer,
                            const std::function<void(pipeline_internal::IngestRun&)>& read);
  struct State;
  std::unique_ptr<State> state_;
};

// The cross-outlet facts of a stored story: each member's body extracted (with its
// publication date, so that «اليوم الاثنين» resolves), then merged. kNotFound for no story.
// `stored_entities`, when given, receives each of the facts' entities' stored entity (its
// store-wide id and key), or one with sequence 0 while its articles wait for refresh_entities.
Result<StoryFacts> read_story_facts(Store& store, int64_t story, const Extractor& extractor,
                                    std::vector<StoredEntity>* stored_entities = nullptr);

// Extracts and links the entities of stored articles that have none yet (all of them with
// `all`, after the rules changed), in committed batches of options.batch_size; `progress`
// hears how many are done after each batch. Returns how many articles were done.
Result<uint64_t> refresh_entities(Store& store, const Extractor& extractor, bool all,
                                  size_t batch_size,
                                  const std::function<void(uint64_t done)>& progress);

// Current UTC time as ISO 8601, for StoredArticle::ingested_at.
std::string utc_now_iso8601();

}  // namespace khabar
