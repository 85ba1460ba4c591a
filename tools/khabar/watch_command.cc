#include <fmt/format.h>

#include <csignal>
#include <iostream>

#include "commands.h"
#include "khabar/watch.h"
#include "live_intake_view.h"
#include "progress.h"

namespace khabar::cli {
namespace {

std::atomic<bool> live_stopping{false};

// A second Ctrl-C ends the process at once (the handler gives the signal back its default).
extern "C" void stop_live_intake_on_signal(int signal) {
  live_stopping = true;
  std::signal(signal, SIG_DFL);
}

}  // namespace

void add_live_options(CLI::App& cmd, LiveArgs& args) {
  const char* group = "Fetching";
  cmd.add_option("--host-delay", args.host_delay_seconds,
                 "Seconds between requests to one host (more when its robots.txt asks)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0))
      ->group(group);
  cmd.add_option("--per-host", args.per_host, "Requests under way at once to one host")
      ->capture_default_str()
      ->check(CLI::Range(1, 16))
      ->group(group);
  cmd.add_option("--connections", args.threads, "Requests under way at once, all hosts")
      ->capture_default_str()
      ->check(CLI::Range(1, 64))
      ->group(group);
  cmd.add_option("--timeout", args.timeout_seconds,
                 "Seconds a request may take, redirects included")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 600.0))
      ->group(group);
  cmd.add_option("--retries", args.retries,
                 "Tries again after a timeout, a 5xx or a 429, waiting longer each time")
      ->capture_default_str()
      ->check(CLI::Range(0, 10))
      ->group(group);
  cmd.add_option("--backoff", args.backoff_seconds, "Seconds before the first retry; doubling")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0))
      ->group(group);
  cmd.add_option("--user-agent", args.user_agent, "How requests name khabar")
      ->capture_default_str()
      ->group(group);
}

LiveIntakeOptions live_options(const LiveArgs& args, PipelineOptions pipeline) {
  LiveIntakeOptions options;
  options.pipeline = std::move(pipeline);
  options.politeness.limits.user_agent = args.user_agent;
  options.politeness.limits.total_timeout =
      std::chrono::milliseconds(static_cast<int64_t>(args.timeout_seconds * 1000));
  options.politeness.limits.connect_timeout =
      std::min(options.politeness.limits.connect_timeout, options.politeness.limits.total_timeout);
  options.politeness.host_delay_seconds = args.host_delay_seconds;
  options.politeness.per_host = args.per_host;
  options.politeness.threads = args.threads;
  options.retries = args.retries;
  options.backoff_seconds = args.backoff_seconds;
  return options;
}

// Events and problems to standard error, as ingest prints them.
class LiveProgress : public LiveIntakeObserver {
 public:
  LiveProgress(IngestProgress& progress, bool quiet) : progress_(progress), quiet_(quiet) {}
  void on_problem(const Problem& problem) override { progress_.on_problem(problem); }
  void on_commit(const IngestCounts& so_far) override { progress_.on_commit(so_far); }
  void on_event(std::string_view line) override {
    if (!quiet_) std::cerr << text::without_controls(line) << "\n";
  }

 private:
  IngestProgress& progress_;
  bool quiet_;
};

Result<LiveIntakeCounts> fetch_live(const std::vector<LiveSource>& sources, Store& store,
                                    const LiveIntakeOptions& options, IngestProgress& progress,
                                    bool quiet) {
  std::signal(SIGINT, stop_live_intake_on_signal);
  std::signal(SIGTERM, stop_live_intake_on_signal);
  LiveProgress observer(progress, quiet);
  return run_live_intake(sources, store, options, observer, live_stopping);
}

std::string live_summary(const LiveIntakeCounts& c) {
  std::string out =
      fmt::format("{} page{} fetched", c.pages_fetched, c.pages_fetched == 1 ? "" : "s");
  if (c.feed_polls + c.feed_failures > 0) {
    out += fmt::format(", {} feed answer{} ({} not modified, {} failed)", c.feed_polls,
                       c.feed_polls == 1 ? "" : "s", c.feeds_not_modified, c.feed_failures);
  }
  if (c.pages_given_up > 0) out += fmt::format(", {} given up", c.pages_given_up);
  if (c.from_feed_content > 0)
    out += fmt::format(", {} stored from the feed's content", c.from_feed_content);
  if (c.retries > 0) out += fmt::format(", {} retries", c.retries);
  return out;
}

namespace {

struct WatchArgs {
  std::string feeds_file;
  double every_seconds = 300;
  bool once = false;
  bool quiet = false;
  bool progress_lines = false;
  LiveArgs live;
  bool no_entities = false;
  size_t max_article_bytes = kDefaultMaxArticleBytes;
};

int run_watch(const WatchArgs& args, const GlobalOptions& global) {
  Result<std::vector<std::string>> feeds = read_feeds_file(args.feeds_file);
  if (!feeds.ok()) return fail(feeds.error());
  PipelineOptions pipeline;
  pipeline.extract_entities = !args.no_entities;
  pipeline.read.max_article_bytes = args.max_article_bytes;
  LiveIntakeOptions options = live_options(args.live, pipeline);
  options.poll_seconds = args.every_seconds;
  options.once = args.once;
  Result<Store> store = Store::open(global.db);
  if (!store.ok()) return fail(store.error());
  if (!args.quiet) {
    const std::string how = args.once ? "once" : fmt::format("every {} s", args.every_seconds);
    std::cerr << fmt::format("khabar: reading {} feed{} {} into {}{}\n", feeds->size(),
                             feeds->size() == 1 ? "" : "s", how, Store::shown(global.db),
                             args.once ? "" : "; Ctrl-C or SIGTERM stops it");
  }
  std::vector<LiveSource> sources;
  for (std::string& url : *feeds)
    sources.push_back({std::move(url), LiveSource::Kind::kFeed});
  IngestProgress progress(std::cerr, 0, false, args.progress_lines, args.quiet);
  Result<LiveIntakeCounts> counts = fetch_live(sources, *store, options, progress, args.quiet);
  progress.finish();
  if (!counts.ok()) return fail(counts.error());
  const IngestCounts& c = counts->ingest;
  std::cout << fmt::format("{}: {} stored, {} already present, {} rejected (database {})\n",
                           live_summary(*counts), c.stored, c.already_present, c.rejected,
                           Store::shown(global.db));
  const bool lost = c.rejected + counts->pages_lost + counts->feed_failures > 0;
  return lost ? kExitRejected : kExitOk;
}

}  // namespace

void add_watch_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<WatchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "watch", "Poll RSS/Atom feeds and store their new articles' pages, until stopped");
  cmd->add_option("feeds", args->feeds_file, "A file of feed URLs, one a line (# starts a comment)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--every", args->every_seconds, "Seconds between two polls of a feed")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 7.0 * 86400));
  cmd->add_flag("--once", args->once, "Poll each feed once, fetch its new pages, and stop");
  cmd->add_flag("--quiet,-q", args->quiet, "Print only rejections and the summary");
  cmd->add_flag("--progress", args->progress_lines, "Print a line after each committed batch");
  cmd->add_flag("--no-entities", args->no_entities,
                "Do not extract people, places and organisations now");
  cmd->add_option("--max-article-bytes", args->max_article_bytes,
                  "Give up pages longer than this (a feed may be 64 times it; at most 1 GiB)")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, kLargestMaxArticleBytes));
  add_live_options(*cmd, args->live);
  cmd->callback([args, &global, &exit_code] { exit_code = run_watch(*args, global); });
}

}  // namespace khabar::cli
