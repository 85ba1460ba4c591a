// The live intake loop: one thread owns the store and decides what to fetch; PoliteFetcher's
// threads fetch and hand the answers back through an inbox.
#include <fmt/format.h>

#include <cmath>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "khabar/watch.h"

namespace khabar {
namespace {

using Clock = std::chrono::steady_clock;

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Servers label feeds loosely (text/xml, application/octet-stream): the body decides as well.
bool looks_like_feed(const HttpResponse& response) {
  const std::string type = lower(response.content_type);
  if (type.find("rss") != std::string::npos || type.find("atom") != std::string::npos) return true;
  std::string_view body = response.body;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  const size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  const std::string head = lower(body.substr(start, 512));
  if (head.starts_with("<rss") || head.starts_with("<feed") || head.starts_with("<rdf:rdf"))
    return true;
  // An XML declaration: a feed unless the root turns out to be XHTML.
  return head.starts_with("<?xml") && head.find("<html") == std::string::npos;
}

bool looks_like_html(const HttpResponse& response) {
  const std::string type = lower(response.content_type);
  return type.empty() || type.starts_with("text/html") ||
         type.starts_with("application/xhtml+xml") || type.starts_with("text/plain");
}

// The charset a Content-Type names, for pages that do not declare one themselves.
std::string charset_of(std::string_view content_type) {
  const std::string type = lower(content_type);
  const size_t at = type.find("charset=");
  if (at == std::string::npos) return {};
  std::string charset = type.substr(at + 8);
  charset = charset.substr(0, charset.find_first_of("; "));
  if (!charset.empty() && charset.front() == '"') charset = charset.substr(1);
  if (!charset.empty() && charset.back() == '"') charset.pop_back();
  return charset;
}

struct Collected : DocumentSink {
  std::vector<Document> documents;
  std::vector<Problem> problems;
  void document(Document doc) override { documents.push_back(std::move(doc)); }
  void problem(Problem p) override { problems.push_back(std::move(p)); }
};

class LiveIntake {
 public:
  LiveIntake(Store& store, const LiveIntakeOptions& options, LiveIntakeObserver& observer,
             const std::atomic<bool>& stop)
      : store_(store),
        options_(options),
        observer_(observer),
        stop_(stop),
        session_(store, options.pipeline),
        fetcher_(options.politeness) {}

  Result<LiveIntakeCounts> run(const std::vector<LiveSource>& sources) {
    for (const LiveSource& source : sources) {
      Result<std::string> url = resolve_url({}, source.url);
      if (!url.ok()) {
        observer_.on_event(url.error().message);
        continue;
      }
      Feed feed;
      feed.url = *url;
      feed.unknown_kind = source.kind == LiveSource::Kind::kUnknown;
      feed.next_poll = Clock::now();
      feeds_.push_back(std::move(feed));
    }
    if (feeds_.empty()) return make_error(ErrorCode::kInvalidArgument, "no http(s) URL to fetch");
    while (fatal_.ok()) {
      if (stop_.load()) {
        fetcher_.stop();  // aborts transfers under way; their answers say "stopped"
        drain_inbox();
        break;
      }
      start_due_work();
      wait_for_arrivals();
      drain_inbox();
      if (fatal_.ok() && batch_due()) flush();
      if (options_.once && settled()) break;
    }
    if (fatal_.ok()) flush();
    if (!fatal_.ok()) return fatal_.error();
    return counts_;
  }

 private:
  struct Feed {
    std::string url;
    bool unknown_kind = false;
    Clock::time_point next_poll{};
    bool in_flight = false;
    bool finished = false;  // once: asked, and not to be asked again
    int failures = 0;
    int outstanding = 0;                    // its new items' pages not yet settled
    std::optional<FetchRecord> validators;  // to record once outstanding reaches 0
  };
  struct Page {
    std::string url;
    size_t feed = 0;
    FeedEntry entry;
    int attempt = 0;
    Clock::time_point due{};
  };
  struct Arrival {
    bool is_feed = false;
    size_t feed = 0;
    Page page;
    FetchOutcome outcome;
  };

  // --- scheduling ---

  void start_due_work() {
    const Clock::time_point now = Clock::now();
    for (size_t i = 0; i < feeds_.size(); ++i) {
      Feed& feed = feeds_[i];
      if (feed.in_flight || feed.finished || feed.next_poll > now) continue;
      FetchJob job;
      job.url = feed.url;
      if (!feed.unknown_kind) {
        Result<std::optional<FetchRecord>> known = store_.fetch_record(feed.url);
        if (!known.ok()) {
          fatal_ = known.error();
          return;
        }
        if (*known) {
          job.etag = (*known)->etag;
          job.last_modified = (*known)->last_modified;
        }
      }
      job.max_bytes = feed_max_bytes();
      job.done = [this, i](FetchOutcome outcome) { deliver({true, i, {}, std::move(outcome)}); };
      feed.in_flight = true;
      submit(std::move(job));
    }
    for (auto it = retries_.begin(); it != retries_.end();) {
      if (it->due > now) {
        ++it;
        continue;
      }
      fetch_page(std::move(*it));
      it = retries_.erase(it);
    }
  }

  void fetch_page(Page page) {
    FetchJob job;
    job.url = page.url;
    job.max_bytes = page_max_bytes();
    in_flight_.insert(page.url);
    job.done = [this, page](FetchOutcome outcome) mutable {
      deliver({false, page.feed, std::move(page), std::move(outcome)});
    };
    submit(std::move(job));
  }

  void submit(FetchJob job) {
    const std::string url = job.url;
    if (Status s = fetcher_.submit(std::move(job)); !s.ok())
      observer_.on_event(fmt::format("{}: {}", url, s.error().message));
  }

  void deliver(Arrival arrival) {
    std::lock_guard guard(inbox_mutex_);
    inbox_.push_back(std::move(arrival));
    inbox_ready_.notify_one();
  }

  void wait_for_arrivals() {
    // A quarter of a second at most, so that a stop is seen soon.
    Clock::time_point until = Clock::now() + std::chrono::milliseconds(250);
    for (const Feed& feed : feeds_) {
      if (!feed.in_flight && !feed.finished) until = std::min(until, feed.next_poll);
    }
    for (const Page& page : retries_)
      until = std::min(until, page.due);
    if (!batch_.empty()) until = std::min(until, batch_started_ + seconds(options_.commit_seconds));
    std::unique_lock lock(inbox_mutex_);
    inbox_ready_.wait_until(lock, until, [this] { return !inbox_.empty(); });
  }

  void drain_inbox() {
    std::deque<Arrival> arrived;
    {
      std::lock_guard guard(inbox_mutex_);
      arrived.swap(inbox_);
    }
    for (Arrival& a : arrived) {
      if (!fatal_.ok()) return;
      if (a.is_feed) {
        on_feed(a.feed, std::move(a.outcome));
      } else {
        on_page(std::move(a.page), std::move(a.outcome));
      }
    }
  }

  bool settled() const {
    if (!in_flight_.empty() || !retries_.empty() || fetcher_.pending() > 0) return false;
    for (const Feed& feed : feeds_) {
      if (!feed.finished || feed.in_flight) return false;
    }
    return true;
  }

  size_t page_max_bytes() const {
    return std::min(options_.pipeline.read.max_article_bytes, kLargestMaxArticleBytes);
  }
  size_t feed_max_bytes() const { return page_max_bytes() * kFeedArticles; }

  double backoff(int attempt, std::optional<int64_t> retry_after) const {
    double wait = options_.backoff_seconds * std::pow(2.0, std::min(attempt - 1, 10));
    if (retry_after) wait = std::max(wait, static_cast<double>(*retry_after));
    return std::min(wait, 24.0 * 3600);
  }

  // --- feeds ---

  void on_feed(size_t index, FetchOutcome outcome) {
    Feed& feed = feeds_[index];
    feed.in_flight = false;
    const Clock::time_point now = Clock::now();
    feed.next_poll = now + seconds(options_.poll_seconds);
    if (options_.once) feed.finished = true;
    if (!outcome.ok()) {
      const FetchFailure& f = outcome.failure;
      if (f.reason == "stopped") return;
      ++feed.failures;
      const bool retry = f.transient && feed.failures <= options_.retries;
      // A URL named once (khabar ingest URL) that cannot be had is a page given up: whether it
      // was a feed nobody can tell.
      const std::string what = feed.unknown_kind ? feed.url : "feed " + feed.url;
      if (retry) {
        const double wait = backoff(feed.failures, f.retry_after_seconds);
        if (options_.once || now + seconds(wait) > feed.next_poll) {
          feed.next_poll = now + seconds(wait);
          feed.finished = false;
        }
        ++(feed.unknown_kind ? counts_.retries : counts_.feed_failures);
        observer_.on_event(fmt::format("{}: {}; asking again in {:.0f} s", what, f.reason, wait));
      } else if (feed.unknown_kind) {
        Page page{feed.url, feeds_.size(), {}, 0, now};
        give_up(std::move(page), f.reason, f.status);
        return;
      } else {
        ++counts_.feed_failures;
        observer_.on_event(fmt::format("{}: {}", what, f.reason));
      }
      if (!feed.unknown_kind) record_failure(feed.url, "feed", f, false);
      return;
    }
    feed.failures = 0;
    HttpResponse& response = *outcome.response;
    if (feed.unknown_kind && !looks_like_feed(response)) {
      Page page{feed.url, feeds_.size(), {}, 0, now};
      page.entry.link = feed.url;
      on_page(std::move(page), std::move(outcome));
      return;
    }
    ++counts_.feed_polls;
    if (response.status == 304) {
      ++counts_.feeds_not_modified;
      observer_.on_event(fmt::format("feed {}: not modified", feed.url));
      return;
    }
    if (!looks_like_feed(response)) {
      ++counts_.feed_failures;
      observer_.on_event(
          fmt::format("feed {}: not an RSS or Atom feed ({})", feed.url,
                      response.content_type.empty() ? "no content type" : response.content_type));
      return;
    }
    read_feed_items(index, response);
  }

  struct ProblemsToObserver : DocumentSink {
    explicit ProblemsToObserver(LiveIntake& intake) : intake_(intake) {}
    void document(Document) override {}
    void problem(Problem p) override {
      if (p.severity == Problem::Severity::kRejected) ++intake_.counts_.ingest.rejected;
      if (p.severity == Problem::Severity::kWarning) ++intake_.counts_.ingest.warnings;
      intake_.observer_.on_problem(p);
    }
    LiveIntake& intake_;
  };

  void read_feed_items(size_t index, const HttpResponse& response) {
    Feed& feed = feeds_[index];
    ReadOptions read = options_.pipeline.read;
    read.format = InputFormat::kFeed;
    read.encoding = "auto";
    ProblemsToObserver problems(*this);
    std::vector<FeedEntry> entries = read_feed_entries(response.body, feed.url, read, problems);
    size_t fresh = 0;
    for (FeedEntry& entry : entries) {
      std::string link;
      if (!entry.link.empty()) {
        if (Result<std::string> resolved = resolve_url(response.url, entry.link); resolved.ok())
          link = std::move(*resolved);
      }
      if (link.empty()) {  // nothing to follow: the item is the article
        if (entry.document && !seen_item_without_link(feed.url, entry)) {
          ++counts_.from_feed_content;
          add_to_batch(std::move(*entry.document), {});
        }
        continue;
      }
      if (settled_.contains(link) || in_flight_.contains(link) || queued_for_retry(link)) continue;
      Result<std::optional<FetchRecord>> known = store_.fetch_record(link);
      if (!known.ok()) {
        fatal_ = known.error();
        return;
      }
      if (*known && (*known)->done) {
        settled_.insert(link);
        continue;
      }
      ++fresh;
      ++feed.outstanding;
      ++counts_.new_links;
      fetch_page({link, index, std::move(entry), 0, Clock::now()});
    }
    observer_.on_event(fmt::format("feed {}: {} item{}, {} new", feed.url, entries.size(),
                                   entries.size() == 1 ? "" : "s", fresh));
    FetchRecord record;
    record.url = feed.url;
    record.kind = "feed";
    record.etag = response.etag;
    record.last_modified = response.last_modified;
    record.status = response.status;
    record.fetched_at = utc_now_iso8601();
    if (feed.outstanding == 0) {
      records_.push_back(std::move(record));
      feed.validators.reset();
    } else {
      feed.validators = std::move(record);
    }
  }

  // Items without a link are known by their feed and title, within a run.
  bool seen_item_without_link(const std::string& feed, const FeedEntry& entry) {
    return !settled_.insert(feed + "\n" + entry.title + "\n" + entry.published).second;
  }

  bool queued_for_retry(const std::string& url) const {
    for (const Page& page : retries_) {
      if (page.url == url) return true;
    }
    return false;
  }

  // --- pages ---

  void on_page(Page page, FetchOutcome outcome) {
    in_flight_.erase(page.url);
    if (!outcome.ok()) {
      const FetchFailure& f = outcome.failure;
      if (f.reason == "stopped") return;
      if (f.transient && page.attempt < options_.retries) {
        ++page.attempt;
        ++counts_.retries;
        const double wait = backoff(page.attempt, f.retry_after_seconds);
        observer_.on_event(
            fmt::format("page {}: {}; trying again in {:.0f} s", page.url, f.reason, wait));
        record_failure(page.url, "page", f, false, page.attempt, wait);
        page.due = Clock::now() + seconds(wait);
        retries_.push_back(std::move(page));
        return;
      }
      give_up(std::move(page), f.reason, f.status);
      return;
    }
    HttpResponse& response = *outcome.response;
    ++counts_.pages_fetched;
    if (!looks_like_html(response)) {
      give_up(std::move(page), fmt::format("not an HTML page ({})", response.content_type),
              response.status);
      return;
    }
    ReadOptions read = options_.pipeline.read;
    read.format = InputFormat::kHtml;
    if (const std::string charset = charset_of(response.content_type); !charset.empty())
      read.encoding = charset;
    Collected got;
    read_buffer(response.body, response.url, read, got);
    for (Problem& p : got.problems) {
      if (p.severity == Problem::Severity::kWarning) observer_.on_problem(p);
    }
    if (got.documents.empty()) {
      const std::string why =
          got.problems.empty() ? "no article in the page" : got.problems.front().reason;
      give_up(std::move(page), why, response.status);
      return;
    }
    Document doc = std::move(got.documents.front());
    fill_from_feed(doc, page.entry);
    if (doc.url.empty()) doc.url = response.url;
    doc.origin = page.url;
    add_to_batch(std::move(doc), done_record(page.url, response.status, ""));
    settle(page);
  }

  // A page not to be had: its feed's content stands in for it when there is some.
  void give_up(Page page, const std::string& reason, long status) {
    ++counts_.pages_given_up;
    FetchRecord record = done_record(page.url, status, reason);
    if (page.entry.document) {
      ++counts_.from_feed_content;
      observer_.on_event(
          fmt::format("page {}: {}; stored from the feed's content", page.url, reason));
      add_to_batch(std::move(*page.entry.document), std::move(record));
    } else {
      ++counts_.pages_lost;
      observer_.on_event(fmt::format("page {}: {}; given up", page.url, reason));
      records_.push_back(std::move(record));
    }
    settle(page);
  }

  static void fill_from_feed(Document& doc, const FeedEntry& entry) {
    if (doc.title.empty()) doc.title = entry.title;
    if (doc.published.empty()) doc.published = entry.published;
    if (doc.source.empty()) doc.source = entry.feed_title;
  }

  FetchRecord done_record(const std::string& url, long status, std::string note) const {
    FetchRecord record;
    record.url = url;
    record.kind = "page";
    record.status = status;
    record.fetched_at = utc_now_iso8601();
    record.done = true;
    record.note = std::move(note);
    return record;
  }

  void record_failure(const std::string& url, const char* kind, const FetchFailure& f, bool done,
                      int failures = 1, double wait = 0) {
    FetchRecord record;
    if (std::string_view(kind) == "feed") {
      // Keep the feed's validators: a failure says nothing of its content.
      Result<std::optional<FetchRecord>> known = store_.fetch_record(url);
      if (!known.ok()) {
        fatal_ = known.error();
        return;
      }
      if (*known) record = **known;
      failures = static_cast<int>(record.failures) + 1;
    }
    record.url = url;
    record.kind = kind;
    record.status = f.status;
    record.fetched_at = utc_now_iso8601();
    record.done = done;
    record.failures = failures;
    record.next_at = unix_now() + static_cast<int64_t>(wait);
    record.note = f.reason;
    records_.push_back(std::move(record));
  }

  // A page's item is settled: its feed's validators may be kept once all of them are.
  void settle(const Page& page) {
    settled_.insert(page.url);
    if (page.feed >= feeds_.size()) return;
    Feed& feed = feeds_[page.feed];
    if (feed.outstanding > 0 && --feed.outstanding == 0 && feed.validators) {
      records_.push_back(std::move(*feed.validators));
      feed.validators.reset();
    }
  }

  // --- storing ---

  void add_to_batch(Document doc, std::optional<FetchRecord> record) {
    if (batch_.empty()) batch_started_ = Clock::now();
    batch_.push_back(std::move(doc));
    if (record) records_.push_back(std::move(*record));
  }

  bool batch_due() const {
    if (batch_.size() >= options_.pipeline.batch_size) return true;
    if (!batch_.empty()) return Clock::now() >= batch_started_ + seconds(options_.commit_seconds);
    // Records without articles (304s, failures) wait for the next batch, or a while.
    return records_.size() >= 64 || (!records_.empty() && options_.once && settled());
  }

  // Stores the batch and the fetch records in one transaction.
  void flush() {
    if (batch_.empty() && records_.empty()) return;
    std::vector<FetchRecord> records = std::move(records_);
    records_.clear();
    bool recorded = false;
    if (!batch_.empty()) {
      IngestSession::BatchHooks hooks;
      hooks.before_commit = [&](Store& store) -> Status {
        recorded = true;
        return record_all(store, records);
      };
      std::vector<Document> documents = std::move(batch_);
      batch_.clear();
      Result<IngestCounts> stored =
          session_.ingest_documents(std::move(documents), observer_, hooks);
      if (!stored.ok()) {
        fatal_ = stored.error();
        return;
      }
      counts_.ingest.add_articles(*stored);
    }
    if (recorded || records.empty()) return;
    // No article of the batch was left to store (all rejected): the records go alone.
    if (Status s = store_.begin(); !s.ok()) {
      fatal_ = s;
      return;
    }
    if (Status s = record_all(store_, records); !s.ok()) {
      (void)store_.rollback();
      fatal_ = s;
      return;
    }
    fatal_ = store_.commit();
  }

  static Status record_all(Store& store, const std::vector<FetchRecord>& records) {
    for (const FetchRecord& r : records) {
      if (Status s = store.record_fetch(r); !s.ok()) return s;
    }
    return {};
  }

  Store& store_;
  const LiveIntakeOptions& options_;
  LiveIntakeObserver& observer_;
  const std::atomic<bool>& stop_;
  IngestSession session_;
  std::vector<Feed> feeds_;
  std::unordered_set<std::string> in_flight_;
  std::unordered_set<std::string> settled_;  // this run's pages done, and the store's seen
  std::vector<Page> retries_;
  std::vector<Document> batch_;
  Clock::time_point batch_started_{};
  std::vector<FetchRecord> records_;
  LiveIntakeCounts counts_;
  Status fatal_;
  std::mutex inbox_mutex_;
  std::condition_variable inbox_ready_;
  std::deque<Arrival> inbox_;
  // Last: destroyed first, so that no fetching thread delivers into a destroyed inbox.
  PoliteFetcher fetcher_;
};

}  // namespace

Result<LiveIntakeCounts> run_live_intake(const std::vector<LiveSource>& sources, Store& store,
                                         const LiveIntakeOptions& options,
                                         LiveIntakeObserver& observer,
                                         const std::atomic<bool>& stop) {
  LiveIntake intake(store, options, observer, stop);
  return intake.run(sources);
}

Result<std::vector<std::string>> read_feeds_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error(ErrorCode::kNotFound, fmt::format("{}: cannot read it", path));
  std::vector<std::string> urls;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    const size_t start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#') continue;
    const size_t end = line.find_last_not_of(" \t\r");
    const std::string url = line.substr(start, end - start + 1);
    Result<std::string> resolved = resolve_url({}, url);
    if (!resolved.ok())
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("{}:{}: {}", path, number, resolved.error().message));
    urls.push_back(*resolved);
  }
  if (urls.empty())
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: no feed URL in it", path));
  return urls;
}

}  // namespace khabar
