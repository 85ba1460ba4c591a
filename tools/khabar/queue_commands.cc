// khabar publish, worker and status: articles through NATS JetStream (khabar/queue.h).
#include <fmt/format.h>
#include <nats/nats.h>
#include <xxhash.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <iostream>

#include "commands.h"
#include "khabar/queue.h"
#include "progress.h"

namespace khabar::cli {
namespace {

void add_queue_options(CLI::App* cmd, QueueOptions& queue) {
  if (const char* env = std::getenv("KHABAR_NATS"); env != nullptr && *env != '\0') {
    queue.url = env;
  }
  cmd->add_option("--nats", queue.url, "NATS server URL (or $KHABAR_NATS)")
      ->capture_default_str()
      ->group("Queue");
  cmd->add_option("--stream", queue.stream, "JetStream stream, created when missing")
      ->capture_default_str()
      ->group("Queue");
  cmd->add_option("--subject", queue.subject, "Subject the articles are published on")
      ->capture_default_str()
      ->group("Queue");
}

// --- publish ---

struct PublishArgs {
  QueueOptions queue;
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string encoding = "auto";
  std::string map;
  size_t max_article_bytes = kDefaultMaxArticleBytes;
};

// Puts each document read on the stream; problems are printed as ingest prints them.
class Publisher : public DocumentSink {
 public:
  explicit Publisher(JetStream& queue) : queue_(queue) {}

  void document(Document doc) override {
    if (!failure_.ok()) return;
    const std::string message = document_message(doc);
    // The id lets the server drop a message sent twice within its window: a run repeated
    // after a failure.
    const std::string id = fmt::format("{:016x}", XXH64(message.data(), message.size(), 0));
    failure_ = queue_.publish(message, id);
    if (failure_.ok()) ++published_;
  }
  void problem(Problem p) override {
    if (p.severity == Problem::Severity::kRejected) ++rejected_;
    if (p.severity == Problem::Severity::kSkipped) ++skipped_;
    std::cerr << (p.severity == Problem::Severity::kWarning ? "warning: " : "") << p.to_string()
              << "\n";
  }

  uint64_t published_ = 0;
  uint64_t rejected_ = 0;
  uint64_t skipped_ = 0;
  Status failure_;

 private:
  JetStream& queue_;
};

int run_publish(const PublishArgs& args) {
  Result<InputFormat> format = parse_input_format(args.format);
  if (!format.ok()) return fail(format.error());
  Result<JetStream> queue = JetStream::connect(args.queue);
  if (!queue.ok()) return fail(queue.error());
  if (Status s = queue->ensure_stream(); !s.ok()) return fail(s.error());
  Result<std::vector<std::pair<std::string, std::string>>> map = parse_field_map(args.map);
  if (!map.ok()) return fail(map.error());
  Publisher publisher(*queue);
  read_paths(args.paths,
             {.format = *format,
              .encoding = args.encoding,
              .max_article_bytes = args.max_article_bytes,
              .field_map = std::move(*map)},
             publisher);
  if (!publisher.failure_.ok()) return fail(publisher.failure_.error());
  Result<uint64_t> lost = queue->finish_publishing(60'000);
  if (!lost.ok()) return fail(lost.error());
  std::cout << fmt::format("{} article{} published to {} ({}), {} rejected", publisher.published_,
                           publisher.published_ == 1 ? "" : "s", args.queue.stream,
                           args.queue.subject, publisher.rejected_);
  if (publisher.skipped_ > 0) std::cout << fmt::format(", {} files skipped", publisher.skipped_);
  std::cout << "\n";
  if (*lost > 0) {
    return fail(make_error(ErrorCode::kIo, fmt::format("the server did not store {} of them; "
                                                       "publish again (repeats are dropped)",
                                                       *lost)));
  }
  return publisher.rejected_ > 0 ? kExitRejected : kExitOk;
}

// --- worker ---

std::atomic<bool> worker_stopping{false};

extern "C" void stop_worker_on_signal(int /*signal*/) {
  worker_stopping = true;
}

struct WorkerArgs {
  WorkerOptions worker;
  double ack_wait_seconds = 60;
  double exit_when_idle_seconds = -1;
  double order_wait_seconds = 10;
  bool progress_lines = false;
  bool no_entities = false;
};

int run_worker_command(const WorkerArgs& args, const GlobalOptions& global) {
  WorkerOptions options = args.worker;
  options.ack_wait_ms = static_cast<int64_t>(args.ack_wait_seconds * 1000);
  options.order_wait_ms = static_cast<int64_t>(args.order_wait_seconds * 1000);
  options.exit_when_idle_ms = args.exit_when_idle_seconds < 0
                                  ? -1
                                  : static_cast<int64_t>(args.exit_when_idle_seconds * 1000);
  PipelineOptions pipeline;
  pipeline.extract_entities = !args.no_entities;
  Result<Store> store = Store::open(global.db);
  if (!store.ok()) return fail(store.error());
  std::signal(SIGINT, stop_worker_on_signal);
  std::signal(SIGTERM, stop_worker_on_signal);
  IngestProgress progress(std::cerr, 0, false, args.progress_lines, false);
  std::cerr << fmt::format(
      "khabar: worker on {} ({}) storing into {} (Ctrl-C stops after the "
      "batch in hand)\n",
      options.queue.stream, options.queue.url, Store::shown(global.db));
  Result<WorkerTotals> totals = run_worker(*store, pipeline, options, progress, worker_stopping);
  if (!totals.ok()) return fail(totals.error());
  const IngestCounts& c = totals->counts;
  std::cout << fmt::format(
      "{} message{} in {} batch{}: {} stored, {} already present, {} rejected ({} unreadable); "
      "{} batch{} stored out of order, {} started again\n",
      totals->messages, totals->messages == 1 ? "" : "s", totals->batches,
      totals->batches == 1 ? "" : "es", c.stored, c.already_present, c.rejected, totals->unreadable,
      totals->out_of_order, totals->out_of_order == 1 ? "" : "es", totals->restarts);
  std::cout << fmt::format(
      "time: {:.2f} s cleaning, extracting{}, {:.2f} s waiting for earlier batches, {:.2f} s "
      "deciding and committing (one worker at a time), {:.2f} s storing mentions\n",
      totals->processing_seconds, store->writes_concurrently() ? " and inserting" : "",
      totals->order_wait_seconds, totals->store_seconds, totals->mention_seconds);
  return kExitOk;
}

// --- status ---

struct StatusArgs {
  QueueOptions queue;
  bool json = false;
};

// Seconds since an ISO 8601 time; -1 when unknown.
int64_t seconds_since(const std::string& iso) {
  const std::optional<int64_t> then = iso8601_unix_seconds(iso);
  return then ? static_cast<int64_t>(std::time(nullptr)) - *then : -1;
}

// A worker that has not reported for this long is probably gone (a batch takes seconds).
constexpr int64_t kSilentSeconds = 60;

int run_status(const StatusArgs& args, const GlobalOptions& global) {
  Result<JetStream> queue = JetStream::connect(args.queue);
  if (!queue.ok()) return fail(queue.error());
  Result<JetStream::Backlog> backlog = queue->backlog();
  if (!backlog.ok()) return fail(backlog.error());
  Result<Store> store = Store::open(global.db);
  if (!store.ok()) return fail(store.error());
  Result<int64_t> articles = store->count_articles();
  Result<int64_t> stories = store->count_stories();
  Result<std::vector<WorkerReport>> workers = store->workers();
  if (!articles.ok()) return fail(articles.error());
  if (!stories.ok()) return fail(stories.error());
  if (!workers.ok()) return fail(workers.error());

  if (args.json) {
    nlohmann::json out = {
        {"stream",
         {{"name", args.queue.stream},
          {"messages", backlog->stream_messages},
          {"bytes", backlog->stream_bytes},
          {"pending", backlog->pending},
          {"ack_pending", backlog->ack_pending},
          {"redelivered", backlog->redelivered}}},
        {"store", {{"location", store->path()}, {"articles", *articles}, {"stories", *stories}}},
        {"workers", nlohmann::json::array()}};
    for (const WorkerReport& w : *workers) {
      const int64_t silent = seconds_since(w.seen_at);
      out["workers"].push_back({{"name", w.name},
                                {"started_at", w.started_at},
                                {"seen_at", w.seen_at},
                                {"articles", w.articles},
                                {"batches", w.batches},
                                {"articles_per_second", w.rate},
                                {"active", silent >= 0 && silent < kSilentSeconds}});
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << fmt::format(
      "stream {} ({}): {} message{} ({:.1f} MB); lag {} never delivered, {} in workers' hands, "
      "{} redelivered\n",
      args.queue.stream, args.queue.url, backlog->stream_messages,
      backlog->stream_messages == 1 ? "" : "s", static_cast<double>(backlog->stream_bytes) / 1e6,
      backlog->pending, backlog->ack_pending, backlog->redelivered);
  std::cout << fmt::format("store {}: {} articles, {} stories\n", store->path(), *articles,
                           *stories);
  std::cout << fmt::format("{} worker{}{}\n", workers->size(), workers->size() == 1 ? "" : "s",
                           workers->empty() ? "" : ":");
  for (const WorkerReport& w : *workers) {
    const int64_t silent = seconds_since(w.seen_at);
    std::cout << fmt::format("  {:<28} {:>8} articles {:>8.1f}/s  {}\n", w.name, w.articles, w.rate,
                             silent >= 0 && silent < kSilentSeconds
                                 ? fmt::format("last batch {} s ago", silent)
                                 : fmt::format("silent since {} (stopped?)", w.seen_at));
  }
  return kExitOk;
}

}  // namespace

void add_queue_commands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto publish = std::make_shared<PublishArgs>();
  CLI::App* cmd = app.add_subcommand(
      "publish", "Read articles as ingest does and put each on a JetStream stream for workers");
  cmd->add_option("paths", publish->paths, "Files, directories, or - for standard input")
      ->required();
  add_queue_options(cmd, publish->queue);
  cmd->add_option("--format", publish->format, "auto, text, jsonl, html, warc or feed")
      ->capture_default_str();
  cmd->add_option("--encoding", publish->encoding, "auto, or a charset")->capture_default_str();
  cmd->add_option("--map", publish->map, "JSON field names for khabar's fields, as ingest's --map");
  cmd->add_option("--max-article-bytes", publish->max_article_bytes,
                  "Reject articles longer than this (at most 1 GiB)")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, kLargestMaxArticleBytes));
  cmd->callback([publish, &exit_code] {
    exit_code = run_publish(*publish);
    nats_Close();
  });

  auto worker = std::make_shared<WorkerArgs>();
  cmd = app.add_subcommand("worker",
                           "Pull articles from the stream, store them in --db, acknowledge them");
  add_queue_options(cmd, worker->worker.queue);
  cmd->add_option("--consumer", worker->worker.queue.consumer,
                  "Durable consumer shared by all workers")
      ->capture_default_str()
      ->group("Queue");
  cmd->add_option("--name", worker->worker.name, "Name in khabar status (default host:pid)");
  cmd->add_option("--batch", worker->worker.batch, "Messages per fetch and transaction")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--ack-wait", worker->ack_wait_seconds,
                  "Seconds before a message in a dead worker's hands goes to another")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 86400.0));
  cmd->add_option("--exit-when-idle", worker->exit_when_idle_seconds,
                  "Stop once the stream has had nothing for anyone this many seconds "
                  "(default: run until Ctrl-C)")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--order-wait", worker->order_wait_seconds,
                  "Seconds a batch waits for the batches published before it (0: never)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_flag("--progress", worker->progress_lines, "Print a line after each batch");
  cmd->add_flag("--no-entities", worker->no_entities,
                "Do not extract people, places and organisations (khabar entities --refresh)");
  cmd->callback([worker, &global, &exit_code] {
    exit_code = run_worker_command(*worker, global);
    nats_Close();
  });

  auto status = std::make_shared<StatusArgs>();
  cmd = app.add_subcommand("status",
                           "The stream's backlog, each worker's rate, and the store's counts");
  add_queue_options(cmd, status->queue);
  cmd->add_option("--consumer", status->queue.consumer, "The workers' durable consumer")
      ->capture_default_str()
      ->group("Queue");
  cmd->add_flag("--json", status->json, "One JSON object");
  cmd->callback([status, &global, &exit_code] {
    exit_code = run_status(*status, global);
    nats_Close();
  });
}

}  // namespace khabar::cli
