#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "khabar/pipeline.h"
#include "pipeline/duplicate_tracker.h"
#include "pipeline/entity_tracker.h"
#include "pipeline/story_tracker.h"
#include "text/utf8.h"

namespace khabar {
namespace pipeline_internal {

// An article cleaned and fingerprinted, ready to store; with its entities when they are
// extracted.
struct Processed {
  StoredArticle article;
  std::string normalized_body;
  std::optional<Extraction> extraction;
};

// Receives documents from the readers and stores them in committed batches.
//
// Each batch takes the writers' lock (Store::lock_writers) and first learns what other
// processes stored since its last batch, so that duplicates, stories and entities are decided
// against everything stored, as by one process: for workers sharing a PostgreSQL store, and
// for a server while `khabar ingest` writes the same SQLite file.
class IngestRun : public DocumentSink {
 public:
  IngestRun(Store& store, const PipelineOptions& options)
      : store_(store),
        options_(options),
        processor_(options.normalize),
        normalizer_(options.normalize) {}

  // Starts a call: counts from zero, problems and commits told to `observer`. What the trackers
  // learned of the store stays.
  void begin_call(IngestObserver& observer) {
    observer_ = &observer;
    counts_ = {};
    pending_stored_ = pending_present_ = pending_linked_ = pending_too_short_ = 0;
    current_file_bytes_ = 0;
    in_batch_ = false;
    fatal_ = {};
    waiting_.clear();
  }

  // Nothing is read here: what the store holds is indexed when the first new article is to be
  // decided (load_trackers), and the extractor made for the first article not stored yet, so
  // that a run over articles all stored before (a feed read again) costs neither.
  Status start() { return {}; }

  // Indexes what the store holds already, so that new articles are compared with it: before
  // the batch that holds the first new article takes the writers' lock, as a run used to at its
  // start. `in_batch`: a late fallback inside the batch's transaction, which must not store the
  // keys missing from an old store (that commits on its own; the next run does it).
  Status load_trackers(bool in_batch) {
    trackers_loaded_ = true;
    if (options_.find_duplicates) {
      duplicates_.emplace(store_, options_.dedup, normalizer_);
      if (Status s = duplicates_->load_stored(); !s.ok()) return s;
      // Once, for a store from before keys were kept; without them nothing is lost but time.
      if (!in_batch) (void)duplicates_->store_missing_keys();
    }
    if (options_.cluster_stories) {
      stories_.emplace(store_, options_.cluster, normalizer_);
      if (Status s = stories_->load_stored(); !s.ok()) return s;
    }
    if (options_.extract_entities) {
      entities_.emplace(store_, extractor());
      if (Status s = entities_->load_stored(); !s.ok()) return s;
    }
    return {};
  }

  // Stories compare the names the extractor finds too, so it runs for either.
  bool extracts() const { return options_.extract_entities || options_.cluster_stories; }

  const Extractor& extractor() {
    if (extractor_ == nullptr) {
      extractor_ = options_.extractor;
      if (extractor_ == nullptr) extractor_ = &own_extractor_.emplace();
    }
    return *extractor_;
  }

  void begin_file(std::string_view path, uint64_t bytes) override {
    counts_.bytes_in_finished_files += current_file_bytes_;
    current_file_bytes_ = bytes;
    ++counts_.files;
    observer_->on_file(path, bytes, counts_);
  }

  // Documents from the readers are stored in batches of options.batch_size, as a worker's are.
  void document(Document doc) override {
    if (!fatal_.ok()) return;
    if (std::optional<Processed> processed = process(doc))
      waiting_.push_back(std::move(*processed));
    if (waiting_.size() >= options_.batch_size) store_waiting({});
  }

  // A worker's batch, in one transaction.
  void documents(std::vector<Document> docs, const IngestSession::BatchHooks& hooks) {
    for (const Document& doc : docs) {
      if (!fatal_.ok()) break;
      if (std::optional<Processed> processed = process(doc))
        waiting_.push_back(std::move(*processed));
    }
    store_waiting(hooks);
  }

  void problem(Problem p) override {
    switch (p.severity) {
      case Problem::Severity::kRejected:
        ++counts_.rejected;
        break;
      case Problem::Severity::kWarning:
        ++counts_.warnings;
        break;
      case Problem::Severity::kSkipped:
        ++counts_.skipped_files;
        break;
    }
    observer_->on_problem(p);
  }

  Result<IngestCounts> finish() {
    if (fatal_.ok() && !waiting_.empty()) store_waiting({});
    counts_.bytes_in_finished_files += current_file_bytes_;
    current_file_bytes_ = 0;
    if (!fatal_.ok()) {
      if (in_batch_) (void)store_.rollback();  // the store's error is the one to report
      return fatal_.error();
    }
    // Every decision the trackers know is committed now. Without the snapshot nothing is lost:
    // the next run replays more of the store.
    if (stories_) {
      if (Status s = stories_->save_snapshot_when_due(options_.decisions_between_snapshots);
          !s.ok()) {
        problem({Problem::Severity::kWarning, store_.path(), 0, -1,
                 fmt::format("the stories' snapshot was not saved, so the next run starts "
                             "slower: {}",
                             s.error().message)});
      }
    }
    return counts_;
  }

 private:
  // One batch, in one transaction, cleaned and with entities extracted before the writers' lock
  // is taken. On a store that writes concurrently (PostgreSQL) the articles are inserted before
  // the batch waits for its turn and takes the lock, so that other writers decide meanwhile; a
  // SQLite write transaction excludes every other writer from its start, so there the batch
  // waits first.
  void store_waiting(const IngestSession::BatchHooks& hooks) {
    if (!fatal_.ok()) return;  // reading failed (the store could not be asked)
    std::vector<Processed> ready = std::move(waiting_);
    waiting_.clear();
    if (!trackers_loaded_ && holds_new_article(ready)) fatal_ = load_trackers(false);
    if (!fatal_.ok()) return;
    bool wait_first = !store_.writes_concurrently();
    std::vector<std::pair<size_t, int64_t>> fresh;  // ready's index, the inserted sequence
    for (;;) {
      if (wait_first && !wait_for_turn(hooks, false)) return;
      if (!begin_transaction() || !lock_ids(ready)) return;
      fresh.clear();
      for (size_t i = 0; i < ready.size(); ++i) {
        if (std::optional<int64_t> sequence = insert(ready[i])) fresh.emplace_back(i, *sequence);
        if (!fatal_.ok()) return;
      }
      if (wait_first || wait_for_turn(hooks, true)) break;
      if (!fatal_.ok()) return;
      // Another writer waits on one of these articles while this batch waits for that writer's
      // batch: give the articles up, and insert them again once it is this batch's turn.
      fatal_ = store_.rollback();
      in_batch_ = false;
      pending_stored_ = pending_present_ = 0;
      if (!fatal_.ok()) return;
      wait_first = true;
    }
    if (!lock_and_catch_up(!fresh.empty())) return;
    std::vector<ArticleOutcome> outcomes;
    outcomes.reserve(ready.size());
    for (const Processed& p : ready)
      outcomes.push_back({p.article.id, p.article.external_id, false});
    for (const auto& [index, sequence] : fresh) {
      outcomes[index].stored = true;
      decide(std::move(ready[index]), sequence);
      if (!fatal_.ok()) return;
    }
    if (hooks.before_commit) fatal_ = hooks.before_commit(store_);
    if (fatal_.ok()) commit(hooks.after_commit);
    if (!fatal_.ok() || in_batch_) return;
    for (const ArticleOutcome& outcome : outcomes)
      observer_->on_article(outcome);
  }

  std::optional<Processed> process(const Document& doc) {
    ++counts_.read;
    Processed out;
    Result<StoredArticle> article = processor_.process(doc, &out.normalized_body);
    if (!article.ok()) {
      problem({Problem::Severity::kRejected, doc.origin, 0, -1, article.error().message});
      return std::nullopt;
    }
    out.article = std::move(*article);
    if (extracts()) {
      // An article stored before only adds a sighting: extracting it (the costliest stage)
      // would be thrown away.
      const std::optional<bool> stored = is_stored(out.article.id);
      if (!stored) return std::nullopt;
      if (!*stored) extract(out);
    }
    return out;
  }

  void extract(Processed& out) {
    out.extraction = extract_article(extractor(), out.article);
    if (options_.cluster_stories) out.article.story_signals = story_signals(*out.extraction);
    out.article.extraction = encode_extraction(*out.extraction, out.article.body);
  }

  // Whether the store holds the id; none on an error, which is kept in fatal_.
  std::optional<bool> is_stored(const std::string& id) {
    Result<bool> stored = store_.contains(id);
    if (!stored.ok()) {
      fatal_ = stored.status();
      return std::nullopt;
    }
    return *stored;
  }

  // Whether any article was not stored when it was read (those were extracted).
  bool holds_new_article(const std::vector<Processed>& ready) {
    for (const Processed& p : ready) {
      if (extracts()) {
        if (p.extraction) return true;
        continue;
      }
      const std::optional<bool> stored = is_stored(p.article.id);
      if (!stored) return false;
      if (!*stored) return true;
    }
    return false;
  }

  bool begin_transaction() {
    fatal_ = store_.begin();
    in_batch_ = fatal_.ok();
    return in_batch_;
  }

  bool lock_ids(const std::vector<Processed>& ready) {
    std::vector<std::string> ids;
    ids.reserve(ready.size());
    for (const Processed& processed : ready)
      ids.push_back(processed.article.id);
    fatal_ = store_.lock_ids(ids);
    return fatal_.ok();
  }

  // False to stop: on an error (in fatal_), or when the articles held must be given up.
  bool wait_for_turn(const IngestSession::BatchHooks& hooks, bool holding_articles) {
    if (!hooks.before_decisions) return true;
    Result<bool> go = hooks.before_decisions(holding_articles);
    if (!go.ok()) {
      fatal_ = go.status();
      return false;
    }
    return *go || !holding_articles;
  }

  bool lock_and_catch_up(bool deciding) {
    fatal_ = store_.lock_writers();
    if (fatal_.ok() && deciding && !trackers_loaded_) fatal_ = load_trackers(true);
    if (fatal_.ok()) fatal_ = catch_up();
    return fatal_.ok();
  }

  // Learns the articles and entities others decided since this run last looked.
  Status catch_up() {
    Result<int64_t> last = store_.last_decision();
    if (!last.ok()) return last.error();
    if (*last <= known_decision_) return {};
    if (duplicates_) {
      if (Status s = duplicates_->load_stored(); !s.ok()) return s;
    }
    if (stories_) {
      if (Status s = stories_->load_stored(); !s.ok()) return s;
    }
    if (entities_) {
      if (Status s = entities_->load_stored(); !s.ok()) return s;
    }
    known_decision_ = *last;
    return {};
  }

  // The new article's sequence; none when it is stored already (a sighting then) or on an
  // error.
  std::optional<int64_t> insert(Processed& processed) {
    // Stored when it was read, so not extracted: asked again under the ids' lock, so that an
    // article new after all (deleted meanwhile) is stored with its extraction.
    if (extracts() && !processed.extraction) {
      const std::optional<bool> stored = is_stored(processed.article.id);
      if (!stored) return std::nullopt;
      if (!*stored) extract(processed);
    }
    Result<Store::InsertOutcome> inserted =
        store_.insert(processed.article, options_.extract_entities);
    if (!inserted.ok()) {
      fatal_ = inserted.status();
      return std::nullopt;
    }
    if (inserted->inserted) return inserted->sequence;
    ++pending_present_;
    fatal_ = store_.add_sighting(inserted->sequence, processed.article);
    return std::nullopt;
  }

  // Is it a copy, which story is it in, which entities does it name: under the writers' lock.
  void decide(Processed processed, int64_t sequence) {
    const StoredArticle& article = processed.article;
    ++pending_stored_;
    const int64_t decision = ++known_decision_;
    decided_.push_back(sequence);
    if (duplicates_) {
      Result<bool> linked =
          duplicates_->add(sequence, decision, processed.normalized_body, article.published);
      if (!linked.ok()) {
        fatal_ = linked.status();
        return;
      }
      pending_linked_ += *linked ? 1 : 0;
    }
    if (stories_) {
      Result<bool> clustered =
          stories_->add(sequence, decision, processed.normalized_body, article.title,
                        article.published, article.story_signals);
      if (!clustered.ok()) {
        fatal_ = clustered.status();
        return;
      }
      pending_too_short_ += *clustered ? 0 : 1;
    }
    if (entities_) {
      Result<std::vector<EntityMentionRecord>> mentions =
          entities_->link_mentions(article, std::move(processed.extraction).value());
      if (!mentions.ok()) {
        fatal_ = mentions.status();
        return;
      }
      linked_mentions_.push_back({sequence, std::move(*mentions)});
    }
  }

  // What the batch decided, written last: where its articles went and, set aside, their
  // entity mentions (stored after the commit, outside the writers' lock), then their order.
  Status write_decisions() {
    if (stories_) {
      if (Status s = stories_->store_placements(); !s.ok()) return s;
    }
    if (!linked_mentions_.empty()) {
      if (Status s = store_.defer_entity_mentions(linked_mentions_); !s.ok()) return s;
      linked_mentions_.clear();
    }
    const int64_t first = known_decision_ - static_cast<int64_t>(decided_.size()) + 1;
    if (Status s = store_.record_decisions(first, decided_); !s.ok()) return s;
    decided_.clear();
    return {};
  }

  void commit(const std::function<void()>& committed = {}) {
    if (!in_batch_ || !fatal_.ok()) return;
    const bool mentions_set_aside = !linked_mentions_.empty();
    fatal_ = write_decisions();
    if (fatal_.ok()) fatal_ = store_.commit();
    if (!fatal_.ok()) return;
    in_batch_ = false;
    if (committed) committed();
    counts_.stored += pending_stored_;
    counts_.already_present += pending_present_;
    counts_.linked_to_copies += pending_linked_;
    counts_.too_short_to_cluster += pending_too_short_;
    pending_stored_ = pending_present_ = pending_linked_ = pending_too_short_ = 0;
    observer_->on_commit(counts_);
    if (mentions_set_aside) {
      // On failure the batch stays committed; the next batch stores these mentions.
      if (Result<int64_t> applied = store_.apply_deferred_mentions(); !applied.ok()) {
        fatal_ = applied.status();
      }
    }
  }

  Store& store_;
  const PipelineOptions& options_;
  IngestObserver* observer_ = nullptr;
  ArticleProcessor processor_;
  Normalizer normalizer_;
  std::optional<pipeline_internal::DuplicateTracker> duplicates_;
  std::optional<pipeline_internal::StoryTracker> stories_;
  std::optional<Extractor> own_extractor_;
  const Extractor* extractor_ = nullptr;  // when entities or stories are on
  std::optional<pipeline_internal::EntityTracker> entities_;
  bool trackers_loaded_ = false;
  IngestCounts counts_;
  uint64_t pending_stored_ = 0;
  uint64_t pending_present_ = 0;
  uint64_t pending_linked_ = 0;
  uint64_t pending_too_short_ = 0;
  uint64_t current_file_bytes_ = 0;
  int64_t known_decision_ = 0;    // the store's last decision this run knows of, or made
  std::vector<int64_t> decided_;  // this batch's articles, in the order they were decided
  std::vector<ArticleMentions> linked_mentions_;  // this batch's, stored as it commits
  std::vector<Processed> waiting_;                // read, not yet stored
  bool in_batch_ = false;
  Status fatal_;
};

}  // namespace pipeline_internal

namespace {

Status check_options(const PipelineOptions& options) {
  if (options.batch_size == 0) {
    return make_error(ErrorCode::kInvalidArgument, "batch size must be at least 1");
  }
  if (options.read.max_article_bytes == 0) {
    return make_error(ErrorCode::kInvalidArgument, "the article size limit must be at least 1");
  }
  if (options.decisions_between_snapshots < 1) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the decisions between snapshots must be at least 1");
  }
  if (Status s = options.dedup.validate(); !s.ok()) return s;
  return options.cluster.validate();
}

constexpr std::string_view kHamzaSetting = "normalize.hamza_carriers";

std::string_view hamza_value(bool folded) {
  return folded ? "folded" : "kept";
}

// The store's normalisation, which the first run to use it fixed: the same text must keep one id
// whoever stores it (khabar ingest, the server, a worker).
Status follow_store_normalization(Store& store, PipelineOptions& options) {
  const bool folded = options.normalize.fold_hamza_carriers;
  Result<std::string> kept = store.keep_setting(kHamzaSetting, hamza_value(folded));
  if (!kept.ok()) return kept.error();
  const bool store_folds = *kept != hamza_value(false);
  if (store_folds == folded) return {};
  if (options.normalize_chosen) {
    return make_error(
        ErrorCode::kInvalidArgument,
        fmt::format("{}: its articles were stored with hamza carriers {} ({}); this run asks to "
                    "{} them, which would give the same text another id. Use a new store, or "
                    "leave the option out to follow the store's",
                    store.path(), *kept, store_folds ? "the default" : "khabar ingest --keep-hamza",
                    folded ? "fold" : "keep"));
  }
  options.normalize.fold_hamza_carriers = store_folds;
  return {};
}

constexpr std::string_view kStoriesSetting = "stories.options";
constexpr std::string_view kDuplicatesSetting = "duplicates.options";

// The options as the store keeps them: every value, the model's weights too, so that a worker
// or a server started without them rebuilds the same ones.
std::string stories_value(const ClusterOptions& options) {
  const JoinModel& model = options.model ? *options.model : JoinModel::built_in();
  std::string out = fmt::format(
      "threshold={} window_seconds={} min_terms={} compared_members={} compared_stories={} "
      "model={}",
      options.join_threshold, options.active_window_seconds, options.min_terms,
      options.compared_members, options.compared_stories, model.intercept);
  for (const double weight : model.weights)
    out += fmt::format(",{}", weight);  // the shortest text that reads back the same
  return out;
}

std::string duplicates_value(const DedupOptions& options) {
  return fmt::format(
      "shingle_words={} permutations={} jaccard={} bands={} containment={} "
      "min_words={}",
      options.shingle_words, options.permutations, options.jaccard_threshold, options.bands,
      options.containment_threshold, options.min_words);
}

// `name=value` pairs separated by spaces, as the two above write them.
std::optional<std::map<std::string, std::string, std::less<>>> setting_fields(
    std::string_view value) {
  std::map<std::string, std::string, std::less<>> fields;
  for (const std::string_view field : text::split(value, ' ')) {
    const size_t equals = field.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    fields.emplace(field.substr(0, equals), field.substr(equals + 1));
  }
  return fields;
}

template <typename Number>
bool read_number(const std::map<std::string, std::string, std::less<>>& fields,
                 std::string_view name, Number& out) {
  const auto it = fields.find(name);
  if (it == fields.end()) return false;
  const char* end = it->second.data() + it->second.size();
  return std::from_chars(it->second.data(), end, out).ptr == end;
}

std::optional<ClusterOptions> parse_stories_value(std::string_view value, ClusterOptions out) {
  const auto fields = setting_fields(value);
  if (!fields) return std::nullopt;
  JoinModel model;
  const auto weights = fields->find("model");
  if (!read_number(*fields, "threshold", out.join_threshold) ||
      !read_number(*fields, "window_seconds", out.active_window_seconds) ||
      !read_number(*fields, "min_terms", out.min_terms) ||
      !read_number(*fields, "compared_members", out.compared_members) ||
      !read_number(*fields, "compared_stories", out.compared_stories) || weights == fields->end())
    return std::nullopt;
  const std::vector<std::string_view> numbers = text::split(weights->second, ',');
  if (numbers.size() != kJoinFeatures + 1) return std::nullopt;
  for (size_t i = 0; i < numbers.size(); ++i) {
    double& target = i == 0 ? model.intercept : model.weights[i - 1];
    const char* end = numbers[i].data() + numbers[i].size();
    if (std::from_chars(numbers[i].data(), end, target).ptr != end) return std::nullopt;
  }
  out.model = std::make_shared<const JoinModel>(model);
  return out;
}

std::optional<DedupOptions> parse_duplicates_value(std::string_view value) {
  const auto fields = setting_fields(value);
  DedupOptions out;
  if (!fields || !read_number(*fields, "shingle_words", out.shingle_words) ||
      !read_number(*fields, "permutations", out.permutations) ||
      !read_number(*fields, "jaccard", out.jaccard_threshold) ||
      !read_number(*fields, "bands", out.bands) ||
      !read_number(*fields, "containment", out.containment_threshold) ||
      !read_number(*fields, "min_words", out.min_words))
    return std::nullopt;
  return out;
}

// One kept setting: the store's value when the run did not choose its own; a clear refusal when
// it chose another.
template <typename Options, typename Parse>
Status follow_setting(Store& store, std::string_view name, std::string_view what,
                      const std::string& proposed, bool chosen, Options& options, Parse parse) {
  Result<std::string> kept = store.keep_setting(name, proposed);
  if (!kept.ok()) return kept.error();
  if (*kept == proposed) return {};
  if (chosen) {
    // Only what differs: «threshold 0.4 (the store's), 0.3 (this run's)».
    std::string differs;
    const auto before = setting_fields(*kept), now = setting_fields(proposed);
    if (before && now) {
      for (const auto& [field, value] : *now) {
        const auto it = before->find(field);
        const std::string_view was = it == before->end() ? "none" : std::string_view(it->second);
        if (was == value) continue;
        differs += fmt::format("{}{} {} (the store's), {} (this run's)",
                               differs.empty() ? "" : "; ", field, was, value);
      }
    }
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("{}: its {} were made with other options: {}. One store's {} "
                                  "follow one rule: use a new store, or leave those options out "
                                  "to follow the store's",
                                  store.path(), what, differs.empty() ? *kept : differs, what));
  }
  std::optional<Options> followed = parse(*kept);
  if (!followed) {
    return make_error(ErrorCode::kStorage, fmt::format("{}: the setting {} is damaged: «{}»",
                                                       store.path(), name, *kept));
  }
  options = std::move(*followed);
  return {};
}

// The options a store's first run fixed, for every later run (see PipelineOptions).
Status follow_store_settings(Store& store, PipelineOptions& options) {
  if (Status s = follow_store_normalization(store, options); !s.ok()) return s;
  if (options.find_duplicates) {
    Status s = follow_setting(store, kDuplicatesSetting, "duplicate links",
                              duplicates_value(options.dedup), options.dedup_chosen, options.dedup,
                              parse_duplicates_value);
    if (!s.ok()) return s;
  }
  if (options.cluster_stories) {
    const ClusterOptions base = options.cluster;
    Status s = follow_setting(
        store, kStoriesSetting, "stories", stories_value(options.cluster), options.cluster_chosen,
        options.cluster, [&](std::string_view kept) { return parse_stories_value(kept, base); });
    if (!s.ok()) return s;
  }
  return {};
}

}  // namespace

using pipeline_internal::IngestRun;

namespace {

// One run over what `read` gives it, with the store's normalisation.
Result<IngestCounts> ingest_once(Store& store, const PipelineOptions& options,
                                 IngestObserver& observer,
                                 const std::function<void(IngestRun&)>& read) {
  if (Status s = check_options(options); !s.ok()) return s;
  PipelineOptions followed = options;
  if (Status s = follow_store_settings(store, followed); !s.ok()) return s;
  IngestRun run(store, followed);
  if (Status s = run.start(); !s.ok()) return s;
  run.begin_call(observer);
  read(run);
  return run.finish();
}

}  // namespace

Result<IngestCounts> ingest_paths(const std::vector<std::string>& paths, Store& store,
                                  const PipelineOptions& options, IngestObserver& observer) {
  return ingest_once(store, options, observer,
                     [&](IngestRun& run) { read_paths(paths, options.read, run); });
}

Result<IngestCounts> ingest_buffer(std::string_view bytes, std::string_view path, Store& store,
                                   const PipelineOptions& options, IngestObserver& observer) {
  return ingest_once(store, options, observer,
                     [&](IngestRun& run) { read_buffer(bytes, path, options.read, run); });
}

struct IngestSession::State {
  Store& store;
  PipelineOptions options;
  std::unique_ptr<IngestRun> run;  // null until the first call, or after a failed one
};

IngestSession::IngestSession(Store& store, PipelineOptions options)
    : state_(std::make_unique<State>(State{store, std::move(options), nullptr})) {}
IngestSession::~IngestSession() = default;

Result<IngestCounts> IngestSession::call(IngestObserver& observer,
                                         const std::function<void(IngestRun&)>& read) {
  State& s = *state_;
  if (Status checked = check_options(s.options); !checked.ok()) return checked.error();
  if (!s.run) {
    if (Status followed = follow_store_settings(s.store, s.options); !followed.ok()) {
      return followed.error();
    }
    s.run = std::make_unique<IngestRun>(s.store, s.options);
    if (Status started = s.run->start(); !started.ok()) {
      s.run.reset();
      return started.error();
    }
  }
  s.run->begin_call(observer);
  read(*s.run);
  Result<IngestCounts> counts = s.run->finish();
  // After a failure the trackers may hold articles that were rolled back: learn the store anew.
  if (!counts.ok()) s.run.reset();
  return counts;
}

Result<IngestCounts> IngestSession::ingest_buffer(std::string_view bytes, std::string_view path,
                                                  IngestObserver& observer) {
  return call(observer,
              [&](IngestRun& run) { read_buffer(bytes, path, state_->options.read, run); });
}

Result<IngestCounts> IngestSession::ingest_documents(std::vector<Document> documents,
                                                     IngestObserver& observer,
                                                     const BatchHooks& hooks) {
  return call(observer, [&](IngestRun& run) { run.documents(std::move(documents), hooks); });
}

Result<uint64_t> refresh_entities(Store& store, const Extractor& extractor, bool all,
                                  size_t batch_size,
                                  const std::function<void(uint64_t done)>& progress) {
  if (batch_size == 0) {
    return make_error(ErrorCode::kInvalidArgument, "batch size must be at least 1");
  }
  pipeline_internal::EntityTracker tracker(store, extractor);
  if (Status s = tracker.load_stored(); !s.ok()) return s.error();
  uint64_t done = 0;
  int64_t after = 0;
  for (;;) {
    Result<std::vector<StoredArticle>> batch =
        store.articles_after(after, static_cast<int64_t>(batch_size), !all);
    if (!batch.ok()) return batch.error();
    if (batch->empty()) return done;
    if (Status s = store.begin(); !s.ok()) return s.error();
    // Linking creates entities, which workers learn from each other in the order stored.
    if (Status s = store.lock_writers(); !s.ok()) {
      (void)store.rollback();  // the lock's error is the one to report
      return s.error();
    }
    for (const StoredArticle& article : *batch) {
      if (Status s = tracker.refresh(article, article.sequence); !s.ok()) {
        (void)store.rollback();  // the tracker's error is the one to report
        return s.error();
      }
    }
    if (Status s = store.commit(); !s.ok()) return s.error();
    done += batch->size();
    after = batch->back().sequence;
    progress(done);
  }
}

}  // namespace khabar
