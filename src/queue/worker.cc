// khabar worker: pull a batch, store it in one transaction, acknowledge it, report progress.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <thread>

#include "khabar/queue.h"

namespace khabar {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// How long a fetch waits for messages before the worker looks at `stop` and the idle rule.
constexpr int64_t kFetchWaitMs = 500;

std::string default_name() {
  char host[256] = "";
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return fmt::format("{}:{}", host[0] != '\0' ? host : "localhost", ::getpid());
}

// Articles per second over the last minute or so.
class RateMeter {
 public:
  void add(uint64_t total) {
    const Clock::time_point now = Clock::now();
    samples_.push_back({now, total});
    while (samples_.size() > 2 && now - samples_[1].first > std::chrono::seconds(60))
      samples_.pop_front();
  }
  double per_second() const {
    if (samples_.size() < 2) return 0;
    const double seconds =
        std::chrono::duration<double>(samples_.back().first - samples_.front().first).count();
    return seconds > 0
               ? static_cast<double>(samples_.back().second - samples_.front().second) / seconds
               : 0;
  }

 private:
  std::deque<std::pair<Clock::time_point, uint64_t>> samples_;
};

// Passes a batch's problems on; its commit is reported once the messages are acknowledged,
// with the worker's totals.
class BatchObserver : public IngestObserver {
 public:
  explicit BatchObserver(IngestObserver& worker) : worker_(worker) {}
  void on_problem(const Problem& problem) override { worker_.on_problem(problem); }

 private:
  IngestObserver& worker_;
};

class Worker {
 public:
  Worker(Store& store, const PipelineOptions& pipeline, const WorkerOptions& options,
         IngestObserver& observer)
      : store_(store),
        options_(options),
        observer_(observer),
        session_(store, pipeline),
        report_{.name = options.name.empty() ? default_name() : options.name,
                .started_at = utc_now_iso8601()} {}

  Result<WorkerTotals> run(JetStream& queue, const std::atomic<bool>& stop) {
    Clock::time_point idle_since = Clock::now();
    meter_.add(0);
    while (!stop.load()) {
      Result<std::vector<QueueMessage>> batch = queue.fetch(options_.batch, kFetchWaitMs);
      if (!batch.ok()) return batch.error();
      if (batch->empty()) {
        if (options_.exit_when_idle_ms < 0) continue;
        Result<JetStream::Backlog> backlog = queue.backlog();
        if (!backlog.ok()) return backlog.error();
        // Messages in another worker's hands may come back (if it dies): not idle yet.
        if (backlog->pending > 0 || backlog->ack_pending > 0) {
          idle_since = Clock::now();
        } else if (Clock::now() - idle_since >=
                   std::chrono::milliseconds(options_.exit_when_idle_ms)) {
          break;
        }
        continue;
      }
      if (Status s = store_batch(queue, *batch); !s.ok()) return s.error();
      idle_since = Clock::now();
    }
    return totals_;
  }

 private:
  Status store_batch(JetStream& queue, std::vector<QueueMessage>& batch) {
    std::vector<Document> documents;
    documents.reserve(batch.size());
    std::vector<int64_t> sequences;
    for (const QueueMessage& message : batch)
      sequences.push_back(static_cast<int64_t>(message.stream_sequence()));
    for (QueueMessage& message : batch) {
      Result<Document> document = parse_document_message(message.data());
      if (document.ok()) {
        documents.push_back(std::move(*document));
        continue;
      }
      // It can never be stored: reported, and dropped from the stream.
      ++totals_.unreadable;
      ++totals_.counts.rejected;
      observer_.on_problem({Problem::Severity::kRejected,
                            fmt::format("{} message", options_.queue.subject), 0, -1,
                            document.error().message});
      message.term();
      message = QueueMessage();
    }
    BatchObserver batch_observer(observer_);
    const std::string& stream = options_.queue.stream;
    const Clock::time_point started = Clock::now();
    Clock::time_point storing = started;
    Clock::time_point committed = started;
    if (Status s = start_position(queue, sequences); !s.ok()) return s;
    IngestSession::BatchHooks hooks{
        .before_decisions =
            [&](bool holding_articles) {
              const Clock::time_point waiting = Clock::now();
              if (storing == started) totals_.processing_seconds += seconds(waiting - started);
              Result<bool> waited = wait_for_earlier(batch, sequences, holding_articles);
              storing = Clock::now();
              totals_.order_wait_seconds += seconds(storing - waiting);
              return waited;
            },
        .before_commit =
            [&](Store& store) { return store.record_queue_commits(stream, sequences); },
        .after_commit = [&] { committed = Clock::now(); },
    };
    Result<IngestCounts> counts =
        session_.ingest_documents(std::move(documents), batch_observer, hooks);
    const Clock::time_point finished = Clock::now();
    if (committed > storing) {
      totals_.store_seconds += seconds(committed - storing);
      totals_.mention_seconds += seconds(finished - committed);
    } else {  // failed before its commit
      totals_.store_seconds += seconds(finished - storing);
    }
    if (!counts.ok()) {
      for (QueueMessage& message : batch) {
        if (message.valid()) message.nak();
      }
      return counts.error();
    }
    // Committed: now, and only now, the stream may forget them.
    for (QueueMessage& message : batch) {
      if (message.valid()) message.ack();
    }
    totals_.counts.add_articles(*counts);
    totals_.messages += batch.size();
    ++totals_.batches;
    observer_.on_commit(totals_.counts);
    return report();
  }

  // The first batch on a stream sets where the stream starts, before its oldest message: in a
  // transaction of its own, for a batch's open transaction would keep it from the others.
  Status start_position(JetStream& queue, const std::vector<int64_t>& sequences) {
    if (options_.order_wait_ms <= 0 || sequences.empty()) return {};
    Result<int64_t> position = store_.queue_position(options_.queue.stream);
    if (!position.ok()) return position.error();
    if (*position >= 0) return {};
    Result<JetStream::Backlog> backlog = queue.backlog();
    if (!backlog.ok()) return backlog.error();
    const auto oldest = static_cast<int64_t>(std::max<uint64_t>(backlog->first_sequence, 1));
    const int64_t first = *std::min_element(sequences.begin(), sequences.end());
    return store_.start_queue_position(options_.queue.stream, std::min(oldest, first) - 1);
  }

  // Waits until every message published before this batch is committed, so that batches are
  // decided in the order they were published, as one process would decide them. Not forever: a
  // dead worker's messages come back only after the ack wait. False when the batch holds
  // articles that another writer is blocked on, which may be the very batch waited for.
  Result<bool> wait_for_earlier(std::vector<QueueMessage>& batch,
                                const std::vector<int64_t>& sequences, bool holding_articles) {
    if (options_.order_wait_ms <= 0 || sequences.empty()) return true;
    const int64_t first = *std::min_element(sequences.begin(), sequences.end());
    const Clock::time_point start = Clock::now();
    const auto give_up = start + std::chrono::milliseconds(options_.order_wait_ms);
    const auto keep_alive =
        std::chrono::milliseconds(std::max<int64_t>(options_.ack_wait_ms / 3, 1));
    constexpr auto kBlockingCheck = std::chrono::milliseconds(50);
    Clock::time_point pinged = start;
    Clock::time_point checked = start;
    for (;;) {
      Result<int64_t> position = store_.queue_position(options_.queue.stream);
      if (!position.ok()) return position.error();
      if (*position >= first - 1) return true;
      const Clock::time_point now = Clock::now();
      if (now >= give_up) {
        ++totals_.out_of_order;
        return true;
      }
      if (holding_articles && now - checked >= kBlockingCheck) {
        Result<bool> blocking = store_.blocking_others();
        if (!blocking.ok()) return blocking.error();
        if (*blocking) {
          ++totals_.restarts;
          return false;
        }
        checked = now;
      }
      if (now - pinged >= keep_alive) {
        for (QueueMessage& message : batch) {
          if (message.valid()) message.in_progress();
        }
        pinged = now;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  Status report() {
    meter_.add(totals_.messages);
    report_.seen_at = utc_now_iso8601();
    report_.articles = static_cast<int64_t>(totals_.messages);
    report_.batches = static_cast<int64_t>(totals_.batches);
    report_.rate = meter_.per_second();
    return store_.report_worker(report_);
  }

  Store& store_;
  const WorkerOptions& options_;
  IngestObserver& observer_;
  IngestSession session_;
  WorkerReport report_;
  RateMeter meter_;
  WorkerTotals totals_;
};

}  // namespace

Result<WorkerTotals> run_worker(Store& store, const PipelineOptions& pipeline,
                                const WorkerOptions& options, IngestObserver& observer,
                                const std::atomic<bool>& stop) {
  if (options.batch < 1) {
    return make_error(ErrorCode::kInvalidArgument, "the batch must hold at least 1 message");
  }
  Result<JetStream> queue = JetStream::connect(options.queue);
  if (!queue.ok()) return queue.error();
  if (Status s = queue->ensure_stream(); !s.ok()) return s.error();
  if (Status s = queue->subscribe(options.ack_wait_ms, options.max_ack_pending); !s.ok()) {
    return s.error();
  }
  Worker worker(store, pipeline, options, observer);
  return worker.run(*queue, stop);
}

}  // namespace khabar
