// Threads that fetch jobs politely: a host's robots.txt first, at most `per_host` requests to a
// host at once, `host_delay` (or the site's Crawl-delay) between the end of one and the next.
#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "khabar/fetch.h"

namespace khabar {
namespace {

using Clock = std::chrono::steady_clock;

// RFC 9309: a robots.txt may be cached for 24 hours; larger files need not be read whole.
constexpr auto kRobotsLifetime = std::chrono::hours(24);
constexpr size_t kRobotsMaxBytes = 512 * 1024;

struct Queued {
  FetchJob job;
  std::string origin;
  std::string path_and_query;
};

struct Host {
  int busy = 0;
  Clock::time_point next_free{};
  std::optional<RobotsRules> robots;
  Clock::time_point robots_expires{};
  bool robots_fetching = false;
};

// What robots.txt said, or why it could not be read now: a 5xx, a 429 or no answer, which
// RFC 9309 says to take as "disallow everything" for the time being (the job fails, to be tried
// again), or a stop.
struct RobotsAnswer {
  std::optional<RobotsRules> rules;
  FetchFailure unavailable;
};

RobotsAnswer fetch_robots(HttpClient& client, const std::string& origin, const std::string& product,
                          const std::atomic<bool>& stop) {
  // Past the limit, its first 512 KiB are read (RFC 9309 asks for at least 500 KiB).
  HttpClient::Request request{origin + "/robots.txt", "", "", kRobotsMaxBytes, true};
  FetchOutcome got = client.get(request, &stop);
  if (got.ok()) return {RobotsRules::parse(got.response->body, product), {}};
  FetchFailure f = std::move(got.failure);
  if (f.stopped) return {std::nullopt, std::move(f)};
  if (f.transient || f.status == 429 || f.status >= 500) {
    f.reason = "robots.txt unavailable: " + f.reason;
    f.transient = true;
    return {std::nullopt, std::move(f)};
  }
  // Any other 4xx ("unavailable" in the RFC's words, which means allowed), and what asking
  // again will not change (a redirect loop, a broken encoding): no rules.
  return {RobotsRules::allow_all(), {}};
}

}  // namespace

struct PoliteFetcher::Impl {
  PolitenessOptions options;
  std::string product;  // the user agent's product token, for robots.txt
  mutable std::mutex mutex;
  std::condition_variable wake;
  std::deque<Queued> queue;
  std::unordered_map<std::string, Host> hosts;
  size_t pending = 0;
  bool stopping = false;
  std::atomic<bool> abort{false};
  std::vector<std::thread> threads;

  // The first queued job whose host has a free slot and whose delay has passed; otherwise
  // queue.end() and, in `wake_at`, when the earliest waiting one could start.
  std::deque<Queued>::iterator runnable(Clock::time_point now,
                                        std::optional<Clock::time_point>& wake_at) {
    for (auto it = queue.begin(); it != queue.end(); ++it) {
      Host& host = hosts[it->origin];
      if (host.busy >= options.per_host || host.robots_fetching) continue;
      if (host.next_free > now) {
        if (!wake_at || host.next_free < *wake_at) wake_at = host.next_free;
        continue;
      }
      return it;
    }
    return queue.end();
  }

  double delay_of(const Host& host) const {
    double delay = options.host_delay_seconds;
    if (host.robots && host.robots->crawl_delay_seconds())
      delay = std::max(
          delay, std::min(*host.robots->crawl_delay_seconds(), options.max_crawl_delay_seconds));
    return delay;
  }

  void run() {
    HttpClient client(options.limits);
    std::unique_lock lock(mutex);
    while (!stopping) {
      std::optional<Clock::time_point> wake_at;
      const auto it = runnable(Clock::now(), wake_at);
      if (it == queue.end()) {
        if (wake_at) {
          wake.wait_until(lock, *wake_at);
        } else {
          wake.wait(lock);
        }
        continue;
      }
      Queued item = std::move(*it);
      queue.erase(it);
      Host& host = hosts[item.origin];
      ++host.busy;
      const bool read_robots =
          options.obey_robots && (!host.robots || Clock::now() >= host.robots_expires);
      if (read_robots) host.robots_fetching = true;
      lock.unlock();

      bool requested = false;
      FetchOutcome outcome = fetch(client, item, read_robots, requested);
      item.job.done(std::move(outcome));

      lock.lock();
      Host& after = hosts[item.origin];
      --after.busy;
      // A job refused by robots.txt asked the host nothing: the next one need not wait.
      if (requested) {
        after.next_free = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(delay_of(after)));
      }
      --pending;
      wake.notify_all();
    }
  }

  FetchOutcome fetch(HttpClient& client, const Queued& item, bool read_robots, bool& requested) {
    if (read_robots) {
      requested = true;
      RobotsAnswer answer = fetch_robots(client, item.origin, product, abort);
      std::lock_guard guard(mutex);
      Host& host = hosts[item.origin];
      host.robots_fetching = false;
      wake.notify_all();  // the host's other jobs may go now, or read it again
      if (!answer.rules) {
        FetchOutcome refused;
        refused.failure = std::move(answer.unavailable);
        return refused;
      }
      host.robots = std::move(answer.rules);
      host.robots_expires = Clock::now() + kRobotsLifetime;
    }
    if (options.obey_robots) {
      std::optional<RobotsRules> rules;
      {
        std::lock_guard guard(mutex);
        rules = hosts[item.origin].robots;
      }
      if (rules && !rules->allows(item.path_and_query)) {
        FetchOutcome refused;
        refused.failure.reason = "disallowed by robots.txt";
        return refused;
      }
    }
    requested = true;
    return client.get({item.job.url, item.job.etag, item.job.last_modified, item.job.max_bytes},
                      &abort);
  }
};

PoliteFetcher::PoliteFetcher(PolitenessOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  const std::string& agent = impl_->options.limits.user_agent;
  impl_->product = agent.substr(0, agent.find_first_of("/ "));
  const int threads = std::max(1, impl_->options.threads);
  impl_->options.per_host = std::max(1, impl_->options.per_host);
  for (int i = 0; i < threads; ++i)
    impl_->threads.emplace_back([this] { impl_->run(); });
}

PoliteFetcher::~PoliteFetcher() {
  stop();
}

Status PoliteFetcher::submit(FetchJob job) {
  Result<UrlParts> parts = parse_http_url(job.url);
  if (!parts.ok()) return parts.error();
  std::lock_guard guard(impl_->mutex);
  if (impl_->stopping) return make_error(ErrorCode::kInvalidArgument, "the fetcher is stopping");
  impl_->queue.push_back({std::move(job), parts->origin(), parts->path_and_query});
  ++impl_->pending;
  impl_->wake.notify_all();
  return {};
}

size_t PoliteFetcher::pending() const {
  std::lock_guard guard(impl_->mutex);
  return impl_->pending;
}

void PoliteFetcher::stop() {
  {
    std::lock_guard guard(impl_->mutex);
    if (impl_->stopping && impl_->threads.empty()) return;
    impl_->stopping = true;
    impl_->abort = true;
    impl_->pending -= impl_->queue.size();
    impl_->queue.clear();
    impl_->wake.notify_all();
  }
  for (std::thread& t : impl_->threads)
    t.join();
  impl_->threads.clear();
}

}  // namespace khabar
