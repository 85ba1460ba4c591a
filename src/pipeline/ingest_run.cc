#include <fmt/format.h>

#include <optional>

#include "khabar/pipeline.h"
#include "pipeline/duplicate_tracker.h"
#include "pipeline/entity_tracker.h"
#include "pipeline/story_tracker.h"

namespace khabar {
namespace {

// Receives documents from the readers and stores them in committed batches.
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
  }

  // Indexes what the store holds already, so that new articles are compared with it.
  Status start() {
    if (options_.find_duplicates) {
      duplicates_.emplace(store_, options_.dedup, normalizer_);
      if (Status s = duplicates_->load_stored(); !s.ok()) return s;
    }
    if (options_.cluster_stories) {
      stories_.emplace(store_, options_.cluster, normalizer_);
      if (Status s = stories_->load_stored(); !s.ok()) return s;
    }
    if (options_.extract_entities) {
      const Extractor* extractor = options_.extractor;
      if (extractor == nullptr) extractor = &own_extractor_.emplace();
      entities_.emplace(store_, *extractor);
      if (Status s = entities_->load_stored(); !s.ok()) return s;
    }
    return {};
  }

  void begin_file(std::string_view path, uint64_t bytes) override {
    counts_.bytes_in_finished_files += current_file_bytes_;
    current_file_bytes_ = bytes;
    ++counts_.files;
    observer_->on_file(path, bytes, counts_);
  }

  void document(Document doc) override {
    if (!fatal_.ok()) return;
    ++counts_.read;
    std::string normalized_body;
    Result<StoredArticle> article = processor_.process(doc, &normalized_body);
    if (!article.ok()) {
      problem({Problem::Severity::kRejected, doc.origin, 0, -1, article.error().message});
      return;
    }
    if (!in_batch_) {
      if (Status s = store_.begin(); !s.ok()) {
        fatal_ = s;
        return;
      }
      in_batch_ = true;
    }
    Result<Store::InsertOutcome> inserted = store_.insert(*article);
    if (!inserted.ok()) {
      fatal_ = inserted.status();
      return;
    }
    if (inserted->inserted) {
      ++pending_stored_;
      if (duplicates_) {
        Result<bool> linked =
            duplicates_->add(inserted->sequence, normalized_body, article->published);
        if (!linked.ok()) {
          fatal_ = linked.status();
          return;
        }
        pending_linked_ += *linked ? 1 : 0;
      }
      if (stories_) {
        Result<bool> clustered =
            stories_->add(inserted->sequence, normalized_body, article->title, article->published);
        if (!clustered.ok()) {
          fatal_ = clustered.status();
          return;
        }
        pending_too_short_ += *clustered ? 0 : 1;
      }
      if (entities_) {
        if (Status s = entities_->add(*article, inserted->sequence); !s.ok()) {
          fatal_ = s;
          return;
        }
      }
    } else {
      ++pending_present_;
      fatal_ = store_.add_sighting(inserted->sequence, *article);
    }
    if (!fatal_.ok()) return;
    if (pending_stored_ + pending_present_ >= options_.batch_size) commit();
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
    commit();
    counts_.bytes_in_finished_files += current_file_bytes_;
    current_file_bytes_ = 0;
    if (!fatal_.ok()) {
      if (in_batch_) (void)store_.rollback();  // the store's error is the one to report
      return fatal_.error();
    }
    return counts_;
  }

 private:
  void commit() {
    if (!in_batch_ || !fatal_.ok()) return;
    if (Status s = store_.commit(); !s.ok()) {
      fatal_ = s;
      return;
    }
    in_batch_ = false;
    counts_.stored += pending_stored_;
    counts_.already_present += pending_present_;
    counts_.linked_to_copies += pending_linked_;
    counts_.too_short_to_cluster += pending_too_short_;
    pending_stored_ = pending_present_ = pending_linked_ = pending_too_short_ = 0;
    observer_->on_commit(counts_);
  }

  Store& store_;
  const PipelineOptions& options_;
  IngestObserver* observer_ = nullptr;
  ArticleProcessor processor_;
  Normalizer normalizer_;
  std::optional<pipeline_internal::DuplicateTracker> duplicates_;
  std::optional<pipeline_internal::StoryTracker> stories_;
  std::optional<Extractor> own_extractor_;
  std::optional<pipeline_internal::EntityTracker> entities_;
  IngestCounts counts_;
  uint64_t pending_stored_ = 0;
  uint64_t pending_present_ = 0;
  uint64_t pending_linked_ = 0;
  uint64_t pending_too_short_ = 0;
  uint64_t current_file_bytes_ = 0;
  bool in_batch_ = false;
  Status fatal_;
};

Status check_options(const PipelineOptions& options) {
  if (options.batch_size == 0) {
    return make_error(ErrorCode::kInvalidArgument, "batch size must be at least 1");
  }
  if (options.read.max_article_bytes == 0) {
    return make_error(ErrorCode::kInvalidArgument, "the article size limit must be at least 1");
  }
  if (Status s = options.dedup.validate(); !s.ok()) return s;
  return options.cluster.validate();
}

}  // namespace

Result<IngestCounts> ingest_paths(const std::vector<std::string>& paths, Store& store,
                                  const PipelineOptions& options, IngestObserver& observer) {
  if (Status s = check_options(options); !s.ok()) return s;
  IngestRun run(store, options);
  if (Status s = run.start(); !s.ok()) return s;
  run.begin_call(observer);
  read_paths(paths, options.read, run);
  return run.finish();
}

Result<IngestCounts> ingest_buffer(std::string_view bytes, std::string_view path, Store& store,
                                   const PipelineOptions& options, IngestObserver& observer) {
  if (Status s = check_options(options); !s.ok()) return s;
  IngestRun run(store, options);
  if (Status s = run.start(); !s.ok()) return s;
  run.begin_call(observer);
  read_buffer(bytes, path, options.read, run);
  return run.finish();
}

struct IngestSession::State {
  Store& store;
  PipelineOptions options;
  std::unique_ptr<IngestRun> run;  // null until the first call, or after a failed one
  int64_t known_through = -1;      // the store's last article when the trackers were current
};

IngestSession::IngestSession(Store& store, PipelineOptions options)
    : state_(std::make_unique<State>(State{store, std::move(options), nullptr, -1})) {}
IngestSession::~IngestSession() = default;

Result<IngestCounts> IngestSession::ingest_buffer(std::string_view bytes, std::string_view path,
                                                  IngestObserver& observer) {
  State& s = *state_;
  if (Status checked = check_options(s.options); !checked.ok()) return checked.error();
  Result<int64_t> last = s.store.last_sequence();
  if (!last.ok()) return last.error();
  // Articles stored by someone else since the last call: the trackers learn the store again.
  if (!s.run || *last != s.known_through) {
    s.run = std::make_unique<IngestRun>(s.store, s.options);
    if (Status started = s.run->start(); !started.ok()) {
      s.run.reset();
      return started.error();
    }
  }
  s.run->begin_call(observer);
  read_buffer(bytes, path, s.options.read, *s.run);
  Result<IngestCounts> counts = s.run->finish();
  // After a failure the trackers may hold articles that were rolled back.
  Result<int64_t> now = counts.ok() ? s.store.last_sequence() : Result<int64_t>(int64_t{-1});
  if (!counts.ok() || !now.ok()) {
    s.run.reset();
  } else {
    s.known_through = *now;
  }
  return counts;
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
    for (const StoredArticle& article : *batch) {
      if (Status s = tracker.add(article, article.sequence); !s.ok()) {
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
