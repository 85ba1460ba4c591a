// The live intake loop: one thread owns the store and decides what to fetch; PoliteFetcher's
// threads fetch and hand the answers back through an inbox.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "khabar/watch.h"
#include "text/utf8.h"

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

// Servers label feeds loosely (text/xml, application/octet-stream): the body decides as well.
bool looks_like_feed(const HttpResponse& response) {
  const std::string type = text::ascii_lower(response.content_type);
  if (type.find("rss") != std::string::npos || type.find("atom") != std::string::npos) return true;
  std::string_view body = response.body;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  const size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  const std::string head = text::ascii_lower(body.substr(start, 512));
  if (head.starts_with("<rss") || head.starts_with("<feed") || head.starts_with("<rdf:rdf"))
    return true;
  // An XML declaration: a feed unless the root turns out to be XHTML.
  return head.starts_with("<?xml") && head.find("<html") == std::string::npos;
}

bool looks_like_html(const HttpResponse& response) {
  const std::string type = text::ascii_lower(response.content_type);
  return type.empty() || type.starts_with("text/html") ||
         type.starts_with("application/xhtml+xml") || type.starts_with("text/plain");
}

// The charset a Content-Type names, for pages that do not declare one themselves.
std::string charset_of(std::string_view content_type) {
  const std::string type = text::ascii_lower(content_type);
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

// A feed may be many articles, but not without bound: eight fetching threads hold one each.
constexpr size_t kLargestFeedBytes = size_t{64} << 20;
// With --once, a retry due later than this is left to the next run (its record says when).
constexpr double kLongestWaitOnce = 60;

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
    std::unordered_set<std::string> named;
    for (const LiveSource& source : sources) {
      Result<std::string> url = resolve_url({}, source.url);
      if (!url.ok()) {
        lose(source.url, url.error().message);
        continue;
      }
      if (!named.insert(*url).second) continue;  // listed twice
      Feed feed;
      feed.url = *url;
      feed.unknown_kind = source.kind == LiveSource::Kind::kUnknown;
      feed.next_poll = Clock::now();
      feeds_.push_back(std::move(feed));
    }
    if (feeds_.empty()) {
      if (counts_.pages_lost > 0) return counts_;
      return make_error(ErrorCode::kInvalidArgument, "no http(s) URL to fetch");
    }
    if (options_.resume_unfinished) resume_unfinished_pages();
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
    std::optional<FetchRecord> last;        // what the store knows, once read
  };
  static constexpr size_t kNoFeed = static_cast<size_t>(-1);
  struct Page {
    std::string url;
    size_t feed = kNoFeed;  // whose item it is, for the feed's title and content
    FeedEntry entry;
    int64_t failures = 0;  // in a row, over runs
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
    for (size_t i = 0; i < feeds_.size() && fatal_.ok(); ++i) {
      Feed& feed = feeds_[i];
      if (feed.in_flight || feed.finished || feed.next_poll > now) continue;
      FetchJob job;
      job.url = feed.url;
      if (!feed.unknown_kind) {
        const std::optional<FetchRecord>& last = last_record(feed);
        if (last) {
          job.etag = last->etag;
          job.last_modified = last->last_modified;
        }
      }
      job.max_bytes = feed_max_bytes();
      job.done = [this, i](FetchOutcome outcome) { deliver({true, i, {}, std::move(outcome)}); };
      feed.in_flight = true;
      if (!submit(std::move(job))) feed.in_flight = false;
    }
    for (auto it = retries_.begin(); it != retries_.end();) {
      if (it->due > now) {
        ++it;
        continue;
      }
      Page page = std::move(*it);
      it = retries_.erase(it);
      fetch_page(std::move(page));
    }
  }

  // The feed's record, read from the store once and kept up to date in memory after that.
  const std::optional<FetchRecord>& last_record(Feed& feed) {
    if (!feed.last) {
      Result<std::optional<FetchRecord>> known = store_.fetch_record(feed.url);
      if (!known.ok()) {
        fatal_ = known.error();
      } else if (*known) {
        feed.last = std::move(**known);
      } else {
        FetchRecord fresh;
        fresh.url = feed.url;
        fresh.kind = "feed";
        feed.last = std::move(fresh);
      }
    }
    return feed.last;
  }

  void fetch_page(Page page) {
    FetchJob job;
    job.url = page.url;
    job.max_bytes = page_max_bytes();
    in_flight_.insert(page.url);
    const std::string url = page.url;
    job.done = [this, page](FetchOutcome outcome) mutable {
      deliver({false, page.feed, std::move(page), std::move(outcome)});
    };
    if (!submit(std::move(job))) in_flight_.erase(url);
  }

  bool submit(FetchJob job) {
    if (stop_.load()) return false;  // the fetcher refuses jobs once stopping
    const std::string url = job.url;
    if (Status s = fetcher_.submit(std::move(job)); !s.ok()) {
      lose(url, s.error().message);
      return false;
    }
    return true;
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
    if (!batch_.empty() || !records_.empty())
      until = std::min(until, batch_started_ + seconds(options_.commit_seconds));
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
  size_t feed_max_bytes() const {
    return std::min(page_max_bytes() * kFeedArticles,
                    std::max(kLargestFeedBytes, page_max_bytes()));
  }

  double backoff(int64_t failures, std::optional<int64_t> retry_after) const {
    double wait = options_.backoff_seconds *
                  std::pow(2.0, static_cast<double>(std::min<int64_t>(failures - 1, 10)));
    if (retry_after) wait = std::max(wait, static_cast<double>(*retry_after));
    return std::min(wait, 24.0 * 3600);
  }

  // Pages that failed for now in an earlier run: tried again when due, and the feeds listing
  // them wait for them as for their own.
  void resume_unfinished_pages() {
    Result<std::vector<FetchRecord>> unfinished = store_.unfinished_pages();
    if (!unfinished.ok()) {
      fatal_ = unfinished.error();
      return;
    }
    const int64_t now = unix_now();
    for (FetchRecord& record : *unfinished) {
      Page page;
      page.url = record.url;
      page.entry.link = record.url;
      page.failures = record.failures;
      page.due =
          Clock::now() + seconds(static_cast<double>(std::max<int64_t>(0, record.next_at - now)));
      if (options_.once && page.due > Clock::now() + seconds(kLongestWaitOnce)) continue;
      waiting_[page.url];
      retries_.push_back(std::move(page));
    }
    if (!retries_.empty())
      observer_.on_event(fmt::format("{} page{} to try again from earlier runs", retries_.size(),
                                     retries_.size() == 1 ? "" : "s"));
  }

  // --- feeds ---

  void on_feed(size_t index, FetchOutcome outcome) {
    Feed& feed = feeds_[index];
    feed.in_flight = false;
    const Clock::time_point now = Clock::now();
    feed.next_poll = now + seconds(options_.poll_seconds);
    if (options_.once) feed.finished = true;
    // After a stop nothing new is started: a feed read now would record its validators with
    // its items unfetched.
    if (stop_.load() || (!outcome.ok() && outcome.failure.stopped)) return;
    if (!outcome.ok()) {
      on_feed_failure(feed, outcome.failure, now);
      return;
    }
    feed.failures = 0;
    HttpResponse& response = *outcome.response;
    if (feed.unknown_kind && !looks_like_feed(response)) {
      Page page;
      page.url = feed.url;
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
      observer_.on_problem(
          {Problem::Severity::kRejected, feed.url, 0, -1,
           fmt::format("not an RSS or Atom feed ({})",
                       response.content_type.empty() ? "no content type" : response.content_type)});
      return;
    }
    read_feed_items(index, response);
  }

  void on_feed_failure(Feed& feed, const FetchFailure& f, Clock::time_point now) {
    ++feed.failures;
    const bool retry = f.transient && feed.failures <= options_.retries;
    if (!retry && feed.unknown_kind) {
      // A URL named once (khabar ingest URL) that cannot be had: a page lost, whatever it was.
      Page page;
      page.url = feed.url;
      give_up(std::move(page), f.reason, f.status);
      return;
    }
    if (feed.unknown_kind) {
      ++counts_.retries;
    } else {
      ++counts_.feed_failures;
    }
    const std::string what = feed.unknown_kind ? feed.url : "feed " + feed.url;
    if (retry) {
      const double wait = backoff(feed.failures, f.retry_after_seconds);
      if (options_.once) {
        feed.finished = wait > kLongestWaitOnce;
        feed.next_poll = now + seconds(wait);
      } else {
        feed.next_poll = std::max(feed.next_poll, now + seconds(wait));
      }
      if (feed.finished) {
        observer_.on_problem({Problem::Severity::kRejected, feed.url, 0, -1,
                              fmt::format("{}; not asked again in this run", f.reason)});
      } else {
        const double in = std::chrono::duration<double>(feed.next_poll - now).count();
        observer_.on_event(fmt::format("{}: {}; asking again in {:.0f} s", what, f.reason, in));
      }
    } else {
      observer_.on_problem({Problem::Severity::kRejected, feed.url, 0, -1, f.reason});
    }
    if (feed.unknown_kind) return;
    // The validators stay: a failure says nothing of the feed's content.
    FetchRecord record = *last_record(feed);
    record.status = f.status;
    record.fetched_at = utc_now_iso8601();
    record.failures += 1;
    record.note = f.reason;
    feed.last = record;
    add_record(std::move(record));
  }

  // Problems of the feed as a whole (broken XML, not a feed). An item's own content is only a
  // stand-in for its page, so what is wrong with it is no problem here.
  struct FeedProblems : DocumentSink {
    explicit FeedProblems(LiveIntake& intake) : intake_(intake) {}
    void document(Document) override {}
    void problem(Problem p) override {
      if (p.line != 0) return;
      if (p.severity == Problem::Severity::kRejected) ++intake_.counts_.feed_failures;
      intake_.observer_.on_problem(p);
    }
    LiveIntake& intake_;
  };

  void read_feed_items(size_t index, const HttpResponse& response) {
    Feed& feed = feeds_[index];
    ReadOptions read = options_.pipeline.read;
    read.format = InputFormat::kFeed;
    read.encoding = "auto";
    FeedProblems problems(*this);
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
          add_to_batch(std::move(*entry.document), std::nullopt);
        }
        continue;
      }
      if (settled_.contains(link)) continue;
      if (const auto waiting = waiting_.find(link); waiting != waiting_.end()) {
        // Under way for another feed, or waiting for a retry: this feed waits for it too.
        std::vector<size_t>& feeds = waiting->second;
        if (std::find(feeds.begin(), feeds.end(), index) == feeds.end()) {
          feeds.push_back(index);
          ++feed.outstanding;
        }
        continue;
      }
      Result<std::optional<FetchRecord>> known = store_.fetch_record(link);
      if (!known.ok()) {
        fatal_ = known.error();
        return;
      }
      Page page;
      page.url = link;
      page.feed = index;
      page.due = Clock::now();
      if (*known) {
        if ((*known)->done) {
          settled_.insert(link);
          continue;
        }
        // Failed for now in an earlier run, and not resumed (khabar ingest URL).
        page.failures = (*known)->failures;
        page.due +=
            seconds(static_cast<double>(std::max<int64_t>(0, (*known)->next_at - unix_now())));
        if (options_.once && page.due > Clock::now() + seconds(kLongestWaitOnce)) continue;
      }
      ++fresh;
      ++feed.outstanding;
      ++counts_.new_links;
      waiting_[link].push_back(index);
      page.entry = std::move(entry);
      if (page.due > Clock::now()) {
        retries_.push_back(std::move(page));
      } else {
        fetch_page(std::move(page));
      }
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
      feed.last = record;
      add_record(std::move(record));
      feed.validators.reset();
    } else {
      feed.validators = std::move(record);
    }
  }

  // Items without a link are known by their feed and title, within a run.
  bool seen_item_without_link(const std::string& feed, const FeedEntry& entry) {
    return !settled_.insert(feed + "\n" + entry.title + "\n" + entry.published).second;
  }

  // --- pages ---

  void on_page(Page page, FetchOutcome outcome) {
    in_flight_.erase(page.url);
    if (!outcome.ok()) {
      const FetchFailure& f = outcome.failure;
      if (f.stopped) return;  // not settled: fetched by the next run
      if (f.transient && page.failures < options_.retries) {
        try_later(std::move(page), f);
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
    settle(page.url);
  }

  // A transient failure: tried again after a backoff. The record says when, so that a run
  // stopped meanwhile (or a --once run not waiting so long) leaves it to the next one.
  void try_later(Page page, const FetchFailure& f) {
    ++page.failures;
    ++counts_.retries;
    const double wait = backoff(page.failures, f.retry_after_seconds);
    FetchRecord record;
    record.url = page.url;
    record.kind = "page";
    record.status = f.status;
    record.fetched_at = utc_now_iso8601();
    record.failures = page.failures;
    record.next_at = unix_now() + static_cast<int64_t>(std::ceil(wait));
    record.note = f.reason;
    add_record(std::move(record));
    if (options_.once && wait > kLongestWaitOnce) {
      observer_.on_event(
          fmt::format("page {}: {}; left to the next run, in {:.0f} s", page.url, f.reason, wait));
      settle(page.url);
      return;
    }
    observer_.on_event(
        fmt::format("page {}: {}; trying again in {:.0f} s", page.url, f.reason, wait));
    page.due = Clock::now() + seconds(wait);
    retries_.push_back(std::move(page));
  }

  // A page not to be had: its feed's content stands in for it when there is some.
  void give_up(Page page, const std::string& reason, long status) {
    ++counts_.pages_given_up;
    FetchRecord record = done_record(page.url, status, reason);
    if (page.entry.document) {
      ++counts_.from_feed_content;
      observer_.on_event(
          fmt::format("page {}: {}; stored from the feed's content", page.url, reason));
      Document doc = std::move(*page.entry.document);
      doc.url = page.url;  // the link as resolved, not as the feed wrote it
      add_to_batch(std::move(doc), std::move(record));
    } else {
      lose(page.url, reason + "; given up");
      add_record(std::move(record));
    }
    settle(page.url);
  }

  // Something named or listed that nothing will be stored for.
  void lose(const std::string& url, const std::string& reason) {
    ++counts_.pages_lost;
    observer_.on_problem({Problem::Severity::kRejected, url, 0, -1, reason});
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

  // A page is settled (done, or recorded to be tried again): the feeds that listed it may keep
  // their validators once all their items are.
  void settle(const std::string& url) {
    settled_.insert(url);
    const auto waiting = waiting_.find(url);
    if (waiting == waiting_.end()) return;
    for (const size_t index : waiting->second) {
      Feed& feed = feeds_[index];
      if (feed.outstanding > 0 && --feed.outstanding == 0 && feed.validators) {
        feed.last = feed.validators;
        add_record(std::move(*feed.validators));
        feed.validators.reset();
      }
    }
    waiting_.erase(waiting);
  }

  // --- storing ---

  void add_to_batch(Document doc, std::optional<FetchRecord> record) {
    if (batch_.empty() && records_.empty()) batch_started_ = Clock::now();
    batch_.push_back(std::move(doc));
    if (record) records_.push_back(std::move(*record));
  }

  void add_record(FetchRecord record) {
    if (batch_.empty() && records_.empty()) batch_started_ = Clock::now();
    records_.push_back(std::move(record));
  }

  bool batch_due() const {
    if (batch_.size() >= options_.pipeline.batch_size) return true;
    if (batch_.empty() && records_.empty()) return false;
    return Clock::now() >= batch_started_ + seconds(options_.commit_seconds) ||
           (options_.once && settled());
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
    if (recorded) return;
    // Records without articles (304s, failures, pages given up): a transaction of their own.
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
  // Pages under way or waiting for a retry, with the feeds waiting for them to settle.
  std::unordered_map<std::string, std::vector<size_t>> waiting_;
  std::unordered_set<std::string> settled_;  // this run's pages settled, and the store's done
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
