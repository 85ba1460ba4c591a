// khabar/queue.h — articles through NATS JetStream to several workers sharing one store.
//
//   khabar publish --nats nats://queue:4222 crawl.warc.gz feeds/   # each article read → a message
//   khabar worker --nats nats://queue:4222 --db postgresql://db/news  # on as many machines as
//   needed khabar status --nats nats://queue:4222 --db postgresql://db/news
//
// A message is one article as read (a Document: its text, the source's blocks, metadata and
// origin) as a JSON object. The stream keeps messages on disk until a worker acknowledges them
// (work-queue retention), and every worker pulls from one durable consumer, so each message
// goes to one worker at a time. A worker cleans a batch, stores it in one transaction, and only
// then acknowledges it: a worker killed at any moment leaves its batch unacknowledged, JetStream
// delivers it again after the ack wait, and since an article's id is its text's hash, what was
// committed before the kill is found stored and not stored twice.
//
// Stories stay right with several workers because deciding (is this a copy, which story, which
// entity) is serialised: each batch takes the store's writers' lock and first learns what the
// other workers stored since its last batch (Store::lock_writers, IngestSession). Reading,
// cleaning and entity extraction, most of the work, run side by side outside it. And since
// online clustering depends on the order articles come in, batches are stored in the order
// they were published: a worker whose batch follows messages still in another worker's hands
// waits for them (the store keeps the stream position every committed message has reached),
// up to a bound, after which it goes ahead rather than stall behind a dead worker.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "khabar/ingest.h"
#include "khabar/pipeline.h"
#include "khabar/result.h"
#include "khabar/store.h"

namespace khabar {

struct QueueOptions {
  std::string url = "nats://127.0.0.1:4222";
  std::string stream = "KHABAR_ARTICLES";  // created (file storage) when missing
  std::string subject = "khabar.articles";
  std::string consumer = "khabar-workers";  // the durable consumer all workers share
};

// The message of one article, and back. Parsing checks everything a reader would guarantee
// (valid UTF-8, blocks inside the text, a known format): a message is input like any file.
std::string document_message(const Document& document);
Result<Document> parse_document_message(std::string_view message);

class QueueMessage;

// One connection to a NATS server with JetStream.
class JetStream {
 public:
  static Result<JetStream> connect(const QueueOptions& options);
  ~JetStream();
  JetStream(JetStream&&) noexcept;
  JetStream& operator=(JetStream&&) noexcept;

  // Creates the stream unless it exists: file storage, and work-queue retention (a message
  // leaves the stream once a worker acknowledged it, so the stream holds the backlog).
  Status ensure_stream();

  // Sends a message without waiting for the server; `id` lets the server drop a message sent
  // twice within its two-minute window (a publish run again after a failure).
  Status publish(std::string_view message, std::string_view id);
  // Waits until the server has acknowledged every message published; returns how many it
  // refused or never acknowledged.
  Result<uint64_t> finish_publishing(int64_t timeout_ms);

  // Joins the workers' durable consumer (created when missing). A message not acknowledged
  // within `ack_wait_ms` is delivered again, to any worker.
  Status subscribe(int64_t ack_wait_ms, int64_t max_ack_pending);
  // Up to `count` messages; none when none came within `timeout_ms`.
  Result<std::vector<QueueMessage>> fetch(int count, int64_t timeout_ms);

  struct Backlog {
    uint64_t stream_messages = 0;  // in the stream: not yet acknowledged by any worker
    uint64_t stream_bytes = 0;
    uint64_t first_sequence = 0;  // of the oldest message still in the stream
    uint64_t pending = 0;         // never delivered yet: the workers' lag
    int64_t ack_pending = 0;      // delivered, not acknowledged yet (in a worker's hands)
    int64_t redelivered = 0;      // delivered more than once, and not acknowledged since
    bool consumer_exists = false;
  };
  Result<Backlog> backlog();

 private:
  struct Impl;
  explicit JetStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A message pulled from the stream. Acknowledge it only once its article is committed.
class QueueMessage {
 public:
  QueueMessage() = default;
  ~QueueMessage();
  QueueMessage(QueueMessage&& other) noexcept;
  QueueMessage& operator=(QueueMessage&& other) noexcept;

  bool valid() const { return handle_ != nullptr; }  // false once moved from, or dropped
  std::string_view data() const;
  uint64_t stream_sequence() const;  // its place in the stream: the order it was published in
  void in_progress();                // still working on it: restart its ack wait
  void ack();                        // done: the stream drops it
  void nak();                        // not done: deliver it again now
  void term();                       // never deliver again (it can never succeed)

 private:
  friend class JetStream;
  struct Handle;
  explicit QueueMessage(Handle* handle) : handle_(handle) {}
  Handle* handle_ = nullptr;
};

struct WorkerOptions {
  QueueOptions queue;
  std::string name;                // in `khabar status`; default host:pid
  int batch = 100;                 // messages per fetch, stored in one transaction
  int64_t ack_wait_ms = 60'000;    // redelivery after a worker died; longer than a batch takes
  int64_t max_ack_pending = 2000;  // messages in workers' hands at once, all workers together
  // The longest a batch waits for the batches published before it (see above); 0: never waits.
  // Waiting keeps its messages from being redelivered meanwhile.
  int64_t order_wait_ms = 10'000;
  // Stop when the stream has had nothing for anyone (nothing pending, nothing in another
  // worker's hands) for this long; negative: run until `stop`.
  int64_t exit_when_idle_ms = -1;
};

struct WorkerTotals {
  IngestCounts counts;
  uint64_t messages = 0;
  uint64_t batches = 0;
  uint64_t unreadable = 0;    // messages that are no article message, reported and dropped
  uint64_t out_of_order = 0;  // batches stored before earlier ones, after waiting the longest
  // Batches that gave their inserted articles up while waiting for their turn, because another
  // worker was blocked on one of them (an exact copy in an earlier batch), and started again.
  uint64_t restarts = 0;
  // Where the time went: cleaning and extracting, and on PostgreSQL inserting the articles
  // (side by side with other workers); waiting for earlier batches; deciding, which workers do
  // one at a time (the writers' lock, learning what others decided, deciding, writing it,
  // committing); and storing the entity mentions set aside (Store::defer_entity_mentions),
  // side by side again. With one worker the deciding, per article, bounds what any number of
  // workers can store.
  double processing_seconds = 0;
  double order_wait_seconds = 0;
  double store_seconds = 0;
  double mention_seconds = 0;
};

// Pulls, stores and acknowledges batches until `stop` turns true, the stream stays idle (see
// WorkerOptions), or the store fails: then the batch in hand is handed back for redelivery and
// the error returned. Problems with single articles go to `observer`, as in ingest.
Result<WorkerTotals> run_worker(Store& store, const PipelineOptions& pipeline,
                                const WorkerOptions& options, IngestObserver& observer,
                                const std::atomic<bool>& stop);

}  // namespace khabar
