// khabar/watch.h — live intake: `khabar ingest URL` and `khabar watch FEEDS_FILE`.
//
// Feeds are fetched (conditionally, with the validators of their last answer), their items'
// links followed to the pages, and the pages read as HTML and stored through an IngestSession,
// with the feed's title, date and outlet where the page names none. What was fetched is kept in
// the store (Store::record_fetch) in the transaction that stores the page, so a restart fetches
// no page twice; a feed's validators are kept only once every new item it listed is settled, so
// a restart in between reads the feed whole again rather than missing items behind a 304.
//
// A page that cannot be had (404, disallowed by robots.txt, too large, not HTML, still failing
// after the retries) is stored from the feed's own content when the item carries some, and is
// never fetched again. Transient failures (timeouts, 5xx, 429) are tried again after
// backoff_seconds, doubling, or the server's Retry-After when longer.
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "khabar/fetch.h"
#include "khabar/pipeline.h"

namespace khabar {

struct LiveIntakeOptions {
  PolitenessOptions politeness;
  PipelineOptions pipeline;  // read.max_article_bytes bounds a page; a feed, kFeedArticles times it
  double poll_seconds = 300;  // how often a feed is asked again
  bool once = false;          // each feed once, then its pages, then return
  // Pages an earlier run left to try again (Store::unfinished_pages) are tried when due, and
  // the feeds listing them wait for them (khabar watch; not khabar ingest URL).
  bool resume_unfinished = true;
  // Tries after the first, for a transient failure, counted over runs. With `once`, a retry
  // due more than a minute later is left to the next run.
  int retries = 3;
  double backoff_seconds = 30;  // before the first retry; doubling
  // Fetched pages are stored in batches of pipeline.batch_size, or after this long.
  double commit_seconds = 5;
};

struct LiveIntakeCounts {
  uint64_t feed_polls = 0;          // answers from feeds (304s included)
  uint64_t feeds_not_modified = 0;  // 304
  uint64_t feed_failures = 0;
  uint64_t new_links = 0;          // items whose page was not fetched before
  uint64_t pages_fetched = 0;      // pages that came (2xx)
  uint64_t pages_given_up = 0;     // after the retries, or for good
  uint64_t pages_lost = 0;         // given up with no feed content in their place, or not a URL
  uint64_t from_feed_content = 0;  // stored from the item's content, the page not to be had
  uint64_t retries = 0;
  IngestCounts ingest;
};

class LiveIntakeObserver : public IngestObserver {
 public:
  // A line for the terminal: a feed asked, a page given up, a retry planned.
  virtual void on_event(std::string_view /*line*/) {}
};

struct LiveSource {
  enum class Kind {
    kFeed,     // polled every poll_seconds (once with LiveIntakeOptions::once)
    kUnknown,  // fetched once: a feed is read as one, anything else as a page
  };
  std::string url;
  Kind kind = Kind::kFeed;
};

// Runs until `stop` turns true (a signal), or with options.once until everything is settled.
// Returns an error only when the store fails or no source is an http(s) URL; bad pages and
// feeds are reported through the observer.
Result<LiveIntakeCounts> run_live_intake(const std::vector<LiveSource>& sources, Store& store,
                                         const LiveIntakeOptions& options,
                                         LiveIntakeObserver& observer,
                                         const std::atomic<bool>& stop);

// A feeds file: one URL a line; blank lines and lines starting with # are skipped. An error
// names the file and line of the first line that is not an http(s) URL.
Result<std::vector<std::string>> read_feeds_file(const std::string& path);

}  // namespace khabar
